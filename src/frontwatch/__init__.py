"""frontwatch: war news in, a sourced, geocoded, dated event database out."""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import ArticleResult


def extract(text: str, **kwargs: Any) -> ArticleResult:
    """Extract events, places and claims from one article's text (no database).

    `published` (a date or ISO string) anchors relative dates; see
    `frontwatch.pipeline.extract` for the other keyword arguments.
    """
    from .pipeline import extract as _extract

    return _extract(text, **kwargs)


__all__ = ["__version__", "extract"]
