"""Sectors of the front ("Bakhmut direction") and each side's momentum in them per week.

A report that names a direction ("on the Kupiansk direction") is in that sector. Any other
event is in the sector of the nearest axis town within `AXIS_KM`, or else in its oblast.
The axis towns are the ones Ukrainian and Russian military reporting and analysts group
the front by (a fact list, kept short); a direction the reports name that is not on the
list is a sector of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..geo import distance_km
from ..records import Event, Place, Source

AXIS_KM = 45.0
# (direction name, latitude, longitude) of the towns the front's sectors are named after.
AXES: tuple[tuple[str, float, float], ...] = (
    ("Kharkiv", 49.99, 36.23), ("Kupiansk", 49.71, 37.62), ("Lyman", 48.99, 37.81),
    ("Siversk", 48.87, 38.10), ("Bakhmut", 48.60, 38.00), ("Toretsk", 48.40, 37.85),
    ("Avdiivka", 48.14, 37.75), ("Pokrovsk", 48.28, 37.18), ("Kurakhove", 47.98, 37.28),
    ("Vuhledar", 47.78, 37.25), ("Velyka Novosilka", 47.84, 36.83),
    ("Huliaipole", 47.66, 36.26), ("Orikhiv", 47.57, 35.78), ("Kherson", 46.64, 32.62),
    ("Sievierodonetsk", 48.95, 38.49), ("Izium", 49.21, 37.26), ("Kyiv", 50.45, 30.52),
    ("Chernihiv", 51.49, 31.29), ("Sumy", 50.91, 34.80), ("Mykolaiv", 46.98, 31.99),
)
_ADVANCING = {"advance", "capture"}


@dataclass
class Momentum:
    """One sector's week: what each side gained, with who says so."""

    sector: str
    week: date  # the Monday
    advances: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    captures: dict[str, list[tuple[Place, tuple[Source, ...]]]] = field(
        default_factory=lambda: defaultdict(list))
    stalled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    events: int = 0


_AXIS_PLACES = tuple(Place(0, name, lat, lon, "UA", "settlement") for name, lat, lon in AXES)


def _axis(place: Place) -> str | None:
    best: tuple[float, str] | None = None
    for axis in _AXIS_PLACES:
        d = distance_km(place, axis)
        name = axis.name
        if d <= AXIS_KM and (best is None or d < best[0]):
            best = (d, name)
    return None if best is None else best[1]


def sector_of(ev: Event) -> str:
    loc = ev.location
    if loc.qualifier == "direction":
        return f"{loc.place.name} direction"
    if loc.place.kind == "settlement":
        axis = _axis(loc.place)
        if axis is not None:
            return f"{axis} direction"
    region = loc.place.admin1 or loc.place.name
    return f"{region} oblast" if loc.place.country == "UA" else region


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def momentum(events: Iterable[Event]) -> list[Momentum]:
    """Per sector and week, sorted by week then sector."""
    table: dict[tuple[str, date], Momentum] = {}
    for ev in events:
        if ev.event_date is None or ev.side1 not in ("russia", "ukraine"):
            continue
        key = (sector_of(ev), _monday(ev.event_date))
        m = table.setdefault(key, Momentum(*key))
        m.events += 1
        if ev.movement in _ADVANCING:
            m.advances[ev.side1] += 1
        if ev.movement == "stalled":
            m.stalled[ev.side1] += 1
        if ev.movement == "capture" and ev.location.geo_precision == 1:
            m.captures[ev.side1].append((ev.location.place, ev.sources))
    return sorted(table.values(), key=lambda m: (m.week, m.sector))


def leader(m: Momentum) -> str | None:
    """The side with more advances and captures that week, if one has more."""
    score = {s: m.advances.get(s, 0) + 2 * len(m.captures.get(s, ())) for s in
             ("russia", "ukraine")}
    if score["russia"] == score["ukraine"]:
        return None
    return max(score, key=lambda s: score[s])


def sectors(events: Sequence[Event]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        out[sector_of(ev)].append(ev)
    return dict(out)
