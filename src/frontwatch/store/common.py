"""What both backends share: the `Store` protocol, the records it hands back, the event
filter, and the helpers that make SQLiteStore and MemoryStore behave the same."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NoReturn, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from ..errors import StoreError
from ..records import Article, ArticleResult, Claim, Cleaned, Event, Mention, Place

# The package's logger, as when the store was one module: log records keep the name
# "frontwatch.store" whichever submodule emits them.
log = logging.getLogger("frontwatch.store")

# Shorter prefixes would make `get_article` guess between too many articles.
MIN_ID_PREFIX = 6
COUNT_KEYS: tuple[str, ...] = ("articles", "events", "mentions", "claims", "places", "boilerplate")
# Full-text search: at most this many words of a query are used, as the API always did.
MAX_SEARCH_WORDS = 16
# A search snippet marks each hit as \x02hit\x03 (frontwatch.api turns the marks into
# <mark> elements, never markup).
HIT_START, HIT_END = "\x02", "\x03"


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


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article `Store.search` found."""

    article_id: str
    name: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    snippet: str  # a passage of the cleaned text, hits between HIT_START and HIT_END


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
    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles whose title, outlet or cleaned text hold every word of `text` (the
        last word as a prefix), best match first. Words are words: no query syntax."""
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


def _safe_url(url: str) -> str:
    """The URL as messages may show it: no password, no query string (which may hold one)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = (f"{parts.username}@" if parts.username else "") + host
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "postgresql://…"


def _search_words(text: str) -> list[str]:
    """A user's search text as plain words: every run of letters and digits, anything
    else a separator, so that no character can act as query syntax in any backend."""
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return words[:MAX_SEARCH_WORDS]


def _check_paging(limit: int, offset: int) -> None:
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")


def _page(items: list[Event], flt: EventFilter) -> list[Event]:
    end = None if flt.limit is None else flt.offset + flt.limit
    return items[flt.offset : end]

