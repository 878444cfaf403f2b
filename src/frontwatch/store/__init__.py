"""The event database behind a small interface.

Stages never touch SQL: they hand an `ArticleResult` to `Store.save` and read records
back through `Store.events` / `mentions` / `claims`. `SQLiteStore` is the real backend;
`MemoryStore` behaves the same (ordering, filters, place upserts, atomicity) so that unit
tests of other modules need no database file.

Every article is written in one transaction: an ingest killed half-way leaves either
the whole article or nothing of it, and re-running the ingest skips what is stored.
"""

from __future__ import annotations

# What was one module is a package: `common` (the Store protocol, EventFilter, the stored
# records, shared helpers), `schema` (migrations, column lists, statements), `sqlite`
# (SQLiteStore) and `memory` (MemoryStore). Every name is re-exported here, private
# helpers included (frontwatch.api and tests use some), so imports from
# `frontwatch.store` work as before.
from ..errors import StoreError
from .common import (
    COUNT_KEYS,
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    Store,
    StoredArticle,
    StoredMention,
    _check_result,
    _date,
    _event_matches,
    _fold,
    _iso,
    _now,
    _one_article,
    _page,
    _place_needle,
    _places_of,
    _reraise,
    _resolve,
    _sort_key,
    log,
)
from .memory import MemoryStore, _MemArticle
from .schema import (
    _ARTICLE_COLS,
    _ARTICLE_PLAIN,
    _CLAIM_BOOLS,
    _CLAIM_COLS,
    _CLAIM_DATES,
    _CLAIM_PLAIN,
    _COUNT_TABLES,
    _EVENT_COLS,
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
    _V1,
    _V2_FETCH,
    _V3_DEDUP,
    _V4_SEARCH,
    _V5_CLAIM_FIELDS,
    _V6_RAW,
    MIGRATIONS,
    SCHEMA_VERSION,
    _insert,
)
from .sqlite import (
    _IN_CHUNK,
    SQLiteStore,
    _article_from,
    _cached_place,
    _claim_fields,
    _claim_row,
    _connect,
    _event_row,
    _mention_from,
    _migrate,
    _place_from,
    _source_from,
    _source_rows,
    _where,
)

__all__ = [
    "COUNT_KEYS", "MIGRATIONS", "MIN_ID_PREFIX", "NO_FILTER", "SCHEMA_VERSION", "EventFilter",
    "MemoryStore", "SQLiteStore", "Store", "StoredArticle", "StoredMention", "open_store",
]
# Private, but imported from here by frontwatch.api and the tests.
__all__ += [
    "_ARTICLE_COLS",
    "_ARTICLE_PLAIN",
    "_CLAIM_BOOLS",
    "_CLAIM_COLS",
    "_CLAIM_DATES",
    "_CLAIM_PLAIN",
    "_COUNT_TABLES",
    "_EVENT_COLS",
    "_EVENT_PLAIN",
    "_INSERT_ARTICLE",
    "_INSERT_BOILERPLATE",
    "_INSERT_CLAIM",
    "_INSERT_CLAIM_SOURCE",
    "_INSERT_EVENT",
    "_INSERT_EVENT_SOURCE",
    "_INSERT_MENTION",
    "_IN_CHUNK",
    "_LOC_COLS",
    "_PLACE_COLS",
    "_P_SELECT",
    "_SELECT_SOURCES",
    "_SOURCE_COLS",
    "_UPSERT_PLACE",
    "_V1",
    "_V2_FETCH",
    "_V3_DEDUP",
    "_V4_SEARCH",
    "_V5_CLAIM_FIELDS",
    "_V6_RAW",
    "_MemArticle",
    "_article_from",
    "_cached_place",
    "_check_result",
    "_claim_fields",
    "_claim_row",
    "_connect",
    "_date",
    "_event_matches",
    "_event_row",
    "_fold",
    "_insert",
    "_iso",
    "_mention_from",
    "_migrate",
    "_now",
    "_one_article",
    "_page",
    "_place_from",
    "_place_needle",
    "_places_of",
    "_reraise",
    "_resolve",
    "_sort_key",
    "_source_from",
    "_source_rows",
    "_where",
    "log",
]

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
