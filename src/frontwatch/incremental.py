"""Incremental ingest: re-reading a folder processes only new or changed files.

The manifest
    Beside a SQLite database `war.db` lives `war.db.manifest`, a small SQLite file with a
    row per input file whose articles are all stored: its real path, size, modification
    time (ns), the ids of its stored articles and, for a one-article file (.txt, .html),
    the hash of the text stored for it. A file whose size and mtime match its row, and
    whose articles are all still in the database, is not opened at all. The manifest
    only caches what the database holds, so it can never make a run wrong: without it
    (deleted, or a fresh one) each file is read and its articles found by their text
    hash, as every ingest did before. A new manifest beside a database that already has
    articles is seeded from their stored paths, so a file edited since is still seen as
    changed. A database that is not a file gets a manifest in memory, which serves the
    cycles of one `--watch`.

Changed files
    A one-article file whose text differs from what was stored for its path replaces its
    old version, as `frontwatch reprocess` replaces an article: the article keeps its id,
    name and place in the ingest order, its raw input, text and metadata are updated and
    its boilerplate, mentions, events and claims replaced in one transaction, so no stale
    row is left and nothing that points at the article dangles. The id is then no longer
    the hash of the text (as after a reprocess); the manifest keeps that hash, so the file
    is not taken for changed again. A changed .jsonl file is re-read and its new records
    ingested; a record cannot be matched to its older version (lines move), so an edited
    record comes in as a new article and the old one stays.

Watching
    `watch` runs the same ingest every `interval` seconds (a poll: no dependency, works on
    network file systems). Files that failed are not retried until they change, so a bad
    file is reported once, not every cycle. A file caught half-written is ingested as it
    was and replaced when the writer finishes; writing to a hidden name (`.x.txt`, which
    is never read) and renaming avoids the extra work.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import FrameType, TracebackType

from .engine import Engine
from .errors import InputError, StoreError
from .ingest import ArticleMeta, iter_paths, load_meta, read_path
from .pipeline import Processed
from .records import Article, ArticleResult
from .settings import Settings
from .store import SQLiteStore, Store

log = logging.getLogger(__name__)

MANIFEST_SUFFIX = ".manifest"
# Files holding one article, whose edited text replaces the stored one.
SINGLE_SUFFIXES = frozenset({".txt", ".html", ".htm"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ids TEXT NOT NULL,  -- the stored articles' ids, space-separated
    text_id TEXT        -- one-article files: the hash of the text stored for it
)
"""


@dataclass(frozen=True, slots=True)
class FileEntry:
    size: int
    mtime_ns: int
    ids: tuple[str, ...]
    text_id: str | None = None


def manifest_path(db: str) -> str | None:
    """Where the manifest of database `db` lives; None when `db` is not a file."""
    if not db or db == ":memory:" or "://" in db:
        return None
    return str(Path(db).expanduser()) + MANIFEST_SUFFIX


class Manifest:
    """What is known about each input file: path → FileEntry. Writes are staged and
    committed together, after the store has committed the articles they describe."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.created = path is None or not os.path.exists(path)
        try:
            self._conn = self._open(path)
        except sqlite3.DatabaseError as exc:
            if path is None or isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"cannot open the ingest manifest {path}: {exc}") from exc
            # Not SQLite, or damaged: it only caches what the database holds, so start
            # a new one (seeded from the database) rather than refuse to ingest.
            log.warning("ingest manifest %s is unreadable (%s); starting a new one", path, exc)
            os.unlink(path)
            self.created = True
            self._conn = self._open(path)
        self._staged: dict[str, FileEntry] = {}

    @staticmethod
    def _open(path: str | None) -> sqlite3.Connection:
        conn = sqlite3.connect(path or ":memory:", isolation_level=None, timeout=30.0)
        try:
            # A cache, not a record: losing its last commits to a power cut costs only a
            # re-read, so no fsync per commit.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    @classmethod
    def beside(cls, db: str) -> Manifest:
        return cls(manifest_path(db))

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def seed(self, store: Store) -> int:
        """A new manifest beside a database with articles: each stored one-article file's
        path → its article, with no size or mtime (so the file is read once)."""
        if not (self.created and self.path):
            return 0
        n = 0
        for article in store.articles():
            if article.path and Path(article.path).suffix.lower() in SINGLE_SUFFIXES:
                # Stored in ingest order: for a path stored twice, the newest wins.
                key = os.path.realpath(article.path)
                self._staged[key] = FileEntry(-1, -1, (article.id,), article.id)
                n += 1
        self.commit()
        if n:
            log.info("manifest %s seeded with %d stored file(s)", self.path, n)
        return n

    def get(self, key: str) -> FileEntry | None:
        staged = self._staged.get(key)
        if staged is not None:
            return staged
        row = self._conn.execute("SELECT size, mtime_ns, ids, text_id FROM files "
                                 "WHERE path = ?", (key,)).fetchone()
        if row is None:
            return None
        return FileEntry(row[0], row[1], tuple(row[2].split()), row[3])

    def stage(self, key: str, entry: FileEntry) -> None:
        self._staged[key] = entry

    def commit(self) -> None:
        if not self._staged:
            return
        rows = [(k, e.size, e.mtime_ns, " ".join(e.ids), e.text_id)
                for k, e in self._staged.items()]
        try:
            with self._conn:
                self._conn.execute("BEGIN")
                self._conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                                       rows)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the ingest manifest {self.path}: {exc}") from exc
        self._staged.clear()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._conn.close()


@dataclass(slots=True)
class IngestCounts:
    new: int = 0
    changed: int = 0
    skipped: int = 0  # already stored (of them, `unread` were not even opened)
    unread: int = 0
    failed: int = 0
    events: int = 0

    def add(self, other: IngestCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def busy(self) -> bool:
        """Anything stored or failed (a cycle worth reporting)."""
        return bool(self.new or self.changed or self.failed)

    def summary(self) -> str:
        return (f"ingested {self.new} new article(s), {self.changed} changed, with "
                f"{self.events} event(s); {self.skipped} already stored; {self.failed} failed")


@dataclass(slots=True)
class _File:
    """An input file during a run: its articles are in flight until stored."""

    key: str  # the real path
    size: int
    mtime_ns: int
    single: bool
    ids: list[str] = field(default_factory=list)
    text_id: str | None = None
    outstanding: int = 0
    read: bool = False  # every article of the file has been read
    failed: bool = False


class Ingester:
    """Input files → the store, through an engine, skipping what is stored.

    One Ingester serves one run, or every cycle of a watch: it keeps the engine, the
    manifest and the files that failed (not retried until they change).
    """

    def __init__(self, store: Store, engine: Engine, settings: Settings, manifest: Manifest,
                 *, meta: Path | None = None,
                 on_error: Callable[[InputError], None] | None = None) -> None:
        self.store = store
        self.engine = engine
        self.settings = settings
        self.manifest = manifest
        self.on_error = on_error or (lambda err: log.error("%s", err))
        self._meta_path = meta
        self._meta_stat: tuple[int, int] | None = None
        self._meta: Mapping[str, ArticleMeta] | None = None
        self._failed_files: dict[str, tuple[int, int]] = {}
        # Replacing needs the SQLite store's replace_derived (see reprocess).
        self._can_replace = isinstance(store, SQLiteStore)
        self._load_meta(strict=True)

    def _load_meta(self, *, strict: bool) -> None:
        """(Re)load the metadata sidecar when it changed, so a watch picks up lines added
        for new files. A broken sidecar fails the first load (`strict`); later it is
        reported once and the last good one kept."""
        if self._meta_path is None:
            return
        try:
            st = self._meta_path.stat()
        except OSError as exc:
            stat = None
            err = InputError(str(self._meta_path),
                             f"cannot read metadata file: {exc.strerror or exc}")
        else:
            stat = (st.st_size, st.st_mtime_ns)
            if stat == self._meta_stat:
                return
            try:
                self._meta = load_meta(self._meta_path)
                self._meta_stat = stat
                return
            except InputError as exc:
                err = exc
        if strict:
            raise err
        if stat != self._meta_stat:
            self._meta_stat = stat  # this version is reported; the next change is read
            self.on_error(err)

    def ingest(self, paths: Sequence[Path], *, stop: threading.Event | None = None,
               progress: bool = False) -> IngestCounts:
        """One pass over `paths`. A missing path raises InputError before anything is
        read; `stop` set ends the pass after the articles already sent are stored."""
        files = iter_paths(paths)
        run = _Run(self, stop)
        stream = self.engine.run(run.articles(files))
        if progress:
            from tqdm import tqdm

            stream = tqdm(stream, unit="article", file=sys.stderr)
        for article, processed in stream:
            run.outcome(article, processed)
        run.flush()
        self.manifest.commit()
        if run.counts.unread:
            log.info("%d article(s) in files unchanged since they were stored: not read",
                     run.counts.unread)
        return run.counts


class _Run:
    """The state of one pass: which file each article in flight came from, and the
    results waiting to be stored together."""

    def __init__(self, ingester: Ingester, stop: threading.Event | None) -> None:
        self.ing = ingester
        self.store = ingester.store
        self.stop = stop
        self.counts = IngestCounts()
        self.owner: dict[str, _File] = {}  # article.path → its file
        self.replacing: set[str] = set()  # article.path of changed versions
        self.in_flight: set[str] = set()  # ids sent and not yet stored
        self.group: list[tuple[_File, ArticleResult]] = []

    # ---------------------------------------------------------------- reading side

    def articles(self, files: Iterable[Path]) -> Iterator[Article]:
        for path in files:
            if self.stop is not None and self.stop.is_set():
                return
            yield from self._read(path)

    def _read(self, path: Path) -> Iterator[Article]:
        key = os.path.realpath(path)
        try:
            st = os.stat(path)
            size, mtime_ns = st.st_size, st.st_mtime_ns
        except OSError:
            size = mtime_ns = -1  # read_path says why
        entry = self.ing.manifest.get(key)
        if size >= 0:
            if self.ing._failed_files.get(key) == (size, mtime_ns):
                return  # failed before and unchanged since: reported once is enough
            if (entry is not None and (entry.size, entry.mtime_ns) == (size, mtime_ns)
                    and all(self.store.has_article(i) for i in entry.ids)):
                self.counts.skipped += len(entry.ids)
                self.counts.unread += len(entry.ids)
                return
        f = _File(key, size, mtime_ns, path.suffix.lower() in SINGLE_SUFFIXES)
        for item in read_path(path, self.ing.settings, self.ing._meta):
            if isinstance(item, InputError):
                self._fail(f, item)
                continue
            article = self._plan(f, item, entry)
            if article is not None:
                f.outstanding += 1
                self.owner[article.path or article.id] = f
                yield article
        f.read = True
        self._maybe_done(f)

    def _plan(self, f: _File, article: Article, entry: FileEntry | None) -> Article | None:
        """The article to process (under its old id when it replaces one), or None when
        it is stored already."""
        text_id = article.id
        f.text_id = text_id
        old = entry.ids[0] if f.single and entry is not None and entry.ids else None
        if old is not None and not self.store.has_article(old):
            old = None  # deleted since, or a manifest from another database
        if old is not None and entry is not None:
            if entry.text_id == text_id:
                f.ids.append(old)  # the text stored for this path: unchanged
                self.counts.skipped += 1
                return None
            if self.ing._can_replace:
                # Changed, even when the new text's hash is stored: it may be this very
                # article's first version (an edit undone), or another article's text
                # (then the two are linked as duplicates, as at ingest).
                f.ids.append(old)
                self.replacing.add(article.path or article.id)
                # Processed under the old id, so its events and claims point at it.
                return replace(article, id=old)
            log.warning("%s changed; its old version stays (replacing needs SQLite)",
                        article.path)
        if text_id in self.in_flight or self.store.has_article(text_id):
            f.ids.append(text_id)
            self.counts.skipped += 1
            return None
        f.ids.append(text_id)
        self.in_flight.add(text_id)
        return article

    # ---------------------------------------------------------------- storing side

    def outcome(self, article: Article, processed: Processed) -> None:
        tag = article.path or article.id
        f = self.owner.pop(tag)
        if processed.error is not None or processed.result is None:
            self._fail(f, processed.error or InputError(tag, "no result"))
            self._settle(f)
        elif tag in self.replacing:
            self.replacing.discard(tag)
            self.flush()  # results are stored in input order
            self._replace(processed.result)
            self._settle(f)
        else:
            self.group.append((f, processed.result))
            if len(self.group) >= self.ing.settings.batch_size:
                self.flush()

    def flush(self) -> None:
        """Store the waiting results together (Store.save_many), then record the files
        they complete: the manifest never runs ahead of the database."""
        if not self.group:
            return
        results = [r for _, r in self.group]
        saved = self.store.save_many(results)
        self.counts.new += saved
        # Fewer saved: another process stored some meanwhile (their events are counted).
        self.counts.skipped += len(results) - saved
        self.counts.events += sum(len(r.events) for r in results)
        for f, r in self.group:
            self.in_flight.discard(r.article.id)
            self._settle(f)
        self.group.clear()
        self.ing.manifest.commit()

    def _replace(self, result: ArticleResult) -> None:
        from .reprocess import replace_derived

        assert isinstance(self.store, SQLiteStore)
        # The new page goes in the same transaction as the rows derived from it: a later
        # `reprocess` rebuilds from the page, so it must never be the old one.
        replace_derived(self.store, result, raw_html=result.article.raw_html)
        log.info("%s: changed; article %s replaced", result.article.name, result.article.id)
        self.counts.changed += 1
        self.counts.events += len(result.events)

    def _fail(self, f: _File, err: InputError) -> None:
        self.ing.on_error(err)
        self.counts.failed += 1
        f.failed = True
        if f.size >= 0:
            self.ing._failed_files[f.key] = (f.size, f.mtime_ns)

    def _settle(self, f: _File) -> None:
        f.outstanding -= 1
        self._maybe_done(f)

    def _maybe_done(self, f: _File) -> None:
        if f.read and f.outstanding == 0 and not f.failed and f.size >= 0:
            self.ing._failed_files.pop(f.key, None)
            self.ing.manifest.stage(f.key, FileEntry(f.size, f.mtime_ns, tuple(f.ids),
                                                     f.text_id if f.single else None))


# --------------------------------------------------------------------------- watch


def watch(ingester: Ingester, paths: Sequence[Path], *, interval: float,
          stop: threading.Event, max_cycles: int | None = None,
          on_cycle: Callable[[IngestCounts], None] | None = None) -> IngestCounts:
    """`ingester.ingest(paths)` every `interval` seconds until `stop` is set (or after
    `max_cycles`); the counts of all cycles. A path that goes missing is reported once
    and polled again; the cycle after it reappears picks it up."""
    total = IngestCounts()
    cycles = 0
    last_error: str | None = None
    while not stop.is_set():
        ingester._load_meta(strict=False)
        try:
            counts = ingester.ingest(paths, stop=stop)
        except InputError as exc:
            if str(exc) != last_error:
                ingester.on_error(exc)
                last_error = str(exc)
        else:
            last_error = None
            total.add(counts)
            # What is stored at the end, not the sum of every cycle's look at it.
            total.skipped, total.unread = counts.skipped, counts.unread
            if on_cycle is not None:
                on_cycle(counts)
        cycles += 1
        if max_cycles is not None and cycles >= max_cycles:
            break
        stop.wait(interval)
    return total


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT (Ctrl-C) and SIGTERM set `stop`: the articles in flight are stored and the
    watch ends. A second signal stops at once (KeyboardInterrupt). Only the main thread
    can take signals; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
