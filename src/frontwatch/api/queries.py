"""The API's reads: filtered, sorted, paged event queries, places, search, control.

Every value a caller gives travels as an SQL parameter; the only SQL text built at run
time comes from the constants in this module (column lists, the sort table). Fusion
(corroboration) and control timelines are computed once per database generation and kept:
corroboration also in a TEMP table of each read-only connection, so that filters and sorts
on it stay in SQL.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from ..export import event_to_dict, source_to_dict
from ..fuse.control import Timeline, timelines
from ..fuse.events import FusedEvent, fuse_events, window
from ..records import Event, Place
from ..store import SQLiteStore, is_postgres_url
from ..store.common import _date, _fold, _search_words
from ..store.schema import _EVENT_PLAIN, _P_SELECT
from ..store.sqlite import _cached_place, _mention_from

MAX_PAGE = 500  # full event records per page
MAX_COMPACT_PAGE = 20_000  # map points per page (a few dozen bytes each)
MAX_EXPORT = 100_000
MAX_QUERY_CHARS = 200
SORTS: dict[str, str] = {
    "date": "e.event_date IS NULL, e.event_date, e.article, e.evidence_start, a.seq, e.ord",
    "-date": "e.event_date IS NULL, e.event_date DESC, e.article, e.evidence_start, a.seq, e.ord",
    "corroboration": "coalesce(c.corroboration, 1), e.event_date, e.event_id",
    "-corroboration": "coalesce(c.corroboration, 1) DESC, e.event_date DESC, e.event_id",
    "place": "p.name, e.event_date, e.event_id",
    "fatalities": "coalesce(e.fatalities, -1) DESC, e.event_date, e.event_id",
}


class QueryError(ConfigError):
    """A request parameter the API cannot use (HTTP 400)."""


@dataclass(frozen=True, slots=True)
class Query:
    """An events filter: every field left as None means "any"."""

    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    place: str | None = None
    side: str | None = None
    type: str | None = None
    movement: str | None = None
    modality: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None  # a source name substring, or an affiliation
    min_corroboration: int | None = None
    article: str | None = None  # an article id
    sort: str = "date"
    limit: int = 100
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; choose one of {', '.join(SORTS)}")
        if self.limit < 0 or self.offset < 0:
            raise QueryError("limit and offset must be >= 0")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise QueryError("bbox is west,south,east,north in degrees")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError as exc:
        raise QueryError("bbox is west,south,east,north in degrees") from exc
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90 and w <= e):
        raise QueryError("bbox out of range: need -180 <= west <= east <= 180, "
                         "-90 <= south <= north <= 90")
    return w, s, e, n


def _in_bbox(bbox: tuple[float, float, float, float], where: list[str],
             params: list[object]) -> None:
    w, s, e, n = bbox
    where.append("p.longitude BETWEEN ? AND ? AND p.latitude BETWEEN ? AND ?")
    params += [w, e, s, n]


def _name_part(text: str, where: list[str], params: list[object]) -> None:
    # instr() rather than LIKE: % and _ in user input stay literal.
    where.append("(instr(fw_fold(p.name), ?) > 0 OR instr(fw_fold(p.admin1), ?) > 0)")
    params += [text.strip().casefold()] * 2


def _where(q: Query) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if q.bbox is not None:
        _in_bbox(q.bbox, where, params)
    if q.place:
        value = q.place.strip()
        # An id only if SQLite can hold it: a longer run of digits would overflow the
        # parameter (an error, not "no match"); as a name part it matches nothing.
        if value.isascii() and value.isdigit() and len(value) <= 18:
            where.append("e.geonameid = ?")
            params.append(int(value))
        else:
            _name_part(value, where, params)
    if q.side:
        where.append("e.side1 = ?")
        params.append(q.side.strip())
    if q.type:
        where.append("(e.event_type = ? OR e.sub_event_type = ?)")
        params += [q.type.strip()] * 2
    if q.movement:
        where.append("e.movement = ?")
        params.append(q.movement.strip())
    if q.modality:
        where.append("e.modality = ?")
        params.append(q.modality.strip())
    if q.since is not None:
        where.append("e.event_date >= ?")
        params.append(q.since.isoformat())
    if q.until is not None:
        where.append("e.event_date <= ?")
        params.append(q.until.isoformat())
    if q.source:
        where.append(
            "EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.event_id AND "
            "(instr(fw_fold(s.name), ?) > 0 OR instr(fw_fold(s.relayed_by), ?) > 0 "
            "OR s.affiliation = ?))"
        )
        needle = q.source.strip()
        params += [needle.casefold(), needle.casefold(), needle]
    if q.min_corroboration is not None and q.min_corroboration > 1:
        where.append("coalesce(c.corroboration, 1) >= ?")
        params.append(q.min_corroboration)
    if q.article is not None:
        where.append("e.article_id = ?")
        params.append(q.article)
    return (" WHERE " + " AND ".join(where)) if where else "", params


_FROM = (
    " FROM events e JOIN articles a ON a.id = e.article_id "
    "JOIN places p ON p.geonameid = e.geonameid "
    "LEFT JOIN temp.fw_fused c ON c.event_id = e.event_id"
)
_COMPACT = (
    "e.event_id, e.event_date, e.time_precision, e.side1, e.event_type, e.sub_event_type, "
    "e.movement, e.modality, e.fatalities, e.article_id, p.geonameid AS geonameid, "
    "p.name AS place, p.latitude AS latitude, p.longitude AS longitude, "
    "coalesce(c.corroboration, 1) AS corroboration, c.fused_id AS fused_id"
)
_FULL = (f"e.*, {_P_SELECT}, coalesce(c.corroboration, 1) AS c_corroboration, "
         "c.fused_id AS c_fused_id")


def _page_sql(columns: str, q: Query) -> tuple[str, list[object]]:
    """SELECT `columns` for one sorted page of the filter, and its parameters."""
    where, params = _where(q)
    return (f"SELECT {columns}{_FROM}{where} ORDER BY {SORTS[q.sort]} LIMIT ? OFFSET ?",
            [*params, q.limit, q.offset])


@dataclass(slots=True)
class _Derived:
    generation: int | None  # None: built for one request's snapshot only, never shared
    fused: dict[str, FusedEvent] = field(default_factory=dict)  # fused_id -> group
    timelines: list[Timeline] = field(default_factory=list)
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # temp.fw_fused


@dataclass(slots=True, eq=False)
class _Conn:
    """One worker thread's read-only connection and where it stands."""

    store: SQLiteStore
    thread: threading.Thread
    fused_for: object = None  # the _Derived its temp.fw_fused holds (identity), if any
    depth: int = 0  # snapshot() nesting
    generation: int | None = None  # the open snapshot's generation (see snapshot())
    derived: _Derived | None = None  # a private one, when the generation is unknown


def _open_readonly(db: str) -> SQLiteStore:
    """A read-only connection (the file opened with mode=ro, and PRAGMA query_only as a
    second lock) for one thread. The schema was migrated once by SQLiteStore.readonly in
    Reader(); opening read-write again per thread would need write access each time."""
    path = Path(db).expanduser().resolve()
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                               timeout=30.0, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {db} read-only: {exc}") from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.create_function("fw_fold", 1, _fold, deterministic=True)
        # TEMP objects are created now, before query_only forbids every write.
        conn.execute("CREATE TEMP TABLE fw_fused (event_id TEXT PRIMARY KEY, "
                     "fused_id TEXT NOT NULL, corroboration INTEGER NOT NULL)")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open database {db} read-only: {exc}") from exc
    store = SQLiteStore.__new__(SQLiteStore)
    store.db = db
    store._conn = conn
    return store


class Reader:
    """All API reads, each worker thread on its own read-only SQLite connection.

    WAL lets readers run side by side (and sqlite3 releases the GIL while SQLite works),
    so requests no longer queue behind one connection. A request's statements share one
    read transaction on its thread's connection (`snapshot()`)."""

    def __init__(self, db: str) -> None:
        if is_postgres_url(db):
            # The API's queries are SQLite SQL (FTS5, TEMP tables); refuse plainly rather
            # than fail on the first request. The URL is not echoed: it may hold a password.
            raise ConfigError(
                "frontwatch serve reads a SQLite database only; PostgreSQL is supported by "
                "ingest, info, events, export, report, control and fused. Serve a SQLite "
                "copy, or query the PostgreSQL database with those commands"
            )
        self.db = db
        # Part of every ETag: a restarted server counts generations from 1 again, and
        # must not answer 304 to a tag the previous process gave for other data.
        self.token = secrets.token_hex(8)
        # Migrates the file if needed (one read-write open), then watches it: see
        # generation().
        self._watch = SQLiteStore.readonly(db)
        self._watch_lock = threading.Lock()
        self._data_version = -1
        self._generation = 0
        self._local = threading.local()
        self._conns: list[_Conn] = []
        self._conns_lock = threading.Lock()
        self._derive_lock = threading.Lock()
        self._derived: _Derived | None = None
        self.generation()

    def close(self) -> None:
        with self._conns_lock:
            for c in self._conns:
                c.store.close()
            self._conns.clear()
        with self._watch_lock:
            self._watch.close()

    def _conn(self) -> _Conn:
        c: _Conn | None = getattr(self._local, "conn", None)
        if c is None:
            c = _Conn(_open_readonly(self.db), threading.current_thread())
            with self._conns_lock:
                # Worker threads come and go (anyio retires idle ones): close the
                # connections of threads that have ended.
                for old in [o for o in self._conns if not o.thread.is_alive()]:
                    old.store.close()
                    self._conns.remove(old)
                self._conns.append(c)
            self._local.conn = c
        return c

    @property
    def store(self) -> SQLiteStore:
        """This thread's read-only store."""
        return self._conn().store

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        return self.store._query(sql, params)

    # ------------------------------------------------------------ version and caches

    def generation(self) -> int:
        """A number that changes whenever another connection (an ingest, a reprocess)
        commits to the database. PRAGMA data_version on one watching connection changes
        on every such commit; the generation is bumped each time a call sees it change.
        Calls are serialised, so two calls that return the same number had no commit
        between them. Microseconds: the HTTP layer calls it for every API request."""
        with self._watch_lock:
            try:
                dv = int(self._watch.conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as exc:
                raise StoreError(f"reading {self.db} failed: {exc}") from exc
            if dv != self._data_version:
                self._data_version = dv
                self._generation += 1
            return self._generation

    @contextmanager
    def snapshot(self) -> Iterator[int | None]:
        """One read transaction around a request's queries, on this thread's connection.
        An ingest may commit between two statements; inside this every statement sees the
        same committed state (WAL), so a page's `total` matches its items and an event its
        article. Nested uses join the outer transaction.

        Yields the generation the snapshot shows, or None if it cannot be told: the
        snapshot is taken (deferred BEGIN plus a first read) between two generation()
        calls, and if both return g no commit happened in between, so this snapshot shows
        exactly the state every other snapshot of generation g shows. Response caches and
        ETags key on that number. If an ingest commits in that instant (rare), try again;
        after three tries, the request is answered without sharing."""
        c = self._conn()
        conn = c.store.conn
        if c.depth:
            c.depth += 1
            try:
                yield c.generation
            finally:
                c.depth -= 1
            return
        generation: int | None = None
        try:
            for attempt in range(3):
                before = self.generation()
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM main.sqlite_master").fetchone()
                if self.generation() == before:
                    generation = before
                    break
                if attempt < 2:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("COMMIT")
            raise StoreError(f"reading {self.db} failed: {exc}") from exc
        c.depth, c.generation, c.derived = 1, generation, None
        try:
            yield generation
        finally:
            c.depth, c.generation, c.derived = 0, None, None
            # COMMIT even after an error: nothing is written; it ends the read.
            if conn.in_transaction:
                conn.execute("COMMIT")

    def derived(self) -> _Derived:
        """Fusion and control timelines for this request's snapshot, computed once per
        generation and shared by all threads; temp.fw_fused of this thread's connection
        is refilled when it holds another generation's."""
        with self.snapshot():
            c = self._conn()
            d = c.derived
            if d is None:
                with self._derive_lock:  # one thread computes, the others wait for it
                    shared = self._derived
                    if (c.generation is not None and shared is not None
                            and shared.generation == c.generation):
                        d = shared
                    else:
                        d = self._compute(c.generation)
                        if c.generation is not None and (
                                shared is None or shared.generation is None
                                or shared.generation < c.generation):
                            self._derived = d
                c.derived = d
            if c.fused_for is not d:
                self._fill(c, d)
            return d

    def _compute(self, generation: int | None) -> _Derived:
        store = self.store
        dups = store.duplicates()
        events = store.events()
        groups = fuse_events(events, dups)
        d = _Derived(generation)
        for g in groups:
            d.fused[g.fused_id] = g
            d.rows += [(r.event_id, g.fused_id, g.corroboration) for r in g.reports]
        d.timelines = timelines(events, store.claims(), dups)
        return d

    def _fill(self, c: _Conn, d: _Derived) -> None:
        conn = c.store.conn
        c.fused_for = None
        # Only TEMP is written (main is opened mode=ro); query_only is lifted for this
        # alone. A savepoint, not BEGIN: this runs inside the request's snapshot().
        conn.execute("PRAGMA query_only = OFF")
        try:
            conn.execute("SAVEPOINT fw_fused")
            try:
                conn.execute("DELETE FROM temp.fw_fused")
                conn.executemany("INSERT INTO temp.fw_fused VALUES (?, ?, ?)", d.rows)
            except BaseException:
                conn.execute("ROLLBACK TO fw_fused")
                conn.execute("RELEASE fw_fused")
                raise
            conn.execute("RELEASE fw_fused")
        finally:
            conn.execute("PRAGMA query_only = ON")
        c.fused_for = d

    # ------------------------------------------------------------------ events

    def count(self, q: Query) -> int:
        where, params = _where(q)
        with self.snapshot():
            self.derived()
            return int(self._rows("SELECT count(*) AS n" + _FROM + where, params)[0]["n"])

    def compact(self, q: Query) -> list[dict[str, object]]:
        sql, params = _page_sql(_COMPACT, q)
        with self.snapshot():
            self.derived()
            rows = self._rows(sql, params)
        return [dict(r) for r in rows]

    def rows(self, q: Query) -> tuple[list[str], list[tuple[object, ...]]]:
        """The compact view as column names and plain rows: the map's load of many
        thousand points, without a dict per event."""
        sql, params = _page_sql(_COMPACT, q)
        with self.snapshot():
            self.derived()
            cur = self.store.conn.execute(sql, params)
            cur.row_factory = None
            data = cur.fetchall()
            names = [d[0] for d in cur.description]
        return names, data

    def events(self, q: Query) -> list[tuple[Event, int, str | None]]:
        """(event, corroboration, fused id) for one page."""
        sql, params = _page_sql(_FULL, q)
        with self.snapshot():
            self.derived()
            return self._build(self._rows(sql, params))

    def iter_events(self, q: Query) -> Iterator[Event]:
        for ev, _, _ in self.events(q):
            yield ev

    def _build(self, rows: list[sqlite3.Row]) -> list[tuple[Event, int, str | None]]:
        ids = [r["event_id"] for r in rows]
        sources = self.store._sources("event_sources", "event_id", ids)
        places: dict[int, Place] = {}
        out = []
        for r in rows:
            ev = Event(
                **{c: r[c] for c in _EVENT_PLAIN},
                event_date=_date(r["event_date"]),
                location=_mention_from(r, _cached_place(places, r)),
                sources=sources.get(r["event_id"], ()),
            )
            out.append((ev, int(r["c_corroboration"]), r["c_fused_id"]))
        return out

    def event(self, event_id: str) -> tuple[Event, int, str | None] | None:
        sql = f"SELECT {_FULL}{_FROM} WHERE e.event_id = ?"
        with self.snapshot():
            self.derived()
            built = self._build(self._rows(sql, [event_id]))
        return built[0] if built else None

    def date_range(self) -> tuple[str | None, str | None]:
        with self.snapshot():
            row = self._rows("SELECT min(event_date) AS lo, max(event_date) AS hi FROM events")[0]
        return row["lo"], row["hi"]

    def distinct(self, col: str) -> list[str]:
        # `col` is one of our own column names, never a caller's.
        assert col in ("event_type", "sub_event_type", "side1", "movement", "modality")
        with self.snapshot():
            rows = self._rows(f"SELECT DISTINCT {col} AS v FROM events WHERE {col} IS NOT NULL "
                              f"ORDER BY {col}")
        return [r["v"] for r in rows]

    def histogram(self, q: Query) -> list[dict[str, object]]:
        """Events per day for the filter (the timeline's bars)."""
        where, params = _where(q)
        sql = ("SELECT e.event_date AS day, e.side1 AS side, count(*) AS n" + _FROM + where +
               (" AND" if where else " WHERE") + " e.event_date IS NOT NULL "
               "GROUP BY e.event_date, e.side1 ORDER BY e.event_date")
        with self.snapshot():
            self.derived()
            return [dict(r) for r in self._rows(sql, params)]

    # ------------------------------------------------------------------ fusion

    def group(self, fused_id: str | None) -> FusedEvent | None:
        if fused_id is None:
            return None
        return self.derived().fused.get(fused_id)

    def contradictions(self, ev: Event) -> list[tuple[Event, str]]:
        """Reports at the same place, on overlapping dates, that say otherwise."""
        wa = window(ev)
        if wa is None:
            return []
        q = Query(place=str(ev.location.place.geonameid), limit=1000)
        out: list[tuple[Event, str]] = []
        for other, _, _ in self.events(q):
            if other.event_id == ev.event_id:
                continue
            wb = window(other)
            if wb is None or not (wa[0] <= wb[1] and wb[0] <= wa[1]):
                continue
            why = _contradiction(ev, other)
            if why:
                out.append((other, why))
        return out

    # ------------------------------------------------------------------ places

    def places(self, text: str | None, kind: str | None,
               bbox: tuple[float, float, float, float] | None, limit: int, offset: int
               ) -> tuple[int, list[dict[str, object]]]:
        where: list[str] = []
        params: list[object] = []
        if text:
            _name_part(text, where, params)
        if kind:
            where.append("p.kind = ?")
            params.append(kind)
        if bbox is not None:
            _in_bbox(bbox, where, params)
        w_sql = (" WHERE " + " AND ".join(where)) if where else ""
        sql = ("SELECT p.geonameid, p.name, p.latitude, p.longitude, p.country, p.kind, "
               "p.admin1, p.admin1_code, p.population, "
               "(SELECT count(*) FROM events e WHERE e.geonameid = p.geonameid) AS events, "
               "(SELECT min(event_date) FROM events e WHERE e.geonameid = p.geonameid) "
               "AS first_event, "
               "(SELECT max(event_date) FROM events e WHERE e.geonameid = p.geonameid) "
               "AS last_event "
               f"FROM places p{w_sql} ORDER BY events DESC, p.name, p.geonameid "
               "LIMIT ? OFFSET ?")
        with self.snapshot():
            total = int(self._rows(f"SELECT count(*) AS n FROM places p{w_sql}", params)[0]["n"])
            rows = self._rows(sql, [*params, limit, offset])
        return total, [dict(r) for r in rows]

    def place(self, geonameid: int) -> dict[str, Any] | None:
        with self.snapshot():
            rows = self._rows("SELECT * FROM places WHERE geonameid = ?", [geonameid])
        return dict(rows[0]) if rows else None

    def timeline(self, geonameid: int) -> Timeline | None:
        for t in self.derived().timelines:
            if t.place.geonameid == geonameid:
                return t
        return None

    # ------------------------------------------------------------------ articles

    def article_page(self, limit: int, offset: int) -> tuple[int, list[dict[str, object]]]:
        """Stored articles, oldest ingested first, and how many there are."""
        with self.snapshot():
            total = int(self._rows("SELECT count(*) AS n FROM articles")[0]["n"])
            rows = self._rows(
                "SELECT id, name, title, url, outlet, published, language, ingested_at, "
                "duplicate_of FROM articles ORDER BY seq LIMIT ? OFFSET ?", [limit, offset])
        return total, [dict(r) for r in rows]

    def evidence_offsets(self, article_id: str) -> dict[str, tuple[int, int]]:
        """Each of an article's events: where its evidence starts and ends in the text."""
        with self.snapshot():
            rows = self._rows("SELECT event_id, evidence_start, evidence_end FROM events "
                              "WHERE article_id = ?", [article_id])
        return {r["event_id"]: (r["evidence_start"], r["evidence_end"]) for r in rows}

    # ------------------------------------------------------------------ search

    def search(self, text: str, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        match = fts_query(text)
        if match is None:
            return 0, []
        with self.snapshot():
            total = int(self._rows("SELECT count(*) AS n FROM articles_fts WHERE "
                                   "articles_fts MATCH ?", [match])[0]["n"])
            rows = self._rows(
                "SELECT a.id, a.name, a.title, a.outlet, a.published, a.url, "
                "snippet(articles_fts, 2, char(2), char(3), '…', 24) AS snip, "
                "bm25(articles_fts) AS score "
                "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                [match, limit, offset],
            )
        out = []
        for r in rows:
            rec = dict(r)
            rec["snippet"] = snippet_segments(rec.pop("snip") or "")
            out.append(rec)
        return total, out


def _contradiction(a: Event, b: Event) -> str | None:
    if a.sub_event_type == b.sub_event_type and (a.modality == "denied") != (
            b.modality == "denied"):
        return "denied" if b.modality == "denied" else "reported, though this report denies it"
    ma, mb = a.movement, b.movement
    if ma == "capture" and mb == "capture" and a.side1 != b.side1:
        return "both sides claim the capture"
    if {ma, mb} == {"capture", "hold"} and a.side1 != b.side1:
        return "capture reported while the other side reports holding"
    if ma == "capture" and mb == "withdraw" and a.side1 == b.side1:
        return "capture reported while the same side reports withdrawing"
    if mb == "capture" and ma == "withdraw" and a.side1 == b.side1:
        return "withdrawal reported while the same side reports a capture"
    return None


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query: each word a quoted string (no operators, no
    column filters, no syntax errors), all required, the last one as a prefix."""
    words = _search_words(text)
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def snippet_segments(snip: str) -> list[dict[str, object]]:
    """FTS5's snippet, hits marked by \\x02..\\x03, as [{text, hit}] for the page to turn
    into text nodes and <mark> elements (never markup)."""
    out: list[dict[str, object]] = []
    rest = snip
    while rest:
        start = rest.find("\x02")
        if start < 0:
            out.append({"text": rest, "hit": False})
            break
        if start:
            out.append({"text": rest[:start], "hit": False})
        end = rest.find("\x03", start)
        if end < 0:
            end = len(rest)
        out.append({"text": rest[start + 1:end], "hit": True})
        rest = rest[end + 1:]
    return out


def event_json(ev: Event, corroboration: int, fused_id: str | None) -> dict[str, object]:
    rec = event_to_dict(ev)
    rec["corroboration"] = corroboration
    rec["fused_id"] = fused_id
    return rec


def timeline_json(t: Timeline) -> dict[str, object]:
    p = t.place
    return {
        "geonameid": p.geonameid, "name": p.name, "latitude": p.latitude,
        "longitude": p.longitude, "admin1": p.admin1, "country": p.country,
        "intervals": [
            {
                "holder": iv.holder,
                "from": iv.start.isoformat() if iv.start else None,
                "to": iv.end.isoformat() if iv.end else None,
                "status": iv.status,
                "sources": [source_to_dict(s) for s in iv.sources],
                "evidence": [{"article_id": o.article_id, "date": o.day.isoformat(),
                              "kind": o.kind, "text": o.evidence} for o in iv.evidence],
            }
            for iv in t.intervals
        ],
    }
