"""Reading what surrounds a place name: which oblast, raion or hromada the text puts
it in, and which settlement the author coded an area to.

* "Blahodatne, Donetsk", "Terny (Donetsk)", "Stepne, Sumy region": an oblast's name
  closing the phrase after a place says which of its namesakes it is.
* "Ivanivka, Beryslavskyi district", "Stepnoy in the Volnovakhsky district": likewise
  for a raion or hromada, when the gazetteer knows them (COD-AB loaded).
* "the Kuibyshevsky district of Donetsk": a city's district is in the city.
* "over the Odesa region (coded to Odesa)": ACLED's note of the settlement that stands
  for an area.

`QualifierRules` is mixed into the resolver's per-text `_Doc`; `Span` is the
recognised name it works on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..records import Mention, Place
from .admin import ADMIN1
from .index import OWN_NAME
from .lexicon import COMMON_WORDS, FIRST_NAMES, NEWS_WORDS, SURNAMES
from .normalise import normalise_name
from .score import Candidate
from .units import HROMADA_WORDS, RAION_WORDS, in_unit, unit_stem

# One-word names of Ukraine's oblasts ("donetsk", "donetska", "kharkov" ...).
OBLAST_KEYS = frozenset(
    normalise_name(n)
    for a in ADMIN1
    if a.code.startswith("UA.")
    for n in (a.name, *a.names)
    if " " not in n and "-" not in n
)

# A settlement this big shares its name with its oblast (Donetsk, Kharkiv): bare, the
# name means the city.
REGION_CITY_POPULATION = 50_000

_STOP = COMMON_WORDS | NEWS_WORDS
_PERSON = FIRST_NAMES | SURNAMES
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n\"“”‘’'(\[—–-])\W*$")

# "X, Y" / "X (Y)": Y may say which oblast X is in ...
_QUALIFIER_GAP = re.compile(r"\s*,\s*|\s*(?P<paren>\()\s*")
# ... when the phrase ends with it ("in Blahodatne, Donetsk." / "Donetsk, with artillery"),
# not when a list goes on ("Kharkiv, Donetsk and Zaporizhzhia").
_PHRASE_END = re.compile(
    r"(?:\s+(?:region|oblast|province)s?\b)?(?:\s*(?:$|[.;:()\n]|,(?!\s*(?:and|or)\s+[A-Z])"
    r"(?!\s*[A-Z][\w'’-]+(?:\s*,|\s+(?:and|or)\b))))"
)
# "<area> (coded to X": between an area's name and the settlement that stands for it.
_CODED_TO = re.compile(
    r"(?i)(?:\s+(?:region|oblast|province|district|raion|hromada|community|municipality"
    r"|direction|axis|sector|area))*\s*\(\s*(?:geo)?coded\s+to\s+(?:the\s+)?(?:city\s+of\s+)?"
)
# "Stepnoy in the Volnovakhsky district": the unit the place before it is in.
_IN_UNIT_GAP = re.compile(r"\s+in\s+(?:the\s+)?")
_DISTRICT_OF = re.compile(r"\s+(?:district|raion|rayon)\s+of\s+(?:the\s+(?:city\s+of\s+)?)?")


@dataclass(slots=True)
class Span:
    i: int  # first and last token, inclusive
    j: int
    key: str
    names: list[Candidate]
    stems: list[Place]
    mode: str = "bare"  # bare | region | trigger | settlement
    qualifier: str | None = None
    last: int = -1  # last token of the mention's surface (a following "Oblast" is in it)
    adjective: bool = False  # the region reading comes from "regional", not "region"
    cands: list[Candidate] = field(default_factory=list)
    # The oblast(s) the text puts this place in ("Blahodatne, Donetsk"; "Terny (Donetsk)").
    within: frozenset[str] = frozenset()
    unit: str | None = None  # "raion" | "hromada" when the name is one ("Pokrovskyi district")


class QualifierRules:
    """The rules above, over the text and tokens of one `_Doc`."""

    text: str
    starts: list[int]
    ends: list[int]
    keys: list[str]
    caps: list[bool]

    def gap(self, a: int, b: int) -> str:
        """The text between token a and token b."""
        return self.text[self.ends[a] : self.starts[b]]

    def _starts_sentence(self, t: int) -> bool:
        before = self.text[max(0, self.starts[t] - 3) : self.starts[t]]
        return bool(_SENTENCE_END.search(before))

    def _region_qualifiers(self, spans: list[Span]) -> None:
        """ "Blahodatne, Donetsk", "Terny (Donetsk)", "Stepne, Sumy region": an oblast's
        name right after a place, closing the phrase, says which oblast the place is
        in; it is not the city of that name. The place before it keeps only its
        candidates in that oblast; when it has none there, it is a village the
        gazetteer does not know, and the oblast is the best location there is."""
        for k, sp in enumerate(spans):
            codes = frozenset(
                c.place.admin1_code
                for c in sp.names
                if c.place.kind == "region" and c.place.admin1_code
            )
            if not codes or sp.adjective:
                continue
            prev = spans[k - 1] if k else None
            if prev is None or not self._qualifies(prev.last, sp):
                if sp.mode == "bare" and self._after_unknown_name(sp):
                    # "Maiorsk, Donetsk": a village the gazetteer lacks, in that oblast.
                    sp.mode = "region"
                continue
            codes = _with_twins(codes)
            names = _own_names(prev.key, prev.names)
            inside = [c for c in names if _in(c.place, codes)]
            inside_stems = [p for p in prev.stems if _in(p, codes)]
            if (
                not inside
                and not inside_stems
                and any(
                    c.place.kind != "settlement" or c.place.population >= REGION_CITY_POPULATION
                    for c in names
                )
            ):
                continue  # "Kharkiv, Donetsk." is a list of cities
            if sp.mode == "bare":
                sp.mode = "region"
            if prev.mode == "region" and not any(c.place.kind == "region" for c in names):
                prev.mode, prev.qualifier = "bare", None  # not a list of regions after all
            prev.within = codes
            if inside or inside_stems:
                prev.names, prev.stems = inside, inside_stems
            elif prev.i == prev.j:
                # A village of that name the gazetteer lacks in that oblast, not one of
                # its namesakes elsewhere: the oblast will locate it. (A name of several
                # words, "Bilhorod-Dnistrovskyi", is too specific to be a namesake.)
                prev.names, prev.stems = [], []

    def _unit_qualifiers(self, spans: list[Span]) -> None:
        """ "Ivanivka, Beryslavskyi district": a raion or hromada right after a place
        says which of its namesakes it is, when the gazetteer knows its units."""
        units = RAION_WORDS | HROMADA_WORDS
        for k in range(1, len(spans)):
            sp, prev = spans[k], spans[k - 1]
            nxt = sp.j + 1
            if nxt >= len(self.keys) or self.keys[nxt] not in units:
                continue
            gap = self.gap(prev.last, sp.i)
            if not (_QUALIFIER_GAP.fullmatch(gap) or _IN_UNIT_GAP.fullmatch(gap)):
                continue
            if prev.mode == sp.mode == "trigger" and prev.qualifier == sp.qualifier:
                prev.mode, prev.qualifier = "bare", None  # not a list of districts
            if sp.unit is None:
                continue
            surface = self.text[self.starts[sp.i] : self.ends[sp.j]]
            stem = unit_stem(surface)
            inside = [c for c in prev.names if in_unit(c.place, sp.unit, stem)]
            if inside:
                prev.names = inside
                prev.stems = [p for p in prev.stems if in_unit(p, sp.unit, stem)]

    def _city_districts(self, spans: list[Span]) -> None:
        """ "the Kuibyshevsky district of Donetsk": a district of a city is in the city,
        whatever other place its name recalls; the city's mention locates it."""
        for k in range(len(spans) - 1):
            sp, city = spans[k], spans[k + 1]
            if sp.mode != "trigger":
                continue
            if city.mode == "region":
                continue  # "the Kupiansk district of Kharkiv region" is the raion
            if _DISTRICT_OF.fullmatch(self.gap(sp.j, city.i)) and any(
                c.place.kind == "settlement" and c.place.population >= REGION_CITY_POPULATION
                for c in city.names
            ):
                sp.names, sp.stems = [], []

    def _oblast_follows(self, sp: Span) -> bool:
        """ "Shevchenko, Donetsk", "Stanislav (Kherson)": a one-word name that an
        oblast qualifies is a settlement, whatever person's name it also is: people
        are not written with their oblast."""
        nxt = sp.j + 1
        if sp.i != sp.j or nxt >= len(self.keys) or self.keys[nxt] not in OBLAST_KEYS:
            return False
        m = _QUALIFIER_GAP.fullmatch(self.gap(sp.j, nxt))
        if m is None:
            return False
        after = self.text[self.ends[nxt] :]
        if m.group("paren"):
            return after.lstrip().startswith(")")
        return bool(_PHRASE_END.match(after))

    def _after_unknown_name(self, sp: Span) -> bool:
        """Whether `sp` follows a capitalised word that is no place of the gazetteer
        (nor a month, a unit, a person ...) as "X, Y" or "X (Y)", closing the phrase."""
        t = sp.i - 1
        if t < 0 or not self.caps[t] or self.keys[t] in _STOP or self.keys[t] in _PERSON:
            return False
        if not self.text[self.starts[t]].isupper() or self._starts_sentence(t):
            return False
        return self._qualifies(t, sp)

    def _qualifies(self, before: int, sp: Span) -> bool:
        """Whether `sp` follows token `before` as "X, Y" or "X (Y)" and ends the phrase."""
        gap = self.gap(before, sp.i)
        m = _QUALIFIER_GAP.fullmatch(gap)
        if m is None:
            return False
        after = self.text[self.ends[sp.last if sp.last >= 0 else sp.j] :]
        if m.group("paren"):
            return after.lstrip().startswith(")")
        return bool(_PHRASE_END.match(after))

    def _coded_to(self, mentions: list[Mention]) -> list[Mention]:
        """ "over the Odesa region (coded to Odesa)", "the Marhanets community (coded to
        Marhanets, Dnipropetrovsk)": the author says which settlement stands for the
        area named just before; that mention takes the settlement's point."""
        for k in range(len(mentions) - 1):
            m, target = mentions[k], mentions[k + 1]
            if target.place.kind != "settlement" or m.place == target.place:
                continue
            coded = _CODED_TO.match(self.text, m.end)
            if coded is None or coded.end() != target.start:
                continue
            mentions[k] = replace(
                m,
                place=target.place,
                geo_precision=max(2, target.geo_precision),
                confidence=target.confidence,
                qualifier=m.qualifier or "coded to",
            )
        return mentions


# Kyiv City and Sevastopol are admin1 units of their own inside the oblast (Crimea)
# a reporter names for them.
_ADMIN1_TWINS = {"UA.13": "UA.12", "UA.11": "UA.20"}


def _with_twins(codes: frozenset[str]) -> frozenset[str]:
    return codes | {_ADMIN1_TWINS[c] for c in codes if c in _ADMIN1_TWINS}


def _in(place: Place, codes: frozenset[str]) -> bool:
    return place.kind == "settlement" and place.admin1_code in codes


def _own_names(key: str, names: list[Candidate]) -> list[Candidate]:
    """A name of several words that is some place's own ("Bilhorod-Dnistrovskyi")
    means that place, not a place of a shorter name that lists it among its alternates
    (GeoNames gives that one to Belgorod too)."""
    words = key.count(" ") + 1
    if words > 1 and any(c.how == OWN_NAME for c in names):
        return [
            c
            for c in names
            if c.how == OWN_NAME or len(normalise_name(c.place.name).split()) >= words
        ]
    return names
