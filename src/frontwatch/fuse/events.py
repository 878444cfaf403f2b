"""One event from many reports.

Reports of the same event — the same side doing the same kind of thing at the same place
(or a few kilometres off, when one report is vague about where), on dates that overlap
given each report's precision — are fused into one `FusedEvent` that keeps every report,
the most precise location and date, every source, and a corroboration count of the
independent origins behind it: different outlets and bodies count, a syndicated copy
(fuse.dedup) or a relay of one origin does not.

Fusion joins reports pairwise with a union-find, but a group only grows while every
report in it still allows one common day: week-precision reports ("this week", an undated
report dated by its publication) would otherwise chain a month of strikes on a city into
one event. Pairs are taken strongest first (same place, then nearest dates) in an order
computed from their content alone, so the grouping does not depend on the order of the
input, and each group's representative and id depend only on its members.

`rule="acled"` reproduces ACLED's convention instead: one event per actor pair, place
and day (reports without a day of their own are left alone).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..geo import distance_km
from ..records import Event, Source

Rule = Literal["reports", "acled"]
# A vague report ("near X", "X direction") may name a town up to this far from the one
# another report names for the same fight.
NEAR_KM = 10.0


@dataclass(frozen=True, slots=True)
class FusedEvent:
    fused_id: str
    event: Event  # the representative report: most precise place, then date
    reports: tuple[Event, ...]
    sources: tuple[Source, ...]
    corroboration: int  # independent origins among the reports
    date_from: date | None
    date_to: date | None


def window(ev: Event) -> tuple[date, date] | None:
    """The days a report's date can mean, given its precision."""
    d = ev.event_date
    if d is None:
        return None
    if ev.time_precision == 1:
        return d, d
    if ev.time_precision == 2:
        # A week-precision date is the report's own date or a day of its week before it.
        return d - timedelta(days=6), d
    first = d.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _overlap(a: Event, b: Event) -> bool:
    wa, wb = window(a), window(b)
    if wa is None or wb is None:
        return wa is None and wb is None
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def _same_place(a: Event, b: Event) -> bool:
    pa, pb = a.location.place, b.location.place
    if pa.geonameid == pb.geonameid:
        return True
    if pa.kind != "settlement" or pb.kind != "settlement":
        return False
    vague = max(a.location.geo_precision, b.location.geo_precision) >= 2
    return vague and distance_km(pa, pb) <= NEAR_KM


def same_event(a: Event, b: Event) -> bool:
    """Whether two reports tell the same event."""
    if a.side1 != b.side1 or a.sub_event_type != b.sub_event_type:
        return False
    if a.movement and b.movement and a.movement != b.movement:
        return False
    return _same_place(a, b) and _overlap(a, b)


def _acled_key(ev: Event) -> tuple[object, ...] | None:
    if ev.time_precision != 1 or ev.event_date is None:
        return None
    return (ev.actor1, ev.actor2, ev.sub_event_type, ev.location.place.geonameid,
            ev.event_date)


Window = tuple[date, date] | None


class _UnionFind:
    def __init__(self, keys: Iterable[str], days: Mapping[str, Window] | None = None) -> None:
        self.parent = {k: k for k in keys}
        # The days every member of a root's group allows (None: undated members).
        self.days: dict[str, Window] = dict(days or {})

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id wins, so the roots do not depend on the order of unions.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo

    def union_if_one_day(self, a: str, b: str) -> None:
        """Join the groups of `a` and `b` when some day is allowed by all their members."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        wa, wb = self.days.get(ra), self.days.get(rb)
        if wa is None or wb is None:
            if wa is not None or wb is not None:
                return
            common: Window = None
        else:
            common = (max(wa[0], wb[0]), min(wa[1], wb[1]))
            if common[0] > common[1]:
                return
        self.union(ra, rb)
        self.days[self.find(ra)] = common


def _candidates(events: Sequence[Event]) -> Iterable[tuple[Event, Event]]:
    # Only reports of one side and type can be one event; within those, compare each
    # pair whose weeks are near (a month-precision report meets every week of its month).
    buckets: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for ev in events:
        buckets[(ev.side1, ev.sub_event_type)].append(ev)
    for group in buckets.values():
        by_place: dict[int, list[Event]] = defaultdict(list)
        for ev in group:
            by_place[ev.location.place.geonameid].append(ev)
        places = sorted(by_place)
        for i, gid in enumerate(places):
            members = by_place[gid]
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    yield members[x], members[y]
            first = members[0].location.place
            for other in places[i + 1:]:
                o = by_place[other][0].location.place
                if first.kind == "settlement" and o.kind == "settlement" and \
                        distance_km(first, o) <= NEAR_KM:
                    for a in members:
                        for b in by_place[other]:
                            yield a, b


def _pair_order(pair: tuple[Event, Event]) -> tuple[object, ...]:
    """Strongest evidence of one event first: the same place, the nearest dates, the most
    precise reports; then the ids, so the order depends on the pair alone."""
    a, b = pair
    wa, wb = window(a), window(b)
    gap = abs((wa[1] - wb[1]).days) if wa is not None and wb is not None else 0
    ids = sorted((a.event_id, b.event_id))
    return (a.location.place.geonameid != b.location.place.geonameid, gap,
            (a.time_precision or 9) + (b.time_precision or 9), ids[0], ids[1])


def _origin(ev: Event) -> str:
    if ev.sources:
        return ev.sources[0].name.casefold()
    return f"article:{ev.article_id}"


def corroboration(reports: Sequence[Event], duplicate_of: Mapping[str, str]) -> int:
    """Independent origins: the first source of each report (the relays behind it tell
    nothing new), once per original article (a copy of an article is that article)."""
    seen: set[tuple[str, ...]] = set()
    origins: set[str] = set()
    for ev in reports:
        root = ev.article_id
        while root in duplicate_of and duplicate_of[root] != root:
            root = duplicate_of[root]
        origin = _origin(ev)
        if origin.startswith("article:"):
            origin = f"article:{root}"
        if (root, origin) in seen:
            continue
        seen.add((root, origin))
        origins.add(origin)
    return len(origins)


def _representative(reports: Sequence[Event]) -> Event:
    return min(reports, key=lambda e: (e.location.geo_precision, e.time_precision or 9,
                                       -len(e.sources), e.event_id))


def _fused(reports: list[Event], duplicate_of: Mapping[str, str]) -> FusedEvent:
    reports.sort(key=lambda e: e.event_id)
    rep = _representative(reports)
    sources: list[Source] = []
    names: set[str] = set()
    for ev in sorted(reports, key=lambda e: (e is not rep, e.event_id)):
        for s in ev.sources:
            if s.name.casefold() not in names:
                names.add(s.name.casefold())
                sources.append(s)
    windows = [w for w in (window(e) for e in reports) if w is not None]
    # The days every report allows; when they disagree, the span they cover.
    lo = max((w[0] for w in windows), default=None)
    hi = min((w[1] for w in windows), default=None)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = min(w[0] for w in windows), max(w[1] for w in windows)
    fid = hashlib.sha1("|".join(e.event_id for e in reports).encode()).hexdigest()[:16]
    return FusedEvent(fid, rep, tuple(reports), tuple(sources),
                      corroboration(reports, duplicate_of), lo, hi)


def fuse_events(events: Iterable[Event], duplicate_of: Mapping[str, str] | None = None,
                rule: Rule = "reports") -> list[FusedEvent]:
    """Group reports into events; the result is sorted by date, then id."""
    evs = sorted({e.event_id: e for e in events}.values(), key=lambda e: e.event_id)
    dups = duplicate_of or {}
    uf = _UnionFind((e.event_id for e in evs), {e.event_id: window(e) for e in evs})
    if rule == "acled":
        keyed: dict[tuple[object, ...], str] = {}
        for ev in evs:
            key = _acled_key(ev)
            if key is None:
                continue
            if key in keyed:
                uf.union(keyed[key], ev.event_id)
            else:
                keyed[key] = ev.event_id
    else:
        pairs = [(a, b) for a, b in _candidates(evs) if same_event(a, b)]
        pairs.sort(key=_pair_order)
        for a, b in pairs:
            uf.union_if_one_day(a.event_id, b.event_id)
    groups: dict[str, list[Event]] = defaultdict(list)
    for ev in evs:
        groups[uf.find(ev.event_id)].append(ev)
    fused = [_fused(g, dups) for g in groups.values()]
    fused.sort(key=lambda f: (f.event.event_date or date.min, f.fused_id))
    return fused
