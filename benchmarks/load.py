"""Serving under load: wrk against a real `frontwatch serve` with a mix of queries.

    python benchmarks/load.py [--events 10000] [--duration 20] [--threads 2]
                              [--connections 32]

Builds a temporary SQLite database of synthetic events (the generator of
benchmarks/api.py: articles of 10 events over a year and 44 towns), starts
`frontwatch serve` on a free loopback port, pays the first request's fusion and
control-timeline cost once (that is start-up, not load), then runs wrk for a bounded
time. Each connection walks a list of requests the page and API clients make: filtered
event pages, the map's whole-database load, the timeline, places, one place, one event,
one article, search, control as of a date, the report, metadata and the static page.
The last lines printed are requests/s, p50, p99 and the error count (HTTP status >= 400
plus connect/read/write/timeout socket errors); the exit status is 1 if there were any.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from frontwatch.store import SQLiteStore  # noqa: E402
from web_support import live_server, make_db, synthetic_events  # noqa: E402

# The mix: (path, weight). Cheap filtered pages dominate, as when someone uses the page;
# the map's full load and the report are rarer and far heavier.
MIX: list[tuple[str, int]] = [
    ("/api/events?limit=100", 3),
    ("/api/events?side=russia&since=2023-03-01&until=2023-06-30&limit=100", 3),
    ("/api/events?bbox=34,47,36,49&type=Armed%20clash&limit=50", 2),
    ("/api/events?place=Town%203&movement=capture", 2),
    ("/api/events?source=source%201&modality=claimed&sort=-corroboration", 2),
    ("/api/events?min_corroboration=2&limit=100&view=compact", 2),
    ("/api/events?view=rows&limit=20000", 1),
    ("/api/histogram?side=ukraine", 2),
    ("/api/places?limit=100", 1),
    ("/api/places?q=town%201&kind=settlement", 1),
    ("/api/places/{place}", 1),
    ("/api/events/{event}", 2),
    ("/api/articles/{article}", 1),
    ("/api/search?q=fighting%20town", 2),
    ("/api/control?as_of=2023-06-01", 1),
    ("/api/report?place=Bakhmut&since=2023-05-01&until=2023-05-31", 1),
    ("/api/meta", 1),
    ("/", 1),
    ("/static/app.js", 1),
]

LUA = """
local paths = %(paths)s
local i = 0
wrk.headers["Accept-Encoding"] = "gzip"

request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, '
    .. '"p99_us": %%d, "max_us": %%d, "status": %%d, "connect": %%d, "read": %%d, '
    .. '"write": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass(frozen=True, slots=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    status_errors: int
    socket_errors: dict[str, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.status_errors + sum(self.socket_errors.values())


def build(db: Path, events: int) -> None:
    per = 10
    make_db(db, synthetic_events(max(1, events // per), per))


def paths_for(db: Path) -> list[str]:
    """The mix with real ids filled in, each path repeated by its weight."""
    conn = sqlite3.connect(db)
    try:
        event, article, place = conn.execute(
            "SELECT event_id, article_id, geonameid FROM events ORDER BY event_id LIMIT 1 "
            "OFFSET (SELECT count(*) / 2 FROM events)").fetchone()
    finally:
        conn.close()
    ids = {"event": event, "article": article, "place": place}
    return [p.format(**ids) for p, weight in MIX for _ in range(weight)]


def lua_script(paths: list[str]) -> str:
    # JSON strings are valid Lua string literals for these plain ASCII paths.
    assert all(p.isascii() and '"' not in p and "\\" not in p for p in paths)
    return LUA % {"paths": "{" + ", ".join(json.dumps(p) for p in paths) + "}"}


def run_wrk(base: str, script: Path, duration: float, threads: int, connections: int
            ) -> tuple[Result, str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk not found: apt-get install -y wrk (.ci/run does)")
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
           "--timeout", "10s", "--latency", "-s", str(script), base + "/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    if proc.returncode != 0:
        raise SystemExit(f"wrk failed ({proc.returncode}): {proc.stderr}{proc.stdout}")
    line = next((x for x in proc.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"no summary in wrk's output:\n{proc.stdout}")
    d = json.loads(line.removeprefix("WRKJSON "))
    result = Result(
        requests=d["requests"], seconds=d["duration_us"] / 1e6, p50_ms=d["p50_us"] / 1e3,
        p90_ms=d["p90_us"] / 1e3, p99_ms=d["p99_us"] / 1e3, max_ms=d["max_us"] / 1e3,
        status_errors=d["status"],
        socket_errors={k: d[k] for k in ("connect", "read", "write", "timeout")},
    )
    report = "\n".join(x for x in proc.stdout.splitlines() if not x.startswith("WRKJSON "))
    return result, report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        t = time.perf_counter()
        build(db, args.events)
        with SQLiteStore(str(db)) as store:
            counts = store.counts()
        print(f"built {counts['events']} events in {counts['articles']} articles "
              f"in {time.perf_counter() - t:.1f} s")
        paths = paths_for(db)
        script = Path(tmp) / "mix.lua"
        script.write_text(lua_script(paths), encoding="utf-8")
        with live_server(db) as base:
            # Fusion and control timelines are computed on the first request: warm up.
            with urllib.request.urlopen(base + "/api/events?limit=1", timeout=60) as r:
                r.read()
            print(f"wrk: {args.threads} threads, {args.connections} connections, "
                  f"{args.duration:.0f} s, {len(set(paths))} distinct requests, "
                  f"server {base}")
            result, report = run_wrk(base, script, args.duration, args.threads,
                                     args.connections)
    print(report)
    print(f"requests: {result.requests} in {result.seconds:.1f} s")
    print(f"requests/s: {result.rps:.1f}")
    print(f"latency p50: {result.p50_ms:.1f} ms  p90: {result.p90_ms:.1f} ms  "
          f"p99: {result.p99_ms:.1f} ms  max: {result.max_ms:.1f} ms")
    sockets = ", ".join(f"{k} {v}" for k, v in result.socket_errors.items())
    print(f"errors: {result.errors} (HTTP status >= 400: {result.status_errors}; "
          f"socket: {sockets})")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
