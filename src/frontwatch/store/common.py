"""What the backends share: the `Store` protocol, the records it hands back, the event
filter, the helpers that make SQLiteStore and MemoryStore behave the same, and `SQLStore`,
what SQLiteStore and PostgresStore do alike (row writers, reads, record rebuilding)."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar, NoReturn, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from ..errors import StoreError
from ..fuse import dedup
from ..records import (
    Article,
    ArticleResult,
    Claim,
    Cleaned,
    Event,
    Mention,
    Place,
    Removed,
    Source,
)
from .schema import (
    _ARTICLE_PLAIN,
    _ARTICLE_SELECT,
    _CLAIM_BOOLS,
    _CLAIM_DATES,
    _CLAIM_PLAIN,
    _EVENT_PLAIN,
    _LOC_COLS,
    _P_SELECT,
    _PLACE_COLS,
    _SELECT_SOURCES,
    _SOURCE_COLS,
    COUNT_KEYS,
    Statements,
)

# The package's logger, as when the store was one module: log records keep the name
# "frontwatch.store" whichever submodule emits them.
log = logging.getLogger("frontwatch.store")

# Shorter prefixes would make `get_article` guess between too many articles.
MIN_ID_PREFIX = 6
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
    """(geonameid, "") for an all-digit value, else (None, case-folded substring).

    Over 18 digits is no geonameid and would overflow a 64-bit SQL integer: it is
    searched as text (and finds nothing)."""
    value = place.strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
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



def compress_html(html: str) -> bytes:
    """`articles.raw_html` as stored: zlib-compressed UTF-8."""
    return zlib.compress(html.encode("utf-8"))


def decompress_html(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


# --------------------------------------------------------------------------- SQL stores


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _same(value: Any) -> Any:
    return value


def _source_rows(owner: str, sources: tuple[Source, ...]) -> list[tuple[object, ...]]:
    # bool: PostgreSQL's BOOLEAN wants one, SQLite stores it as 1/0.
    return [
        (owner, i, s.name, s.affiliation, s.channel, bool(s.quote), s.relayed_by)
        for i, s in enumerate(sources)
    ]


def _place_from(row: Any) -> Place:
    return Place(**{c: row[f"p_{c}"] for c in _PLACE_COLS})


def _cached_place(cache: dict[int, Place], row: Any) -> Place:
    # One Place object per geonameid per query: exports of many events at one town
    # share it instead of building thousands of equal copies.
    gid = row["p_geonameid"]
    place = cache.get(gid)
    if place is None:
        place = cache[gid] = _place_from(row)
    return place


def _mention_from(row: Any, place: Place) -> Mention:
    return Mention(**{c: row[c] for c in _LOC_COLS}, place=place)


def _source_from(row: Any) -> Source:
    return Source(**{c: row[c] for c in _SOURCE_COLS if c != "quote"}, quote=bool(row["quote"]))


class SQLStore:
    """What SQLiteStore and PostgresStore do alike. The subclasses give the connection,
    `_query` / `_iter` / `_executemany`, how an article key and a list of ids become SQL,
    the text filters of `events`, and their dialect below: the placeholder, the row
    writers' statements, how a date is sent and read back, what LIMIT means "no limit"."""

    db: str
    _P: ClassVar[str]  # the driver's placeholder
    _SQL: ClassVar[Statements]
    _NO_LIMIT: ClassVar[int | None]
    _IN_CHUNK: ClassVar[int | None] = None  # at most this many ids in one IN list
    _COLLATE_C: ClassVar[str] = ""  # makes `ORDER BY e.article` compare code points
    _date_param: ClassVar[Any] = staticmethod(_same)  # date -> what the column stores
    _date_value: ClassVar[Any] = staticmethod(_same)  # and back

    # ---------------------------------------------------------------- the subclass's

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        raise NotImplementedError

    def _iter(self, sql: str, params: Sequence[object]) -> Iterator[Any]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[object]) -> list[Any]:
        """`_query` inside a save: the driver's errors go to the save's handler as they are."""
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        raise NotImplementedError

    def _article_ids(self, key: str) -> list[str]:
        raise NotImplementedError

    def _in(self, col: str, ids: list[str]) -> tuple[str, list[object]]:
        """`col` is one of `ids`, as a clause and its parameters."""
        raise NotImplementedError

    def _text_filters(self, flt: EventFilter, where: list[str], params: list[object]) -> None:
        """The place, side and type filters, case-insensitive in the dialect's way."""
        raise NotImplementedError

    # ---------------------------------------------------------------- writing

    def save_many(self, results: Iterable[ArticleResult]) -> int:
        save = self.save  # type: ignore[attr-defined]
        return sum(1 for r in results if save(r))

    def _link_duplicate(self, article_id: str, sig: int | None) -> None:
        """The article's SimHash, its bands and the earlier article it copies (fuse.dedup).
        Only earlier articles can be its original: a later copy never becomes one."""
        p = self._P
        if sig is None:
            self._execute(f"UPDATE articles SET simhash = NULL, band0 = NULL, band1 = NULL, "
                        f"band2 = NULL, band3 = NULL, duplicate_of = NULL WHERE id = {p}",
                        (article_id,))
            return
        bands = dedup.bands(sig)
        rows = self._execute(
            f"SELECT id, simhash FROM articles WHERE (band0 = {p} OR band1 = {p} OR "
            f"band2 = {p} OR band3 = {p}) AND seq < (SELECT seq FROM articles WHERE id = {p}) "
            "AND simhash IS NOT NULL ORDER BY seq", (*bands, article_id))
        original = next((r["id"] for r in rows if dedup.distance(
            sig, dedup.from_signed(r["simhash"])) <= dedup.MAX_DISTANCE), None)
        self._execute(
            f"UPDATE articles SET simhash = {p}, band0 = {p}, band1 = {p}, band2 = {p}, "
            f"band3 = {p}, duplicate_of = {p} WHERE id = {p}",
            (dedup.to_signed(sig), *bands, original, article_id))

    def _write_boilerplate(self, result: ArticleResult) -> None:
        aid = result.article.id
        self._executemany(self._SQL.boilerplate, [
            (aid, i, r.start, r.end, r.text, r.reason) for i, r in enumerate(result.cleaned.removed)
        ])

    def _write_places(self, result: ArticleResult) -> None:
        # In geonameid order: two saves upserting the same places lock them in one order.
        places = sorted(_places_of(result).values(), key=lambda p: p.geonameid)
        self._executemany(self._SQL.place,
                          [tuple(getattr(p, c) for c in _PLACE_COLS) for p in places])

    def _write_mentions(self, result: ArticleResult) -> None:
        aid = result.article.id
        self._executemany(self._SQL.mention, [
            (aid, i, *(getattr(m, c) for c in _LOC_COLS), m.place.geonameid)
            for i, m in enumerate(result.mentions)
        ])

    def _write_events(self, result: ArticleResult) -> None:
        events = result.events
        self._executemany(self._SQL.event, [self._event_row(i, e) for i, e in enumerate(events)])
        sources = [row for e in events for row in _source_rows(e.event_id, e.sources)]
        self._executemany(self._SQL.event_source, sources)

    def _write_claims(self, result: ArticleResult) -> None:
        claims = result.claims
        self._executemany(self._SQL.claim, [self._claim_row(i, c) for i, c in enumerate(claims)])
        sources = [row for c in claims for row in _source_rows(c.claim_id, c.sources)]
        self._executemany(self._SQL.claim_source, sources)

    def _event_row(self, i: int, e: Event) -> tuple[object, ...]:
        loc = e.location
        located = (*(getattr(loc, c) for c in _LOC_COLS), loc.place.geonameid)
        return (*(getattr(e, c) for c in _EVENT_PLAIN), i, self._date_param(e.event_date),
                *located)

    def _claim_row(self, i: int, c: Claim) -> tuple[object, ...]:
        return (
            *(getattr(c, f) for f in _CLAIM_PLAIN),
            *(bool(getattr(c, f)) for f in _CLAIM_BOOLS),
            *(self._date_param(getattr(c, f)) for f in _CLAIM_DATES),
            i,
            None if c.place is None else c.place.geonameid,
        )

    # ---------------------------------------------------------------- reading

    def _article_from(self, row: Any) -> Article:
        return Article(
            **{c: row[c] for c in _ARTICLE_PLAIN},
            text=row["raw_text"],
            published=self._date_value(row["published"]),
        )

    def _in_articles(self, col: str, key: str, where: list[str], params: list[object]) -> None:
        # `col` is one of our own column names. No ids matches nothing, which is what an
        # unknown article key should do.
        clause, values = self._in(col, self._article_ids(key))
        where.append(clause)
        params.extend(values)

    def get_article(self, key: str) -> StoredArticle | None:
        aid = _one_article(key, self._article_ids(key))
        if aid is None:
            return None
        p = self._P
        row = self._query(f"SELECT {_ARTICLE_SELECT} FROM articles WHERE id = {p}", (aid,))[0]
        sql = (f'SELECT start, "end", text, reason FROM boilerplate WHERE article_id = {p} '
               "ORDER BY ord")
        removed = tuple(Removed(r["start"], r["end"], r["text"], r["reason"])
                        for r in self._query(sql, (aid,)))
        return StoredArticle(
            article=self._article_from(row),
            cleaned=Cleaned(text=row["cleaned_text"], removed=removed),
            ingested_at=row["ingested_at"],
        )

    def articles(self) -> Iterator[Article]:
        for row in self._iter(f"SELECT {_ARTICLE_SELECT} FROM articles ORDER BY seq", ()):
            yield self._article_from(row)

    def _sources(self, table: str, key: str, ids: list[str]) -> dict[str, tuple[Source, ...]]:
        # `table`/`key` are one of two fixed pairs chosen by the callers below.
        assert (table, key) in (("event_sources", "event_id"), ("claim_sources", "claim_id"))
        found: dict[str, list[Source]] = {}
        step = self._IN_CHUNK or len(ids) or 1
        for i in range(0, len(ids), step):
            clause, params = self._in(key, ids[i : i + step])
            for row in self._query(
                f"SELECT {key} AS owner, {_SELECT_SOURCES} FROM {table} "
                f"WHERE {clause} ORDER BY {key}, ord",
                params,
            ):
                found.setdefault(row["owner"], []).append(_source_from(row))
        return {k: tuple(v) for k, v in found.items()}

    def events(self, flt: EventFilter = NO_FILTER) -> list[Event]:
        where: list[str] = []
        params: list[object] = []
        if flt.article is not None:
            self._in_articles("e.article_id", flt.article, where, params)
        self._text_filters(flt, where, params)
        p = self._P
        if flt.since is not None:
            where.append(f"e.event_date >= {p}")
            params.append(self._date_param(flt.since))
        if flt.until is not None:
            where.append(f"e.event_date <= {p}")
            params.append(self._date_param(flt.until))
        sql = (
            f"SELECT e.*, {_P_SELECT} FROM events e JOIN articles a ON a.id = e.article_id "
            "JOIN places p ON p.geonameid = e.geonameid"
        )
        # Undated last, then insertion order so that events from one sentence keep the
        # order the extractor gave them (MemoryStore's _sort_key is the same).
        sql += _where(where) + (
            f" ORDER BY e.event_date IS NULL, e.event_date, e.article{self._COLLATE_C}, "
            f"e.evidence_start, a.seq, e.ord LIMIT {p} OFFSET {p}"
        )
        params.extend([self._NO_LIMIT if flt.limit is None else flt.limit, flt.offset])
        rows = self._query(sql, params)
        sources = self._sources("event_sources", "event_id", [r["event_id"] for r in rows])
        places: dict[int, Place] = {}
        return [
            Event(
                **{c: r[c] for c in _EVENT_PLAIN},
                event_date=self._date_value(r["event_date"]),
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
                **self._claim_fields(r),
                place=None if r["p_geonameid"] is None else _cached_place(places, r),
                sources=sources.get(r["claim_id"], ()),
            )
            for r in rows
        ]

    def _claim_fields(self, row: Any) -> dict[str, Any]:
        out: dict[str, Any] = {f: row[f] for f in _CLAIM_PLAIN}
        out.update({f: bool(row[f]) for f in _CLAIM_BOOLS})
        out.update({f: self._date_value(row[f]) for f in _CLAIM_DATES})
        return out

    def duplicates(self) -> dict[str, str]:
        rows = self._query("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
        return {r["id"]: r["duplicate_of"] for r in rows}

    def counts(self) -> dict[str, int]:
        # Table names are the constant COUNT_KEYS.
        return {
            table: int(self._query(f"SELECT count(*) AS n FROM {table}")[0]["n"])
            for table in COUNT_KEYS
        }

    def language_counts(self) -> dict[str | None, int]:
        """Articles per language (None: undetermined), counted by the database."""
        rows = self._query("SELECT language, count(*) AS n FROM articles GROUP BY language")
        return {r["language"]: int(r["n"]) for r in rows}

    def _hit(self, r: Any) -> SearchHit:
        return SearchHit(article_id=r["id"], name=r["name"], title=r["title"],
                         outlet=r["outlet"], published=self._date_value(r["published"]),
                         url=r["url"], snippet=r["snip"] or "")
