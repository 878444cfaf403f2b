"""The `frontwatch` command: a thin click layer over the library."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from .errors import FrontwatchError, InputError
from .evaluate_cli import evaluate
from .follow_cli import fetch, follow
from .gazetteer_cli import gazetteer
from .settings import Settings, load_settings

log = logging.getLogger("frontwatch")
F = TypeVar("F", bound=Callable[..., Any])


class _Ctx:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings


def _settings(ctx: click.Context) -> Settings:
    obj = ctx.find_object(_Ctx)
    assert obj is not None
    return obj.settings


@contextmanager
def _store(settings: Settings) -> Iterator[Any]:
    from .store import open_store

    store = open_store(settings.db)
    try:
        yield store
    finally:
        store.close()


def to_output(output: Path | None, write: Callable[[TextIO], int]) -> int:
    """`write` to the file `output`, or to standard output; what it returns."""
    if output is None:
        return write(sys.stdout)
    with output.open("w", encoding="utf-8", newline="") as fh:
        return write(fh)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


class FrontwatchGroup(click.Group):
    """Turns typed library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FrontwatchError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            ctx.exit(0)


@click.group(cls=FrontwatchGroup)
@click.option("--db", envvar="FRONTWATCH_DB", default=None,
              help="Database path (default ./frontwatch.db; env FRONTWATCH_DB).")
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="TOML config file (env FRONTWATCH_CONFIG).")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.version_option(package_name="frontwatch")
@click.pass_context
def main(ctx: click.Context, db: str | None, config: str | None, verbose: int) -> None:
    """frontwatch: war news in, a sourced, geocoded, dated event database out."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(config, db=db)
    except FrontwatchError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    ctx.obj = _Ctx(settings)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--meta", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL sidecar with publication metadata, keyed by `file`.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when writing to a terminal).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="Where articles are processed: this machine (default) or a Dask cluster.")
@click.option("--jobs", type=click.IntRange(min=0), default=None,
              help="Worker processes for the local engine (default 0: every core).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (default: start a LocalCluster).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles sent to a worker at once.")
@click.option("--watch", is_flag=True,
              help="Keep going: poll PATHS and ingest new or changed files (Ctrl-C stops).")
@click.option("--interval", type=click.FloatRange(min=0.01), default=2.0, show_default=True,
              help="Seconds between two polls with --watch.")
@click.option("--max-cycles", type=click.IntRange(min=1), default=None, hidden=True,
              help="Stop --watch after this many polls (for tests).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], meta: Path | None,
           progress: bool | None, engine: str | None, jobs: int | None,
           scheduler: str | None, batch_size: int | None, watch: bool, interval: float,
           max_cycles: int | None) -> None:
    """Read articles (.txt, .html, .jsonl, folders) into the database.

    Files stored before and unchanged since are skipped without being read; a .txt or
    .html file whose text changed replaces the article it was stored as.
    """
    import threading

    from .engine import get_engine
    from .incremental import IngestCounts, Ingester, Manifest, stop_on_signals
    from .incremental import watch as watch_paths

    settings = _settings(ctx).with_overrides(engine=engine, jobs=jobs, scheduler=scheduler,
                                             batch_size=batch_size)
    if settings.engine == "dask" and not ctx.find_root().params.get("verbose"):
        from .engine_dask import quiet_logs

        quiet_logs()
    show = sys.stderr.isatty() if progress is None else progress

    def report(err: InputError) -> None:
        click.echo(f"error: {err}", err=True)

    def cycle(counts: IngestCounts) -> None:
        if counts.busy:
            click.echo(counts.summary())

    with _store(settings) as store, Manifest.beside(settings.db) as manifest:
        manifest.seed(store)
        runner = get_engine(settings)
        try:
            ingester = Ingester(store, runner, settings, manifest, meta=meta, on_error=report)
            if watch:
                stop = threading.Event()
                click.echo(f"watching {', '.join(map(str, paths))} every {interval:g} s "
                           "(Ctrl-C stops)", err=True)
                with stop_on_signals(stop):
                    counts = watch_paths(ingester, list(paths), interval=interval, stop=stop,
                                         max_cycles=max_cycles, on_cycle=cycle)
            else:
                counts = ingester.ingest(list(paths), progress=show)
        finally:
            runner.close()
    click.echo(counts.summary())
    if counts.failed and not (counts.new or counts.changed or counts.skipped):
        ctx.exit(InputError.exit_code)


@main.command()
@click.argument("article")
@click.option("--boilerplate", is_flag=True, help="Show what cleaning removed, and why.")
@click.pass_context
def show(ctx: click.Context, article: str, boilerplate: bool) -> None:
    """Print an article's cleaned text (by id, id prefix or file name)."""
    from .clean import explain
    from .errors import NotFoundError

    with _store(_settings(ctx)) as store:
        stored = store.get_article(article)
        if stored is None:
            raise NotFoundError(f"no article matches {article!r}")
        if boilerplate:
            click.echo(explain(stored.cleaned) or "nothing was removed")
        else:
            click.echo(stored.cleaned.text)


def _event_filters(f: F) -> F:
    f = click.option("--place", help="GeoNames id, or part of a place or oblast name.")(f)
    f = click.option("--side", type=click.Choice(["russia", "ukraine", "other"]))(f)
    f = click.option("--type", "type_", help="event_type or sub_event_type.")(f)
    f = click.option("--since", callback=_iso_date, help="YYYY-MM-DD (inclusive).")(f)
    f = click.option("--until", callback=_iso_date, help="YYYY-MM-DD (inclusive).")(f)
    return f


@main.command()
@_event_filters
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.pass_context
def events(ctx: click.Context, place: str | None, side: str | None, type_: str | None,
           since: date | None, until: date | None, limit: int | None) -> None:
    """List events as a readable table."""
    from .store import EventFilter

    flt = EventFilter(place=place, side=side, type=type_, since=since, until=until, limit=limit)
    with _store(_settings(ctx)) as store:
        rows = store.events(flt)
    if not rows:
        click.echo("no events")
        return
    head = f"{'date':<12} {'place':<18} {'side':<8} {'type':<34} {'move':<8} {'modality':<9} source"
    click.echo(head)
    click.echo("-" * len(head))
    for e in rows:
        when = e.event_date.isoformat() if e.event_date else "?"
        src = ", ".join(s.name for s in e.sources)[:40]
        click.echo(f"{when:<12} {e.location.place.name[:18]:<18} {e.side1:<8} "
                   f"{e.sub_event_type[:34]:<34} {(e.movement or '-'):<8} {e.modality:<9} {src}")
    click.echo(f"{len(rows)} event(s)")


@main.command()
@click.option("--what", type=click.Choice(["events", "mentions", "claims", "control", "fused"]),
              default="events")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "acled-csv", "geojson", "csv"]),
              default="jsonl")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@_event_filters
@click.pass_context
def export(ctx: click.Context, what: str, fmt: str, output: Path | None, place: str | None,
           side: str | None, type_: str | None, since: date | None,
           until: date | None) -> None:
    """Export events, place mentions, claims, control timelines or fused events."""
    from . import export as ex
    from .store import EventFilter

    def write(out: TextIO) -> int:
        with _store(_settings(ctx)) as store:
            if what == "events":
                flt = EventFilter(place=place, side=side, type=type_, since=since, until=until)
                return ex.write_events(store.events(flt), fmt, out)
            if what == "mentions":
                return ex.write_mentions(store.mentions(), fmt, out)
            if what in ("control", "fused"):
                from .fuse.control import timelines
                from .fuse.events import fuse_events

                dups = store.duplicates()
                if what == "fused":
                    return ex.write_fused(fuse_events(store.events(), dups), fmt, out)
                return ex.write_control(timelines(store.events(), store.claims(), dups), fmt,
                                        out)
            return ex.write_claims(store.claims(), fmt, out)

    try:
        n = to_output(output, write)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"exported {n} {what}", err=True)


@main.command()
@_event_filters
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--by", type=click.Choice(["place", "direction"]), default="place",
              help="place: statements per settlement; direction: momentum per sector and week.")
@click.pass_context
def report(ctx: click.Context, place: str | None, side: str | None, type_: str | None,
           since: date | None, until: date | None, output: Path | None, by: str) -> None:
    """A situation report in Markdown, grouped by place or by direction, with citations."""
    from .report import render, render_directions
    from .store import EventFilter

    flt = EventFilter(place=place, side=side, type=type_, since=since, until=until)
    with _store(_settings(ctx)) as store:
        if by == "direction":
            text = render_directions(store.events(flt), generated=date.today())
        else:
            text = render(store.events(flt), store.claims(), generated=date.today())
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--language", default=None,
              help="Only articles in this language (ISO 639-1, e.g. uk; 'und': undetermined).")
@click.option("--languages", "by_language", is_flag=True,
              help="Count articles per language, and say which were not analysed.")
@click.pass_context
def articles(ctx: click.Context, language: str | None, by_language: bool) -> None:
    """List stored articles."""
    from .lang import analysed, normalise_code

    if by_language:
        from .lang_cli import language_summary

        for lang, n in language_summary(_settings(ctx)).items():
            note = "" if analysed(lang) else "  (stored, places resolved; not analysed)"
            click.echo(f"{lang or 'und':<4} {n}{note}")
        return
    want = None if language is None else normalise_code(language)
    want = None if want == "und" else want
    with _store(_settings(ctx)) as store:
        for a in store.articles():
            if language is not None and normalise_code(a.language) != want:
                continue
            pub = a.published.isoformat() if a.published else "?"
            click.echo(f"{a.id}  {pub:<10}  {(a.outlet or '')[:24]:<24}  {a.name}")


@main.command()
@click.pass_context
def info(ctx: click.Context) -> None:
    """What the database holds."""
    settings = _settings(ctx)
    with _store(settings) as store:
        counts = store.counts()
    from .store import display_db

    click.echo(f"database: {display_db(settings.db)}")
    for key, value in counts.items():
        click.echo(f"{key:<12} {value}")


main.add_command(evaluate)
main.add_command(gazetteer)
main.add_command(fetch)
main.add_command(follow)


def _register_reprocess() -> None:
    # Imported late: reprocess_cli and lang_cli import this module's helpers.
    from .lang_cli import add_language_note
    from .reprocess_cli import reprocess

    main.add_command(reprocess)
    add_language_note(report)


_register_reprocess()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--tiles", default=None,
              help="Tile URL template ({z}/{x}/{y}) of a real tile server; default: the "
                   "offline basemap.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, tiles: str | None) -> None:
    """Serve the database read-only: JSON API under /api/, the map at /, docs at /docs."""
    from .api import serve as run

    settings = _settings(ctx)
    shown = f"[{host}]" if ":" in host else host
    from .store import display_db

    click.echo(f"frontwatch: serving {display_db(settings.db)} at http://{shown}:{port}/ "
               "(API docs at /docs; Ctrl-C stops)", err=True)
    run(settings.db, host=host, port=port, tiles=tiles)


def _register_fusion() -> None:
    # Imported late: fuse_cli imports this module's helpers.
    from .evaluate_control import control_eval
    from .fuse_cli import control, fused

    main.add_command(control)
    main.add_command(fused)
    evaluate.add_command(control_eval)


_register_fusion()
