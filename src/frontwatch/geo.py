"""Distances between places: small, so that modules which need only this (fusion, the
CLI's startup path) do not load the gazetteer machinery of `places`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Place

_KM_PER_DEGREE = 111.2


def distance_km(a: Place, b: Place) -> float:
    """Equirectangular approximation: exact enough within a few hundred km, and cheap
    enough to run over every candidate of every ambiguous name."""
    mean_lat = math.radians((a.latitude + b.latitude) / 2.0)
    dx = (a.longitude - b.longitude) * math.cos(mean_lat)
    dy = a.latitude - b.latitude
    return _KM_PER_DEGREE * math.hypot(dx, dy)
