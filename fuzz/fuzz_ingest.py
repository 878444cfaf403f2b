"""Fuzz reading input files: bytes in any of the accepted formats -> read_path.

The property: every input ends as Articles or one-line InputErrors; nothing raises,
and an Article's text is clean, non-empty and storable (UTF-8 encodable). Also checks
that decode_bytes only ever raises ValueError.

    .venv/bin/python fuzz/fuzz_ingest.py fuzz/corpus/ingest -max_total_time=600
"""

from __future__ import annotations

import _common
import atheris

with atheris.instrument_imports(include=["frontwatch"]):
    from frontwatch.encoding import decode_bytes
    from frontwatch.errors import InputError
    from frontwatch.ingest import read_path
    from frontwatch.records import Article
    from frontwatch.settings import Settings

# No time limit of ours: a hang must surface as libFuzzer's timeout, not an InputError.
SETTINGS = Settings(article_time_limit=0, max_file_bytes=1_000_000, max_article_chars=20_000)
SUFFIXES = [".txt", ".html", ".htm", ".jsonl"]


def check_decode(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ValueError:
        return
    if not isinstance(text, str):
        raise AssertionError(f"decode_bytes returned {type(text).__name__}")


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[fdp.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    check_decode(payload)
    path = _common.scratch_file(suffix)
    path.write_bytes(payload)
    try:
        results = list(read_path(path, SETTINGS))
    finally:
        path.unlink()
    for result in results:
        if isinstance(result, InputError):
            if not result.reason or "\n" in result.reason:
                raise AssertionError(f"bad error message: {result.reason!r}")
        elif isinstance(result, Article):
            if not result.text or result.text != result.text.strip():
                raise AssertionError("article text empty or not stripped")
            result.text.encode("utf-8")
        else:
            raise AssertionError(f"read_path yielded {type(result).__name__}")


def main() -> None:
    _common.run(test_one_input)


if __name__ == "__main__":
    main()
