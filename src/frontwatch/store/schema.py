"""The SQLite schema: the migrations, in the order databases have run them, and the
column lists and statements built from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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
# What `articles()` / `get_article` read: everything an Article is rebuilt from, and not
# the compressed HTML (nor PostgreSQL's tsvector), which can be large.
_ARTICLE_SELECT = ", ".join(
    (*_ARTICLE_PLAIN, "published", "raw_text", "cleaned_text", "ingested_at")
)
# The keys of `Store.counts`, each the table it counts: the only tables `counts` reads.
COUNT_KEYS: tuple[str, ...] = ("articles", "events", "mentions", "claims", "places", "boilerplate")


class Statements(NamedTuple):
    """The row writers' statements in one dialect (SQLite's below, schema_pg's)."""

    boilerplate: str
    place: str  # an upsert
    mention: str
    event: str
    event_source: str
    claim: str
    claim_source: str


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
STATEMENTS = Statements(
    _INSERT_BOILERPLATE, _UPSERT_PLACE, _INSERT_MENTION, _INSERT_EVENT, _INSERT_EVENT_SOURCE,
    _INSERT_CLAIM, _INSERT_CLAIM_SOURCE,
)
