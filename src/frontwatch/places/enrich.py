"""What loaded gazetteer sources add to the index, and admin2/admin3 coding.

Called by `gazetteer.build_geonames_index` with the rows of every loaded source:

1. `add_geonames` (before cities500): the places of GeoNames country dumps. Their
   records win over cities500's for the same geonameid (they carry admin2 codes).
2. `add_cod` (after cities500): each OCHA COD-AB settlement is first placed: at a
   same-named point of a loaded GeoNames point list near its hromada's centroid
   (`coord_precision` 1), else at a same-named entry of the postal dump near that
   centroid (most are GeoNames' own points; 1), else at that centroid (2), else at its
   raion's (3). Then it is joined to a GeoNames settlement of the same oblast
   named the same (English or Ukrainian name, through the spelling variants the index
   already holds) within `POSTAL_JOIN_KM` of its postal point or `JOIN_KM` of the
   centroid, closest pairs first and one to one. A joined place keeps its GeoNames id
   and point and gets the COD names as its own (they are the official ones: GeoNames
   may still use a pre-2016 name) and its exact raion and hromada. A
   settlement with no match becomes a place of its own, with id `COD_ID_BASE` + the
   digits of its P-code.
3. `code_admin`: every other Ukrainian settlement gets the raion and hromada of the
   nearest hromada centroid in its oblast. This is an approximation: a village near a
   hromada border can get the neighbouring hromada. Without COD-AB hromadas, a place
   from a GeoNames dump gets the name of its GeoNames admin2 unit instead.

Admin names follow COD-AB's English names, as ACLED uses them: admin2 "Bakhmutskyi"
(2020 raion), admin3 "Bakhmutska" (hromada).
"""

from __future__ import annotations

import logging
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TypeVar

from ..records import Place
from .admin import ADMIN1, ADMIN1_BY_CODE, admin1_name
from .index import OTHER_ALTERNATE, IndexBuilder
from .normalise import normalise_name, usable_name
from .sources import CodSettlement, CodUnit, GeoNamesRow, LoadedData, PointRow, PostalRow
from .variants import spelling_variants

log = logging.getLogger(__name__)
K = TypeVar("K", int, tuple[float, float, int])

COD_ID_BASE = 10_000_000_000
# How far a same-named GeoNames place (or postal entry) may be from the settlement's
# hromada centroid and still be that settlement; from its raion centroid when the
# hromada's is not known.
JOIN_KM = 35.0
JOIN_RAION_KM = 70.0
# ... and from a postal-dump point of the settlement (those are mostly GeoNames' own).
POSTAL_JOIN_KM = 5.0
_KM_PER_DEGREE = 111.2

# COD-AB oblast P-codes (KOATUU-based) with the oblast's English name in COD-AB. The
# GeoNames admin1 code is looked up by that name in the `admin` table.
COD_OBLAST_NAMES: dict[str, str] = {
    "UA01": "Autonomous Republic of Crimea",
    "UA05": "Vinnytska",
    "UA07": "Volynska",
    "UA12": "Dnipropetrovska",
    "UA14": "Donetska",
    "UA18": "Zhytomyrska",
    "UA21": "Zakarpatska",
    "UA23": "Zaporizka",
    "UA26": "Ivano-Frankivska",
    "UA32": "Kyivska",
    "UA35": "Kirovohradska",
    "UA44": "Luhanska",
    "UA46": "Lvivska",
    "UA48": "Mykolaivska",
    "UA51": "Odeska",
    "UA53": "Poltavska",
    "UA56": "Rivnenska",
    "UA59": "Sumska",
    "UA61": "Ternopilska",
    "UA63": "Kharkivska",
    "UA65": "Khersonska",
    "UA68": "Khmelnytska",
    "UA71": "Cherkaska",
    "UA73": "Chernivetska",
    "UA74": "Chernihivska",
    "UA80": "Kyiv City",
    "UA85": "Sevastopol",
}
# Postal dumps name the city of Kyiv "Kyiv" (its oblast is "Kyivska").
_POSTAL_ADMIN1 = {"kyiv": "UA.12"}


@lru_cache(maxsize=1024)
def admin1_by_name(name: str, country: str = "UA") -> str | None:
    """The GeoNames admin1 code of a region named `name` (its table name first, then
    any of its other names)."""
    key = normalise_name(name)
    regions = [a for a in ADMIN1 if a.code.startswith(f"{country}.")]
    for a in regions:
        if normalise_name(a.name) == key:
            return a.code
    for a in regions:
        if key in {normalise_name(n) for n in a.names}:
            return a.code
    return None


def _oblast_table() -> dict[str, str]:
    table = {}
    for pcode, name in COD_OBLAST_NAMES.items():
        code = admin1_by_name(name)
        if code is None:  # pragma: no cover - guarded by a test
            raise AssertionError(f"no admin1 named {name!r}")
        table[pcode] = code
    return table


COD_OBLAST_TO_ADMIN1: dict[str, str] = _oblast_table()


def cod_geonameid(pcode: str) -> int:
    """The id of a COD-AB settlement that has no GeoNames place."""
    return COD_ID_BASE + int(pcode[2:])


def cod_pcode(geonameid: int) -> str | None:
    """The P-code behind an id of `cod_geonameid`, None for a GeoNames id."""
    if geonameid < COD_ID_BASE:
        return None
    return f"UA{geonameid - COD_ID_BASE:010d}"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    mean = math.radians((lat1 + lat2) / 2.0)
    return _KM_PER_DEGREE * math.hypot((lon1 - lon2) * math.cos(mean), lat1 - lat2)


def _intern(s: str | None) -> str | None:
    return sys.intern(s) if s else None


@dataclass(frozen=True, slots=True)
class EnrichStats:
    """What the loaded sources added, for the log and `gazetteer info`."""

    geonames_places: int = 0
    cod_joined: int = 0
    cod_point: int = 0
    cod_postal: int = 0
    cod_hromada_centroid: int = 0
    cod_raion_centroid: int = 0
    cod_unplaced: int = 0
    coded_nearest: int = 0
    coded_geonames_admin2: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# -- GeoNames dumps --------------------------------------------------------------------


def add_geonames(builder: IndexBuilder, rows: Iterable[GeoNamesRow]) -> int:
    """Add the settlements of GeoNames dumps; the number added."""
    n = 0
    for r in rows:
        if r.feature_class != "P":
            continue
        cc = sys.intern(r.country)
        code = r.admin1 if r.admin1 and r.admin1 != "00" else None
        place = Place(
            geonameid=r.geonameid,
            name=r.name,
            latitude=r.latitude,
            longitude=r.longitude,
            country=cc,
            kind="settlement",
            admin1_code=sys.intern(f"{cc}.{code}") if code else None,
            admin1=admin1_name(cc, code) if code else None,
            population=r.population,
        )
        builder.add(place, (*r.alternates, r.asciiname))
        n += 1
    return n


# -- COD-AB ----------------------------------------------------------------------------


class _Units:
    """COD-AB units by P-code, with the names the admin columns take."""

    def __init__(self, units: Iterable[CodUnit]) -> None:
        self.by_pcode = {u.pcode: u for u in units}

    def name(self, pcode: str) -> str | None:
        unit = self.by_pcode.get(pcode)
        return _intern(unit.name_en) if unit else None

    def centre(self, pcode: str) -> tuple[float, float] | None:
        unit = self.by_pcode.get(pcode)
        if unit is None or unit.latitude is None or unit.longitude is None:
            return None
        return unit.latitude, unit.longitude

    def reference(self, s: CodSettlement) -> tuple[tuple[float, float] | None, float]:
        """Where a settlement is known to be near, and within how many km."""
        centre = self.centre(s.hromada)
        if centre is not None:
            return centre, JOIN_KM
        return self.centre(s.raion), JOIN_RAION_KM

    def hromadas(self) -> list[CodUnit]:
        return [
            u for u in self.by_pcode.values()
            if u.level == "hromada" and u.latitude is not None and u.longitude is not None
        ]


def _postal_key(name: str) -> str:
    return normalise_name(re.sub(r"\s*\(.*?\)\s*", " ", name))


def _postal_index(rows: Iterable[PostalRow]) -> dict[tuple[str, str], list[PostalRow]]:
    out: dict[tuple[str, str], dict[tuple[float, float], PostalRow]] = defaultdict(dict)
    for r in rows:
        if r.country != "UA":
            continue
        code = _POSTAL_ADMIN1.get(normalise_name(r.admin1_name)) or admin1_by_name(r.admin1_name)
        if code is None:
            continue
        point = (round(r.latitude, 3), round(r.longitude, 3))
        best = out[(code, _postal_key(r.name))].get(point)
        if best is None or r.accuracy > best.accuracy:
            out[(code, _postal_key(r.name))][point] = r
    return {k: list(v.values()) for k, v in out.items()}


def _one_to_one(pairs: list[tuple[float, int, K]]) -> dict[int, K]:
    """Closest (distance, settlement, item) pairs first: each settlement gets at most one
    item and each item goes to at most one settlement."""
    out: dict[int, K] = {}
    taken: set[K] = set()
    for _, idx, item in sorted(pairs, key=lambda t: (t[0], t[1])):
        if idx not in out and item not in taken:
            out[idx] = item
            taken.add(item)
    return out


def _postal_points(
    settlements: list[CodSettlement], units: _Units, postal: list[PostalRow]
) -> dict[int, tuple[float, float, int]]:
    """(lat, lon, coord_precision) from the postal dump for the settlements it names."""
    post = _postal_index(postal)
    pairs: list[tuple[float, int, tuple[float, float, int]]] = []
    for idx, s in enumerate(settlements):
        admin1 = COD_OBLAST_TO_ADMIN1.get(s.oblast)
        rows = post.get((admin1 or "", normalise_name(s.name_ua)))
        if not rows:
            continue
        centre, limit = units.reference(s)
        for r in rows:
            point = (r.latitude, r.longitude, 1 if r.accuracy >= 3 else 2)
            if centre is None:
                if len(rows) == 1:
                    pairs.append((0.0, idx, point))
                continue
            d = _km(r.latitude, r.longitude, centre[0], centre[1])
            if d <= limit:
                pairs.append((d, idx, point))
    return _one_to_one(pairs)


def _point_index(points: Iterable[PointRow]) -> dict[str, list[PointRow]]:
    """Points by their normalised name and its spelling variants: a point list and
    COD-AB may romanise one village differently (Novomykhailivka / Novomykhaylivka)."""
    out: dict[str, list[PointRow]] = defaultdict(list)
    for r in points:
        key = normalise_name(r.name)
        for k in {key} | spelling_variants(key):
            out[k].append(r)
    return out


def _point_coords(
    settlements: list[CodSettlement], units: _Units, points: list[PointRow]
) -> dict[int, tuple[float, float, int]]:
    """(lat, lon, 1) from a point list for the settlements it names near their hromada.

    Only a settlement with a known reference centre is placed: a point list has no admin
    codes, so a same-named point anywhere else is likelier another village."""
    if not points:
        return {}
    by_name = _point_index(points)
    pairs: list[tuple[float, int, tuple[float, float, int]]] = []
    for idx, s in enumerate(settlements):
        rows = by_name.get(normalise_name(s.name_en))
        if not rows:
            continue
        centre, limit = units.reference(s)
        if centre is None:
            continue
        for r in rows:
            d = _km(r.latitude, r.longitude, centre[0], centre[1])
            if d <= limit:
                pairs.append((d, idx, (r.latitude, r.longitude, 1)))
    return _one_to_one(pairs)


def add_cod(
    builder: IndexBuilder, settlements: list[CodSettlement], units: _Units,
    postal: list[PostalRow], coded: set[int], points: list[PointRow] | None = None,
) -> Counter[str]:
    """Join COD-AB settlements to the index's places or add them; counts by outcome.

    Where the settlement is: a same-named point of a point list, or else postal-dump
    entry, near its hromada's centroid when there is one, else that centroid. A
    same-named GeoNames place of the oblast is the settlement if it lies within
    `POSTAL_JOIN_KM` of such a point, or `JOIN_KM` of a centroid.
    """
    stats: Counter[str] = Counter()
    places = builder.places
    postal_points = _postal_points(settlements, units, postal)
    # A point list's points are GeoNames' own; the postal dump's are not always (some
    # are raion centroids, a few are wrong), so a point wins over a postal entry.
    own_points = _point_coords(settlements, units, points or [])
    pairs: list[tuple[float, int, int]] = []
    for idx, s in enumerate(settlements):
        admin1 = COD_OBLAST_TO_ADMIN1.get(s.oblast)
        if admin1 is None:
            continue
        centre, limit = units.reference(s)
        if idx in own_points:
            centre, limit = own_points[idx][:2], POSTAL_JOIN_KM
        elif idx in postal_points and postal_points[idx][2] == 1:
            centre, limit = postal_points[idx][:2], POSTAL_JOIN_KM
        found: dict[int, Place] = {}
        for key in {normalise_name(s.name_en), normalise_name(s.name_ua)} - {""}:
            for gid, named in builder.names.get(key, {}).items():
                if named == OTHER_ALTERNATE or gid in found:
                    continue
                p = places.get(gid)
                if p and p.kind == "settlement" and p.admin1_code == admin1:
                    found[gid] = p
        if centre is None:
            if len(found) == 1:
                pairs.append((0.0, idx, next(iter(found))))
            continue
        for gid, p in found.items():
            d = _km(p.latitude, p.longitude, centre[0], centre[1])
            if d <= limit:
                pairs.append((d, idx, gid))
    joined = _one_to_one(pairs)
    for idx, s in enumerate(settlements):
        admin1 = COD_OBLAST_TO_ADMIN1.get(s.oblast)
        if admin1 is None or not s.pcode.startswith("UA"):
            stats["unplaced"] += 1
            continue
        admin2, admin3 = units.name(s.raion), units.name(s.hromada)
        names = [n for n in (s.name_en, s.name_ua) if n]
        match = joined.get(idx)
        if match is not None:
            place = places.get(match)
            assert place is not None
            builder.add(place, names)
            _own_names(builder, match, names)
            places.set_admin(match, admin2, admin3)
            coded.add(match)
            stats["joined"] += 1
            continue
        point: tuple[float, float] | None = None
        if idx in own_points:
            lat, lon, precision = own_points[idx]
            point, how = (lat, lon), "point"
        elif idx in postal_points:
            lat, lon, precision = postal_points[idx]
            point, how = (lat, lon), "postal"
        elif units.centre(s.hromada) is not None:
            point, precision, how = units.centre(s.hromada), 2, "hromada_centroid"
        elif units.centre(s.raion) is not None:
            point, precision, how = units.centre(s.raion), 3, "raion_centroid"
        if point is None:
            stats["unplaced"] += 1
            continue
        place = Place(
            geonameid=cod_geonameid(s.pcode),
            name=s.name_en,
            latitude=point[0],
            longitude=point[1],
            country="UA",
            kind="settlement",
            admin1_code=sys.intern(admin1),
            admin1=_intern(ADMIN1_BY_CODE[admin1].name),
            admin2=admin2,
            admin3=admin3,
            coord_precision=precision,
        )
        # No clipped stems ("Kupyan direction"): a village rarely names a direction, and
        # stems for 24,000 villages would cost the index a third of its opening time.
        builder.add(place, names[1:], stems=False)
        stats[how] += 1
    return stats


def _own_names(builder: IndexBuilder, gid: int, names: list[str]) -> None:
    """COD-AB's names are a settlement's official ones: a GeoNames place joined to it
    has them as its own, not as "other" names (GeoNames may still use the name from
    before a 2016 renaming and list the official one as an alternate)."""
    for n in names:
        key = normalise_name(n)
        if not usable_name(n) or not key:
            continue
        for k in {key} | spelling_variants(key):
            builder.add_key(k, gid)


def code_admin(
    builder: IndexBuilder, units: _Units, geonames_admin2: dict[int, str], coded: set[int]
) -> Counter[str]:
    """Give every other Ukrainian settlement an admin2/admin3 (see the module doc)."""
    stats: Counter[str] = Counter()
    by_oblast: dict[str, list[CodUnit]] = defaultdict(list)
    for h in units.hromadas():
        admin1 = COD_OBLAST_TO_ADMIN1.get(h.pcode[:4])
        if admin1:
            by_oblast[admin1].append(h)
    t = builder.places
    for gid, row in t.rows():
        if t.kind[row] != 0 or t.country[row] != "UA" or gid in coded or gid >= COD_ID_BASE:
            continue
        hromadas = by_oblast.get(t.admin1_code[row] or "")
        if hromadas:
            lat, lon = t.lat[row], t.lon[row]
            h = min(hromadas, key=lambda u: _km(lat, lon, u.latitude or 0.0, u.longitude or 0.0))
            t.set_admin(gid, units.name(h.parent), _intern(h.name_en))
            stats["nearest"] += 1
        elif gid in geonames_admin2:
            t.set_admin(gid, geonames_admin2[gid], None)
            stats["geonames_admin2"] += 1
    return stats


def enrich(builder: IndexBuilder, loaded: LoadedData) -> EnrichStats:
    """Add the COD-AB settlements and code admin2/admin3 (after cities500 is in)."""
    units = _Units(loaded.cod_units)
    coded: set[int] = set()
    cod = add_cod(builder, loaded.cod_settlements, units, loaded.postal, coded, loaded.points)
    admin2_names = {r.code: r.name for r in loaded.admin2_codes}
    for r in loaded.geonames:
        if r.feature_class == "A" and r.feature_code == "ADM2":
            admin2_names.setdefault(f"{r.country}.{r.admin1}.{r.admin2}", r.name)
    geonames_admin2 = {}
    for r in loaded.geonames:
        name = admin2_names.get(f"{r.country}.{r.admin1}.{r.admin2}") if r.admin2 else None
        if r.feature_class == "P" and name:
            geonames_admin2[r.geonameid] = sys.intern(name)
    by_admin = code_admin(builder, units, geonames_admin2, coded)
    stats = EnrichStats(
        geonames_places=sum(1 for r in loaded.geonames if r.feature_class == "P"),
        cod_joined=cod["joined"],
        cod_point=cod["point"],
        cod_postal=cod["postal"],
        cod_hromada_centroid=cod["hromada_centroid"],
        cod_raion_centroid=cod["raion_centroid"],
        cod_unplaced=cod["unplaced"],
        coded_nearest=by_admin["nearest"],
        coded_geonames_admin2=by_admin["geonames_admin2"],
    )
    log.info("loaded gazetteer sources: %s", stats.as_dict())
    return stats
