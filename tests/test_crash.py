"""Crash safety of `frontwatch ingest`: SIGKILL at random points, restart, nothing lost.

A corpus of 1,000 short, distinct articles (one event each) is ingested once without
interruption (the reference), then again into a fresh database while the whole process
group, worker processes included, is killed with SIGKILL several times at seeded random
points: during start-up and at random article counts. After each kill the same command
is run again; the last run goes to the end. The result must be the reference, row for
row: exactly 1,000 articles, no duplicate events or (article, ord) rows, every stored
article with exactly the mentions, events and sources it has in the uninterrupted run
(a "half-written" article would miss some), and `PRAGMA integrity_check` = ok.

The same runs against PostgreSQL (a throwaway server from tests/pg_support.py; skipped,
saying why, without one), compared with the SQLite reference on the columns both
backends store alike, its B-tree indexes verified by amcheck where it is available.

Short articles and `--jobs 2` keep each test near a minute; the pipeline is the real one.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pg_support import PgServer, pg_server  # noqa: F401 - pg_server is a fixture

ROOT = Path(__file__).resolve().parents[1]
FRONTWATCH = ROOT / ".venv" / "bin" / "frontwatch"
N = 1000
SEED = 8_2024
KILLS_AT_COUNT = 3  # kills at random article counts (plus one during start-up)
TIMEOUT = 300  # per run; generous, as CI machines may be shared and slow

pytestmark = pytest.mark.slow

PLACES = [
    "Kharkiv", "Bakhmut", "Avdiivka", "Kherson", "Zaporizhzhia", "Sumy", "Chernihiv",
    "Pokrovsk", "Kramatorsk", "Sloviansk", "Kupiansk", "Izium", "Nikopol", "Marhanets",
    "Vovchansk", "Lyman", "Toretsk", "Chasiv Yar", "Orikhiv", "Huliaipole",
]  # fmt: skip
TEMPLATES = [
    ("Russian forces shelled {p}", "the regional governor said"),
    ("A Russian drone struck {p}", "local officials said"),
    ("Russian troops attacked positions near {p}", "the General Staff said"),
    ("Missiles hit {p}", "the mayor said"),
]
# Columns that legitimately differ between two runs of the same corpus.
VOLATILE = {"seq", "ingested_at"}
TABLES = ["articles", "boilerplate", "places", "mentions", "events", "event_sources",
          "claims", "claim_sources"]


def write_corpus(folder: Path) -> None:
    """N distinct one-sentence articles over 20 towns, 4 phrasings and ~11 months."""
    folder.mkdir()
    start = date(2023, 1, 1)
    for i in range(N):
        head, said = TEMPLATES[(i // len(PLACES)) % len(TEMPLATES)]
        d = start + timedelta(days=i // 3)
        text = (f"{head.format(p=PLACES[i % len(PLACES)])} on {d.day} {d:%B} {d.year}, "
                f"{said}. Report number {i}.\n")
        (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")


def ingest(db: str, corpus: Path) -> subprocess.Popen[bytes]:
    # A session of its own: the kill below reaches the worker processes too.
    return subprocess.Popen(
        [str(FRONTWATCH), "--db", str(db), "ingest", str(corpus), "--jobs", "2",
         "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def finish(proc: subprocess.Popen[bytes]) -> str:
    out, _ = proc.communicate(timeout=TIMEOUT)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    return text


def query(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of one read on either backend, through a connection of its own."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db, connect_timeout=10) as conn:
            return [tuple(r) for r in conn.execute(sql.replace("?", "%s")).fetchall()]
    # Read-only, as any reader would be; WAL lets it read while ingest writes.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def article_count(db: str) -> int:
    try:
        return int(query(db, "SELECT count(*) FROM articles")[0][0])
    except Exception:  # no file or no schema yet: nothing stored
        return 0


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Every process of the group is gone (the workers too), so none can write later.
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "worker processes survived SIGKILL"
        time.sleep(0.05)


def kill_when(db: str, corpus: Path, *, count: int | None = None,
              seconds: float | None = None) -> int:
    """Run ingest and SIGKILL it once `count` articles are stored (or after `seconds`);
    the article count at the kill."""
    proc = ingest(db, corpus)
    deadline = time.monotonic() + TIMEOUT
    started = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if seconds is not None and time.monotonic() - started >= seconds:
                break
            if count is not None and article_count(db) >= count:
                break
            time.sleep(0.02)  # a kill a few articles late is as random as any
        assert proc.poll() is None, "ingest ended before the kill point: " + (
            proc.stdout.read().decode() if proc.stdout else "")
    finally:
        if proc.poll() is None:
            kill_group(proc)
    return article_count(db)


def snapshot(db: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every content table, volatile columns left out, sorted (SQLite)."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in VOLATILE]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


# Columns both backends store alike (text and integers; dates and floats differ in type).
KEYS = {
    "articles": "id, name, title",
    "boilerplate": "article_id, ord, reason",
    "places": "geonameid, name",
    "mentions": "article_id, ord, surface, geonameid",
    "events": "event_id, article_id, ord, evidence, sub_event_type, side1, modality, "
              "geonameid",
    "event_sources": "event_id, ord, name, affiliation",
    "claims": "claim_id, article_id, ord, kind",
    "claim_sources": "claim_id, ord, name",
}


def keys(db: str) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(query(db, f"SELECT {cols} FROM {t}"), key=repr)
            for t, cols in KEYS.items()}


def check_rows(db: str, articles: int) -> None:
    """What must hold after any kill: `articles` stored, each one whole, nothing twice."""
    def one(sql: str) -> tuple[Any, ...]:
        return query(db, sql)[0]

    assert one("SELECT count(*) FROM articles") == (articles,)
    assert one("SELECT count(DISTINCT id), count(DISTINCT seq), count(DISTINCT name) "
               "FROM articles") == (articles,) * 3
    ev, distinct = one("SELECT count(*), count(DISTINCT event_id) FROM events")
    assert ev == distinct
    for table in ("mentions", "boilerplate"):
        assert one(f"SELECT count(*) FROM (SELECT article_id, ord FROM {table} "
                   "GROUP BY article_id, ord HAVING count(*) > 1) d") == (0,)
    # Every article text reports one strike: none is stored without its event, its
    # mention or its event's source.
    for child in ("events", "mentions"):
        assert one(f"SELECT count(*) FROM articles a WHERE NOT EXISTS "
                   f"(SELECT 1 FROM {child} c WHERE c.article_id = a.id)") == (0,), child
    assert one("SELECT count(*) FROM events e WHERE NOT EXISTS "
               "(SELECT 1 FROM event_sources s WHERE s.event_id = e.event_id)") == (0,)
    if db.startswith("postgresql://"):
        check_pg_indexes(db)
        return
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []
    # The external-content FTS index agrees with the articles it indexes.
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


def check_pg_indexes(db: str) -> None:
    """PostgreSQL's nearest to `PRAGMA integrity_check`: amcheck verifies every B-tree
    index of the schema and that each table row is in it. Foreign keys it enforces."""
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        except psycopg.Error:
            return  # not installed, or not ours to install: the row checks stand alone
        rows = conn.execute(
            "SELECT c.relname, bt_index_check(c.oid, true) IS NULL FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_am am ON am.oid = c.relam "
            "WHERE n.nspname = current_schema() AND am.amname = 'btree'").fetchall()
        assert len(rows) >= len(TABLES)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus and its uninterrupted ingest into SQLite."""
    if not FRONTWATCH.exists():
        pytest.skip(f"{FRONTWATCH} missing: run `make install`")
    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    write_corpus(corpus)
    db = root / "reference.db"
    assert f"ingested {N} new article(s)" in finish(ingest(str(db), corpus))
    check_rows(str(db), N)
    return corpus, db


def crash_and_finish(db: str, corpus: Path) -> None:
    """Kill ingest into `db` at seeded random points, restarting each time, then let the
    last run finish; check the store after each kill and the final run's account."""
    rng = random.Random(SEED)
    # One kill during start-up (model loading, schema creation, the first batches), then
    # kills at increasing random article counts.
    seen = [kill_when(db, corpus, seconds=rng.uniform(0.5, 3.0))]
    for target in sorted(rng.sample(range(20, N - 50), KILLS_AT_COUNT)):
        seen.append(kill_when(db, corpus, count=max(target, seen[-1] + 1)))
        check_rows(db, seen[-1])
    assert seen == sorted(seen), f"articles lost after a kill: {seen}"
    assert seen[-1] < N, "the last kill came too late to test anything"

    out = finish(ingest(db, corpus))
    assert f"{N - seen[-1]} new article(s)" in out, (seen, out)
    assert f"{seen[-1]} already stored" in out, (seen, out)
    if "changed" in out:  # no file may look edited because a run died half-way
        assert ", 0 changed" in out, out
    check_rows(db, N)


def test_sigkill_during_ingest_loses_and_doubles_nothing(reference: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    corpus, ref = reference
    db = str(tmp_path / "crashed.db")
    crash_and_finish(db, corpus)
    expected, got = snapshot(str(ref)), snapshot(db)
    assert len(expected["events"]) >= N
    for table in TABLES:
        assert got[table] == expected[table], f"{table} differs from the uninterrupted run"


def test_sigkill_during_ingest_into_postgresql(reference: tuple[Path, Path],
                                               pg_server: PgServer) -> None:  # noqa: F811
    corpus, ref = reference
    db = pg_server.fresh_url("crash")
    crash_and_finish(db, corpus)
    expected, got = keys(str(ref)), keys(db)
    for table in TABLES:
        assert got[table] == expected[table], f"{table} differs from the uninterrupted run"
