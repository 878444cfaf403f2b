"""Extraction: events, actors, attribution and claims from a parsed article."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from .events import extract_events

__all__ = ["extract_events"]

if TYPE_CHECKING:
    from ..records import ArticleResult


class _CallableStage(types.ModuleType):
    """`frontwatch.extract(text, ...)` stays the library call even where this package
    object, rather than the function, is what an import bound to the name."""

    def __call__(self, text: str, **kwargs: Any) -> ArticleResult:
        from ..pipeline import extract

        return extract(text, **kwargs)


sys.modules[__name__].__class__ = _CallableStage
