"""Loading, fetching and describing the gazetteer sources of a cache directory.

`load_files` parses each file (or each member of a zip), persists it as an extract
under ``<cache>/sources/`` with the manifest, then rebuilds the index once for all of
them. A file whose content (sha256) is already loaded changes nothing; a file of the same
slot as a loaded one (another ``UA.txt`` dump, a newer ``settlements.csv``) replaces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..settings import Settings
from .gazetteer import BUILD_INFO, GeoNamesGazetteer, cache_file_name, forget_gazetteer
from .sources import (
    SourceInfo,
    decode_text,
    new_source,
    parse_text,
    read_manifest,
    read_members,
    sources_digest,
    sources_dir,
    write_extract,
    write_manifest,
)

log = logging.getLogger(__name__)

GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump"
FETCH_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class LoadResult:
    added: tuple[SourceInfo, ...] = ()
    unchanged: tuple[SourceInfo, ...] = ()
    replaced: tuple[SourceInfo, ...] = ()
    errors: tuple[InputError, ...] = ()
    parse_seconds: float = 0.0
    build_seconds: float | None = None  # None: the index was already up to date
    index_file: Path | None = None


@dataclass(frozen=True, slots=True)
class GazetteerInfo:
    cache_dir: Path
    sources: tuple[SourceInfo, ...]
    index_file: Path  # where the index for these sources is (or will be)
    index_bytes: int | None  # None: not built yet
    build: dict[str, Any] = field(default_factory=dict)  # index.json, when it matches


@contextlib.contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """Serialise manifest updates across processes (POSIX only)."""
    folder = sources_dir(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_orphans(cache_dir: Path, sources: Sequence[SourceInfo]) -> None:
    keep = {s.extract for s in sources}
    for path in sources_dir(cache_dir).glob("*.jsonl"):
        if path.name not in keep:
            with contextlib.suppress(OSError):
                path.unlink()


def load_files(paths: Sequence[Path], settings: Settings, *, build: bool = True) -> LoadResult:
    """Load gazetteer files into `settings.cache_path` and rebuild its index once.

    A bad file is reported in `errors` and the others are still loaded.
    """
    cache = settings.cache_path
    added: list[SourceInfo] = []
    unchanged: list[SourceInfo] = []
    replaced: list[SourceInfo] = []
    errors: list[InputError] = []
    t0 = time.perf_counter()
    try:
        with _locked(cache):
            manifest = read_manifest(cache)
            for path in paths:
                try:
                    for member, data in read_members(path):
                        sha = hashlib.sha256(data).hexdigest()
                        known = next((s for s in manifest if s.sha256 == sha), None)
                        if known is not None:
                            unchanged.append(known)
                            continue
                        parsed = parse_text(decode_text(data, member), member)
                        extract = write_extract(cache, parsed, sha)
                        info = new_source(parsed, sha, Path(member).name, extract)
                        replaced += [s for s in manifest if s.slot == info.slot]
                        manifest = [s for s in manifest if s.slot != info.slot] + [info]
                        added.append(info)
                        log.info("loaded %s as %s: %d rows", member, info.kind, info.rows)
                except InputError as exc:
                    errors.append(exc)
            if added:
                write_manifest(cache, manifest)
                _remove_orphans(cache, manifest)
    except OSError as exc:
        raise InputError(str(cache), f"cannot write the cache directory: {exc}") from exc
    parse_seconds = time.perf_counter() - t0
    forget_gazetteer(settings)
    build_seconds = None
    index_file = None
    if build and (added or unchanged):
        gaz = GeoNamesGazetteer(cache)
        build_seconds = gaz.build_seconds
        index_file = gaz.cache_file
    return LoadResult(
        tuple(added), tuple(unchanged), tuple(replaced), tuple(errors), parse_seconds,
        build_seconds, index_file,
    )


def fetch(country: str, settings: Settings, url_base: str = GEONAMES_DUMP_URL) -> LoadResult:
    """Download GeoNames' dump of `country` (``<url_base>/UA.zip``) and load it."""
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise InputError(country, "not an ISO 3166-1 alpha-2 country code")
    url = f"{url_base.rstrip('/')}/{code}.zip"
    folder = settings.cache_path / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{code}.", suffix=".zip", dir=folder)
    try:
        log.info("downloading %s", url)
        try:
            with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as resp, os.fdopen(
                fd, "wb"
            ) as out:
                while chunk := resp.read(1 << 20):
                    out.write(chunk)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise InputError(url, f"download failed: {reason}") from exc
        target = folder / f"{code}.zip"
        os.replace(tmp, target)
        tmp = str(target)
        return load_files([target], settings)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def clear(settings: Settings) -> int:
    """Forget every loaded source (the index reverts to cities500); how many there were."""
    cache = settings.cache_path
    with _locked(cache):
        sources = read_manifest(cache)
        write_manifest(cache, [])
        _remove_orphans(cache, [])
    forget_gazetteer(settings)
    return len(sources)


def describe(settings: Settings) -> GazetteerInfo:
    """What is loaded into `settings.cache_path` and where its index is."""
    cache = settings.cache_path
    sources = tuple(read_manifest(cache))
    index_file = cache / cache_file_name(sources_digest(sources))
    size = index_file.stat().st_size if index_file.exists() else None
    build: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((cache / BUILD_INFO).read_text(encoding="utf-8"))
        if data.get("file") == index_file.name:
            build = data
    return GazetteerInfo(cache, sources, index_file, size, build)
