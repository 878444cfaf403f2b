"""Helpers for the API, browser and XSS tests: databases, the built page, a real server,
and Debian's chromium driven by Playwright.

Databases are either synthetic (hand-made ArticleResults saved through SQLiteStore, no
spaCy) or the bundled examples/ ingested through the CLI once per test session.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from frontwatch.records import (
    Article,
    ArticleResult,
    Claim,
    Cleaned,
    Event,
    Mention,
    Place,
    Removed,
    Source,
)
from frontwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
DIST = WEB / "dist"
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FRONTWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

BAKHMUT = Place(712451, "Bakhmut", 48.5956, 38.0003, "UA", "settlement", "UA.05", "Donetsk",
                population=72310, feature_code="PPLA2")
AVDIIVKA = Place(713174, "Avdiivka", 48.1394, 37.7497, "UA", "settlement", "UA.05", "Donetsk",
                 population=31940)
KHARKIV = Place(706483, "Kharkiv", 49.98177, 36.25475, "UA", "settlement", "UA.07", "Kharkiv",
                population=1421125)
BELGOROD = Place(578072, "Belgorod", 50.6107, 36.5802, "RU", "settlement", "RU.09",
                 "Belgorod Oblast", population=356402)


# --------------------------------------------------------------------------- synthetic data


def article_result(
    n: int,
    *,
    text: str,
    events: list[dict[str, Any]],
    title: str | None = None,
    outlet: str | None = "Test Wire",
    url: str | None = None,
    published: date | None = date(2023, 5, 1),
    claims: list[dict[str, Any]] | None = None,
    removed: tuple[Removed, ...] = (),
) -> ArticleResult:
    """One stored article with events whose evidence is a substring of its text."""
    aid = hashlib.sha1(f"{n}:{text}".encode()).hexdigest()[:16]
    name = f"{n:03d}_synthetic.txt"
    article = Article(id=aid, name=name, text=text, title=title or f"Article {n}",
                      url=url, outlet=outlet, published=published)
    evs = []
    for i, spec in enumerate(events):
        spec = dict(spec)
        place: Place = spec.pop("place")
        evidence: str = spec.pop("evidence")
        start = text.index(evidence)
        surface = spec.pop("surface", place.name)
        s_at = text.find(surface)
        mention = Mention(surface, max(s_at, 0), max(s_at, 0) + len(surface), place,
                          spec.pop("geo_precision", 1), 0.9)
        fields: dict[str, Any] = {
            "event_id": f"{aid}-{i:03d}", "article_id": aid, "article": name,
            "event_date": date(2023, 5, 1), "time_precision": 1,
            "event_type": "Battles", "sub_event_type": "Armed clash",
            "actor1": "Military Forces of Russia (2000-)", "side1": "russia",
            "location": mention, "evidence": evidence, "evidence_start": start,
            "evidence_end": start + len(evidence),
            "sources": (Source("General Staff of the Armed Forces of Ukraine", "ukraine_gov",
                               "Telegram"),),
        }
        fields.update(spec)
        evs.append(Event(**fields))
    cls = []
    for j, spec in enumerate(claims or []):
        spec = dict(spec)
        evidence = spec.pop("evidence")
        start = text.index(evidence)
        cls.append(Claim(claim_id=f"{aid}-c{j:03d}", article_id=aid, article=name,
                         evidence=evidence, evidence_start=start,
                         evidence_end=start + len(evidence), **spec))
    mentions = tuple(e.location for e in evs)
    return ArticleResult(article, Cleaned(text, removed), mentions, tuple(evs), tuple(cls))


def synthetic_results() -> list[ArticleResult]:
    """A small, fully known corpus: 4 articles, 7 events, a capture and a denial."""
    t1 = ("Russian forces attacked near Bakhmut on Monday, the General Staff said. "
          "Fighting continued in Avdiivka.")
    t2 = ("Ukrainian officials said Russian troops attacked Bakhmut again. "
          "A drone struck Belgorod overnight, the governor said.")
    t3 = ("Russia's defence ministry claimed the capture of Avdiivka. "
          "Kyiv denied that Avdiivka had fallen.")
    t4 = "Missiles hit Kharkiv on Tuesday, killing three people, the mayor said."
    return [
        article_result(1, text=t1, title="Fighting near Bakhmut", url="https://example.com/1",
                       removed=(Removed(0, 10, "Read more: ad", "read-more teaser"),),
                       events=[
            {"place": BAKHMUT, "evidence": t1.split(". ")[0] + ".", "geo_precision": 2},
            {"place": AVDIIVKA, "evidence": "Fighting continued in Avdiivka.",
             "event_date": date(2023, 5, 2)},
        ]),
        article_result(2, text=t2, outlet="Kyiv Daily", events=[
            {"place": BAKHMUT, "evidence": t2.split(". ")[0] + ".",
             "sources": (Source("Ukrainian officials", "ukraine_gov"),)},
            {"place": BELGOROD, "evidence": "A drone struck Belgorod overnight, the governor said.",
             "side1": "ukraine", "actor1": "Military Forces of Ukraine (2019-)",
             "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
             "event_date": date(2023, 6, 10),
             "sources": (Source("Vyacheslav Gladkov", "russia_gov", "Telegram"),)},
        ]),
        article_result(3, text=t3, outlet="State Wire", events=[
            {"place": AVDIIVKA, "evidence": "Russia's defence ministry claimed the capture of "
             "Avdiivka.", "movement": "capture", "modality": "claimed",
             "sub_event_type": "Non-state actor overtakes territory",
             "event_date": date(2024, 2, 17),
             "sources": (Source("Russian Ministry of Defence", "russia_gov", "Telegram"),)},
            {"place": AVDIIVKA, "evidence": "Kyiv denied that Avdiivka had fallen.",
             "movement": "capture", "modality": "denied",
             "sub_event_type": "Non-state actor overtakes territory",
             "event_date": date(2024, 2, 17),
             "sources": (Source("Kyiv", "ukraine_gov"),)},
        ]),
        article_result(4, text=t4, outlet="City News", published=date(2023, 10, 3), events=[
            {"place": KHARKIV, "evidence": t4, "event_type": "Explosions/Remote violence",
             "sub_event_type": "Shelling/artillery/missile attack", "fatalities": 3,
             "event_date": date(2023, 10, 3), "modality": "reported",
             "sources": (Source("Ihor Terekhov", "ukraine_gov", "Telegram"),)},
        ]),
    ]


def make_db(path: Path, results: Iterable[ArticleResult]) -> Path:
    with SQLiteStore(str(path)) as store:
        for r in results:
            store.save(r)
    return path


def synthetic_events(n_articles: int, per_article: int) -> Iterator[ArticleResult]:
    """Many articles with `per_article` events each over a year and a dozen towns (the
    API benchmark)."""
    towns = [BAKHMUT, AVDIIVKA, KHARKIV, BELGOROD] + [
        Place(900000 + i, f"Town {i}", 47.0 + (i % 7) * 0.4, 34.0 + (i % 11) * 0.35, "UA",
              "settlement", "UA.05", "Donetsk", population=1000 * i) for i in range(40)]
    sides = ["russia", "ukraine", "other"]
    types = [("Battles", "Armed clash"),
             ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Explosions/Remote violence", "Air/drone strike")]
    moves = [None, "advance", "hold", "capture", "withdraw"]
    modalities = ["reported", "claimed", "assessed", "denied"]
    for a in range(n_articles):
        sentences = [f"Report {a}-{k}: fighting near Town {k} continued." for k in
                     range(per_article)]
        text = " ".join(sentences)
        specs = []
        for k, sentence in enumerate(sentences):
            i = a * per_article + k
            et, st = types[i % len(types)]
            specs.append({
                "place": towns[i % len(towns)], "evidence": sentence,
                "surface": sentence.split(": ")[0],
                "event_date": date(2023, 1, 1) + timedelta(days=(i * 7) % 365),
                "side1": sides[i % 3], "event_type": et, "sub_event_type": st,
                "movement": moves[i % len(moves)], "modality": modalities[i % 4],
                "sources": (Source(f"Source {i % 17}", "media", "Telegram"),),
            })
        yield article_result(10_000 + a, text=text, events=specs,
                             published=date(2023, 1, 1) + timedelta(days=a % 365))


# --------------------------------------------------------------------------- examples

_EXAMPLES_DB: Path | None = None


def examples_db(tmp_root: Path) -> Path:
    """The bundled examples ingested through the CLI, once per session (loads spaCy)."""
    global _EXAMPLES_DB
    if _EXAMPLES_DB is not None and _EXAMPLES_DB.is_file():
        return _EXAMPLES_DB
    from click.testing import CliRunner

    from frontwatch.cli import main

    db = tmp_root / "examples.db"
    res = CliRunner().invoke(main, ["--db", str(db), "ingest", str(EXAMPLES), "--meta",
                                    str(EXAMPLES / "meta.jsonl"), "--no-progress"])
    assert res.exit_code == 0, res.output
    _EXAMPLES_DB = db
    return db


def expected_example_events(db: Path) -> int:
    with SQLiteStore(str(db)) as store:
        return store.counts()["events"]


# --------------------------------------------------------------------------- web assets


def _newest(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def ensure_web_built() -> str | None:
    """Build web/dist if it is missing or older than its sources; None when it is there,
    else why it cannot be built (no node/npm)."""
    sources = [*WEB.joinpath("src").iterdir(), WEB / "build.mjs", WEB / "package-lock.json"]
    index = DIST / "index.html"
    if index.is_file() and index.stat().st_mtime >= _newest(sources):
        return None
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are needed to build web/ (make web)"
    if not (WEB / "node_modules" / "leaflet").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([node, "build.mjs"], cwd=WEB, check=True, stdout=subprocess.DEVNULL)
    return None


def require_web_built() -> None:
    """Build web/dist if needed (ensure_web_built), or skip the test, saying why."""
    reason = ensure_web_built()
    if reason:
        pytest.skip(reason)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def live_server(db: Path, *extra: str, host: str | None = "127.0.0.1") -> Iterator[str]:
    """`frontwatch serve` on a random port, as a real process, reached over loopback.
    host=None leaves out --host: the server binds to its default address."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    bind = [] if host is None else ["--host", host]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from frontwatch.cli import main; main()", "--db", str(db),
         "serve", *bind, "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/api/meta", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    raise RuntimeError(f"server did not start: {out}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return (f"chromium not found at {CHROMIUM}: install Debian's chromium "
                "(apt-get install -y chromium; .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.lock)"
    return None


def skip_module_without_chromium() -> None:
    """At a browser test module's top: skip all of it, saying why, if it cannot run."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason, allow_module_level=True)


def launch(p: Any) -> Any:
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
