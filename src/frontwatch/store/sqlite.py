"""`SQLiteStore`, the real backend: SQLStore (store.common) over one SQLite file."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import StoreError
from ..fuse import dedup
from ..records import ArticleResult
from .common import (
    MIN_ID_PREFIX,
    EventFilter,
    SearchHit,
    SQLStore,
    _check_paging,
    _check_result,
    _date,
    _fold,
    _iso,
    _now,
    _place_needle,
    _reraise,
    _resolve,
    _search_words,
    compress_html,
)
from .common import _cached_place as _cached_place  # frontwatch.api reads rows with these
from .common import _mention_from as _mention_from
from .schema import _ARTICLE_PLAIN, _INSERT_ARTICLE, MIGRATIONS, SCHEMA_VERSION, STATEMENTS

# The package's logger, as when the store was one module: log records keep the name
# "frontwatch.store" whichever submodule emits them.
log = logging.getLogger("frontwatch.store")


def _connect(db: str) -> sqlite3.Connection:
    target = db
    if db != ":memory:":
        path = Path(db).expanduser()
        parent = path.parent.resolve()
        if not parent.is_dir():
            raise StoreError(f"cannot open database {db}: directory {parent} does not exist")
        if path.is_dir():
            raise StoreError(f"cannot open database {db}: it is a directory")
        target = str(path)
    try:
        # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE), so
        # the sqlite3 module never starts or commits one behind our back.
        conn = sqlite3.connect(target, isolation_level=None, timeout=30.0)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {db}: {exc}") from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.create_function("fw_fold", 1, _fold, deterministic=True)
        conn.execute("PRAGMA foreign_keys = ON")
        # The first statement that reads the file header; a non-SQLite file fails here.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, db)
    except sqlite3.OperationalError as exc:  # permissions, locks, full disk
        conn.close()
        raise StoreError(f"cannot open database {db}: {exc}") from exc
    except sqlite3.DatabaseError as exc:  # not SQLite, or corrupt
        conn.close()
        raise StoreError(f"{db} is not a usable SQLite database: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, db: str) -> None:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{db} has schema version {version}, newer than this frontwatch "
            f"understands ({SCHEMA_VERSION}); upgrade frontwatch"
        )
    if version == 0:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables:
            # Adding our tables to somebody else's database would be a silent mess.
            raise StoreError(f"{db} is a SQLite database but not a frontwatch one")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        log.info("migrating %s to schema version %d", db, number)
        # PRAGMA takes no parameters; `number` is our own int, not user input.
        script = (
            f"BEGIN IMMEDIATE;\n{MIGRATIONS[number - 1]}\n"
            f"PRAGMA user_version = {number:d};\nCOMMIT;"
        )
        try:
            conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"migrating {db} to schema version {number} failed: {exc}") from exc


class SQLiteStore(SQLStore):
    """The real store: one SQLite file (or ":memory:"), WAL journal, foreign keys on."""

    _P = "?"
    _SQL = STATEMENTS
    _NO_LIMIT = -1
    # Stay well under SQLITE_MAX_VARIABLE_NUMBER, which is 999 on old builds.
    _IN_CHUNK = 500
    # Dates are ISO text.
    _date_param = staticmethod(_iso)
    _date_value = staticmethod(_date)

    def __init__(self, db: str) -> None:
        self.db = db
        self._conn: sqlite3.Connection | None = _connect(db)

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def readonly(cls, db: str) -> SQLiteStore:
        """A store that cannot write, for the HTTP API: the file is migrated first (one
        ordinary open), then reopened read-only. The connection may be used from several
        threads; callers serialise access to it (frontwatch.api holds a lock)."""
        path = Path(db).expanduser()
        if db == ":memory:" or not path.is_file():
            raise StoreError(f"no database at {db}; ingest articles first")
        cls(db).close()
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   isolation_level=None, timeout=30.0,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.create_function("fw_fold", 1, _fold, deterministic=True)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {db} read-only: {exc}") from exc
        store = cls.__new__(cls)
        store.db = db
        store._conn = conn
        return store

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.db} is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.db} failed: {exc}") from exc

    # ---------------------------------------------------------------- writing

    def _execute(self, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def _executemany(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        self.conn.executemany(sql, rows)

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def save(self, result: ArticleResult) -> bool:
        _check_result(result)
        # IMMEDIATE takes the write lock now, so the existence check below cannot race
        # another process ingesting the same article.
        conn = self._begin()
        try:
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (result.article.id,)).fetchone():
                conn.execute("ROLLBACK")
                return False
            self._write_article(result)
            self._write_boilerplate(result)
            self._write_places(result)
            self._write_mentions(result)
            self._write_events(result)
            self._write_claims(result)
            conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            _reraise(exc, result)
        return True

    def _begin(self) -> sqlite3.Connection:
        """BEGIN IMMEDIATE (the write lock, taken now) on the connection, returned."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.db}: {exc}") from exc
        return conn

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback on %s failed", self.db)

    def _write_article(self, result: ArticleResult) -> None:
        a, conn = result.article, self.conn
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
        row = (*(getattr(a, c) for c in _ARTICLE_PLAIN), _iso(a.published), a.text)
        raw_html = None if a.raw_html is None else compress_html(a.raw_html)
        conn.execute(_INSERT_ARTICLE, (*row, result.cleaned.text, seq, _now(), raw_html))
        sig = dedup.simhash(result.cleaned.text)
        if sig is not None:
            self._link_duplicate(a.id, sig)

    # ---------------------------------------------------------------- reading

    def _article_ids(self, key: str) -> list[str]:
        # Only the candidates are loaded; `_resolve` then picks exactly as MemoryStore
        # does. substr() rather than LIKE: no wildcard in the key can widen the match.
        prefix = key.strip().lower()
        rows = self._query(
            "SELECT id, name FROM articles WHERE id = ? OR name = ? "
            "OR (? >= ? AND substr(id, 1, ?) = ?) ORDER BY seq",
            (key, key, len(prefix), MIN_ID_PREFIX, len(prefix), prefix),
        )
        return _resolve(key, [r["id"] for r in rows], [r["name"] for r in rows])

    def _in(self, col: str, ids: list[str]) -> tuple[str, list[object]]:
        # An empty IN () is valid SQLite and matches nothing.
        return f"{col} IN ({', '.join('?' * len(ids))})", list(ids)

    def _iter(self, sql: str, params: Sequence[object]) -> Iterator[sqlite3.Row]:
        # A private cursor, fetched in pages: exports of big databases stay small in
        # memory, and a caller writing meanwhile does not disturb the iteration.
        try:
            cur = self.conn.execute(sql, params)
            while rows := cur.fetchmany(1000):
                yield from rows
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.db} failed: {exc}") from exc

    def _text_filters(self, flt: EventFilter, where: list[str], params: list[object]) -> None:
        # side1, event_type and sub_event_type are NOCASE columns: `=` ignores case.
        if flt.place:
            gid, needle = _place_needle(flt.place)
            if gid is not None:
                where.append("e.geonameid = ?")
                params.append(gid)
            else:
                # instr() rather than LIKE: % and _ in user input stay literal.
                where.append("(instr(fw_fold(p.name), ?) > 0 OR instr(fw_fold(p.admin1), ?) > 0)")
                params.extend([needle, needle])
        if flt.side:
            where.append("e.side1 = ?")
            params.append(flt.side.strip())
        if flt.type:
            where.append("(e.event_type = ? OR e.sub_event_type = ?)")
            params.extend([flt.type.strip()] * 2)

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        _check_paging(limit, offset)
        words = _search_words(text)
        if not words:
            return []
        # Each word an FTS5 string (quotes doubled), so nothing in it is an operator or
        # a column filter; the last one a prefix, for search-as-you-type.
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words) + "*"
        rows = self._query(
            "SELECT a.id, a.name, a.title, a.outlet, a.published, a.url, "
            "snippet(articles_fts, 2, char(2), char(3), '…', 24) AS snip "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank, a.seq LIMIT ? OFFSET ?",
            (match, limit, offset),
        )
        return [self._hit(r) for r in rows]
