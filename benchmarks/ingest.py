"""Ingest benchmark: the full frontwatch ingest against spaCy's small pipeline alone.

On the same N articles (built from the example corpus by benchmarks/corpus.py, written to
a cache folder once) it measures, in one run:
- the full ingest as `frontwatch ingest` does it: read and decode the files, clean, parse,
  places, dates, extraction on `--jobs` worker processes, saving to a fresh SQLite
  database, then fusing the stored events; articles/s, words/s, and the peak memory of
  the ingest's processes (parent and workers, sampled every 0.1 s): `peak_rss_mb` is
  their summed proportional set size (each shared page counted once), and the largest
  single process's RSS is printed beside it;
- a per-stage breakdown, timed serially on a sample of the same articles;
- spaCy's small pipeline alone, every component on, `nlp.pipe` over the same raw texts on
  `--jobs` processes (`n_process`), and the ratio of the two throughputs.

    python benchmarks/ingest.py --articles 1000

The last three lines are `articles_per_s`, `peak_rss_mb` and `ratio_vs_spacy_sm`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import write as write_corpus  # noqa: E402

from frontwatch.engine import get_engine  # noqa: E402
from frontwatch.fuse.events import fuse_events  # noqa: E402
from frontwatch.ingest import load_meta, read_paths  # noqa: E402
from frontwatch.nlp import get_nlp  # noqa: E402
from frontwatch.pipeline import process_batch  # noqa: E402
from frontwatch.places import get_gazetteer  # noqa: E402
from frontwatch.records import Article  # noqa: E402
from frontwatch.settings import Settings  # noqa: E402
from frontwatch.store import open_store  # noqa: E402
from frontwatch.timing import STAGES, StageClock  # noqa: E402


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in kB. PSS splits each page among the processes sharing
    it, so forked workers' shared model pages are counted once in a sum."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


class MemorySampler:
    """Peaks of the memory of this process and its descendants: their summed PSS (the
    memory the ingest holds), and the largest single RSS."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.peak_kb, self.peak_single_rss_kb = every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            readings = [_memory_kb(p) for p in (me, *_descendants(me))]
            self.peak_kb = max(self.peak_kb, sum(pss for _rss, pss in readings))
            self.peak_single_rss_kb = max(self.peak_single_rss_kb,
                                          *(rss for rss, _pss in readings))
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def full_ingest(folder: Path, settings: Settings, db: Path) -> tuple[int, int, float, float]:
    """(articles stored, events, seconds for the ingest, seconds of it spent fusing)."""
    meta = load_meta(folder / "meta.jsonl")
    t0 = time.perf_counter()
    stored = events = 0
    engine = get_engine(settings)
    store = open_store(str(db))
    try:
        todo = (a for a in read_paths([folder], settings, meta) if isinstance(a, Article))
        for _article, processed in engine.run(todo):
            if processed.result is not None and store.save(processed.result):
                stored += 1
                events += len(processed.result.events)
        t1 = time.perf_counter()
        fuse_events(store.events(), store.duplicates())
    finally:
        engine.close()
        store.close()
    t2 = time.perf_counter()
    return stored, events, t2 - t0, t2 - t1


def breakdown(articles: list[Article], settings: Settings, db: Path) -> StageClock:
    """Seconds per stage, the parse batched as the engine does, all in this process."""
    clock = StageClock()
    store = open_store(str(db))
    try:
        for i in range(0, len(articles), settings.batch_size):
            results = process_batch(articles[i:i + settings.batch_size], settings, clock)
            with clock.stage("store"):
                for r in results:
                    if r.result is not None:
                        store.save(r.result)
        with clock.stage("fusion"):
            fuse_events(store.events(), store.duplicates())
    finally:
        store.close()
    return clock


def spacy_alone(texts: list[str], model: str, jobs: int) -> float:
    """Seconds for spaCy's pipeline, as shipped, over `texts` on `jobs` processes."""
    import spacy

    nlp = spacy.load(model)
    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts, n_process=jobs, batch_size=32):
        pass
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2, help="processes for both sides (2 cores)")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="folder for the generated corpus (default: a cache folder)")
    ap.add_argument("--sample", type=int, default=200,
                    help="articles timed serially for the per-stage breakdown (0: none)")
    ap.add_argument("--no-baseline", action="store_true", help="skip spaCy alone")
    ap.add_argument("--json", action="store_true", help="also print one JSON line of results")
    args = ap.parse_args()
    settings = Settings(jobs=args.jobs)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = args.corpus or cache / "frontwatch-bench" / f"corpus-{args.articles}"
    write_corpus(args.articles, folder, settings)

    t0 = time.perf_counter()
    get_nlp(settings.spacy_model)
    get_gazetteer(settings)
    startup = time.perf_counter() - t0
    articles = [a for a in read_paths([folder], settings, load_meta(folder / "meta.jsonl"))
                if isinstance(a, Article)]
    words = sum(len(a.text.split()) for a in articles)

    with tempfile.TemporaryDirectory() as tmp:
        with MemorySampler() as mem:
            stored, events, elapsed, fusing = full_ingest(folder, settings, Path(tmp) / "a.db")
        clock = breakdown(articles[: args.sample], settings, Path(tmp) / "b.db") \
            if args.sample else None
    rate = stored / elapsed
    print(f"articles: {stored} of {len(articles)}")
    print(f"words: {words}")
    print(f"events: {events}")
    print(f"jobs: {args.jobs}")
    print(f"model_and_gazetteer_load_s: {startup:.2f}")
    print(f"elapsed_s: {elapsed:.2f}  (of which fusion {fusing:.2f})")
    print(f"words_per_s: {words / elapsed:.0f}")
    if clock is not None:
        total = sum(clock.seconds.values())
        n = min(args.sample, len(articles))
        print(f"stage breakdown, serial, {n} articles, ms per article:")
        for stage in STAGES:
            secs = clock.seconds.get(stage, 0.0)
            print(f"  {stage:<11} {1000 * secs / n:8.1f}  {100 * secs / total:5.1f} %")
    ratio = None
    if not args.no_baseline:
        base = spacy_alone([a.text for a in articles], settings.spacy_model, args.jobs)
        print(f"spacy_sm_alone_s: {base:.2f}")
        print(f"spacy_sm_articles_per_s: {len(articles) / base:.2f}")
        ratio = rate / (len(articles) / base)
    peak_mb = mem.peak_kb / 1024
    print(f"peak_single_process_rss_mb: {mem.peak_single_rss_kb / 1024:.0f}")
    if args.json:
        print(json.dumps({"articles": stored, "articles_per_s": rate, "peak_rss_mb": peak_mb,
                          "elapsed_s": elapsed, "ratio_vs_spacy_sm": ratio}))
    print(f"articles_per_s: {rate:.2f}")
    print(f"peak_rss_mb: {peak_mb:.0f}")
    print(f"ratio_vs_spacy_sm: {ratio:.2f}" if ratio is not None else "ratio_vs_spacy_sm: n/a")


if __name__ == "__main__":
    main()
