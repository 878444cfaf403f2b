"""The HTTP API: in-process through the ASGI app (httpx's ASGI transport via TestClient),
plus one test against a real `frontwatch serve` process on a random loopback port."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import threading
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontwatch.api import create_app
from frontwatch.api.app import check_tiles
from frontwatch.api.cache import Cached, Key, ResponseCache, canonical_query
from frontwatch.api.queries import Query as EventQuery
from frontwatch.api.queries import Reader, fts_query, snippet_segments
from frontwatch.errors import ConfigError, StoreError
from frontwatch.export import ACLED_COLUMNS
from frontwatch.store import SQLiteStore
from web_support import (
    AVDIIVKA,
    BAKHMUT,
    examples_db,
    expected_example_events,
    live_server,
    make_db,
    require_web_built,
    synthetic_results,
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("api") / "api.db", synthetic_results())


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db))) as c:
        yield c


def items(client: TestClient, url: str) -> list[dict[str, object]]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    out: list[dict[str, object]] = r.json()["items"]
    return out


# --------------------------------------------------------------------------- events


def test_events_list_all_with_total_and_records(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 7
    assert len(body["items"]) == 7
    first = body["items"][0]
    assert first["event_date"] == "2023-05-01"
    assert first["sources"][0]["affiliation"] == "ukraine_gov"
    assert first["corroboration"] >= 1 and first["fused_id"]


@pytest.mark.parametrize(("query", "expected"), [
    ("side=ukraine", 1),
    ("side=russia", 6),
    ("place=avdiivka", 3),
    (f"place={BAKHMUT.geonameid}", 2),
    ("place=Donetsk", 5),  # oblast
    ("type=Battles", 5),
    ("type=Armed clash", 3),
    ("type=Air/drone strike", 1),
    ("movement=capture", 2),
    ("modality=denied", 1),
    ("since=2023-06-01", 4),
    ("until=2023-05-01", 2),
    ("since=2023-05-01&until=2023-05-31", 3),
    ("source=gladkov", 1),
    ("source=russia_gov", 2),
    ("bbox=36,49,37,51", 2),  # Kharkiv and Belgorod
    ("bbox=37.5,48,38.1,48.7", 5),  # Bakhmut and Avdiivka
    ("min_corroboration=2", 4),  # Bakhmut: two origins; the capture: claimed and denied
    ("place=%25", 0),  # a LIKE wildcard stays literal
    ("place=x' OR '1'='1", 0),
])
def test_event_filters(client: TestClient, query: str, expected: int) -> None:
    body = client.get(f"/api/events?{query}&view=compact").json()
    assert body["total"] == expected, body
    assert len(body["items"]) == expected


def test_corroboration_counts_independent_origins(client: TestClient) -> None:
    evs = items(client, f"/api/events?place={BAKHMUT.geonameid}")
    assert {e["corroboration"] for e in evs} == {2}
    assert len({e["fused_id"] for e in evs}) == 1


def test_pagination_and_sort(client: TestClient) -> None:
    page1 = client.get("/api/events?limit=3&offset=0&view=compact").json()
    page2 = client.get("/api/events?limit=3&offset=3&view=compact").json()
    page3 = client.get("/api/events?limit=3&offset=6&view=compact").json()
    ids = [e["event_id"] for p in (page1, page2, page3) for e in p["items"]]
    assert len(ids) == len(set(ids)) == 7
    assert page1["total"] == 7
    newest = items(client, "/api/events?sort=-date&limit=1&view=compact")[0]
    assert newest["event_date"] == "2024-02-17"
    most = items(client, "/api/events?sort=-corroboration&limit=1&view=compact")[0]
    assert most["corroboration"] == 2
    dates = [str(e["event_date"]) for e in items(client, "/api/events?sort=date&view=compact")]
    assert dates == sorted(dates)


@pytest.mark.parametrize(("query", "status"), [
    ("limit=501", 400),  # full records: at most 500 a page
    ("limit=20001&view=compact", 422),
    ("limit=-1", 422),
    ("offset=-5", 422),
    ("side=martians", 422),
    ("movement=teleport", 422),
    ("since=yesterday", 422),
    ("sort=random", 422),
    ("bbox=1,2,3", 400),
    ("bbox=a,b,c,d", 400),
    ("bbox=10,60,20,50", 400),  # south > north
    ("min_corroboration=0", 422),
    ("place=" + "x" * 201, 422),
    ("source=" + "x" * 201, 422),
])
def test_bad_parameters_are_typed_errors(client: TestClient, query: str, status: int) -> None:
    r = client.get(f"/api/events?{query}")
    assert r.status_code == status, r.text
    assert r.json()["error"] in ("bad_request", "invalid_parameter")


def test_one_event_has_reports_evidence_article_and_contradictions(client: TestClient) -> None:
    capture = items(client, "/api/events?movement=capture&modality=claimed")[0]
    body = client.get(f"/api/events/{capture['event_id']}").json()
    ev = body["event"]
    text = body["article"]["text"]
    assert text[ev["evidence_start"]:ev["evidence_end"]] == ev["evidence"]
    assert body["reports"][0]["sources"][0]["name"] == "Russian Ministry of Defence"
    reasons = [c["reason"] for c in body["contradictions"]]
    assert reasons and "denied" in reasons[0]
    bakhmut = items(client, f"/api/events?place={BAKHMUT.geonameid}")[0]
    fused = client.get(f"/api/events/{bakhmut['event_id']}").json()
    assert len(fused["reports"]) == 2
    assert fused["fused"]["corroboration"] == 2
    assert {r["outlet"] for r in fused["reports"]} == {"Test Wire", "Kyiv Daily"}


def test_missing_things_are_404(client: TestClient) -> None:
    for url in ("/api/events/nope", "/api/articles/nope", "/api/places/1"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json()["error"] == "not_found"


def test_histogram(client: TestClient) -> None:
    days = client.get("/api/histogram").json()["days"]
    assert sum(d["n"] for d in days) == 7
    assert client.get("/api/histogram?side=ukraine").json()["days"] == [
        {"day": "2023-06-10", "side": "ukraine", "n": 1}]


# --------------------------------------------------------------------------- places, control


def test_places_and_place_view(client: TestClient) -> None:
    body = client.get("/api/places").json()
    assert body["total"] == 4
    assert body["items"][0]["name"] == "Avdiivka" and body["items"][0]["events"] == 3
    assert [p["name"] for p in items(client, "/api/places?q=bakh")] == ["Bakhmut"]
    view = client.get(f"/api/places/{AVDIIVKA.geonameid}").json()
    assert view["place"]["name"] == "Avdiivka"
    assert len(view["events"]) == 3
    holders = [iv["holder"] for iv in view["timeline"]["intervals"]]
    assert "russia" in holders


def test_control_as_of(client: TestClient) -> None:
    before = client.get("/api/control?as_of=2023-01-01").json()
    after = client.get("/api/control?as_of=2024-03-01").json()
    held = {c["name"]: c["holder"] for c in after["items"]}
    assert held.get("Avdiivka") == "russia"
    assert "Avdiivka" not in {c["name"] for c in before["items"]} or \
        {c["name"]: c["holder"] for c in before["items"]}["Avdiivka"] != "russia"
    full = client.get("/api/control").json()
    assert any(t["name"] == "Avdiivka" for t in full["timelines"])
    assert client.get("/api/control?as_of=someday").status_code == 422


# --------------------------------------------------------------------------- articles, search


def test_article_has_cleaned_text_boilerplate_and_events(client: TestClient) -> None:
    first = client.get("/api/articles").json()["items"][0]
    body = client.get(f"/api/articles/{first['id']}").json()
    assert body["title"] == "Fighting near Bakhmut"
    assert body["removed"] == [{"start": 0, "end": 10, "text": "Read more: ad",
                                "reason": "read-more teaser"}]
    assert len(body["events"]) == 2
    for e in body["events"]:
        assert body["text"][e["evidence_start"]:e["evidence_end"]]


def test_search_is_fts5_with_safe_syntax(client: TestClient) -> None:
    body = client.get("/api/search?q=Belgorod").json()
    assert body["total"] == 1
    snip = body["items"][0]["snippet"]
    assert any(s["hit"] and s["text"] == "Belgorod" for s in snip)
    assert client.get("/api/search?q=Avdi").json()["total"] == 2  # prefix on the last word
    assert client.get("/api/search?q=drone%20Belgorod").json()["total"] == 1
    for hostile in ('"', "AND OR NOT", "title:x", "*", "NEAR(a b)", "')--"):
        r = client.get("/api/search", params={"q": hostile})
        assert r.status_code == 200, hostile
    assert client.get("/api/search?q=" + "a" * 201).status_code == 422
    assert client.get("/api/search?q=").status_code == 422


def test_fts_query_and_snippets() -> None:
    assert fts_query('bakh "mut" OR x') == '"bakh" "mut" "OR" "x"*'
    assert fts_query("  ...  ") is None
    assert snippet_segments("a \x02hit\x03 b") == [
        {"text": "a ", "hit": False}, {"text": "hit", "hit": True}, {"text": " b", "hit": False}]


def test_new_articles_are_searchable_after_migration(tmp_path: Path) -> None:
    db = make_db(tmp_path / "s.db", synthetic_results()[:1])
    with SQLiteStore(str(db)) as store:
        store.save(synthetic_results()[3])
        rows = store.conn.execute(
            "SELECT a.name FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH 'kharkiv'").fetchall()
    assert [r[0] for r in rows] == ["004_synthetic.txt"]


# --------------------------------------------------------------------------- report, export


def test_report_for_filter(client: TestClient) -> None:
    r = client.get("/api/report?place=Kharkiv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/markdown")
    assert "Kharkiv" in r.text and "Bakhmut" not in r.text
    assert "Momentum" in client.get("/api/report?by=direction").text


def test_exports_follow_the_filter(client: TestClient) -> None:
    r = client.get("/api/export?format=acled-csv&side=russia")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 6
    assert tuple(rows[0]) == ACLED_COLUMNS
    gj = client.get("/api/export?format=geojson&place=Kharkiv").json()
    assert gj["type"] == "FeatureCollection"
    assert [f["properties"]["location"] for f in gj["features"]] == ["Kharkiv"]
    assert gj["features"][0]["geometry"]["coordinates"] == [36.25475, 49.98177]
    assert client.get("/api/export?format=xlsx").status_code == 422


# --------------------------------------------------------------------------- HTTP behaviour


def test_gzip_etag_and_cache_headers(client: TestClient) -> None:
    r = client.get("/api/events", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["cache-control"] == "no-cache"
    etag = r.headers["etag"]
    again = client.get("/api/events", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/events?side=russia", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_etag_changes_when_an_article_is_added(tmp_path: Path) -> None:
    db = make_db(tmp_path / "grow.db", synthetic_results()[:2])
    with TestClient(create_app(str(db))) as c:
        r1 = c.get("/api/events?view=compact")
        make_db(db, synthetic_results()[2:])
        r2 = c.get("/api/events?view=compact", headers={"If-None-Match": r1.headers["etag"]})
        assert r2.status_code == 200
        assert r2.json()["total"] == r1.json()["total"] + 3


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ("/api/meta", "/api/events/nope", "/openapi.json"):
        h = client.get(url).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"


def test_read_only(client: TestClient, db: Path) -> None:
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/api/events")
        assert r.status_code == 405
    store = client.app.state.reader.store  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError):
        store.conn.execute("DELETE FROM events")


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/places", "/api/control",
                 "/api/articles/{article_id}", "/api/search", "/api/report", "/api/export"):
        assert path in spec["paths"], path
    require_web_built()
    with TestClient(create_app(str(client.app.state.reader.db))) as c:  # type: ignore[attr-defined]
        docs = c.get("/docs")
        assert docs.status_code == 200
        assert "/static/swagger/swagger-ui-bundle.js" in docs.text
        assert "http" not in docs.text.replace("http-equiv", "")  # nothing from other hosts
        assert c.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
        page = c.get("/")
        assert page.status_code == 200 and "/static/app.js" in page.text
        assert "<script>" not in page.text  # no inline script: CSP forbids it anyway
        assert c.get("/static/app.js").headers["cache-control"].startswith("public")


def test_meta_and_basemap(client: TestClient) -> None:
    meta = client.get("/api/meta").json()
    assert meta["counts"]["events"] == 7
    assert meta["first_date"] == "2023-05-01" and meta["last_date"] == "2024-02-17"
    assert "Armed clash" in meta["sub_event_types"]
    base = client.get("/api/basemap").json()
    assert any(a["name"] == "Donetsk" for a in base["admin"])
    assert any(s["name"] == "Kharkiv" for s in base["settlements"])


def test_tiles_option_is_checked_and_allowed_by_csp(db: Path) -> None:
    with pytest.raises(ConfigError):
        check_tiles("javascript:alert(1)")
    with pytest.raises(ConfigError):
        check_tiles("https://tiles.example/no-placeholders.png")
    app = create_app(str(db), tiles="https://tiles.example/{z}/{x}/{y}.png")
    with TestClient(app) as c:
        assert c.get("/api/meta").json()["tiles"] == "https://tiles.example/{z}/{x}/{y}.png"
        assert "img-src 'self' data: https://tiles.example" in \
            c.get("/api/meta").headers["content-security-policy"]


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "none.db"))


# --------------------------------------------------------------------------- real server


@pytest.mark.slow
def test_real_server_on_the_examples(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = examples_db(tmp_path_factory.mktemp("examples"))
    n = expected_example_events(db)
    assert n > 0
    with live_server(db) as url:
        req = urllib.request.Request(url + "/api/events?view=compact&limit=1000",
                                     headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            body = json.loads(gzip.decompress(r.read()))
        assert body["total"] == n == len(body["items"])
        one = body["items"][0]["event_id"]
        with urllib.request.urlopen(f"{url}/api/events/{one}", timeout=10) as r:
            detail = json.loads(r.read())
        ev = detail["event"]
        assert detail["article"]["text"][ev["evidence_start"]:ev["evidence_end"]] == \
            ev["evidence"]
        with urllib.request.urlopen(url + "/openapi.json", timeout=10) as r:
            assert "/api/events" in json.loads(r.read())["paths"]


def test_rows_view_matches_compact(client: TestClient) -> None:
    compact = items(client, "/api/events?view=compact&side=russia")
    body = client.get("/api/events?view=rows&side=russia").json()
    assert body["total"] == len(compact) == len(body["rows"])
    as_dicts = [dict(zip(body["columns"], r, strict=True)) for r in body["rows"]]
    assert as_dicts == compact


# --------------------------------------------------------------------------- response cache


def counting(monkeypatch: pytest.MonkeyPatch, app: Any, method: str) -> list[int]:
    """Count calls of one Reader method of `app`: a cached answer does not call it."""
    reader = app.state.reader
    calls: list[int] = []
    real = getattr(reader, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reader, method, wrapper)
    return calls


def test_identical_requests_are_answered_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "cache.db", synthetic_results())
    with TestClient(create_app(str(db))) as c:
        calls = counting(monkeypatch, c.app, "rows")
        gz = {"Accept-Encoding": "gzip"}
        first = c.get("/api/events?view=rows&limit=20000&side=russia", headers=gz)
        assert first.status_code == 200 and calls == [1]
        # Same request, parameters in another order: from the cache, byte for byte.
        again = c.get("/api/events?side=russia&limit=20000&view=rows", headers=gz)
        assert calls == [1]
        assert again.content == first.content and again.headers == first.headers
        assert again.headers["etag"] == first.headers["etag"]
        assert "x-frontwatch-generation" not in again.headers  # internal, never sent
        assert again.headers["content-security-policy"]
        # Without gzip it is another body: built once, then cached too.
        plain = c.get("/api/events?view=rows&limit=20000&side=russia",
                      headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and calls == [1, 1]
        assert plain.json() == first.json()
        c.get("/api/events?view=rows&limit=20000&side=russia",
              headers={"Accept-Encoding": "identity"})
        assert calls == [1, 1]
        # Other parameters are another answer.
        c.get("/api/events?view=rows&limit=20000&side=ukraine", headers=gz)
        assert calls == [1, 1, 1]
        cache = c.app.state.cache  # type: ignore[attr-defined]
        assert cache.hits >= 2 and len(cache) == 3


def test_a_new_ingest_invalidates_the_cache(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "grow.db", synthetic_results()[:2])
    with TestClient(create_app(str(db))) as c:
        calls = counting(monkeypatch, c.app, "rows")
        url = "/api/events?view=rows&limit=20000"
        before = c.get(url).json()
        assert c.get(url).json() == before and calls == [1]
        meta = c.get("/api/meta").json()["counts"]
        make_db(db, synthetic_results()[2:])  # another process's commit, as an ingest
        after = c.get(url).json()
        assert calls == [1, 1]
        assert after["total"] == before["total"] + 3 == len(after["rows"])
        assert c.get("/api/meta").json()["counts"]["articles"] == meta["articles"] + 2
        assert c.get(url).json() == after and calls == [1, 1]
        cache = c.app.state.cache  # type: ignore[attr-defined]
        assert len(cache) == 2  # the old generation's answers are gone


def test_errors_and_non_api_answers_are_not_cached(tmp_path: Path) -> None:
    db = make_db(tmp_path / "err.db", synthetic_results())
    with TestClient(create_app(str(db))) as c:
        assert c.get("/api/events/nope").status_code == 404
        assert c.get("/api/events?limit=-1").status_code == 422
        assert c.get("/favicon.ico").status_code == 204
        assert len(c.app.state.cache) == 0  # type: ignore[attr-defined]


def test_the_cache_is_bounded_in_bytes(tmp_path: Path) -> None:
    db = make_db(tmp_path / "small.db", synthetic_results())
    with TestClient(create_app(str(db), cache_bytes=20_000)) as c:
        cache = c.app.state.cache  # type: ignore[attr-defined]
        for limit in range(1, 40):
            assert c.get(f"/api/events?limit={limit}").status_code == 200
            assert cache.bytes <= 20_000
        assert 0 < len(cache) < 39
        # Over a quarter of the whole: answered, never kept.
        big = c.get("/api/export?format=jsonl", headers={"Accept-Encoding": "identity"})
        assert big.status_code == 200 and len(big.content) > cache.max_entry
        assert all(k[3] != "/api/export" for k in cache._entries)


def test_response_cache_lru_and_generations() -> None:
    cache = ResponseCache(max_bytes=4000)
    assert cache.max_entry == 1000

    def entry(n: int) -> Cached:
        return Cached(200, ((b"content-type", b"application/json"),), b"x" * n)

    def key(gen: int, path: str) -> Key:
        return (gen, "2024-01-01", "GET", path, "", True)

    for i in range(5):
        assert cache.put(key(1, f"/{i}"), entry(800))
    assert cache.bytes <= 4000 and cache.get(key(1, "/0")) is None  # least recent out
    assert cache.get(key(1, "/1")) is not None  # now the most recent
    assert cache.put(key(1, "/5"), entry(800))
    assert cache.get(key(1, "/2")) is None and cache.get(key(1, "/1")) is not None
    assert not cache.put(key(1, "/big"), entry(2000))  # larger than a quarter
    # A newer generation drops the older one's entries; an older one is refused.
    assert cache.get(key(2, "/1")) is None and len(cache) == 0 and cache.bytes == 0
    assert not cache.put(key(1, "/1"), entry(10))
    assert cache.put(key(2, "/1"), entry(10)) and len(cache) == 1


def test_canonical_query_sorts_names_but_keeps_repeats_in_order() -> None:
    assert canonical_query(b"b=2&a=1") == canonical_query(b"a=1&b=2") == "a=1&b=2"
    assert canonical_query(b"side=ukraine&a=1&side=russia") == "a=1&side=ukraine&side=russia"
    assert canonical_query(b"q=a%20b") == canonical_query(b"q=a+b")
    assert canonical_query(b"") == ""


def test_each_thread_reads_on_its_own_connection(db: Path) -> None:
    reader = Reader(str(db))
    try:
        seen: dict[str, Any] = {}

        def read(name: str) -> None:
            with reader.snapshot() as generation:
                seen[name] = (reader.store.conn, generation,
                              reader.store.conn.execute("PRAGMA query_only").fetchone()[0],
                              reader.count(EventQuery()))

        threads = [threading.Thread(target=read, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        (ca, ga, qa, na), (cb, gb, qb, nb) = seen["a"], seen["b"]
        assert ca is not cb and ga == gb == reader.generation()
        assert qa == qb == 1 and na == nb == 7
    finally:
        reader.close()
