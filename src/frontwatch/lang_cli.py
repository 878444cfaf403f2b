"""The command line's side of languages: counts, and the report's note on articles the
pipeline did not analyse (`frontwatch.lang`)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click

from .lang import SUPPORTED, describe_not_analysed, not_analysed
from .settings import Settings


def language_summary(settings: Settings) -> dict[str | None, int]:
    from .cli import _store
    from .query import language_counts

    with _store(settings) as store:
        return language_counts(store)


def not_analysed_note(counts: dict[str | None, int]) -> str:
    """The report's section on articles stored but not analysed, or ""."""
    skipped = not_analysed(counts)
    if not skipped:
        return ""
    described = describe_not_analysed(skipped)
    langs = ", ".join(sorted(SUPPORTED))
    example = next(iter(skipped))
    return (
        "\n## Articles not analysed\n\n"
        f"The database holds {described} in languages the event extractors do not read "
        f"(supported: {langs}). They are stored and their place mentions resolved "
        "(`frontwatch export --what mentions`), but no events or claims were extracted "
        f"from them, so this report does not cover them. List them with "
        f"`frontwatch articles --language {example}`.\n"
    )


def add_language_note(cmd: click.Command) -> None:
    """Make `frontwatch report` end with the not-analysed note, on stdout or in -o."""
    inner = cmd.callback
    assert inner is not None

    @functools.wraps(inner)
    def callback(*args: Any, **kwargs: Any) -> Any:
        result = inner(*args, **kwargs)
        from .cli import _settings

        note = not_analysed_note(language_summary(_settings(click.get_current_context())))
        if note:
            output = kwargs.get("output")
            if output is not None:
                with Path(output).open("a", encoding="utf-8") as fh:
                    fh.write(note)
            else:
                click.echo(note, nl=False)
        return result

    cmd.callback = callback
