"""The event database behind a small interface.

Stages never touch SQL: they hand an `ArticleResult` to `Store.save` and read records
back through `Store.events` / `mentions` / `claims`. `SQLiteStore` is the real backend;
`MemoryStore` behaves the same (ordering, filters, place upserts, atomicity) so that unit
tests of other modules need no database file.

Every article is written in one transaction: an ingest killed half-way leaves either
the whole article or nothing of it, and re-running the ingest skips what is stored.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn, Protocol, runtime_checkable

from .errors import StoreError
from .fuse import dedup
from .records import Article, ArticleResult, Claim, Cleaned, Event, Mention, Place, Removed, Source

log = logging.getLogger(__name__)

# Shorter prefixes would make `get_article` guess between too many articles.
MIN_ID_PREFIX = 6
# Stay well under SQLITE_MAX_VARIABLE_NUMBER, which is 999 on old builds.
_IN_CHUNK = 500
COUNT_KEYS: tuple[str, ...] = ("articles", "events", "mentions", "claims", "places", "boilerplate")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What `Store.events` returns; every field left as None means "any"."""

    place: str | None = None  # a geonameid, or a case-insensitive name/admin1 substring
    side: str | None = None  # side1 (the initiating side)
    type: str | None = None  # event_type or sub_event_type, case-insensitive
    since: date | None = None  # inclusive; undated events never match a date bound
    until: date | None = None  # inclusive
    article: str | None = None  # article id, unique id prefix or name
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"limit must be >= 0, not {self.limit}")
        if self.offset < 0:
            raise ValueError(f"offset must be >= 0, not {self.offset}")


NO_FILTER = EventFilter()


@dataclass(frozen=True, slots=True)
class StoredMention:
    article_id: str
    article: str  # the article's name
    mention: Mention


@dataclass(frozen=True, slots=True)
class StoredArticle:
    article: Article
    cleaned: Cleaned
    ingested_at: str  # ISO 8601, UTC


@runtime_checkable
class Store(Protocol):
    def has_article(self, article_id: str) -> bool: ...
    def save(self, result: ArticleResult) -> bool: ...
    def save_many(self, results: Iterable[ArticleResult]) -> int: ...
    def get_article(self, key: str) -> StoredArticle | None: ...
    def articles(self) -> Iterator[Article]: ...
    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]: ...
    def mentions(self, article: str | None = None) -> Iterator[StoredMention]: ...
    def claims(self, article: str | None = None) -> list[Claim]: ...
    def counts(self) -> dict[str, int]: ...
    def duplicates(self) -> dict[str, str]:
        """Article id -> the id of the earlier article it copies (fuse.dedup)."""
        ...
    def close(self) -> None: ...


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def _fold(s: str | None) -> str | None:
    # Registered in SQLite so that both backends fold case the same (Unicode-aware,
    # unlike SQLite's built-in lower()).
    return None if s is None else s.casefold()


def _place_needle(place: str) -> tuple[int | None, str]:
    """(geonameid, "") for an all-digit value, else (None, case-folded substring)."""
    value = place.strip()
    if value.isascii() and value.isdigit():
        return int(value), ""
    return None, value.casefold()


def _places_of(result: ArticleResult) -> dict[int, Place]:
    places: dict[int, Place] = {}
    for m in result.mentions:
        places[m.place.geonameid] = m.place
    for e in result.events:
        places[e.location.place.geonameid] = e.location.place
    for c in result.claims:
        if c.place is not None:
            places[c.place.geonameid] = c.place
    return places


def _check_result(result: ArticleResult) -> None:
    """Refuse results whose parts name another article: that is a pipeline bug, and
    storing it would attach events to the wrong article for good."""
    aid = result.article.id
    if not aid:
        raise StoreError(f"article {result.article.name!r} has an empty id")
    for e in result.events:
        if e.article_id != aid:
            raise StoreError(f"event {e.event_id} names article {e.article_id}, not {aid}")
    for c in result.claims:
        if c.article_id != aid:
            raise StoreError(f"claim {c.claim_id} names article {c.article_id}, not {aid}")
    for kind, ids in (
        ("event", [e.event_id for e in result.events]),
        ("claim", [c.claim_id for c in result.claims]),
    ):
        if len(set(ids)) != len(ids):
            raise StoreError(f"article {aid} has a duplicate {kind} id")


def _resolve(key: str, ids: Sequence[str], names: Sequence[str]) -> list[str]:
    """Article ids a user-given key stands for: an exact id, else every article of
    that name, else the one article whose id starts with the key."""
    if key in ids:
        return [key]
    by_name = [i for i, n in zip(ids, names, strict=True) if n == key]
    if by_name:
        return by_name
    prefix = key.strip().lower()
    if len(prefix) < MIN_ID_PREFIX:
        return []
    hits = [i for i in ids if i.startswith(prefix)]
    if len(hits) > 1:
        log.warning("article id prefix %r is ambiguous (%d articles)", key, len(hits))
        return []
    return hits


def _one_article(key: str, ids: list[str]) -> str | None:
    if len(ids) > 1:
        log.warning("%d articles are named %r; give the article id instead", len(ids), key)
        return None
    return ids[0] if ids else None


def _reraise(exc: BaseException, result: ArticleResult) -> NoReturn:
    """Call in an `except` block after the rollback: StoreErrors and interrupts go on
    as they are, anything else as a StoreError that says which article failed."""
    if isinstance(exc, StoreError) or not isinstance(exc, Exception):
        raise exc
    a = result.article
    raise StoreError(f"could not store article {a.name} ({a.id}): {exc}") from exc


def _sort_key(e: Event, seq: int, ord_: int) -> tuple[Any, ...]:
    # The same order SQLiteStore's ORDER BY gives: undated events last, then insertion
    # order so that events from one sentence keep the order the extractor gave them.
    return (e.event_date is None, e.event_date or date.min, e.article, e.evidence_start, seq, ord_)


def _event_matches(e: Event, flt: EventFilter, article_ids: set[str] | None) -> bool:
    if article_ids is not None and e.article_id not in article_ids:
        return False
    if flt.place:
        gid, needle = _place_needle(flt.place)
        p = e.location.place
        if gid is not None:
            if p.geonameid != gid:
                return False
        elif needle not in p.name.casefold() and needle not in (p.admin1 or "").casefold():
            return False
    if flt.side and e.side1.casefold() != flt.side.strip().casefold():
        return False
    if flt.type:
        t = flt.type.strip().casefold()
        if t not in (e.event_type.casefold(), e.sub_event_type.casefold()):
            return False
    if flt.since is not None and (e.event_date is None or e.event_date < flt.since):
        return False
    return not (flt.until is not None and (e.event_date is None or e.event_date > flt.until))


def _page(items: list[Event], flt: EventFilter) -> list[Event]:
    end = None if flt.limit is None else flt.offset + flt.limit
    return items[flt.offset : end]


# --------------------------------------------------------------------------- SQLite

_V1 = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, name TEXT NOT NULL, title TEXT,
    url TEXT, outlet TEXT, published TEXT, language TEXT, path TEXT,
    raw_text TEXT NOT NULL, cleaned_text TEXT NOT NULL, ingested_at TEXT NOT NULL
);
CREATE INDEX articles_name ON articles(name);

CREATE TABLE boilerplate (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (article_id, ord)
);

CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL,
    latitude REAL NOT NULL, longitude REAL NOT NULL, country TEXT NOT NULL, kind TEXT NOT NULL,
    admin1_code TEXT, admin1 TEXT, admin2 TEXT, admin3 TEXT,
    population INTEGER NOT NULL DEFAULT 0, feature_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, surface TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    geonameid INTEGER NOT NULL REFERENCES places(geonameid),
    geo_precision INTEGER NOT NULL, confidence REAL NOT NULL, qualifier TEXT,
    PRIMARY KEY (article_id, ord)
);
CREATE INDEX mentions_geonameid ON mentions(geonameid);

-- NOCASE on the filtered text columns lets `=` use their indexes case-insensitively.
-- surface .. qualifier are the event's location Mention.
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, article TEXT NOT NULL,
    event_date TEXT, time_precision INTEGER,
    event_type TEXT NOT NULL COLLATE NOCASE, sub_event_type TEXT NOT NULL COLLATE NOCASE,
    actor1 TEXT NOT NULL, side1 TEXT NOT NULL COLLATE NOCASE,
    actor2 TEXT, side2 TEXT, assoc_actor_1 TEXT,
    surface TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    geonameid INTEGER NOT NULL REFERENCES places(geonameid),
    geo_precision INTEGER NOT NULL, confidence REAL NOT NULL, qualifier TEXT,
    evidence TEXT NOT NULL, evidence_start INTEGER NOT NULL, evidence_end INTEGER NOT NULL,
    movement TEXT, modality TEXT NOT NULL, fatalities INTEGER, notes TEXT NOT NULL
);
CREATE INDEX events_event_date ON events(event_date);
CREATE INDEX events_geonameid ON events(geonameid);
CREATE INDEX events_side1 ON events(side1);
CREATE INDEX events_sub_event_type ON events(sub_event_type);
CREATE INDEX events_article_id ON events(article_id);

CREATE TABLE event_sources (
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, name TEXT NOT NULL, affiliation TEXT NOT NULL,
    channel TEXT, quote INTEGER NOT NULL, relayed_by TEXT,
    PRIMARY KEY (event_id, ord)
);

CREATE TABLE claims (
    claim_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, article TEXT NOT NULL, kind TEXT NOT NULL,
    evidence TEXT NOT NULL, evidence_start INTEGER NOT NULL, evidence_end INTEGER NOT NULL,
    geonameid INTEGER REFERENCES places(geonameid),
    side TEXT, holder TEXT, low REAL, high REAL, unit TEXT,
    killed_or_injured INTEGER NOT NULL,
    valid_from TEXT, valid_to TEXT, as_of TEXT, date_precision INTEGER,
    background INTEGER NOT NULL, modality TEXT NOT NULL
);
CREATE INDEX claims_article_id ON claims(article_id);

CREATE TABLE claim_sources (
    claim_id TEXT NOT NULL REFERENCES claims(claim_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, name TEXT NOT NULL, affiliation TEXT NOT NULL,
    channel TEXT, quote INTEGER NOT NULL, relayed_by TEXT,
    PRIMARY KEY (claim_id, ord)
);
"""

# Live fetching (frontwatch.follow): what became of each URL, and each feed's validators.
# New tables only; article_id is not a foreign key, since a URL may name a duplicate.
_V2_FETCH = """
CREATE TABLE fetched_urls (
    url TEXT PRIMARY KEY, final_url TEXT, status TEXT NOT NULL, article_id TEXT,
    reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, etag TEXT, last_modified TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE feeds (
    url TEXT PRIMARY KEY, title TEXT, etag TEXT, last_modified TEXT, checked_at TEXT NOT NULL
);
"""

# Applied in order; a database's PRAGMA user_version is how many it has had. Append
# new migrations, never edit old ones: existing databases have already run them.
# Near-duplicate articles (fuse.dedup): the SimHash of the cleaned text, its four bands
# (indexed, so a new article's candidate originals are one lookup each) and the original.
_V3_DEDUP = """
ALTER TABLE articles ADD COLUMN simhash INTEGER;
ALTER TABLE articles ADD COLUMN band0 INTEGER;
ALTER TABLE articles ADD COLUMN band1 INTEGER;
ALTER TABLE articles ADD COLUMN band2 INTEGER;
ALTER TABLE articles ADD COLUMN band3 INTEGER;
ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
CREATE INDEX articles_band0 ON articles(band0);
CREATE INDEX articles_band1 ON articles(band1);
CREATE INDEX articles_band2 ON articles(band2);
CREATE INDEX articles_band3 ON articles(band3);
"""

# Full-text search over articles (frontwatch.api's /api/search): an external-content
# FTS5 index keyed by the stable `seq` (not the implicit rowid, which VACUUM may renumber),
# kept in step with `articles` by triggers, and filled from the articles already stored.
# Plus indexes for the API's movement/modality filters and its place lookups.
_V4_SEARCH = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, outlet, cleaned_text, content='articles', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, outlet, cleaned_text)
    VALUES (new.seq, new.title, new.outlet, new.cleaned_text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, outlet, cleaned_text)
    VALUES ('delete', old.seq, old.title, old.outlet, old.cleaned_text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, outlet, cleaned_text, seq ON articles
BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, outlet, cleaned_text)
    VALUES ('delete', old.seq, old.title, old.outlet, old.cleaned_text);
    INSERT INTO articles_fts(rowid, title, outlet, cleaned_text)
    VALUES (new.seq, new.title, new.outlet, new.cleaned_text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
CREATE INDEX events_movement ON events(movement);
CREATE INDEX events_modality ON events(modality);
CREATE INDEX event_sources_name ON event_sources(name COLLATE NOCASE);
CREATE INDEX places_lat_lon ON places(latitude, longitude);
"""

# Quantified claims (extract.claims): how a figure was qualified, whether it counts over a
# period, whose losses, what was done, the event it belongs to, and whether a later toll
# replaced it.
_V5_CLAIM_FIELDS = """
ALTER TABLE claims ADD COLUMN qualifier TEXT;
ALTER TABLE claims ADD COLUMN cumulative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN period TEXT;
ALTER TABLE claims ADD COLUMN victims TEXT;
ALTER TABLE claims ADD COLUMN action TEXT;
ALTER TABLE claims ADD COLUMN event_id TEXT;
ALTER TABLE claims ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;
"""

# Raw input for `frontwatch reprocess` (frontwatch.reprocess): the page an article's text
# came from, zlib-compressed UTF-8 (NULL when the input was text); when it was fetched;
# when its derived rows were last rebuilt.
_V6_RAW = """
ALTER TABLE articles ADD COLUMN raw_html BLOB;
ALTER TABLE articles ADD COLUMN fetched_at TEXT;
ALTER TABLE articles ADD COLUMN reprocessed_at TEXT;
CREATE INDEX articles_language ON articles(language);
"""

MIGRATIONS: tuple[str, ...] = (
    _V1, _V2_FETCH, _V3_DEDUP, _V4_SEARCH, _V5_CLAIM_FIELDS, _V6_RAW,
)
SCHEMA_VERSION = len(MIGRATIONS)

# Column lists drive both the INSERTs and the record rebuilding, so the two cannot
# drift apart. Every name here is a constant; none ever comes from a caller.
_PLACE_COLS = (
    "geonameid", "name", "latitude", "longitude", "country", "kind",
    "admin1_code", "admin1", "admin2", "admin3", "population", "feature_code",
)  # fmt: skip
_LOC_COLS = ("surface", "start", "end", "geo_precision", "confidence", "qualifier")
_EVENT_PLAIN = (
    "event_id", "article_id", "article", "time_precision", "event_type", "sub_event_type",
    "actor1", "side1", "actor2", "side2", "assoc_actor_1", "evidence", "evidence_start",
    "evidence_end", "movement", "modality", "fatalities", "notes",
)  # fmt: skip
_EVENT_COLS = (*_EVENT_PLAIN, "ord", "event_date", *_LOC_COLS, "geonameid")
_CLAIM_PLAIN = (
    "claim_id", "article_id", "article", "kind", "evidence", "evidence_start", "evidence_end",
    "side", "holder", "low", "high", "unit", "date_precision", "modality",
    "qualifier", "period", "victims", "action", "event_id",
)  # fmt: skip
_CLAIM_BOOLS = ("killed_or_injured", "background", "cumulative", "superseded")
_CLAIM_DATES = ("valid_from", "valid_to", "as_of")
_CLAIM_COLS = (*_CLAIM_PLAIN, *_CLAIM_BOOLS, *_CLAIM_DATES, "ord", "geonameid")
_ARTICLE_PLAIN = ("id", "name", "title", "url", "outlet", "language", "path", "fetched_at")
_ARTICLE_COLS = (*_ARTICLE_PLAIN, "published", "raw_text", "cleaned_text", "seq", "ingested_at",
                 "raw_html")
_SOURCE_COLS = ("name", "affiliation", "channel", "quote", "relayed_by")
_P_SELECT = ", ".join(f"p.{c} AS p_{c}" for c in _PLACE_COLS)
# The only tables `counts` reads.
_COUNT_TABLES = dict(zip(COUNT_KEYS, COUNT_KEYS, strict=True))


def _insert(table: str, cols: Sequence[str], upsert_key: str | None = None) -> str:
    names = ", ".join(f'"{c}"' for c in cols)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
    if upsert_key:
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != upsert_key)
        sql += f' ON CONFLICT("{upsert_key}") DO UPDATE SET {sets}'
    return sql


_INSERT_ARTICLE = _insert("articles", _ARTICLE_COLS)
_INSERT_BOILERPLATE = _insert(
    "boilerplate", ("article_id", "ord", "start", "end", "text", "reason")
)
_UPSERT_PLACE = _insert("places", _PLACE_COLS, upsert_key="geonameid")
_INSERT_MENTION = _insert("mentions", ("article_id", "ord", *_LOC_COLS, "geonameid"))
_INSERT_EVENT = _insert("events", _EVENT_COLS)
_INSERT_EVENT_SOURCE = _insert("event_sources", ("event_id", "ord", *_SOURCE_COLS))
_INSERT_CLAIM = _insert("claims", _CLAIM_COLS)
_INSERT_CLAIM_SOURCE = _insert("claim_sources", ("claim_id", "ord", *_SOURCE_COLS))
_SELECT_SOURCES = ", ".join(f'"{c}"' for c in _SOURCE_COLS)


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


# --------------------------------------------------------------------------- memory


@dataclass(slots=True)
class _MemArticle:
    """One saved article; while `save` runs, what it will add, merged into the store
    only when every step ran."""

    seq: int
    stored: StoredArticle
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    places: tuple[Place, ...] = ()  # staged place upserts


class MemoryStore:
    """Dicts instead of tables, with SQLiteStore's behaviour: the same ordering,
    filters, place upserts, id uniqueness and all-or-nothing saves."""

    def __init__(self) -> None:
        self._articles: dict[str, _MemArticle] = {}
        self._places: dict[int, Place] = {}
        self._event_ids: set[str] = set()
        self._claim_ids: set[str] = set()
        self._dups = dedup.DuplicateIndex()
        self._duplicate_of: dict[str, str] = {}
        self._seq = 0
        self._closed = False

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("store :memory: is closed")

    def has_article(self, article_id: str) -> bool:
        self._check_open()
        return article_id in self._articles

    def save(self, result: ArticleResult) -> bool:
        self._check_open()
        _check_result(result)
        if result.article.id in self._articles:
            return False
        tx = _MemArticle(self._seq + 1, StoredArticle(result.article, result.cleaned, _now()))
        try:
            self._write_article(tx, result)
            self._write_boilerplate(tx, result)
            self._write_places(tx, result)
            self._write_mentions(tx, result)
            self._write_events(tx, result)
            self._write_claims(tx, result)
        except BaseException as exc:
            _reraise(exc, result)
        self._seq = tx.seq
        self._articles[result.article.id] = tx
        self._places.update((p.geonameid, p) for p in tx.places)
        self._event_ids.update(e.event_id for e in tx.events)
        self._claim_ids.update(c.claim_id for c in tx.claims)
        sig = dedup.simhash(result.cleaned.text)
        if sig is not None:
            original = self._dups.original_of(sig)
            if original is not None:
                self._duplicate_of[result.article.id] = original
            self._dups.add(result.article.id, sig)
        return True

    def duplicates(self) -> dict[str, str]:
        self._check_open()
        return dict(self._duplicate_of)

    def save_many(self, results: Iterable[ArticleResult]) -> int:
        return sum(1 for r in results if self.save(r))

    # The article and its boilerplate travel in `tx.stored`; the two no-op steps exist
    # so that tests can make both backends fail at the same points.
    def _write_article(self, tx: _MemArticle, result: ArticleResult) -> None:
        pass

    def _write_boilerplate(self, tx: _MemArticle, result: ArticleResult) -> None:
        pass

    def _write_places(self, tx: _MemArticle, result: ArticleResult) -> None:
        tx.places = tuple(_places_of(result).values())

    def _write_mentions(self, tx: _MemArticle, result: ArticleResult) -> None:
        tx.mentions = result.mentions

    def _write_events(self, tx: _MemArticle, result: ArticleResult) -> None:
        for e in result.events:
            if e.event_id in self._event_ids:
                raise StoreError(f"UNIQUE constraint failed: events.event_id ({e.event_id})")
        tx.events = result.events

    def _write_claims(self, tx: _MemArticle, result: ArticleResult) -> None:
        for c in result.claims:
            if c.claim_id in self._claim_ids:
                raise StoreError(f"UNIQUE constraint failed: claims.claim_id ({c.claim_id})")
        tx.claims = result.claims

    # ---------------------------------------------------------------- reading

    def _article_ids(self, key: str) -> list[str]:
        ids = list(self._articles)
        names = [a.stored.article.name for a in self._articles.values()]
        return _resolve(key, ids, names)

    def _entries(self, article: str | None) -> list[_MemArticle]:
        if article is None:
            return list(self._articles.values())
        return [self._articles[i] for i in self._article_ids(article)]

    def _current(self, place: Place) -> Place:
        # A later article may have upserted the gazetteer entry, as in SQLite.
        return self._places.get(place.geonameid, place)

    def _mention(self, m: Mention) -> Mention:
        p = self._current(m.place)
        return m if p is m.place else replace(m, place=p)

    def get_article(self, key: str) -> StoredArticle | None:
        self._check_open()
        aid = _one_article(key, self._article_ids(key))
        return None if aid is None else self._articles[aid].stored

    def articles(self) -> Iterator[Article]:
        self._check_open()
        for entry in list(self._articles.values()):
            yield entry.stored.article

    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]:
        self._check_open()
        ids = None if flt.article is None else set(self._article_ids(flt.article))
        keyed = []
        for entry in self._articles.values():
            for i, e in enumerate(entry.events):
                loc = self._mention(e.location)
                ev = e if loc is e.location else replace(e, location=loc)
                if _event_matches(ev, flt, ids):
                    keyed.append((_sort_key(ev, entry.seq, i), ev))
        keyed.sort(key=lambda pair: pair[0])
        return _page([ev for _, ev in keyed], flt)

    def mentions(self, article: str | None = None) -> Iterator[StoredMention]:
        self._check_open()
        for entry in self._entries(article):
            a = entry.stored.article
            for m in entry.mentions:
                yield StoredMention(a.id, a.name, self._mention(m))

    def claims(self, article: str | None = None) -> list[Claim]:
        self._check_open()
        out = []
        for entry in self._entries(article):
            for c in entry.claims:
                if c.place is not None and self._current(c.place) is not c.place:
                    c = replace(c, place=self._current(c.place))
                out.append(c)
        return out

    def counts(self) -> dict[str, int]:
        self._check_open()
        entries = self._articles.values()
        return {
            "articles": len(self._articles),
            "events": sum(len(a.events) for a in entries),
            "mentions": sum(len(a.mentions) for a in entries),
            "claims": sum(len(a.claims) for a in entries),
            "places": len(self._places),
            "boilerplate": sum(len(a.stored.cleaned.removed) for a in entries),
        }


# --------------------------------------------------------------------------- opening


def open_store(db: str) -> Store:
    """A store for a settings `db` value: a SQLite path or ":memory:".

    Messages never echo a URL: a PostgreSQL URL may carry a password.
    """
    if not db or not db.strip():
        raise StoreError("no database given (set --db or FRONTWATCH_DB)")
    scheme, sep, _ = db.partition("://")
    if sep:
        if scheme.lower().split("+")[0] in ("postgresql", "postgres"):
            raise StoreError("PostgreSQL backend not available yet")
        raise StoreError(f"unsupported database URL scheme {scheme!r}; give a SQLite file path")
    return SQLiteStore(db)
