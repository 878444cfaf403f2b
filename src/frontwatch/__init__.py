"""frontwatch: war news in, a sourced, geocoded, dated event database out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# `extract` below shares its name with the extraction subpackage, which becomes this
# attribute once imported; the subpackage is callable with the same arguments (see
# frontwatch/extract/__init__.py), so `frontwatch.extract(text)` works either way.

if TYPE_CHECKING:
    from os import PathLike

    from .query import Frontwatch
    from .records import ArticleResult

__version__ = "0.1.0"


def extract(text: str, **kwargs: Any) -> ArticleResult:
    """Extract events, places and claims from one article's text (no database).

    `published` (a date or ISO string) anchors relative dates; `outlet`, `name` and
    `settings` are passed on to `frontwatch.pipeline.extract`.
    """
    from .pipeline import extract as _extract

    return _extract(text, **kwargs)


def open(db: str | PathLike[str]) -> Frontwatch:
    """Open a frontwatch database read-only for queries: `fw.events(place="Bakhmut")`,
    `fw.claims()`, `fw.articles(language="uk")`, `fw.control("Bakhmut")`, each a list of
    typed records with `.to_pandas()` (pandas is optional). See `frontwatch.query`."""
    from .query import open_db

    return open_db(db)


__all__ = ["__version__", "extract", "open"]
