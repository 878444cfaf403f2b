"""Re-run the pipeline over stored raw input: `frontwatch reprocess [--all|ARTICLE...]`.

Each article's raw input is what it was ingested from: the page's HTML when it was kept
(`articles.raw_html`, zlib-compressed UTF-8; every article ingested from HTML or fetched
since schema version 6), else its raw text (`articles.raw_text`). The newer pipeline
(text extraction, cleaning, language, places, events, claims) runs over it and the
article's derived rows (boilerplate, mentions, events with their sources, claims with
theirs) are replaced in one transaction per article: a failure leaves the article as it
was. The article keeps its id, name, URL, fetch time and place in the ingest order, so
everything that points at it (fetched_urls, duplicate links, event ids' article part)
stays valid. Running it twice with the same pipeline gives the same rows.

The stored metadata (title, outlet, publication date, language) is passed back in as
metadata, so it wins over what the page says, as it did at ingest;
`redetect_language=True` drops the stored language so it is detected afresh.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from . import pipeline
from .errors import InputError, NotFoundError, StoreError
from .fuse import dedup
from .ingest import ArticleMeta, html_to_article
from .records import Article, ArticleResult
from .settings import Settings
from .store import SQLiteStore, Store
from .store.common import _now, compress_html, decompress_html

log = logging.getLogger(__name__)

_DERIVED = ("boilerplate", "mentions", "events", "claims")  # event/claim sources cascade


@dataclass(frozen=True, slots=True)
class RawInput:
    article: Article  # as stored, with raw_html when it was kept
    html: str | None  # the page, or None when the article came as text


@dataclass(frozen=True, slots=True)
class Reprocessed:
    """What reprocessing one article did; `error` set means nothing was changed."""

    article_id: str
    name: str
    source: str  # "html" or "text"
    before: dict[str, int]
    after: dict[str, int]
    language: str | None = None
    error: str | None = None


def _sqlite(store: Store) -> SQLiteStore:
    if not isinstance(store, SQLiteStore):
        raise StoreError("reprocess needs a SQLite database")
    return store


def raw_input(store: Store, article_id: str) -> RawInput | None:
    """An article as stored, with its kept HTML, or None for an unknown id."""
    sqlite_store = _sqlite(store)
    row = sqlite_store.conn.execute("SELECT * FROM articles WHERE id = ?",
                                    (article_id,)).fetchone()
    if row is None:
        return None
    html = None if row["raw_html"] is None else decompress_html(row["raw_html"])
    return RawInput(replace(sqlite_store._article_from(row), raw_html=html), html)


def rebuild_article(raw: RawInput, settings: Settings, *, redetect_language: bool = False
                    ) -> Article:
    """The article the newer pipeline should see: text re-extracted from the kept HTML
    (or the stored raw text), stored metadata winning, and the stored identity."""
    old = raw.article
    language = None if redetect_language else old.language
    if raw.html is None:
        return replace(old, language=language)
    meta = ArticleMeta(title=old.title, url=old.url, outlet=old.outlet,
                       published=old.published, language=language)
    new = html_to_article(raw.html, old.name, settings, meta, url=old.url)
    return replace(new, id=old.id, name=old.name, path=old.path, fetched_at=old.fetched_at)


def _counts(conn: sqlite3.Connection, article_id: str) -> dict[str, int]:
    # Table names are our own constants.
    return {t: conn.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?",
                            (article_id,)).fetchone()[0] for t in _DERIVED}


def replace_derived(store: Store, result: ArticleResult, raw_html: str | None = None) -> None:
    """In one transaction: drop the article's derived rows, update its text and
    metadata (and its kept page, given `raw_html`: a changed file's new version), and
    write the result's rows. Raises StoreError; nothing changes then."""
    sqlite_store = _sqlite(store)
    a = result.article
    conn = sqlite_store._begin()
    try:
        old = conn.execute("SELECT cleaned_text FROM articles WHERE id = ?", (a.id,)).fetchone()
        if old is None:
            raise StoreError(f"article {a.id} is not stored")
        for table in _DERIVED:
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
        conn.execute(
            "UPDATE articles SET raw_text = ?, cleaned_text = ?, title = ?, outlet = ?, "
            "published = ?, language = ?, reprocessed_at = ? WHERE id = ?",
            (a.text, result.cleaned.text, a.title, a.outlet,
             None if a.published is None else a.published.isoformat(), a.language, _now(),
             a.id))
        if raw_html is not None:
            conn.execute("UPDATE articles SET raw_html = ? WHERE id = ?",
                         (compress_html(raw_html), a.id))
        if old["cleaned_text"] != result.cleaned.text:
            sqlite_store._link_duplicate(a.id, dedup.simhash(result.cleaned.text))
        # The store's own row writers: the same rows as an ingest would write.
        sqlite_store._write_boilerplate(result)
        sqlite_store._write_places(result)
        sqlite_store._write_mentions(result)
        sqlite_store._write_events(result)
        sqlite_store._write_claims(result)
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"could not reprocess article {a.name} ({a.id}): {exc}") from exc
        raise


def reprocess_article(store: Store, article_id: str, settings: Settings, *,
                      redetect_language: bool = False) -> Reprocessed:
    """Re-run the pipeline over one stored article and replace its derived rows."""
    conn = _sqlite(store).conn
    raw = raw_input(store, article_id)
    if raw is None:
        raise StoreError(f"article {article_id} is not stored")
    name, source = raw.article.name, "text" if raw.html is None else "html"
    before = _counts(conn, article_id)

    def failed(reason: str) -> Reprocessed:
        log.warning("%s (%s): not reprocessed: %s", name, article_id, reason)
        return Reprocessed(article_id, name, source, before, before,
                           raw.article.language, error=reason)

    try:
        article = rebuild_article(raw, settings, redetect_language=redetect_language)
    except InputError as exc:
        return failed(exc.reason)
    # Looked up on the module, so a newer (or a test's) pipeline is the one that runs.
    processed = pipeline.process_safely(article, settings)
    if processed.error is not None or processed.result is None:
        return failed(processed.error.reason if processed.error else "no result")
    try:
        replace_derived(store, processed.result)
    except StoreError as exc:
        return failed(str(exc))
    after = _counts(conn, article_id)
    return Reprocessed(article_id, name, source, before, after,
                       processed.result.article.language)


def article_ids(store: Store, keys: Iterable[str] | None) -> list[str]:
    """Ids for user keys (id, unique id prefix or name), in ingest order; every stored
    article when `keys` is None. A key that matches nothing raises NotFoundError."""
    conn = _sqlite(store).conn
    if keys is None:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
    out: list[str] = []
    for key in keys:
        ids = _sqlite(store)._article_ids(key)
        if not ids:
            raise NotFoundError(f"no article matches {key!r}")
        out.extend(i for i in ids if i not in out)
    return out


def reprocess(store: Store, keys: Iterable[str] | None, settings: Settings, *,
              redetect_language: bool = False) -> Iterator[Reprocessed]:
    """reprocess_article for each article `keys` name (all when None), one at a time."""
    for aid in article_ids(store, keys):
        yield reprocess_article(store, aid, settings, redetect_language=redetect_language)
