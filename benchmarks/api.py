"""API latency with 10,000 synthetic events: median and p95 of filtered /api/events queries.

    python benchmarks/api.py [--events 10000] [--repeat 50]

Builds a temporary SQLite database (articles of 10 events each over a year and 44 towns,
all sides, types, movements, modalities), then times each query against a real
`frontwatch serve` process over loopback (uvicorn, gzip on, like a browser) and in-process
through the ASGI app. The first request after start pays for fusion (corroboration) and
control timelines once; it is reported separately as `cold`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from frontwatch.store import SQLiteStore  # noqa: E402
from web_support import live_server, make_db, synthetic_events  # noqa: E402

QUERIES = {
    "side+dates (full, 100)": "/api/events?side=russia&since=2023-03-01&until=2023-06-30"
                              "&limit=100",
    "bbox+type (full, 100)": "/api/events?bbox=34,47,36,49&type=Armed%20clash&limit=100",
    "place+movement (full)": "/api/events?place=Town%203&movement=capture&limit=100",
    "source+modality+sort": "/api/events?source=source%201&modality=claimed"
                            "&sort=-corroboration&limit=100",
    "min corroboration 2": "/api/events?min_corroboration=2&limit=100",
    "page 50 (offset 5000)": "/api/events?limit=100&offset=5000",
    "map: all, compact": "/api/events?view=compact&limit=20000",
    "map: all, rows (what the page loads)": "/api/events?view=rows&limit=20000",
}


def build(db: Path, events: int) -> None:
    per = 10
    make_db(db, synthetic_events(events // per, per))


def timed_http(url: str, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
            if r.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        out.append((time.perf_counter() - t) * 1000)
        assert body
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(db, args.events)
        with SQLiteStore(str(db)) as store:
            n = store.counts()["events"]
        print(f"built {n} events in {time.perf_counter() - t:.1f} s")
        with live_server(db) as base:
            cold = timed_http(base + "/api/events?limit=1", 1)[0]
            print(f"cold (first request: fusion + control timelines): {cold:.0f} ms")
            print(f"{'query (real server, loopback, gzip)':<40} {'median':>8} {'p95':>8}")
            medians = []
            for name, path in QUERIES.items():
                times = timed_http(base + path, args.repeat)
                med = statistics.median(times)
                p95 = statistics.quantiles(times, n=20)[-1]
                medians.append((name, med))
                print(f"{name:<40} {med:>6.1f}ms {p95:>6.1f}ms")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient

            from frontwatch.api import create_app

            with TestClient(create_app(str(db))) as c:
                c.get("/api/events?limit=1")
                path = QUERIES["side+dates (full, 100)"]
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    assert c.get(path).status_code == 200
                    times.append((time.perf_counter() - t) * 1000)
        print(f"{'side+dates (full, 100), in-process ASGI':<40} "
              f"{statistics.median(times):>6.1f}ms")
        filtered = [m for name, m in medians if "map" not in name]
        print(f"median of the filtered queries' medians: {statistics.median(filtered):.1f} ms "
              f"(target < 100 ms)")


if __name__ == "__main__":
    main()
