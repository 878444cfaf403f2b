"""Checks a corpus's results against an expected.yaml, by the rules written at its top.

Shared by the seeds acceptance test and the examples test. Each check yields
(met, description) so a test can print how many were met before asserting.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from frontwatch.extract.attribution import known_speaker
from frontwatch.records import ArticleResult, Claim, Event, Source

Check = tuple[bool, str]


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _norm_name(s: str) -> str:
    s = re.sub(r"^(the|a|an)\s+", "", s.strip().lower())
    return re.sub(r"\s+", " ", s.replace("defense", "defence"))


def _canonical(name: str) -> str:
    # "Russia's Defence Ministry" and "Russian Ministry of Defence" are one body.
    known = known_speaker(name)
    return _norm_name(known.name if known is not None else name)


def source_matches(expected: str, event: Event | Claim | tuple[Source, ...]) -> bool:
    want = _canonical(expected)
    sources = event if isinstance(event, tuple) else event.sources
    for s in sources:
        got = _canonical(s.name)
        if got == want or (len(want) > 4 and (want in got or got in want)):
            return True
    return False


def _coords(entry_place: int, places: Mapping[int, tuple[float, float]],
            lookup: Callable[[int], tuple[float, float] | None]) -> tuple[float, float] | None:
    return places.get(entry_place) or lookup(entry_place)


def _at_place(ev: Event, gid: int, where: tuple[float, float] | None, km: Any) -> bool:
    if ev.location.place.geonameid == gid:
        return True
    if km is None or where is None:
        return False
    return km_between(ev.location.place.latitude, ev.location.place.longitude,
                      where[0], where[1]) <= float(km)


def _matches(ev: Event, e: Mapping[str, Any]) -> bool:
    """Side, type, and where given movement, source and day-precise date."""
    if ev.side1 != e["side"] or ev.sub_event_type not in e["types"]:
        return False
    if "movement" in e and ev.movement != e["movement"]:
        return False
    if "source" in e and not source_matches(e["source"], ev):
        return False
    return "date" not in e or (ev.event_date is not None and
                               ev.event_date.isoformat() == str(e["date"]) and
                               ev.time_precision == 1)


def is_cumulative(c: Claim) -> bool:
    """A figure counted over a period. Read from the stored fields, so that a claim read
    back from the database (which keeps the period as valid_from..valid_to) says so too."""
    return c.cumulative or c.valid_from != c.valid_to


def _claim_date(c: Claim) -> str | None:
    day = c.valid_to if is_cumulative(c) else c.valid_from
    return None if day is None or c.date_precision != 1 else day.isoformat()


def _near(lat: float, lon: float, gid: int, where: tuple[float, float] | None, km: Any,
          own: int) -> bool:
    if own == gid:
        return True
    return km is not None and where is not None and \
        km_between(lat, lon, where[0], where[1]) <= float(km)


def _bound(value: float | None, want: Any) -> bool:
    return value is not None and math.isclose(value, float(want))


def claim_matches(c: Claim, e: Mapping[str, Any], where: tuple[float, float] | None) -> bool:
    """Kind, place (geonameid, or within `km`; `region` an admin1 code), bounds, flags,
    unit, side/holder, source and day-precise date, each where the entry gives it."""
    if c.kind != e["kind"]:
        return False
    if "place" in e and (c.place is None or not _near(
            c.place.latitude, c.place.longitude, int(e["place"]), where, e.get("km"),
            c.place.geonameid)):
        return False
    if "region" in e and (c.place is None or c.place.kind != "region" or
                          c.place.admin1_code != e["region"]):
        return False
    if "low" in e and not _bound(c.low, e["low"]):
        return False
    if "high" in e and not _bound(c.high, e["high"]):
        return False
    if "value_percent" in e:
        v = float(e["value_percent"])
        if c.unit != "percent" or (c.low is None and c.high is None) or \
                (c.low is not None and v < c.low) or (c.high is not None and v > c.high):
            return False
    if "killed_or_injured" in e and c.killed_or_injured != bool(e["killed_or_injured"]):
        return False
    for key in ("unit", "side", "holder"):
        if key in e and getattr(c, key) != e[key]:
            return False
    if "source" in e and not source_matches(e["source"], c):
        return False
    return "date" not in e or _claim_date(c) == str(e["date"])


def _fatalities_ok(c: Claim, e: Mapping[str, Any], events: tuple[Event, ...],
                   where: tuple[float, float] | None) -> tuple[bool, str]:
    """"A cumulative or superseded figure must never become the fatalities of a single
    day's event": a cumulative toll is no event's fatalities, and an event of a deaths-only
    entry's place and day carries that toll (the latest) or none."""
    if c.kind != "casualties":
        return True, ""
    if is_cumulative(c):
        figures = {v for v in (c.low, c.high) if v is not None}
        bad = [ev for ev in events if ev.fatalities is not None and ev.fatalities in figures]
        return not bad, f"cumulative figure as fatalities of {[b.evidence[:40] for b in bad]}"
    if c.killed_or_injured or "place" not in e or "low" not in e:
        return True, ""
    low = float(e["low"])
    high = float(e["high"]) if "high" in e else math.inf
    gid = int(e["place"])
    bad = [ev for ev in events if ev.fatalities is not None and _near(
        ev.location.place.latitude, ev.location.place.longitude, gid, where, e.get("km"),
        ev.location.place.geonameid) and ("date" not in e or (
            ev.event_date is not None and ev.event_date.isoformat() == str(e["date"])))
        and not low <= ev.fatalities <= high]
    got = [(b.fatalities, b.evidence[:40]) for b in bad]
    return not bad, f"event fatalities not the toll: {got}"


def check_article(name: str, result: ArticleResult, exp: Mapping[str, Any],
                  lookup: Callable[[int], tuple[float, float] | None]) -> Iterator[Check]:
    mentions = result.mentions
    events = result.events
    known: dict[int, tuple[float, float]] = {
        int(p["geonameid"]): (float(p["lat"]), float(p["lon"]))
        for p in exp.get("places", []) if "geonameid" in p and "lat" in p
    }
    for p in exp.get("places", []):
        if "region" in p:
            ok = any(m.place.kind == "region" and m.place.admin1_code == p["admin1"]
                     for m in mentions)
            yield ok, f"{name}: region {p['region']} -> {p['admin1']}"
            continue
        gid = int(p["geonameid"])
        ok = any(m.place.geonameid == gid for m in mentions) or (
            "lat" in p and any(m.place.kind == "settlement" and km_between(
                m.place.latitude, m.place.longitude, p["lat"], p["lon"]) <= 5 for m in mentions))
        yield ok, f"{name}: place {p.get('surface', p['name'])} -> {gid}"
    for e in exp.get("events", []):
        gid = int(e["place"])
        where = _coords(gid, known, lookup)

        ok = any(_at_place(ev, gid, where, e.get("km")) and _matches(ev, e) for ev in events)
        desc = ", ".join(f"{k}={v}" for k, v in e.items() if k != "note")
        yield ok, f"{name}: event {desc}"
    for c in exp.get("claims", []):
        cgid = int(c["place"]) if "place" in c else None
        where = _coords(cgid, known, lookup) if cgid is not None else None
        matched = [cl for cl in result.claims if claim_matches(cl, c, where)]
        why = "no matching claim"
        ok = False
        for cl in matched:
            ok, why = _fatalities_ok(cl, c, events, where)
            if ok:
                break
        desc = ", ".join(f"{k}={v}" for k, v in c.items() if k != "note")
        yield ok, f"{name}: claim {desc}" + ("" if ok else f" ({why})")
    for m in exp.get("must_not", []):
        if "text" in m:
            needle = m["text"].strip()
            bad = [ev for ev in events if needle in ev.evidence or
                   (len(ev.evidence) > 20 and ev.evidence in needle)]
            yield not bad, f"{name}: no event from text {needle[:50]!r}"
        elif "geonameid" in m:
            gid = int(m["geonameid"])
            bad = [ev for ev in events if ev.location.place.geonameid == gid]
            yield not bad, f"{name}: no event at {gid} ({[b.evidence[:60] for b in bad]})"
        elif "country" in m:
            bad = [ev for ev in events if ev.location.place.country == m["country"]]
            yield not bad, f"{name}: no event in country {m['country']}"
    text = result.cleaned.text
    for line in exp.get("boilerplate", []):
        needle = line.strip()
        in_text = needle in text.splitlines() if len(needle) < 12 else needle in text
        cited = any(needle in ev.evidence for ev in events) if len(needle) >= 12 else False
        yield not in_text and not cited, f"{name}: boilerplate removed {needle[:50]!r}"


def check_corpus(results: Mapping[str, ArticleResult], expected: Mapping[str, Any],
                 lookup: Callable[[int], tuple[float, float] | None]) -> list[Check]:
    out: list[Check] = []
    for name, exp in expected["articles"].items():
        if name not in results:
            out.append((False, f"{name}: article missing from the results"))
            continue
        out.extend(check_article(name, results[name], exp, lookup))
    return out
