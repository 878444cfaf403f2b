"""Raions and hromadas named in the text: "the Ocheretynska hromada", "Beryslavskyi
district", "the Vysokopilske community".

A loaded COD-AB gazetteer gives every Ukrainian settlement its raion (admin2) and
hromada (admin3). Units are named after their centre with an adjectival ending, spelt
as variously as the towns (Vysokopilska / Vysokopilske / Vysokopolskaya), so names are
compared by a folded stem: the ending dropped, then the usual transliteration
differences folded away. A unit stands for its centre: the member settlement whose name
shares the longest beginning with the unit's (the biggest on a tie), ACLED's choice for
events coded to a hromada.

The index is built from the gazetteer's place table the first time a text names a unit,
once per process and gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..records import Place
from .index import PlaceTable
from .normalise import normalise_name

# The words that make the name before them a unit, by level.
RAION_WORDS = frozenset({"district", "raion", "rayon"})
HROMADA_WORDS = frozenset({"hromada", "community", "municipality"})

_ENDING = re.compile(r"(?:s[ck]?(?:yi|yy|iy|ij|y|i|a|e|oye|oe|aya|ogo)|ska|ske|sk)$")
_FOLD = (("kh", "h"), ("zh", "z"), ("shch", "sch"), ("ts", "c"), ("j", "i"), ("y", "i"),
         ("ie", "e"), ("'", ""), ("-", ""), (" ", ""))  # fmt: skip
_REPEATS = re.compile(r"i{2,}")


def unit_stem(name: str) -> str:
    """The folded stem of a unit or settlement name: "Vysokopilska" and "Vysokopilske"
    -> "visokopil"; "" for a name too short to compare."""
    key = normalise_name(name)
    if not key.isascii():
        return ""
    key = _ENDING.sub("", key)
    for a, b in _FOLD:
        key = key.replace(a, b)
    key = _REPEATS.sub("i", key)
    return key if len(key) >= 4 else ""


MIN_FUZZY_STEM = 6


def _close(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_FUZZY_STEM and long_.startswith(short) and len(long_) - len(short) <= 2


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class Unit:
    level: str  # "raion" | "hromada"
    name: str
    admin1_code: str | None
    centre: Place  # the member settlement that stands for the unit


class UnitIndex:
    """Units by (level, folded stem of their name)."""

    def __init__(self, places: PlaceTable) -> None:
        members: dict[tuple[str, str, str | None], list[int]] = {}
        for gid, row in places.rows():
            if places.kind[row] != 0 or places.country[row] != "UA":
                continue
            code = places.admin1_code[row]
            for level, name in (("raion", places.admin2[row]), ("hromada", places.admin3[row])):
                if name:
                    members.setdefault((level, name, code), []).append(gid)
        self._units: dict[tuple[str, str], list[tuple[str, str | None, list[int]]]] = {}
        for (level, name, code), gids in members.items():
            stem = unit_stem(name)
            if stem:
                self._units.setdefault((level, stem), []).append((name, code, gids))
        self._places = places

    def __len__(self) -> int:
        return sum(len(v) for v in self._units.values())

    def lookup(self, level: str, surface: str) -> list[Unit]:
        """The units of `level` whose name `surface` spells, one per oblast."""
        stem = unit_stem(surface)
        if not stem:
            return []
        found = self._units.get((level, stem))
        if not found and len(stem) >= MIN_FUZZY_STEM:
            # Consonants merge before the ending: Volnovakha -> Volnovaskyi, written
            # "Volnovakhsky" in Russian-style text. One stem ending at most two letters
            # after the other is the same unit.
            found = [
                u
                for (lv, other), units in self._units.items()
                if lv == level and _close(stem, other)
                for u in units
            ]
        out = []
        for name, code, gids in found or ():
            centre = self._centre(stem, gids)
            if centre is not None:
                out.append(Unit(level, name, code, centre))
        return out

    def _centre(self, stem: str, gids: Iterable[int]) -> Place | None:
        best: tuple[int, int] | None = None
        centre = None
        for gid in gids:
            place = self._places.get(gid)
            if place is None:
                continue
            rank = (_common_prefix(stem, unit_stem(place.name) or place.name), place.population)
            if best is None or rank > best:
                best, centre = rank, place
        return centre


def in_unit(place: Place, level: str, stem: str) -> bool:
    """Whether a settlement lies in the raion / hromada whose folded stem is `stem`."""
    name = place.admin2 if level == "raion" else place.admin3
    return bool(name) and unit_stem(name or "") == stem
