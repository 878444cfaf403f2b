"""Choosing among same-named places.

A weight per candidate: how likely a war-news article means this place when it says
the name, before and after looking at the rest of the article. Weights multiply:

* a prior from the kind of place (a country beats a same-named town: "Georgia"),
  the country (Ukraine, then Russia and Belarus, then the rest) and the population;
* a penalty when the name reached the place only through an unrelated alternate
  name (GeoNames lists Donetsk's old names, so "Oleksandrivka" would otherwise pick a
  city of 900,000 over the villages that are called that);
* bonuses from context: the article names the place's oblast, or another
  unambiguous place lies close by (Konstantinovka next to Bakhmut is the one in
  Donetsk oblast, not those in Mykolaiv, Zaporizhzhia or Kherson oblast).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..geo import _KM_PER_DEGREE, distance_km
from ..records import Place
from .admin import country_prior
from .front import front_factor
from .index import OTHER_ALTERNATE, OWN_NAME

COUNTRY_WEIGHT = 50.0
REGION_WEIGHT = 10.0
ALTERNATE_PENALTY = 0.3
# ... for a small place: the other names GeoNames lists for a village are mostly
# former or neighbouring villages' names, while a town's are the ones news still uses
# (Artemovsk for Bakhmut, Dzerzhinsk for Toretsk).
SMALL_ALTERNATE_PENALTY = 0.05
ALTERNATE_TOWN_POPULATION = 20_000
SMALL_PENALTY = 0.3
# The population a settlement near the front counts as at least (an ordinary village's:
# below it a census tells hamlets apart, not how often the news names them): see `prior`.
FRONT_VILLAGE_POPULATION = 1_000
# An oblast the text names outweighs every prior (population, front): see `front`.
ADMIN1_BONUS = 20.0
COUNTRY_BONUS = 3.0
PROXIMITY_BONUS = 3.0  # at distance 0, falling linearly to nothing at context_km
SURE_SHARE = 0.9  # a mention this sure of its place becomes context for the others


@dataclass(slots=True)
class Candidate:
    place: Place
    how: int = OWN_NAME  # how the name names the place (index.OWN_NAME ...)
    weight: float = 0.0


def population_factor(population: int) -> float:
    """Grows with the order of magnitude, squared: a capital of millions must beat a
    village of the same name in a neighbouring country despite the country prior."""
    f = 1.0 + math.log10(1.0 + max(population, 0) / 1000.0)
    return f * f


def counted_population(place: Place, front: float | None = None) -> int:
    """The population the prior counts: near the fighting, how many people a village
    has says little about how often the war news names it (every hamlet there is
    shelled), so each counts as at least an ordinary village there. The front then
    tells such namesakes apart, and a village of unknown population (most of COD-AB's)
    is not beaten by a known hamlet of a few hundred."""
    if front is None:
        front = front_factor(place)
    if front > 1.0:
        return max(place.population, FRONT_VILLAGE_POPULATION)
    return place.population


def prior(cand: Candidate, min_population: int) -> float:
    place = cand.place
    if place.kind == "country":
        return COUNTRY_WEIGHT
    if place.kind == "region":
        return REGION_WEIGHT * country_prior(place.country)
    front = front_factor(place)
    population = counted_population(place, front)
    w = country_prior(place.country) * population_factor(population) * front
    if cand.how == OTHER_ALTERNATE:
        big = place.population >= ALTERNATE_TOWN_POPULATION
        w *= ALTERNATE_PENALTY if big else SMALL_ALTERNATE_PENALTY
    if 0 < population < min_population:
        # A population of 0 is an unknown one (most villages of COD-AB), not a small one.
        w *= SMALL_PENALTY
    return w


class Context:
    """What the rest of the article says about where it is."""

    def __init__(
        self,
        admin1: frozenset[str] = frozenset(),
        countries: frozenset[str] = frozenset(),
        anchors: Iterable[tuple[str, Place]] = (),
        context_km: float = 150.0,
    ) -> None:
        self.admin1 = admin1  # admin1 codes of the oblasts the article names
        self.countries = countries  # countries it names
        self.context_km = context_km
        # (key, place) of its unambiguous places, once each, by latitude so that a
        # candidate only looks at the band of anchors that can be in reach.
        unique = {(key, p.geonameid): (p.latitude, key, p) for key, p in anchors}
        ordered = sorted(unique.values(), key=lambda t: t[0])
        self.anchor_lats = [t[0] for t in ordered]
        self.anchors = [(t[1], t[2]) for t in ordered]


def contextual_weight(cand: Candidate, key: str, ctx: Context, min_population: int) -> float:
    place = cand.place
    w = prior(cand, min_population)
    if place.kind != "settlement":
        return w
    supported = False
    if place.admin1_code is not None and place.admin1_code in ctx.admin1:
        w *= ADMIN1_BONUS
        supported = True
    nearest = _nearest(place, key, ctx)
    if nearest < ctx.context_km:
        w *= 1.0 + PROXIMITY_BONUS * (1.0 - nearest / ctx.context_km)
        supported = True
    if place.country != "UA" and place.country in ctx.countries:
        w *= COUNTRY_BONUS
    if supported and 0 < counted_population(place) < min_population:
        # Context is what lets a hamlet be chosen at all: undo the small-place penalty.
        w /= SMALL_PENALTY
    return w


def _nearest(place: Place, key: str, ctx: Context) -> float:
    best = math.inf
    reach = ctx.context_km / _KM_PER_DEGREE
    lo = bisect.bisect_left(ctx.anchor_lats, place.latitude - reach)
    hi = bisect.bisect_right(ctx.anchor_lats, place.latitude + reach)
    for anchor_key, anchor in ctx.anchors[lo:hi]:
        # A name is no evidence for itself; but the same place named another way
        # ("Artemovsk" in an article about Bakhmut) is the best evidence there is.
        if anchor_key == key:
            continue
        d = distance_km(place, anchor)
        if d < best:
            best = d
    return best


def choose(cands: Iterable[Candidate]) -> tuple[Candidate, float] | None:
    """The heaviest candidate and its share of the total weight (the confidence)."""
    best: Candidate | None = None
    total = 0.0
    for c in cands:
        total += c.weight
        if (
            best is None
            or c.weight > best.weight
            or (c.weight == best.weight and c.place.geonameid < best.place.geonameid)
        ):
            best = c
    if best is None:
        return None
    share = best.weight / total if total > 0 else 1.0
    return best, share
