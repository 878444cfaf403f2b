"""`frontwatch evaluate ...`: measure the pipeline against hand-made gold records."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import click

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


def _settings(ctx: click.Context) -> Settings:
    settings = getattr(ctx.find_root().obj, "settings", None)
    return settings if isinstance(settings, Settings) else Settings()


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
    from . import evaluate as ev

    since_d, country_c = _since(since, fmt), _country(country, fmt)
    records, dropped = ev.read_gold(gold, fmt)
    chosen = ev.select(records, since=since_d, country=country_c, limit=limit)
    settings = _settings(ctx)
    results = ev.locate_all(chosen, settings, jobs=jobs)
    with click.progressbar(results, length=len(chosen), label=f"{fmt} records",
                           file=sys.stderr) as bar:
        outcomes, errors = ev.evaluate(chosen, bar)
    summary = {
        "gold": str(gold),
        "format": fmt,
        "filters": {"since": since_d.isoformat() if since_d else None,
                    "country": country_c, "limit": limit},
        "dropped": dropped,
        "errors": errors,
        **ev.summarise(outcomes, fmt, worst=worst),
    }
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(render_text(summary))


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
