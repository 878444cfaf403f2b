"""Untrusted text in a real browser: an article carrying <script>, onerror= and javascript:
payloads in its title, text, outlet, URL and source names is ingested (through the CLI and
the whole pipeline, and, for the fields the pipeline would never fill so, written straight
into the store), then shown in every view of the page. Each payload would set
window.__pwned; it must stay undefined, the payload must show as literal text, and the
page must carry a strict Content-Security-Policy that blocks inline script by itself."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.records import Place, Removed, Source
from frontwatch.store import SQLiteStore
from web_support import (
    ARTIFACTS,
    article_result,
    launch,
    live_server,
    require_web_built,
    skip_module_without_chromium,
)

pytestmark = pytest.mark.slow

skip_module_without_chromium()

from playwright.sync_api import Page, sync_playwright  # noqa: E402

SCRIPT = "<script>window.__pwned='script'</script>"
IMG = "<img src=x onerror=\"window.__pwned='onerror'\">"
SVG = "<svg onload=\"window.__pwned='svg'\"></svg>"
JS_URL = "javascript:window.__pwned='url'"
ALL = (SCRIPT, IMG, SVG)

EVIL_PLACE = Place(990001, f"Evil{IMG}town", 48.9, 37.5, "UA", "settlement", "UA.05",
                   f"Donetsk{SCRIPT}", population=100)


def _pipeline_article(tmp: Path) -> Path:
    text = (
        f"Russian forces shelled Kharkiv on Monday {IMG}, killing two people, the regional "
        f"governor Oleh Syniehubov said on Telegram {SCRIPT}. "
        f"Ukrainian troops repelled an assault near Bakhmut {SVG}, the General Staff said."
    )
    record = {"text": text, "title": f"Strikes {SCRIPT} on Kharkiv {IMG}",
              "outlet": f"Evil Outlet {IMG}", "url": JS_URL, "published": "2024-03-04"}
    path = tmp / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def _stored_article() -> Any:
    evidence = f"Fighting raged in Eviltown {SCRIPT} {IMG} {SVG} all day."
    text = f"{JS_URL} Read more {IMG}. {evidence} The end."
    return article_result(
        666, text=text, title=f"Title {SCRIPT}{IMG}", outlet=f"Outlet {SVG}", url=JS_URL,
        published=date(2024, 3, 5),
        removed=(Removed(0, 10, f"Read more {IMG}", f"teaser {SCRIPT}"),),
        events=[{
            "place": EVIL_PLACE, "evidence": evidence, "surface": "Eviltown",
            "event_date": date(2024, 3, 5), "actor1": f"Actor {SCRIPT}",
            "movement": "capture", "sub_event_type": "Non-state actor overtakes territory",
            "sources": (Source(f"Source {SCRIPT}", "military_blogger", f"Chan {IMG}",
                               relayed_by=f"{JS_URL} {SVG}"),
                        Source(f"Second {IMG}", "media", "Telegram")),
        }],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    require_web_built()
    tmp = tmp_path_factory.mktemp("xss")
    db = tmp / "xss.db"
    res = CliRunner().invoke(main, ["--db", str(db), "ingest", str(_pipeline_article(tmp)),
                                    "--no-progress"])
    assert res.exit_code == 0, res.output
    stored = _stored_article()
    with SQLiteStore(str(db)) as store:
        assert store.save(stored)
        assert store.counts()["events"] >= 2
    with live_server(db) as url:
        yield url, stored.events[0].event_id


@pytest.fixture
def page(site: tuple[str, str]) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        pg.set_default_timeout(15_000)
        dialogs: list[str] = []

        def on_dialog(d: Any) -> None:
            dialogs.append(d.message)
            d.dismiss()

        pg.on("dialog", on_dialog)
        yield pg
        assert not dialogs, f"a dialog opened: {dialogs}"
        browser.close()


def pwned(pg: Page) -> Any:
    return pg.evaluate("() => window.__pwned")


def ready(pg: Page, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("body[data-ready=true]")


def test_page_has_a_strict_csp(site: tuple[str, str]) -> None:
    url, _ = site
    with urllib.request.urlopen(url + "/", timeout=10) as r:
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe" not in directives["style-src"]


def test_no_payload_runs_anywhere(page: Page, site: tuple[str, str]) -> None:
    url, event_id = site
    ready(page, url + "/")
    assert pwned(page) is None
    rows = page.locator("#event-rows tr")
    assert rows.count() >= 2
    # Every event's panel, with its article, sources and reports.
    for i in range(rows.count()):
        rows.nth(i).click()
        page.wait_for_selector("#evidence")
        page.wait_for_timeout(100)
        assert pwned(page) is None
    # The stored article's event: every payload shows as text.
    page.goto(f"{url}/?event={event_id}")
    page.wait_for_selector("#evidence")
    panel = page.locator("#panel").inner_text()
    for payload in ALL:
        assert payload in panel, payload
    assert f"Source {SCRIPT}" in page.locator("#sources").inner_text()
    assert page.locator("#panel script, #panel img, #panel svg, #panel iframe").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("#article-title").inner_text() == f"Title {SCRIPT}{IMG}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss-event.png"))
    # Tooltips of the map markers (the place name carries a payload).
    for marker in page.locator(".leaflet-marker-icon.ev").all():
        marker.hover()
    # The place view, with the control timeline.
    page.locator("[data-field=place] button").click()
    page.wait_for_selector("#place-title")
    assert page.locator("#place-title").inner_text() == EVIL_PLACE.name
    # Search results (snippets come from the article text).
    page.fill("#search input[name=q]", "pwned")
    page.locator("#search button").click()
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results script, #search-results img").count() == 0
    # Filters typed with payloads go through the URL and back as text.
    page.goto(f"{url}/?place={IMG}&source={SCRIPT}")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("input[name=place]").input_value() == IMG
    page.wait_for_timeout(300)
    assert pwned(page) is None
    page.screenshot(path=str(ARTIFACTS / "xss-search.png"))


def test_csp_blocks_an_injected_inline_script(page: Page, site: tuple[str, str]) -> None:
    """Even markup that did reach the DOM could not run: the policy blocks it."""
    url, _ = site
    ready(page, url + "/")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = "window.__pwned = 'inline'";
        document.body.append(s);
        const d = document.createElement('div');
        d.innerHTML = '<img src=x onerror="window.__pwned=1">';
        document.body.append(d);
    }""")
    page.wait_for_timeout(300)
    assert pwned(page) is None


def test_api_returns_payloads_as_json_strings(site: tuple[str, str]) -> None:
    url, event_id = site
    req = urllib.request.Request(f"{url}/api/events/{event_id}")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Type"] == "application/json"
        body = json.loads(r.read())
    assert body["event"]["sources"][0]["name"] == f"Source {SCRIPT}"
    assert body["article"]["url"] == JS_URL  # data as stored; the page never links it
