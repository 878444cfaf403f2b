"""Fuzz the whole per-article stage (clean, parse, places, dates, extraction).

The property: process_safely returns a result or a per-article error, never raises;
evidence offsets of events and claims lie inside the cleaned text. spaCy makes this
slow (tens of executions a second), so it runs for less time than the others.

    .venv/bin/python fuzz/fuzz_pipeline.py fuzz/corpus/text -max_total_time=600
"""

from __future__ import annotations

from datetime import date

import _common
import atheris

with atheris.instrument_imports(include=["frontwatch"]):
    from frontwatch.pipeline import process_safely
    from frontwatch.records import Article
    from frontwatch.settings import Settings

SETTINGS = Settings(article_time_limit=0)
PUBLISHED = date(2023, 7, 17)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes()) or "x"
    # language="en" so every input reaches the parser and the extractors.
    article = Article.from_text(text, "fuzz", published=PUBLISHED, language="en")
    got = process_safely(article, SETTINGS)
    if (got.result is None) == (got.error is None):
        raise AssertionError(f"neither or both of result and error: {got!r}")
    if got.error is not None:
        # process_safely turns a crash into an error; for the fuzzer it is still a crash.
        raise AssertionError(f"processing failed: {got.error.reason}")
    assert got.result is not None
    body = got.result.cleaned.text
    for mention in got.result.mentions:
        if body[mention.start : mention.end] != mention.surface:
            raise AssertionError(f"place offsets wrong: {mention!r}")
    for item in (*got.result.events, *got.result.claims):
        if not 0 <= item.evidence_start <= item.evidence_end <= len(body):
            raise AssertionError(f"evidence offsets wrong: {item!r}")


def main() -> None:
    _common.quiet()
    from frontwatch.nlp import get_nlp

    get_nlp(SETTINGS.spacy_model)  # load once, before the clock of the first input
    _common.run(test_one_input)


if __name__ == "__main__":
    main()
