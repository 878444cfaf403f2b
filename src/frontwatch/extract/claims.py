"""Quantified claims: casualty figures, shares of territory and counted quantities.

A post-step over the parsed article and its events. Every number phrase in a sentence
("at least 50", "between 20.000 and 30.000", "dozens", "1.2 thousand", "52%") is read,
and the dependency parse says what it counts:

* ``casualties``: people killed, wounded, or both ("killed or injured", "casualties",
  ``killed_or_injured=True``), with whose dead they are (``side``/``victims``); the
  ``unit`` is ``people`` for the dead (or dead and wounded together, with the flag) and
  ``wounded`` for the wounded only; ``action`` says killed/wounded/killed_or_injured;
* ``territory_share``: a percentage of a region or country held ("controls 52% of the
  Donetsk region"), with its ``holder``;
* ``quantity``: a count with a unit and an action ("44 square kilometres recaptured",
  "31 drones launched", "23 shot down").

Conventions, so a reader of the numbers knows what they mean:

* "at least N", "more than N", "over N": ``low=N``, ``high=None`` (the stated bound, as
  ACLED codes it); "up to N": ``low=None``, ``high=N``; "about N": ``low=high=N`` with
  ``qualifier="about"``; "between A and B", "A-B": ``low=A``, ``high=B``.
* Vague counts take the least they can mean and no upper bound: "dozens" 24, "scores" 40,
  "hundreds" 200, "thousands" 2,000, "several" 3 (``qualifier="vague"``).
* A figure counted over a period ("since February 2022", "over six months", "in the past
  week", "between 24 February 2022 and 10 September 2023", "so far", "in total") is
  ``cumulative``: ``valid_from``/``valid_to`` bound the period and ``period`` holds its
  words. A cumulative figure is never any event's fatalities. A day's count ("in the past
  24 hours", "in a day") keeps its ``period`` words but is that day's, not cumulative.
* A casualty figure for one event is dated to the day the deaths occurred (its own clause's
  date, "Saturday's attack", not the speech verb's "said on Sunday"), or to the event it
  belongs to; ``valid_from == valid_to`` is that day.
* Figures in a sentence with no place of its own and no event cue of its own continue the
  story of the sentences just before (the place they name, the event told there).
* Event fatalities: deaths only (never killed-and-wounded, never cumulative). Tolls for the
  same event and the same side are revisions of one count: the highest (tolls rise; a live
  blog told newest first says the same) wins and the others are ``superseded``; counts of
  different sides add up. An event with no stated deaths keeps ``fatalities=None``.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from .. import dates as dates_mod
from ..records import (
    Article,
    Claim,
    ClaimKind,
    DateMention,
    Event,
    Holder,
    Mention,
    Modality,
    Side,
    Source,
)
from . import claim_words as cw
from . import lexicon as lx
from .attribution import Attribution, Attributor, known_speaker, modality_for, speaker_side
from .events import BACKGROUND_DAYS, LEAD_LOOKAHEAD, LEAD_MIN_CHARS, find_cues
from .events import _actor_from_tokens as actor_from_tokens
from .events import _metonymic as metonymic
from .events import _refers_back as refers_back
from .events import _river as river
from .syntax import is_irrealis

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# -- number phrases ------------------------------------------------------------------------


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_UNITS = _alt(cw.UNITS_WORDS)
_TENS = _alt(cw.TENS_WORDS)
_CORE = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS})"
_SCALE = r"(?:hundred|thousand|million|billion)"
_WORDNUM = (rf"(?:(?:{_CORE}|an?)(?:\s+{_SCALE})+(?:\s+(?:and\s+)?{_CORE}(?:\s+{_SCALE})*)*"
            rf"|{_CORE}|(?:half\s+)?an?\s+dozen)")
_DIGITS = (r"(?:\d{1,3}(?:[,\u202f\u00a0]\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]?\d)|\d+(?:\.\d+)?)"
           r"(?:\s?(?:thousand|million|billion)\b|k\b)?")
_NUM = rf"(?:{_DIGITS}|{_WORDNUM})"
_VAGUE = _alt(cw.VAGUE_LOW)
_QUAL = _alt((*cw.AT_LEAST, *cw.MORE_THAN, *cw.UP_TO, *cw.ABOUT))
_PHRASE = re.compile(
    rf"(?<![\w.,:/\-–])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|from\s+(?P<a2>{_NUM})\s+to\s+(?P<b2>{_NUM})"
    rf"|(?P<a3>{_DIGITS})\s*(?:-|–)\s*(?P<b3>{_DIGITS})"
    rf"|(?P<a4>{_NUM})\s+(?:to|or)\s+(?P<b4>{_NUM})"
    rf"|(?P<vague>{_VAGUE})|(?P<n>{_NUM}))"
    rf"(?P<pct>\s?(?:%|percent\b|per\s+cent\b))?"
    rf"(?![\w%]|[.,]\d|:\d|-\w)",
    re.I,
)
_NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours?\b|minutes?\b|o'clock|years?\b|months?\b|weeks?\b|"
    r"days?\b|times\b|metres?\b|meters?\b|kilomet(?:re|er)s?\b(?!\s*squared)|km\b|miles?\b|"
    r"mm\b|cm\b|kg\b|tonnes?\b|tons?\b|degrees?\b|st\b|nd\b|rd\b|th\b|th-|per cent of the vote)",
    re.I)
_SQUARE_BEFORE_UNIT = re.compile(r"\s*(?:square|sq\.?)\s+(?:kilomet(?:re|er)s?|km|miles?)\b|"
                                 r"\s*(?:km2|km²)", re.I)
_PARTITIVE = re.compile(r"\s+of\s+(?:them|whom|those|these|the|its|their|our|his|her)\b", re.I)


def parse_number(text: str) -> float | None:
    """The value of a number phrase: "1,200" 1200, "20.000" 20000, "1.2 thousand" 1200,
    "twenty-five" 25, "two hundred and fifty" 250, "a dozen" 12. None if not a number."""
    s = text.strip().lower().replace("\u202f", ",").replace("\u00a0", ",")
    if not s:
        return None
    m = re.fullmatch(r"([\d.,]+)\s?(thousand|million|billion|k)?", s)
    if m:
        raw, scale = m.group(1), m.group(2)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            value = float(re.sub(r"[.,]", "", raw))
        else:
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                return None
        mult = {"thousand": 1e3, "k": 1e3, "million": 1e6, "billion": 1e9}.get(scale or "", 1)
        return value * mult
    if re.fullmatch(r"(?:half\s+)?an?\s+dozen", s):
        return 6 if s.startswith("half") else 12
    total = 0.0
    current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", s):
        if w in ("and",):
            continue
        if w in ("a", "an"):
            current = 1
        elif w in cw.UNITS_WORDS:
            current += cw.UNITS_WORDS[w]
        elif w in cw.TENS_WORDS:
            current += cw.TENS_WORDS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in cw.SCALE_WORDS:
            total += max(current, 1) * cw.SCALE_WORDS[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number phrase as written: its bounds and how the text qualified it."""

    start: int  # character offsets into the text searched
    end: int
    text: str
    low: float | None
    high: float | None
    qualifier: str | None
    percent: bool = False
    value_end: int = 0  # where the numeral itself ends (before "%")


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """Every number phrase in `text` with its bounds (see the module's conventions)."""
    out: list[Figure] = []
    for m in _PHRASE.finditer(text):
        qual = (m.group("qual") or "").lower() or None
        pct = bool(m.group("pct"))
        low: float | None
        high: float | None
        kind: str | None
        if m.group("vague"):
            v = m.group("vague").lower()
            if v in ("several",) and qual:
                continue
            low, high, kind = cw.VAGUE_LOW[v], None, "vague"
        elif m.group("n"):
            raw = m.group("n")
            if re.fullmatch(r"(?:19|20)\d\d", raw) and not pct and not qual:
                continue  # a year
            value = parse_number(raw)
            if value is None:
                continue
            low, high, kind = value, value, None
        else:
            a = m.group("a") or m.group("a2") or m.group("a3") or m.group("a4")
            b = m.group("b") or m.group("b2") or m.group("b3") or m.group("b4")
            va, vb = parse_number(a), parse_number(b)
            if va is None or vb is None:
                continue
            year = re.fullmatch(r"(?:19|20)\d\d", b.strip())
            if (m.group("a3") or m.group("a4")) and (vb <= va or year):
                # "2022-2023", "24-25 February", "10 to 5": no range of counts.
                n = parse_number(a)
                if n is None:
                    continue
                low, high, kind = n, n, None
                end = m.start() + (m.group(0).find(a) + len(a))
                out.append(Figure(offset + m.start(), offset + end, text[m.start():end],
                                  low, high, qual, False, offset + end))
                continue
            low, high, kind = va, vb, "range"
        if qual in cw.AT_LEAST:
            high, kind = None, "at least"
        elif qual in cw.MORE_THAN:
            high, kind = None, "more than"
        elif qual in cw.UP_TO:
            low, kind = None, "up to"
        elif qual in cw.ABOUT:
            kind = "about"
        value_end = m.end("pct") - len(m.group("pct")) if pct else m.end()
        out.append(Figure(offset + m.start(), offset + m.end(), m.group(0), low, high, kind,
                          pct, offset + value_end))
    return out


# -- reading one figure in its sentence ----------------------------------------------------

# A casualty claim's unit says what was counted, so that a claim read back from storage
# tells the dead from the wounded: "people" are the dead (or, with killed_or_injured, the
# dead and wounded together), "wounded" the wounded only.
_CASUALTY_UNIT = {"killed": "people", "wounded": "wounded", "both": "people"}
_ACTION = {"killed": "killed", "wounded": "wounded", "both": "killed_or_injured"}


@dataclass
class _Item:
    kind: str  # casualties | territory_share | quantity
    fig: Figure
    tok: Token  # the numeral's token
    ctype: str | None = None  # killed | wounded | both
    side: str | None = None
    victims: str | None = None
    unit: str | None = None
    action: str | None = None
    holder: str | None = None
    place: Mention | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters start..end (spaCy's "expand" alignment, without its
    walk over the whole document)."""
    starts = doc.user_data.get("_fw_token_starts")
    if starts is None or len(starts) != len(doc):
        starts = doc.user_data["_fw_token_starts"] = [t.idx for t in doc]
    first = max(0, bisect_right(starts, start) - 1)
    last = bisect_left(starts, end)
    if first >= last:
        return None
    return doc[first:last]


def _numeral_token(doc: Doc, fig: Figure) -> Token | None:
    span = char_span(doc, fig.start, fig.value_end)
    if span is None or not len(span):
        return None
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or t.lower_ in cw.VAGUE_LOW
            or t.lower_ in ("dozen", "dozens", "hundreds", "thousands", "scores", "millions")]
    return nums[-1] if nums else span[-1]


def _counted(tok: Token, start: int | None = None) -> Token:
    """The noun a numeral counts: "38 people" -> people, "dozens of civilians" -> civilians.
    `start` is where the figure begins, when known."""
    while tok.dep_ == "conj" and tok.head.pos_ == "NUM" and tok.head.i < tok.i and \
            start is not None and tok.head.idx >= start:
        tok = tok.head  # "between 20.000 and 30.000 soldiers": the range's first number
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("nummod", "quantmod", "compound", "amod") and cur.head.i != cur.i and \
                cur.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "PRON") and not any(
                    t.is_punct for t in cur.doc[min(cur.i, cur.head.i) + 1:
                                                max(cur.i, cur.head.i)]):
            cur = cur.head
            if cur.pos_ != "NUM":
                break
        else:
            break
    if cur.i == tok.i and tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "millions",
                                         "dozen", "several"):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
    if cur.i == tok.i and tok.dep_ == "pobj" and tok.head.lower_ == "of" and \
            tok.head.head.lower_ in ("%",):
        return tok.head.head
    return cur


def _words_after(doc: Doc, tok: Token, n: int = 5) -> list[Token]:
    out: list[Token] = []
    for t in doc[tok.i + 1: min(len(doc), tok.i + 1 + n)]:
        if t.is_punct or t.lower_ in ("of", "including", "among"):
            break
        out.append(t)
    return out


def _type_of_words(words: Sequence[str]) -> str | None:
    ws = [w.lower() for w in words]
    killed = any(w in cw.KILLED_WORDS for w in ws)
    wounded = any(w in cw.WOUNDED_WORDS for w in ws)
    both = any(w in cw.BOTH_WORDS for w in ws)
    if both or (killed and wounded):
        return "both"
    if killed:
        return "killed"
    if wounded:
        return "wounded"
    return None


def _verb_type(verb: Token, counted: Token) -> str | None:
    """What a verb governing a count of people says happened to them."""
    lemma = verb.lemma_.lower()
    low = verb.lower_
    base: str | None = None
    if lemma in cw.KILL_LEMMAS or low in cw.KILLED_WORDS:
        if lemma == "claim" and not any(t.lower_ == "lives" for t in verb.subtree):
            return None
        if lemma in ("eliminate", "liquidate", "neutralize", "neutralise") and \
                counted.lower_ not in cw.MILITARY_NOUNS:
            return None
        base = "killed"
    elif lemma in cw.WOUND_LEMMAS or low in cw.WOUNDED_WORDS:
        base = "wounded"
    elif lemma in cw.LOSE_LEMMAS and counted.lower_ in cw.MILITARY_NOUNS | {"men", "people"}:
        return "both"
    elif lemma == "destroy" and counted.lower_ in cw.MILITARY_NOUNS:
        base = "killed"
    else:
        # "were confirmed dead", "were found dead", "left N dead"
        for c in verb.children:
            if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.lower_ in \
                    cw.KILLED_WORDS | cw.WOUNDED_WORDS:
                return _type_of_words([c.lower_])
        return None
    # "killed or injured", "killed and wounded" sharing one count.
    partners = [c for c in verb.children if c.dep_ == "conj"]
    if verb.dep_ == "conj":
        partners.append(verb.head)
    for p in partners:
        ptype = _type_of_words([p.lower_, p.lemma_])
        between = verb.doc[min(p.i, verb.i) + 1:max(p.i, verb.i)]
        if ptype and ptype != base and len(between) == 1 and between[0].dep_ == "cc" and \
                not _has_own_count(p, counted):
            return "both"
    return base


def _has_own_count(verb: Token, other: Token) -> bool:
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.i != other.i and (
                c.like_num or any(g.dep_ == "nummod" for g in c.children)):
            return True
    return False


def _casualty_type(tok: Token, counted: Token, before: Token | None = None) -> str | None:
    got = _casualty_type_parse(tok, counted)
    if got is None and before is not None and before.pos_ == "VERB" and \
            before.tag_ in ("VBG", "VBD", "VBZ") and \
            before.lemma_ in cw.KILL_LEMMAS | cw.WOUND_LEMMAS and before.lemma_ != "claim":
        # "killing a boy and wounding some 30 people": the verb just before the figure.
        return "killed" if before.lemma_ in cw.KILL_LEMMAS else "wounded"
    return got


def _casualty_type_parse(tok: Token, counted: Token) -> str | None:
    # The counted noun names the toll: "civilian deaths", "injuries", "casualties", "7 dead".
    own = _type_of_words([counted.lower_]) if counted.i != tok.i else None
    if own:
        return own
    # "people killed", "wounded people", "the dead": modifiers of the counted noun.
    mods = [c for c in counted.children if c.dep_ in ("amod", "acl", "relcl", "compound")
            and c.i != tok.i]
    for c in mods:
        t = _type_of_words([c.lower_]) if c.dep_ != "relcl" else _verb_type(c, counted)
        if t:
            return t
    # The words right after: "seven dead", "two injured", "killed or injured".
    after = _words_after(tok.doc, counted if counted.i > tok.i else tok, 5)
    seq = [t for t in after if t.dep_ not in ("aux", "auxpass", "neg") and
           t.lower_ not in ("have", "has", "had", "been", "were", "was", "are", "is", "be")]
    if seq and seq[0].lower_ in cw.KILLED_WORDS | cw.WOUNDED_WORDS | cw.BOTH_WORDS:
        words = [seq[0].lower_]
        if len(seq) > 2 and seq[1].lower_ in ("or", "and") and \
                seq[2].lower_ in cw.KILLED_WORDS | cw.WOUNDED_WORDS:
            words.append(seq[2].lower_)
        elif seq[0].pos_ == "VERB":
            vt = _verb_type(seq[0], counted)
            if vt:
                return vt
        return _type_of_words(words)
    # The verb that has them as subject or object: "38 people died", "killing 50 people".
    head = counted
    if counted.i == tok.i and tok.dep_ == "nummod" and tok.head.i > tok.i + 1:
        head = tok.head  # "increased to two - HQ": a headline's source glued on
    if head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX"):
        return _verb_type(head.head, counted)  # "... died and another 12 [died]"
    if head.dep_ in ("appos",):
        head = head.head
    if head.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "npadvmod"):
        t = _verb_type(head.head, counted)
        if t:
            return t
    if head.dep_ == "pobj":
        prep = head.head
        verb = prep.head
        if prep.lower_ in ("to", "at", "of") and (
                verb.lemma_ in cw.TOLL_LEMMAS or verb.lower_ in cw.TOLL_NOUNS):
            return _toll_type(verb)
        if prep.lower_ == "between":
            return _verb_type(verb, counted)
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        return _toll_type(head.head)
    return None


def _toll_type(verb: Token) -> str | None:
    """"The death toll has risen to 24", "put the toll at 51": a running count, typed by
    the words of the noun phrase naming it."""
    phrases = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if verb.lower_ in cw.TOLL_NOUNS:
        phrases = [verb]
    for p in phrases:
        words = [t.lower_ for t in p.subtree]
        if not set(words) & (cw.TOLL_NOUNS | cw.KILLED_WORDS | cw.WOUNDED_WORDS | cw.BOTH_WORDS):
            continue
        t = _type_of_words(words)
        if t:
            return t
        if "toll" in words:
            return "killed"
    return None


def _whose(counted: Token, spk_side: str | None) -> tuple[str | None, str | None]:
    """(side, victims) of the counted people."""
    if counted.like_num or counted.pos_ == "NUM":
        return None, None
    toks = [t for t in counted.subtree if t.i <= counted.i and t.dep_ != "nummod"]
    toks += [c for c in counted.children if c.dep_ == "prep"]
    toks += [g for c in counted.children if c.dep_ == "prep" and c.lower_ in ("of", "from")
             for g in c.subtree]
    words = {t.lower_.removesuffix("'s").removesuffix("’s") for t in toks}
    military = bool(words & cw.MILITARY_NOUNS)
    civilian = bool(words & cw.CIVILIAN_NOUNS) and not military
    if "civilian" in words or "civilians" in words:
        civilian, military = True, False
    if civilian:
        return "other", "civilians"
    got = actor_from_tokens(toks, spk_side)
    if got is not None and got[0] in ("russia", "ukraine"):
        return got[0], "military"
    if military:
        if counted.lower_ in ("invaders", "occupiers", "orcs", "nazis"):
            return ("russia" if counted.lower_ != "nazis" else "ukraine"), "military"
        return None, "military"
    return None, None


def _person_count(verb: Token) -> int | None:
    """"killing a 10-year-old boy and his grandmother": people named one by one."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        objs.append(verb.head)
    for o in objs:
        chain = [o]
        while True:
            nxt = [c for c in chain[-1].children if c.dep_ == "conj"]
            if not nxt:
                break
            chain.append(nxt[0])
        # "killing a boy and his grandmother", the second parsed as the verb's conjunct
        chain += [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "NOUN" and
                  c.lemma_.lower() in cw.PERSON_SINGULAR and c.i > o.i]
        single = o.dep_ in ("dobj", "nsubjpass") and o.lemma_.lower() in cw.PERSON_SINGULAR \
            and any(c.lower_ in ("a", "an", "one") for c in o.children)
        if len(chain) < 2 and not single:
            continue
        if all(t.lemma_.lower() in cw.PERSON_SINGULAR and t.tag_ in ("NN", "NNP") and
               not any(c.dep_ == "nummod" for c in t.children) for t in chain):
            return len(chain)
    return None


def _content_root(tok: Token) -> Token:
    """The top of the clause a figure is stated in, below any speech verb that reports it."""
    cur = tok
    for _ in range(40):
        head = cur.head
        if head.i == cur.i:
            return cur
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in lx.SPEECH_VERBS and \
                cur.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"):
            return cur
        cur = head
    return cur


def _scope(tok: Token) -> list[Token]:
    root = _content_root(tok)
    return sorted(root.subtree, key=lambda t: t.i)


_PERIOD_RX = re.compile("|".join(cw.PERIOD_MARKERS), re.I)
_ONE_DAY_RX = re.compile(cw.ONE_DAY_PERIOD, re.I)
_RANGE_RX = re.compile(cw.RANGE_PERIOD, re.I)


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


def _claim_id(article_id: str, *parts: object) -> str:
    raw = "|".join([article_id, "claim", *(str(p) for p in parts)])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


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


# -- the sentence pass ---------------------------------------------------------------------


def _items(st: _State, idx: int, sent_ms: list[Mention]) -> list[_Item]:
    sent = st.sents[idx]
    doc = st.doc
    text = st.text
    items: list[_Item] = []
    for fig in find_figures(sent.text, sent.start_char):
        if any(d.start <= fig.start < d.end or fig.start <= d.start < fig.end
               for d in st.dates):
            continue
        after = text[fig.end:fig.end + 24]
        square = bool(_SQUARE_BEFORE_UNIT.match(after))
        if not square and _NOT_A_COUNT_AFTER.match(after) and not fig.percent:
            continue
        tok = _numeral_token(doc, fig)
        if tok is None:
            continue
        if is_irrealis(tok) or any(c.dep_ == "neg" for c in tok.head.children
                                   if tok.head.pos_ in ("VERB", "AUX")):
            continue
        partitive = bool(_PARTITIVE.match(after)) and fig.qualifier != "vague"
        subset = any(a.lower_ in cw.SUBSET_PREPS for a in tok.ancestors
                     if a.i < tok.i and a.dep_ == "prep")
        if fig.percent:
            item = _share(st, fig, tok, sent_ms)
        else:
            item = None
            counted = _counted(tok, fig.start)
            if not (partitive or subset):
                first = char_span(doc, fig.start, fig.value_end)
                before = doc[first.start - 1] if first is not None and first.start > 0 else None
                ctype = _casualty_type(tok, counted, before)
                if ctype is not None:
                    item = _Item("casualties", fig, tok, ctype=ctype)
                    item.side, item.victims = _whose(counted, None)
                    item.unit = _CASUALTY_UNIT[ctype]
                    if item.side is None and counted.dep_ == "dobj" and \
                            counted.head.lemma_ in cw.LOSE_LEMMAS:
                        # "Russia lost 800 soldiers": the loser's own.
                        subj = [t for c in counted.head.children if c.dep_ == "nsubj"
                                for t in c.subtree]
                        got = actor_from_tokens(subj, None) if subj else None
                        item.side = got[0] if got else None
            if item is None and not subset:
                item = _quantity(st, fig, tok, counted, square, partitive, items)
        if item is None:
            continue
        item.low, item.high, item.qualifier = fig.low, fig.high, fig.qualifier
        items.append(item)
    items += _people_named(st, sent, items)
    return _merge_increments(_parallel(items, st, sent))


def _share(st: _State, fig: Figure, tok: Token, sent_ms: list[Mention]) -> _Item | None:
    counted = _counted(tok, fig.start)
    scope = _scope(tok)
    verbs = [a for a in counted.ancestors if a.pos_ in ("VERB", "AUX")][:2]
    verbs += [t for t in scope if t.lemma_ in cw.CONTROL_LEMMAS and t.pos_ in ("VERB", "NOUN")
              and abs(t.i - tok.i) <= 8]
    control = next((v for v in verbs if v.lemma_ in cw.CONTROL_LEMMAS), None)
    if control is None:
        return None
    # The region or country the share is of: "52% of the area of the Donetsk region".
    of_toks = [g for c in counted.children if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.subtree]
    lo = min((t.idx for t in of_toks), default=fig.end)
    hi = max((t.idx + len(t.text) for t in of_toks), default=fig.end + 60)
    sent_ms = [m for m in sent_ms if _place_ok(st, m)]
    where = [m for m in sent_ms if lo <= m.start < hi] or [
        m for m in sent_ms if m.start >= fig.end][:1]
    item = _Item("territory_share", fig, tok, unit="percent")
    item.place = next((m for m in where if m.place.kind == "region"), None) or (
        where[0] if where else None)
    item.action = control.lemma_
    subj = [c for c in control.children if c.dep_ in ("nsubj", "agent")]
    holder_toks = [t for s in subj for t in s.subtree]
    got = actor_from_tokens(holder_toks, None) if holder_toks else None
    if got is None:
        got = actor_from_tokens([t for t in control.children if t.dep_ in ("prep", "amod")], None)
    side = got[0] if got else None
    if side is not None and control.lemma_ in cw.LOSS_LEMMAS:
        side = "ukraine" if side == "russia" else "russia"
    item.holder = item.side = side
    return item


def _quantity(st: _State, fig: Figure, tok: Token, counted: Token, square: bool,
              partitive: bool, earlier: list[_Item]) -> _Item | None:
    unit: str | None = None
    if square:
        nxt = st.text[fig.end:fig.end + 24].lower()
        unit = "mi2" if "mile" in nxt else "km2"
    elif partitive:
        prev = [i for i in earlier if i.kind == "quantity"]
        unit = prev[-1].unit if prev else None
    else:
        noun = counted if counted.i != tok.i else None
        if noun is not None:
            unit = cw.UNIT_OF_NOUN.get(noun.lower_) or cw.UNIT_OF_NOUN.get(noun.lemma_.lower())
            if unit is None:
                unit = next((cw.UNIT_OF_NOUN[c.lower_] for c in noun.children
                             if c.dep_ == "compound" and c.lower_ in cw.UNIT_OF_NOUN), None)
    if unit is None:
        return None
    # The verbs over the counted thing say what happened to it: "launched 31 drones",
    # "23 of them were shot down", "the total recaptured ... to 44 square kilometres".
    ups = list(counted.ancestors)[:4] if counted.i != tok.i else list(tok.ancestors)[:4]
    scope = ups + [c for a in ups[:2] for c in a.children if c.dep_ in ("prt", "acl", "amod")]
    if counted.i != tok.i:
        scope += [c for c in counted.children if c.dep_ in ("acl", "amod", "relcl")]
    action = _action(tok, scope)
    if action is None:
        # A parse gone astray: the nearest verb just before the figure.
        action = _action(tok, [t for t in tok.doc[max(0, tok.i - 6):tok.i]
                               if t.pos_ == "VERB"])
    if action is None:
        return None
    item = _Item("quantity", fig, tok, unit=unit, action=action)
    if unit in ("settlements", "km2", "mi2", "ha"):
        verb = next((t for t in _scope(tok) if t.lemma_.lower() in cw.ACTION_OF_LEMMA and
                     cw.ACTION_OF_LEMMA[t.lemma_.lower()] == action), None)
        toks = [t for c in (verb.children if verb is not None else ())
                if c.dep_ in ("nsubj", "agent") for t in c.subtree]
        got = actor_from_tokens(toks, None) if toks else None
        item.holder = got[0] if got else None
    return item


def _action(tok: Token, scope: Sequence[Token]) -> str | None:
    """The nearest action word of the figure's clause: "launched", "shot down", "retaking"."""
    best: tuple[int, str] | None = None
    for t in scope:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "NOUN", "ADJ", "ADP", "ADV") or lemma not in cw.ACTION_OF_LEMMA:
            continue
        if lemma in ("down",) and t.head.lemma_ != "shoot":
            continue
        act = cw.ACTION_OF_LEMMA[lemma]
        if lemma == "shoot" and not any(c.lower_ == "down" for c in t.children):
            continue
        dist = abs(t.i - tok.i)
        if best is None or dist < best[0]:
            best = (dist, act)
    return best[1] if best else None


def _people_named(st: _State, sent: Span, found: list[_Item]) -> list[_Item]:
    """Deaths told person by person: "killing a boy and his grandmother" is two dead."""
    out: list[_Item] = []
    for t in sent:
        if t.pos_ != "VERB":
            continue
        vt = _verb_type(t, t)
        if vt not in ("killed", "wounded"):
            continue
        if any(f.tok.head.i == t.i or f.tok.head.head.i == t.i for f in found):
            continue
        n = _person_count(t)
        if n is None:
            continue
        lo = min(x.idx for x in t.subtree)
        hi = max(x.idx + len(x.text) for x in t.subtree)
        fig = Figure(lo, hi, st.text[lo:hi], n, n, None, False, hi)
        item = _Item("casualties", fig, t, ctype=vt, unit=_CASUALTY_UNIT[vt], low=n, high=n)
        item.side, item.victims = "other", "civilians"
        out.append(item)
    return out


def _parallel(items: list[_Item], st: _State, sent: Span) -> list[_Item]:
    """"put the toll at 51 ... and at 52 the following day": a bare figure in the same
    preposition as a toll just read is the same toll, revised."""
    done = list(items)
    typed = [i for i in items if i.kind == "casualties" and i.tok.dep_ == "pobj"]
    if not typed:
        return done
    for fig in find_figures(sent.text, sent.start_char):
        if any(i.fig.start == fig.start for i in items) or fig.percent:
            continue
        tok = _numeral_token(st.doc, fig)
        if tok is None or tok.dep_ != "pobj":
            continue
        before = st.text[max(0, fig.start - 12):fig.start].lower()
        src = next((i for i in typed if i.tok.head.lower_ == tok.head.lower_ and
                    re.search(r"\b(and|then|,)\s+" + re.escape(tok.head.lower_) + r"\s+$",
                              before)), None)
        if src is None:
            continue
        it = _Item("casualties", fig, tok, ctype=src.ctype, side=src.side,
                   victims=src.victims, unit=src.unit, low=fig.low, high=fig.high,
                   qualifier=fig.qualifier)
        done.append(it)
    return sorted(done, key=lambda i: i.fig.start)


def _merge_increments(items: list[_Item]) -> list[_Item]:
    """"38 people died at the station and another 12 in hospital": one toll of 50."""
    out: list[_Item] = []
    for it in items:
        doc = it.tok.doc
        prev_word = doc[it.tok.i - 1].lower_ if it.tok.i > 0 else ""
        increment = prev_word in ("another", "further", "additional") or any(
            c.lower_ in ("another", "further", "additional") for c in it.tok.children)
        base = next((o for o in reversed(out) if o.kind == "casualties"), None)
        if increment and base is not None and it.kind in ("casualties", "quantity") and (
                it.ctype in (None, base.ctype)) and base.low is not None and it.low is not None:
            base.low += it.low
            if base.high is not None and it.high is not None:
                base.high += it.high
            base.fig = replace(base.fig, end=max(base.fig.end, it.fig.end))
            continue
        if it.kind == "quantity" and increment:
            continue
        out.append(it)
    return out


# -- building claims -----------------------------------------------------------------------


def _sentence_place(st: _State, idx: int, item: _Item, sent_ms: list[Mention],
                    spk: list[tuple[int, int]]) -> Mention | None:
    if item.place is not None:
        return item.place
    ms = [m for m in sent_ms if not any(a <= m.start < b for a, b in spk) and
          _place_ok(st, m)]
    scope = _scope(item.tok)
    if scope:
        lo, hi = scope[0].idx, scope[-1].idx + len(scope[-1].text)
        inside = [m for m in ms if lo <= m.start < hi]
        ms = inside or ms
    settlements = [m for m in ms if m.place.kind == "settlement"]
    regions = [m for m in ms if m.place.kind == "region"]
    # A country is a place only where something happened in it ("in Ukraine"); as a
    # subject ("Russia fired") it is an actor.
    countries = [m for m in ms if m.place.kind == "country" and _locative(st.doc, m)]
    pool = settlements or regions or countries
    if not pool:
        return None
    return min(pool, key=lambda m: abs(m.start - item.fig.start))


def _locative(doc: Doc, m: Mention) -> bool:
    span = char_span(doc, m.start, m.end)
    if span is None:
        return False
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in ("in", "across", "throughout", "inside",
                                                         "within", "over")


def _inherited_place(st: _State, idx: int) -> Mention | None:
    """The place the story was at in the sentences just before (same paragraph first)."""
    para = st.para_of.get(idx)
    for j in range(idx - 1, max(-1, idx - 5), -1):
        if st.para_of.get(j) not in (para, (para or 0) - 1) and j < idx - 1:
            break
        s = st.sents[j]
        spk = st.attributor().speaker_spans(s)
        ms = [m for m in st.mentions if s.start_char <= m.start < s.end_char and
              m.place.kind != "country" and not any(a <= m.start < b for a, b in spk) and
              _place_ok(st, m)]
        settlements = [m for m in ms if m.place.kind == "settlement"]
        if settlements or ms:
            return (settlements or ms)[-1]
    if st.last_toll is not None and (para or 0) - st.last_toll[0] <= 2:
        return st.last_toll[1]  # the story's tolls go on: "Earlier in the day ... gave a toll"
    return None


def _own_event_cue(sent: Span) -> bool:
    """A sentence telling an event of its own ("Russia fired 150 missiles ..., killing
    dozens"), not continuing one already told ("the attack", a toll)."""
    for f in find_cues(sent):
        if refers_back(f.tok) or f.tok.lemma_ in cw.KILL_LEMMAS | cw.WOUND_LEMMAS or \
                f.tok.pos_ != "VERB":
            continue  # a weapon named ("an S-300 missile") tells no new event
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in f.tok.children):
            continue
        objs = [c for c in f.tok.children if c.dep_ == "dobj"] + [
            g for c in f.tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if f.tok.pos_ == "VERB" and objs and all(
                o.tag_ == "NN" and any(d.dep_ == "det" and d.lower_ in ("the", "this", "that")
                                       for d in o.children) for o in objs):
            continue  # "two rockets had hit the station": the station already told
        return True
    return False


def _claim_date(st: _State, idx: int, item: _Item) -> tuple[date | None, int | None]:
    scope = _scope(item.tok)
    found = _dates_in(st, scope)
    if found:
        best = min(found, key=lambda d: (d.precision, abs(d.start - item.fig.start)))
        return best.value, best.precision
    return None, None


def _fallback_date(st: _State, idx: int, origin: Source | None, state_claim: bool
                   ) -> tuple[date | None, int | None]:
    published = st.article.published
    if state_claim:
        # A share or a count holds on the day it was stated: "said on Tuesday that ...".
        said = _speaker_date(st, idx, st.sents[idx])
        if said is not None:
            return said
    if state_claim and origin is not None:
        # The day the same speaker was last quoted with a date.
        for j in range(idx - 1, max(-1, idx - 12), -1):
            prev = st.attributor().for_sentence(st.sents[j]).origin
            day = _speaker_date(st, j, st.sents[j])
            if prev is not None and prev.name == origin.name and day is not None:
                return day
    para = st.para_of.get(idx)
    for j in range(idx - 1, -1, -1):
        if st.para_of.get(j) != para:
            break
        days = [d for d in st.dates if st.sents[j].start_char <= d.start < st.sents[j].end_char
                and d.precision == 1]
        if days:
            return days[-1].value, 1
    if published is None:
        return None, None
    return published, 2


def _compatible(ev_date: date | None, value: date | None, precision: int | None) -> bool:
    if value is None or ev_date is None:
        return True
    if precision == 1:
        return ev_date == value
    if precision == 2:
        return -7 <= (ev_date - value).days <= 7
    return ev_date.year == value.year and ev_date.month == value.month


_VIOLENT = frozenset({lx.SHELLING, lx.AIR, lx.IED, lx.CLASH, lx.ATTACK,
                      "Attack", "Suicide bomb", "Grenade"})


def _best_event(events: Sequence[Event], place: Mention | None, sent: Span,
                value: date | None, precision: int | None,
                story: dict[int, str] | None = None) -> Event | None:
    cands: list[tuple[tuple[object, ...], Event]] = []
    for ev in events:
        same_sent = sent.start_char <= ev.evidence_start < sent.end_char
        same_place = place is not None and ev.location.place.geonameid == place.place.geonameid
        if not (same_place or (same_sent and place is None)):
            continue
        if not _compatible(ev.event_date, value, precision):
            continue
        after = ev.evidence_start > sent.end_char
        told = story is not None and story.get(ev.location.place.geonameid) == ev.event_id
        # The most precisely dated account first (a toll of "last week's strike" is the
        # strike dated to the day elsewhere), then the sentence's own event, then the event
        # the place's earlier tolls were of.
        key = (ev.sub_event_type not in _VIOLENT, ev.time_precision or 9, not same_sent,
               not told, after, abs(ev.evidence_start - sent.start_char))
        cands.append((key, ev))
    if not cands:
        return None
    return min(cands, key=lambda c: c[0])[1]


def _build(st: _State, idx: int, item: _Item, events: Sequence[Event], sent_ms: list[Mention]
           ) -> Claim:
    sent = st.sents[idx]
    art = st.article
    att = _attribution(st, idx, item.tok)
    spk_side = speaker_side(att.origin)
    spk = st.attributor().speaker_spans(sent)
    if item.kind == "casualties" and item.side is None and item.victims == "military":
        item.side, item.victims = _whose(_counted(item.tok, item.fig.start), spk_side)
    if item.kind == "quantity" and item.holder is None and item.action in (
            "liberated", "recaptured") and spk_side in ("russia", "ukraine"):
        item.holder = spk_side  # each side announces its own liberations
    scope = _scope(item.tok)
    period = _period(st, scope, item.tok, art.published)
    place = _sentence_place(st, idx, item, sent_ms, spk)
    value, precision = _claim_date(st, idx, item)
    event: Event | None = None
    # A day's count ("in the past 24 hours", "in a day") is that day's; only longer
    # periods are cumulative.
    one_day = period is not None and period[1] is not None and period[1] == period[2]
    cumulative = period is not None and not one_day
    if one_day and period is not None and value is None:
        value, precision = period[1], period[3]
    if item.kind == "casualties" and not cumulative:
        if place is None and not _own_event_cue(sent):
            place = _inherited_place(st, idx)
        event = _best_event(events, place, sent, value, precision, st.story)
        if place is not None:
            st.last_toll = (st.para_of.get(idx, 0), place)
        if event is not None:
            st.story.setdefault(event.location.place.geonameid, event.event_id)
            if place is None:
                place = event.location
            if value is None or (precision or 9) > (event.time_precision or 9):
                value, precision = event.event_date, event.time_precision
    if value is None and period is None:
        value, precision = _fallback_date(st, idx, att.origin, item.kind != "casualties")
    sources: tuple[Source, ...] = att.sources
    modality = cast(Modality, modality_for(att))
    if event is not None and sent.start_char <= event.evidence_start < sent.end_char and \
            event.sources and not att.sources:
        sources, modality = event.sources, event.modality
    if not sources and art.outlet:
        sources = (Source(art.outlet, "media"),)
    text = sent.text.strip()
    start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
    valid_from: date | None
    valid_to: date | None
    if period is not None:
        words, valid_from, valid_to, precision = period
    else:
        words, valid_from, valid_to = None, value, value
    background = False
    if not period and value is not None and art.published is not None and \
            (art.published - value).days > BACKGROUND_DAYS + (30 if precision == 3 else 0):
        background = True
    return Claim(
        claim_id=_claim_id(art.id, item.kind, item.fig.start, item.low, item.high, item.unit),
        article_id=art.id, article=art.name, kind=cast(ClaimKind, item.kind),
        evidence=text, evidence_start=start, evidence_end=start + len(text),
        place=place.place if place is not None else None,
        side=cast(Side | None, item.side), holder=cast(Holder | None, item.holder),
        low=item.low, high=item.high, unit=item.unit,
        killed_or_injured=item.ctype == "both",
        valid_from=valid_from, valid_to=valid_to, as_of=art.published,
        date_precision=precision, background=background, modality=modality,
        sources=sources, qualifier=item.qualifier, cumulative=cumulative,
        period=words, victims=item.victims,
        action=item.action if item.kind != "casualties" else _ACTION.get(item.ctype or ""),
        event_id=event.event_id if event is not None else None,
    )


# -- fatalities ----------------------------------------------------------------------------


def _toll(c: Claim) -> float:
    return c.low if c.low is not None else (c.high or 0.0)


def attach_fatalities(events: Sequence[Event], claims: Sequence[Claim]
                      ) -> tuple[list[Event], list[Claim]]:
    """Each event's deaths from the claims that belong to it, and the superseded tolls.

    Deaths only, never killed-and-wounded figures nor cumulative ones. Tolls of the same
    side for one event are revisions: the highest wins, the rest are superseded. Different
    sides' dead add up. Events with no stated deaths keep None."""
    by_event: dict[str, list[Claim]] = {}
    for c in claims:
        if c.kind == "casualties" and c.event_id and not c.cumulative and \
                c.unit == "people" and not c.killed_or_injured:
            by_event.setdefault(c.event_id, []).append(c)
    superseded: set[str] = set()
    deaths: dict[str, int] = {}
    for eid, cs in by_event.items():
        # One statement may break the dead down by side ("3 soldiers and 2 civilians"):
        # those add up. Statements about the same event revise one another: the highest
        # total wins.
        per_sentence: dict[int, dict[str, Claim]] = {}
        for c in cs:
            key = c.side if c.side in ("russia", "ukraine") else "other"
            groups = per_sentence.setdefault(c.evidence_start, {})
            if key not in groups or _toll(c) > _toll(groups[key]):
                groups[key] = c
        totals = {start: sum(int(_toll(c)) for c in g.values())
                  for start, g in per_sentence.items()}
        best_start = max(totals, key=lambda k: (totals[k], k))
        deaths[eid] = totals[best_start]
        superseded.update(c.claim_id for c in cs if totals[c.evidence_start] <
                          totals[best_start])
    out_events = [replace(ev, fatalities=deaths.get(ev.event_id, ev.fatalities))
                  for ev in events]
    out_claims = [replace(c, superseded=True) if c.claim_id in superseded else c
                  for c in claims]
    return out_events, out_claims


# -- entry point ---------------------------------------------------------------------------


def extract_claims(doc: Doc, article: Article, mentions: Sequence[Mention],
                   dates: Sequence[DateMention], events: Sequence[Event],
                   descriptions: Sequence[tuple[int, int]] = ()
                   ) -> tuple[list[Event], list[Claim]]:
    """The article's quantified claims, and its events with their fatalities set."""
    sents = list(doc.sents)
    st = _State(
        article=article, doc=doc,
        mentions=[m for m in mentions if not any(a <= m.start < b for a, b in descriptions)],
        dates=dates, spans=(), sents=sents, text=doc.text)
    st.spans = dates_mod.find_date_spans(st.text, article.published)
    para, para_end = -1, -1
    for i, s in enumerate(sents):
        if s.start_char > para_end:
            para += 1
            para_end = _para_end(st, s)
            if st.lead_para < 0 and s.start_char > 0 and para_end - s.start_char >= LEAD_MIN_CHARS:
                st.lead_para = para
        st.para_of[i] = para
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, s in enumerate(sents):
        sent_ms = [m for m in st.mentions if s.start_char <= m.start < s.end_char]
        items = _items(st, i, sent_ms)
        for item in items:
            claim = _build(st, i, item, events, sent_ms)
            if claim.claim_id in seen:
                continue
            seen.add(claim.claim_id)
            claims.append(claim)
    out_events, out_claims = attach_fatalities(events, claims)
    return out_events, out_claims
