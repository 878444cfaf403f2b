"""`SQLiteStore`, the real backend, and the helpers that turn records into rows and
rows back into records."""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..fuse import dedup
from ..records import Article, ArticleResult, Claim, Cleaned, Event, Mention, Place, Removed, Source
from .common import (
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    SearchHit,
    StoredArticle,
    StoredMention,
    _check_paging,
    _check_result,
    _date,
    _fold,
    _iso,
    _now,
    _one_article,
    _place_needle,
    _places_of,
    _reraise,
    _resolve,
    _search_words,
)
from .schema import (
    _ARTICLE_PLAIN,
    _CLAIM_BOOLS,
    _CLAIM_DATES,
    _CLAIM_PLAIN,
    _COUNT_TABLES,
    _EVENT_PLAIN,
    _INSERT_ARTICLE,
    _INSERT_BOILERPLATE,
    _INSERT_CLAIM,
    _INSERT_CLAIM_SOURCE,
    _INSERT_EVENT,
    _INSERT_EVENT_SOURCE,
    _INSERT_MENTION,
    _LOC_COLS,
    _P_SELECT,
    _PLACE_COLS,
    _SELECT_SOURCES,
    _SOURCE_COLS,
    _UPSERT_PLACE,
    MIGRATIONS,
    SCHEMA_VERSION,
)

# The package's logger, as when the store was one module: log records keep the name
# "frontwatch.store" whichever submodule emits them.
log = logging.getLogger("frontwatch.store")

# Stay well under SQLITE_MAX_VARIABLE_NUMBER, which is 999 on old builds.
_IN_CHUNK = 500


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _event_row(i: int, e: Event) -> tuple[object, ...]:
    loc = e.location
    located = (*(getattr(loc, c) for c in _LOC_COLS), loc.place.geonameid)
    return (*(getattr(e, c) for c in _EVENT_PLAIN), i, _iso(e.event_date), *located)


def _claim_row(i: int, c: Claim) -> tuple[object, ...]:
    return (
        *(getattr(c, f) for f in _CLAIM_PLAIN),
        *(int(getattr(c, f)) for f in _CLAIM_BOOLS),
        *(_iso(getattr(c, f)) for f in _CLAIM_DATES),
        i,
        None if c.place is None else c.place.geonameid,
    )


def _place_from(row: sqlite3.Row) -> Place:
    return Place(**{c: row[f"p_{c}"] for c in _PLACE_COLS})


def _cached_place(cache: dict[int, Place], row: sqlite3.Row) -> Place:
    # One Place object per geonameid per query: exports of many events at one town
    # share it instead of building thousands of equal copies.
    gid = row["p_geonameid"]
    place = cache.get(gid)
    if place is None:
        place = cache[gid] = _place_from(row)
    return place


def _mention_from(row: sqlite3.Row, place: Place) -> Mention:
    return Mention(**{c: row[c] for c in _LOC_COLS}, place=place)


def _source_rows(owner: str, sources: tuple[Source, ...]) -> list[tuple[object, ...]]:
    return [
        (owner, i, s.name, s.affiliation, s.channel, int(s.quote), s.relayed_by)
        for i, s in enumerate(sources)
    ]


def _source_from(row: sqlite3.Row) -> Source:
    return Source(**{c: row[c] for c in _SOURCE_COLS if c != "quote"}, quote=bool(row["quote"]))


def _claim_fields(row: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {f: row[f] for f in _CLAIM_PLAIN}
    out.update({f: bool(row[f]) for f in _CLAIM_BOOLS})
    out.update({f: _date(row[f]) for f in _CLAIM_DATES})
    return out


def _article_from(row: sqlite3.Row) -> Article:
    return Article(
        **{c: row[c] for c in _ARTICLE_PLAIN},
        text=row["raw_text"],
        published=_date(row["published"]),
    )


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


class SQLiteStore:
    """The real store: one SQLite file (or ":memory:"), WAL journal, foreign keys on."""

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

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def save(self, result: ArticleResult) -> bool:
        _check_result(result)
        conn = self.conn
        try:
            # IMMEDIATE takes the write lock now, so the existence check below cannot
            # race another process ingesting the same article.
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.db}: {exc}") from exc
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

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback on %s failed", self.db)

    def save_many(self, results: Iterable[ArticleResult]) -> int:
        return sum(1 for r in results if self.save(r))

    def _write_article(self, result: ArticleResult) -> None:
        a, conn = result.article, self.conn
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
        row = (*(getattr(a, c) for c in _ARTICLE_PLAIN), _iso(a.published), a.text)
        raw_html = None if a.raw_html is None else zlib.compress(a.raw_html.encode("utf-8"))
        conn.execute(_INSERT_ARTICLE, (*row, result.cleaned.text, seq, _now(), raw_html))
        self._mark_duplicate(a.id, result.cleaned.text)

    def _mark_duplicate(self, article_id: str, cleaned: str) -> None:
        sig = dedup.simhash(cleaned)
        if sig is None:
            return
        bands = dedup.bands(sig)
        rows = self.conn.execute(
            "SELECT id, simhash FROM articles WHERE (band0 = ? OR band1 = ? OR band2 = ? "
            "OR band3 = ?) AND id != ? AND simhash IS NOT NULL ORDER BY seq", (*bands, article_id)
        ).fetchall()
        original = next((r["id"] for r in rows if dedup.distance(
            sig, dedup.from_signed(r["simhash"])) <= dedup.MAX_DISTANCE), None)
        self.conn.execute(
            "UPDATE articles SET simhash = ?, band0 = ?, band1 = ?, band2 = ?, band3 = ?, "
            "duplicate_of = ? WHERE id = ?",
            (dedup.to_signed(sig), *bands, original, article_id))

    def _write_boilerplate(self, result: ArticleResult) -> None:
        aid = result.article.id
        rows = [
            (aid, i, r.start, r.end, r.text, r.reason) for i, r in enumerate(result.cleaned.removed)
        ]
        self.conn.executemany(_INSERT_BOILERPLATE, rows)

    def _write_places(self, result: ArticleResult) -> None:
        rows = [tuple(getattr(p, c) for c in _PLACE_COLS) for p in _places_of(result).values()]
        self.conn.executemany(_UPSERT_PLACE, rows)

    def _write_mentions(self, result: ArticleResult) -> None:
        aid = result.article.id
        rows = [
            (aid, i, *(getattr(m, c) for c in _LOC_COLS), m.place.geonameid)
            for i, m in enumerate(result.mentions)
        ]
        self.conn.executemany(_INSERT_MENTION, rows)

    def _write_events(self, result: ArticleResult) -> None:
        events = result.events
        self.conn.executemany(_INSERT_EVENT, [_event_row(i, e) for i, e in enumerate(events)])
        sources = [row for e in events for row in _source_rows(e.event_id, e.sources)]
        self.conn.executemany(_INSERT_EVENT_SOURCE, sources)

    def _write_claims(self, result: ArticleResult) -> None:
        claims = result.claims
        self.conn.executemany(_INSERT_CLAIM, [_claim_row(i, c) for i, c in enumerate(claims)])
        sources = [row for c in claims for row in _source_rows(c.claim_id, c.sources)]
        self.conn.executemany(_INSERT_CLAIM_SOURCE, sources)

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

    def _in_articles(self, col: str, key: str, where: list[str], params: list[object]) -> None:
        # `col` is one of our own column names. An empty IN () is valid SQLite and
        # matches nothing, which is what an unknown article key should do.
        ids = self._article_ids(key)
        where.append(f"{col} IN ({', '.join('?' * len(ids))})")
        params.extend(ids)

    def get_article(self, key: str) -> StoredArticle | None:
        aid = _one_article(key, self._article_ids(key))
        if aid is None:
            return None
        row = self._query("SELECT * FROM articles WHERE id = ?", (aid,))[0]
        sql = 'SELECT start, "end", text, reason FROM boilerplate WHERE article_id = ? ORDER BY ord'
        removed = tuple(Removed(*r) for r in self._query(sql, (aid,)))
        return StoredArticle(
            article=_article_from(row),
            cleaned=Cleaned(text=row["cleaned_text"], removed=removed),
            ingested_at=row["ingested_at"],
        )

    def articles(self) -> Iterator[Article]:
        for row in self._iter("SELECT * FROM articles ORDER BY seq", ()):
            yield _article_from(row)

    def _iter(self, sql: str, params: Sequence[object]) -> Iterator[sqlite3.Row]:
        # A private cursor, fetched in pages: exports of big databases stay small in
        # memory, and a caller writing meanwhile does not disturb the iteration.
        try:
            cur = self.conn.execute(sql, params)
            while rows := cur.fetchmany(1000):
                yield from rows
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.db} failed: {exc}") from exc

    def _sources(self, table: str, key: str, ids: list[str]) -> dict[str, tuple[Source, ...]]:
        # `table`/`key` are one of two fixed pairs chosen by the callers below.
        assert (table, key) in (("event_sources", "event_id"), ("claim_sources", "claim_id"))
        found: dict[str, list[Source]] = {}
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = ids[i : i + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for row in self._query(
                f"SELECT {key} AS owner, {_SELECT_SOURCES} FROM {table} "
                f"WHERE {key} IN ({marks}) ORDER BY {key}, ord",
                chunk,
            ):
                found.setdefault(row["owner"], []).append(_source_from(row))
        return {k: tuple(v) for k, v in found.items()}

    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]:
        where: list[str] = []
        params: list[object] = []
        if flt.article is not None:
            self._in_articles("e.article_id", flt.article, where, params)
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
        if flt.since is not None:
            where.append("e.event_date >= ?")
            params.append(flt.since.isoformat())
        if flt.until is not None:
            where.append("e.event_date <= ?")
            params.append(flt.until.isoformat())
        sql = (
            f"SELECT e.*, {_P_SELECT} FROM events e JOIN articles a ON a.id = e.article_id "
            "JOIN places p ON p.geonameid = e.geonameid"
        )
        sql += _where(where)
        # Undated last, then insertion order so that events from one sentence keep the
        # order the extractor gave them (MemoryStore's _sort_key is the same).
        sql += (
            " ORDER BY e.event_date IS NULL, e.event_date, e.article, e.evidence_start, "
            "a.seq, e.ord LIMIT ? OFFSET ?"
        )
        params.extend([-1 if flt.limit is None else flt.limit, flt.offset])
        rows = self._query(sql, params)
        sources = self._sources("event_sources", "event_id", [r["event_id"] for r in rows])
        places: dict[int, Place] = {}
        return [
            Event(
                **{c: r[c] for c in _EVENT_PLAIN},
                event_date=_date(r["event_date"]),
                location=_mention_from(r, _cached_place(places, r)),
                sources=sources.get(r["event_id"], ()),
            )
            for r in rows
        ]

    def mentions(self, article: str | None = None) -> Iterator[StoredMention]:
        sql = (
            f"SELECT m.*, a.name AS a_name, {_P_SELECT} FROM mentions m "
            "JOIN articles a ON a.id = m.article_id JOIN places p ON p.geonameid = m.geonameid"
        )
        where: list[str] = []
        params: list[object] = []
        if article is not None:
            self._in_articles("m.article_id", article, where, params)
        places: dict[int, Place] = {}
        for r in self._iter(sql + _where(where) + " ORDER BY a.seq, m.ord", params):
            mention = _mention_from(r, _cached_place(places, r))
            yield StoredMention(article_id=r["article_id"], article=r["a_name"], mention=mention)

    def claims(self, article: str | None = None) -> list[Claim]:
        sql = (
            f"SELECT c.*, {_P_SELECT} FROM claims c JOIN articles a ON a.id = c.article_id "
            "LEFT JOIN places p ON p.geonameid = c.geonameid"
        )
        where: list[str] = []
        params: list[object] = []
        if article is not None:
            self._in_articles("c.article_id", article, where, params)
        rows = self._query(sql + _where(where) + " ORDER BY a.seq, c.ord", params)
        sources = self._sources("claim_sources", "claim_id", [r["claim_id"] for r in rows])
        places: dict[int, Place] = {}
        return [
            Claim(
                **_claim_fields(r),
                place=None if r["p_geonameid"] is None else _cached_place(places, r),
                sources=sources.get(r["claim_id"], ()),
            )
            for r in rows
        ]

    def duplicates(self) -> dict[str, str]:
        rows = self._query("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
        return {r["id"]: r["duplicate_of"] for r in rows}

    def counts(self) -> dict[str, int]:
        return {
            key: self._query(f"SELECT count(*) AS n FROM {table}")[0]["n"]
            for key, table in _COUNT_TABLES.items()
        }

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
        return [
            SearchHit(article_id=r["id"], name=r["name"], title=r["title"], outlet=r["outlet"],
                      published=_date(r["published"]), url=r["url"], snippet=r["snip"] or "")
            for r in rows
        ]
