"""The claims pass's per-article state, and what surrounds a figure: who states it
(attribution) and the day or period it holds for (dates)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .. import dates as dates_mod
from ..records import Article, DateMention, Mention, Source
from . import claim_words as cw
from . import lexicon as lx
from .attribution import Attribution, Attributor, known_speaker
from .events import LEAD_LOOKAHEAD
from .figures import _counted, char_span
from .numbers import parse_number
from .placing import _metonymic as metonymic
from .placing import _river as river

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# -- per-article state ---------------------------------------------------------------------


@dataclass
class _State:
    article: Article
    doc: Doc
    mentions: list[Mention]
    dates: Sequence[DateMention]
    spans: Sequence[dates_mod.DateSpan]
    sents: list[Span]
    para_of: dict[int, int] = field(default_factory=dict)  # sentence index -> paragraph id
    lead_para: int = -1
    story: dict[int, str] = field(default_factory=dict)  # place -> event its tolls are of
    text: str = ""  # doc.text, which spaCy rebuilds on every access
    place_ok: dict[int, bool] = field(default_factory=dict)  # mention start -> usable
    last_toll: tuple[int, Mention] | None = None  # (paragraph, place) of the last toll
    _attributor: Attributor | None = None

    def attributor(self) -> Attributor:
        """Built on first use: most sentences state no figure."""
        if self._attributor is None:
            self._attributor = Attributor(self.doc)
        return self._attributor


def _place_ok(st: _State, m: Mention) -> bool:
    """Rivers, clocks and capitals speaking for governments are nowhere (asked lazily: the
    test walks the document)."""
    if m.start not in st.place_ok:
        st.place_ok[m.start] = not (metonymic(m, st.doc) or river(m, st.doc))
    return st.place_ok[m.start]


def _speaker_date(st: _State, idx: int, sent: Span) -> tuple[date, int] | None:
    for d in st.dates:
        if sent.start_char <= d.start < sent.end_char and d.precision == 1:
            return d.value, d.precision
    return None


# -- attribution ---------------------------------------------------------------------------


def _attribution(st: _State, idx: int, tok: Token) -> Attribution:
    sent = st.sents[idx]
    att = st.attributor().for_sentence(sent)
    if not att.sources:
        para_end = _para_end(st, sent)
        att = (st.attributor().following(sent, LEAD_LOOKAHEAD)
               if st.para_of.get(idx) == st.lead_para
               else st.attributor().following(sent, 1, para_end))
    elif _speech_elsewhere(sent, tok):
        att = Attribution()
    att = st.attributor().for_token(tok, att)
    return _name_role(st, idx, _clean_sources(st, sent, att, tok))


def _clean_sources(st: _State, sent: Span, att: Attribution, tok: Token) -> Attribution:
    """Drop "speakers" that are the counted people themselves ("Two people were confirmed
    dead") and put the person for a place-named speaker ("Mykolaiv regional governor
    Vitaliy Kim said" read as "Mykolaiv")."""
    counted = {t.i for t in _counted(tok).subtree} | {tok.i}
    keep: list[Source] = []
    for src in att.sources:
        words = src.name.split()
        if words and (any(t.i in counted and t.text == words[0] for t in sent) or
                      parse_number(words[0]) is not None):
            continue  # a count is no speaker
        if any(m.surface == src.name for m in st.mentions):
            ends = [sent.start_char + m.end() for m in
                    re.finditer(re.escape(src.name), sent.text)]
            person = next((e for e in sent.ents if e.label_ == "PERSON" and
                           any(0 <= e.start_char - end <= 40 for end in ends)), None)
            if person is not None:
                src = replace(src, name=person.text, channel=None)
        keep.append(src)
    if len(keep) == len(att.sources) and all(a is b for a, b in zip(keep, att.sources,
                                                                    strict=True)):
        return att
    if keep:
        keep[0] = replace(keep[0], relayed_by=keep[1].name if len(keep) > 1 else None)
    return replace(att, sources=tuple(keep))


_ASIDE_MARKS = frozenset({"as", "while", "after", "before", "because", "when", "since",
                          "although", "though"})


def _speech_elsewhere(sent: Span, tok: Token) -> bool:
    """"Belgorod toll climbs to 24 as Moscow says ...": the only speaker speaks in an aside
    that does not govern the figure."""
    verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_ in lx.SPEECH_VERBS and
             any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)]
    if not verbs or any(sent.doc[tok.i] in list(v.subtree) and v.i in
                        {a.i for a in tok.ancestors} for v in verbs):
        return False
    if any(t.lower_ == "according" for t in sent):
        return False
    return all(v.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _ASIDE_MARKS
                                         for c in v.children) for v in verbs)


def _para_end(st: _State, sent: Span) -> int:
    end = st.text.find("\n\n", sent.start_char)
    return len(st.text) if end < 0 else end


_ROLE = re.compile(r"\b(minister|governor|mayor|head|chief|spokes\w*|commander|prosecutor|"
                   r"ombudsman|official)\b", re.I)


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
        not _ROLE.search(name) and known_speaker(name) is None


def _name_role(st: _State, idx: int, att: Attribution) -> Attribution:
    """"Ukraine's interior minister said ... . Ihor Klymenko wrote ...": an office named
    without its holder, followed at once by a newly named person speaking, is that person."""
    origin = att.origin
    if origin is None or not _ROLE.search(origin.name) or known_speaker(origin.name) or \
            origin.affiliation not in ("ukraine_gov", "russia_gov", "western_gov"):
        return att
    earlier = st.text[: st.sents[idx].start_char]
    for nxt in st.sents[idx + 1: idx + 2]:
        nat = st.attributor().for_sentence(nxt)
        if nat.origin is None or not _looks_like_person(nat.origin.name):
            continue
        person = nat.origin
        if person.name.split()[-1] in earlier or person.affiliation not in (
                "other", origin.affiliation):
            continue
        named = replace(origin, name=person.name)
        return replace(att, sources=(named, *att.sources[1:]))
    return att


# -- dates ---------------------------------------------------------------------------------


_PERIOD_START = re.compile(r"\b(since|from|between|after)\b", re.I)
_PERIOD_RX = re.compile("|".join(cw.PERIOD_MARKERS), re.I)
_ONE_DAY_RX = re.compile(cw.ONE_DAY_PERIOD, re.I)
_RANGE_RX = re.compile(cw.RANGE_PERIOD, re.I)


def _dates_in(st: _State, scope: Sequence[Token]) -> list[DateMention]:
    if not scope:
        return []
    lo = scope[0].idx
    hi = scope[-1].idx + len(scope[-1].text)
    idxs = {t.i for t in scope}
    out: list[DateMention] = []
    for d in st.dates:
        if not lo <= d.start < hi:
            continue
        span = char_span(st.doc, d.start, d.end)
        if span is None or span.root.i not in idxs:
            continue
        head = span.root.head
        if head.pos_ == "ADP":
            head = head.head
        if head.i in idxs and head.lemma_ in lx.SPEECH_VERBS and head.pos_ == "VERB":
            continue  # "said on Sunday": when it was said, not when it happened
        before = st.text[max(0, d.start - 20):d.start]
        after = st.text[d.end:d.end + 24]
        ranged = re.search(r"\b(between|and)\s+(the\s+)?$", before, re.I) or (
            re.search(r"\bfrom\s+(the\s+)?$", before, re.I) and
            re.match(r"\s+(to|until|till)\b", after, re.I))
        if ranged or re.search(r"\b(since|until|till|before|to)\s+(the\s+)?$", before,
                               re.I) or re.match(r"(since|until|till|before|from)\b", d.text,
                                                 re.I):
            continue
        out.append(d)
    return out


def _figure_start(tok: Token) -> int:
    """Where the figure `tok` ends a phrase before it: "... in early June to 44" -> "to"."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else tok
    return prev.idx if prev.dep_ in ("prep", "quantmod", "advmod") or prev.lower_ in (
        "to", "at") else tok.idx


def _adverbial_since(scope: Sequence[Token], char: int) -> bool:
    """"The toll has since risen": "since" as an adverb starts no period."""
    tok = next((t for t in scope if t.idx >= char), None)
    if tok is None or tok.lower_ != "since":
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.dep_ == "advmod" or tok.pos_ == "ADV" or (
        nxt is not None and nxt.pos_ in ("VERB", "AUX") and nxt.tag_ in ("VBN", "VBD"))


def _period(st: _State, scope: Sequence[Token], tok: Token, published: date | None
            ) -> tuple[str, date | None, date | None, int | None] | None:
    """(words, from, to, precision) of the period a figure is counted over, if any."""
    if not scope:
        return None
    lo, hi = scope[0].idx, scope[-1].idx + len(scope[-1].text)
    text = st.text[lo:hi]
    m = next((p for p in _PERIOD_RX.finditer(text)
              if not _adverbial_since(scope, lo + p.start())), None)
    for r in _RANGE_RX.finditer(text):
        # Both ends are dates: "between 24 February 2022 and 10 September 2023".
        a, b = lo + r.start(), lo + r.end()
        if any(a < s.mention.start <= a + 12 for s in st.spans) and \
                any(b - 1 <= s.mention.start <= b + 6 for s in st.spans):
            if m is None or r.start() < m.start():
                m = r
            break
    if m is None:
        return None
    start = lo + m.start()
    # The period's words run to the end of their phrase.
    stop = hi if tok.idx < start else min(hi, _figure_start(tok))
    tail = re.match(r"[^,;:()]*", st.text[start:stop])
    words = (tail.group(0) if tail else m.group(0)).strip()
    if len(words) > 90:
        words = words[:90].rsplit(" ", 1)[0]
    spans = [s for s in st.spans if start <= s.mention.start < start + len(words) + 1]
    valid_from: date | None = None
    valid_to: date | None = published
    precision: int | None = None
    back = re.search(r"\b(?:past|last|previous|over|in)\s+(?:the\s+)?(?:(?:past|last)\s+)?"
                     r"(\w+)?\s*(day|week|month|year)s?\b", words, re.I)
    if _ONE_DAY_RX.search(words) and published is not None:
        valid_from, precision = published, 1
    elif back and published is not None and (back.group(1) is None or parse_number(
            back.group(1)) is not None or back.group(1).lower() in ("past", "last")):
        # "over the past six months", "in the past week": counted back from the report.
        count = parse_number(back.group(1) or "") or 1
        days = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}[back.group(2).lower()]
        valid_from = published - timedelta(days=round(count * days))
        precision = 2 if days <= 7 else 3
    elif spans:
        valid_from = spans[0].mention.value
        precision = spans[0].mention.precision
        if len(spans) > 1 and re.search(r"\b(and|to|until|till)\b", words, re.I):
            valid_to = spans[-1].mention.value
    return words, valid_from, valid_to, precision
