"""The event database behind a small interface.

Stages never touch SQL: they hand an `ArticleResult` to `Store.save` and read records
back through `Store.events` / `mentions` / `claims`. `SQLiteStore` is the real backend;
`MemoryStore` behaves the same (ordering, filters, place upserts, atomicity) so that unit
tests of other modules need no database file.

Every article is written in one transaction: an ingest killed half-way leaves either
the whole article or nothing of it, and re-running the ingest skips what is stored.
"""

from __future__ import annotations

# The package: `common` (the Store protocol, EventFilter, the stored records, shared
# helpers), `schema` (migrations, column lists, statements), `sqlite` (SQLiteStore) and
# `memory` (MemoryStore). Only the public names are re-exported here; code that needs a
# helper imports it from its module.
from ..errors import StoreError
from .common import (
    COUNT_KEYS,
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    Store,
    StoredArticle,
    StoredMention,
)
from .memory import MemoryStore
from .schema import MIGRATIONS, SCHEMA_VERSION
from .sqlite import SQLiteStore

__all__ = [
    "COUNT_KEYS",
    "MIGRATIONS",
    "MIN_ID_PREFIX",
    "NO_FILTER",
    "SCHEMA_VERSION",
    "EventFilter",
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoredArticle",
    "StoredMention",
    "open_store",
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
