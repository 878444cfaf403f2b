"""Serving under load, and reads while an ingest writes.

1. benchmarks/load.py for a few seconds: wrk with the mixed queries against a real
   `frontwatch serve`; not one error (skips when wrk is not installed).
2. A real `frontwatch ingest` process writes into the database a real server is reading
   (SQLite WAL: one writer, readers never blocked). Every response is a 200; counts only
   grow; an article's events are visible all at once or not at all (each article is one
   transaction, and each API answer one statement or one read transaction); the last
   answers equal the finished database.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from frontwatch.store import SQLiteStore
from web_support import live_server

ROOT = Path(__file__).resolve().parents[1]
FRONTWATCH = ROOT / ".venv" / "bin" / "frontwatch"

N = 60  # articles the concurrent ingest writes, 3 events each

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("wrk") is None,
                    reason="wrk not installed (apt-get install -y wrk; .ci/run does)")
def test_mixed_load_has_no_errors() -> None:
    # Fewer connections than the README's run: a short test on a shared CI machine must
    # not trip wrk's timeout, and errors, not speed, are what it checks.
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load.py"), "--events", "2000",
         "--duration", "5", "--connections", "8"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("requests/s: ") and float(last[0].split()[1]) > 0, last
    assert last[1].startswith("latency p50: "), last
    assert last[2].startswith("errors: 0 "), last
    requests = int(proc.stdout.split("requests: ")[1].split()[0])
    assert requests >= 19, "fewer requests than the mix has kinds"  # every kind ran


PLACES = ["Kharkiv", "Bakhmut", "Avdiivka", "Kherson", "Zaporizhzhia", "Sumy", "Chernihiv",
          "Pokrovsk", "Kramatorsk", "Sloviansk", "Kupiansk", "Izium", "Nikopol", "Lyman"]


def write_corpus(folder: Path, n: int) -> None:
    """n short articles with three strikes each, at three different towns."""
    folder.mkdir()
    for i in range(n):
        d = date(2023, 1, 1) + timedelta(days=i)
        a, b, c = (PLACES[(i * k + j) % len(PLACES)] for k, j in ((1, 0), (3, 5), (5, 9)))
        text = (f"Russian forces shelled {a} on {d.day} {d:%B} {d.year}, the regional "
                f"governor said. A Russian drone struck {b} the same day, local officials "
                f"said. Missiles hit {c}, the mayor said. Bulletin {i}.\n")
        (folder / f"b{i:04d}.txt").write_text(text, encoding="utf-8")


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        assert r.status == 200, (path, r.status)
        return json.load(r)


def events_by_article(body: dict[str, Any]) -> Counter[str]:
    col = body["columns"].index("article_id")
    return Counter(str(row[col]) for row in body["rows"])


def test_reads_stay_consistent_during_ingest(tmp_path: Path) -> None:
    if not FRONTWATCH.exists():
        pytest.skip(f"{FRONTWATCH} missing: run `make install`")
    corpus = tmp_path / "corpus"
    write_corpus(corpus, N)
    db = tmp_path / "live.db"
    SQLiteStore(str(db)).close()  # the server needs a database to open, even empty

    snapshots: list[Counter[str]] = []
    metas: list[tuple[int, int]] = []
    problems: list[str] = []
    with live_server(db) as base:
        # Small batches and one process: commits spread over the whole run.
        ingest = subprocess.Popen(
            [str(FRONTWATCH), "--db", str(db), "ingest", str(corpus), "--jobs", "1",
             "--batch-size", "2", "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )

        def reader(kind: str) -> None:
            try:
                while True:
                    done = ingest.poll() is not None
                    if kind == "events":
                        body = get(base, "/api/events?view=rows&limit=20000")
                        counts = events_by_article(body)
                        if body["total"] != len(body["rows"]):
                            problems.append(f"total {body['total']} but "
                                            f"{len(body['rows'])} rows")
                        snapshots.append(counts)
                    else:
                        c = get(base, "/api/meta")["counts"]
                        metas.append((c["articles"], c["events"]))
                        arts = get(base, "/api/articles?limit=1000")
                        if arts["total"] != len(arts["items"]):
                            problems.append("articles total differs from its items")
                        for a in arts["items"][-3:]:  # the newest: the likeliest half-seen
                            one = get(base, f"/api/articles/{a['id']}")
                            if len(one["events"]) != 3:
                                problems.append(f"article {a['id']} shows "
                                                f"{len(one['events'])} of 3 events")
                        get(base, "/api/search?q=shelled")
                        get(base, "/api/histogram")
                    if done:
                        return
                    time.sleep(0.05)  # leave the ingest some of a small machine's CPU
            except Exception as exc:  # reported below, with the thread's name
                problems.append(f"{kind}: {exc!r}")

        threads = [threading.Thread(target=reader, args=(k,)) for k in ("events", "meta")]
        for t in threads:
            t.start()
        out, _ = ingest.communicate(timeout=300)
        for t in threads:
            t.join(timeout=120)
        assert ingest.returncode == 0, out.decode()
        assert f"ingested {N} new article(s)".encode() in out, out.decode()
        final_meta = get(base, "/api/meta")["counts"]

    assert not problems, problems[:10]
    conn = sqlite3.connect(db)
    final = Counter(dict(conn.execute("SELECT article_id, count(*) FROM events GROUP BY 1")))
    conn.close()
    assert len(final) == N and set(final.values()) == {3}
    # The reads overlapped the writes: some answers saw part of the corpus.
    assert any(0 < sum(s.values()) < 3 * N for s in snapshots), [sum(s.values()) for s in
                                                               snapshots]
    # All or nothing: each article visible has exactly its final events.
    for snap in snapshots:
        assert all(final[a] == n for a, n in snap.items()), snap
    # Counts only grow, and each answer's set of articles contains the previous one's.
    assert metas == sorted(metas)
    for before, after in itertools.pairwise(snapshots):
        assert set(before) <= set(after)
    assert snapshots[-1] == final
    assert (final_meta["articles"], final_meta["events"]) == (N, 3 * N)
