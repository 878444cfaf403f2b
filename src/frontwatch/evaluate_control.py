"""`frontwatch evaluate control`: control timelines from a corpus of reports, scored against
a table of when each settlement changed hands.

The corpus is a CSV of dated reports (first column the date, DD-MM-YYYY or ISO; last column
the text), such as ISW's daily assessments. The table is a per-settlement list whose notes
say "Captured by 🇷🇺 25 February 2022. Recaptured by 🇺🇦 2 April 2022." (Wikipedia's
territorial-control tables). A change of holder in a timeline is an interval of one side
following another side's (a spell of contest between them does not count: the side that
held on has not changed), or the first side reported to take the place. A table change
counts as found when the settlement's timeline has such a change to the new holder within
`--days` of the table's date. Only changes inside the corpus period, at settlements the
corpus names, are scored; `changes_reported_near` says how many of those the corpus
names in a report within `--days` of the change at all. A change the pipeline finds at a
table settlement is "unsupported" when the table has another holder there on every day
within `--days` of it.
With `--viina DIR`, the holder on each day of VIINA's daily control table is compared
for the settlements both name.
"""

from __future__ import annotations

import csv
import json
import logging
import pickle
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from .fuse.control import Timeline, timelines
from .records import ArticleResult, Claim, Event, Place
from .settings import Settings

log = logging.getLogger(__name__)

_FLAGS = {"🇷🇺": "russia", "🇺🇦": "ukraine"}
# "Captured by 🇷🇺 25 February 2022", "Recaptured by 🇷🇺/ Luhansk People's Republic 7 May
# 2022", "Recaptured by 🇷🇺 Russia/ Donetsk People's Republic on 16 May 2022", "Recaptured
# by 🇺🇦 by 10 September 2022", "Captured by 🇷🇺 on March 1 2022", "Recaptured by 🇺🇦 26/27
# March 2022" (the first day). Month-only dates ("in March 2022") cannot be scored to a
# few days and are left out.
_CHANGE = re.compile(
    r"(?P<claimed>claim\w*\s+)?(?:Captured|Recaptured|Liberated|Taken)\s+by\s+"
    r"(?P<flag>🇷🇺|🇺🇦)(?:\s*(?:Russia\s*)?/\s*(?:Donetsk|Luhansk)\s+People's\s+Republic)?"
    r"\s+(?:on\s+|by\s+|around\s+)?"
    r"(?:(?P<day>\d{1,2})(?:/\d{1,2})?\s+(?P<month>[A-Z][a-z]+)"
    r"|(?P<month2>[A-Z][a-z]+)\s+(?P<day2>\d{1,2})(?!\d))(?:,?\s+(?P<year>\d{4}))?", re.I)


@dataclass(frozen=True, slots=True)
class TableChange:
    name: str
    oblast: str
    holder: str
    day: date


@dataclass(frozen=True, slots=True)
class Report:
    day: date
    text: str
    name: str


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a report contributes: its events, claims and the settlements it names."""

    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    named: frozenset[int]


def _note_day(m: re.Match[str], year: int | None) -> date | None:
    """The date of one note; with no year written ("Recaptured by 🇺🇦 8 September"), the
    year of the note's previous date."""
    y = m["year"] or (str(year) if year else None)
    if y is None:
        return None
    try:
        return datetime.strptime(f"{m['day'] or m['day2']} {m['month'] or m['month2']} {y}",
                                 "%d %B %Y").date()
    except ValueError:
        return None


def parse_table(fh: Iterable[str]) -> list[TableChange]:
    out = []
    for row in csv.DictReader(fh):
        year: int | None = None
        for m in _CHANGE.finditer(row.get("notes") or ""):
            day = _note_day(m, year)
            if day is None:
                continue
            year = day.year
            if m["claimed"]:
                # "Claimed recaptured by 🇺🇦 21 October 2022, but not verified": the table
                # itself does not hold it for a change.
                continue
            # Sections are oblasts ("Kharkiv Oblast") or pairs ("Kyiv and Kyiv", "Crimea
            # and Sevastopol"): the first names the region.
            region = (row.get("oblast_section") or "").replace(" Oblast", "").split(" and ")[0]
            out.append(TableChange(row["name"].strip(), region.strip(), _FLAGS[m["flag"]], day))
    return out


def _parse_day(value: str) -> date | None:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_corpus(fh: Iterable[str]) -> list[Report]:
    csv.field_size_limit(1 << 26)
    out = []
    for i, row in enumerate(csv.reader(fh)):
        if len(row) < 2:
            continue
        day = _parse_day(row[0])
        text = row[-1].strip()
        if day is not None and text:
            out.append(Report(day, text, f"report-{i}-{day.isoformat()}"))
    return out


def extracted(result: ArticleResult) -> Extracted:
    named = frozenset(m.place.geonameid for m in result.mentions
                      if m.place.kind == "settlement")
    return Extracted(result.events, result.claims, named)


def place_for(change: TableChange, settings: Settings) -> Place | None:
    """The table's settlement in the gazetteer: its name within its oblast, the biggest."""
    # Imported here: the CLI registers this command at startup, and these load slowly.
    from .evaluate import admin1_matches
    from .places import get_gazetteer, normalise_name

    gaz = get_gazetteer(settings)
    found = [p for p in gaz.candidates(normalise_name(change.name))
             if p.kind == "settlement" and p.country == "UA" and (
                 not change.oblast or admin1_matches(change.oblast, p))]
    return max(found, key=lambda p: p.population, default=None)


def _table_holder(ordered: Sequence[TableChange], day: date) -> str:
    """Who the table says held a settlement on `day`: the last change before it, or
    before its first change, the side that lost it then. `ordered` is by day."""
    held = "ukraine" if ordered[0].holder == "russia" else "russia"
    for c in ordered:
        if c.day <= day:
            held = c.holder
    return held


def score(changes: Sequence[TableChange], places: dict[TableChange, Place | None],
          tls: dict[int, Timeline], named: frozenset[int], period: tuple[date, date],
          days: int, named_on: dict[int, list[date]] | None = None) -> dict[str, Any]:
    lo, hi = period
    scored, found, near, misses = 0, 0, 0, []
    table_days: dict[int, list[TableChange]] = {}
    for ch in changes:
        place = places.get(ch)
        if place is not None:
            table_days.setdefault(place.geonameid, []).append(ch)
        if not lo <= ch.day <= hi or place is None or place.geonameid not in named:
            continue
        scored += 1
        # The share of changes the corpus could show at all: named around their date.
        near += named_on is not None and any(
            abs((d - ch.day).days) <= days for d in named_on.get(place.geonameid, ()))
        t = tls.get(place.geonameid)
        ok = t is not None and any(
            iv.holder == ch.holder and iv.start is not None and
            abs((iv.start - ch.day).days) <= days for iv in t.changes())
        found += ok
        if not ok:
            misses.append({"name": ch.name, "holder": ch.holder, "day": ch.day.isoformat(),
                           "ours": [(iv.holder, iv.start.isoformat() if iv.start else None)
                                    for iv in t.intervals] if t else []})
    for chs in table_days.values():
        chs.sort(key=lambda c: c.day)
    ours = unsupported = elsewhere = 0
    for gid, t in tls.items():
        for iv in t.changes():
            if iv.start is None:
                continue
            if gid not in table_days:
                elsewhere += 1
                continue
            ours += 1
            if not any(_table_holder(table_days[gid], iv.start + timedelta(days=d)) == iv.holder
                       for d in range(-days, days + 1)):
                unsupported += 1
    return {
        "changes_scored": scored, "changes_found": found,
        "changes_reported_near": near if named_on is not None else None,
        "recall": round(found / scored, 4) if scored else None,
        "changes_ours_at_table_settlements": ours, "unsupported": unsupported,
        "unsupported_share": round(unsupported / ours, 4) if ours else None,
        "changes_ours_elsewhere": elsewhere, "misses": misses,
    }


_VIINA = {"RU": "russia", "UA": "ukraine", "CONTESTED": "contested"}


def score_viina(path: Path, tls: dict[int, Timeline]) -> dict[str, Any]:
    """Agreement with VIINA's daily holder for the settlements both name."""
    compared = agree = places = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                gid = int(float(row["geonameid"]))
            except (KeyError, ValueError):
                continue
            t = tls.get(gid)
            if t is None:
                continue
            places += 1
            for key, value in row.items():
                if not (key and key.isdigit() and len(key) == 8) or value not in _VIINA:
                    continue
                ours = t.holder_on(datetime.strptime(key, "%Y%m%d").date())
                if ours == "unknown":
                    continue
                compared += 1
                agree += ours == _VIINA[value]
    return {"viina_settlements": places, "viina_days_compared": compared,
            "viina_agreement": round(agree / compared, 4) if compared else None}


def _extract_all(reports: Sequence[Report], settings: Settings, jobs: int,
                 cache: Path | None) -> list[Extracted | None]:
    """The pipeline's output per report; with `cache`, read from (or written to) that
    pickle, so that scoring changes to fusion and control need no second parse."""
    from .evaluate import run_pipeline

    if cache is not None and cache.is_file():
        with cache.open("rb") as fh:
            got: list[Extracted | None] = pickle.load(fh)
        if len(got) == len(reports):
            return got
        log.warning("cache %s is for another corpus; extracting again", cache)
    work = [(r.text, r.day, r.name) for r in reports]
    got = [g for g, _err in run_pipeline(work, settings, extracted, jobs)]
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(got, fh)
    return got


def run(corpus: Path, table: Path, settings: Settings, jobs: int, days: int,
        viina: Path | None, limit: int | None, cache: Path | None = None) -> dict[str, Any]:
    with corpus.open(encoding="utf-8", newline="") as fh:
        reports = parse_corpus(fh)
    if limit:
        reports = reports[:limit]
    with table.open(encoding="utf-8", newline="") as fh:
        changes = parse_table(fh)
    events: list[Event] = []
    claims: list[Claim] = []
    named_on: dict[int, list[date]] = {}
    failed = 0
    for report, got in zip(reports, _extract_all(reports, settings, jobs, cache), strict=True):
        if got is None:
            failed += 1
            continue
        events += got.events
        claims += got.claims
        for gid in got.named:
            named_on.setdefault(gid, []).append(report.day)
    tls = {t.place.geonameid: t for t in timelines(events, claims)}
    places = {ch: place_for(ch, settings) for ch in changes}
    period = (min(r.day for r in reports), max(r.day for r in reports))
    out = {"reports": len(reports), "failed": failed, "events": len(events),
           "period": [period[0].isoformat(), period[1].isoformat()], "days": days,
           "table_changes": len(changes),
           "table_places_unresolved": sorted({c.name for c, p in places.items() if p is None})}
    out.update(score(changes, places, tls, frozenset(named_on), period, days, named_on))
    if viina is not None:
        out.update(score_viina(viina, tls))
    return out


@click.command("control")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="CSV of dated reports: date first, text last.")
@click.option("--table", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="Territorial-control table with Captured/Recaptured notes.")
@click.option("--viina", type=click.Path(exists=True, path_type=Path), default=None,
              help="VIINA daily control CSV (or its folder) to compare with.")
@click.option("--days", type=click.IntRange(0, 30), default=3, show_default=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Pickle of the extraction (trusted, local): reused when present.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def control_eval(ctx: click.Context, corpus: Path, table: Path, viina: Path | None, days: int,
                 jobs: int, limit: int | None, cache: Path | None, as_json: bool) -> None:
    """Score control timelines built from a report corpus against a control table."""
    from .cli import _settings

    if viina is not None and viina.is_dir():
        viina = next(iter(sorted(viina.glob("*.csv"))), None)
    res = run(corpus, table, _settings(ctx), jobs, days, viina, limit, cache)
    if as_json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    for key, value in res.items():
        if key != "misses":
            click.echo(f"{key}: {value}")
    click.echo(f"misses ({len(res['misses'])}):")
    for m in res["misses"][:30]:
        click.echo(f"  {m['day']} {m['name']} -> {m['holder']}; ours {m['ours']}")
    recall, share = res.get("recall"), res.get("unsupported_share")
    ok = recall is not None and recall >= 0.80 and (share is None or share <= 0.10)
    click.echo(f"target recall >= 0.80 and unsupported <= 10 %: {'met' if ok else 'NOT met'}")
