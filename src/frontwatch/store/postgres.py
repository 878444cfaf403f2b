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
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from ..errors import StoreError
from ..fuse import dedup
from ..records import Article, ArticleResult, Claim, Cleaned, Event, Mention, Place, Removed, Source
from .common import (
    HIT_END,
    HIT_START,
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    SearchHit,
    StoredArticle,
    StoredMention,
    _check_paging,
    _check_result,
    _now,
    _one_article,
    _place_needle,
    _places_of,
    _reraise,
    _resolve,
    _safe_url,
    _search_words,
)
from .schema import (
    _ARTICLE_PLAIN,
    _CLAIM_BOOLS,
    _CLAIM_DATES,
    _CLAIM_PLAIN,
    _COUNT_TABLES,
    _EVENT_PLAIN,
    _LOC_COLS,
    _P_SELECT,
    _PLACE_COLS,
    _SELECT_SOURCES,
    _SOURCE_COLS,
    SCHEMA_VERSION,
)
from .schema_pg import (
    INSERT_ARTICLE,
    INSERT_BOILERPLATE,
    INSERT_CLAIM,
    INSERT_CLAIM_SOURCE,
    INSERT_EVENT,
    INSERT_EVENT_SOURCE,
    INSERT_MENTION,
    LOCK_DEDUP_BAND,
    LOCK_MIGRATE,
    PG_MIGRATIONS,
    UPSERT_PLACE,
    VERSION_TABLE,
)

log = logging.getLogger("frontwatch.store")

Conn = psycopg.Connection[DictRow]
# What `articles()` / `get_article` read: everything an Article is rebuilt from, and not
# the tsvector or the compressed HTML, which can be large.
_ARTICLE_SELECT = ", ".join(
    (*_ARTICLE_PLAIN, "published", "raw_text", "cleaned_text", "ingested_at")
)
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


# --------------------------------------------------------------------------- rows


def _event_row(i: int, e: Event) -> tuple[object, ...]:
    loc = e.location
    located = (*(getattr(loc, c) for c in _LOC_COLS), loc.place.geonameid)
    return (*(getattr(e, c) for c in _EVENT_PLAIN), i, e.event_date, *located)


def _claim_row(i: int, c: Claim) -> tuple[object, ...]:
    return (
        *(getattr(c, f) for f in _CLAIM_PLAIN),
        *(bool(getattr(c, f)) for f in _CLAIM_BOOLS),
        *(getattr(c, f) for f in _CLAIM_DATES),
        i,
        None if c.place is None else c.place.geonameid,
    )


def _source_rows(owner: str, sources: tuple[Source, ...]) -> list[tuple[object, ...]]:
    return [
        (owner, i, s.name, s.affiliation, s.channel, bool(s.quote), s.relayed_by)
        for i, s in enumerate(sources)
    ]


def _cached_place(cache: dict[int, Place], row: DictRow) -> Place:
    # One Place object per geonameid per query, as in SQLiteStore.
    gid = row["p_geonameid"]
    place = cache.get(gid)
    if place is None:
        place = cache[gid] = Place(**{c: row[f"p_{c}"] for c in _PLACE_COLS})
    return place


def _mention_from(row: DictRow, place: Place) -> Mention:
    return Mention(**{c: row[c] for c in _LOC_COLS}, place=place)


def _source_from(row: DictRow) -> Source:
    return Source(**{c: row[c] for c in _SOURCE_COLS})


def _article_from(row: DictRow) -> Article:
    return Article(
        **{c: row[c] for c in _ARTICLE_PLAIN}, text=row["raw_text"], published=row["published"]
    )


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _tsquery(words: list[str]) -> str:
    """Words as to_tsquery text: each a quoted lexeme, all required, the last a prefix.
    The words are letters and digits only (_search_words); quoting is belt and braces."""
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


class PostgresStore:
    """The store in a PostgreSQL database, given as a postgresql:// URL."""

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

    def save_many(self, results: Iterable[ArticleResult]) -> int:
        return sum(1 for r in results if self.save(r))

    def _write_article(self, result: ArticleResult) -> bool:
        """Insert the article row; False when another process has it already."""
        a, conn = result.article, self.conn
        sig = dedup.simhash(result.cleaned.text)
        bands = () if sig is None else dedup.bands(sig)
        for i, band in enumerate(bands):
            conn.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)",
                         (LOCK_DEDUP_BAND + i, band))
        raw_html = None if a.raw_html is None else zlib.compress(a.raw_html.encode("utf-8"))
        row = (*(getattr(a, c) for c in _ARTICLE_PLAIN), a.published, a.text,
               result.cleaned.text, _now(), raw_html)
        if conn.execute(INSERT_ARTICLE, row).fetchone() is None:
            return False
        if sig is not None:
            self._mark_duplicate(a.id, sig, bands)
        return True

    def _mark_duplicate(self, article_id: str, sig: int, bands: tuple[int, ...]) -> None:
        rows = self.conn.execute(
            "SELECT id, simhash FROM articles WHERE (band0 = %s OR band1 = %s OR band2 = %s "
            "OR band3 = %s) AND id <> %s AND simhash IS NOT NULL ORDER BY seq",
            (*bands, article_id),
        ).fetchall()
        original = next((r["id"] for r in rows if dedup.distance(
            sig, dedup.from_signed(r["simhash"])) <= dedup.MAX_DISTANCE), None)
        self.conn.execute(
            "UPDATE articles SET simhash = %s, band0 = %s, band1 = %s, band2 = %s, band3 = %s, "
            "duplicate_of = %s WHERE id = %s",
            (dedup.to_signed(sig), *bands, original, article_id))

    def _executemany(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(sql, rows)

    def _write_boilerplate(self, result: ArticleResult) -> None:
        aid = result.article.id
        self._executemany(INSERT_BOILERPLATE, [
            (aid, i, r.start, r.end, r.text, r.reason) for i, r in enumerate(result.cleaned.removed)
        ])

    def _write_places(self, result: ArticleResult) -> None:
        # In geonameid order: two saves upserting the same places lock them in one order.
        places = sorted(_places_of(result).values(), key=lambda p: p.geonameid)
        self._executemany(UPSERT_PLACE, [tuple(getattr(p, c) for c in _PLACE_COLS)
                                         for p in places])

    def _write_mentions(self, result: ArticleResult) -> None:
        aid = result.article.id
        self._executemany(INSERT_MENTION, [
            (aid, i, *(getattr(m, c) for c in _LOC_COLS), m.place.geonameid)
            for i, m in enumerate(result.mentions)
        ])

    def _write_events(self, result: ArticleResult) -> None:
        events = result.events
        self._executemany(INSERT_EVENT, [_event_row(i, e) for i, e in enumerate(events)])
        sources = [row for e in events for row in _source_rows(e.event_id, e.sources)]
        self._executemany(INSERT_EVENT_SOURCE, sources)

    def _write_claims(self, result: ArticleResult) -> None:
        claims = result.claims
        self._executemany(INSERT_CLAIM, [_claim_row(i, c) for i, c in enumerate(claims)])
        sources = [row for c in claims for row in _source_rows(c.claim_id, c.sources)]
        self._executemany(INSERT_CLAIM_SOURCE, sources)

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

    def _in_articles(self, col: str, key: str, where: list[str], params: list[object]) -> None:
        # `col` is one of our own column names; an empty array matches nothing, which is
        # what an unknown article key should do.
        where.append(f"{col} = ANY(%s)")
        params.append(self._article_ids(key))

    def get_article(self, key: str) -> StoredArticle | None:
        aid = _one_article(key, self._article_ids(key))
        if aid is None:
            return None
        row = self._query(f"SELECT {_ARTICLE_SELECT} FROM articles WHERE id = %s", (aid,))[0]
        sql = ('SELECT start, "end", text, reason FROM boilerplate WHERE article_id = %s '
               "ORDER BY ord")
        removed = tuple(Removed(r["start"], r["end"], r["text"], r["reason"])
                        for r in self._query(sql, (aid,)))
        return StoredArticle(
            article=_article_from(row),
            cleaned=Cleaned(text=row["cleaned_text"], removed=removed),
            ingested_at=row["ingested_at"],
        )

    def articles(self) -> Iterator[Article]:
        for row in self._iter(f"SELECT {_ARTICLE_SELECT} FROM articles ORDER BY seq", ()):
            yield _article_from(row)

    def _sources(self, table: str, key: str, ids: list[str]) -> dict[str, tuple[Source, ...]]:
        # `table`/`key` are one of two fixed pairs chosen by the callers below.
        assert (table, key) in (("event_sources", "event_id"), ("claim_sources", "claim_id"))
        found: dict[str, list[Source]] = {}
        if ids:
            for row in self._query(
                f"SELECT {key} AS owner, {_SELECT_SOURCES} FROM {table} "
                f"WHERE {key} = ANY(%s) ORDER BY {key}, ord",
                (ids,),
            ):
                found.setdefault(row["owner"], []).append(_source_from(row))
        return {k: tuple(v) for k, v in found.items()}

    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]:
        where: list[str] = []
        params: list[object] = []
        if any(_has_nul(v) for v in (flt.place, flt.side, flt.type, flt.article)):
            self.conn  # noqa: B018 - a closed store still says so
            return []
        if flt.article is not None:
            self._in_articles("e.article_id", flt.article, where, params)
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
        if flt.since is not None:
            where.append("e.event_date >= %s")
            params.append(flt.since)
        if flt.until is not None:
            where.append("e.event_date <= %s")
            params.append(flt.until)
        sql = (
            f"SELECT e.*, {_P_SELECT} FROM events e JOIN articles a ON a.id = e.article_id "
            "JOIN places p ON p.geonameid = e.geonameid"
        )
        sql += _where(where)
        # SQLiteStore's order. COLLATE "C": names compare by code point, as in SQLite and
        # Python, whatever the database's locale.
        sql += (
            ' ORDER BY e.event_date IS NULL, e.event_date, e.article COLLATE "C", '
            "e.evidence_start, a.seq, e.ord LIMIT %s OFFSET %s"
        )
        params.extend([flt.limit, flt.offset])  # LIMIT NULL is no limit
        rows = self._query(sql, params)
        sources = self._sources("event_sources", "event_id", [r["event_id"] for r in rows])
        places: dict[int, Place] = {}
        return [
            Event(
                **{c: r[c] for c in _EVENT_PLAIN},
                event_date=r["event_date"],
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
                **{f: r[f] for f in (*_CLAIM_PLAIN, *_CLAIM_BOOLS, *_CLAIM_DATES)},
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
            key: int(self._query(f"SELECT count(*) AS n FROM {table}")[0]["n"])
            for key, table in _COUNT_TABLES.items()
        }

    def language_counts(self) -> dict[str | None, int]:
        """Articles per language (None: undetermined), counted by the server."""
        rows = self._query("SELECT language, count(*) AS n FROM articles GROUP BY language")
        return dict(Counter({r["language"]: int(r["n"]) for r in rows}))

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
        return [
            SearchHit(article_id=r["id"], name=r["name"], title=r["title"], outlet=r["outlet"],
                      published=r["published"], url=r["url"], snippet=r["snip"] or "")
            for r in rows
        ]
