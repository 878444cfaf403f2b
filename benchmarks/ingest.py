"""Ingest benchmark: N articles built from the example corpus, into a fresh database.

Each article is an example with a varying suffix so that every copy gets a new id (the
store would otherwise skip them as already ingested). Prints the throughput and peak RSS:

    python benchmarks/ingest.py --articles 500
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontwatch.ingest import load_meta, read_paths  # noqa: E402
from frontwatch.nlp import get_nlp  # noqa: E402
from frontwatch.pipeline import process  # noqa: E402
from frontwatch.places import get_gazetteer  # noqa: E402
from frontwatch.records import Article, article_id_for  # noqa: E402
from frontwatch.settings import Settings  # noqa: E402
from frontwatch.store import open_store  # noqa: E402


def corpus(n: int, settings: Settings) -> list[Article]:
    examples = ROOT / "examples"
    meta = load_meta(examples / "meta.jsonl")
    base = [a for a in read_paths([examples], settings, meta) if isinstance(a, Article)]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        text = f"{a.text}\n\n(Copy {i} of the benchmark corpus.)"
        out.append(replace(a, id=article_id_for(text), text=text, name=f"{i:05d}-{a.name}"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--json", action="store_true", help="also print one JSON line of results")
    args = ap.parse_args()
    settings = Settings()
    t0 = time.perf_counter()
    get_nlp(settings.spacy_model)
    get_gazetteer(settings)
    startup = time.perf_counter() - t0
    articles = corpus(args.articles, settings)
    words = sum(len(a.text.split()) for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        t1 = time.perf_counter()
        events = 0
        for a in articles:
            result = process(a, settings)
            store.save(result)
            events += len(result.events)
        elapsed = time.perf_counter() - t1
        store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = args.articles / elapsed
    print(f"articles: {args.articles}")
    print(f"events: {events}")
    print(f"model_and_gazetteer_load_s: {startup:.2f}")
    print(f"elapsed_s: {elapsed:.2f}")
    print(f"words_per_s: {words / elapsed:.0f}")
    if args.json:
        print(json.dumps({"articles": args.articles, "articles_per_s": rate,
                          "peak_rss_mb": peak_mb, "elapsed_s": elapsed}))
    print(f"articles_per_s: {rate:.2f}")
    print(f"peak_rss_mb: {peak_mb:.0f}")


if __name__ == "__main__":
    main()
