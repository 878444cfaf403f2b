"""Extraction: events, actors, attribution and claims from a parsed article."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from .events import extract_events

if TYPE_CHECKING:
    from ..records import ArticleResult


class _Stage(types.ModuleType):
    """This package, callable as `frontwatch.extract(text)`.

    The library function `frontwatch.extract` and this subpackage share a name: importing
    the subpackage makes it the package attribute. Calling the module does what the
    function does, so the name works either way, and `import frontwatch` need not load
    the extractors first to keep the function in place.
    """

    def __call__(self, text: str, **kwargs: Any) -> ArticleResult:
        from ..pipeline import extract

        return extract(text, **kwargs)


sys.modules[__name__].__class__ = _Stage

__all__ = ["extract_events"]
