"""frontwatch.fetch: URL normalisation, and the Client's policies (robots.txt, politeness,
size bound, redirects, retries, content type, conditional requests, stopping), on the
in-memory fetcher and, for the transport itself, on a loopback HTTP server."""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping

import pytest

from frontwatch.errors import FetchError
from frontwatch.fetch import (
    Client,
    MemoryFetcher,
    Policy,
    Response,
    Route,
    UrllibFetcher,
    decode_html,
    is_transient,
    normalise_url,
    unique_urls,
)
from frontwatch.settings import Settings
from live_server import Reply, Site, page_html, serve

H = "https://news.example"
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = "<html><body><p>Russian forces shelled Kherson overnight.</p></body></html>"
ROBOTS = Route("User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})


class FakeTime:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> bool:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        return False


Routes = dict[str, Route | Callable[[Mapping[str, str]], Route]]


def client(given: Mapping[str, Route | Callable[[Mapping[str, str]], Route]], *,
           robots: Route | None = ROBOTS,
           **policy: object) -> tuple[Client, MemoryFetcher, FakeTime]:
    routes = Routes(given)
    if robots is not None:
        for origin in {u.split("/", 3)[0] + "//" + u.split("/", 3)[2] for u in routes}:
            routes.setdefault(origin + "/robots.txt", robots)
    fetcher = MemoryFetcher(routes)
    fake = FakeTime()
    defaults: dict[str, object] = {"timeout": 1.0, "max_bytes": 10_000, "max_redirects": 3,
                                   "retries": 2, "backoff": 0.5, "host_delay": 0.0,
                                   "user_agent": "frontwatch/test"}
    defaults.update(policy)
    c = Client(fetcher, Policy(**defaults),  # type: ignore[arg-type]
               clock=fake.clock, sleep=fake.sleep)
    return c, fetcher, fake


def page(body: str | bytes = PAGE, headers: Mapping[str, str] | None = None) -> Route:
    return Route(body, headers={**HTML, **(headers or {})})


# ------------------------------------------------------------------ normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://News.Example.ORG", "http://news.example.org/"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("https://news.example/a?utm_source=rss&id=7&utm_medium=x&fbclid=abc",
         "https://news.example/a?id=7"),
        ("https://news.example/a?utm_source=rss", "https://news.example/a"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?b=2&a=1"),  # order kept
        ("https://news.example/x/../y/./z", "https://news.example/y/z"),
        ("https://news.example/a b", "https://news.example/a%20b"),
        ("https://news.example/київ", "https://news.example/%D0%BA%D0%B8%D1%97%D0%B2"),
        ("https://news.example/%D0%BA", "https://news.example/%D0%BA"),  # not re-encoded
        ("https://новини.example/a", "https://xn--b1amarcd.example/a"),
        ("  https://news.example/a  ", "https://news.example/a"),
        ("http://[::1]:8000/a", "http://[::1]:8000/a"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected
    assert normalise_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example/a", "unsupported URL scheme ('ftp'); only http and https"),
        ("file:///etc/passwd", "unsupported URL scheme ('file')"),
        ("javascript:alert(1)", "unsupported URL scheme ('javascript')"),
        ("mailto:desk@news.example", "unsupported URL scheme ('mailto')"),
        ("news.example/a", "unsupported URL scheme (none)"),
        ("http://", "URL has no host"),
        ("http://user:secret@news.example/a", "URLs with credentials are not fetched"),
        ("http://news.example:99999/a", "not a valid URL"),
    ],
)
def test_normalise_url_refuses(url: str, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        normalise_url(url)
    assert reason in info.value.reason
    assert "secret" not in str(info.value)


def test_unique_urls_keeps_first_spelling() -> None:
    urls = [f"{H}/a", f"{H}/a?utm_source=x", f"{H}/a#c", f"{H}/b", "ftp://x/", "ftp://x/"]
    assert unique_urls(urls) == [f"{H}/a", f"{H}/b", "ftp://x/"]


# -------------------------------------------------------------------------- robots


def test_robots_disallowed_path_is_refused_with_reason() -> None:
    c, f, _ = client({f"{H}/private/x": page(), f"{H}/ok": page()})
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/private/x")
    assert info.value.kind == "robots"
    assert info.value.reason == (f"disallowed by {H}/robots.txt for user agent 'frontwatch'")
    assert f.count(f"{H}/private/x") == 0  # never requested
    assert c.get(f"{H}/ok").status == 200
    assert f.count(f"{H}/robots.txt") == 1  # read once per origin


def test_robots_agent_specific_rules() -> None:
    robots = Route("User-agent: frontwatch\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    c, _, _ = client({f"{H}/a": page()}, robots=robots)
    with pytest.raises(FetchError, match=r"robots\.txt"):
        c.get(f"{H}/a")


def test_robots_missing_allows_everything() -> None:
    c, _, _ = client({f"{H}/a": page()}, robots=None)  # robots.txt is a 404
    assert c.get(f"{H}/a").status == 200


@pytest.mark.parametrize("robots", [Route("down", status=503), Route(timeout=True)])
def test_robots_unreachable_disallows_the_host(robots: Route,
                                               caplog: pytest.LogCaptureFixture) -> None:
    c, f, _ = client({f"{H}/a": page()}, robots=robots, retries=0)
    with caplog.at_level(logging.WARNING, logger="frontwatch"), \
            pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "robots"
    assert "robots.txt unreachable" in caplog.text
    assert f.count(f"{H}/a") == 0


def test_robots_crawl_delay_is_honoured() -> None:
    robots = Route("User-agent: *\nCrawl-delay: 5\nDisallow:\n")
    c, _, fake = client({f"{H}/a": page(), f"{H}/b": page()}, robots=robots, host_delay=1.0)
    c.get(f"{H}/a")
    c.get(f"{H}/b")
    assert fake.sleeps == [5.0, 5.0]  # robots→a, a→b; no clock movement otherwise


# ---------------------------------------------------------------------- politeness


def test_per_host_delay_applies_to_one_host_only() -> None:
    other = "https://other.example"
    c, _, fake = client({f"{H}/a": page(), f"{H}/b": page(), f"{other}/c": page()},
                        host_delay=2.0)
    c.get(f"{H}/a")  # robots.txt, then a: one wait
    c.get(f"{other}/c")  # another host: robots.txt, then c: one wait
    c.get(f"{H}/b")  # H was last used long enough ago? No: clock moved by 4 s only
    assert fake.sleeps == [2.0, 2.0]
    fake.now += 0.5
    c.get(f"{H}/a")
    assert fake.sleeps == [2.0, 2.0, 1.5]


def test_stop_before_request_sends_nothing() -> None:
    c, f, _ = client({f"{H}/a": page()})
    c.stop.set()
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "stopped"
    assert f.requests == []


def test_stop_during_backoff_ends_the_wait() -> None:
    c, f, _ = client({f"{H}/a": Route("x", status=503)}, retries=5)

    def sleep_and_stop(seconds: float) -> bool:
        c.stop.set()
        return True

    c._sleep = sleep_and_stop
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "stopped"
    assert f.count(f"{H}/a") == 1


# ---------------------------------------------------------------------- size bound


def test_declared_length_over_the_bound_is_refused_before_reading() -> None:
    c, _, _ = client({f"{H}/a": page("x" * 20, headers={"Content-Length": "50000"})})
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "size"
    assert "Content-Length 50,000 bytes, fetch_max_bytes=10,000" in info.value.reason


def test_streamed_body_over_the_bound_is_refused() -> None:
    c, _, _ = client({f"{H}/a": page("<html>" + "x" * 10_001)})
    with pytest.raises(FetchError, match=r"too large \(over fetch_max_bytes=10,000"):
        c.get(f"{H}/a")


def test_body_at_the_bound_is_accepted() -> None:
    body = "<html>" + "x" * (10_000 - 6)
    c, _, _ = client({f"{H}/a": page(body)})
    assert len(c.get(f"{H}/a").body) == 10_000


def test_gzip_is_decompressed_and_bombs_are_bounded() -> None:
    small = gzip.compress(PAGE.encode())
    bomb = gzip.compress(b"<html>" + b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    c, _, _ = client({
        f"{H}/a": page(small, headers={"Content-Encoding": "gzip"}),
        f"{H}/bomb": page(bomb, headers={"Content-Encoding": "gzip"}),
        f"{H}/bad": page(b"not gzip", headers={"Content-Encoding": "gzip"}),
        f"{H}/br": page(b"??", headers={"Content-Encoding": "br"}),
    })
    assert c.get(f"{H}/a").body == PAGE.encode()
    with pytest.raises(FetchError, match="too large once decompressed"):
        c.get(f"{H}/bomb")
    with pytest.raises(FetchError, match="corrupt gzip body"):
        c.get(f"{H}/bad")
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        c.get(f"{H}/br")


# ----------------------------------------------------------------------- redirects


def test_redirects_are_followed_and_recorded() -> None:
    c, _, _ = client({
        f"{H}/old": Route(status=301, headers={"Location": "/mid?utm_source=x"}),
        f"{H}/mid": Route(status=302, headers={"Location": f"{H}/new"}),
        f"{H}/new": page(),
    })
    resp = c.get(f"{H}/old")
    assert (resp.status, resp.url) == (200, f"{H}/new")
    assert resp.redirects == (f"{H}/old", f"{H}/mid")


def test_redirect_loop_ends_with_a_reason() -> None:
    c, f, _ = client({
        f"{H}/a": Route(status=302, headers={"Location": "/b"}),
        f"{H}/b": Route(status=307, headers={"Location": "/a"}),
    })
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "redirect"
    assert info.value.reason == f"redirect loop ({H}/a -> {H}/b -> {H}/a)"
    assert f.count(f"{H}/a") == 1


def test_self_redirect_is_a_loop() -> None:
    c, _, _ = client({f"{H}/a": Route(status=301, headers={"Location": f"{H}/a#x"})})
    with pytest.raises(FetchError, match="redirect loop"):
        c.get(f"{H}/a")


def test_too_many_redirects() -> None:
    routes = {f"{H}/{i}": Route(status=302, headers={"Location": f"/{i + 1}"})
              for i in range(10)}
    c, f, _ = client(routes, max_redirects=3)
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/0")
    assert info.value.reason == "too many redirects (more than fetch_max_redirects=3)"
    assert [u for u, _ in f.requests if "robots" not in u] == [f"{H}/{i}" for i in range(4)]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (None, "HTTP 302 redirect without a Location"),
        ("ftp://files.example/a", "redirected to an unusable URL (unsupported URL scheme"),
        ("file:///etc/passwd", "redirected to an unusable URL"),
    ],
)
def test_bad_redirect_targets(location: str | None, reason: str) -> None:
    headers = {"Location": location} if location else {}
    c, _, _ = client({f"{H}/a": Route(status=302, headers=headers)})
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "redirect"
    assert reason in info.value.reason


def test_redirect_into_a_disallowed_path_is_refused() -> None:
    c, f, _ = client({
        f"{H}/a": Route(status=302, headers={"Location": "/private/b"}),
        f"{H}/private/b": page(),
    })
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert info.value.kind == "robots"
    assert f.count(f"{H}/private/b") == 0


# ------------------------------------------------------------------------- retries


def test_5xx_then_success_retries_with_exponential_backoff() -> None:
    replies = iter([Route(status=503), Route(status=502), page()])
    c, f, fake = client({f"{H}/a": lambda headers: next(replies)}, retries=2, backoff=0.5)
    assert c.get(f"{H}/a").status == 200
    assert f.count(f"{H}/a") == 3
    assert fake.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    ("route", "kind", "reason"),
    [
        (Route("boom", status=500), "http-retry", "HTTP 500 (gave up after 3 attempts)"),
        (Route(timeout=True), "timeout",
         "timed out (no response within 1s) (gave up after 3 attempts)"),
        (Route(error="Connection refused"), "network",
         "connection failed (Connection refused) (gave up after 3 attempts)"),
    ],
)
def test_persistent_failures_give_up_with_a_logged_reason(
    route: Route, kind: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    c, f, fake = client({f"{H}/a": route}, retries=2, backoff=0.5)
    with caplog.at_level(logging.INFO, logger="frontwatch"), \
            pytest.raises(FetchError) as info:
        c.get(f"{H}/a")
    assert (info.value.kind, info.value.reason) == (kind, reason)
    assert is_transient(info.value)
    assert f.count(f"{H}/a") == 3
    assert fake.sleeps == [0.5, 1.0]
    assert caplog.text.count("retrying in") == 2


def test_client_errors_are_not_retried() -> None:
    c, f, _ = client({f"{H}/gone": Route(status=410)})
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/gone")
    assert (info.value.kind, info.value.status, info.value.reason) == ("http", 410, "HTTP 410")
    assert not is_transient(info.value)
    assert f.count(f"{H}/gone") == 1


def test_retry_after_is_honoured_up_to_a_cap() -> None:
    replies = iter([Route(status=429, headers={"Retry-After": "7"}), page()])
    c, _, fake = client({f"{H}/a": lambda headers: next(replies)}, backoff=0.5)
    c.get(f"{H}/a")
    assert fake.sleeps == [7.0]


# -------------------------------------------------------------------- content type


@pytest.mark.parametrize("ctype", ["application/pdf", "image/jpeg", "application/json",
                                   "text/plain; charset=utf-8"])
def test_non_html_pages_are_refused_before_reading(ctype: str) -> None:
    c, _, _ = client({f"{H}/a": Route(b"x" * 50_000, headers={"Content-Type": ctype})})
    with pytest.raises(FetchError) as info:
        c.get(f"{H}/a")  # the body is over the size bound: it was never read
    assert info.value.kind == "content-type"
    assert info.value.reason == f"not an HTML page (Content-Type {ctype.split(';')[0]})"


def test_feeds_are_not_held_to_html() -> None:
    rss = Route("<rss/>", headers={"Content-Type": "application/rss+xml"})
    c, _, _ = client({f"{H}/feed": rss})
    assert c.get(f"{H}/feed", "feed").body == b"<rss/>"


def test_missing_content_type_is_sniffed() -> None:
    c, _, _ = client({f"{H}/a": Route(PAGE), f"{H}/b": Route('{"json": true}')})
    assert c.get(f"{H}/a").status == 200
    with pytest.raises(FetchError, match="no Content-Type, and the body does not look"):
        c.get(f"{H}/b")


def test_xhtml_is_html() -> None:
    c, _, _ = client({f"{H}/a": Route(PAGE, headers={"Content-Type": "application/xhtml+xml"})})
    assert c.get(f"{H}/a").status == 200


# ------------------------------------------------------------------- conditional


def test_conditional_request_headers_and_304() -> None:
    def handler(headers: Mapping[str, str]) -> Route:
        if headers.get("If-None-Match") == '"v1"':
            return Route(status=304)
        return page(headers={"ETag": '"v1"', "Last-Modified": "Fri, 08 Apr 2022 09:00:00 GMT"})

    c, f, _ = client({f"{H}/a": handler})
    first = c.get(f"{H}/a")
    assert (first.status, first.etag) == (200, '"v1"')
    assert first.last_modified == "Fri, 08 Apr 2022 09:00:00 GMT"
    again = c.get(f"{H}/a", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    sent = f.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Fri, 08 Apr 2022 09:00:00 GMT"
    assert sent["User-Agent"] == "frontwatch/test"


def test_policy_from_settings() -> None:
    s = Settings().with_overrides(fetch_timeout=0.5, fetch_max_bytes=123, fetch_retries=0)
    p = Policy.from_settings(s)
    assert (p.timeout, p.max_bytes, p.retries) == (0.5, 123, 0)
    assert Settings().fetch_max_bytes == 5_000_000


# ------------------------------------------------------------------------- decoding


def _resp(body: bytes, ctype: str = "text/html") -> Response:
    return Response("https://x.example/", 200, {"content-type": ctype}, body)


def test_decode_html_charsets() -> None:
    text = "<html><body>Харків</body></html>"
    assert decode_html(_resp(text.encode("cp1251"), "text/html; charset=windows-1251")) == text
    meta = '<html><head><meta charset="windows-1251"></head><body>Харків</body></html>'
    assert decode_html(_resp(meta.encode("cp1251"))) == meta
    # UTF-8 labelled Latin-1 (a common mistake) still reads as UTF-8.
    assert decode_html(_resp(text.encode(), "text/html; charset=iso-8859-1")) == text
    assert decode_html(_resp("café".encode("cp1252"), "text/html; charset=latin-1")) == "café"
    with pytest.raises(ValueError):
        decode_html(_resp(bytes(range(256)) * 20))


# ------------------------------------------------------------ the real transport


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    body = page_html("Russian forces shelled Kherson overnight, officials said.").encode()
    s.add("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    s.add("/page.html", Reply(body=body, headers={"Content-Type": "text/html"}))
    s.add("/gz.html", Reply(body=gzip.compress(body),
                            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    s.add("/slow.html", Reply(body=body, headers={"Content-Type": "text/html"}, delay=1.0))
    s.add("/huge.html", Reply(body=b"<html>" + b"x" * 300_000,
                              headers={"Content-Type": "text/html"}, length=False))
    s.add("/moved", Reply(301, headers={"Location": "/page.html"}))
    s.add("/loop", Reply(302, headers={"Location": "/loop"}))
    s.add("/500", Reply(500, b"boom"))
    with serve(s):
        yield s


def real_client(**policy: object) -> Client:
    defaults: dict[str, object] = {"timeout": 0.4, "max_bytes": 200_000, "retries": 1,
                                   "backoff": 0.01, "host_delay": 0.0}
    defaults.update(policy)
    return Client(UrllibFetcher(), Policy(**defaults))  # type: ignore[arg-type]


def test_urllib_fetcher_end_to_end(site: Site) -> None:
    c = real_client()
    resp = c.get(site.url("/page.html"))
    assert resp.status == 200 and b"Kherson" in resp.body
    assert c.get(site.url("/gz.html")).body == resp.body
    moved = c.get(site.url("/moved"))
    assert moved.url == site.url("/page.html") and moved.redirects == (site.url("/moved"),)
    assert site.count("/robots.txt") == 1


@pytest.mark.parametrize(
    ("path", "kind", "reason"),
    [
        ("/slow.html", "timeout", "timed out (no response within 0.4s) (gave up after 2"),
        ("/huge.html", "size", "response too large (over fetch_max_bytes=200,000 bytes)"),
        ("/loop", "redirect", "redirect loop"),
        ("/500", "http-retry", "HTTP 500 (gave up after 2 attempts)"),
        ("/private/x.html", "robots", "disallowed by"),
        ("/missing", "http", "HTTP 404"),
    ],
)
def test_urllib_fetcher_bad_cases(site: Site, path: str, kind: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        real_client().get(site.url(path))
    assert info.value.kind == kind
    assert reason in info.value.reason
    assert time.monotonic() - started < 5


def test_urllib_fetcher_connection_refused() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    c = real_client(retries=0)
    with pytest.raises(FetchError) as info:
        c.get(f"http://127.0.0.1:{port}/a")
    # robots.txt is unreachable, so the host counts as disallowed.
    assert info.value.kind == "robots"


def test_stop_event_interrupts_a_politeness_wait(site: Site) -> None:
    stop = threading.Event()
    c = Client(UrllibFetcher(), Policy(timeout=1, host_delay=30.0, retries=0), stop=stop)
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        c.get(site.url("/page.html"))  # robots.txt, then 30 s until the page
    assert info.value.kind == "stopped"
    assert time.monotonic() - started < 3
    assert site.count("/page.html") == 0
