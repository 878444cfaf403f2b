"""End-to-end: ingest a real corpus with the CLI, read it back, check expected.yaml.

The seeds and their expectations are read from ../shared (skipped with a reason when
absent); the bundled examples from examples/. Both use the matching rules written at the
top of the seeds' expected.yaml, implemented in tests/expectations.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from expectations import check_corpus
from frontwatch.cli import main
from frontwatch.places import get_gazetteer
from frontwatch.records import ArticleResult
from frontwatch.settings import Settings
from frontwatch.store import EventFilter, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def _lookup(gid: int) -> tuple[float, float] | None:
    place = get_gazetteer(Settings()).get(gid)
    return (place.latitude, place.longitude) if place else None


def _ingest_and_read(corpus: Path, tmp_path: Path) -> dict[str, ArticleResult]:
    db = tmp_path / "fw.db"
    res = CliRunner().invoke(main, ["--db", str(db), "ingest", str(corpus), "--meta",
                                    str(corpus / "meta.jsonl"), "--no-progress"])
    assert res.exit_code == 0, res.output
    store = open_store(str(db))
    out: dict[str, ArticleResult] = {}
    try:
        for article in store.articles():
            stored = store.get_article(article.id)
            assert stored is not None
            out[article.name] = ArticleResult(
                article=article,
                cleaned=stored.cleaned,
                mentions=tuple(m.mention for m in store.mentions(article.id)),
                events=tuple(store.events(EventFilter(article=article.id))),
                claims=tuple(store.claims(article.id)),
            )
    finally:
        store.close()
    return out


def _run(corpus: Path, expected: dict[str, Any], tmp_path: Path) -> tuple[int, int]:
    results = _ingest_and_read(corpus, tmp_path)
    checks = check_corpus(results, expected, _lookup)
    met = sum(ok for ok, _ in checks)
    claims = [ok for ok, desc in checks if ": claim " in desc]
    print(f"\n{corpus.name}: {met}/{len(checks)} expectations met "
          f"(claims {sum(claims)}/{len(claims)})")
    for ok, desc in checks:
        if not ok:
            print(f"  NOT MET: {desc}")
    return met, len(checks)


def test_seeds_meet_every_expectation(tmp_path: Path) -> None:
    if not (SEEDS / "expected.yaml").exists():
        pytest.skip(f"../shared not present: {SEEDS} is missing")
    expected = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
    met, total = _run(SEEDS, expected, tmp_path)
    assert met == total, f"{total - met} seed expectation(s) not met"


def test_examples_meet_every_expectation(tmp_path: Path) -> None:
    expected = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
    met, total = _run(EXAMPLES, expected, tmp_path)
    assert met == total, f"{total - met} example expectation(s) not met"
