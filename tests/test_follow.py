"""frontwatch.follow and the `fetch` / `follow` commands.

The first half drives `Follower` with the in-memory fetcher and stores, with pages that
never reach the NLP pipeline (fast). The second half is issue 9's "done when": a loopback
HTTP server serving the examples/ articles and every bad case, polled twice (each good
article stored exactly once, each bad case a logged reason), the CLI commands, and
`frontwatch follow` stopped by SIGINT/SIGTERM in a subprocess without losing an article.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.errors import FetchError
from frontwatch.fetch import Client, MemoryFetcher, Policy, Route
from frontwatch.follow import (
    MAX_ATTEMPTS,
    FeedRecord,
    Follower,
    MemoryFollowState,
    SQLiteFollowState,
    UrlRecord,
    follow_state,
    stop_on_signals,
)
from frontwatch.follow_cli import _expand, parse_duration
from frontwatch.settings import Settings
from frontwatch.store import MemoryStore, SQLiteStore, open_store
from live_server import (
    ATOM_TITLE,
    BAD_PATHS,
    FEED_TITLE,
    MAX_BYTES,
    Site,
    add_feeds,
    serve,
    standard_site,
)

H = "https://wire.example"
ROBOTS = Route("User-agent: *\nDisallow: /private/\n")
RSS_HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'


def rss(*links: str) -> str:
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    return f"{RSS_HEAD}{items}</channel></rss>"


def memory_follower(routes: Mapping[str, object], state: MemoryFollowState | None = None
                    ) -> tuple[Follower, MemoryFetcher, MemoryFollowState]:
    fetcher = MemoryFetcher({f"{H}/robots.txt": ROBOTS, **routes})  # type: ignore[dict-item]
    policy = Policy(timeout=0.1, retries=0, backoff=0.0, host_delay=0.0)
    client = Client(fetcher, policy, sleep=lambda s: False)
    state = state or MemoryFollowState()
    return Follower(MemoryStore(), Settings(), client, state), fetcher, state


def feed_route(doc: str, etag: str = '"v1"') -> object:
    def handler(headers: Mapping[str, str]) -> Route:
        if headers.get("If-None-Match") == etag:
            return Route(status=304)
        return Route(doc, headers={"Content-Type": "application/rss+xml", "ETag": etag})
    return handler


PDF = Route(b"%PDF", headers={"Content-Type": "application/pdf"})


# --------------------------------------------------------------- the loop, in memory


def test_refused_items_are_not_fetched_again_and_the_feed_goes_conditional(
    caplog: pytest.LogCaptureFixture,
) -> None:
    follower, fetcher, state = memory_follower({
        f"{H}/feed": feed_route(rss(f"{H}/a.pdf", f"{H}/private/b", f"{H}/gone",
                                    "ftp://wire.example/c", f"{H}/a.pdf#again")),
        f"{H}/a.pdf": PDF,
        f"{H}/gone": Route(status=404),
    })
    with caplog.at_level(logging.WARNING, logger="frontwatch"):
        first = follower.poll([f"{H}/feed"])
    assert first.count("refused") == 3  # pdf, robots, 404; ftp is skipped at the feed
    assert first.already_seen == 1  # a.pdf#again is a.pdf
    assert "not an HTML page (Content-Type application/pdf)" in caplog.text
    assert f"{H}/private/b: skipped: disallowed by {H}/robots.txt" in caplog.text
    assert f"{H}/gone: skipped: HTTP 404" in caplog.text
    assert "ftp://wire.example/c skipped: unsupported URL scheme ('ftp')" in caplog.text
    assert state.feeds[f"{H}/feed"].etag == '"v1"'
    assert state.urls[f"{H}/a.pdf"].status == "refused"

    second = follower.poll([f"{H}/feed"])
    assert (second.feeds_unchanged, second.outcomes) == (1, [])
    assert fetcher.count(f"{H}/a.pdf") == 1
    assert fetcher.requests[-1][1]["If-None-Match"] == '"v1"'


def test_transient_failures_are_retried_on_later_polls_then_given_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    follower, fetcher, state = memory_follower({
        f"{H}/feed": feed_route(rss(f"{H}/down", f"{H}/x.pdf")),
        f"{H}/down": Route(status=503),
        f"{H}/x.pdf": PDF,
    })
    with caplog.at_level(logging.WARNING, logger="frontwatch"):
        for n in range(1, MAX_ATTEMPTS + 1):
            stats = follower.poll([f"{H}/feed"])
            assert stats.count("failed") == 1
            # Something listed is still to do: no validators saved, no 304 next time.
            assert state.feeds[f"{H}/feed"].etag is None
            assert state.urls[f"{H}/down"].attempts == n
    assert "HTTP 503 (gave up after 1 attempt) (attempt 1 of 3; will try again" in caplog.text
    assert "(attempt 3 of 3; giving up on it)" in caplog.text
    stats = follower.poll([f"{H}/feed"])
    assert stats.outcomes == [] and stats.already_seen == 2
    assert state.feeds[f"{H}/feed"].etag == '"v1"'
    assert fetcher.count(f"{H}/down") == MAX_ATTEMPTS
    assert fetcher.count(f"{H}/x.pdf") == 1
    assert follower.poll([f"{H}/feed"]).feeds_unchanged == 1


def test_max_items_bounds_a_poll_and_keeps_the_rest_for_the_next() -> None:
    links = [f"{H}/{i}.pdf" for i in range(5)]
    follower, fetcher, state = memory_follower(
        {f"{H}/feed": feed_route(rss(*links)), **{u: PDF for u in links}})
    assert len(follower.poll([f"{H}/feed"], max_items=2).outcomes) == 2
    assert state.feeds[f"{H}/feed"].etag is None
    assert len(follower.poll([f"{H}/feed"], max_items=2).outcomes) == 2
    assert len(follower.poll([f"{H}/feed"], max_items=2).outcomes) == 1
    assert all(fetcher.count(u) == 1 for u in links)
    assert state.feeds[f"{H}/feed"].etag == '"v1"'


def test_feed_problems_are_logged_and_the_poll_goes_on(caplog: pytest.LogCaptureFixture
                                                       ) -> None:
    follower, _, _ = memory_follower({
        f"{H}/broken": Route("<rss><channel>", headers={"Content-Type": "text/xml"}),
        f"{H}/html": Route("<html><body>hi</body></html>"),
        f"{H}/missing-feed": Route(status=404),
        f"{H}/ok": feed_route(rss(f"{H}/x.pdf")),
        f"{H}/x.pdf": PDF,
    })
    with caplog.at_level(logging.WARNING, logger="frontwatch"):
        stats = follower.poll([f"{H}/broken", f"{H}/html", f"{H}/missing-feed",
                               "gopher://old.example/", f"{H}/ok"])
    assert (stats.feeds, stats.feeds_failed, stats.count("refused")) == (5, 4, 1)
    assert f"feed {H}/broken: not read: malformed XML (no element found" in caplog.text
    assert f"feed {H}/html: not read: an HTML page, not a feed" in caplog.text
    assert f"feed {H}/missing-feed: not read: HTTP 404" in caplog.text
    assert "feed gopher://old.example/: skipped: unsupported URL scheme" in caplog.text


def test_a_stop_request_ends_the_poll_between_articles() -> None:
    links = [f"{H}/{i}.pdf" for i in range(3)]
    follower, fetcher, state = memory_follower(
        {f"{H}/feed": feed_route(rss(*links)), **{u: PDF for u in links}})
    original = follower.ingest_url

    def ingest_then_stop(url: str, *args: object, **kw: object) -> object:
        outcome = original(url, *args, **kw)  # type: ignore[arg-type]
        follower.stop.set()  # as a signal arriving while this article was handled
        return outcome

    follower.ingest_url = ingest_then_stop  # type: ignore[method-assign,assignment]
    stats = follower.poll([f"{H}/feed"])
    assert [o.url for o in stats.outcomes] == [links[0]]  # finished, then stopped
    assert state.urls[links[0]].status == "refused"
    assert fetcher.count(links[1]) == 0
    assert state.feeds[f"{H}/feed"].etag is None


def test_run_stops_after_duration_and_waits_between_polls() -> None:
    follower, _, _ = memory_follower({f"{H}/feed": feed_route(rss())})
    started = time.monotonic()
    polls = follower.run([f"{H}/feed"], interval=0.2, duration=0.5)
    elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 2.0
    assert 2 <= len(polls) <= 4
    assert [p.number for p in polls] == list(range(1, len(polls) + 1))
    assert "poll 1: 1 feed(s) (0 unchanged, 0 failed), 0 item(s)" in polls[0].summary()


def test_run_ends_at_once_when_stopped_during_the_interval() -> None:
    follower, _, _ = memory_follower({f"{H}/feed": feed_route(rss())})
    threading.Timer(0.2, follower.stop.set).start()
    started = time.monotonic()
    polls = follower.run([f"{H}/feed"], interval=3600)
    assert len(polls) == 1 and time.monotonic() - started < 2


def test_ingest_url_refuses_bad_urls_with_a_logged_reason(caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    follower, fetcher, _ = memory_follower({})
    with caplog.at_level(logging.WARNING, logger="frontwatch"):
        outcome = follower.ingest_url("file:///etc/passwd")
    assert outcome.status == "refused"
    assert "file:///etc/passwd: skipped: unsupported URL scheme ('file')" in caplog.text
    assert fetcher.requests == []


def test_page_without_main_text_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    follower, _, state = memory_follower({
        f"{H}/empty": Route("<html><body><nav>Home</nav></body></html>",
                            headers={"Content-Type": "text/html"}),
    })
    with caplog.at_level(logging.WARNING, logger="frontwatch"):
        assert follower.ingest_url(f"{H}/empty").status == "refused"
    assert f"{H}/empty: skipped: text too short (4 characters, minimum 20)" in caplog.text
    assert state.urls[f"{H}/empty"].status == "refused"


# ------------------------------------------------------------------------- state


def test_sqlite_state_persists_across_connections(tmp_path: Path) -> None:
    db = str(tmp_path / "fw.db")
    with SQLiteStore(db) as store:
        state = follow_state(store)
        assert isinstance(state, SQLiteFollowState)
        state.record_url(UrlRecord("https://a.example/1", "stored", article_id="abc",
                                   etag='"e"', attempts=0))
        state.record_url(UrlRecord("https://a.example/2", "failed", reason="HTTP 500",
                                   attempts=2))
        state.record_feed(FeedRecord("https://a.example/feed", "A", '"f"', None))
    with SQLiteStore(db) as store:
        state = follow_state(store)
        one = state.url("https://a.example/1")
        assert one is not None and (one.status, one.article_id, one.etag) == (
            "stored", "abc", '"e"')
        two = state.url("https://a.example/2")
        assert two is not None and (two.attempts, two.reason) == (2, "HTTP 500")
        assert state.url("https://a.example/3") is None
        assert state.feed("https://a.example/feed") == FeedRecord(
            "https://a.example/feed", "A", '"f"', None)
        assert store.counts()["articles"] == 0  # new tables only; counts unchanged
    assert isinstance(follow_state(MemoryStore()), MemoryFollowState)


def test_a_version_1_database_gains_the_fetch_tables(tmp_path: Path) -> None:
    from frontwatch.store import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    conn.close()
    with SQLiteStore(str(db)) as store:
        tables = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"fetched_urls", "feeds", "articles"} <= tables


# -------------------------------------------------------------------- small pieces


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90.0), ("1.5", 1.5), ("90s", 90.0), ("30m", 1800.0), ("2h", 7200.0),
    ("1d", 86400.0), (" 10 min ", 600.0),
])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "5 weeks", "1h30m"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_feeds_file_lists_urls(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my outlets\nhttps://a.example/rss\n\n  https://b.example/atom \n")
    assert _expand((str(listing), "https://c.example/feed")) == [
        "https://a.example/rss", "https://b.example/atom", "https://c.example/feed"]


def test_stop_on_signals_sets_the_event_then_restores_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(threading.Event()) as stop:
        assert signal.getsignal(signal.SIGTERM) is not before
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
        # After the first signal the previous handlers are back: a second one aborts.
        assert signal.getsignal(signal.SIGTERM) is before
    assert signal.getsignal(signal.SIGTERM) is before


# ============================================================ loopback, end to end


@pytest.fixture
def site() -> Iterator[Site]:
    s = standard_site()
    with serve(s):
        add_feeds(s)
        yield s


def fast_settings(db: Path) -> Settings:
    return Settings().with_overrides(
        db=str(db), fetch_timeout=0.5, fetch_retries=1, fetch_backoff=0.01,
        fetch_host_delay=0.0, fetch_max_bytes=MAX_BYTES)


def _stored(db: Path) -> dict[str, tuple[str, str | None, date | None, str | None]]:
    """url → (id, outlet, published, title) of every stored article."""
    store = open_store(str(db))
    try:
        return {a.url or a.name: (a.id, a.outlet, a.published, a.title)
                for a in store.articles()}
    finally:
        store.close()


EXPECTED_REASONS = {
    "/slow.html": "timed out (no response within 0.5s) (gave up after 2 attempts)",
    "/error500.html": "HTTP 500 (gave up after 2 attempts)",
    "/loop/a": "redirect loop (",
    "/huge.html": f"response too large (over fetch_max_bytes={MAX_BYTES:,} bytes)",
    "/report.pdf": "not an HTML page (Content-Type application/pdf)",
    "/private/secret.html": "/robots.txt for user agent 'frontwatch'",
}


@pytest.mark.slow
def test_every_good_article_is_stored_once_across_polls_and_every_bad_case_is_logged(
    site: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "fw.db"
    feeds = [site.url("/feed.xml"), site.url("/atom.xml")]
    store = open_store(str(db))
    try:
        follower = Follower(store, fast_settings(db))
        with caplog.at_level(logging.INFO, logger="frontwatch"):
            first = follower.poll(feeds)
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="frontwatch"):
            second = follower.poll(feeds)
    finally:
        store.close()

    # Every bad case ends in a logged reason naming its URL.
    assert set(EXPECTED_REASONS) == set(BAD_PATHS)
    for path, reason in EXPECTED_REASONS.items():
        assert any(site.url(path) in m and reason in m for m in warnings), (path, warnings)

    # Poll 1: the ten examples stored; the mirror of 01 recognised by its text;
    # 01 with tracking parameters recognised by its URL; 05/06 listed by both feeds.
    assert first.stored == 10, first.summary()
    assert first.count("duplicate") == 1
    assert first.count("refused") == 4 and first.count("failed") == 2
    assert first.already_seen == 3
    mirror = [o for o in first.outcomes if o.status == "duplicate"]
    assert mirror[0].url == site.url("/mirror/01.html")

    stored = _stored(db)
    by_path = {ex.path: ex for ex in site.examples}
    assert set(stored) == {site.url(p) for p in by_path}
    for i, ex in enumerate(site.examples):
        _aid, outlet, published, title = stored[site.url(ex.path)]
        assert published == date.fromisoformat(ex.meta["published"])  # from the feed
        assert title == ex.meta["title"]
        assert outlet == (FEED_TITLE if i < 6 else ATOM_TITLE)
    assert len({v[0] for v in stored.values()}) == 10

    # Poll 2: nothing new is stored; no article page is fetched again; the two
    # transient failures are tried once more.
    assert second.stored == 0 and second.count("duplicate") == 0
    assert {o.url for o in second.outcomes} == {site.url("/slow.html"),
                                                 site.url("/error500.html")}
    assert _stored(db) == stored
    for path in by_path:
        assert site.count(path) == 1, path
    assert site.count("/mirror/01.html") == 1
    assert site.count("/robots.txt") == 1  # per origin, per process
    assert site.count("/report.pdf") == 1 and site.count("/loop/a") == 1
    assert site.count("/private/secret.html") == 0  # never requested


@pytest.mark.slow
def test_fetch_command(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    opts = ["--timeout", "0.5", "--retries", "0", "--delay", "0"]
    runner = CliRunner()
    urls = [site.url("/articles/01.html"), site.url("/articles/02.html"),
            site.url("/report.pdf"), site.url("/private/secret.html"), "ftp://x.example/a"]
    res = runner.invoke(main, ["--db", str(db), "fetch", *urls, *opts])
    assert res.exit_code == 0, res.output
    assert res.output.strip().splitlines()[-1] == (
        "fetched 5 URL(s): 2 stored with " + res.output.split("stored with ")[1].split()[0]
        + " event(s), 0 duplicate, 0 unchanged, 3 refused, 0 failed")
    assert len(_stored(db)) == 2

    # Again: 01 answers 304 to its ETag; the mirror has 01's text under another URL.
    res = runner.invoke(main, ["--db", str(db), "fetch", site.url("/articles/01.html"),
                               site.url("/mirror/01.html"), *opts])
    assert res.exit_code == 0, res.output
    assert "0 stored with 0 event(s), 1 duplicate, 1 unchanged, 0 refused" in res.output
    assert site.count("/articles/01.html") == 2  # the conditional request
    assert len(_stored(db)) == 2

    # Nothing fetchable: the exit code says so.
    res = runner.invoke(main, ["--db", str(db), "fetch", site.url("/report.pdf"), *opts])
    assert res.exit_code == FetchError.exit_code


@pytest.mark.slow
def test_follow_command_runs_for_a_bounded_time_and_resumes(site: Site, tmp_path: Path
                                                            ) -> None:
    db = tmp_path / "fw.db"
    args = ["--db", str(db), "follow", site.url("/good.xml"), "--interval", "1",
            "--duration", "1", "--timeout", "0.5", "--delay", "0", "--max-items", "3"]
    runner = CliRunner()
    res = runner.invoke(main, args)
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("poll 1: 1 feed(s) (0 unchanged, 0 failed), 10 item(s)")
    assert lines[-1].startswith("stopped after")
    first = _stored(db)
    assert 1 <= len(first) <= 3
    res = runner.invoke(main, args)
    assert res.exit_code == 0, res.output
    second = _stored(db)
    assert len(second) > len(first) and set(first) <= set(second)
    for ex in site.examples:
        assert site.count(ex.path) <= 1


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_follow_stops_cleanly_on_a_signal_without_losing_an_article(
    site: Site, tmp_path: Path, sig: signal.Signals
) -> None:
    db = tmp_path / "fw.db"
    exe = Path(sys.executable).with_name("frontwatch")
    env = {k: v for k, v in os.environ.items()
           if k not in ("FRONTWATCH_DB", "FRONTWATCH_CONFIG")}
    proc = subprocess.Popen(
        [str(exe), "--db", str(db), "follow", site.url("/good.xml"), "--interval", "1",
         "--timeout", "0.5", "--delay", "0", "--retries", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 90
        while len(site.served("/articles/")) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no article was fetched in time"
            time.sleep(0.02)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"{sig.name} received: stopping after the current article" in err
    assert "stopped after 1 poll(s)" in out
    # Every article page that was served is in the database, whole; nothing else is.
    served = {site.url(p) for p in site.served("/articles/")}
    stored = _stored(db)
    assert set(stored) == served
    assert len(served) < len(site.examples)  # it really stopped early
    store = open_store(str(db))
    try:
        for url, (aid, *_rest) in stored.items():
            got = store.get_article(aid)
            assert got is not None and got.article.url == url and got.cleaned.text
        rows = store.conn.execute(  # type: ignore[attr-defined]
            "SELECT url, status FROM fetched_urls").fetchall()
    finally:
        store.close()
    assert {r[0] for r in rows if r[1] == "stored"} == served
