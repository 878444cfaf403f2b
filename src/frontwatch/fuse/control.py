"""Who holds each settlement, since when, says who.

A timeline is built per settlement from what the reports establish:

* a capture by a side (and a withdrawal by the other) changes the holder on its date,
  when the sentence asserts that the settlement itself changed hands (control_evidence:
  not "an attack to seize X", "captured portions of X", "withdrew from A to X", nor a
  claim the reporter disputes or cannot verify; a denial is no capture);
* a control statement ("remains in Russian hands", "under Russian control since the end
  of February") says who held the place from a date, or as of the report's date; told as
  background it is evidence of an earlier state;
* an attack on the settlement that failed ("repelled a Russian assault on X") says the
  defender held it that day;
* other fighting at the settlement itself (armed clashes, advances, not strikes from afar)
  makes it contested while it lasts.

Each interval keeps the observations behind it. A change is `confirmed` when independent
origins report it, or when the side that lost it says so (a withdrawal, or the loser's
own officials conceding it); otherwise it is `claimed`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, cast

from ..records import Claim, Event, Place, Source
from .control_evidence import asserts_capture, asserts_withdrawal, attack_on, defender
from .events import corroboration

Holder = Literal["russia", "ukraine", "contested", "unknown"]
Status = Literal["claimed", "confirmed"]
SIDES = ("russia", "ukraine")
# Fighting reported at a town keeps it contested this long after the last report.
CONTESTED_DAYS = 14
_FIGHTING = frozenset({"Armed clash"})
_GOV = {"russia": "russia_gov", "ukraine": "ukraine_gov"}


@dataclass(frozen=True, slots=True)
class Observation:
    """One report's word on a settlement: a change of holder, a holder at a date, or
    fighting there."""

    day: date
    kind: Literal["change", "state", "fighting"]
    holder: Holder
    evidence: str
    article_id: str
    sources: tuple[Source, ...]
    background: bool = False
    precision: int = 1
    report: Event | Claim | None = None


@dataclass(frozen=True, slots=True)
class Interval:
    holder: Holder
    start: date | None  # None: since before the first report
    end: date | None  # None: still so at the last report
    status: Status
    sources: tuple[Source, ...]
    evidence: tuple[Observation, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Timeline:
    place: Place
    intervals: tuple[Interval, ...]

    def holder_on(self, day: date) -> Holder:
        for iv in self.intervals:
            if (iv.start is None or iv.start <= day) and (iv.end is None or day <= iv.end):
                return iv.holder
        return "unknown"

    def changes(self) -> tuple[Interval, ...]:
        """The intervals that begin a change of holder: a side taking the place from the
        other, or a side reported to take it. A side holding on after a spell of fighting
        (russia, contested, russia, with no report of a taking) has not changed hands."""
        out: list[Interval] = []
        last: str | None = None
        for iv in self.intervals:
            if iv.holder not in SIDES:
                continue
            # A report of its taking that opens the interval is a change even when the
            # side was last said to hold it: that report says it had been lost meanwhile.
            taken = any(o.kind == "change" and o.day == iv.start for o in iv.evidence)
            first = last is None and _taking(iv.evidence)
            if iv.start is not None and (taken or first or last not in (None, iv.holder)):
                out.append(iv)
            last = iv.holder
        return tuple(out)


def _taking(obs: Iterable[Observation]) -> bool:
    """A report of the place's taking told as news, not as history the report recalls."""
    return any(o.kind == "change" and not o.background for o in obs)


def _other(side: str) -> str:
    return "ukraine" if side == "russia" else "russia"


def _left_place(ev: Event) -> bool:
    """A withdrawal hands over a town only when it left the town: "withdrew from Lyman",
    "left the city" — not "retreated to previously occupied positions"."""
    text = ev.evidence.lower()
    if _TO_POSITIONS.search(text):
        return False
    before, after = _leaving(ev.location.surface.lower())
    return bool(before.search(text) or after.search(text))


_TO_POSITIONS = re.compile(
    r"\b(?:retreat\w*|withdr[ae]w\w*|fell back|pulled back)\s+to\s+(?:their\s+|"
    r"the\s+)?(?:previous\w*\s+)?(?:occupied\s+)?(?:positions|lines)\b")


@lru_cache(maxsize=4096)
def _leaving(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Compiled once per place name: re's own cache holds 512 patterns, and a corpus names
    # thousands of places.
    name = re.escape(name)
    return (re.compile(r"\b(?:from|left|leave|leaving|abandon\w*|out of|pullback|pull-back|"
                       r"withdrawal|retreat)\b[^.;]{0,40}" + name),
            re.compile(name + r"[^.;]{0,60}\b(?:withdr\w*|abandon\w*|left|pull\w*)"))


def observations(events: Iterable[Event], claims: Iterable[Claim]
                 ) -> dict[int, tuple[Place, list[Observation]]]:
    """Every settlement's observations, from stored events and claims."""
    out: dict[int, tuple[Place, list[Observation]]] = {}

    def add(place: Place, obs: Observation) -> None:
        out.setdefault(place.geonameid, (place, []))[1].append(obs)

    # A capture event's own control claim (same sentence, same place) shares its verdict.
    rejected: set[tuple[str, int, int]] = set()
    for ev in events:
        place = ev.location.place
        if place.kind != "settlement" or ev.event_date is None or ev.side1 not in SIDES:
            continue
        prec = ev.time_precision or 2
        if ev.location.geo_precision != 1:
            continue  # "near X", "X direction": the town itself did not change hands
        if ev.modality == "denied":
            rejected.add((ev.article_id, ev.evidence_start, place.geonameid))
            continue
        at = ev.location.start - ev.evidence_start
        if ev.movement == "capture":
            if not asserts_capture(ev.evidence, ev.location.surface, at):
                rejected.add((ev.article_id, ev.evidence_start, place.geonameid))
                continue
            add(place, Observation(ev.event_date, "change", cast(Holder, ev.side1), ev.evidence,
                                   ev.article_id, ev.sources, precision=prec, report=ev))
        elif ev.movement == "withdraw" and _left_place(ev) and \
                asserts_withdrawal(ev.evidence, ev.location.surface, at):
            add(place, Observation(ev.event_date, "change", cast(Holder, _other(ev.side1)),
                                   ev.evidence,
                                   ev.article_id, ev.sources, precision=prec, report=ev))
        elif ev.sub_event_type in _FIGHTING and ev.movement == "stalled" and \
                attack_on(ev.evidence, ev.location.surface, at):
            # "repelled a Russian assault on X": X stayed the defender's.
            held = defender(ev.evidence, at, ev.side1)
            if held is not None:
                add(place, Observation(ev.event_date, "state", cast(Holder, held),
                                       ev.evidence, ev.article_id, ev.sources,
                                       precision=prec, report=ev))
        elif ev.sub_event_type in _FIGHTING:
            add(place, Observation(ev.event_date, "fighting", "contested", ev.evidence,
                                   ev.article_id, ev.sources, precision=prec, report=ev))
    for c in claims:
        if c.kind != "control" or c.place is None or c.place.kind != "settlement" or \
                c.holder not in SIDES or c.modality == "denied":
            continue
        if (c.valid_from is not None or c.background) and \
                (c.article_id, c.evidence_start, c.place.geonameid) in rejected:
            continue  # the rejected capture's own claim, not a holding statement beside it
        if not asserts_capture(c.evidence, c.place.name, require_verb=False):
            continue  # "operations to capture X": intended, not done
        holder = c.holder
        if c.valid_from is not None:
            # Held from a date: the change of holder then (told as news or as history).
            add(c.place, Observation(c.valid_from, "change", holder, c.evidence, c.article_id,
                                     c.sources, background=c.background,
                                     precision=c.date_precision or 3, report=c))
        elif c.background and c.as_of is not None:
            # "Bakhmut, which Russia seized, ...": it changed hands some time before the
            # report; by the report's date at the latest.
            add(c.place, Observation(c.as_of, "change", holder, c.evidence, c.article_id,
                                     c.sources, background=True, precision=3, report=c))
        elif c.as_of is not None:
            add(c.place, Observation(c.as_of, "state", holder, c.evidence, c.article_id,
                                     c.sources, report=c))
    return out


def _conceded(obs: Sequence[Observation], holder: str) -> bool:
    loser = _other(holder)
    for o in obs:
        rep = o.report
        if isinstance(rep, Event) and rep.movement == "withdraw" and rep.side1 == loser:
            return True
        if any(s.affiliation == _GOV.get(loser) for s in o.sources[:1]):
            return True
    return False


def _status(obs: Sequence[Observation], holder: str, duplicate_of: Mapping[str, str]) -> Status:
    reports = [o.report for o in obs if isinstance(o.report, Event)]
    independent = corroboration(reports, duplicate_of) if reports else 0
    origins = {(o.sources[0].name.casefold() if o.sources else o.article_id) for o in obs}
    if independent >= 2 or len(origins) >= 2 or _conceded(obs, holder):
        return "confirmed"
    return "claimed"


def _sources(obs: Sequence[Observation]) -> tuple[Source, ...]:
    seen: set[str] = set()
    out: list[Source] = []
    for o in obs:
        for s in o.sources:
            if s.name.casefold() not in seen:
                seen.add(s.name.casefold())
                out.append(s)
    return tuple(out)


def timeline(place: Place, obs: Sequence[Observation],
             duplicate_of: Mapping[str, str] | None = None) -> Timeline:
    """The holder of one settlement over time, from its observations."""
    dups = duplicate_of or {}
    # Reports of one change of holder within a few days of each other are one change,
    # dated by the earliest.
    clusters: list[tuple[date, str, list[Observation]]] = []
    for o in sorted(obs, key=lambda o: (o.day, o.precision, o.article_id, o.evidence)):
        if o.kind != "change":
            continue
        home = next((c for c in clusters if c[1] == o.holder and abs((c[0] - o.day).days) <= 3),
                    None)
        if home is None:
            clusters.append((o.day, o.holder, [o]))
        else:
            home[2].append(o)
    points: list[tuple[date, int, str, list[Observation]]] = [
        (day, 0, holder, group) for day, holder, group in clusters]
    # A statement of who holds the place at a date: by that date the holder is so.
    points += [(o.day, 1, o.holder, [o]) for o in obs if o.kind == "state"]
    # One holder per day: the one most reports give, a change outweighing a statement.
    by_day: dict[date, list[tuple[int, str, list[Observation]]]] = defaultdict(list)
    for day, order, holder, group in points:
        by_day[day].append((order, holder, group))
    daily: list[tuple[date, str, list[Observation]]] = []
    for day in sorted(by_day):
        weight: dict[str, int] = defaultdict(int)
        for order, holder, group in by_day[day]:
            weight[holder] += len(group) * (2 if order == 0 else 1)
        best = max(sorted(weight), key=lambda h: weight[h])
        daily.append((day, best, [o for _, h, g in by_day[day] if h == best for o in g]))
    runs: list[tuple[date, str, list[Observation]]] = []
    for day, holder, group in daily:
        # A report of the side taking the place, after reports only that it held it, says
        # it had been lost meanwhile: the taking opens an interval of its own.
        if runs and runs[-1][1] == holder and not (
                _taking(group) and not _taking(runs[-1][2])):
            runs[-1][2].extend(group)
        else:
            runs.append((day, holder, list(group)))
    intervals: list[Interval] = []
    for i, (day, holder, group) in enumerate(runs):
        end = runs[i + 1][0] - timedelta(days=1) if i + 1 < len(runs) else None
        intervals.append(Interval(cast(Holder, holder), day, end,
                                  _status(group, holder, dups), _sources(group), tuple(group)))
    return Timeline(place, tuple(_with_fighting(intervals, obs)))


def _with_fighting(intervals: list[Interval], obs: Sequence[Observation]) -> list[Interval]:
    """Split a holder's interval where fighting was reported at the place itself."""
    fights = sorted({o.day for o in obs if o.kind == "fighting"})
    if not fights:
        return intervals
    spans: list[tuple[date, date]] = []
    for d in fights:
        end = d + timedelta(days=CONTESTED_DAYS)
        if spans and d <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((d, end))
    # A report of who holds the place, or of its fall, ends the contest it falls in.
    said = sorted({o.day for o in obs if o.kind != "fighting"})
    clipped: list[tuple[date, date]] = []
    for a, b in spans:
        cut = next((d for d in said if a <= d <= b), None)
        if cut is None:
            clipped.append((a, b))
        elif cut > a:
            clipped.append((a, cut - timedelta(days=1)))
    spans = clipped
    if not intervals:
        # Fighting at a place nobody says the holder of: contested while it lasts.
        return [Interval("contested", a, b, "claimed", _sources(f), f) for a, b in spans
                for f in [tuple(o for o in obs if o.kind == "fighting" and a <= o.day <= b)]]
    out: list[Interval] = []
    first = intervals[0].start
    for a, b in spans:
        # Fighting before anything is said of the holder: contested, then as reported.
        if first is not None and a < first:
            fought = tuple(o for o in obs if o.kind == "fighting" and a <= o.day <= b)
            out.append(Interval("contested", a, min(b, first - timedelta(days=1)), "claimed",
                                _sources(fought), fought))
    for iv in intervals:
        pieces = [iv]
        for a, b in spans:
            nxt: list[Interval] = []
            for p in pieces:
                lo = p.start or date.min
                hi = p.end or date.max
                if b < lo or a > hi or p.holder == "contested":
                    nxt.append(p)
                    continue
                if a > lo:
                    nxt.append(replace(p, end=a - timedelta(days=1)))
                fought = tuple(o for o in obs if o.kind == "fighting" and a <= o.day <= b)
                nxt.append(Interval("contested", max(a, lo), None if (b >= hi and p.end is None)
                                    else min(b, hi), "claimed", _sources(fought), fought))
                if b < hi:
                    nxt.append(replace(p, start=b + timedelta(days=1)))
            pieces = nxt
        out.extend(pieces)
    return out


def timelines(events: Iterable[Event], claims: Iterable[Claim],
              duplicate_of: Mapping[str, str] | None = None) -> list[Timeline]:
    """A timeline for every settlement the reports establish anything about."""
    out = []
    for _gid, (place, obs) in sorted(observations(events, claims).items()):
        out.append(timeline(place, obs, duplicate_of))
    return out
