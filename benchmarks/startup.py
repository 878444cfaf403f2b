"""CLI startup: wall time of commands that load no model, median of repeated runs.

    python benchmarks/startup.py --runs 10

Each command runs as a fresh process (`frontwatch --db DB info`, `--help`, `events`), on
a small database built once from the example corpus, so the figure includes Python's
own start and every import the command pays for.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "frontwatch"


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "s.db")
        subprocess.run([str(BIN), "--db", db, "ingest", str(ROOT / "examples"), "--meta",
                        str(ROOT / "examples" / "meta.jsonl"), "--no-progress"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        worst = 0.0
        for name, cmd in (("help", [str(BIN), "--help"]),
                          ("info", [str(BIN), "--db", db, "info"]),
                          ("events", [str(BIN), "--db", db, "events"])):
            secs = timed(cmd, args.runs)
            worst = max(worst, secs)
            print(f"{name}_s: {secs:.3f}")
    print(f"startup_s: {worst:.3f}")


if __name__ == "__main__":
    main()
