"""The API under hostile input: SQL injection through every parameter of every route,
path traversal, the default bind address, security headers, and no way to write.

Routes and parameters come from the app's own OpenAPI document, so a route or filter
added later is attacked too without editing this file. Most requests go in-process
(TestClient); what only a real server shows (raw request lines with ../, NUL bytes,
invalid UTF-8, huge URLs, the listening address) goes over a socket to `frontwatch
serve`.
"""

from __future__ import annotations

import inspect
import json
import re
import socket
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontwatch.api import app as api_app
from frontwatch.api import create_app
from frontwatch.cli import main
from web_support import ROOT, live_server, make_db, synthetic_results

INJECTIONS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "1' OR '1'='1' /*",
    "1; DROP TABLE events",
    "'; DROP TABLE events; --",
    "\" OR \"\"=\"",
    '"',
    "'",
    "%",
    "_",
    "%%' OR 1=1 --",
    "*",
    "NEAR(a b)",  # FTS5 syntax
    "title:x OR cleaned_text:y",  # FTS5 column filter
    ") UNION SELECT name, sql FROM sqlite_master --",
    "1 UNION ALL SELECT 1,2,3",
    "\\",
    "\x00",
    "a\x00' OR 1=1 --",
    "Бахмут' OR 'а'='а",
    "²",  # str.isdigit() is true, int() refuses it
    "①",
    "٣",  # an Arabic-Indic digit: int() takes it
    "9" * 40,  # digits, but no SQLite integer
    "-1",
    "1e999",
    "NaN",
    "\u202e' OR 1=1",
    "😀" * 50,
    "x" * 5000,
]
# Parameters compared as free text: an injection must match nothing at all.
FREE_TEXT = {"place", "type", "source", "article", "q"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("sec") / "sec.db", synthetic_results())


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def routes(client: TestClient) -> dict[str, list[dict[str, Any]]]:
    """Every GET route of the API with its parameters, from the OpenAPI document."""
    spec = client.get("/openapi.json").json()
    out = {}
    for path, ops in spec["paths"].items():
        assert set(ops) == {"get"}, f"{path} takes {set(ops)}: only GET is expected"
        out[path] = ops["get"].get("parameters", [])
    return out


def benign(db: Path) -> dict[str, str]:
    """A value for each parameter under which the route answers 200 with data."""
    conn = sqlite3.connect(db)
    event, article, gid = conn.execute(
        "SELECT event_id, article_id, geonameid FROM events LIMIT 1").fetchone()
    conn.close()
    return {"event_id": event, "article_id": article, "geonameid": str(gid), "q": "Bakhmut"}


def url(path: str, params: dict[str, str]) -> str:
    for name in re.findall(r"{(\w+)}", path):
        path = path.replace("{" + name + "}", urllib.parse.quote(params.pop(name), safe=""))
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def size(r: Any) -> int | None:
    """How many records an answer holds, where it says."""
    ctype = r.headers.get("content-type", "")
    if "geo+json" in ctype:
        return len(r.json()["features"])
    if "ndjson" in ctype:
        return len(r.text.splitlines())
    if "text/csv" in ctype:
        return max(0, len(r.text.splitlines()) - 1)
    if "json" not in ctype:
        return None
    body = r.json()
    if isinstance(body, dict):
        for key in ("total", "items", "timelines", "days"):
            if key in body:
                v = body[key]
                return v if isinstance(v, int) else len(v)
    return None


def table_state(db: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    conn = sqlite3.connect(db)
    try:
        schema = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "events", "places", "mentions", "event_sources")}
        return schema, counts
    finally:
        conn.close()


# --------------------------------------------------------------------------- injection


def test_injection_through_every_parameter_of_every_route(client: TestClient, db: Path
                                                          ) -> None:
    before = table_state(db)
    ok = benign(db)
    found = routes(client)
    assert {"/api/events", "/api/events/{event_id}", "/api/places", "/api/search",
            "/api/control", "/api/export", "/api/report"} <= set(found)
    failures: list[str] = []
    tried = 0
    for path, params in found.items():
        required = {p["name"]: ok[p["name"]] for p in params if p.get("required")}
        base = client.get(url(path, dict(required)))
        assert base.status_code == 200, (path, base.text)
        base_n = size(base)
        for p in params:
            for payload in INJECTIONS:
                tried += 1
                query = {**required, p["name"]: payload}
                r = client.get(url(path, query))
                where = f"{path} {p['name']}={payload[:40]!r}"
                if r.status_code >= 500 or r.status_code not in (200, 400, 404, 422):
                    failures.append(f"{where}: HTTP {r.status_code} {r.text[:200]}")
                    continue
                # The payload itself may come back, JSON-quoted, in a 404's message.
                text = r.text.replace(json.dumps(payload)[1:-1], "").lower()
                if any(s in text for s in ("traceback", "sqlite", "syntax error",
                                            "create table")):
                    failures.append(f"{where}: leaks internals: {r.text[:200]}")
                if r.status_code != 200 or p["in"] == "path":
                    continue
                n = size(r)
                if n is not None and base_n is not None and n > base_n:
                    failures.append(f"{where}: {n} records, more than the unfiltered {base_n}")
                if p["name"] in FREE_TEXT and n and path != "/api/search":
                    failures.append(f"{where}: matched {n} records")
    assert tried > 500
    assert not failures, "\n".join(failures[:30])
    assert table_state(db) == before  # nothing dropped, nothing written
    assert client.get("/api/events").json()["total"] == before[1]["events"]


def test_search_injection_finds_only_words(client: TestClient) -> None:
    # FTS5 syntax in a query is quoted away: these words are in no article.
    for q in ("' OR 1=1 --", "NEAR(a b)", "title:x OR cleaned_text:y", "* OR *"):
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, (q, r.text)
    assert client.get("/api/search", params={"q": "Bakhmut' OR 1=1 --"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "Bakhmut"}).json()["total"] == 2


def test_the_api_connection_cannot_write(client: TestClient) -> None:
    conn = client.app.state.reader.store.conn  # type: ignore[attr-defined]
    for sql in ("DROP TABLE events", "DELETE FROM articles", "UPDATE places SET name = 'x'"):
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute(sql)


def test_every_worker_threads_connection_cannot_write(client: TestClient) -> None:
    # Each worker thread opens its own connection: mode=ro and PRAGMA query_only on all,
    # the TEMP schema included (only the reader lifts it, to refill its corroboration).
    reader = client.app.state.reader  # type: ignore[attr-defined]
    errors: list[str] = []

    def attempt() -> None:
        conn = reader.store.conn
        if conn.execute("PRAGMA query_only").fetchone()[0] != 1:
            errors.append("query_only is off")
        for sql in ("DELETE FROM articles", "CREATE TABLE x (a)", "DELETE FROM temp.fw_fused",
                    "CREATE TEMP TABLE y (a)"):
            try:
                conn.execute(sql)
                errors.append(f"{sql} succeeded")
            except sqlite3.OperationalError as exc:
                if "readonly" not in str(exc):
                    errors.append(f"{sql}: {exc}")

    worker = threading.Thread(target=attempt)
    worker.start()
    worker.join()
    assert not errors, errors


# --------------------------------------------------------------------------- traversal

TRAVERSALS = [
    "/static/../../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/%252e%252e%252f%252e%252e%252fpyproject.toml",
    "/static/....//....//pyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/../../../../../../etc/passwd",
    "/static/..%c0%af..%c0%afetc/passwd",
    "/static/app.js%00.txt",
    "/static/",
    "/static/swagger/../../../pyproject.toml",
    "/../../pyproject.toml",
    "/docs/../../pyproject.toml",
    "/api/articles/..%2f..%2f..%2fetc%2fpasswd",
    "/api/articles/../../../etc/passwd",
    "/api/events/..%2f..%2fpyproject.toml",
    "/api/places/..%2f..%2fetc%2fpasswd",
    "/api/export?format=../../etc/passwd",
    "/api/search?q=../../etc/passwd",
    "/api/events?article=../../../etc/passwd",
    "/frontwatch.db",
    "/static/../../frontwatch.db",
]
SECRETS = ("root:x:0:0", "[project]", "SQLite format 3", "requires-python")


def test_no_path_traversal_in_process(client: TestClient) -> None:
    for path in TRAVERSALS:
        r = client.get(path)
        assert r.status_code in (200, 400, 404, 405, 422), (path, r.status_code)
        assert not any(s in r.text for s in SECRETS), (path, r.text[:200])
        if r.status_code == 200:  # only a search or filter that matched nothing
            assert path.startswith(("/api/search", "/api/events?", "/api/export")), path
            assert size(r) == 0, (path, r.text[:200])


def raw_get(port: int, target: bytes, extra: bytes = b"") -> tuple[int, bytes]:
    """One request with its request line exactly as given (no client normalisation)."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra +
                      b"Connection: close\r\n\r\n")
            while chunk := s.recv(65536):
                data += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass  # refused before we finished sending: what it answered, if anything
    if not data:
        return 0, b""  # the server closed the connection without an answer
    status = int(data.split(b" ", 2)[1])
    return status, data


def test_raw_requests_against_a_real_server(db: Path) -> None:
    with live_server(db) as base:
        port = int(base.rsplit(":", 1)[1])
        for path in TRAVERSALS:
            status, data = raw_get(port, path.encode())
            assert status in (200, 400, 404, 405, 422), (path, status)
            assert not any(s.encode() in data for s in SECRETS), (path, data[:300])
        # Bytes no client would send: NUL, invalid UTF-8, overlong encodings, controls.
        for target in (b"/api/events?place=%00", b"/api/events?place=%ff%fe",
                       b"/api/events?source=%ed%a0%80", b"/api/search?q=%c0%ae%c0%ae",
                       b"/api/articles/%00", b"/api/events/%ff", b"/static/%00",
                       b"/api/events?place=%0d%0aX-Injected:%201"):
            status, data = raw_get(port, target)
            assert status in (200, 400, 404, 422), (target, status, data[:300])
            assert b"X-Injected" not in data.split(b"\r\n\r\n")[0], target
        # A huge request line or header is refused by the HTTP layer, never a 500.
        status, _ = raw_get(port, b"/api/events?place=" + b"a" * 1_000_000)
        assert status in (0, 400, 414, 422, 431)
        status, _ = raw_get(port, b"/api/meta", b"X-Big: " + b"b" * 1_000_000 + b"\r\n")
        assert status in (0, 400, 431)
        # And the server still answers.
        status, _ = raw_get(port, b"/api/meta")
        assert status == 200


# --------------------------------------------------------------------------- binding


def test_serve_binds_to_loopback_by_default() -> None:
    serve = main.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert isinstance(host, click.Option) and host.default == "127.0.0.1"
    assert inspect.signature(api_app.serve).parameters["host"].default == "127.0.0.1"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^HOST\s*\?=\s*127\.0\.0\.1\s*$", makefile, re.M)
    for target in ("serve", "run"):
        recipe = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        assert "serve --host $(HOST)" in recipe, target


def _outward_address() -> str | None:
    """This machine's address on its default route, if it has one (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never contacted
            addr: str = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def test_real_server_is_not_reachable_from_outside(db: Path) -> None:
    addr = _outward_address()
    if addr is None:
        pytest.skip("this machine has no non-loopback address to test from")
    with live_server(db, host=None) as base:  # no --host: the default
        port = int(base.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            socket.create_connection((addr, port), timeout=2).close()


# --------------------------------------------------------------------------- headers


def check_headers(where: str, h: Any) -> None:
    csp = h.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == ["'none'"], (where, csp)
    assert directives.get("script-src") == ["'self'"], (where, csp)  # no inline, no eval
    assert directives.get("frame-ancestors") == ["'none'"], (where, csp)
    assert directives.get("object-src") == ["'none'"], (where, csp)
    assert directives.get("base-uri") == ["'none'"], (where, csp)
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("x-frame-options") == "DENY", where
    assert h.get("referrer-policy") == "no-referrer", where
    assert "access-control-allow-origin" not in h, where  # no CORS: same origin only


def test_security_headers_on_every_response(client: TestClient, db: Path) -> None:
    ok = benign(db)
    paths = [url(p, {n["name"]: ok[n["name"]] for n in params if n.get("required")})
             for p, params in routes(client).items()]
    paths += ["/", "/docs", "/openapi.json", "/static/app.js", "/static/app.css",
              "/favicon.ico", "/nope", "/static/nope.js", "/api/events/nope",
              "/api/events?side=nope", "/api/events?bbox=1,2", "/api/places/nope"]
    statuses = set()
    for path in paths:
        r = client.get(path)
        statuses.add(r.status_code)
        check_headers(path, r.headers)
    r = client.post("/api/events")
    check_headers("POST /api/events", r.headers)
    etag = client.get("/api/meta").headers["etag"]
    r = client.get("/api/meta", headers={"If-None-Match": etag})
    assert r.status_code == 304
    check_headers("304", r.headers)
    assert {200, 404, 400, 422} <= statuses
    # The Swagger page alone may use inline styles; scripts stay 'self' there too.
    assert "'unsafe-inline'" not in client.get("/").headers["content-security-policy"]


def test_real_server_headers(db: Path) -> None:
    with live_server(db) as base:
        for path in ("/", "/api/meta", "/static/app.js", "/nope"):
            try:
                with urllib.request.urlopen(base + path, timeout=30) as r:
                    check_headers(path, r.headers)
            except urllib.error.HTTPError as e:  # the 404 carries them too
                check_headers(path, e.headers)


# --------------------------------------------------------------------------- writes


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_no_write_method_on_any_route(client: TestClient, db: Path, method: str) -> None:
    # There is no write endpoint (ingest over HTTP is not offered), so no token exists to
    # check: every route refuses every other method, whatever the body.
    ok = benign(db)
    body = json.dumps({"text": "x" * 100_000}).encode()
    for path, params in routes(client).items():
        u = url(path, {n["name"]: ok[n["name"]] for n in params if n.get("required")})
        r = client.request(method, u, content=body,
                           headers={"Content-Type": "application/json"})
        assert r.status_code == 405, (method, path, r.status_code)
    for path in ("/", "/static/app.js", "/docs"):
        assert client.request(method, path, content=body).status_code == 405, (method, path)


# --------------------------------------------------------------------------- dependencies


def test_every_dependency_is_pinned_by_hash() -> None:
    # Joined continuation lines: one requirement each, with its hashes.
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8").replace("\\\n", " ")
    reqs = [ln.split("#")[0].strip() for ln in text.splitlines()]
    reqs = [r for r in reqs if r and not r.startswith("--")]
    assert len(reqs) > 50
    for r in reqs:
        name = r.split()[0]
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+", name), r[:80]
        assert "--hash=sha256:" in r, name
    names = {r.split("==")[0].lower() for r in reqs}
    assert {"fastapi", "uvicorn", "starlette", "pip-audit"} <= names


def _audit_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("fw_audit", ROOT / ".ci" / "audit.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_audit_fails_on_a_vulnerable_pin_and_not_on_an_outage(
        monkeypatch: pytest.MonkeyPatch) -> None:
    judge = _audit_module().judge
    ok = [{"name": f"p{i}", "version": "1.0", "vulns": []} for i in range(20)]
    status, lines = judge({"dependencies": ok, "fixes": []})
    assert status == 0 and "20 pinned packages audited" in lines[-1]
    bad = [*ok, {"name": "jinja2", "version": "3.1.2", "vulns": [
        {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]}]
    status, lines = judge({"dependencies": bad, "fixes": []})
    assert status == 1 and "jinja2==3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)" in lines[0]
    # Every package skipped (what a run without the service reports as "No known
    # vulnerabilities found"): inconclusive, said loudly, failing only when asked to.
    skipped = [{"name": f"p{i}", "skip_reason": "Dependency not found on PyPI and could "
                f"not be audited: p{i} (1.0)"} for i in range(20)]
    status, lines = judge({"dependencies": skipped, "fixes": []})
    assert status == 0 and "INCONCLUSIVE" in lines[-1] and "0 of 20" in lines[-1]
    monkeypatch.setenv("FRONTWATCH_AUDIT_STRICT", "1")
    assert judge({"dependencies": skipped, "fixes": []})[0] == 2
    assert judge({"dependencies": bad, "fixes": []})[0] == 1
