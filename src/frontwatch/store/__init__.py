"""The event database behind a small interface.

Stages never touch SQL: they hand an `ArticleResult` to `Store.save` and read records
back through `Store.events` / `mentions` / `claims`. `SQLiteStore` is the default backend,
`PostgresStore` (imported only for a postgresql:// URL) the one for several writers at
once; `MemoryStore` behaves the same (ordering, filters, place upserts, atomicity) so that
unit tests of other modules need no database file.

Every article is written in one transaction: an ingest killed half-way leaves either
the whole article or nothing of it, and re-running the ingest skips what is stored.
"""

from __future__ import annotations

# The package: `common` (the Store protocol, EventFilter, the stored records, shared
# helpers), `schema` (migrations, column lists, statements), `sqlite` (SQLiteStore),
# `schema_pg` and `postgres` (PostgresStore) and `memory` (MemoryStore). Only the public
# names are re-exported here; code that needs a helper imports it from its module.
from ..errors import StoreError
from .common import (
    MIN_ID_PREFIX,
    NO_FILTER,
    EventFilter,
    SearchHit,
    Store,
    StoredArticle,
    StoredMention,
    _safe_url,
)
from .memory import MemoryStore
from .schema import COUNT_KEYS, MIGRATIONS, SCHEMA_VERSION
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
    "SearchHit",
    "Store",
    "StoreError",
    "StoredArticle",
    "StoredMention",
    "display_db",
    "is_postgres_url",
    "open_store",
]

# --------------------------------------------------------------------------- opening


def is_postgres_url(db: str) -> bool:
    """Whether a settings `db` value names a PostgreSQL database (postgresql://...)."""
    scheme, sep, _ = db.strip().partition("://")
    return bool(sep) and scheme.lower().split("+")[0] in ("postgresql", "postgres")


def display_db(db: str) -> str:
    """`db` as output may show it: a PostgreSQL URL without its password."""
    return _safe_url(db.strip()) if is_postgres_url(db) else db


def open_store(db: str) -> Store:
    """A store for a settings `db` value: a SQLite path, ":memory:", or a
    postgresql:// (postgres://) URL.

    Messages never echo a URL: a PostgreSQL URL may carry a password.
    """
    if not db or not db.strip():
        raise StoreError("no database given (set --db or FRONTWATCH_DB)")
    if is_postgres_url(db):
        # Imported here: SQLite users need neither psycopg nor its import time.
        try:
            from .postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                "a PostgreSQL database needs psycopg: pip install 'frontwatch[postgres]'"
            ) from exc
        return PostgresStore(db.strip())
    scheme, sep, _ = db.partition("://")
    if sep:
        raise StoreError(
            f"unsupported database URL scheme {scheme!r}; give a SQLite file path "
            "or a postgresql:// URL"
        )
    return SQLiteStore(db)
