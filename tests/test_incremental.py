"""Incremental ingest (frontwatch.incremental): only new or changed files are processed,
a changed file replaces its old version, and `--watch` picks up new files.

Most tests run a stand-in engine (no spaCy): what is under test is which articles reach
the engine and what the store and manifest hold after. The tests marked slow run the
real pipeline through the CLI.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import frontwatch.incremental as incremental
from frontwatch.cli import main
from frontwatch.errors import InputError, StoreError
from frontwatch.incremental import (
    MANIFEST_SUFFIX,
    IngestCounts,
    Ingester,
    Manifest,
    watch,
)
from frontwatch.ingest import read_path
from frontwatch.pipeline import Processed
from frontwatch.records import Article, ArticleResult, Cleaned
from frontwatch.settings import Settings
from frontwatch.store import EventFilter, SQLiteStore, open_store

ROOT = Path(__file__).resolve().parents[1]
FRONTWATCH = ROOT / ".venv" / "bin" / "frontwatch"
SETTINGS = Settings(batch_size=2)

TEXTS = {
    "a.txt": "Russian forces shelled Kherson on 3 March 2023, the regional governor said.",
    "b.txt": "A Russian drone struck Sumy on 4 March 2023, local officials said.",
    "c.txt": "Missiles hit Kharkiv on 5 March 2023, the mayor said on Telegram.",
}


class FakeEngine:
    """Every article stored with its text as the cleaned text; no model."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        for a in articles:
            self.seen.append(a.name)
            if "FAIL" in a.text:
                yield a, Processed(error=InputError(a.path or a.name, "processing failed"))
            else:
                yield a, Processed(result=ArticleResult(article=a, cleaned=Cleaned(a.text)))

    def close(self) -> None:
        pass


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    old = path.stat().st_mtime_ns if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if old is not None:
        # Coarse file-system clocks: make sure the edit shows in the mtime.
        os.utime(path, ns=(old + 2_000_000_000, old + 2_000_000_000))
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        write(folder, name, text)
    return folder


def ingest(db: Path, folder: Path, engine: FakeEngine | None = None,
           errors: list[str] | None = None) -> tuple[IngestCounts, FakeEngine]:
    """One run as the CLI does it: a fresh store, manifest and ingester."""
    engine = engine or FakeEngine()
    store = SQLiteStore(str(db))
    try:
        with Manifest.beside(str(db)) as manifest:
            manifest.seed(store)
            ing = Ingester(store, engine, SETTINGS, manifest,
                           on_error=lambda e: (errors if errors is not None else []).append(str(e)))
            return ing.ingest([folder]), engine
    finally:
        store.close()


def stored(db: Path) -> dict[str, tuple[str, str]]:
    """name → (id, raw text) of every stored article."""
    conn = sqlite3.connect(db)
    try:
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT name, id, raw_text FROM articles ORDER BY seq")}
    finally:
        conn.close()


# ------------------------------------------------------------------- re-ingesting


def test_unchanged_files_are_not_read_again(corpus: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "fw.db"
    counts, engine = ingest(db, corpus)
    assert (counts.new, counts.skipped, counts.failed) == (3, 0, 0)
    assert engine.seen == ["a.txt", "b.txt", "c.txt"]  # input order
    assert Path(str(db) + MANIFEST_SUFFIX).exists()

    opened: list[Path] = []
    real = read_path

    def spy(path: Path, *args: Any) -> Iterator[Article | InputError]:
        opened.append(path)
        return real(path, *args)

    monkeypatch.setattr(incremental, "read_path", spy)
    counts, engine = ingest(db, corpus)
    assert (counts.new, counts.changed, counts.skipped, counts.unread) == (0, 0, 3, 3)
    assert engine.seen == [] and opened == []


def test_changed_file_replaces_its_article_and_new_file_is_added(corpus: Path,
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    before = stored(db)
    write(corpus, "b.txt", "A Russian drone struck Chernihiv on 6 March 2023, officials said.")
    write(corpus, "d.txt", "Russian troops attacked positions near Lyman on 7 March 2023.")

    counts, engine = ingest(db, corpus)
    assert (counts.new, counts.changed, counts.skipped, counts.failed) == (1, 1, 2, 0)
    assert engine.seen == ["b.txt", "d.txt"]
    after = stored(db)
    assert list(after) == ["a.txt", "b.txt", "c.txt", "d.txt"]  # b keeps its place
    assert after["b.txt"][0] == before["b.txt"][0]  # and its id
    assert "Chernihiv" in after["b.txt"][1]
    assert after["a.txt"] == before["a.txt"]

    # The replacement is remembered: nothing is read, or taken for changed, again.
    counts, engine = ingest(db, corpus)
    assert (counts.new, counts.changed, counts.unread) == (0, 0, 4)
    assert engine.seen == []


def test_changed_html_page_is_replaced_with_its_rows(corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from frontwatch.reprocess import replace_derived
    from frontwatch.store.common import decompress_html

    page = "<html><body><p>Russian forces shelled {} on 3 March 2023.</p></body></html>"
    write(corpus, "e.html", page.format("Kherson"))
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    write(corpus, "e.html", page.format("Nikopol"))

    def failing(*args: Any, **kwargs: Any) -> None:
        raise StoreError("disk full")

    # A failed replacement leaves the old page with the old rows: one transaction.
    monkeypatch.setattr("frontwatch.reprocess.replace_derived", failing)
    errors: list[str] = []
    with pytest.raises(StoreError):
        ingest(db, corpus, errors=errors)
    conn = sqlite3.connect(db)
    try:
        (old,) = conn.execute("SELECT raw_html FROM articles WHERE name = 'e.html'").fetchone()
    finally:
        conn.close()
    assert "Kherson" in decompress_html(old)

    monkeypatch.setattr("frontwatch.reprocess.replace_derived", replace_derived)
    counts, _ = ingest(db, corpus)
    assert counts.changed == 1
    conn = sqlite3.connect(db)
    try:
        (new,) = conn.execute("SELECT raw_html FROM articles WHERE name = 'e.html'").fetchone()
    finally:
        conn.close()
    assert "Nikopol" in decompress_html(new)


def test_touched_file_is_read_but_not_processed(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    write(corpus, "a.txt", TEXTS["a.txt"])  # same text, new mtime
    counts, engine = ingest(db, corpus)
    assert (counts.new, counts.changed, counts.skipped, counts.unread) == (0, 0, 3, 2)
    assert engine.seen == []


def test_file_changed_back_after_a_replacement(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    write(corpus, "a.txt", "Russian forces shelled Nikopol on 8 March 2023, officials said.")
    assert ingest(db, corpus)[0].changed == 1
    write(corpus, "a.txt", TEXTS["a.txt"])
    counts, _ = ingest(db, corpus)
    assert counts.changed == 1
    assert stored(db)["a.txt"][1] == TEXTS["a.txt"]
    assert len(stored(db)) == 3


def test_lost_manifest_still_finds_changed_files(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    Path(str(db) + MANIFEST_SUFFIX).unlink()
    write(corpus, "c.txt", "Missiles hit Odesa on 9 March 2023, the governor said.")
    counts, engine = ingest(db, corpus)
    # Seeded from the stored paths: c.txt is its stored article's new version.
    assert (counts.new, counts.changed, counts.skipped) == (0, 1, 2)
    assert engine.seen == ["c.txt"]
    assert len(stored(db)) == 3


def test_manifest_never_skips_what_the_database_lacks(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    manifest = Path(str(db) + MANIFEST_SUFFIX)
    kept = manifest.read_bytes()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    manifest.write_bytes(kept)  # a manifest from another database
    counts, _ = ingest(db, corpus)
    assert counts.new == 3


def test_failed_files_are_retried_next_run_and_reported_once_per_watch(
        corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    write(corpus, "short.txt", "too short")
    write(corpus, "bad.txt", "This article will FAIL in the engine, whatever it says.")
    errors: list[str] = []
    counts, _ = ingest(db, corpus, errors=errors)
    assert (counts.new, counts.failed) == (3, 2)
    counts, engine = ingest(db, corpus, errors=errors)
    assert counts.failed == 2 and engine.seen == ["bad.txt"]  # not in the manifest
    assert len(errors) == 4

    errors.clear()
    store = SQLiteStore(str(db))
    try:
        ing = Ingester(store, FakeEngine(), SETTINGS, Manifest(),
                       on_error=lambda e: errors.append(str(e)))
        total = watch(ing, [corpus], interval=0, stop=threading.Event(), max_cycles=3)
    finally:
        store.close()
    assert total.failed == 2 and len(errors) == 2


def test_jsonl_new_records_are_added(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"name": f"r{i}", "text": text} for i, text in enumerate(TEXTS.values())]
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records[:2]) + "\n", encoding="utf-8")
    db = tmp_path / "fw.db"
    assert ingest(db, folder)[0].new == 2
    assert ingest(db, folder)[0].unread == 2
    with feed.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(records[2]) + "\n")
    counts, engine = ingest(db, folder)
    assert (counts.new, counts.skipped, counts.changed) == (1, 2, 0)
    assert engine.seen == ["r2"]


def test_results_are_stored_in_groups(corpus: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    groups: list[int] = []
    real = SQLiteStore.save_many

    def save_many(self: SQLiteStore, results: Iterable[ArticleResult]) -> int:
        results = list(results)
        groups.append(len(results))
        return real(self, results)

    monkeypatch.setattr(SQLiteStore, "save_many", save_many)
    write(corpus, "d.txt", "Russian troops attacked positions near Lyman on 7 March 2023.")
    counts, _ = ingest(tmp_path / "fw.db", corpus)
    assert counts.new == 4
    assert groups == [2, 2]  # batch_size=2


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest(tmp_path / "fw.db", tmp_path / "nowhere")


def test_memory_database_keeps_its_manifest_in_memory(corpus: Path) -> None:
    assert incremental.manifest_path(":memory:") is None
    assert incremental.manifest_path("postgresql://u@h/db") is None
    store = open_store(":memory:")
    try:
        ing = Ingester(store, FakeEngine(), SETTINGS, Manifest.beside(":memory:"))
        assert ing.ingest([corpus]).new == 3
        assert ing.ingest([corpus]).unread == 3
    finally:
        store.close()


# -------------------------------------------------------------------------- watch


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def _wait_for(db: Path, n: int, proc: subprocess.Popen[bytes] | None = None,
              deadline: float = 120.0) -> None:
    """Until `db` holds `n` articles. The deadline only keeps a broken watch from hanging
    the suite; it asserts nothing about speed."""
    end = time.monotonic() + deadline
    while _count(db) < n:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"watch exited early: {proc.communicate()[0]!r}")
        if time.monotonic() > end:
            raise AssertionError(f"{db} never reached {n} article(s)")
        time.sleep(0.05)


def test_watch_picks_up_new_files_until_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.txt", TEXTS["a.txt"])
    db = tmp_path / "fw.db"
    stop = threading.Event()
    seen: list[IngestCounts] = []
    total: list[IngestCounts] = []

    def run() -> None:
        # SQLite connections belong to the thread that opened them.
        store = SQLiteStore(str(db))
        try:
            with Manifest.beside(str(db)) as manifest:
                ing = Ingester(store, FakeEngine(), SETTINGS, manifest)
                total.append(watch(ing, [folder], interval=0.02, stop=stop,
                                   on_cycle=seen.append))
        finally:
            store.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        _wait_for(db, 1)
        write(folder, "b.txt", TEXTS["b.txt"])
        _wait_for(db, 2)
        write(folder, ".c.txt", TEXTS["c.txt"])  # hidden: being written
        os.replace(folder / ".c.txt", folder / "c.txt")
        _wait_for(db, 3)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert total[0].new == 3
    assert sum(c.new for c in seen) == 3
    assert set(stored(db)) == {"a.txt", "b.txt", "c.txt"}


# --------------------------------------------------------------------- real pipeline


def _events(db: Path, name: str) -> list[tuple[str, str]]:
    store = open_store(str(db))
    try:
        article = store.get_article(name)
        assert article is not None
        return sorted((e.event_type, e.location.place.name) for e in
                      store.events(EventFilter(article=article.article.id)))
    finally:
        store.close()


@pytest.mark.slow
def test_cli_reingest_replaces_edited_article_without_stale_rows(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        write(folder, name, text)
    db = tmp_path / "fw.db"
    run = CliRunner().invoke
    res = run(main, ["--db", str(db), "ingest", str(folder), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "ingested 3 new article(s)" in res.output
    assert any(place == "Sumy" for _, place in _events(db, "b.txt"))

    edited = "A Russian drone struck Chernihiv on 6 March 2023, local officials said."
    write(folder, "b.txt", edited)
    write(folder, "d.txt", "Russian troops attacked positions near Lyman on 7 March 2023.")
    res = run(main, ["--db", str(db), "ingest", str(folder), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "ingested 1 new article(s), 1 changed" in res.output
    assert "2 already stored" in res.output

    # The edited article's rows are the new text's, exactly as a fresh ingest gives them.
    got = _events(db, "b.txt")
    assert got and all(place != "Sumy" for _, place in got)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    write(fresh, "b.txt", edited)
    res = run(main, ["--db", str(tmp_path / "fresh.db"), "ingest", str(fresh), "--jobs", "1",
                     "--no-progress"])
    assert res.exit_code == 0, res.output
    assert got == _events(tmp_path / "fresh.db", "b.txt")
    conn = sqlite3.connect(db)
    try:
        (mentions,) = conn.execute(
            "SELECT group_concat(m.geonameid) FROM mentions m JOIN articles a "
            "ON a.id = m.article_id WHERE a.name = 'b.txt'").fetchone()
        (sumy,) = conn.execute("SELECT count(*) FROM mentions m JOIN places p USING "
                               "(geonameid) JOIN articles a ON a.id = m.article_id "
                               "WHERE a.name = 'b.txt' AND p.name = 'Sumy'").fetchone()
    finally:
        conn.close()
    assert mentions and sumy == 0


@pytest.mark.slow
def test_cli_watch_subprocess_ingests_dropped_file_and_stops_on_sigterm(
        tmp_path: Path) -> None:
    if not FRONTWATCH.exists():
        pytest.skip(f"{FRONTWATCH} missing: run `make install`")
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.txt", TEXTS["a.txt"])
    db = tmp_path / "fw.db"
    proc = subprocess.Popen(
        [str(FRONTWATCH), "--db", str(db), "ingest", str(folder), "--watch",
         "--interval", "0.1", "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for(db, 1, proc)
        write(folder, "b.txt", TEXTS["b.txt"])
        _wait_for(db, 2, proc)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    assert "ingested 2 new article(s)" in text.splitlines()[-1], text


@pytest.mark.slow
def test_cli_watch_max_cycles(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    res = CliRunner().invoke(main, ["--db", str(db), "ingest", str(corpus), "--watch",
                                    "--interval", "0.01", "--max-cycles", "2", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.strip().splitlines()[-1].startswith("ingested 3 new article(s)")


def test_unreadable_manifest_is_rebuilt(corpus: Path, tmp_path: Path,
                                        caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "fw.db"
    ingest(db, corpus)
    Path(str(db) + MANIFEST_SUFFIX).write_bytes(b"not a SQLite file at all" * 100)
    counts, engine = ingest(db, corpus)
    assert "starting a new one" in caplog.text
    assert (counts.new, counts.skipped) == (0, 3) and engine.seen == []
    assert ingest(db, corpus)[0].unread == 3
