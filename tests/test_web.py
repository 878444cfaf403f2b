"""The map page in a real browser: Debian's chromium, headless, driven by Playwright, against
`frontwatch serve` on the bundled examples. Screenshots go to test-artifacts/.

Skipped, with the reason, only when chromium (or node to build the page) is missing;
.ci/run installs chromium, so in CI these run.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_support import (
    ARTIFACTS,
    examples_db,
    expected_example_events,
    launch,
    live_server,
    require_web_built,
    skip_module_without_chromium,
)

pytestmark = pytest.mark.slow

skip_module_without_chromium()

from playwright.sync_api import Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_web_built()
    db = examples_db(tmp_path_factory.mktemp("web"))
    with live_server(db) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, site: tuple[str, Path]) -> Iterator[Page]:
    url = site[0]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    external: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith((url, "data:")) else
          external.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert not external, f"the page fetched from other hosts: {external}"
    assert not errors, f"errors in the page: {errors}"


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def shot(pg: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ready(pg: Page, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("body[data-ready=true]")
    pg.wait_for_function("() => document.getElementById('map').dataset.controlAsOf !== undefined")


def data(pg: Page, expr: str) -> str:
    value: str = pg.evaluate(f"() => {expr}")
    return value


def test_page_shows_every_example_event(page: Page, site: tuple[str, Path]) -> None:
    url, db = site
    n = expected_example_events(db)
    ready(page, url + "/")
    assert data(page, "document.body.dataset.events") == str(n)
    assert data(page, "document.body.dataset.visible") == str(n)
    assert data(page, "document.getElementById('map').dataset.markers") == str(n)
    assert page.locator("#event-rows tr").count() == n
    # Clustered when zoomed out: fewer icons on the map than events.
    clusters = page.locator(".leaflet-marker-icon.cluster").count()
    assert clusters > 0
    assert page.locator(".leaflet-marker-icon.ev").count() + clusters < n
    # The offline basemap: country outlines, oblast labels.
    assert page.locator("path.leaflet-interactive, .leaflet-base-pane path").count() > 0 or \
        page.locator("svg path").count() > 0
    assert page.locator(".oblast", has_text="Donetsk").count() >= 1
    shot(page, "web-loaded")


def test_clicking_an_event_shows_its_evidence(page: Page, site: tuple[str, Path]) -> None:
    url, _ = site
    ready(page, url + "/")
    row = page.locator("#event-rows tr").first
    event_id = row.get_attribute("data-event-id")
    row.click()
    page.wait_for_selector("#evidence")
    detail = api(f"{url}/api/events/{event_id}")
    assert page.locator("#evidence").inner_text() == detail["event"]["evidence"]
    # The evidence sits inside its cleaned article, highlighted.
    whole = page.locator("#article-text").inner_text()
    assert detail["article"]["text"][:40] in whole
    src = detail["reports"][0]["sources"][0]
    assert src["name"] in page.locator("#sources").inner_text()
    assert src["affiliation"].replace("_", " ") in page.locator("#sources").inner_text()
    assert "independent origin" in page.locator("[data-field=corroboration]").inner_text()
    assert f"event={event_id}" in page.url
    shot(page, "web-event")
    # Its place: the place view with the control timeline.
    page.locator("[data-field=place] button").click()
    page.wait_for_selector("#place-title")
    assert page.locator("#place-title").inner_text() == detail["event"]["location"]
    shot(page, "web-place")


def test_brushing_the_timeline_changes_markers_and_control(page: Page,
                                                           site: tuple[str, Path]) -> None:
    url, _ = site
    ready(page, url + "/")
    before_markers = data(page, "document.getElementById('map').dataset.markers")
    before_asof = data(page, "document.getElementById('map').dataset.controlAsOf")
    before_control = data(page, "document.getElementById('map').dataset.control")
    box = page.locator("#histogram").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.02, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.35, y, steps=5)
    page.mouse.up()
    page.wait_for_function("(v) => document.getElementById('map').dataset.controlAsOf !== v",
                           arg=before_asof)
    page.wait_for_function("(v) => document.getElementById('map').dataset.control !== v",
                           arg=before_control)
    after_markers = data(page, "document.getElementById('map').dataset.markers")
    assert int(after_markers) < int(before_markers)
    assert int(after_markers) == int(data(page, "document.body.dataset.visible"))
    assert page.locator("#event-rows tr").count() == int(after_markers)
    assert "from=" in page.url and "to=" in page.url
    assert page.locator("#range").inner_text() != "All dates"
    shot(page, "web-brushed")
    # Play moves the window forward.
    start = page.locator("#range").inner_text()
    page.locator("#play").click()
    page.wait_for_function("(v) => document.getElementById('range').textContent !== v",
                           arg=start)
    page.locator("#play").click()


def test_a_filter_round_trips_through_the_url(page: Page, site: tuple[str, Path]) -> None:
    url, _ = site
    expected = api(f"{url}/api/events?side=ukraine&view=compact")["total"]
    ready(page, url + "/")
    page.select_option("select[name=side]", "ukraine")
    page.wait_for_function("(v) => document.body.dataset.events === v", arg=str(expected))
    assert "side=ukraine" in page.url
    shared = page.url
    page.goto("about:blank")
    ready(page, shared)
    assert page.locator("select[name=side]").input_value() == "ukraine"
    assert data(page, "document.body.dataset.events") == str(expected)
    assert page.locator("#export-csv").get_attribute("href").endswith("side=ukraine")  # type: ignore[union-attr]
    # A brushed range and a selected event come back too.
    row = page.locator("#event-rows tr").first
    row.click()
    page.wait_for_selector("#evidence")
    shared = page.url
    page.goto("about:blank")
    ready(page, shared)
    page.wait_for_selector("#evidence")
    shot(page, "web-url-roundtrip")


def test_search_and_docs_work_offline(page: Page, site: tuple[str, Path]) -> None:
    url, _ = site
    ready(page, url + "/")
    page.fill("#search input[name=q]", "Robotyne")
    page.locator("#search button").click()
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results mark").first.inner_text().lower().startswith("robotyne")
    page.goto(url + "/docs")
    page.wait_for_selector(".swagger-ui .info")
    page.locator(".opblock-summary-path", has_text="/api/events").first.wait_for()
    shot(page, "web-docs")


def test_place_view_shows_its_control_timeline(page: Page, site: tuple[str, Path]) -> None:
    url, _ = site
    meta = api(f"{url}/api/meta")
    held = api(f"{url}/api/control?as_of={meta['last_date']}")["items"]
    assert held, "the examples establish who holds some settlement"
    gid = held[0]["geonameid"]
    ready(page, f"{url}/?place_view={gid}")
    page.wait_for_selector("#place-title")
    assert page.locator("#place-title").inner_text() == held[0]["name"]
    assert page.locator(".control-bar rect").count() >= 1
    assert held[0]["holder"] in page.locator("#control-intervals").inner_text()
    # The control layer rings the settlement in its holder's colour.
    assert page.locator(f"path.control-{held[0]['holder']}").count() >= 1
    shot(page, "web-place-control")
