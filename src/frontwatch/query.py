"""The Python API for notebooks: `frontwatch.open(db)`.

    import frontwatch
    with frontwatch.open("war.db") as fw:
        events = fw.events(place="Bakhmut", side="russia", since="2023-01-01")
        df = events.to_pandas()                  # or fw.events_frame(place="Bakhmut")
        bakhmut = fw.control("Bakhmut")          # control timelines (frontwatch.fuse)
        fw.articles(language="uk")               # ArticleInfo records
        fw.languages()                           # {"en": 10, "uk": 2}

The database is opened read-only. Every query returns a `Records` list of typed, frozen
records (`Event`, `Claim`, `StoredMention`, `Timeline`, `FusedEvent`, `ArticleInfo`);
`Records.to_pandas()` and the `*_frame` methods give DataFrames with the columns of the
JSONL export. pandas is imported only then, and is not a dependency of frontwatch: without
it they raise `PandasMissing` saying so.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import ConfigError, FrontwatchError
from .lang import analysed, normalise_code
from .records import Claim, Event
from .store import (
    EventFilter,
    SQLiteStore,
    Store,
    StoredArticle,
    StoredMention,
    is_postgres_url,
)

if TYPE_CHECKING:
    from .fuse.control import Timeline
    from .fuse.events import FusedEvent, Rule

T = TypeVar("T")
Row = dict[str, object]


class PandasMissing(FrontwatchError, ImportError):
    """A DataFrame was asked for and pandas is not installed."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise PandasMissing(
            "DataFrames need pandas, which frontwatch does not install; "
            "`pip install pandas`, or use the typed records (the list itself)"
        ) from exc
    return pandas


class Records(list[T], Generic[T]):
    """A list of typed records that can become a pandas DataFrame."""

    def __init__(self, items: Iterable[T] = (), rows: Callable[[T], Iterable[Row]] | None = None,
                 columns: tuple[str, ...] = ()) -> None:
        super().__init__(items)
        self._rows = rows
        self._columns = columns

    def rows(self) -> list[Row]:
        """Plain dicts, one per record (one per interval for control timelines)."""
        convert = self._rows or (lambda item: [asdict(item)])  # type: ignore[call-overload]
        return [row for item in self for row in convert(item)]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of `rows()`; raises PandasMissing without pandas."""
        pd = _pandas()
        rows = self.rows()
        if not rows and self._columns:
            return pd.DataFrame(columns=list(self._columns))
        return pd.DataFrame.from_records(rows)


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article without its text: where it came from and what was drawn from it."""

    id: str
    name: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    language: str | None
    analysed: bool  # whether events and claims were extracted (see frontwatch.lang)
    ingested_at: str
    fetched_at: str | None
    reprocessed_at: str | None
    duplicate_of: str | None
    has_html: bool  # raw HTML kept for `frontwatch reprocess`
    events: int
    claims: int
    mentions: int


def _event_rows(e: Event) -> list[Row]:
    from .export import event_to_dict

    return [event_to_dict(e)]


def _claim_rows(c: Claim) -> list[Row]:
    from .export import claim_to_dict

    return [claim_to_dict(c)]


def _mention_rows(m: StoredMention) -> list[Row]:
    from .export import mention_to_dict

    return [mention_to_dict(m)]


def _control_rows(t: Timeline) -> list[Row]:
    from .export import control_records

    return list(control_records([t]))


def _fused_rows(f: FusedEvent) -> list[Row]:
    from .export import fused_to_dict

    return [fused_to_dict(f)]


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def language_counts(store: Store) -> dict[str | None, int]:
    """Stored articles per language (None: undetermined), most first."""
    # A database counts its own (SQLStore.language_counts); a MemoryStore is counted here.
    by_server = getattr(store, "language_counts", None)
    counts: Counter[str | None] = Counter(
        by_server() if by_server is not None else (a.language for a in store.articles()))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or "")))


_ARTICLE_SQL = """
SELECT a.id, a.name, a.title, a.url, a.outlet, a.published, a.language, a.ingested_at,
       a.fetched_at, a.reprocessed_at, a.duplicate_of, a.raw_html IS NOT NULL AS has_html,
       (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events,
       (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS n_claims,
       (SELECT count(*) FROM mentions m WHERE m.article_id = a.id) AS n_mentions
FROM articles a
"""


class Frontwatch:
    """Read-only queries over one frontwatch database. Use as a context manager, or
    call `close()`."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.db = os.fspath(db)
        if is_postgres_url(self.db):
            # Its `articles` query and `store.conn` are SQLite's; the URL is not echoed.
            raise ConfigError("frontwatch.open reads SQLite databases only; for PostgreSQL "
                              "use frontwatch.store.open_store(url), which gives the same "
                              "events, claims and mentions")
        self._store = SQLiteStore.readonly(self.db)

    def __enter__(self) -> Frontwatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"frontwatch.open({self.db!r})"

    def close(self) -> None:
        self._store.close()

    @property
    def store(self) -> SQLiteStore:
        """The underlying (read-only) store, for what this class does not cover."""
        return self._store

    # ---------------------------------------------------------------- records

    def events(self, flt: EventFilter | None = None, *, place: str | None = None,
               side: str | None = None, type: str | None = None,
               since: date | str | None = None, until: date | str | None = None,
               article: str | None = None, limit: int | None = None,
               offset: int = 0) -> Records[Event]:
        """Events, as `frontwatch events` filters them: an EventFilter, or its fields
        as keywords (dates as `date` or ISO strings)."""
        if flt is None:
            flt = EventFilter(place=place, side=side, type=type, since=_day(since),
                              until=_day(until), article=article, limit=limit, offset=offset)
        from .export import EVENT_KEYS

        return Records(self._store.events(flt), _event_rows, tuple(EVENT_KEYS))

    def claims(self, article: str | None = None, *, kind: str | None = None
               ) -> Records[Claim]:
        """Claims (casualty figures, territory shares, control statements...)."""
        claims = self._store.claims(article)
        if kind is not None:
            claims = [c for c in claims if c.kind == kind]
        return Records(claims, _claim_rows)

    def mentions(self, article: str | None = None) -> Records[StoredMention]:
        """Every resolved place mention (of analysed and non-analysed articles)."""
        return Records(self._store.mentions(article), _mention_rows)

    def article(self, key: str) -> StoredArticle | None:
        """One article with its raw and cleaned text and removed boilerplate."""
        return self._store.get_article(key)

    def articles(self, *, language: str | None = None) -> Records[ArticleInfo]:
        """Every article in ingest order, or those in one `language` ("und": those whose
        language is undetermined)."""
        sql, params = _ARTICLE_SQL, []
        if language is not None:
            code = normalise_code(language)
            if code in (None, "und"):
                sql += " WHERE a.language IS NULL"
            else:
                sql += " WHERE a.language = ?"
                params.append(code)
        rows = self._store.conn.execute(sql + " ORDER BY a.seq", params).fetchall()
        return Records(ArticleInfo(
            id=r["id"], name=r["name"], title=r["title"], url=r["url"], outlet=r["outlet"],
            published=_day(r["published"]), language=r["language"],
            analysed=analysed(r["language"]), ingested_at=r["ingested_at"],
            fetched_at=r["fetched_at"], reprocessed_at=r["reprocessed_at"],
            duplicate_of=r["duplicate_of"], has_html=bool(r["has_html"]),
            events=r["n_events"], claims=r["n_claims"], mentions=r["n_mentions"],
        ) for r in rows)

    def control(self, place: str | None = None, *, as_of: date | str | None = None
                ) -> Records[Timeline]:
        """Control timelines (frontwatch.fuse.control) of every settlement, or of those
        whose name contains `place` (or whose GeoNames id it is); with `as_of`, only
        settlements whose holder that day is known."""
        from .fuse.control import timelines

        found = timelines(self._store.events(), self._store.claims(), self._store.duplicates())
        if place is not None:
            needle = place.strip().casefold()
            found = [t for t in found if (str(t.place.geonameid) == needle if needle.isdigit()
                                          else needle in t.place.name.casefold())]
        day = _day(as_of)
        if day is not None:
            found = [t for t in found if t.holder_on(day) != "unknown"]
        return Records(found, _control_rows)

    def fused(self, flt: EventFilter | None = None, *, rule: Rule = "reports"
              ) -> Records[FusedEvent]:
        """Reports of one event fused (frontwatch.fuse.events), with corroboration."""
        from .fuse.events import fuse_events

        fused = fuse_events(self._store.events(flt or EventFilter()),
                            self._store.duplicates(), rule=rule)
        return Records(fused, _fused_rows)

    def languages(self) -> dict[str | None, int]:
        """Articles per language; None is undetermined."""
        return language_counts(self._store)

    def counts(self) -> dict[str, int]:
        return self._store.counts()

    # ---------------------------------------------------------------- frames

    def events_frame(self, flt: EventFilter | None = None, **filters: Any) -> Any:
        return self.events(flt, **filters).to_pandas()

    def claims_frame(self, article: str | None = None, *, kind: str | None = None) -> Any:
        return self.claims(article, kind=kind).to_pandas()

    def mentions_frame(self, article: str | None = None) -> Any:
        return self.mentions(article).to_pandas()

    def articles_frame(self, *, language: str | None = None) -> Any:
        return self.articles(language=language).to_pandas()

    def control_frame(self, place: str | None = None, *, as_of: date | str | None = None
                      ) -> Any:
        return self.control(place, as_of=as_of).to_pandas()

    def fused_frame(self, flt: EventFilter | None = None, *, rule: Rule = "reports") -> Any:
        return self.fused(flt, rule=rule).to_pandas()

    def to_pandas(self, what: str = "events") -> Any:
        """`what`'s DataFrame: events, claims, mentions, articles, control or fused."""
        frames: dict[str, Callable[[], Any]] = {
            "events": self.events_frame, "claims": self.claims_frame,
            "mentions": self.mentions_frame, "articles": self.articles_frame,
            "control": self.control_frame, "fused": self.fused_frame,
        }
        if what not in frames:
            raise ValueError(f"what must be one of {', '.join(frames)}, not {what!r}")
        return frames[what]()


def open_db(db: str | os.PathLike[str]) -> Frontwatch:
    """`frontwatch.open`: a read-only query object over the database at `db`."""
    return Frontwatch(db)
