"""Fuzz the text stages: cleaning, dates and places on arbitrary Unicode.

The properties: nothing raises, every offset lies inside the text it points into and
names exactly the text it claims, and cleaning is idempotent.

    .venv/bin/python fuzz/fuzz_text.py fuzz/corpus/text -max_total_time=600
"""

from __future__ import annotations

from datetime import date, timedelta

import _common
import atheris

with atheris.instrument_imports(include=["frontwatch"]):
    from frontwatch import clean as clean_mod
    from frontwatch import dates
    from frontwatch.places import get_gazetteer, resolve_places
    from frontwatch.settings import Settings

GAZETTEER = get_gazetteer(Settings())
EPOCH = date(2022, 2, 24)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    days = fdp.ConsumeIntInRange(-1, 2000)
    published = None if days < 0 else EPOCH + timedelta(days=days)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())

    cleaned = clean_mod.clean(text)
    for removed in cleaned.removed:
        if text[removed.start : removed.end] != removed.text:
            raise AssertionError(f"removed block offsets wrong: {removed!r}")
    again = clean_mod.clean(cleaned.text).text
    if again != cleaned.text:
        raise AssertionError(f"clean is not idempotent: {cleaned.text!r} -> {again!r}")

    body = cleaned.text
    for span in dates.find_date_spans(body, published):
        m = span.mention
        if not 0 <= m.start < m.end <= len(body) or body[m.start : m.end] != m.text:
            raise AssertionError(f"date offsets wrong: {m!r}")
    for mention in resolve_places(body, GAZETTEER):
        if body[mention.start : mention.end] != mention.surface or mention.start >= mention.end:
            raise AssertionError(f"place offsets wrong: {mention!r}")


def main() -> None:
    _common.run(test_one_input)


if __name__ == "__main__":
    main()
