"""The places stage: a gazetteer and toponym resolution.

`resolve_places(text, get_gazetteer(settings))` returns the places an article names,
as `Mention`s with offsets into the text.
"""

from __future__ import annotations

from .gazetteer import (
    Gazetteer,
    GeoNamesGazetteer,
    IndexedGazetteer,
    MemoryGazetteer,
    get_gazetteer,
)
from .normalise import normalise_name
from .resolve import resolve_places

__all__ = [
    "Gazetteer",
    "GeoNamesGazetteer",
    "IndexedGazetteer",
    "MemoryGazetteer",
    "get_gazetteer",
    "normalise_name",
    "resolve_places",
]
