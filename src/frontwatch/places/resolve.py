"""Finding the places an article names, and which places they are.

Recognition is gazetteer-first: spaCy's NER tags Bakhmut as ORG and Kherson as PERSON,
so instead every name key of the gazetteer goes into one Aho-Corasick automaton and
the article's words are scanned for them. Only capitalised (or Cyrillic) matches on
word boundaries count, and word lists veto the ones that are English words or people.
Then each surviving name is read in its context: followed by "region"/"oblast" (alone
or closing a list: "the Donetsk, Lugansk, and Kharkiv regions") it is an oblast;
followed by "direction"/"area" it is near a settlement, and a clipped adjective
("Kupyan", "Avdiiv") is accepted only there; preceded by "near"/"north of" it is near a
settlement. Last, same-named places are told apart with `score`.
"""

from __future__ import annotations

import bisect
import logging
import re
import sys
import weakref
from collections.abc import Sequence

from ..records import Mention, Place
from ..settings import Settings
from .admin import ADMIN1_BY_CODE
from .gazetteer import Gazetteer, IndexedGazetteer
from .index import OTHER_ALTERNATE, OWN_NAME, SIMILAR_ALTERNATE, IndexBuilder, NameIndex
from .lexicon import (
    AREA_WORDS,
    COMMON_WORDS,
    DIRECTION_WORDS,
    FEATURE_FOLLOWERS,
    FEATURE_PRECEDERS,
    FIRST_NAMES,
    NEWS_WORDS,
    ORG_FOLLOWERS,
    PLURAL_REGION_WORDS,
    REGION_WORDS,
    REGIONAL_WORDS,
    SETTLEMENT_WORDS,
    SURNAMES,
    THING_PRECEDERS,
    TITLES,
    WEAPON_FOLLOWERS,
)
from .normalise import Tokens, normalise_name, tokenise
from .qualify import (
    REGION_CITY_POPULATION,
    QualifierRules,
    _own_names,
)
from .qualify import Span as _Span
from .score import SURE_SHARE, Candidate, Context, choose, contextual_weight, prior
from .units import HROMADA_WORDS, RAION_WORDS, UnitIndex

log = logging.getLogger(__name__)

# A settlement outside Ukraine, Russia and Belarus smaller than this is only a place
# when the article also names its country: otherwise it is far likelier an English word
# or a name that happens to be a village somewhere.
FOREIGN_MIN_POPULATION = 50_000
# ... and when it is named by another spelling, only if it is a big city.
FOREIGN_ALTERNATE_MIN_POPULATION = 200_000
# A capitalised neighbour or all-capital spelling is enough to doubt a Ukrainian place
# smaller than this.
MINOR_TOWN_POPULATION = 20_000
# spaCy calls lone toponyms PERSON (Kherson); a PERSON span that is exactly a
# significant place is not trusted.
SIGNIFICANT_POPULATION = 10_000
# Unambiguous settlements of one oblast that make it context, like a named oblast.
ANCHOR_OBLAST_MIN = 2
DEFAULT_MIN_POPULATION = Settings().min_population
DEFAULT_CONTEXT_KM = Settings().context_km

_STOP = COMMON_WORDS | NEWS_WORDS
_PERSON = FIRST_NAMES | SURNAMES
_WAR_COUNTRIES = frozenset({"UA", "RU", "BY"})
# Abbreviations that end with a full stop inside a name: St. Petersburg.
_NAME_ABBREVIATIONS = frozenset({"st", "ste", "mt", "ft"})
_DOTS = (". ", ".")
# Capitalised neighbours that do not make a name a person's: "Washington DC".
_NEUTRAL_NEIGHBOURS = (
    REGION_WORDS | SETTLEMENT_WORDS | DIRECTION_WORDS | AREA_WORDS | frozenset({"dc"})
)

# Between two words of one multi-word name: spaces on one line, or a hyphen.
_JOINED = re.compile(r"[ \t\u00a0\u2009\u202f]{1,3}|[-\u2010\u2011]")
# Between a word and the next word that qualifies it ("Donetsk region").
_ADJACENT = re.compile(r"[ \t\u00a0\u2009\u202f]{1,3}|[ \t]*\n[ \t]*")
# Between the items of a list of names: "X, Y and Z", "X and Y", "X, Y, and Z".
# Also "Lyman-Kupiansk axis", "Bakhmut/Soledar direction".
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*[/\-\u2013\u2014]\s*")
_TITLE_GAP = re.compile(r"\.?[ \t\u00a0]{1,2}")

_COMPASS = r"(?:north|south|east|west)(?:-?(?:east|west))?"
_QUALIFIER_BEFORE = re.compile(
    r"""(?ix)
    \b(?P<q>
        near(?:by)? | around | outside | close\ to | not\ far\ from | next\ to
      | toward(?:s)? | in\ the\ direction\ of | on\ the\ approaches\ to
      | (?:(?:outskirts|vicinity|suburbs|environs)\ of)
      | """
    + _COMPASS
    + r"""(?:ern|erly)?(?:\s+(?:and|or)\s+"""
    + _COMPASS
    + r""")?\s+of
    )
    \s+(?:the\s+)?
    (?:(?:[\w-]+\s+){0,3}?(?:city|town|village|settlement|outskirts|suburbs)\s+of\s+(?:the\s+)?)?
    $"""
)
_QUOTES = frozenset("\"'“”‘’«»„")
# Between a ship's or unit's noun and its name: "the landing ship Orsk", "grouping "Vostok"".
_THING_GAP = re.compile(r"[ \t\u00a0]{1,2}[\"'“‘«„]?")
# The self-proclaimed republics, by the oblast each claims.
_REPUBLICS = {"dpr": "UA.05", "dnr": "UA.05", "lpr": "UA.14", "lnr": "UA.14"}
# After a republic's acronym, these make it a side, not a place.
_SIDE_NOUNS = frozenset(
    {
        "forces", "force", "militia", "troops", "army", "soldiers", "fighters", "units",
        "servicemen", "military", "headquarters", "leader", "head", "authorities",
        "ministry", "ombudsman", "officials", "government", "people", "peoples",
        "defence", "defense", "mod", "corps", "artillery",
    }
)  # fmt: skip
_SETTLEMENT_BEFORE = re.compile(r"(?i)\b(?:city|town|village|settlement)\s+of\s+(?:the\s+)?$")
_LOOKBACK = 80


class _Resolver:
    """Per-gazetteer state: the name index and a cache of Place lists per slot."""

    def __init__(self, gazetteer: IndexedGazetteer) -> None:
        self.gazetteer = gazetteer
        self.index: NameIndex = gazetteer.name_index
        self._units: UnitIndex | None = None

    @property
    def units(self) -> UnitIndex:
        """Raions and hromadas of the gazetteer, indexed on first use."""
        if self._units is None:
            self._units = UnitIndex(self.gazetteer.places)
        return self._units

    def slot_candidates(self, slot: int) -> tuple[list[Candidate], list[Place]]:
        names, stems = self.index.slot(slot)
        get = self.gazetteer.places.get
        cands = []
        for posting in names:
            place = get(posting >> 2)
            if place is not None:
                cands.append(Candidate(place, how=posting & 3))
        stem_places = [p for p in (get(g) for g in stems) if p is not None]
        return cands, stem_places


_resolvers: weakref.WeakKeyDictionary[object, _Resolver] = weakref.WeakKeyDictionary()
_resolvers_by_id: dict[int, tuple[object, _Resolver]] = {}


def _resolver_for(gazetteer: Gazetteer) -> _Resolver:
    try:
        cached = _resolvers.get(gazetteer)
    except TypeError:
        entry = _resolvers_by_id.get(id(gazetteer))
        cached = entry[1] if entry and entry[0] is gazetteer else None
    if cached is not None:
        return cached
    indexed = gazetteer if isinstance(gazetteer, IndexedGazetteer) else _adapt(gazetteer)
    resolver = _Resolver(indexed)
    try:
        _resolvers[gazetteer] = resolver
    except TypeError:
        _resolvers_by_id[id(gazetteer)] = (gazetteer, resolver)
    return resolver


def _adapt(gazetteer: Gazetteer) -> IndexedGazetteer:
    """Index any `Gazetteer` (keys + candidates) for the automaton, once."""
    log.info("indexing a %s for place resolution", type(gazetteer).__name__)
    builder = IndexBuilder()
    from .variants import clipped_stems

    keys = gazetteer.keys()
    for key in keys:
        for place in gazetteer.candidates(key):
            builder.places.add(place, keep=True)
            builder.add_key(key, place.geonameid)
            if place.country == "UA" and place.kind == "settlement":
                for stem in clipped_stems(key):
                    builder.stems.setdefault(stem, set()).add(place.geonameid)
    return IndexedGazetteer(builder.places, builder.build())


def resolve_places(
    text: str,
    gazetteer: Gazetteer,
    *,
    exclude_spans: Sequence[tuple[int, int]] = (),
    min_population: int | None = None,
    context_km: float | None = None,
    tokens: Tokens | None = None,
) -> tuple[Mention, ...]:
    """Every place named in `text`, as Mentions sorted by start.

    `exclude_spans` are (start, end) offsets of person names (spaCy PERSON): a name
    inside one is not a place. `min_population` and `context_km` are the settings of
    the same names; by default they are taken from the gazetteer (`get_gazetteer` sets
    them) or the Settings defaults. `tokens` is `tokenise(text)`, when the caller
    resolves one text more than once.
    """
    if tokens is None:
        tokens = tokenise(text)
    if not tokens:
        return ()
    resolver = _resolver_for(gazetteer)
    if min_population is None:
        min_population = resolver.gazetteer.min_population or DEFAULT_MIN_POPULATION
    if context_km is None:
        context_km = resolver.gazetteer.context_km or DEFAULT_CONTEXT_KM
    doc = _Doc(text, tokens, sorted(exclude_spans))
    spans = doc.find(resolver)
    if not spans:
        return ()
    doc.read_context(spans)
    return doc.resolve(spans, min_population, context_km)


class _Doc(QualifierRules):
    def __init__(self, text: str, tokens: Tokens, exclude: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.starts = tokens.starts
        self.ends = tokens.ends
        self.keys = tokens.keys
        self.caps = tokens.caps
        self.exclude = exclude
        self.lower_keys = {k for k, c in zip(self.keys, self.caps, strict=True) if not c}
        self.countries: frozenset[str] = frozenset()
        self._title_lines: dict[int, bool] = {}

    # -- recognition ---------------------------------------------------------------

    def _spaced(self) -> tuple[str, list[int]]:
        """The keys joined by one space where a multi-word name may continue and by
        two where it may not, so the automaton cannot match across punctuation; and
        where each key starts in that string."""
        text, keys = self.text, self.keys
        joined = _JOINED.fullmatch
        seps = []
        for prev_key, prev_end, start in zip(keys, self.ends, self.starts[1:], strict=False):
            gap = text[prev_end:start]
            # "St. Petersburg": the full stop of an abbreviation does not break a name.
            if gap == " " or joined(gap) or (prev_key in _NAME_ABBREVIATIONS and gap in _DOTS):
                seps.append(" ")
            else:
                seps.append("  ")
        seps.append(" ")
        positions = []
        pos = 1
        for key, sep in zip(keys, seps, strict=True):
            positions.append(pos)
            pos += len(key) + len(sep)
        spaced = " " + "".join(k + sep for k, sep in zip(keys, seps, strict=True))
        return spaced, positions

    def find(self, resolver: _Resolver) -> list[_Span]:
        spaced, positions = self._spaced()
        keys = self.keys
        raw: list[_Span] = []
        slots: dict[int, tuple[list[Candidate], list[Place]]] = {}
        for s, e, slot in resolver.index.scan(spaced):
            # Keys start and end on word boundaries, so these are exact.
            i = bisect.bisect_left(positions, s)
            if not self.caps[i]:
                continue
            j = bisect.bisect_right(positions, e) - 1
            if j > i and not self.caps[j] and keys[j] not in REGION_WORDS:
                continue
            if slot not in slots:
                slots[slot] = resolver.slot_candidates(slot)
            names, stems = slots[slot]
            key = spaced[s:e]
            raw.append(_Span(i, j, key, names, stems))
        countries = {
            c.place.country
            for sp in raw
            for c in sp.names
            if c.place.kind == "country" and sp.key not in _PERSON
        }
        self.countries = frozenset(countries)
        kept = []
        for sp in raw:
            sp.names = self._gate(sp)
            if (sp.names or sp.stems) and not self._vetoed(sp):
                kept.append(sp)
        return self._select(self._units(resolver) + self._republics(resolver) + kept)

    def _republics(self, resolver: _Resolver) -> list[_Span]:
        """ "In the DPR, one person was killed": the self-proclaimed republics' acronyms
        name the oblasts they claim; not when they name the side ("DPR forces")."""
        out: list[_Span] = []
        for t, key in enumerate(self.keys):
            code = _REPUBLICS.get(key)
            if code is None or not self.text[self.starts[t] : self.ends[t]].isupper():
                continue
            if t + 1 < len(self.keys) and self.keys[t + 1] in _SIDE_NOUNS:
                continue
            place = resolver.gazetteer.places.get(ADMIN1_BY_CODE[code].geonameid)
            if place is not None:
                out.append(_Span(t, t, key, [Candidate(place)], [], mode="region"))
        return out

    def _units(self, resolver: _Resolver) -> list[_Span]:
        """Raions and hromadas named before their word: "the Ocheretynska hromada",
        "Bilhorod-Dnistrovskyi district". Each stands for its centre (see `units`)."""
        out: list[_Span] = []
        keys, caps = self.keys, self.caps
        for t in range(len(keys) - 1):
            word = keys[t + 1]
            level = "raion" if word in RAION_WORDS else "hromada" if word in HROMADA_WORDS else None
            if level is None or not caps[t] or not _ADJACENT.fullmatch(self.gap(t, t + 1)):
                continue
            first = t
            if t > 0 and caps[t - 1] and self.gap(t - 1, t) in ("-", "\u2011"):
                first = t - 1
            surface = self.text[self.starts[first] : self.ends[t]]
            units = resolver.units.lookup(level, surface)
            if units:
                names = [Candidate(u.centre) for u in units]
                out.append(_Span(first, t, normalise_name(surface), names, [], unit=level))
        return out

    def _gate(self, sp: _Span) -> list[Candidate]:
        """The candidates a name can stand for before any context is read."""
        single = sp.i == sp.j
        key = sp.key
        person = single and key in _PERSON and not self._oblast_follows(sp)
        stop = key in _STOP or (single and key in self.lower_keys)
        if stop or person:
            sp.stems = []
        surface = self.text[self.starts[sp.i] : self.ends[sp.j]]
        # SBU, ISW, MENA: short capitals are acronyms unless they spell a known town.
        acronym = single and len(surface) <= 4 and surface.isupper()
        # Cyrillic counts without a capital, but then only for towns worth naming:
        # "атаки" (attacks) is also a hamlet.
        minor_ok = surface[0].isupper()
        neighbours: bool | None = None
        out = []
        for c in sp.names:
            p = c.place
            if p.kind == "country":
                out.append(c)
                continue
            if person:
                continue
            if p.kind == "region":
                out.append(c)
                continue
            if stop:
                continue
            if (acronym or not minor_ok) and (
                p.country != "UA" or p.population < MINOR_TOWN_POPULATION
            ):
                continue
            if p.country != "UA" or (c.how != OWN_NAME and p.population < MINOR_TOWN_POPULATION):
                if neighbours is None:
                    neighbours = self._person_context(sp)
                if neighbours:
                    continue
            if p.country not in _WAR_COUNTRIES and not self._foreign_allowed(c):
                continue
            out.append(c)
        return out

    def _foreign_allowed(self, c: Candidate) -> bool:
        p = c.place
        if c.how == OTHER_ALTERNATE:
            return False
        if p.country in self.countries:
            return True
        if c.how == SIMILAR_ALTERNATE:
            return p.population >= FOREIGN_ALTERNATE_MIN_POPULATION
        return p.population >= FOREIGN_MIN_POPULATION

    def _person_context(self, sp: _Span) -> bool:
        """A capitalised word right before or after a one-word name, where
        capitals are not explained by a sentence start or a title-case headline:
        "Nancy Pelosi", "Chris Hayes", or part of a longer unknown name ("Chasovoy
        Yar"). Used against places outside Ukraine and small Ukrainian ones named by an
        alternate spelling: a Ukrainian town next to a capitalised word is far more
        often still a town."""
        if sp.i != sp.j or self._title_case(sp.i):
            return False
        i, keys = sp.i, self.keys
        if i > 0 and self.caps[i - 1] and _JOINED.fullmatch(self.gap(i - 1, i)):
            prev = keys[i - 1]
            if prev not in _STOP and not self._starts_sentence(i - 1):
                return True
        if i + 1 < len(keys) and self.caps[i + 1] and _JOINED.fullmatch(self.gap(i, i + 1)):
            nxt = keys[i + 1]
            if nxt not in _STOP and nxt not in _NEUTRAL_NEIGHBOURS:
                return True
        return False

    def _title_case(self, i: int) -> bool:
        """Whether token i is on a line whose longer words are mostly capitalised."""
        text = self.text
        lo = text.rfind("\n", 0, self.starts[i]) + 1
        cached = self._title_lines.get(lo)
        if cached is not None:
            return cached
        hi = text.find("\n", self.ends[i])
        hi = len(text) if hi < 0 else hi
        a = bisect.bisect_left(self.starts, lo)
        b = bisect.bisect_left(self.starts, hi)
        words = [k for k in range(a, b) if len(self.keys[k]) >= 4]
        title = len(words) >= 3 and sum(self.caps[k] for k in words) >= 0.6 * len(words)
        self._title_lines[lo] = title
        return title

    def _vetoed(self, sp: _Span) -> bool:
        """Person, organisation and landform readings of a name, from its neighbours."""
        keys = self.keys
        if sp.i > 0:
            prev = keys[sp.i - 1]
            gap = self.gap(sp.i - 1, sp.i)
            if prev in TITLES and _TITLE_GAP.fullmatch(gap):
                return True
            if prev in FIRST_NAMES and self.caps[sp.i - 1] and _JOINED.fullmatch(gap):
                return True
            if prev in FEATURE_PRECEDERS and self.caps[sp.i - 1] and _JOINED.fullmatch(gap):
                return True  # Lake Baikal, River Dnipro (but "the Dnipro river Kherson")
            if prev == "of" and sp.i > 1 and keys[sp.i - 2] in FEATURE_PRECEDERS:
                return True  # the Sea of Azov
        if sp.j + 1 < len(keys) and _JOINED.fullmatch(self.gap(sp.j, sp.j + 1)):
            nxt = keys[sp.j + 1]
            if nxt in ORG_FOLLOWERS or nxt in FEATURE_FOLLOWERS:
                return True
            if nxt in SURNAMES and self.caps[sp.j + 1]:
                return True
        return self._thing(sp) or self._excluded(sp)

    def _thing(self, sp: _Span) -> bool:
        """A ship, unit, weapon or brand that bears a place's name: "the landing ship
        Orsk", "grouping "Vostok"", "Osa air defence systems", "sanctions for "Mir""."""
        keys, text = self.keys, self.text
        start, end = self.starts[sp.i], self.ends[sp.j]
        if (
            sp.i > 0
            and keys[sp.i - 1] in THING_PRECEDERS
            and _THING_GAP.fullmatch(self.gap(sp.i - 1, sp.i))
        ):
            return True
        nxt = sp.j + 1
        quoted = start > 0 and end < len(text) and text[start - 1] in _QUOTES
        if quoted and text[end] in _QUOTES:
            trigger = nxt < len(keys) and keys[nxt] in DIRECTION_WORDS | AREA_WORDS
            if not trigger and (_minor(sp) or all(c.how != OWN_NAME for c in sp.names)):
                return True
        if not _minor(sp):
            return False
        if nxt < len(keys):
            gap = self.gap(sp.j, nxt)
            if keys[nxt] in WEAPON_FOLLOWERS and _JOINED.fullmatch(gap):
                return True
            after = text[self.starts[nxt] : self.ends[nxt]]
            if gap == "-" and after.isupper():
                return True  # Osa-AKM, Tor-M2
        return False

    def _excluded(self, sp: _Span) -> bool:
        """Whether the name lies inside a person's name found by spaCy.

        spaCy's PERSON spans are not trusted blindly: it tags lone toponyms
        ("Kherson", "Krasnaya Gora") and sentence openings ("Seizing Bakhmut") as
        people. A span vetoes a place only if it has a word of a person's name
        besides the toponym (a known name or title, or a capitalised word that does
        not start a sentence), or if the toponym is not a place worth that doubt.
        """
        if not self.exclude:
            return False
        start, end = self.starts[sp.i], self.ends[sp.j]
        k = bisect.bisect_right(self.exclude, (start, sys.maxsize)) - 1
        while k >= 0:
            a, b = self.exclude[k]
            k -= 1
            if not (a <= start and end <= b):
                continue
            lo = bisect.bisect_left(self.starts, a)
            hi = bisect.bisect_left(self.starts, b)
            for t in range(lo, hi):
                if sp.i <= t <= sp.j:
                    continue
                if self.keys[t] in _PERSON or self.keys[t] in TITLES:
                    return True
                if self.caps[t] and not self._starts_sentence(t):
                    return True
            return not _significant(sp) and not self._oblast_follows(sp)
        return False

    def _select(self, spans: list[_Span]) -> list[_Span]:
        """Longest names first, then left to right, without overlaps. A clipped stem
        (no name of its own) only fills gaps: it rarely stands for anything."""
        taken = [False] * len(self.keys)
        chosen: list[_Span] = []
        for group in (
            [s for s in spans if s.names],
            [s for s in spans if not s.names],
        ):
            group.sort(key=lambda s: (s.i - s.j, s.i))
            for sp in group:
                if any(taken[sp.i : sp.j + 1]):
                    continue
                for t in range(sp.i, sp.j + 1):
                    taken[t] = True
                chosen.append(sp)
        chosen.sort(key=lambda s: s.i)
        return chosen

    # -- reading the context of each name -------------------------------------------

    def read_context(self, spans: list[_Span]) -> None:
        keys = self.keys
        n = len(keys)
        for k, sp in enumerate(spans):
            sp.last = sp.j
            nxt = sp.j + 1
            if nxt >= n or not _ADJACENT.fullmatch(self.gap(sp.j, nxt)):
                continue
            word = keys[nxt]
            plural = word in PLURAL_REGION_WORDS
            # "People's" loses its possessive in tokenising: "Donetsk People's Republic".
            republic = word in ("people", "peoples") and nxt + 1 < n and keys[nxt + 1] == "republic"
            if word in REGION_WORDS or republic:
                sp.mode = "region"
                if not plural:
                    sp.last = nxt + 1 if republic else nxt
            elif word in REGIONAL_WORDS:
                sp.mode, sp.adjective = "region", True
            elif word in DIRECTION_WORDS:
                sp.mode, sp.qualifier = "trigger", "direction"
            elif word in AREA_WORDS:
                sp.mode, sp.qualifier = "trigger", "area"
            elif word in SETTLEMENT_WORDS:
                sp.mode = "settlement"
            else:
                continue
            if sp.mode in ("region", "trigger"):
                self._propagate(spans, k)
        self._region_qualifiers(spans)
        self._unit_qualifiers(spans)
        self._city_districts(spans)
        for sp in spans:
            start = self.starts[sp.i]
            before = self.text[max(0, start - _LOOKBACK) : start]
            if sp.mode == "bare" and _SETTLEMENT_BEFORE.search(before):
                sp.mode = "settlement"
            if sp.qualifier is None:
                m = _QUALIFIER_BEFORE.search(before)
                if m:
                    sp.qualifier = _tidy_qualifier(m.group("q"))

    def _propagate(self, spans: list[_Span], k: int) -> None:
        """Give the items of a list closing with this name the same reading."""
        head = spans[k]
        while k > 0:
            prev = spans[k - 1]
            if prev.mode != "bare" or not _LIST_GAP.fullmatch(self.gap(prev.j, spans[k].i)):
                break
            prev.mode, prev.qualifier, prev.adjective = head.mode, head.qualifier, head.adjective
            k -= 1

    # -- choosing ------------------------------------------------------------------

    def resolve(
        self, spans: list[_Span], min_population: int, context_km: float
    ) -> tuple[Mention, ...]:
        for sp in spans:
            sp.cands = _mode_candidates(sp)
            for c in sp.cands:
                c.weight = prior(c, min_population)
        spans = [sp for sp in spans if sp.cands]
        admin1: set[str] = set()
        anchors: list[tuple[str, Place]] = []
        for sp in spans:
            picked = choose(sp.cands)
            if picked is None:
                continue
            best, share = picked
            if best.place.kind == "region" and best.place.admin1_code:
                admin1.add(best.place.admin1_code)
            elif best.place.kind == "settlement" and share >= SURE_SHARE:
                anchors.append((sp.key, best.place))
        admin1 |= _anchor_oblasts(anchors)
        ctx = Context(frozenset(admin1), self.countries, anchors, context_km)
        decided: dict[tuple[str, str], tuple[Place, float]] = {}
        mentions = []
        for sp in spans:
            # One sense per article: every "Konstantinovka" in it is the same place.
            memo = (sp.key, "settlement" if sp.mode == "trigger" else sp.mode)
            if memo not in decided:
                for c in sp.cands:
                    c.weight = contextual_weight(c, sp.key, ctx, min_population)
                picked = choose(sp.cands)
                assert picked is not None
                decided[memo] = (picked[0].place, picked[1])
            place, share = decided[memo]
            mentions.append(self._mention(sp, place, share))
        return tuple(self._coded_to(mentions))

    def _mention(self, sp: _Span, place: Place, share: float) -> Mention:
        start = self.starts[sp.i]
        end = self.ends[sp.last]
        if place.kind == "settlement":
            precision = max(2 if sp.qualifier else 1, place.coord_precision)
            qualifier = sp.qualifier
        else:
            precision = 3
            qualifier = sp.qualifier if sp.mode != "region" else None
        return Mention(
            surface=self.text[start:end],
            start=start,
            end=end,
            place=place,
            geo_precision=precision,
            confidence=round(share, 3),
            qualifier=qualifier,
        )


def _anchor_oblasts(anchors: Sequence[tuple[str, Place]]) -> set[str]:
    """The oblasts an article is about without naming them: those of at least
    `ANCHOR_OBLAST_MIN` of its unambiguous settlements ("Slavyansk", "Kramatorsk" and
    "Bakhmut" put a "Liman direction" in Donetsk oblast)."""
    by_oblast: dict[str, set[int]] = {}
    for _, place in anchors:
        if place.admin1_code:
            by_oblast.setdefault(place.admin1_code, set()).add(place.geonameid)
    return {code for code, gids in by_oblast.items() if len(gids) >= ANCHOR_OBLAST_MIN}


def _mode_candidates(sp: _Span) -> list[Candidate]:
    """The candidates a name's reading allows; a reading that leaves none (a country
    before "area") falls back to the bare name's."""
    names = _own_names(sp.key, sp.names)
    if sp.mode == "region":
        regions = [c for c in names if c.place.kind == "region"]
        if regions:
            return regions
        if sp.adjective:
            # "Bakhmut regional hospital": no oblast of that name, so the bare reading.
            return _bare_candidates(names)
        settlements = [c for c in names if c.place.kind == "settlement"]
        if settlements:
            # "Bakhmut region", "Moscow region": not an oblast of the table, so the
            # area around the settlement.
            sp.qualifier = sp.qualifier or "area"
            return settlements
    elif sp.mode in ("trigger", "settlement"):
        out = [c for c in names if c.place.kind == "settlement"]
        if sp.mode == "trigger":
            seen = {c.place.geonameid for c in out}
            out += [Candidate(p) for p in sp.stems if p.geonameid not in seen]
        if out:
            return out
    return _bare_candidates(names)


def _bare_candidates(names: list[Candidate]) -> list[Candidate]:
    countries = [c for c in names if c.place.kind == "country"]
    if countries:
        return countries
    regions = [c for c in names if c.place.kind == "region"]
    if regions:
        region_countries = {c.place.country for c in regions}
        if not any(
            c.place.kind == "settlement"
            and c.place.country in region_countries
            and c.place.population >= REGION_CITY_POPULATION
            for c in names
        ):
            return regions
    return [c for c in names if c.place.kind == "settlement"]


def _minor(sp: _Span) -> bool:
    """Whether every reading of a name is a settlement smaller than a big town, or one
    outside the war's countries: a name worth doubting on a hint of another sense."""
    return all(
        c.place.kind == "settlement"
        and (c.place.population < REGION_CITY_POPULATION or c.place.country not in _WAR_COUNTRIES)
        for c in sp.names
    )


def _significant(sp: _Span) -> bool:
    """A place a PERSON tag from spaCy should not overrule: any oblast or country, any
    Ukrainian settlement by its own name or a spelling of it, a big Russian or
    Belarusian one."""
    if sp.key in _PERSON:
        return False
    for c in sp.names:
        p = c.place
        if p.kind != "settlement":
            return True
        if p.country == "UA" and c.how != OTHER_ALTERNATE:
            return True
        if p.country in _WAR_COUNTRIES and p.population >= SIGNIFICANT_POPULATION:
            return True
    return False


def _tidy_qualifier(q: str) -> str:
    q = re.sub(r"\s+", " ", q.lower()).replace("-", "")
    q = re.sub(r"(north|south|east|west)(?:ern|erly)", r"\1", q)
    return q
