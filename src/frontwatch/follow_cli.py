"""`frontwatch fetch URL...` and `frontwatch follow FEED...`: live ingestion."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .cli_context import context_settings
from .errors import FetchError, InputError

F = TypeVar("F", bound=Callable[..., Any])

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.I)
_UNITS = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: str) -> float:
    """Seconds in "90", "90s", "1.5", "30m", "2h" or "1d"; ValueError otherwise."""
    match = _DURATION_RE.match(value)
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90, 90s, 30m, 2h)")
    return float(match.group(1)) * _UNITS[(match.group(2) or "").lower()]


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


_settings = context_settings


def _expand(args: tuple[str, ...]) -> list[str]:
    """URLs as given; an argument that is an existing file and not a URL is a list of
    URLs, one a line (blank lines and # comments ignored)."""
    out: list[str] = []
    for arg in args:
        path = Path(arg)
        if "://" not in arg and path.is_file():
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(arg, f"cannot read URL list: {exc}") from exc
            out.extend(ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#"))
        else:
            out.append(arg)
    return out


def _fetch_options(f: F) -> F:
    f = click.option("--timeout", type=click.FloatRange(min=0.01), default=None,
                     help="Seconds per connect/read (setting fetch_timeout, default 10).")(f)
    f = click.option("--delay", type=click.FloatRange(min=0), default=None,
                     help="Seconds between two requests to one host "
                          "(fetch_host_delay, default 1).")(f)
    f = click.option("--retries", type=click.IntRange(min=0), default=None,
                     help="Extra attempts on timeouts and 5xx (fetch_retries, default 2).")(f)
    f = click.option("--max-bytes", type=click.IntRange(min=1), default=None,
                     help="Largest response accepted (fetch_max_bytes, default 5 MB).")(f)
    return f


def _overrides(timeout: float | None, delay: float | None, retries: int | None,
               max_bytes: int | None) -> dict[str, Any]:
    return {"fetch_timeout": timeout, "fetch_host_delay": delay, "fetch_retries": retries,
            "fetch_max_bytes": max_bytes}


@click.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@_fetch_options
@click.pass_context
def fetch(ctx: click.Context, urls: tuple[str, ...], timeout: float | None,
          delay: float | None, retries: int | None, max_bytes: int | None) -> None:
    """Fetch article pages by URL (or files listing URLs) into the database."""
    from .fetch import unique_urls
    from .follow import Follower, stop_on_signals
    from .store import open_store

    settings = _settings(ctx, **_overrides(timeout, delay, retries, max_bytes))
    targets = unique_urls(_expand(urls))
    store = open_store(settings.db)
    try:
        with stop_on_signals(threading.Event()) as stop:
            outcomes = Follower(store, settings, stop=stop).fetch_urls(targets)
    finally:
        store.close()
    count = {s: sum(1 for o in outcomes if o.status == s)
             for s in ("stored", "duplicate", "unchanged", "refused", "failed")}
    events = sum(o.events for o in outcomes)
    click.echo(f"fetched {len(outcomes)} URL(s): {count['stored']} stored with {events} "
               f"event(s), {count['duplicate']} duplicate, {count['unchanged']} unchanged, "
               f"{count['refused']} refused, {count['failed']} failed")
    if outcomes and not (count["stored"] or count["duplicate"] or count["unchanged"]):
        ctx.exit(FetchError.exit_code)


@click.command("follow")
@click.argument("feeds", nargs=-1, required=True)
@click.option("--interval", "--every", "interval", default="30m", show_default=True,
              callback=_duration, help="Time between the starts of two polls "
                                       "(seconds, or 90s, 30m, 2h).")
@click.option("--duration", default=None, callback=_duration,
              help="Stop after this long (default: run until SIGINT/SIGTERM).")
@click.option("--max-items", type=click.IntRange(min=1), default=None,
              help="Fetch at most N new articles per poll; the rest wait for the next.")
@_fetch_options
@click.pass_context
def follow(ctx: click.Context, feeds: tuple[str, ...], interval: float,
           duration: float | None, max_items: int | None, timeout: float | None,
           delay: float | None, retries: int | None, max_bytes: int | None) -> None:
    """Poll RSS/Atom/JSON feeds (URLs, or files listing them) and store new articles.

    Each article is fetched and stored once, across polls and restarts. SIGINT or
    SIGTERM stops after the article in hand is stored; a second one aborts.
    """
    from .fetch import unique_urls
    from .follow import Follower, PollStats, stop_on_signals
    from .store import open_store

    settings = _settings(ctx, **_overrides(timeout, delay, retries, max_bytes))
    targets = unique_urls(_expand(feeds))
    assert interval is not None

    def report(stats: PollStats) -> None:
        click.echo(stats.summary())

    store = open_store(settings.db)
    try:
        with stop_on_signals(threading.Event()) as stop:
            polls = Follower(store, settings, stop=stop).run(
                targets, interval=interval, duration=duration, max_items=max_items,
                on_poll=report)
    finally:
        store.close()
    stored = sum(p.stored for p in polls)
    click.echo(f"stopped after {len(polls)} poll(s); {stored} new article(s) stored")
