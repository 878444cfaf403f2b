"""Who says so: speakers, their affiliation, channel and relay chains, per sentence.

Works over a parsed spaCy Doc. A sentence's sources are the speakers of the speech verbs
in it (origin first, relays after), or, for a sentence inside a quotation, the speaker the
paragraph gives the quotation to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from ..nlp import doc_text, sentences
from ..places.admin import ADMIN1
from ..records import Affiliation, Source
from . import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_GOV_WORDS = frozenset(
    {"minister", "ministry", "official", "officials", "commander", "general", "governor",
     "head", "spokesman", "spokeswoman", "spokesperson", "military", "president", "deputy",
     "chief", "mayor", "staff", "administration", "authorities", "government", "army",
     "command", "forces", "lieutenant", "colonel", "service", "services", "intelligence",
     "navy", "guard", "police", "prosecutor", "ombudsman", "office", "adviser", "advisor",
     "secretary", "council", "parliament", "lawmaker", "mp"}
)
_WESTERN_WORDS = frozenset(
    {"western", "west", "uk", "u.k.", "british", "britain", "us", "u.s.", "american",
     "european", "nato", "pentagon", "french", "german", "washington", "london", "eu"}
)
_UA_WORDS = frozenset({"ukrainian", "ukraine", "ukraine's", "kyiv", "kiev", "ukrainians"})
_RU_WORDS = frozenset({"russian", "russia", "russia's", "moscow", "kremlin", "russians"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_ANY = frozenset({"they", "it", "one", "who"})

# Region names by country, for officials named by office ("the governor of Donetsk region").
_REGION_SIDE: dict[str, str] = {
    n.lower(): a.code[:2] for a in ADMIN1 for n in a.names if n.isascii() and " " not in n
}
_ROLE_WORDS = frozenset({"governor", "head", "mayor", "chief", "commander", "spokesman",
                         "spokeswoman", "spokesperson", "administration", "official"})
# A headline's source after a dash: "... kills at least 50 - Ukrainian officials".
_DASH_SOURCE = re.compile(r"\s[-–—]\s+(?P<np>[A-Za-z][^-–—.!?\d]{1,60}?)\s*$")
_TRAILING = re.compile(
    r",\s+(?P<np>[^,;:“”\"]{3,120}?)\s+(?P<verb>claims|claimed|says|said|reports|reported|"
    r"writes|wrote|adds|added)\s*[.!]?\s*$", re.I)
_QUOTE_PAIRS = re.compile(r"“[^”]{1,4000}”|\"[^\"\n]{1,4000}\"|«[^»]{1,4000}»")


@dataclass(frozen=True, slots=True)
class Attribution:
    sources: tuple[Source, ...] = ()
    verb: str | None = None  # lemma of the speech verb of the origin
    hedged: bool = False

    @property
    def origin(self) -> Source | None:
        return self.sources[0] if self.sources else None


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_PAIRS.finditer(text)]


def _inside(start: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < start < b for a, b in spans)


def _clean_name(text: str) -> str:
    words = text.strip(" ,.;:“”\"'").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    name = " ".join(words)
    return re.sub(r"['’]s$", "", name)


_ALIASES: tuple[tuple[re.Pattern[str], lx.Speaker], ...] = tuple(
    (re.compile(r"(?<![\w.])" + re.escape(alias) + r"(?![\w])"), sp)
    for sp in lx.SPEAKERS
    for alias in (sp.name.lower(), *sp.aliases)
)


def known_speaker(np_text: str) -> lx.Speaker | None:
    low = " " + re.sub(r"\s+", " ", np_text.lower()).replace("’", "'") + " "
    for pattern, sp in _ALIASES:
        if pattern.search(low):
            return sp
    return None


def classify_speaker(np_text: str, person: str | None = None) -> Source:
    """Turn a speaker noun phrase into a Source with a canonical name and affiliation."""
    low = " " + re.sub(r"\s+", " ", np_text.lower()) + " "
    sp = known_speaker(np_text)
    if sp is not None:
        return Source(sp.name, cast(Affiliation, sp.affiliation))
    words = set(re.findall(r"[\w.'’-]+", low))
    words |= {part for w in words if "-" in w for part in w.split("-")}  # "russian-installed"
    ua = bool(words & _UA_WORDS)
    ru = bool(words & _RU_WORDS)
    gov = bool(words & _GOV_WORDS)
    aff: str
    if "blogger" in low or "milblogger" in low or "war correspondent" in low:
        aff = "military_blogger"
    elif words & {"soldier", "serviceman", "servicemen", "fighter", "soldiers", "marine",
                  "paratrooper", "gunner", "sniper", "medic", "volunteer"}:
        aff = "soldier"
    elif "think tank" in low or "institute" in low or words & {"analyst", "analysts", "expert",
                                                                "experts"}:
        aff = "think_tank"
    elif words & _WESTERN_WORDS and not (ua or ru):
        aff = "western_gov"
    elif ua and gov:
        aff = "ukraine_gov"
    elif ru and gov:
        aff = "russia_gov"
    elif gov and (region := _region_country(words)) is not None:
        aff = "ukraine_gov" if region == "UA" else "russia_gov"
    elif words & {"newspaper", "outlet", "agency", "media", "journalist", "correspondent",
                  "reporter", "tv", "channel", "press"}:
        aff = "media"
    elif words & _WESTERN_WORDS:
        aff = "western_gov"
    elif ua:
        aff = "ukraine_gov" if person is None else "other"
    elif ru:
        aff = "russia_gov" if person is None else "other"
    else:
        aff = "other"
    if person:
        name = _clean_name(person)
    else:
        name = _clean_name(np_text)
        if aff == "soldier" and not name.endswith("s") and not name.lower().startswith("a "):
            name = "a " + name
    return Source(name, cast(Affiliation, aff))


def _region_country(words: set[str]) -> str | None:
    for w in words:
        country = _REGION_SIDE.get(w)
        if country in ("UA", "RU"):
            return country
    return None


def _channel(tokens: Sequence[Token]) -> str | None:
    for t in tokens:
        key = t.lower_
        if key in lx.CHANNELS and (t.text[0].isupper() or key in {"briefing", "statement"}):
            return lx.CHANNELS[key]
    return None


def _speaker_np(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return child
    # "reports the BBC", "claims Valery Zaluzhny": inverted subject.
    for child in verb.children:
        if child.dep_ in ("dobj", "attr", "npadvmod") and child.i > verb.i and (
            child.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or child.pos_ == "PROPN"
        ):
            return child
    if verb.dep_ == "conj" and verb.head.lemma_ in lx.SPEECH_VERBS:
        return _speaker_np(verb.head)
    return None


def _np_span(head: Token) -> tuple[int, int]:
    # The subject's subtree minus relative clauses and trailing appositive chatter.
    toks = [t for t in head.subtree if not any(a.dep_ in ("relcl", "acl") and a != head
                                               for a in t.ancestors if a in head.subtree)]
    return min(t.i for t in toks), max(t.i for t in toks) + 1


class Attributor:
    """Resolves sentence sources across a document, remembering recent speakers."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.quotes = quote_spans(doc_text(doc))
        self.last_person: Source | None = None
        self.last_body: Source | None = None
        self.last_think_tank: Source | None = None
        self._sentences = sentences(doc)
        self._index = {s.start: i for i, s in enumerate(self._sentences)}  # by first token
        self._by_sentence: dict[int, Attribution] = {}
        self._speaker_spans: dict[int, list[tuple[int, int]]] = {}
        # (sentence index, person source, the words describing them) for role coreference
        self._persons: list[tuple[int, Source, str]] = []
        self._verb_sources: dict[int, tuple[Source, str]] = {}  # speech verb -> speaker
        self._resolve_all()
        self._name_roles()

    def for_sentence(self, sent: Span) -> Attribution:
        return self._by_sentence.get(sent.start, Attribution())

    def following(self, sent: Span, within: int, until_char: int | None = None
                  ) -> Attribution:
        """The first official source speaking in the `within` sentences after `sent`
        (and before `until_char`, the end of its paragraph)."""
        idx = self._index.get(sent.start)
        if idx is None:
            return Attribution()
        for nxt in self._sentences[idx + 1: idx + 1 + within]:
            if until_char is not None and nxt.start_char > until_char:
                break
            att = self._by_sentence.get(nxt.start)
            if att is not None and att.origin is not None and att.origin.affiliation in (
                    "ukraine_gov", "russia_gov", "western_gov"):
                return Attribution(sources=(replace(att.origin, quote=False),), verb="say")
        return Attribution()

    def for_token(self, tok: Token, att: Attribution) -> Attribution:
        """The sentence's attribution narrowed to the speakers whose speech verb governs
        `tok`: in "Moscow claimed its troops had captured X; Ukraine has not confirmed
        the loss", only Moscow says X was captured."""
        # A semicolon ends a speaker's reach, whatever the parser made of it.
        heads = [a.i for a in tok.ancestors if a.i in self._verb_sources and not any(
            t.text == ";" for t in self.doc[min(a.i, tok.i):max(a.i, tok.i)])]
        governing = [self._verb_sources[i] for i in heads]
        if not governing or len(att.sources) < 2:
            return att
        # "ISW, citing Russian milbloggers, relays claims that ...": the cited speak first.
        cited = [self._verb_sources[v] for v in self._verb_sources
                 if self._verb_sources[v][1] in ("cite", "quote") and
                 self.doc[v].head.i in heads]
        governing = cited + governing
        own = governing[0][0]
        names = {src.name for src, _ in governing}
        by_verb = {src.name for src, _ in self._verb_sources.values()}
        # "According to ISW, ..." and other verbless attributions cover the sentence.
        keep = [s for s in att.sources if s.name in names or s.name not in by_verb]
        if not keep or (keep[0].name == own.name and len(keep) == len(att.sources)):
            return att
        origin = next((s for s in keep if s.name == own.name), keep[0])
        rest = [s for s in keep if s is not origin]
        origin = replace(origin, relayed_by=rest[0].name if rest else None)
        return replace(att, sources=(origin, *rest), verb=governing[0][1])

    def speaker_spans(self, sent: Span) -> list[tuple[int, int]]:
        """Character spans of the speaker phrases in `sent`."""
        return self._speaker_spans.get(sent.start, [])

    # -- internals ---------------------------------------------------------------------

    def _resolve_all(self) -> None:
        paragraph_speaker: Attribution | None = None
        para_end = -1
        pending_quotes: list[int] = []
        for idx, sent in enumerate(self._sentences):
            if sent.start_char > para_end:
                # A new paragraph: earlier quotations with no speaker get none.
                para_end = doc_text(self.doc).find("\n\n", sent.start_char)
                para_end = len(doc_text(self.doc)) if para_end < 0 else para_end
                paragraph_speaker = None
                pending_quotes = []
            att = self._own(sent, idx)
            in_quote = _inside(sent.start_char + 1, self.quotes) or sent.text.lstrip().startswith(
                ("“", '"', "«"))
            if att.sources:
                if in_quote or any(q[0] >= sent.start_char and q[1] <= sent.end_char
                                   for q in self.quotes):
                    att = replace(att, sources=tuple(replace(s, quote=True) for s in att.sources))
                    for p in pending_quotes:
                        self._by_sentence[p] = att
                    pending_quotes = []
                    paragraph_speaker = att
                self._by_sentence[sent.start] = att
            elif in_quote:
                if paragraph_speaker is not None:
                    self._by_sentence[sent.start] = paragraph_speaker
                else:
                    pending_quotes.append(sent.start)

    def _name_roles(self) -> None:
        """Give an office its holder: "the governor of Donetsk region said" becomes Pavlo
        Kyrylenko when a nearby sentence names him as head of the Donetsk administration."""
        for start, att in list(self._by_sentence.items()):
            if not att.sources:
                continue
            origin = att.sources[0]
            words = set(re.findall(r"[\w'’-]+", origin.name.lower()))
            if not words & _ROLE_WORDS or known_speaker(origin.name) is not None:
                continue
            keys = [w for w in words if w in _REGION_SIDE]
            if not keys:
                continue
            idx = self._index.get(start, -99)
            holder = next((p for i, p, desc in sorted(self._persons,
                                                      key=lambda x: abs(x[0] - idx))
                           if abs(i - idx) <= 3 and all(k in desc for k in keys)
                           and re.search(r"\b(head|heads|governor|chief|mayor|administration"
                                         r"|commander)\b", desc)), None)
            if holder is None:
                continue
            named = replace(holder, channel=origin.channel,
                            quote=origin.quote, relayed_by=origin.relayed_by)
            self._by_sentence[start] = replace(att, sources=(named, *att.sources[1:]))

    def _own(self, sent: Span, idx: int) -> Attribution:
        found: list[tuple[int, Source, str]] = []  # (depth, source, verb lemma)
        hedged = any(t.lower_ in lx.HEDGES for t in sent)
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < sent.end and \
                    self.doc[tok.i + 1].lower_ == "to":
                objs = [c for c in self.doc[tok.i + 1].children if c.dep_ == "pobj"]
                if objs:
                    src = self._source_for(objs[0], sent, idx)
                    if src:
                        found.append((0, src, "report"))
                continue
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_ not in lx.SPEECH_VERBS:
                continue
            if _inside(tok.idx, self.quotes):
                continue
            if tok.lemma_ == "show" and not any(c.dep_ == "nsubj" and c.lower_ in
                                                ("video", "videos", "footage", "images")
                                                for c in tok.children):
                continue
            np = _speaker_np(tok)
            if tok.lemma_ in ("cite", "quote"):
                # "ISW, citing Russian milbloggers, ...": the one cited is the origin.
                np = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if np is None:
                continue
            src = self._source_for(np, sent, idx, verb=tok)
            if src is None:
                continue
            depth = sum(1 for _ in tok.ancestors) + 1
            found.append((depth, src, tok.lemma_))
            self._verb_sources[tok.i] = (src, tok.lemma_)
        if not found:
            fallback = self._trailing_attribution(sent, idx)
            if fallback is not None:
                found.append(fallback)
        if not found:
            return Attribution(hedged=hedged)
        # The deepest speech verb is the origin; the ones above it relay it.
        found.sort(key=lambda f: -f[0])
        origin = found[0]
        relays = [f[1] for f in found[1:] if f[1].name != origin[1].name]
        sources = [replace(origin[1], relayed_by=relays[0].name if relays else None)]
        sources.extend(relays)
        return Attribution(sources=tuple(sources), verb=origin[2], hedged=hedged)

    def _source_for(self, np: Token, sent: Span, idx: int,
                    verb: Token | None = None) -> Source | None:
        low = np.lower_
        if low in _PRONOUNS_PERSON:
            return self.last_person or self.last_body
        if low in _PRONOUNS_ANY:
            if low == "one" and verb is not None:
                # "..., with one saying that ...": one of the speakers just named.
                prior = self._own_sources_before(sent, np.i)
                if prior:
                    return prior
            return self.last_body or self.last_person
        start, end = _np_span(np)
        span = self.doc[start:end]
        if len(span) > 25:
            return None
        self._speaker_spans.setdefault(sent.start, []).append(
            (span.start_char, span.end_char))
        # The first person named is the speaker; later ones are in their description.
        person = next((ent.text for ent in span.ents if ent.label_ == "PERSON"), None)
        text = span.text
        src = classify_speaker(text, person)
        if person is None and src.name and "think tank" in text.lower() and self.last_think_tank:
            src = self.last_think_tank
        if person is None:
            src = self._detached_name(src, idx)
        if verb is not None:
            ch = _channel(list(verb.subtree))
            if ch:
                src = replace(src, channel=ch)
        known = known_speaker(src.name)
        if person or (known is not None and known.person):
            desc = " ".join(t.text for t in np.subtree)
            self._persons.append((idx, src, desc.lower()))
        if person or src.affiliation in ("soldier",) or (known is not None and known.person):
            self.last_person = src
        else:
            self.last_body = src
        if src.affiliation == "think_tank":
            self.last_think_tank = src
        return src

    def _trailing_attribution(self, sent: Span, idx: int) -> tuple[int, Source, str] | None:
        """", the chief of the general staff claims." — a sentence-final attribution the
        parser did not see (machine translation often breaks the parse there)."""
        m = _TRAILING.search(sent.text)
        if m is None:
            return self._dash_attribution(sent, idx)
        start = sent.start_char + m.start("np")
        end = sent.start_char + m.end("np")
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        self._speaker_spans.setdefault(sent.start, []).append((start, end))
        person = next((e.text for e in span.ents if e.label_ == "PERSON"), None)
        src = classify_speaker(span.text, person)
        if person is None:
            src = self._detached_name(src, idx)
        verb = m.group("verb").lower()
        lemma = {"claims": "claim", "claimed": "claim", "says": "say", "said": "say",
                 "reports": "report", "reported": "report", "writes": "write",
                 "wrote": "write", "adds": "add", "added": "add"}.get(verb, "say")
        return 1, src, lemma

    def _dash_attribution(self, sent: Span, idx: int) -> tuple[int, Source, str] | None:
        m = _DASH_SOURCE.search(sent.text.rstrip())
        if m is None:
            return None
        np = m.group("np")
        words = set(re.findall(r"[\w.'’-]+", np.lower()))
        if known_speaker(np) is None and not words & (_GOV_WORDS | {"mod", "officials"}):
            return None
        start = sent.start_char + m.start("np")
        end = start + len(np)
        self._speaker_spans.setdefault(sent.start, []).append((start, end))
        return 1, classify_speaker(np), "say"

    def _detached_name(self, src: Source, idx: int) -> Source:
        # "…, the chief of the general staff … claims. Valery Zaluzhny." — machine
        # translation sometimes detaches the speaker's name into a sentence of its own.
        if src.affiliation not in ("ukraine_gov", "russia_gov", "other") or \
                idx + 1 >= len(self._sentences):
            return src
        nxt = self._sentences[idx + 1]
        names = [e.text for e in nxt.ents if e.label_ == "PERSON"]
        if len(nxt) > 5 or not names:
            return src
        named = classify_speaker(names[0], names[0])
        aff = src.affiliation if named.affiliation == "other" else named.affiliation
        self.last_person = Source(named.name, aff)
        return self.last_person

    def _own_sources_before(self, sent: Span, before: int) -> Source | None:
        for tok in sent:
            if tok.i >= before:
                break
            if tok.lemma_ in lx.SPEECH_VERBS and tok.pos_ == "VERB":
                np = _speaker_np(tok)
                if np is not None and np.lower_ not in _PRONOUNS_ANY:
                    start, end = _np_span(np)
                    return classify_speaker(self.doc[start:end].text)
        return None


def speaker_side(src: Source | None) -> str | None:
    if src is None:
        return None
    if src.affiliation == "ukraine_gov":
        return "ukraine"
    if src.affiliation == "russia_gov":
        return "russia"
    low = src.name.lower()
    if src.affiliation in ("soldier", "military_blogger"):
        if "ukrain" in low:
            return "ukraine"
        if "russia" in low:
            return "russia"
    return None


def modality_for(att: Attribution) -> str:
    verb = att.verb or ""
    if verb in lx.DENY_VERBS:
        return "denied"
    if verb in lx.CLAIM_VERBS:
        return "claimed"
    origin = att.origin
    if verb in lx.ASSESS_VERBS:
        return "assessed"
    if origin is None:
        return "assessed" if att.hedged else "reported"
    if origin.affiliation in ("think_tank", "western_gov"):
        return "assessed"
    if origin.affiliation in ("ukraine_gov", "russia_gov", "soldier", "military_blogger"):
        return "claimed"
    return "reported"


def or_outlet(sources: tuple[Source, ...], outlet: str | None) -> tuple[Source, ...]:
    """A statement nobody is named for is its outlet's word."""
    if sources or not outlet:
        return sources
    return (Source(outlet, "media"),)
