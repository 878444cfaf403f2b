"""`frontwatch reprocess`: a newer pipeline over stored raw input (frontwatch.reprocess)."""

from __future__ import annotations

import html as html_mod
import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import frontwatch.pipeline as pipeline
from frontwatch.cli import main
from frontwatch.records import Article, ArticleResult, Cleaned
from frontwatch.reprocess import raw_input, reprocess_article
from frontwatch.settings import Settings
from frontwatch.store import MIGRATIONS, SQLiteStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _page(text: str, title: str) -> str:
    paras = "".join(f"<p>{html_mod.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>{paras}"
            "</article><footer>© Example News</footer></body></html>")


def _snapshot(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        out = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in (
            "boilerplate", "mentions", "events", "event_sources", "claims", "claim_sources")}
        out["articles"] = conn.execute(
            "SELECT id, name, raw_text, cleaned_text, language, duplicate_of FROM articles "
            "ORDER BY seq").fetchall()
        return out
    finally:
        conn.close()


def _invoke(db: Path, *args: str) -> Any:
    res = CliRunner().invoke(main, ["--db", str(db), *args])
    return res


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    text = (EXAMPLES / "04_robotyne_daily_brief.txt").read_text(encoding="utf-8")
    (src / "robotyne.html").write_text(_page(text, "Robotyne"), encoding="utf-8")
    (src / "kramatorsk.txt").write_text(
        (EXAMPLES / "01_kramatorsk_station_strike.txt").read_text(encoding="utf-8"),
        encoding="utf-8")
    path = tmp_path / "t.db"
    res = _invoke(path, "ingest", str(src))
    assert res.exit_code == 0, res.output
    return path


def test_html_is_kept_compressed(db: Path) -> None:
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT name, raw_html FROM articles").fetchall())
    conn.close()
    assert rows["kramatorsk.txt"] is None
    page = zlib.decompress(rows["robotyne.html"]).decode("utf-8")
    assert page.startswith("<!doctype html>") and "Robotyne" in page
    with SQLiteStore(str(db)) as store:
        aid = next(a.id for a in store.articles() if a.name == "robotyne.html")
        raw = raw_input(store, aid)
        assert raw is not None and raw.html == page


def test_reprocess_unchanged_pipeline_gives_the_same_rows(db: Path) -> None:
    before = _snapshot(db)
    assert before["events"]
    res = _invoke(db, "reprocess", "--all")
    assert res.exit_code == 0, res.output
    assert "reprocessed 2 article(s)" in res.output
    assert " html " in res.output and " text " in res.output
    assert _snapshot(db) == before
    res = _invoke(db, "reprocess", "robotyne.html")  # by name; twice is the same
    assert res.exit_code == 0, res.output
    assert _snapshot(db) == before


def test_reprocess_replaces_rows_with_a_newer_pipeline(db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(db)
    original = pipeline.extract_events

    def newer(*args: Any, **kwargs: Any) -> Any:
        events, claims = original(*args, **kwargs)
        return [replace(e, notes="v2") for e in events][:2], claims

    monkeypatch.setattr(pipeline, "extract_events", newer)
    for _ in range(2):  # idempotent under the new pipeline too
        res = _invoke(db, "reprocess", "--all")
        assert res.exit_code == 0, res.output
        after = _snapshot(db)
        assert after["articles"] == before["articles"]  # same articles, same ids
        events = after["events"]
        assert 0 < len(events) <= 4 < len(before["events"])
        conn = sqlite3.connect(db)
        notes = {r[0] for r in conn.execute("SELECT notes FROM events")}
        ids = [r[0] for r in conn.execute("SELECT event_id FROM events")]
        orphans = conn.execute("SELECT count(*) FROM event_sources WHERE event_id NOT IN "
                               "(SELECT event_id FROM events)").fetchone()[0]
        stamped = conn.execute("SELECT count(*) FROM articles WHERE reprocessed_at IS NOT NULL"
                               ).fetchone()[0]
        conn.close()
        assert notes == {"v2"} and len(ids) == len(set(ids)) and orphans == 0
        assert stamped == 2
        # Everything not changed by the new pipeline is as it was.
        for table in ("mentions", "boilerplate", "claims"):
            assert after[table] == before[table]


def test_failed_reprocess_changes_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(db)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("newer pipeline is broken")

    monkeypatch.setattr(pipeline, "extract_events", broken)
    res = _invoke(db, "reprocess", "--all")
    assert res.exit_code == 1
    assert "newer pipeline is broken" in res.output
    assert _snapshot(db) == before


def test_store_failure_rolls_back_one_article(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(db)

    def fail(self: SQLiteStore, result: ArticleResult) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(SQLiteStore, "_write_claims", fail)
    with SQLiteStore(str(db)) as store:
        aid = next(a.id for a in store.articles() if a.name == "robotyne.html")
        r = reprocess_article(store, aid, Settings())
    assert r.error is not None and "disk full" in r.error
    assert _snapshot(db) == before


def test_reprocess_arguments(db: Path) -> None:
    assert _invoke(db, "reprocess").exit_code == 2
    assert _invoke(db, "reprocess", "--all", "robotyne.html").exit_code == 2
    res = _invoke(db, "reprocess", "nosuch.txt")
    assert res.exit_code == 6 and "no article matches" in res.output


def test_fetch_time_and_page_round_trip(tmp_path: Path) -> None:
    text = "Ukrainian forces repelled an attack near Robotyne, the General Staff said. " * 3
    art = replace(Article.from_text(text, "https://news.example/a", url="https://news.example/a"),
                  fetched_at="2024-02-10T12:00:00+00:00", raw_html=f"<p>{text}</p>")
    with SQLiteStore(str(tmp_path / "t.db")) as store:
        assert store.save(ArticleResult(article=art, cleaned=Cleaned(text=text)))
        back = next(store.articles())
        assert back == art  # raw_html is not part of equality, fetched_at is
        assert back.fetched_at == "2024-02-10T12:00:00+00:00" and back.raw_html is None
        raw = raw_input(store, art.id)
        assert raw is not None and raw.html == f"<p>{text}</p>"


def test_old_database_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for i, script in enumerate(MIGRATIONS[:5], start=1):
        conn.executescript(f"{script}\nPRAGMA user_version = {i};")
    conn.close()
    with SQLiteStore(str(path)) as store:
        cols = {r[1] for r in store.conn.execute("PRAGMA table_info(articles)")}
        assert {"raw_html", "fetched_at", "reprocessed_at"} <= cols
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == len(MIGRATIONS)


def test_fetched_article_keeps_url_fetch_time_and_page(tmp_path: Path) -> None:
    from live_server import serve, standard_site

    site = standard_site()
    db = tmp_path / "t.db"
    with serve(site):
        url = site.url("/articles/01.html")
        res = _invoke(db, "fetch", url, "--timeout", "2", "--retries", "0", "--delay", "0")
    assert res.exit_code == 0, res.output
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT url, fetched_at, raw_html FROM articles").fetchone()
    conn.close()
    assert row[0] == url and row[1] is not None and row[1].endswith("+00:00")
    assert b"<" in zlib.decompress(row[2])
    before = _snapshot(db)
    res = _invoke(db, "reprocess", "--all")
    assert res.exit_code == 0 and " html " in res.output, res.output
    assert _snapshot(db) == before
