"""`frontwatch control` and `frontwatch fused`: the fusion layer on the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .cli import _iso_date, _settings, _store, to_output
from .fuse.control import Timeline, timelines
from .fuse.events import Rule, fuse_events


def _matches(t: Timeline, needle: str) -> bool:
    if needle.isdigit():
        return t.place.geonameid == int(needle)
    return needle.casefold() in t.place.name.casefold()


def _load(ctx: click.Context) -> list[Timeline]:
    with _store(_settings(ctx)) as store:
        return timelines(store.events(), store.claims(), store.duplicates())


@click.command()
@click.argument("place", required=False)
@click.option("--as-of", callback=_iso_date, help="Who held each settlement on YYYY-MM-DD.")
@click.option("--export", "fmt", type=click.Choice(["jsonl", "geojson", "csv"]), default=None,
              help="Write the timelines (or the --as-of picture) instead of a table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def control(ctx: click.Context, place: str | None, as_of: date | None, fmt: str | None,
            output: Path | None) -> None:
    """Who holds each settlement, since when, says who."""
    from . import export as ex

    tls = _load(ctx)
    if place:
        tls = [t for t in tls if _matches(t, place)]
    if as_of is not None:
        tls = [Timeline(t.place, tuple(iv for iv in t.intervals
                                       if (iv.start is None or iv.start <= as_of) and
                                       (iv.end is None or as_of <= iv.end)))
               for t in tls]
        tls = [t for t in tls if t.intervals]
    if fmt is not None:
        n = to_output(output, lambda out: ex.write_control(tls, fmt, out))
        click.echo(f"exported {n} control interval(s)", err=True)
        return
    if not tls:
        click.echo("no control information" + (f" for {place}" if place else ""))
        return
    for t in tls:
        click.echo(f"{t.place.name} ({t.place.admin1 or t.place.country}, {t.place.geonameid})")
        for iv in t.intervals:
            start = iv.start.isoformat() if iv.start else "…"
            end = iv.end.isoformat() if iv.end else "…"
            src = ", ".join(s.name for s in iv.sources)[:60]
            click.echo(f"  {start:>10} – {end:<10} {iv.holder:<9} {iv.status:<9} {src}")


@click.command()
@click.option("--rule", type=click.Choice(["reports", "acled"]), default="reports",
              help="reports: reports of one event fused; acled: one per actors, place and day.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "geojson"]), default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def fused(ctx: click.Context, rule: str, fmt: str | None, output: Path | None) -> None:
    """Events fused from all their reports, with a corroboration count."""
    from . import export as ex

    with _store(_settings(ctx)) as store:
        dups = store.duplicates()
        evs = store.events()
    rule_: Rule = "acled" if rule == "acled" else "reports"
    groups = fuse_events(evs, dups, rule_)
    if fmt is not None:
        n = to_output(output, lambda out: ex.write_fused(groups, fmt, out))
        click.echo(f"exported {n} fused event(s) from {len(evs)} report(s)", err=True)
        return
    for f in groups:
        e = f.event
        when = e.event_date.isoformat() if e.event_date else "?"
        click.echo(f"{when:<12} {e.location.place.name[:18]:<18} {e.side1:<8} "
                   f"{e.sub_event_type[:34]:<34} reports={len(f.reports):<3} "
                   f"corroboration={f.corroboration}")
    click.echo(f"{len(groups)} event(s) from {len(evs)} report(s)")
