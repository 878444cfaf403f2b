"""`MemoryStore`: SQLiteStore's behaviour without a database file, for unit tests."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..errors import StoreError
from ..fuse import dedup
from ..records import Article, ArticleResult, Claim, Event, Mention, Place
from .common import (
    HIT_END,
    HIT_START,
    NO_FILTER,
    EventFilter,
    SearchHit,
    StoredArticle,
    StoredMention,
    _check_paging,
    _check_result,
    _event_matches,
    _now,
    _one_article,
    _page,
    _places_of,
    _reraise,
    _resolve,
    _search_words,
    _sort_key,
)

_WORD = re.compile(r"\w+")
# Words of context on each side of the first hit in a search snippet.
_SNIPPET_WORDS = 12


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

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """The databases' search without an index: every word must be a word of the
        article (the last a prefix of one); results in ingest order, unranked."""
        self._check_open()
        _check_paging(limit, offset)
        words = [w.casefold() for w in _search_words(text)]
        if not words:
            return []
        *whole, last = words
        hits = []
        for entry in self._articles.values():
            a = entry.stored.article
            body = entry.stored.cleaned.text
            tokens = {t.casefold() for t in _WORD.findall(f"{a.title} {a.outlet} {body}")}
            if all(w in tokens for w in whole) and any(t.startswith(last) for t in tokens):
                hits.append(SearchHit(a.id, a.name, a.title, a.outlet, a.published, a.url,
                                      _snippet(body, words)))
        return hits[offset:offset + limit]


def _snippet(body: str, words: list[str]) -> str:
    """A few words either side of the first hit in `body`, hits marked."""
    tokens = list(_WORD.finditer(body))

    def hit(t: re.Match[str]) -> bool:
        folded = t.group().casefold()
        return folded in words[:-1] or folded.startswith(words[-1])

    first = next((i for i, t in enumerate(tokens) if hit(t)), 0)
    window = tokens[max(0, first - _SNIPPET_WORDS):first + _SNIPPET_WORDS]
    return " ".join(f"{HIT_START}{t.group()}{HIT_END}" if hit(t) else t.group() for t in window)
