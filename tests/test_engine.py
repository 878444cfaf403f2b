"""Engines (frontwatch.engine, frontwatch.engine_dask): where the per-article stage runs.

Fast tests cover batching, worker counts and engine selection; the slow ones run the
seeds (../shared, skipped when absent) and examples/ through the serial engine, a pool
of two processes and a two-worker Dask LocalCluster, and require identical databases,
in input order.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import frontwatch.engine_dask as engine_dask
from frontwatch import export
from frontwatch.cli import main
from frontwatch.engine import PoolEngine, SerialEngine, batches, get_engine, worker_count
from frontwatch.errors import ConfigError
from frontwatch.incremental import Ingester, Manifest
from frontwatch.pipeline import Processed
from frontwatch.records import Article, ArticleResult, Cleaned
from frontwatch.settings import Settings
from frontwatch.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"


def art(i: int) -> Article:
    return Article.from_text(f"Article number {i} about shelling near Kherson.", f"a{i}.txt")


# --------------------------------------------------------------------------- fast


def test_batches_keep_order_and_size() -> None:
    items = [art(i) for i in range(7)]
    got = list(batches(items, 3))
    assert [len(b) for b in got] == [3, 3, 1]
    assert [a for b in got for a in b] == items
    assert list(batches(items[:6], 3)) == [items[:3], items[3:6]]
    assert list(batches([], 4)) == []


def test_batches_stream_without_listing_the_input() -> None:
    pulled: list[int] = []

    def gen() -> Iterator[Article]:
        for i in range(100):
            pulled.append(i)
            yield art(i)

    first = next(batches(gen(), 4))
    assert len(first) == 4 and len(pulled) == 4


def test_worker_count() -> None:
    assert worker_count(3) == 3
    assert worker_count(1) == 1
    assert worker_count(0) >= 1


def test_get_engine_picks_by_settings() -> None:
    assert isinstance(get_engine(Settings(jobs=1)), SerialEngine)
    pool = get_engine(Settings(jobs=2))
    try:
        assert isinstance(pool, PoolEngine) and pool.jobs == 2
    finally:
        pool.close()  # never started: no batches were run


def test_get_engine_unknown_is_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        get_engine(Settings(engine="spark"))


def test_serial_engine_keeps_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import frontwatch.engine as engine

    def fake(batch: Sequence[Article], settings: Settings) -> list[Processed]:
        return [Processed(result=ArticleResult(article=a, cleaned=Cleaned(a.text)))
                for a in batch]

    monkeypatch.setattr(engine, "process_batch", fake)
    items = [art(i) for i in range(5)]
    got = list(SerialEngine(Settings(batch_size=2)).run(items))
    assert [a for a, _ in got] == items
    assert all(p.result is not None and p.result.article is a for a, p in got)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens on it now


def test_dask_unreachable_scheduler_is_one_line_config_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        engine_dask.DaskEngine(Settings(engine="dask", scheduler=address), connect_timeout=0.5)
    # The half-built Client is already finalised: left to a later collection, its close
    # can run inside another LocalCluster's start and deadlock on the IO loop's lock.
    import distributed

    assert not [o for o in gc.get_objects() if isinstance(o, distributed.Client)]

    monkeypatch.setattr(engine_dask, "CONNECT_TIMEOUT", 0.5)
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "fw.db"), "ingest", str(EXAMPLES),
                                    "--engine", "dask", "--scheduler", address])
    assert res.exit_code == ConfigError.exit_code, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: cannot reach the Dask scheduler at {address}"), res.output


def test_dask_malformed_address_is_config_error() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(ConfigError, match="cannot reach"):
        engine_dask.DaskEngine(Settings(engine="dask", scheduler="nonsense:::"),
                               connect_timeout=0.5)


# --------------------------------------------------------------------------- slow

# Fields that legitimately differ between two runs of the same corpus.
VOLATILE = {"ingested_at", "reprocessed_at", "fetched_at"}


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _records(write: Any, items: Any) -> list[Any]:
    import io

    buf = io.StringIO()
    write(items, "jsonl", buf)
    return [_plain(json.loads(line)) for line in buf.getvalue().splitlines()]


def snapshot(db: Path) -> dict[str, list[Any]]:
    """What a run stored, as the JSONL exports give it, run-specific fields dropped."""
    store = SQLiteStore(str(db))
    try:
        return {
            "articles": [(a.id, a.name, a.language, a.published) for a in store.articles()],
            "events": _records(export.write_events, store.events()),
            "claims": _records(export.write_claims, store.claims()),
            "mentions": _records(export.write_mentions, store.mentions()),
        }
    finally:
        store.close()


def run_engine(engine: Any, corpus: Path, db: Path, settings: Settings) -> list[str]:
    """Ingest `corpus` with its meta.jsonl; the article names in the order run."""
    store = SQLiteStore(str(db))
    try:
        with Manifest.beside(str(db)) as manifest:
            ing = Ingester(store, engine, settings, manifest, meta=corpus / "meta.jsonl")
            counts = ing.ingest([corpus])
        assert counts.failed == 0 and counts.new > 0, counts
        return [a.name for a in store.articles()]
    finally:
        store.close()


def corpora() -> list[Any]:
    seeds = pytest.param(SEEDS, id="seeds", marks=pytest.mark.skipif(
        not SEEDS.is_dir(), reason=f"{SEEDS} absent (the shared seeds live in ../shared)"))
    return [seeds, pytest.param(EXAMPLES, id="examples")]


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[Any]:
    pytest.importorskip("distributed")
    engine_dask.quiet_logs()
    # Small batches: several per worker, so loading the model once per worker shows.
    engine = engine_dask.DaskEngine(Settings(engine="dask", jobs=2, batch_size=2))
    try:
        yield engine
    finally:
        engine.close()


def expected_order(corpus: Path) -> list[str]:
    names = sorted(p.name for p in corpus.iterdir()
                   if p.suffix in (".txt", ".html", ".htm") and not p.name.startswith("."))
    return names


@pytest.mark.slow
@pytest.mark.parametrize("corpus", corpora())
def test_engines_store_identical_results(corpus: Path, tmp_path: Path,
                                         dask_engine: Any) -> None:
    serial = Settings(jobs=1)
    small = Settings(jobs=2, batch_size=2)
    order = expected_order(corpus)

    names = run_engine(SerialEngine(serial), corpus, tmp_path / "serial.db", serial)
    assert names == order
    reference = snapshot(tmp_path / "serial.db")
    assert reference["events"], "the corpus should give events"

    pool = PoolEngine(small, 2)
    try:
        names = run_engine(pool, corpus, tmp_path / "pool.db", small)
    finally:
        pool.close()
    assert names == order
    assert snapshot(tmp_path / "pool.db") == reference

    names = run_engine(dask_engine, corpus, tmp_path / "dask.db", small)
    assert names == order
    assert snapshot(tmp_path / "dask.db") == reference
    # Several batches per worker, one model load per worker process.
    per_worker = dask_engine._client.run(_model_loads)
    assert per_worker and all(n <= 1 for n in per_worker.values()), per_worker


@pytest.mark.slow
def test_local_cluster_is_loopback_only_without_dashboard(dask_engine: Any) -> None:
    info = dask_engine._client.scheduler_info()
    assert info["address"].startswith("tcp://127.0.0.1:")
    assert all(w.startswith("tcp://127.0.0.1:") for w in info["workers"])
    # The scheduler always runs an HTTP server; here on a free port, with no routes.
    assert 8787 not in info.get("services", {}).values()
    for port in info.get("services", {}).values():
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=5)
        assert err.value.code == 404


def _model_loads() -> int:
    """On a worker: how many times this process loaded a spaCy pipeline."""
    from frontwatch.nlp import _load

    return int(_load.cache_info().misses)


@pytest.mark.slow
def test_cli_dask_engine_matches_local(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    meta = str(EXAMPLES / "meta.jsonl")
    res = CliRunner().invoke(main, [
        "--db", str(tmp_path / "dask.db"), "ingest", str(EXAMPLES), "--meta", meta,
        "--engine", "dask", "--jobs", "2", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "ingested 10 new article(s)" in res.output
    assert "INFO" not in res.output  # distributed's start-up chatter stays quiet
    serial = Settings(jobs=1)
    run_engine(SerialEngine(serial), EXAMPLES, tmp_path / "local.db", serial)
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "local.db")


@pytest.mark.slow
def test_dask_lost_batch_fails_only_the_article_that_kills_workers(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import dask

    def crashing(batch: Sequence[Article], settings: Settings) -> list[Processed]:
        # Runs on a worker: an article that takes its worker process down with it.
        if any("CRASH" in a.text for a in batch):
            os._exit(1)
        return [Processed(result=ArticleResult(article=a, cleaned=Cleaned(a.text)))
                for a in batch]

    items = [art(i) for i in range(6)]
    items[3] = Article.from_text("This one will CRASH the worker that parses it.", "bad.txt")
    # Give up on a task after its first worker death (the default retries on 3).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        engine = engine_dask.DaskEngine(Settings(engine="dask", jobs=2, batch_size=2),
                                        process=crashing)
    try:
        got = list(engine.run(items))
    finally:
        engine.close()
    assert [a for a, _ in got] == items
    failed = [a.name for a, p in got if p.error is not None]
    assert failed == ["bad.txt"]
    assert all(p.result is not None for a, p in got if a.name != "bad.txt")
    bad = got[3][1].error
    assert bad is not None and "lost on the Dask cluster" in bad.reason
