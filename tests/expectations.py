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
from frontwatch.records import ArticleResult, Event

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


def source_matches(expected: str, event: Event) -> bool:
    want = _canonical(expected)
    for s in event.sources:
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
