"""Where the war is: a prior for same-named villages.

Ukraine has a dozen Blahodatnes and ten Lymans. A report of shelling, a clash or an
airstrike that names one without further context is far likelier about the one near
the fighting than about the one in Volyn. This module gives that prior as data: lines
along the areas of fighting of 2022-2024 and the border areas shelled from Russia,
drawn through well-known towns (approximate coordinates, from general knowledge of
the war; nothing here comes from any event data set). A settlement's distance to the
nearest line gives it a bonus that fades to nothing at `FRONT_KM`.

The prior is deliberately weaker than what the text says: a named oblast or a nearby
named town outweighs it (see `score`).
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from ..records import Place

# Full bonus on a line, none beyond this distance.
FRONT_KM = 60.0
FRONT_BONUS = 2.0  # the weight is multiplied by up to 1 + FRONT_BONUS
_KM_PER_DEGREE = 111.2

# (latitude, longitude) of towns along each line, in order.
# fmt: off
_LINES: tuple[tuple[tuple[float, float], ...], ...] = (
    # The contact line from the Kharkiv border to the Dnipro and the Kinburn spit:
    # Vovchansk, Kupiansk, Svatove, Kreminna, Siversk, Soledar, Bakhmut, Toretsk,
    # Avdiivka, Marinka, Vuhledar, Velyka Novosilka, Huliaipole, Orikhiv, Vasylivka,
    # Enerhodar / Nikopol (the Kakhovka reservoir), Nova Kakhovka, Kherson, Ochakiv.
    (
        (50.29, 36.94), (49.71, 37.61), (49.41, 38.16), (49.05, 38.22), (48.87, 38.10),
        (48.69, 38.08), (48.59, 38.00), (48.40, 37.85), (48.14, 37.75), (47.94, 37.50),
        (47.78, 37.25), (47.84, 36.83), (47.66, 36.26), (47.57, 35.78), (47.44, 35.28),
        (47.50, 34.66), (47.57, 34.39), (46.75, 33.37), (46.64, 32.62), (46.61, 31.55),
    ),
    # The 2024 advance west of Avdiivka: Avdiivka, Ocheretyne, Pokrovsk, Kurakhove, Marinka.
    ((48.14, 37.75), (48.23, 37.60), (48.28, 37.18), (47.98, 37.28), (47.94, 37.50)),
    # The border with Russia, shelled daily: Chernihiv oblast (Semenivka,
    # Novhorod-Siverskyi), Sumy oblast (Seredyna-Buda, Esman, Bilopillia, Krasnopillia,
    # Velyka Pysarivka), Kharkiv oblast (Zolochiv, Kozacha Lopan, Vovchansk).
    (
        (52.18, 32.58), (52.00, 33.26), (52.19, 33.93), (51.81, 34.28), (51.15, 34.31),
        (50.77, 35.27), (50.42, 35.47), (50.28, 35.98), (50.33, 36.21), (50.29, 36.94),
    ),
    # The 2022 fronts north of Kyiv, at Chernihiv, Sumy and Kharkiv, around Izium and
    # in the Mykolaiv-Kherson steppe: Makariv, Bucha, Brovary, Chernihiv; Trostianets,
    # Sumy; Kharkiv, Izium, Kupiansk; Mykolaiv, Snihurivka, Davydiv Brid, Vysokopillia.
    ((50.46, 29.81), (50.54, 30.22), (50.51, 30.79), (51.49, 31.29)),
    ((50.48, 34.96), (50.91, 34.80)),
    ((49.99, 36.23), (49.21, 37.26), (49.71, 37.61)),
    ((46.97, 32.00), (47.08, 32.81), (47.22, 33.30), (47.48, 33.53)),
)
# fmt: on

# The countries whose settlements the prior applies to: the war's, and Russia's side of
# the border, which is shelled and raided too.
_COUNTRIES = frozenset({"UA", "RU"})


def _segment_km(lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from a point to a segment, on a local plane (fine within ~100 km)."""
    k = math.cos(math.radians(lat))
    ax, ay = (a[1] - lon) * k, a[0] - lat
    bx, by = (b[1] - lon) * k, b[0] - lat
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return _KM_PER_DEGREE * math.hypot(ax + t * dx, ay + t * dy)


@lru_cache(maxsize=65536)
def front_km(latitude: float, longitude: float) -> float:
    """Distance (km) to the nearest line of fighting or shelled border."""
    best = math.inf
    for line in _LINES:
        for a, b in itertools.pairwise(line):
            # Cheap reject: both ends far north or south of the point.
            if min(a[0], b[0]) - latitude > 2 or latitude - max(a[0], b[0]) > 2:
                continue
            best = min(best, _segment_km(latitude, longitude, a, b))
    return best


def front_factor(place: Place) -> float:
    """1 + FRONT_BONUS at the front, falling linearly to 1 at FRONT_KM and beyond."""
    if place.kind != "settlement" or place.country not in _COUNTRIES:
        return 1.0
    d = front_km(place.latitude, place.longitude)
    if d >= FRONT_KM:
        return 1.0
    return 1.0 + FRONT_BONUS * (1.0 - d / FRONT_KM)
