"""The read-only HTTP API and the map page (FastAPI on uvicorn).

`create_app(db)` builds the application; `frontwatch serve` runs it. JSON lives under
/api/, the page at /, its built assets under /static/, the OpenAPI document at
/openapi.json and a Swagger UI served from local files at /docs. Nothing the browser
loads comes from another host (unless `--tiles` names a tile server).

Article text, titles and source names are untrusted: the API returns them as JSON
strings (never markup), and every response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ConfigError, FrontwatchError, NotFoundError, StoreError
from ..export import source_to_dict, write_events
from ..records import AFFILIATIONS, MODALITIES, MOVEMENTS, SIDES
from ..report import render, render_directions
from ..store.common import _place_needle
from . import basemap
from .cache import DEFAULT_MAX_BYTES, Cached, Key, ResponseCache, canonical_query
from .queries import (
    MAX_COMPACT_PAGE,
    MAX_EXPORT,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
    QueryError,
    Reader,
    event_json,
    parse_bbox,
    timeline_json,
)
from .queries import Query as EventQuery

# The built page (web/build.mjs writes it); FRONTWATCH_WEB_DIST overrides.
WEB_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id is a 422, not an overflow
API_CACHE = "no-cache"  # always revalidate; the ETag makes that a cheap 304
# Set by `consistent` routes for _Http (the generation their snapshot showed); never sent.
GENERATION_HEADER = "x-frontwatch-generation"
_GENERATION = GENERATION_HEADER.encode()
STATIC_CACHE = "public, max-age=3600"

P = ParamSpec("P")
Side = Literal["russia", "ukraine", "other"]
Movement = Literal["advance", "hold", "stalled", "withdraw", "capture"]
Modality = Literal["reported", "claimed", "assessed", "denied"]
Sort = Literal["date", "-date", "corroboration", "-corroboration", "place", "fatalities"]
Text = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)]


def event_query(
    bbox: Annotated[str | None, Query(max_length=100,
                                      description="west,south,east,north")] = None,
    place: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS,
                                       description="GeoNames id or name/oblast part")
                     ] = None,
    side: Side | None = None,
    type: Text = None,
    movement: Movement | None = None,
    modality: Modality | None = None,
    since: date | None = None,
    until: date | None = None,
    source: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS,
                                        description="source name part or affiliation")
                      ] = None,
    min_corroboration: Annotated[int | None, Query(ge=1, le=1000)] = None,
    article: Annotated[str | None, Query(max_length=64)] = None,
    sort: Sort = "date",
) -> EventQuery:
    return EventQuery(bbox=parse_bbox(bbox), place=place, side=side, type=type,
                      movement=movement, modality=modality, since=since, until=until,
                      source=source, min_corroboration=min_corroboration,
                      article=article, sort=sort)

Filter = Annotated[EventQuery, Depends(event_query)]

def paged(q: EventQuery, limit: int, offset: int) -> EventQuery:
    return replace(q, limit=limit, offset=offset)


def check_tiles(url: str | None) -> str | None:
    """A tile URL template (http/https with {z}, {x} and {y}), or an error."""
    if url is None or not url.strip():
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"--tiles must be an http(s) URL, not {url!r}")
    if not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ConfigError("--tiles needs {z}, {x} and {y} placeholders")
    return url


def _csp(tiles: str | None, docs: bool = False) -> str:
    img = "'self' data:"
    if tiles:
        p = urlsplit(tiles)
        # Placeholders may stand in the host ({s}.tile.example): allow the scheme then.
        img += f" {p.scheme}:" if "{" in p.netloc else f" {p.scheme}://{p.netloc}"
    style = "'self' 'unsafe-inline'" if docs else "'self'"
    return ("default-src 'none'; script-src 'self'; "
            f"style-src {style}; img-src {img}; font-src 'self'; connect-src 'self'; "
            "manifest-src 'self'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'; object-src 'none'")


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body.encode("utf-8"), status_code=status, media_type="application/json")


def _error(status: int, kind: str, detail: str) -> Response:
    return _json({"error": kind, "detail": detail}, status)


class _Http:
    """Security headers on every response; for API GETs, ETags, 304s and the response
    cache. Plain ASGI rather than @app.middleware("http"), which runs each response
    through extra tasks and streams: measurable at hundreds of requests a second.

    An API answer's ETag and cache key hold the generation of the snapshot it was built
    from (the GENERATION_HEADER its route sets, removed here), so a stored body is only
    ever served again while the database is unchanged. A route without the header (no
    database reads, e.g. /api/basemap) is tagged with the generation at arrival; an
    answer whose snapshot generation could not be told gets neither ETag nor cache."""

    def __init__(self, app: ASGIApp, *, reader: Reader, cache: ResponseCache,
                 page_csp: str, docs_csp: str) -> None:
        self.app = app
        self.reader = reader
        self.cache = cache
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        self.page_headers = [(b"content-security-policy", page_csp.encode()), *common]
        self.docs_headers = [(b"content-security-policy", docs_csp.encode()), *common]
        # Answers being built, by cache key; only touched on the event loop's thread.
        self.building: dict[Key, asyncio.Event] = {}

    def _security(self, path: str) -> list[tuple[bytes, bytes]]:
        return self.docs_headers if path == "/docs" else self.page_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        if not (path.startswith("/api/") and method in ("GET", "HEAD")):
            await self._other(scope, receive, send, path)
            return
        request = Headers(scope=scope)
        # The report carries today's date: a new day is a new answer.
        day = date.today().isoformat()
        query = canonical_query(scope.get("query_string", b""))
        arrival = self.reader.generation()

        def etag(generation: int) -> bytes:
            basis = f"{self.reader.token}:{generation}:{day}:{path}?{query}".encode()
            return b'W/"' + hashlib.sha1(basis).hexdigest()[:20].encode() + b'"'

        if etag(arrival).decode() in request.get("if-none-match", ""):
            await send({"type": "http.response.start", "status": 304, "headers": [
                *self._security(path), (b"etag", etag(arrival)),
                (b"cache-control", API_CACHE.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        gzip_ok = "gzip" in request.get("accept-encoding", "")
        key: Key = (arrival, day, method, path, query, gzip_ok)
        hit = self.cache.get(key)
        building = self.building.get(key)
        if hit is None and building is not None:
            # The same answer is being built: wait for it rather than build it again
            # (at start-up, or after an ingest, many clients ask for the map at once).
            await building.wait()
            hit = self.cache.get(key)
        if hit is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": list(hit.headers)})
            await send({"type": "http.response.body", "body": hit.body})
            return
        done = asyncio.Event()
        self.building.setdefault(key, done)
        try:
            await self._build(scope, receive, send, key, arrival, etag)
        finally:
            if self.building.get(key) is done:
                del self.building[key]
            done.set()

    async def _build(self, scope: Scope, receive: Receive, send: Send, key: Key,
                     arrival: int, etag: Callable[[int], bytes]) -> None:
        path: str = scope["path"]

        keep: list[bytes] | None = None  # the body so far, while it may be cached
        size = 0
        start: dict[str, Any] = {}

        async def capture(message: Message) -> None:
            nonlocal keep, size
            if message["type"] == "http.response.start":
                status: int = message["status"]
                headers: list[tuple[bytes, bytes]] = []
                tags: list[bytes] = []
                for k, v in message.get("headers", []):
                    name = k.lower()
                    if name == _GENERATION:
                        tags.append(v)
                    elif name != b"cache-control":
                        headers.append((k, v))
                generation = (arrival if not tags else
                              None if tags[0] == b"-" else int(tags[0]))
                headers += self._security(path)
                headers.append((b"cache-control", API_CACHE.encode()))
                if status == 200 and generation is not None:
                    headers.append((b"etag", etag(generation)))
                    if generation == arrival:
                        keep = []
                message = {**message, "headers": headers}
                start.update(message)
            elif message["type"] == "http.response.body" and keep is not None:
                chunk: bytes = message.get("body", b"")
                size += len(chunk)
                if size > self.cache.max_entry:
                    keep = None
                else:
                    keep.append(chunk)
                    if not message.get("more_body", False):
                        self.cache.put(key, Cached(start["status"],
                                                   tuple(start["headers"]), b"".join(keep)))
                        keep = None
            await send(message)

        await self.app(scope, receive, capture)

    async def _other(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != _GENERATION]
                headers += self._security(path)
                if path.startswith("/static/"):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", STATIC_CACHE.encode()))
                elif not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-cache"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add_headers)


def create_app(db: str, *, tiles: str | None = None, web_dir: Path | None = None,
               cache_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    """The application over the database at `db`, opened read-only."""
    tiles = check_tiles(tiles)
    reader = Reader(db)
    dist = web_dir or Path(os.environ.get("FRONTWATCH_WEB_DIST") or WEB_DIST)
    app = FastAPI(
        title="frontwatch",
        version="1",
        summary="Sourced, geocoded conflict events: read-only JSON API.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.reader = reader
    cache = ResponseCache(cache_bytes)
    app.state.cache = cache

    def consistent(handler: Callable[P, Response]) -> Callable[P, Response]:
        """Run a database route inside one read transaction (`Reader.snapshot`) and tag
        its response with the snapshot's generation, for the ETag and the response cache
        (`_Http`). Not a dependency: FastAPI may enter and leave a sync dependency on
        different threads, and the snapshot belongs to the thread's connection."""
        @functools.wraps(handler)
        def run(*args: P.args, **kwargs: P.kwargs) -> Response:
            with reader.snapshot() as generation:
                response = handler(*args, **kwargs)
            response.headers[GENERATION_HEADER] = ("-" if generation is None
                                                   else str(generation))
            return response
        return run

    # Added after GZip, so outside it: cached bodies are already compressed.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)
    app.add_middleware(_Http, reader=reader, cache=cache, page_csp=_csp(tiles),
                       docs_csp=_csp(tiles, docs=True))

    @app.exception_handler(FrontwatchError)
    async def frontwatch_error(request: Request, exc: FrontwatchError) -> Response:
        if isinstance(exc, NotFoundError):
            return _error(404, "not_found", str(exc))
        if isinstance(exc, ConfigError):  # QueryError, FormatError
            return _error(400, "bad_request", str(exc))
        if isinstance(exc, StoreError):
            return _error(503, "store_unavailable", str(exc))
        return _error(500, "error", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                    for e in exc.errors()]
        return _json({"error": "invalid_parameter", "detail": problems}, 422)

    # ------------------------------------------------------------------ API

    @app.get("/api/meta", tags=["meta"])
    @consistent
    def meta() -> Response:
        """What the database holds: counts, date range and the filter vocabularies."""
        counts = reader.store.counts()
        lo, hi = reader.date_range()
        body = {
            "counts": counts, "first_date": lo, "last_date": hi,
            "sides": list(SIDES), "movements": list(MOVEMENTS),
            "modalities": list(MODALITIES), "affiliations": list(AFFILIATIONS),
            "event_types": reader.distinct("event_type"),
            "sub_event_types": reader.distinct("sub_event_type"),
            "sorts": list(SORTS), "tiles": tiles,
            "max_page": MAX_PAGE, "max_compact_page": MAX_COMPACT_PAGE,
        }
        return _json(body)

    @app.get("/api/events", tags=["events"])
    @consistent
    def events(
        q: Filter,
        limit: Annotated[int, Query(ge=0, le=MAX_COMPACT_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        view: Literal["full", "compact", "rows"] = "full",
    ) -> Response:
        """Events matching the filter, one page at a time. `view=compact` gives map points
        (up to 20,000 a page); `view=rows` the same as `columns` plus one array per event
        (smaller, for the map); `full` gives whole records with sources and evidence
        (up to 500 a page)."""
        if view == "full" and limit > MAX_PAGE:
            raise QueryError(f"limit is at most {MAX_PAGE} with view=full")
        page = paged(q, limit, offset)
        total = reader.count(page)
        if view == "rows":
            columns, rows = reader.rows(page)
            return _json({"total": total, "limit": limit, "offset": offset,
                          "columns": columns, "rows": rows})
        if view == "compact":
            items: list[dict[str, object]] = reader.compact(page)
        else:
            items = [event_json(*t) for t in reader.events(page)]
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/events/{event_id}", tags=["events"])
    @consistent
    def event(event_id: Annotated[str, PathParam(max_length=64)]) -> Response:
        """One event: its record, the fused event it belongs to with every report and
        its evidence and sources, the article text around its evidence, and reports that
        contradict it."""
        found = reader.event(event_id)
        if found is None:
            raise NotFoundError(f"no event {event_id!r}")
        ev, corr, fid = found
        group = reader.group(fid)
        # Reports share articles (the event's own among them): read each one once.
        get_article = functools.cache(reader.store.get_article)
        reports = []
        for r in (group.reports if group else (ev,)):
            stored = get_article(r.article_id)
            art = stored.article if stored else None
            reports.append({
                "event_id": r.event_id, "article_id": r.article_id, "article": r.article,
                "title": art.title if art else None, "outlet": art.outlet if art else None,
                "url": art.url if art else None,
                "published": art.published.isoformat() if art and art.published else None,
                "event_date": r.event_date.isoformat() if r.event_date else None,
                "modality": r.modality, "movement": r.movement, "evidence": r.evidence,
                "evidence_start": r.evidence_start, "evidence_end": r.evidence_end,
                "sources": [source_to_dict(s) for s in r.sources],
            })
        stored = get_article(ev.article_id)
        article = None
        if stored is not None:
            a = stored.article
            article = {"id": a.id, "name": a.name, "title": a.title, "url": a.url,
                       "outlet": a.outlet,
                       "published": a.published.isoformat() if a.published else None,
                       "text": stored.cleaned.text}
        body = {
            "event": event_json(ev, corr, fid),
            "fused": None if group is None else {
                "fused_id": group.fused_id, "corroboration": group.corroboration,
                "date_from": group.date_from.isoformat() if group.date_from else None,
                "date_to": group.date_to.isoformat() if group.date_to else None,
                "sources": [source_to_dict(s) for s in group.sources],
            },
            "reports": reports,
            "article": article,
            "contradictions": [
                {"event_id": o.event_id, "reason": why, "article": o.article,
                 "event_date": o.event_date.isoformat() if o.event_date else None,
                 "side1": o.side1, "movement": o.movement, "modality": o.modality,
                 "evidence": o.evidence, "sources": [source_to_dict(s) for s in o.sources]}
                for o, why in reader.contradictions(ev)
            ],
        }
        return _json(body)

    @app.get("/api/histogram", tags=["events"])
    @consistent
    def histogram(q: Filter) -> Response:
        """Events per day and initiating side for the filter (the page's timeline)."""
        return _json({"days": reader.histogram(q)})

    @app.get("/api/places", tags=["places"])
    @consistent
    def places(
        q: Text = None,
        kind: Literal["settlement", "region", "country"] | None = None,
        bbox: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=0, le=5000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> Response:
        """Places the database knows, busiest first, with their event counts."""
        total, items = reader.places(q, kind, parse_bbox(bbox), limit, offset)
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/places/{geonameid}", tags=["places"])
    @consistent
    def place(geonameid: Annotated[int, PathParam(ge=0, le=MAX_ID)]) -> Response:
        """One place, its control timeline and its latest events."""
        p = reader.place(geonameid)
        if p is None:
            raise NotFoundError(f"no place {geonameid}")
        t = reader.timeline(geonameid)
        recent = reader.compact(EventQuery(place=str(geonameid), sort="-date", limit=200))
        return _json({"place": p, "timeline": None if t is None else timeline_json(t),
                      "events": recent})

    @app.get("/api/control", tags=["control"])
    @consistent
    def control(as_of: date | None = None, place: Text = None) -> Response:
        """Who held each settlement on `as_of` (with the interval, status and sources),
        or every settlement's whole timeline when no date is given."""
        tls = reader.derived().timelines
        if place:
            gid, needle = _place_needle(place)
            tls = [t for t in tls if (t.place.geonameid == gid if gid is not None
                                      else needle in t.place.name.casefold())]
        if as_of is None:
            return _json({"as_of": None, "timelines": [timeline_json(t) for t in tls]})
        items = []
        for t in tls:
            for iv in t.intervals:
                if (iv.start is None or iv.start <= as_of) and (iv.end is None or
                                                                as_of <= iv.end):
                    p = t.place
                    items.append({
                        "geonameid": p.geonameid, "name": p.name, "latitude": p.latitude,
                        "longitude": p.longitude, "admin1": p.admin1, "holder": iv.holder,
                        "status": iv.status,
                        "from": iv.start.isoformat() if iv.start else None,
                        "to": iv.end.isoformat() if iv.end else None,
                        "sources": [source_to_dict(s) for s in iv.sources]})
                    break
        return _json({"as_of": as_of.isoformat(), "items": items})

    @app.get("/api/articles", tags=["articles"])
    @consistent
    def articles(limit: Annotated[int, Query(ge=0, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
        """Stored articles, oldest ingested first."""
        total, items = reader.article_page(limit, offset)
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/articles/{article_id}", tags=["articles"])
    @consistent
    def article(article_id: Annotated[str, PathParam(max_length=200)]) -> Response:
        """An article's cleaned text, what cleaning removed and why, and its events."""
        stored = reader.store.get_article(article_id)
        if stored is None:
            raise NotFoundError(f"no article {article_id!r}")
        a = stored.article
        evs = reader.compact(EventQuery(article=a.id, limit=MAX_PAGE))
        offsets = reader.evidence_offsets(a.id)
        for e in evs:
            e["evidence_start"], e["evidence_end"] = offsets[str(e["event_id"])]
        return _json({
            "id": a.id, "name": a.name, "title": a.title, "url": a.url, "outlet": a.outlet,
            "published": a.published.isoformat() if a.published else None,
            "language": a.language, "ingested_at": stored.ingested_at,
            "text": stored.cleaned.text,
            "removed": [{"start": r.start, "end": r.end, "text": r.text, "reason": r.reason}
                        for r in stored.cleaned.removed],
            "events": evs,
        })

    @app.get("/api/search", tags=["articles"])
    @consistent
    def search(q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)],
               limit: Annotated[int, Query(ge=0, le=100)] = 20,
               offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> Response:
        """Full-text search over articles (SQLite FTS5). Words are matched as words, all
        of them, the last as a prefix; `snippet` is a list of {text, hit} segments."""
        total, items = reader.search(q, limit, offset)
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/report", tags=["report"], response_class=PlainTextResponse)
    @consistent
    def report(q: Filter, by: Literal["place", "direction"] = "place") -> Response:
        """The situation report in Markdown for the filter, every statement cited."""
        evs = list(reader.iter_events(paged(q, MAX_EXPORT, 0)))
        if by == "direction":
            text = render_directions(evs, generated=date.today())
        else:
            claims = reader.store.claims()
            text = render(evs, claims, generated=date.today())
        return Response(text, media_type="text/markdown; charset=utf-8")

    @app.get("/api/export", tags=["export"])
    @consistent
    def export(q: Filter,
               format: Literal["acled-csv", "geojson", "jsonl"] = "geojson") -> Response:
        """The filtered events (up to 100,000) as ACLED CSV, GeoJSON or JSON Lines."""
        buf = io.StringIO()
        write_events(reader.iter_events(paged(q, MAX_EXPORT, 0)), format, buf)
        media, ext = {"acled-csv": ("text/csv; charset=utf-8", "csv"),
                      "geojson": ("application/geo+json", "geojson"),
                      "jsonl": ("application/x-ndjson", "jsonl")}[format]
        return Response(buf.getvalue(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="frontwatch-events.{ext}"'})

    @app.get("/api/basemap", tags=["meta"])
    def basemap_labels() -> Response:
        """Offline basemap labels: oblast points and the larger settlements."""
        return _json({"admin": basemap.admin_points(), "settlements":
                      basemap.settlement_labels()})

    # ------------------------------------------------------------------ page and docs

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    def built_page(name: str, missing: str) -> Response:
        page = dist / name
        if not page.is_file():
            return PlainTextResponse(missing, status_code=503)
        return FileResponse(page, media_type="text/html; charset=utf-8")

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def docs() -> Response:
        return built_page("docs.html", "API docs not built: run `make web`; the OpenAPI "
                                       "document is at /openapi.json")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        return built_page("index.html", "web page not built: run `make web` (npm ci and "
                                        "node web/build.mjs)")

    if dist.is_dir():
        app.mount("/static", StaticFiles(directory=dist), name="static")
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, tiles: str | None = None) -> None:
    import uvicorn

    app = create_app(db, tiles=tiles)
    uvicorn.run(app, host=host, port=port, log_level="warning")
