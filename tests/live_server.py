"""A loopback HTTP server for the live-ingestion tests (test_fetch, test_follow).

It serves the bundled examples/ articles as HTML pages, feeds listing them, and the
bad cases issue 9 names: a slow page, a 500, a redirect loop, a huge page, a non-HTML
response and a path robots.txt forbids. Bound to 127.0.0.1 on a random port; every
request is recorded so tests can count fetches.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FEED_TITLE = "Frontwatch Test Wire"
ATOM_TITLE = "Frontwatch Atom Desk"
SLOW_SECONDS = 1.5  # past the 0.5 s timeout the tests use
HUGE_BYTES = 300_000  # past the 200 kB size bound the tests use
MAX_BYTES = 200_000
ROBOTS = "User-agent: *\nDisallow: /private/\n"


@dataclass(frozen=True)
class Example:
    stem: str  # "01_kramatorsk_station_strike"
    path: str  # "/articles/01.html"
    text: str
    meta: dict[str, Any]

    @property
    def number(self) -> str:
        return self.stem[:2]


def load_examples() -> list[Example]:
    metas = {}
    for line in (EXAMPLES / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            metas[rec["file"]] = rec
    out = []
    for txt in sorted(EXAMPLES.glob("*.txt")):
        out.append(Example(txt.stem, f"/articles/{txt.stem[:2]}.html",
                           txt.read_text(encoding="utf-8"), metas.get(txt.name, {})))
    return out


def page_html(text: str, title: str = "Article") -> str:
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body><nav><a href=\"/\">Home</a></nav><article>\n{body}\n</article>"
        "<footer>© test wire</footer></body></html>\n"
    )


def rss(title: str, items: list[tuple[str, str | None, str | None]]) -> str:
    """items: (link, title, ISO published date)."""
    parts = []
    for link, item_title, published in items:
        pub = ""
        if published:
            when = datetime.fromisoformat(published).replace(hour=9, tzinfo=UTC)
            pub = f"<pubDate>{format_datetime(when)}</pubDate>"
        t = f"<title>{html.escape(item_title)}</title>" if item_title else ""
        parts.append(f"<item>{t}<link>{html.escape(link)}</link>{pub}</item>")
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
        f"<title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
        + "".join(parts) + "</channel></rss>\n"
    )


def atom(title: str, items: list[tuple[str, str | None, str | None]]) -> str:
    entries = []
    for link, item_title, published in items:
        entries.append(
            f"<entry><title>{html.escape(item_title or '')}</title>"
            f"<link rel=\"alternate\" type=\"text/html\" href=\"{html.escape(link)}\"/>"
            f"<id>{html.escape(link)}</id><updated>{published}T09:00:00Z</updated></entry>"
        )
    return (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        f"<title>{html.escape(title)}</title>" + "".join(entries) + "</feed>\n"
    )


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    length: bool = True  # send Content-Length


Handler = Callable[[dict[str, str]], Reply]


class Site:
    """Routes (path → Reply or a function of the request headers) and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self.base = ""
        self.examples = load_examples()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for p in self.requests if p == path)

    def served(self, prefix: str) -> list[str]:
        with self._lock:
            return [p for p in self.requests if p.startswith(prefix)]

    def add(self, path: str, reply: Reply | Handler) -> None:
        self.routes[path] = reply

    def html_route(self, path: str, text: str, *, etag: str | None = None) -> None:
        body = page_html(text).encode("utf-8")
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if etag is None:
            self.add(path, Reply(body=body, headers=headers))
            return

        def conditional(req: dict[str, str]) -> Reply:
            if req.get("if-none-match") == etag:
                return Reply(304, headers={"ETag": etag})
            return Reply(body=body, headers={**headers, "ETag": etag})

        self.add(path, conditional)

    def feed_route(self, path: str, doc: str, *, etag: str | None = None,
                   ctype: str = "application/rss+xml") -> None:
        body = doc.encode("utf-8")
        headers = {"Content-Type": ctype}

        def conditional(req: dict[str, str]) -> Reply:
            if etag and req.get("if-none-match") == etag:
                return Reply(304, headers={"ETag": etag})
            return Reply(body=body, headers={**headers, **({"ETag": etag} if etag else {})})

        self.add(path, conditional)

    def respond(self, path: str, req: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(path)
        route = self.routes.get(path) or self.routes.get(path.split("?")[0])
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        return route(req) if callable(route) else route


def standard_site() -> Site:
    """The examples as pages plus every bad case, and the feeds listing them."""
    site = Site()
    site.add("/robots.txt", Reply(body=ROBOTS.encode(), headers={"Content-Type": "text/plain"}))
    for ex in site.examples:
        site.html_route(ex.path, ex.text, etag=f'"ex-{ex.number}"')
    first = site.examples[0]
    site.html_route("/mirror/01.html", first.text)  # the same article under another URL
    site.html_route("/private/secret.html", site.examples[1].text)
    site.add("/slow.html", Reply(body=page_html(first.text).encode(), delay=SLOW_SECONDS,
                                 headers={"Content-Type": "text/html"}))
    site.add("/error500.html", Reply(500, b"boom", {"Content-Type": "text/plain"}))
    site.add("/loop/a", Reply(302, headers={"Location": "/loop/b"}))
    site.add("/loop/b", Reply(302, headers={"Location": "/loop/a"}))
    site.add("/huge.html", Reply(body=b"<html><body><p>" + b"x" * HUGE_BYTES + b"</p>",
                                 headers={"Content-Type": "text/html"}, length=False))
    site.add("/report.pdf", Reply(body=b"%PDF-1.4 not really",
                                  headers={"Content-Type": "application/pdf"}))
    return site


def good_items(site: Site) -> list[tuple[str, str | None, str | None]]:
    return [(site.url(ex.path), ex.meta.get("title"), ex.meta.get("published"))
            for ex in site.examples]


BAD_PATHS = ("/slow.html", "/error500.html", "/loop/a", "/huge.html", "/report.pdf",
             "/private/secret.html")


def add_feeds(site: Site) -> None:
    good = good_items(site)
    bad: list[tuple[str, str | None, str | None]] = [(site.url(p), p, None) for p in BAD_PATHS]
    dupes: list[tuple[str, str | None, str | None]] = [
        # The same URL with tracking parameters and a fragment, and a mirror of 01.
        (site.url(site.examples[0].path) + "?utm_source=rss&utm_medium=feed#top", None, None),
        (site.url("/mirror/01.html"), "Mirror", None),
    ]
    site.feed_route("/feed.xml", rss(FEED_TITLE, good[:6] + bad + dupes), etag='"feed-v1"')
    site.feed_route("/atom.xml", atom(ATOM_TITLE, good[4:]), ctype="application/atom+xml")
    site.feed_route("/good.xml", rss(FEED_TITLE, good))
    site.add("/broken.xml", Reply(body=b"<rss><channel><item></channel>",
                                  headers={"Content-Type": "application/rss+xml"}))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are expected here


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class H(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            req = {k.lower(): v for k, v in self.headers.items()}
            reply = site.respond(self.path, req)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.length:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if reply.body and reply.status != 304:
                    self.wfile.write(reply.body)
            except OSError:
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), H)
    site.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
