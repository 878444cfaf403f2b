"""Polite, bounded HTTP for `frontwatch fetch` and `frontwatch follow`.

Two layers. A `Fetcher` is the transport: it sends one GET and hands back the status,
headers and a body to read; `UrllibFetcher` is the real one (standard library only) and
`MemoryFetcher` serves canned responses to unit tests. A `Client` holds every policy on
top of either, so the tests exercise exactly the code that runs against the web:

- only http and https URLs, normalised (`normalise_url`);
- robots.txt obeyed (RFC 9309: a 4xx robots.txt allows everything, an unreachable one
  disallows everything), with its Crawl-delay;
- a delay between two requests to one host (`fetch_host_delay`);
- a timeout per connect / read, and 4× that for a whole response;
- a bound on the body (`fetch_max_bytes`), checked against Content-Length before reading
  and while reading, and again after decompression;
- redirects followed by hand, at most `fetch_max_redirects`, loops detected;
- retries with exponential backoff on timeouts, connection errors, 429 and 5xx;
- pages must be HTML (checked on the Content-Type before the body is read);
- conditional requests (If-None-Match / If-Modified-Since) when validators are given.

Every refusal or failure is a `FetchError` whose `reason` says why in one line. Sleeps
go through a `threading.Event`, so a stop request ends them at once.
"""

from __future__ import annotations

import codecs
import contextlib
import http.client
import ipaddress
import logging
import re
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Literal, Protocol

from .encoding import decode_bytes
from .errors import FetchError
from .settings import Settings

log = logging.getLogger(__name__)

Kind = Literal["page", "feed", "robots"]

SCHEMES: frozenset[str] = frozenset({"http", "https"})
HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES: frozenset[int] = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
# A whole response (headers and body) gets this many times the per-read timeout.
RESPONSE_DEADLINE_FACTOR = 4.0
# Longest wait honoured from Retry-After or robots.txt Crawl-delay, in seconds.
MAX_SERVER_DELAY = 60.0
# How long a robots.txt is trusted before it is read again (RFC 9309 allows 24 h).
ROBOTS_TTL = 3600.0
# Query parameters that only track the reader; dropping them makes one URL of many.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {"gclid", "fbclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid", "ocid"}
)
_CHUNK = 64 * 1024
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
# WHATWG: browsers read these labels as windows-1252; so do the pages that declare them.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252"}


# ------------------------------------------------------------------------- URLs


def _tracking(param: str) -> bool:
    key = urllib.parse.unquote_plus(param.split("=", 1)[0]).lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def normalise_url(url: str) -> str:
    """The one form of a URL used for fetching and for "seen before?".

    Lower-case scheme and host (IDNA for non-ASCII hosts), no default port, no fragment,
    no tracking parameters (utm_*, gclid, fbclid, ...), dot segments resolved, an empty
    path as "/", spaces and non-ASCII characters percent-encoded. The rest of the query
    keeps its order and spelling. Raises FetchError for anything but an http(s) URL with
    a host, and for URLs carrying credentials (they would end up in logs).
    """
    raw = url.strip()
    try:
        parts = urllib.parse.urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise FetchError(raw, f"not a valid URL ({exc})", "url") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = repr(scheme) if scheme else "none"
        raise FetchError(raw, f"unsupported URL scheme ({shown}); only http and https",
                         "scheme")
    host = parts.hostname or ""
    if not host:
        raise FetchError(raw, "URL has no host", "url")
    if parts.username is not None or parts.password is not None:
        raise FetchError(raw.split("@")[-1], "URLs with credentials are not fetched", "url")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise FetchError(raw, f"invalid host name ({exc})", "url") from exc
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        netloc += f":{port}"
    path = parts.path or "/"
    if "/." in path:
        path = urllib.parse.urlsplit(urllib.parse.urljoin(f"{scheme}://h/", path)).path
    path = urllib.parse.quote(path, safe="/%:@!$&'()*+,;=-._~")
    query = "&".join(p for p in parts.query.split("&") if p and not _tracking(p))
    query = urllib.parse.quote(query, safe="=&%:@!$'()*+,;/?-._~")
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The politeness key of a URL: its host and port."""
    return urllib.parse.urlsplit(url).netloc


def origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# -------------------------------------------------------------------- transport


class TransportError(Exception):
    """The request got no HTTP response (DNS, refused connection, reset, TLS).
    `transient` is False where trying again cannot help (a bad certificate)."""

    def __init__(self, message: str, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class TransportTimeout(TransportError):
    """Connecting or reading took longer than the timeout."""


class RawResponse(Protocol):
    """An HTTP response whose body has not been read yet."""

    @property
    def status(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> Mapping[str, str]:  # lower-case names
        ...

    def read(self, n: int) -> bytes:
        """Up to `n` bytes of the body (fewer when that is what has arrived); b"" at
        the end. Raises TransportTimeout / TransportError."""
        ...

    def close(self) -> None: ...


class Fetcher(Protocol):
    """One GET, no redirects followed, nothing decoded."""

    def open(self, url: str, headers: Mapping[str, str], timeout: float) -> RawResponse: ...


def _lower_headers(msg: Message | Mapping[str, str] | None) -> dict[str, str]:
    if msg is None:
        return {}
    return {k.lower(): v for k, v in msg.items()}


@dataclass(slots=True)
class _UrllibResponse:
    status: int
    url: str
    headers: dict[str, str]
    _fp: object

    def read(self, n: int) -> bytes:
        reader = getattr(self._fp, "read1", None) or getattr(self._fp, "read", None)
        if reader is None:
            return b""
        try:
            data = reader(n)
        except TimeoutError as exc:
            raise TransportTimeout("read timed out") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(f"read failed: {exc}") from exc
        return bytes(data)

    def close(self) -> None:
        closer = getattr(self._fp, "close", None)
        if closer is not None:
            with contextlib.suppress(Exception):
                closer()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to the Client, which follows redirects itself."""

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str,
                         headers: Message, newurl: str) -> None:
        return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class UrllibFetcher:
    """The real transport, on urllib.request with only the HTTP(S) handlers installed
    (no file:, ftp: or data:). Proxies come from the environment, except for loopback."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        context = ssl_context or ssl.create_default_context()
        self._proxied = self._opener(context, proxies=None)
        self._direct = self._opener(context, proxies={})

    @staticmethod
    def _opener(context: ssl.SSLContext,
                proxies: dict[str, str] | None) -> urllib.request.OpenerDirector:
        opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(proxies),
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(context=context),
            _NoRedirect(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            opener.add_handler(handler)
        return opener

    def open(self, url: str, headers: Mapping[str, str], timeout: float) -> RawResponse:
        request = urllib.request.Request(url, headers=dict(headers), method="GET")
        host = urllib.parse.urlsplit(url).hostname or ""
        opener = self._direct if _is_loopback(host) else self._proxied
        try:
            resp = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:  # any status but 2xx, the body still readable
            return _UrllibResponse(exc.code, url, _lower_headers(exc.headers), exc.fp)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TransportTimeout("timed out") from exc
            bad_cert = isinstance(exc.reason, ssl.SSLCertVerificationError)
            raise TransportError(str(exc.reason), transient=not bad_cert) from exc
        except TimeoutError as exc:
            raise TransportTimeout("timed out") from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc
        return _UrllibResponse(resp.status, url, _lower_headers(resp.headers), resp)


# ------------------------------------------------------------ in-memory transport


@dataclass(frozen=True, slots=True)
class Route:
    """A canned response. `timeout=True` makes the request time out instead."""

    body: bytes | str = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: bool = False
    error: str | None = None  # a transport error (connection refused, ...) with this text


@dataclass(slots=True)
class _MemoryResponse:
    status: int
    url: str
    headers: dict[str, str]
    _body: bytes
    _pos: int = 0

    def read(self, n: int) -> bytes:
        chunk = self._body[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk

    def close(self) -> None:
        self._pos = len(self._body)


class MemoryFetcher:
    """Serves `routes` (URL → Route, or a callable taking the request headers and
    giving a Route); anything else is a 404. Every request is kept in `requests`."""

    def __init__(
        self,
        routes: Mapping[str, Route | Callable[[Mapping[str, str]], Route]] | None = None,
    ) -> None:
        self.routes: dict[str, Route | Callable[[Mapping[str, str]], Route]] = dict(
            routes or {}
        )
        self.requests: list[tuple[str, dict[str, str]]] = []

    def count(self, url: str) -> int:
        return sum(1 for u, _ in self.requests if u == url)

    def open(self, url: str, headers: Mapping[str, str], timeout: float) -> RawResponse:
        self.requests.append((url, dict(headers)))
        route = self.routes.get(url, Route(b"not found", status=404))
        if callable(route):
            route = route(headers)
        if route.timeout:
            raise TransportTimeout("timed out")
        if route.error is not None:
            raise TransportError(route.error)
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
        return _MemoryResponse(route.status, url, _lower_headers(route.headers), body)


# ------------------------------------------------------------------------ client


@dataclass(frozen=True, slots=True)
class Response:
    """A final (non-redirect) response: 200 with its body, or 304 without one."""

    url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    redirects: tuple[str, ...] = ()  # the URLs left, in order

    @property
    def charset(self) -> str | None:
        match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)",
                          self.headers.get("content-type", ""), re.I)
        return match.group(1) if match else None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified") or None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# The defaults are the Settings' own, so there is one place to change them.
_DEFAULTS = Settings()


@dataclass(frozen=True, slots=True)
class Policy:
    timeout: float = _DEFAULTS.fetch_timeout
    max_bytes: int = _DEFAULTS.fetch_max_bytes
    max_redirects: int = _DEFAULTS.fetch_max_redirects
    retries: int = _DEFAULTS.fetch_retries
    backoff: float = _DEFAULTS.fetch_backoff
    host_delay: float = _DEFAULTS.fetch_host_delay
    user_agent: str = _DEFAULTS.user_agent

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects,
            retries=settings.fetch_retries,
            backoff=settings.fetch_backoff,
            host_delay=settings.fetch_host_delay,
            user_agent=settings.user_agent,
        )


class _Transient(Exception):
    """A failure worth another attempt (timeout, connection error, 429, 5xx)."""

    def __init__(self, reason: str, kind: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


TRANSIENT_KINDS: frozenset[str] = frozenset({"timeout", "network", "http-retry"})


def is_transient(exc: FetchError) -> bool:
    """Whether the same URL may well work later (timeouts, 5xx), as opposed to a refusal."""
    return exc.kind in TRANSIENT_KINDS


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), MAX_SERVER_DELAY)
    return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:1024]


@dataclass(slots=True)
class _RobotsEntry:
    parser: urllib.robotparser.RobotFileParser
    fetched: float
    crawl_delay: float = 0.0


class Client:
    """Fetches URLs under the policy described in the module docstring."""

    def __init__(
        self,
        fetcher: Fetcher | None = None,
        policy: Policy | None = None,
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self.fetcher: Fetcher = fetcher if fetcher is not None else UrllibFetcher()
        self.policy = policy or Policy()
        self.stop = stop or threading.Event()
        self._clock = clock
        # Returns True when the wait was cut short; by default a wait on `stop`.
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, _RobotsEntry] = {}

    @classmethod
    def from_settings(cls, settings: Settings, fetcher: Fetcher | None = None,
                      stop: threading.Event | None = None) -> Client:
        return cls(fetcher, Policy.from_settings(settings), stop=stop)

    # ---------------------------------------------------------------- waiting

    def _wait(self, seconds: float, url: str, why: str) -> None:
        if seconds <= 0:
            return
        log.debug("%s: waiting %.2fs (%s)", url, seconds, why)
        stopped = self._sleep(seconds) if self._sleep else self.stop.wait(seconds)
        if stopped or self.stop.is_set():
            raise FetchError(url, "stopped before the request was sent", "stopped")

    def _throttle(self, url: str) -> None:
        host = host_of(url)
        robots = self._robots.get(origin_of(url))
        delay = max(self.policy.host_delay, robots.crawl_delay if robots else 0.0)
        last = self._last_request.get(host)
        if last is not None:
            self._wait(last + delay - self._clock(), url, f"politeness delay for {host}")
        if self.stop.is_set():
            raise FetchError(url, "stopped before the request was sent", "stopped")
        self._last_request[host] = self._clock()

    # ---------------------------------------------------------------- robots

    def _load_robots(self, origin: str) -> _RobotsEntry:
        robots_url = origin + "/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self.get(robots_url, kind="robots")
        except FetchError as exc:
            if exc.kind == "stopped":
                raise
            if exc.status is not None and 400 <= exc.status < 500:
                # RFC 9309 §2.3.1.3: an unavailable robots.txt allows everything.
                parser.parse([])
            else:
                # §2.3.1.4: an unreachable one means everything is disallowed.
                log.warning("%s: robots.txt unreachable (%s); treating the host as "
                            "disallowed until it can be read", origin, exc.reason)
                parser.parse(["User-agent: *", "Disallow: /"])
            return _RobotsEntry(parser, self._clock())
        text = resp.body.decode("utf-8", "replace")
        parser.parse(text.splitlines())
        agent = self.policy.user_agent
        delay = parser.crawl_delay(agent)
        crawl_delay = min(float(delay), MAX_SERVER_DELAY) if delay else 0.0
        return _RobotsEntry(parser, self._clock(), crawl_delay)

    def robots_allow(self, url: str) -> bool:
        origin = origin_of(url)
        entry = self._robots.get(origin)
        if entry is None or self._clock() - entry.fetched > ROBOTS_TTL:
            entry = self._robots[origin] = self._load_robots(origin)
        return entry.parser.can_fetch(self.policy.user_agent, url)

    def _check_robots(self, url: str) -> None:
        if not self.robots_allow(url):
            agent = self.policy.user_agent.split("/")[0]
            raise FetchError(url, f"disallowed by {origin_of(url)}/robots.txt for "
                             f"user agent {agent!r}", "robots")

    # ---------------------------------------------------------------- fetching

    def get(
        self,
        url: str,
        kind: Kind = "page",
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET `url`, following redirects: a 200 with its body or, when validators were
        given and the server says so, a 304. Raises FetchError with the reason."""
        start = normalise_url(url)
        current = start
        chain = [start]
        headers = self._headers(kind, etag, last_modified)
        while True:
            if kind != "robots":
                self._check_robots(current)
            resp = self._with_retries(current, headers, kind)
            if resp.status not in REDIRECT_STATUSES:
                return Response(resp.url, resp.status, resp.headers, resp.body,
                                tuple(chain[:-1]))
            location = resp.headers.get("location", "").strip()
            if not location:
                raise FetchError(start, f"HTTP {resp.status} redirect without a Location",
                                 "redirect", resp.status)
            try:
                target = normalise_url(urllib.parse.urljoin(current, location))
            except FetchError as exc:
                raise FetchError(start, f"redirected to an unusable URL ({exc.reason})",
                                 "redirect") from exc
            if target in chain:
                hops = " -> ".join([*chain[chain.index(target):], target])
                raise FetchError(start, f"redirect loop ({hops})", "redirect", resp.status)
            if len(chain) > self.policy.max_redirects:
                raise FetchError(start, f"too many redirects (more than "
                                 f"fetch_max_redirects={self.policy.max_redirects})",
                                 "redirect", resp.status)
            log.debug("%s: HTTP %d redirect to %s", current, resp.status, target)
            chain.append(target)
            current = target

    def _headers(self, kind: Kind, etag: str | None, last_modified: str | None
                 ) -> dict[str, str]:
        accept = {
            "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "feed": "application/rss+xml,application/atom+xml,application/feed+json,"
                    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
            "robots": "text/plain,*/*;q=0.1",
        }[kind]
        headers = {"User-Agent": self.policy.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _with_retries(self, url: str, headers: Mapping[str, str], kind: Kind) -> Response:
        attempts = self.policy.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._once(url, headers, kind)
            except _Transient as exc:
                if attempt == attempts:
                    tried = f"{attempts} attempt{'s' if attempts > 1 else ''}"
                    raise FetchError(url, f"{exc.reason} (gave up after {tried})",
                                     exc.kind, exc.status) from exc
                delay = self.policy.backoff * 2 ** (attempt - 1)
                if exc.retry_after is not None:
                    delay = max(delay, exc.retry_after)
                log.info("%s: %s; retrying in %.1fs (attempt %d of %d)",
                         url, exc.reason, delay, attempt + 1, attempts)
                self._wait(delay, url, "backoff")
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: Mapping[str, str], kind: Kind) -> Response:
        self._throttle(url)
        timeout = self.policy.timeout
        deadline = self._clock() + timeout * RESPONSE_DEADLINE_FACTOR
        try:
            raw = self.fetcher.open(url, headers, timeout)
        except TransportTimeout as exc:
            raise _Transient(f"timed out (no response within {timeout:g}s)", "timeout") from exc
        except TransportError as exc:
            if not exc.transient:
                raise FetchError(url, f"connection refused by policy ({exc})", "tls") from exc
            raise _Transient(f"connection failed ({exc})", "network") from exc
        try:
            status = raw.status
            if status in REDIRECT_STATUSES or status == 304:
                return Response(url, status, raw.headers)
            if status in RETRY_STATUSES:
                raise _Transient(f"HTTP {status}", "http-retry", status,
                                 _retry_after(raw.headers.get("retry-after")))
            if not 200 <= status < 300:
                raise FetchError(url, f"HTTP {status}", "http", status)
            ctype = raw.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "page" and ctype and ctype not in HTML_TYPES:
                raise FetchError(url, f"not an HTML page (Content-Type {ctype})",
                                 "content-type", status)
            body = self._read_body(raw, url, deadline)
            if kind == "page" and not ctype and not _looks_like_html(body):
                raise FetchError(url, "not an HTML page (no Content-Type, and the body "
                                 "does not look like HTML)", "content-type", status)
            return Response(url, status, raw.headers, body)
        finally:
            raw.close()

    def _read_body(self, raw: RawResponse, url: str, deadline: float) -> bytes:
        limit = self.policy.max_bytes
        declared = raw.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response too large (Content-Length {int(declared):,} "
                             f"bytes, fetch_max_bytes={limit:,})", "size")
        chunks: list[bytes] = []
        total = 0
        while True:
            if self._clock() > deadline:
                raise _Transient(f"timed out (body not complete within "
                                 f"{self.policy.timeout * RESPONSE_DEADLINE_FACTOR:g}s)",
                                 "timeout")
            try:
                chunk = raw.read(min(_CHUNK, limit + 1 - total))
            except TransportTimeout as exc:
                raise _Transient(f"timed out reading the body ({exc})", "timeout") from exc
            except TransportError as exc:
                raise _Transient(f"connection failed while reading ({exc})",
                                 "network") from exc
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FetchError(url, f"response too large (over fetch_max_bytes={limit:,} "
                                 "bytes)", "size")
        body = b"".join(chunks)
        return _decompress(body, raw.headers.get("content-encoding", ""), limit, url)


def _decompress(body: bytes, encoding: str, limit: int, url: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(url, f"unsupported Content-Encoding {encoding!r}", "encoding")
    # 32 + MAX_WBITS: gzip or zlib header, detected. A bounded output, so a
    # decompression bomb stops at the size limit.
    inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise FetchError(url, f"corrupt {encoding} body ({exc})", "encoding") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise FetchError(url, f"response too large once decompressed (over "
                         f"fetch_max_bytes={limit:,} bytes)", "size")
    return out


# ------------------------------------------------------------------------- text


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = _CHARSET_ALIASES.get(label.lower(), label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(resp: Response) -> str:
    """A page's text: strict UTF-8 first (pages mislabel it often), then the charset of
    the Content-Type or of a <meta> tag, then the ingest module's guess. ValueError for
    binary content."""
    body = resp.body
    with contextlib.suppress(UnicodeDecodeError):
        return body.decode("utf-8-sig")
    meta = _META_CHARSET_RE.search(body[:4096])
    for label in (resp.charset, meta.group(1).decode("ascii", "replace") if meta else None):
        codec = _codec(label)
        if codec:
            with contextlib.suppress(UnicodeDecodeError):
                return body.decode(codec)
    return decode_bytes(body)


def unique_urls(urls: Iterable[str]) -> list[str]:
    """`urls` in order, each normalised form once; bad URLs are kept as given so that
    the caller reports them."""
    seen: set[str] = set()
    out: list[str] = []
    for url in urls:
        try:
            key = normalise_url(url)
        except FetchError:
            key = url
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out
