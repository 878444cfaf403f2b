"""`frontwatch evaluate ...`: measure the pipeline against hand-made gold records."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import click

from .cli_context import context_settings
from .settings import Settings

# Per-format defaults (issue 3): the targets are set on the full-scale war, and CIR's
# file also holds Russian and Belarusian rows, which the targets leave out.
DEFAULT_SINCE: dict[str, date | None] = {
    "acled": date(2022, 1, 1), "ucdp": date(2022, 1, 1), "cir": None,
}
DEFAULT_COUNTRY: dict[str, str | None] = {"acled": None, "ucdp": None, "cir": "UA"}
_ALL = ("all", "none", "")


def _since(value: str | None, fmt: str) -> date | None:
    if value is None:
        return DEFAULT_SINCE[fmt]
    if value.lower() in _ALL:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD or 'all'", param_hint="--since") from exc


def _country(value: str | None, fmt: str) -> str | None:
    if value is None:
        return DEFAULT_COUNTRY[fmt]
    if value.lower() in _ALL:
        return None
    if len(value) != 2 or not value.isalpha():
        raise click.BadParameter("use an ISO 3166-1 alpha-2 code (UA) or 'all'",
                                 param_hint="--country")
    return value.upper()


_settings = context_settings


@click.group()
def evaluate() -> None:
    """Measure frontwatch against gold event sets."""


@evaluate.command("places")
@click.option("--gold", "gold", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold CSV (ACLED export, CIR sheet or UCDP GED/Candidate).")
@click.option("--format", "fmt", required=True, type=click.Choice(["acled", "cir", "ucdp"]))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N records that pass the filters.")
@click.option("--worst", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many worst misses (and unlocated records) to list.")
@click.option("--since", default=None,
              help="YYYY-MM-DD, or 'all'. Default 2022-01-01 for acled/ucdp, all for cir.")
@click.option("--country", default=None,
              help="ISO code of the gold country column, or 'all'. Default UA for cir, "
                   "all for acled/ucdp.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.pass_context
def places(ctx: click.Context, gold: Path, fmt: str, as_json: bool, limit: int | None,
           worst: int, since: str | None, country: str | None, jobs: int) -> None:
    """How close frontwatch puts each gold record's event to the gold coordinates.

    Each record's text (ACLED notes; CIR title and description; UCDP headline) is
    processed with its event date as the publication date. Reports coverage, the share
    within 5 and 25 km (of all records: no location is a miss), admin1/admin2 accuracy,
    the median error and the worst misses.
    """
    _run_and_print(ctx, places_summary, render_text, gold, fmt, as_json=as_json,
                   limit=limit, worst=worst, since=since, country=country, jobs=jobs)


def _run_and_print(ctx: click.Context, summarise: Callable[..., dict[str, Any]],
                   render: Callable[[Mapping[str, Any]], str], gold: Path, fmt: str, *,
                   as_json: bool, limit: int | None, worst: int, since: str | None,
                   country: str | None, jobs: int) -> None:
    """An evaluation command's body: parse the filters, run, print JSON or text."""
    summary = summarise(gold, fmt, since=_since(since, fmt), country=_country(country, fmt),
                        limit=limit, settings=_settings(ctx), jobs=jobs, worst=worst)
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else render(summary))


def _filters(since: date | None, country: str | None, limit: int | None) -> dict[str, Any]:
    return {"since": since.isoformat() if since else None, "country": country, "limit": limit}


def places_summary(gold: Path, fmt: str, *, since: date | None, country: str | None,
                   limit: int | None, settings: Settings, jobs: int = 1, worst: int = 10
                   ) -> dict[str, Any]:
    """Run the places evaluation and return its JSON-ready summary."""
    from . import evaluate as ev

    records, dropped = ev.read_gold(gold, fmt)
    chosen = ev.select(records, since=since, country=country, limit=limit)
    results = ev.locate_all(chosen, settings, jobs=jobs)
    with click.progressbar(results, length=len(chosen), label=f"{fmt} records",
                           file=sys.stderr) as bar:
        outcomes, errors = ev.evaluate(chosen, bar)
    return {
        "gold": str(gold),
        "format": fmt,
        "filters": _filters(since, country, limit),
        "dropped": dropped,
        "errors": errors,
        **ev.summarise(outcomes, fmt, worst=worst),
    }


def render_text(summary: Mapping[str, Any]) -> str:
    """The human-readable report of `summarise`'s dict."""

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    s = summary
    med = s["median_error_km"]
    ans = s["answerable"]
    lines = [
        f"gold: {s.get('gold', '?')} ({s.get('format', '?')}), filters: {s.get('filters', {})}",
        f"records            {s['n']}  (dropped unusable rows: {s.get('dropped', 0)}, "
        f"pipeline errors: {s.get('errors', 0)})",
        f"coverage           {pct(s['coverage'])}  ({s['located']} located; via {s['via']})",
        f"within 5 km        {pct(s['within_5km'])}",
        f"within 25 km       {pct(s['within_25km'])}",
        f"admin1 accuracy    {pct(s['admin1_accuracy'])}  (of {s['admin1_n']})",
        f"admin2 accuracy    {pct(s['admin2_accuracy'])}",
        f"median error       {'n/a' if med is None else f'{med:.1f} km'}",
        f"gold name in text  {pct(s['gold_name_in_text'])}  (those {ans['n']}: coverage "
        f"{pct(ans['coverage'])}, within 5 km {pct(ans['within_5km'])}, "
        f"within 25 km {pct(ans['within_25km'])})",
    ]
    for key, t in s["targets"].items():
        lines.append(f"target {key:<18} {pct(t['target'])}: {'met' if t['met'] else 'NOT met'}")
    if s["admin1_unresolved"]:
        lines.append(f"gold admin1 names not understood: {s['admin1_unresolved']}")
    for title, rows in (("worst misses", s["worst"]), ("not located", s["unlocated"])):
        if not rows:
            continue
        lines.append(f"\n{title}:")
        for m in rows:
            err = "-" if m["error_km"] is None else f"{m['error_km']:.0f} km"
            lines.append(f"  {m['id']:<14} {err:>8}  gold {m['gold_place']!r} "
                         f"[{m['gold_admin1']}] / ours {m['our_place']!r} "
                         f"[{m['our_admin1']}] via {m['via']} {m['surface']!r}")
            lines.append(f"  {'':<14} {'':>8}  {m['text']}")
    return "\n".join(lines)


# -- events ---------------------------------------------------------------------------


@evaluate.command("events")
@click.option("--gold", "gold", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold CSV (ACLED export or UCDP GED/Candidate).")
@click.option("--format", "fmt", required=True, type=click.Choice(["acled", "ucdp"]))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N records that pass the filters.")
@click.option("--worst", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the commonest error patterns to list.")
@click.option("--since", default=None, help="YYYY-MM-DD, or 'all'. Default 2022-01-01.")
@click.option("--country", default=None,
              help="ISO code of the gold country column, or 'all' (the default).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.pass_context
def events(ctx: click.Context, gold: Path, fmt: str, as_json: bool, limit: int | None,
           worst: int, since: str | None, country: str | None, jobs: int) -> None:
    """How well frontwatch's main event of each gold record matches it.

    The text (ACLED notes, with the event date as publication date; UCDP headline, with
    its source date, else its start date) goes through the pipeline, and its first event
    in text order is scored. ACLED (conflict event types only): event and sub-event type
    (accuracy, macro-F1, confusion), actor sides, named actor1, date, fatalities and
    source overlap. UCDP: date within the gold window, deaths within low-high, sources.
    A record with no event is a miss on every figure.
    """
    _run_and_print(ctx, events_summary, render_events_text, gold, fmt, as_json=as_json,
                   limit=limit, worst=worst, since=since, country=country, jobs=jobs)


def events_summary(gold: Path, fmt: str, *, since: date | None, country: str | None,
                   limit: int | None, settings: Settings, jobs: int = 1, worst: int = 10
                   ) -> dict[str, Any]:
    """Run the events evaluation and return its JSON-ready summary."""
    from . import evaluate as ev
    from . import evaluate_events as eve

    records, dropped = eve.read_event_gold(gold, fmt)
    scoped = eve.in_scope(records, fmt)
    chosen = ev.select(scoped, since=since, country=country, limit=limit)
    results = eve.extract_all(chosen, settings, jobs=jobs)
    with click.progressbar(results, length=len(chosen), label=f"{fmt} records",
                           file=sys.stderr) as bar:
        outcomes, errors = eve.evaluate_events(chosen, bar, fmt)
    return {
        "gold": str(gold),
        "format": fmt,
        "filters": {**_filters(since, country, limit),
                    "event_types": sorted(eve.CONFLICT_TYPES) if fmt == "acled" else None},
        "dropped": dropped,
        "out_of_scope": len(records) - len(scoped),
        "errors": errors,
        **eve.summarise_events(outcomes, fmt, worst=worst),
    }


_ABBREV = {
    "Shelling/artillery/missile attack": "Shelling", "Air/drone strike": "Air/drone",
    "Remote explosive/landmine/IED": "IED", "Armed clash": "Clash",
    "Disrupted weapons use": "Disrupted", "Government regains territory": "Gov regains",
    "Non-state actor overtakes territory": "NSA overtakes", "Attack": "Attack",
    "Headquarters or base established": "HQ/base", "Looting/property destruction": "Looting",
    "Non-violent transfer of territory": "Transfer", "Arrests": "Arrests",
    "Explosions/Remote violence": "Explosions", "Violence against civilians": "VAC",
    "Strategic developments": "Strategic", "Battles": "Battles",
}


def render_confusion(table: Mapping[str, Mapping[str, int]]) -> list[str]:
    """gold rows × predicted columns, with short class names."""
    cols = sorted({p for row in table.values() for p in row}, key=lambda c: (c == "none", c))
    short = [_ABBREV.get(c, c)[:13] for c in cols]
    width = max([len(_ABBREV.get(g, g)) for g in table] + [10])
    lines = ["  " + "gold / ours".ljust(width) + " " + " ".join(f"{c:>13}" for c in short)]
    for g, row in table.items():
        lines.append(f"  {_ABBREV.get(g, g):<{width}} "
                     + " ".join(f"{row.get(c, 0):>13}" for c in cols))
    return lines


def render_events_text(summary: Mapping[str, Any]) -> str:
    """The human-readable report of `summarise_events`' dict."""

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    s = summary
    fmt = s.get("format", "?")
    lines = [
        f"gold: {s.get('gold', '?')} ({fmt}), filters: {s.get('filters', {})}",
        f"records              {s['n']}  (dropped unusable rows: {s.get('dropped', 0)}, "
        f"out of scope: {s.get('out_of_scope', 0)}, pipeline errors: {s.get('errors', 0)})",
        f"with an event        {pct(s['coverage'])}  ({s['with_event']}; "
        f"{s['events_per_record']} events per record)",
    ]
    if fmt == "acled":
        lines += [
            f"event_type accuracy  {pct(s['event_type_accuracy'])}",
            f"sub_event accuracy   {pct(s['sub_event_accuracy'])}   "
            f"macro-F1 {pct(s['sub_event_macro_f1'])}  (classes with >= 5 records: "
            f"{pct(s['sub_event_macro_f1_support5'])})",
            f"actor1 side          {pct(s['actor1_side_accuracy'])}",
            f"actor2 side          {pct(s['actor2_side_accuracy'])}  (where gold has an "
            f"actor2: {pct(s['actor2_side_accuracy_given'])})",
            f"actor1 exact name    {pct(s['actor1_exact'])}",
            f"date exact           {pct(s['date_exact'])}   within precision "
            f"{pct(s['date_within_precision'])}",
            f"fatalities exact     {pct(s['fatalities_exact'])}   within 20% "
            f"{pct(s['fatalities_within_20pct'])}   (gold > 0: "
            f"{pct(s['fatalities_exact_given_deaths'])})",
        ]
    else:
        lines += [
            f"date exact (start)   {pct(s['date_exact'])}",
            f"date within window   {pct(s['date_within_window'])}",
            f"deaths in low-high   {pct(s['deaths_within_range'])}   exact best "
            f"{pct(s['deaths_exact'])}   (a count in range stated in the text: "
            f"{pct(s['gold_deaths_in_text'])})",
        ]
        one = s["single_row_texts"]
        lines.append(f"rows with a text of their own: {one['n']} (with an event "
                     f"{pct(one['coverage'])}, date within window "
                     f"{pct(one['date_within_window'])}, deaths in low-high "
                     f"{pct(one['deaths_within_range'])})")
    lines.append(f"source overlap       {pct(s['source_overlap'])}  (gold source named in "
                 f"the text: {pct(s['gold_source_in_text'])})")
    for key, t in s["targets"].items():
        lines.append(f"target {key:<22} {pct(t['target'])}: {'met' if t['met'] else 'NOT met'}")
    if fmt == "acled":
        lines.append("\nper sub_event_type (gold classes):")
        for c, m in s["per_sub_event_type"].items():
            lines.append(f"  {c:<36} n={m['support']:<4} predicted={m['predicted']:<4} "
                         f"P {pct(m['precision']):>6}  R {pct(m['recall']):>6}  "
                         f"F1 {pct(m['f1']):>6}")
        lines.append("\nconfusion, sub_event_type:")
        lines += render_confusion(s["confusion"])
    by_key = next(k for k in s if k.startswith("by_"))
    lines.append(f"\n{by_key.replace('_', ' ')}:")
    for cls, f in s[by_key].items():
        shares = ", ".join(f"{k} {pct(v)}" for k, v in f.items()
                           if k not in ("n", "with_event") and v is not None)
        lines.append(f"  {cls} (n={f['n']}): {shares}")
    if s["errors_top"]:
        lines.append("\ncommonest errors (field: gold -> ours, count, first example):")
        for e in s["errors_top"]:
            lines.append(f"  {e['field']}: {e['gold']} -> {e['ours']}  ×{e['count']}  "
                         f"e.g. {e['example']}")
            lines.append(f"      {e['text']}")
            if e["ours_example"]:
                lines.append(f"      ours: {e['ours_example']}")
    return "\n".join(lines)


# -- the gate -------------------------------------------------------------------------


@evaluate.command("check")
@click.option("--pins", "pins_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Pinned-scores file (e.g. benchmarks/eval_pins.json).")
@click.option("--update", is_flag=True, help="Rewrite the pins from this run's scores.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the pins file's).")
@click.option("--only", multiple=True, help="Only the run(s) of this name.")
@click.pass_context
def check(ctx: click.Context, pins_path: Path, update: bool, jobs: int | None,
          only: tuple[str, ...]) -> None:
    """Run the pinned evaluations; exit 1 if any score dropped more than the tolerance
    (2 points by default) below its pin. See `frontwatch.evaluate_gate`."""
    import time

    from . import evaluate_gate as gate

    pins = gate.load_pins(pins_path)
    runs = [r for r in pins.runs if not only or r.name in only]
    if not runs:
        raise click.BadParameter(f"no run named {', '.join(only)}", param_hint="--only")
    settings = _settings(ctx)
    verdicts, scores = [], {}
    for run in runs:
        t0 = time.perf_counter()
        summarise = places_summary if run.evaluation == "places" else events_summary
        summary = summarise(run.gold_path(pins_path.parent), run.fmt, since=run.since,
                            country=run.country, limit=run.limit,
                            settings=gate.run_settings(run, pins_path.parent, settings),
                            jobs=jobs or pins.jobs, worst=0)
        click.echo(f"{run.name}: {summary['n']} records in {time.perf_counter() - t0:.0f} s",
                   err=True)
        scores[run.name] = summary
        verdicts += gate.compare(run, summary, pins.tolerance)
    click.echo(gate.render_verdicts(verdicts, pins.tolerance))
    if update:
        kept = [r for r in pins.runs if r.name not in scores]
        new = gate.updated(gate.Pins(tuple(runs), pins.tolerance, pins.jobs), scores)
        order = {r.name: i for i, r in enumerate(pins.runs)}
        merged = sorted((*kept, *new.runs), key=lambda r: order[r.name])
        gate.save_pins(pins_path, gate.Pins(tuple(merged), pins.tolerance, pins.jobs,
                                            pins.about))
        click.echo(f"pins rewritten: {pins_path}")
    elif gate.failed(verdicts):
        ctx.exit(1)
