"""The in-memory index behind every gazetteer: places by id and an automaton of names.

Both are built to pickle small and unpickle fast, because the GeoNames index (about
240,000 places and 700,000 name keys) is loaded by every worker process:

* `PlaceTable` keeps places as parallel columns and builds `Place` objects on demand.
* `NameIndex` keeps one Aho-Corasick automaton whose keys are the name keys wrapped
  in spaces (" kyiv "), so a scan of the space-joined article words can only match
  whole words. Each key's value points into flat arrays of geonameids: the places
  the key names, and the Ukrainian settlements the key is a clipped stem of.
"""

from __future__ import annotations

import logging
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import ahocorasick

from ..records import Place, PlaceKind
from .admin import ADMIN1_BY_CODE
from .normalise import normalise_name, usable_name
from .variants import clipped_stems, spelling_variants

log = logging.getLogger(__name__)

KINDS: tuple[PlaceKind, ...] = ("settlement", "region", "country")
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
_FEATURE = {"settlement": "", "region": "ADM1", "country": "PCLI"}

# The length of " key " is packed into the low byte of the automaton value.
_LEN_BITS = 8
MAX_KEY_LEN = (1 << _LEN_BITS) - 3
MIN_KEY_LEN = 3

# How a key names a place, kept in the low bits of each posting.
OWN_NAME = 0  # the place's name, or a generated spelling of it
SIMILAR_ALTERNATE = 1  # another spelling (Kharkov for Kharkiv)
OTHER_ALTERNATE = 2  # another name altogether (a former name, a nickname)


_HEAD_FOLD = str.maketrans("yjeg", "iiih")
_VOWELS = re.compile(r"[aeiouy ]+")


def similar_names(alternate: str, primary: str) -> bool:
    """Whether an alternate key looks like a spelling of the primary name (Kiev/Kyiv,
    Chernobyl/Chornobyl, Konstantinovka/Kostyantynivka) rather than another name
    (Donetsk's old "Oleksandrivka"): same first two letters or same first three
    consonants, once kh/ch/h/g and i/y/j/e are folded. Non-Latin alternates are
    spellings by definition."""
    if not (alternate.isascii() and primary.isascii()):
        return True

    def fold(k: str) -> str:
        return k.replace("kh", "h").replace("ch", "h").translate(_HEAD_FOLD)

    a, b = fold(alternate), fold(primary)
    return a[:2] == b[:2] or _VOWELS.sub("", a)[:3] == _VOWELS.sub("", b)[:3]


class PlaceTable:
    """Places keyed by geonameid, stored column-wise."""

    def __init__(self) -> None:
        self._row: dict[int, int] = {}
        self.gid = array("q")
        self.lat = array("d")
        self.lon = array("d")
        self.pop = array("q")
        self.kind = array("b")
        self.name: list[str] = []
        self.country: list[str] = []
        self.admin1_code: list[str | None] = []
        self.admin1: list[str | None] = []
        self.admin2: list[str | None] = []
        self.admin3: list[str | None] = []
        self.precision = array("b")  # Place.coord_precision
        self._cache: dict[int, Place] = {}

    def __len__(self) -> int:
        return len(self.gid)

    def __contains__(self, gid: int) -> bool:
        return gid in self._row

    def add(self, place: Place, *, keep: bool = False) -> None:
        """Add `place`; `keep` stores the object itself so `get` returns it unchanged."""
        if place.geonameid in self._row:
            return
        self._row[place.geonameid] = len(self.gid)
        self.gid.append(place.geonameid)
        self.lat.append(place.latitude)
        self.lon.append(place.longitude)
        self.pop.append(place.population)
        self.kind.append(_KIND_CODE[place.kind])
        self.name.append(place.name)
        self.country.append(place.country)
        self.admin1_code.append(place.admin1_code)
        self.admin1.append(place.admin1)
        self.admin2.append(place.admin2)
        self.admin3.append(place.admin3)
        self.precision.append(place.coord_precision)
        if keep:
            self._cache[place.geonameid] = place

    def get(self, gid: int) -> Place | None:
        place = self._cache.get(gid)
        if place is not None:
            return place
        row = self._row.get(gid)
        if row is None:
            return None
        kind = KINDS[self.kind[row]]
        code = self.admin1_code[row]
        admin1 = self.admin1[row]
        if admin1 is None and code is not None and code in ADMIN1_BY_CODE:
            admin1 = ADMIN1_BY_CODE[code].name
        place = Place(
            geonameid=gid,
            name=self.name[row],
            latitude=self.lat[row],
            longitude=self.lon[row],
            country=self.country[row],
            kind=kind,
            admin1_code=code,
            admin1=admin1,
            admin2=self.admin2[row],
            admin3=self.admin3[row],
            population=self.pop[row],
            feature_code=_FEATURE[kind],
            coord_precision=self.precision[row],
        )
        self._cache[gid] = place
        return place

    def set_admin(self, gid: int, admin2: str | None, admin3: str | None) -> None:
        """Give a stored place its admin2 (raion) and admin3 (hromada)."""
        row = self._row[gid]
        self.admin2[row] = admin2
        self.admin3[row] = admin3
        cached = self._cache.pop(gid, None)
        if cached is not None:
            self._cache[gid] = replace(cached, admin2=admin2, admin3=admin3)

    def rows(self) -> Iterator[tuple[int, int]]:
        """(geonameid, row) of every place."""
        return iter(self._row.items())

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # Kept objects are rebuilt from the columns after unpickling; the cache is
        # per process.
        state["_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class NameIndex:
    """Name keys and clipped stems -> geonameids, behind one automaton."""

    def __init__(
        self, automaton: ahocorasick.Automaton, offsets: array[int], ids: array[int]
    ) -> None:
        self.automaton = automaton
        self.offsets = offsets  # slot s: names ids[off[2s]:off[2s+1]], stems to off[2s+2]
        self.ids = ids

    def lookup(self, key: str) -> tuple[Iterable[int], Iterable[int]]:
        """(postings of the places named `key`, geonameids of the Ukrainian settlements
        `key` is a clipped stem of). A name posting is geonameid * 4 + how the key names
        the place: OWN_NAME, SIMILAR_ALTERNATE or OTHER_ALTERNATE."""
        value = self.automaton.get(f" {key} ", -1)
        if value < 0:
            return (), ()
        return self.slot(value >> _LEN_BITS)

    def slot(self, slot: int) -> tuple[Iterable[int], Iterable[int]]:
        off = self.offsets
        a, b, c = off[2 * slot], off[2 * slot + 1], off[2 * slot + 2]
        return self.ids[a:b], self.ids[b:c]

    def scan(self, spaced: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, slot) of every key in `spaced`, a space-wrapped word sequence;
        start/end delimit the key without its wrapping spaces."""
        for last, value in self.automaton.iter(spaced):
            length = value & ((1 << _LEN_BITS) - 1)
            yield last - length + 2, last, value >> _LEN_BITS

    def keys(self) -> Iterator[str]:
        """Every key that names a place (stems excluded)."""
        off = self.offsets
        for key, value in self.automaton.items():
            s = value >> _LEN_BITS
            if off[2 * s] < off[2 * s + 1]:
                yield key[1:-1]


class IndexBuilder:
    """Collects places and their names, then freezes them into a `NameIndex`."""

    def __init__(self) -> None:
        self.places = PlaceTable()
        # key -> {geonameid: how the key names the place (OWN_NAME ...)}
        self.names: dict[str, dict[int, int]] = {}
        self.stems: dict[str, set[int]] = {}

    def add(
        self, place: Place, names: Iterable[str] = (), *, keep: bool = False, stems: bool = True
    ) -> None:
        """Index `place` under its own name and each usable alternate in `names`.

        Ukrainian settlements also get spelling variants and, unless `stems` is false,
        clipped stems of their Latin names (see `variants`).
        """
        self.places.add(place, keep=keep)
        gid = place.geonameid
        primary = normalise_name(place.name)
        keys = {primary}
        alternates: set[str] = set()
        for n in names:
            if usable_name(n):
                k = normalise_name(n)
                if k:
                    alternates.add(k)
        if place.country == "UA" and place.kind == "settlement":
            latin = sorted(k for k in keys | alternates if k.isascii())
            keys |= spelling_variants(primary)
            derived: set[str] = set()
            # A big city has dozens of Latin alternates (German, Polish, French ...);
            # their variants would only add noise, so only short lists are expanded.
            if len(latin) <= 4:
                for k in latin:
                    if k != primary:
                        derived |= spelling_variants(k)
            alternates |= derived
            for k in (set(latin) | keys | derived) if stems else ():
                for stem in clipped_stems(k):
                    self.stems.setdefault(stem, set()).add(gid)
        for k in keys:
            self._post(k, gid, OWN_NAME)
        for k in alternates - keys:
            if primary.startswith(k):
                # GeoNames lists truncations ("Mykolaiv" for the town of Mykolaivka)
                # that are other places' names.
                continue
            self._post(k, gid, SIMILAR_ALTERNATE if similar_names(k, primary) else OTHER_ALTERNATE)

    def _post(self, key: str, gid: int, how: int) -> None:
        if MIN_KEY_LEN <= len(key) <= MAX_KEY_LEN:
            postings = self.names.setdefault(key, {})
            postings[gid] = min(how, postings.get(gid, how))

    def add_key(self, key: str, gid: int) -> None:
        """Index an already normalised key as the place's own name (curated aliases)."""
        self._post(key, gid, OWN_NAME)

    def build(self) -> NameIndex:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        offsets = array("q", [0])
        ids = array("q")
        all_keys = sorted(set(self.names) | set(self.stems))
        for slot, key in enumerate(all_keys):
            names = self.names.get(key, {})
            ids.extend(sorted(gid * 4 + how for gid, how in names.items()))
            offsets.append(len(ids))
            ids.extend(sorted(self.stems.get(key, ())))
            offsets.append(len(ids))
            automaton.add_word(f" {key} ", (slot << _LEN_BITS) | (len(key) + 2))
        automaton.make_automaton()
        log.debug("name index: %d keys, %d postings", len(all_keys), len(ids))
        return NameIndex(automaton, offsets, ids)
