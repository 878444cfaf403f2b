"""Fuse a multi-outlet headline corpus and show how many reports merged.

    python benchmarks/fuse_headlines.py ../shared/data/corpus/RUWA_04.08.23.csv --jobs 2

Each headline (with its description, when there is one) is run through the pipeline as an
article of its outlet and date; the events are fused (frontwatch.fuse.events) and the
script prints the share of reports that joined another report, the corroboration
distribution, and a seeded random sample of merged events with every report's text, for
checking by hand.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from frontwatch.evaluate import run_pipeline
from frontwatch.fuse.events import fuse_events
from frontwatch.records import ArticleResult, Event, Source
from frontwatch.settings import Settings


def events_of(result: ArticleResult) -> tuple[Event, ...]:
    return result.events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--sample", type=int, default=15)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rows = list(csv.DictReader(args.csv.open(encoding="utf-8", newline="")))
    if args.limit:
        rows = rows[:args.limit]
    work, sites = [], {}
    for i, row in enumerate(rows):
        title = (row.get("title") or "").strip()
        desc = (row.get("desc") or "").strip()
        try:
            day = datetime.strptime(row.get("Date") or "", "%m/%d/%Y").date()
        except ValueError:
            continue
        if not title:
            continue
        name = f"h{i}"
        sites[name] = (row.get("Site") or "unknown").strip()
        work.append((title + ("\n\n" + desc if desc else ""), day, name))
    reports: list[Event] = []
    for got, _err in run_pipeline(work, Settings(), events_of, args.jobs):
        for ev in got or ():
            site = sites.get(ev.article, "unknown")
            # A headline with no speaker is its outlet's word.
            sources = ev.sources or (Source(site, "media"),)
            reports.append(replace(ev, sources=sources, article=f"{site}: {ev.article}"))
    fused = fuse_events(reports)
    merged = [f for f in fused if len(f.reports) > 1]
    in_merged = sum(len(f.reports) for f in merged)
    print(f"headlines: {len(work)}")
    print(f"reports (events extracted): {len(reports)}")
    print(f"fused events: {len(fused)}")
    print(f"reports merged with another: {in_merged} "
          f"({in_merged / len(reports):.1%} of reports)" if reports else "no reports")
    print("corroboration:", dict(sorted(Counter(f.corroboration for f in fused).items())))
    rnd = random.Random(args.seed)
    for f in rnd.sample(merged, min(args.sample, len(merged))):
        e = f.event
        print(f"\n== {e.event_date} {e.location.place.name} {e.side1} {e.sub_event_type} "
              f"({len(f.reports)} reports, corroboration {f.corroboration})")
        for r in f.reports[:6]:
            print(f"   [{r.event_date} p{r.time_precision}] {r.article}: {r.evidence[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
