"""`PostgresStore`: the Store interface over a PostgreSQL server, for several ingest
processes (or machines) writing one database at once.

Behaves like SQLiteStore (same records, ordering, filters, near-duplicate marking,
all-or-nothing saves). What differs is how concurrent writers are kept apart: SQLite
takes one write lock per save, while here

- the article row is inserted with ON CONFLICT (id) DO NOTHING: when several processes
  store one article at once, one gets the row and the others get False from `save`,
  never a second copy or a unique-violation error;
- before that insert a save takes a transaction-scoped advisory lock on each of its
  text's four SimHash bands (fuse.dedup). Two near-duplicates share a band, so their
  saves run one after the other and the later one sees the earlier, as in SQLite, while
  unrelated articles do not wait for each other. Locks are always taken in band order,
  so two saves cannot deadlock on them;
- places are upserted in geonameid order, for the same reason.

Every value reaches the server as a query parameter. Messages show the URL without its
password (`_safe_url`).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from ..errors import StoreError
from ..fuse import dedup
from ..records import ArticleResult, Event
from .common import (
    HIT_END,
    HIT_START,
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    SearchHit,
    SQLStore,
    _check_paging,
    _check_result,
    _now,
    _place_needle,
    _reraise,
    _resolve,
    _safe_url,
    _search_words,
    compress_html,
)
from .schema import _ARTICLE_PLAIN, SCHEMA_VERSION
from .schema_pg import (
    INSERT_ARTICLE,
    LOCK_DEDUP_BAND,
    LOCK_MIGRATE,
    PG_MIGRATIONS,
    STATEMENTS,
    VERSION_TABLE,
)

log = logging.getLogger("frontwatch.store")

Conn = psycopg.Connection[DictRow]
# ts_headline's options: the snippet format SQLiteStore.search gives (FTS5's snippet).
_HEADLINE = (
    f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=12, ShortWord=0, "
    "MaxFragments=1, FragmentDelimiter=…"
)
_cursor_names = itertools.count(1)


class _AlreadyStored(Exception):
    """Another process stored the article first: the save's transaction rolls back."""


def _has_nul(*values: str | None) -> bool:
    # PostgreSQL text cannot hold NUL, and psycopg refuses to send it: such a key can
    # name no stored row, so lookups answer "nothing" instead of failing.
    return any(v is not None and "\x00" in v for v in values)


def _connect(url: str, safe: str) -> Conn:
    # A "postgresql+psycopg://" URL (SQLAlchemy's spelling) is a plain URL to libpq.
    scheme, _, rest = url.partition("://")
    target = f"{scheme.split('+')[0].lower()}://{rest}"
    try:
        # autocommit: reads see the latest commits; saves open explicit transactions.
        # A bounded wait for an unreachable server, unless the URL chooses its own.
        extra: dict[str, Any] = {} if "connect_timeout" in rest else {"connect_timeout": 15}
        conn: Conn = psycopg.connect(
            target, autocommit=True, row_factory=dict_row, application_name="frontwatch",
            **extra,
        )
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {safe}: {exc}") from exc
    try:
        _migrate(conn, safe)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: Conn, safe: str) -> None:
    """Bring the database to SCHEMA_VERSION; a no-op when it is there already. One
    transaction under an advisory lock: processes opening a fresh database at once
    migrate it once, and a failed migration leaves the previous version intact."""
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_MIGRATE,))
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS ok", (VERSION_TABLE,))
            if not _one(row)["ok"]:
                n = _one(conn.execute(
                    "SELECT count(*) AS n FROM information_schema.tables "
                    "WHERE table_schema = current_schema()"))["n"]
                if n:
                    # Adding our tables to somebody else's schema would be a silent mess.
                    raise StoreError(f"{safe} is a PostgreSQL database but not a frontwatch one")
                conn.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
                conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (0)")
            version = int(_one(conn.execute(f"SELECT version FROM {VERSION_TABLE}"))["version"])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{safe} has schema version {version}, newer than this frontwatch "
                    f"understands ({SCHEMA_VERSION}); upgrade frontwatch"
                )
            for number in range(version + 1, SCHEMA_VERSION + 1):
                log.info("migrating %s to schema version %d", safe, number)
                # A whole script, no parameters: psycopg sends it as one simple query.
                conn.execute(PG_MIGRATIONS[number - 1])
                conn.execute(f"UPDATE {VERSION_TABLE} SET version = %s", (number,))
    except psycopg.Error as exc:
        raise StoreError(f"cannot open {safe}: {exc}") from exc


def _one(cur: psycopg.Cursor[DictRow]) -> DictRow:
    row = cur.fetchone()
    assert row is not None  # only used on queries that always return a row
    return row


def _tsquery(words: list[str]) -> str:
    """Words as to_tsquery text: each a quoted lexeme, all required, the last a prefix.
    The words are letters and digits only (_search_words); quoting is belt and braces."""
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


class PostgresStore(SQLStore):
    """The store in a PostgreSQL database, given as a postgresql:// URL."""

    _P = "%s"
    _SQL = STATEMENTS
    _NO_LIMIT = None  # LIMIT NULL is no limit
    # Names compare by code point, as in SQLite and Python, whatever the database's locale.
    _COLLATE_C = ' COLLATE "C"'

    def __init__(self, url: str) -> None:
        self.db = _safe_url(url)  # never the password: this name goes into messages
        self._conn: Conn | None = _connect(url, self.db)

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> Conn:
        if self._conn is None:
            raise StoreError(f"store {self.db} is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[DictRow]:
        """Rows of one statement (none for a statement without a result), in autocommit:
        a write here is a transaction of its own."""
        try:
            cur = self.conn.execute(sql, params)
            return cur.fetchall() if cur.description is not None else []
        except psycopg.Error as exc:
            raise StoreError(f"reading {self.db} failed: {exc}") from exc

    def _execute(self, sql: str, params: Sequence[object]) -> list[DictRow]:
        cur = self.conn.execute(sql, params)
        return cur.fetchall() if cur.description is not None else []

    def _iter(self, sql: str, params: Sequence[object]) -> Iterator[DictRow]:
        # A server-side cursor fetched in pages: big exports stay small in memory. WITH
        # HOLD, as autocommit requires: the result outlives the statement's transaction,
        # so saves made meanwhile do not disturb the iteration.
        conn = self.conn
        cur = conn.cursor(name=f"fw_iter_{next(_cursor_names)}", withhold=True)
        try:
            cur.execute(sql, params)
            while rows := cur.fetchmany(1000):
                yield from rows
        except psycopg.Error as exc:
            raise StoreError(f"reading {self.db} failed: {exc}") from exc
        finally:
            with contextlib.suppress(psycopg.Error):
                cur.close()

    # ---------------------------------------------------------------- writing

    def has_article(self, article_id: str) -> bool:
        if _has_nul(article_id):
            self.conn  # noqa: B018 - a closed store still says so
            return False
        return bool(self._query("SELECT 1 FROM articles WHERE id = %s", (article_id,)))

    def save(self, result: ArticleResult) -> bool:
        _check_result(result)
        conn = self.conn
        if self.has_article(result.article.id):
            return False  # the common case of a re-run, without taking any lock
        try:
            with conn.transaction():
                if not self._write_article(result):
                    raise _AlreadyStored
                self._write_boilerplate(result)
                self._write_places(result)
                self._write_mentions(result)
                self._write_events(result)
                self._write_claims(result)
        except _AlreadyStored:
            return False
        except BaseException as exc:
            # The transaction block has rolled back: nothing of the article is stored.
            _reraise(exc, result)
        return True

    def _write_article(self, result: ArticleResult) -> bool:
        """Insert the article row; False when another process has it already."""
        a, conn = result.article, self.conn
        sig = dedup.simhash(result.cleaned.text)
        bands = () if sig is None else dedup.bands(sig)
        for i, band in enumerate(bands):
            conn.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)",
                         (LOCK_DEDUP_BAND + i, band))
        raw_html = None if a.raw_html is None else compress_html(a.raw_html)
        row = (*(getattr(a, c) for c in _ARTICLE_PLAIN), a.published, a.text,
               result.cleaned.text, _now(), raw_html)
        if conn.execute(INSERT_ARTICLE, row).fetchone() is None:
            return False
        if sig is not None:
            self._link_duplicate(a.id, sig)
        return True

    def _executemany(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(sql, rows)

    # ---------------------------------------------------------------- reading

    def _article_ids(self, key: str) -> list[str]:
        # The candidates only; `_resolve` then picks exactly as the other stores do.
        # starts_with() rather than LIKE: no wildcard in the key can widen the match.
        if _has_nul(key):
            return []
        prefix = key.strip().lower()
        clause, params = "id = %s OR name = %s", [key, key]
        if len(prefix) >= MIN_ID_PREFIX:
            clause += " OR starts_with(id, %s)"
            params.append(prefix)
        rows = self._query(f"SELECT id, name FROM articles WHERE {clause} ORDER BY seq", params)
        return _resolve(key, [r["id"] for r in rows], [r["name"] for r in rows])

    def _in(self, col: str, ids: list[str]) -> tuple[str, list[object]]:
        # An empty array matches nothing.
        return f"{col} = ANY(%s)", [ids]

    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]:
        if any(_has_nul(v) for v in (flt.place, flt.side, flt.type, flt.article)):
            self.conn  # noqa: B018 - a closed store still says so
            return []
        return super().events(flt)

    def _text_filters(self, flt: EventFilter, where: list[str], params: list[object]) -> None:
        # lower() on both sides, as the indexes on lower(col) are built.
        if flt.place:
            gid, _ = _place_needle(flt.place)
            if gid is not None:
                where.append("e.geonameid = %s")
                params.append(gid)
            else:
                # strpos() rather than LIKE: % and _ in user input stay literal.
                needle = flt.place.strip().lower()
                where.append("(strpos(lower(p.name), %s) > 0 OR strpos(lower(p.admin1), %s) > 0)")
                params.extend([needle, needle])
        if flt.side:
            where.append("lower(e.side1) = lower(%s)")
            params.append(flt.side.strip())
        if flt.type:
            where.append("(lower(e.event_type) = lower(%s) OR lower(e.sub_event_type) = lower(%s))")
            params.extend([flt.type.strip()] * 2)

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        _check_paging(limit, offset)
        self.conn  # noqa: B018 - a closed store raises even for an empty query
        words = _search_words(text)
        if not words:
            return []
        rows = self._query(
            "SELECT a.id, a.name, a.title, a.outlet, a.published, a.url, "
            "ts_headline('simple', a.cleaned_text, q, %s) AS snip "
            "FROM articles a, to_tsquery('simple', %s) q WHERE a.search_vector @@ q "
            "ORDER BY ts_rank(a.search_vector, q) DESC, a.seq LIMIT %s OFFSET %s",
            (_HEADLINE, _tsquery(words), limit, offset),
        )
        return [self._hit(r) for r in rows]
