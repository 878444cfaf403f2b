"""Live ingestion: fetch article URLs, poll feeds, and store each article once.

`Follower.ingest_url` takes one URL through the same path as `frontwatch ingest`:
HTML → `ingest.html_to_article` (trafilatura) → `pipeline.process_safely` →
`Store.save` (one transaction, deduplicated by the article id computed from the
normalised text). `Follower.poll` reads feeds and ingests the items not seen before;
`Follower.run` polls every `interval` seconds until stopped.

What became of every URL is kept in the database (`fetched_urls`, see store/schema.py), keyed
by the normalised URL, so repeated polls and restarts fetch each article once. A URL is
"done" once it was stored, found to be a duplicate, or refused for good (robots.txt,
not HTML, too large, a 4xx, no main text); a transient failure (timeout, 5xx) is tried
again on later polls, at most `MAX_ATTEMPTS` times. A feed's ETag / Last-Modified are
saved only once every item it listed has been handled, so a poll cut short never makes
the next one skip items behind a 304.

Stopping: `stop` is a `threading.Event` (set by SIGINT/SIGTERM through `stop_on_signals`,
or by the `duration` timer). It is checked between articles, never inside one: an
article whose page was fetched is always processed and stored before the loop ends, and
an interrupted wait (politeness delay, backoff, the interval) ends at once without a
request. A second signal interrupts for real; `Store.save` then rolls the article back
as a whole, and the URL, not marked done, is fetched again next time.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .errors import FeedError, FetchError, InputError, StoreError
from .feeds import Feed, FeedItem, parse_feed
from .fetch import Client, decode_html, is_transient, normalise_url
from .ingest import ArticleMeta, html_to_article
from .pipeline import process_safely
from .settings import Settings
from .store import SQLiteStore, Store

if TYPE_CHECKING:
    from .store.postgres import PostgresStore

log = logging.getLogger(__name__)

Status = Literal["stored", "duplicate", "refused", "failed", "unchanged", "seen", "stopped"]
# Statuses after which a URL is not fetched again by `follow`.
DONE: frozenset[str] = frozenset({"stored", "duplicate", "refused"})
# Polls on which a transiently failing URL is tried before it is given up.
MAX_ATTEMPTS = 3


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -------------------------------------------------------------------------- state


@dataclass(frozen=True, slots=True)
class UrlRecord:
    url: str  # normalised, as requested
    status: str  # stored | duplicate | refused | failed
    final_url: str | None = None
    article_id: str | None = None
    reason: str | None = None
    attempts: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FeedRecord:
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class FollowState(Protocol):
    def url(self, url: str) -> UrlRecord | None: ...
    def record_url(self, record: UrlRecord) -> None: ...
    def feed(self, url: str) -> FeedRecord | None: ...
    def record_feed(self, record: FeedRecord) -> None: ...


class MemoryFollowState:
    def __init__(self) -> None:
        self.urls: dict[str, UrlRecord] = {}
        self.feeds: dict[str, FeedRecord] = {}

    def url(self, url: str) -> UrlRecord | None:
        return self.urls.get(url)

    def record_url(self, record: UrlRecord) -> None:
        self.urls[record.url] = record

    def feed(self, url: str) -> FeedRecord | None:
        return self.feeds.get(url)

    def record_feed(self, record: FeedRecord) -> None:
        self.feeds[record.url] = record


class _TableFollowState:
    """The `fetched_urls` and `feeds` tables of a store's database; subclasses say how to
    read a row and how to write one. Each write is one statement, so one transaction of
    its own."""

    _URL_COLS = ("url", "status", "final_url", "article_id", "reason", "attempts", "etag",
                 "last_modified")
    _FEED_COLS = ("url", "title", "etag", "last_modified")

    def _select(self, table: str, cols: tuple[str, ...], url: str) -> Any:
        """The row of `table` for `url` (mapping column names to values), or None."""
        raise NotImplementedError

    def _write(self, table: str, cols: tuple[str, ...], values: Sequence[object]) -> None:
        """Insert the row, replacing any of the same url."""
        raise NotImplementedError

    def url(self, url: str) -> UrlRecord | None:
        row = self._select("fetched_urls", self._URL_COLS, url)
        return UrlRecord(**{c: row[c] for c in self._URL_COLS}) if row is not None else None

    def record_url(self, record: UrlRecord) -> None:
        values = (*(getattr(record, c) for c in self._URL_COLS), _now())
        self._write("fetched_urls", (*self._URL_COLS, "fetched_at"), values)

    def feed(self, url: str) -> FeedRecord | None:
        row = self._select("feeds", self._FEED_COLS, url)
        return FeedRecord(**{c: row[c] for c in self._FEED_COLS}) if row is not None else None

    def record_feed(self, record: FeedRecord) -> None:
        values = (*(getattr(record, c) for c in self._FEED_COLS), _now())
        self._write("feeds", (*self._FEED_COLS, "checked_at"), values)


class SQLiteFollowState(_TableFollowState):
    """The follow state in a SQLiteStore's database."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def _run(self, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
        try:
            return self.store.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"fetch state in {self.store.db}: {exc}") from exc

    # `table` and `cols` are the constants above; values travel as parameters.
    def _select(self, table: str, cols: tuple[str, ...], url: str) -> Any:
        rows = self._run(f"SELECT {', '.join(cols)} FROM {table} WHERE url = ?", (url,))
        return rows[0] if rows else None

    def _write(self, table: str, cols: tuple[str, ...], values: Sequence[object]) -> None:
        self._run(f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) "
                  f"VALUES ({', '.join('?' * len(cols))})", values)


class PostgresFollowState(_TableFollowState):
    """The same tables in a PostgresStore's database. Upserts where SQLite has INSERT OR
    REPLACE."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def _select(self, table: str, cols: tuple[str, ...], url: str) -> Any:
        rows = self.store._query(f"SELECT {', '.join(cols)} FROM {table} WHERE url = %s",
                                 (url,))
        return rows[0] if rows else None

    def _write(self, table: str, cols: tuple[str, ...], values: Sequence[object]) -> None:
        sets = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "url")
        self.store._query(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                          f"({', '.join(['%s'] * len(cols))}) "
                          f"ON CONFLICT (url) DO UPDATE SET {sets}", values)


def follow_state(store: Store) -> FollowState:
    """The persistent state of a SQLite or PostgreSQL store; an in-memory one for any
    other store."""
    if isinstance(store, SQLiteStore):
        return SQLiteFollowState(store)
    # Looked up, not imported: a PostgresStore exists only if its module (and psycopg)
    # is loaded already, and SQLite users should not pay for importing them.
    pg = sys.modules.get("frontwatch.store.postgres")
    if pg is not None and isinstance(store, pg.PostgresStore):
        return PostgresFollowState(store)
    return MemoryFollowState()


# ------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class Outcome:
    url: str
    status: Status
    reason: str | None = None
    article_id: str | None = None
    events: int = 0


@dataclass(slots=True)
class PollStats:
    number: int = 0
    feeds: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    items: int = 0
    already_seen: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def stored(self) -> int:
        return self.count("stored")

    @property
    def events(self) -> int:
        return sum(o.events for o in self.outcomes)

    def summary(self) -> str:
        return (
            f"poll {self.number}: {self.feeds} feed(s) ({self.feeds_unchanged} unchanged, "
            f"{self.feeds_failed} failed), {self.items} item(s), {self.already_seen} seen "
            f"before; {self.stored} stored with {self.events} event(s), "
            f"{self.count('duplicate')} duplicate, {self.count('refused')} refused, "
            f"{self.count('failed')} failed"
        )


# ----------------------------------------------------------------------- follower


class Follower:
    """Fetch → article → pipeline → store, for single URLs and for feeds."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        client: Client | None = None,
        state: FollowState | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.stop = stop or (client.stop if client is not None else threading.Event())
        self.client = client or Client.from_settings(settings, stop=self.stop)
        self.client.stop = self.stop  # one stop for the loop and the client's waits
        self.state = state or follow_state(store)
        self._polls = 0

    @property
    def stopping(self) -> bool:
        return self.stop.is_set()

    # ---------------------------------------------------------------- one URL

    def ingest_url(self, url: str, meta: ArticleMeta | None = None, *,
                   conditional: bool = True) -> Outcome:
        """Fetch one article page and store it. Never raises for a bad URL or page: the
        Outcome (and the log) says what happened. StoreError goes on: a database that
        cannot be written is not one URL's problem."""
        try:
            key = normalise_url(url)
        except FetchError as exc:
            log.warning("%s: skipped: %s", url, exc.reason)
            return Outcome(url, "refused", exc.reason)
        previous = self.state.url(key)
        etag = last_modified = None
        if conditional and previous is not None and previous.status in ("stored", "duplicate"):
            etag, last_modified = previous.etag, previous.last_modified
        try:
            resp = self.client.get(key, "page", etag=etag, last_modified=last_modified)
        except FetchError as exc:
            return self._failed(key, exc, previous)
        if resp.not_modified and previous is not None:
            log.info("%s: not modified since it was stored", key)
            return Outcome(key, "unchanged", article_id=previous.article_id)
        if resp.redirects:
            log.info("%s: redirected to %s", key, resp.url)
        record = UrlRecord(key, "refused", resp.url, etag=resp.etag,
                           last_modified=resp.last_modified)
        try:
            html = decode_html(resp)
            article = html_to_article(html, resp.url, self.settings, meta, url=resp.url)
            article = replace(article, fetched_at=_now())
        except (InputError, ValueError) as exc:
            reason = exc.reason if isinstance(exc, InputError) else str(exc)
            log.warning("%s: skipped: %s", key, reason)
            self.state.record_url(replace(record, reason=reason))
            return Outcome(key, "refused", reason)
        if self.store.has_article(article.id):
            log.info("%s: already stored as article %s", key, article.id)
            self.state.record_url(replace(record, status="duplicate", article_id=article.id))
            return Outcome(key, "duplicate", article_id=article.id)
        processed = process_safely(article, self.settings)
        if processed.error is not None or processed.result is None:
            reason = processed.error.reason if processed.error else "no result"
            log.warning("%s: skipped: %s", key, reason)
            self.state.record_url(replace(record, reason=reason, article_id=article.id))
            return Outcome(key, "refused", reason, article.id)
        saved = self.store.save(processed.result)
        status: Status = "stored" if saved else "duplicate"
        self.state.record_url(replace(record, status=status, article_id=article.id))
        events = len(processed.result.events) if saved else 0
        log.info("%s: %s as article %s with %d event(s)", key, status, article.id, events)
        return Outcome(key, status, article_id=article.id, events=events)

    def _failed(self, key: str, exc: FetchError, previous: UrlRecord | None) -> Outcome:
        if exc.kind == "stopped":
            log.info("%s: not fetched, stopping", key)
            return Outcome(key, "stopped", exc.reason)
        if is_transient(exc):
            attempts = (previous.attempts if previous and previous.status == "failed"
                        else 0) + 1
            later = ("giving up on it" if attempts >= MAX_ATTEMPTS
                     else "will try again on a later poll")
            log.warning("%s: failed: %s (attempt %d of %d; %s)", key, exc.reason, attempts,
                        MAX_ATTEMPTS, later)
            self.state.record_url(UrlRecord(key, "failed", reason=exc.reason,
                                            attempts=attempts))
            return Outcome(key, "failed", exc.reason)
        log.warning("%s: skipped: %s", key, exc.reason)
        if previous is None or previous.status not in ("stored", "duplicate"):
            self.state.record_url(UrlRecord(key, "refused", reason=exc.reason))
        return Outcome(key, "refused", exc.reason)

    def fetch_urls(self, urls: Sequence[str]) -> list[Outcome]:
        """`frontwatch fetch`: each URL once, conditionally when it was stored before."""
        out: list[Outcome] = []
        for url in urls:
            if self.stopping:
                log.info("stopping: %d URL(s) not fetched", len(urls) - len(out))
                break
            out.append(self.ingest_url(url))
        return out

    # ---------------------------------------------------------------- feeds

    def _read_feed(self, feed_url: str, stats: PollStats) -> tuple[str, Feed, FeedRecord] | None:
        try:
            key = normalise_url(feed_url)
        except FetchError as exc:
            log.warning("feed %s: skipped: %s", feed_url, exc.reason)
            stats.feeds_failed += 1
            return None
        known = self.state.feed(key)
        try:
            resp = self.client.get(key, "feed", etag=known.etag if known else None,
                                   last_modified=known.last_modified if known else None)
        except FetchError as exc:
            if exc.kind != "stopped":
                log.warning("feed %s: not read: %s", key, exc.reason)
                stats.feeds_failed += 1
            return None
        if resp.not_modified:
            log.info("feed %s: not modified", key)
            stats.feeds_unchanged += 1
            return None
        try:
            feed = parse_feed(resp.body, resp.url)
        except FeedError as exc:
            log.warning("feed %s: not read: %s", key, exc.reason)
            stats.feeds_failed += 1
            return None
        record = FeedRecord(key, feed.title, resp.etag, resp.last_modified)
        return key, feed, record

    def _due(self, key: str) -> bool:
        rec = self.state.url(key)
        if rec is None:
            return True
        if rec.status in DONE:
            return False
        return rec.attempts < MAX_ATTEMPTS

    def poll(self, feeds: Sequence[str], max_items: int | None = None) -> PollStats:
        """Read every feed once and ingest the items not handled before. `max_items`
        bounds the article pages fetched in this poll; the rest wait for the next."""
        self._polls += 1
        stats = PollStats(number=self._polls)
        this_poll: set[str] = set()
        fetched = 0
        for feed_url in feeds:
            if self.stopping:
                break
            stats.feeds += 1
            read = self._read_feed(feed_url, stats)
            if read is None:
                continue
            key, feed, record = read
            stats.items += len(feed.items)
            complete = True
            for item in feed.items:
                if self.stopping or (max_items is not None and fetched >= max_items):
                    complete = False
                    break
                try:
                    item_key = normalise_url(item.url)
                except FetchError as exc:
                    log.warning("feed %s: item %s skipped: %s", key, item.url, exc.reason)
                    continue
                if item_key in this_poll or not self._due(item_key):
                    stats.already_seen += 1
                    continue
                this_poll.add(item_key)
                fetched += 1
                outcome = self.ingest_url(item_key, self._item_meta(feed, item),
                                          conditional=False)
                stats.outcomes.append(outcome)
                if outcome.status in ("stopped", "failed"):
                    complete = False
            # The validators go in only when nothing listed is left to do; otherwise
            # the next poll must get the whole feed again, not a 304.
            known = self.state.feed(key)
            if not complete:
                record = replace(record, etag=known.etag if known else None,
                                 last_modified=known.last_modified if known else None)
            self.state.record_feed(record)
        return stats

    @staticmethod
    def _item_meta(feed: Feed, item: FeedItem) -> ArticleMeta:
        return ArticleMeta(title=item.title, outlet=feed.title, published=item.published)

    def run(
        self,
        feeds: Sequence[str],
        *,
        interval: float,
        duration: float | None = None,
        max_items: int | None = None,
        on_poll: Callable[[PollStats], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> list[PollStats]:
        """Poll every `interval` seconds (from the start of one poll to the next) until
        `stop` is set or `duration` seconds have passed."""
        timer = None
        if duration is not None:
            timer = threading.Timer(max(duration, 0.0), self._time_up)
            timer.daemon = True
            timer.start()
        polls: list[PollStats] = []
        try:
            while not self.stopping:
                started = clock()
                stats = self.poll(feeds, max_items)
                polls.append(stats)
                if on_poll is not None:
                    on_poll(stats)
                if self.stopping:
                    break
                self.stop.wait(max(0.0, interval - (clock() - started)))
        finally:
            if timer is not None:
                timer.cancel()
        return polls

    def _time_up(self) -> None:
        log.info("duration reached; stopping after the current article")
        self.stop.set()


# ------------------------------------------------------------------------ signals


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event,
                    signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)
                    ) -> Iterator[threading.Event]:
    """While inside, the first SIGINT/SIGTERM sets `stop`; a second one acts as it would
    have without this (KeyboardInterrupt, or termination). Only in the main thread;
    elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous: dict[int, object] = {sig: signal.getsignal(sig) for sig in signals}

    def handler(signum: int, frame: FrameType | None) -> None:
        log.warning("%s received: stopping after the current article (again to abort)",
                    signal.Signals(signum).name)
        stop.set()
        _restore(previous)

    for sig in signals:
        signal.signal(sig, handler)
    try:
        yield stop
    finally:
        _restore(previous)


def _restore(previous: dict[int, object]) -> None:
    for sig, old in previous.items():
        # None: a handler not installed from Python; the default is the closest.
        signal.signal(sig, old if old is not None else signal.SIG_DFL)  # type: ignore[arg-type]
