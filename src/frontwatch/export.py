"""Writing stored records out: JSON Lines, ACLED-shaped CSV, GeoJSON.

JSONL is the lossless format; ACLED CSV and GeoJSON are for other tools (ACLED's
own scripts, spreadsheets, QGIS) and say in their docstrings what they drop.

Article text is untrusted: every CSV writer escapes cells a spreadsheet would take
for a formula, and JSON output never contains NaN (not valid JSON).
"""

from __future__ import annotations

import csv
import json
import logging
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from .errors import ConfigError
from .fuse.control import Timeline
from .fuse.events import FusedEvent
from .records import Claim, Event, Place, Source
from .store import StoredMention

log = logging.getLogger(__name__)


class FormatError(ConfigError, ValueError):
    """An unknown export format. A ValueError too, so that callers catching either
    (the CLI turns ValueError into a usage error) see it."""


EVENT_FORMATS: tuple[str, ...] = ("jsonl", "acled-csv", "geojson")
MENTION_FORMATS: tuple[str, ...] = ("jsonl", "geojson", "csv")
CLAIM_FORMATS: tuple[str, ...] = ("jsonl", "csv")

EVENT_KEYS: tuple[str, ...] = (
    "event_id", "article", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "side1", "side2", "movement", "modality",
    "location", "surface", "geonameid", "latitude", "longitude", "admin1", "admin1_code",
    "admin2", "admin3", "country", "geo_precision", "fatalities", "sources", "evidence",
    "evidence_start", "evidence_end", "notes",
    # Beyond the documented keys, so that JSONL loses nothing of the Event.
    "article_id", "location_start", "location_end", "confidence", "qualifier",
)  # fmt: skip
MENTION_KEYS: tuple[str, ...] = (
    "article", "surface", "start", "end", "geonameid", "name", "latitude", "longitude",
    "admin1", "admin1_code", "country", "kind", "geo_precision", "confidence", "qualifier",
    "article_id",
)  # fmt: skip
CLAIM_KEYS: tuple[str, ...] = (
    "claim_id", "article", "kind", "side", "holder", "low", "high", "unit",
    "killed_or_injured", "valid_from", "valid_to", "as_of", "date_precision", "background",
    "modality", "place", "geonameid", "latitude", "longitude", "admin1", "country",
    "sources", "evidence", "evidence_start", "evidence_end", "article_id",
    "qualifier", "cumulative", "period", "victims", "action", "event_id", "superseded",
)  # fmt: skip

# ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

# ISO 3166-1 alpha-2 -> (ACLED country name, ISO numeric, ACLED region), for the
# countries this war's news names. Others keep their alpha-2 code and no region.
ACLED_COUNTRIES: dict[str, tuple[str, int, str]] = {
    "UA": ("Ukraine", 804, "Europe"),
    "RU": ("Russia", 643, "Europe"),
    "BY": ("Belarus", 112, "Europe"),
    "MD": ("Moldova", 498, "Europe"),
    "PL": ("Poland", 616, "Europe"),
    "RO": ("Romania", 642, "Europe"),
    "SK": ("Slovakia", 703, "Europe"),
    "HU": ("Hungary", 348, "Europe"),
    "LT": ("Lithuania", 440, "Europe"),
    "LV": ("Latvia", 428, "Europe"),
    "EE": ("Estonia", 233, "Europe"),
    "FI": ("Finland", 246, "Europe"),
    "BG": ("Bulgaria", 100, "Europe"),
    "DE": ("Germany", 276, "Europe"),
    "GE": ("Georgia", 268, "Caucasus and Central Asia"),
    "AM": ("Armenia", 51, "Caucasus and Central Asia"),
    "AZ": ("Azerbaijan", 31, "Caucasus and Central Asia"),
    "KZ": ("Kazakhstan", 398, "Caucasus and Central Asia"),
    "TR": ("Turkey", 792, "Middle East"),
}

_POLITICAL_VIOLENCE = frozenset(
    {"battles", "explosions/remote violence", "violence against civilians"}
)
_DEMONSTRATIONS = frozenset({"protests", "riots"})
# ACLED actor types, matched on the actor's name as ACLED spells actors.
_STATE_PREFIXES = ("military forces of", "police forces of", "government of")
_MILITIA_WORDS = ("wagner", "militia", "private military", "pmc ")
_REBEL_WORDS = ("rebel", "insurgent", "freedom of russia legion", "russian volunteer corps")

# Leading characters that make Excel/LibreOffice/Sheets read a cell as a formula
# (OWASP's list: the four the brief names plus tab and carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- records


def _num(x: float | None) -> float | None:
    # NaN/inf are not JSON, and in a CSV they would read as text.
    return x if x is None or math.isfinite(x) else None


def source_to_dict(s: Source) -> dict[str, object]:
    return {
        "name": s.name,
        "affiliation": s.affiliation,
        "channel": s.channel,
        "quote": s.quote,
        "relayed_by": s.relayed_by,
    }


def event_to_dict(e: Event) -> dict[str, object]:
    """The JSONL record of an event: the keys of `EVENT_KEYS`, in that order."""
    m = e.location
    p = m.place
    return {
        "event_id": e.event_id,
        "article": e.article,
        "event_date": None if e.event_date is None else e.event_date.isoformat(),
        "time_precision": e.time_precision,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1,
        "assoc_actor_1": e.assoc_actor_1,
        "actor2": e.actor2,
        "side1": e.side1,
        "side2": e.side2,
        "movement": e.movement,
        "modality": e.modality,
        "location": p.name,
        "surface": m.surface,
        "geonameid": p.geonameid,
        "latitude": _num(p.latitude),
        "longitude": _num(p.longitude),
        "admin1": p.admin1,
        "admin1_code": p.admin1_code,
        "admin2": p.admin2,
        "admin3": p.admin3,
        "country": p.country,
        "geo_precision": m.geo_precision,
        "fatalities": e.fatalities,
        "sources": [source_to_dict(s) for s in e.sources],
        "evidence": e.evidence,
        "evidence_start": e.evidence_start,
        "evidence_end": e.evidence_end,
        "notes": e.notes,
        "article_id": e.article_id,
        "location_start": m.start,
        "location_end": m.end,
        "confidence": _num(m.confidence),
        "qualifier": m.qualifier,
    }


def mention_to_dict(sm: StoredMention) -> dict[str, object]:
    """The JSONL record of a mention: the keys of `MENTION_KEYS`, in that order."""
    m = sm.mention
    p = m.place
    return {
        "article": sm.article,
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
        "geonameid": p.geonameid,
        "name": p.name,
        "latitude": _num(p.latitude),
        "longitude": _num(p.longitude),
        "admin1": p.admin1,
        "admin1_code": p.admin1_code,
        "country": p.country,
        "kind": p.kind,
        "geo_precision": m.geo_precision,
        "confidence": _num(m.confidence),
        "qualifier": m.qualifier,
        "article_id": sm.article_id,
    }


def claim_to_dict(c: Claim) -> dict[str, object]:
    """The JSONL record of a claim: the keys of `CLAIM_KEYS`, in that order."""
    p: Place | None = c.place
    return {
        "claim_id": c.claim_id,
        "article": c.article,
        "kind": c.kind,
        "side": c.side,
        "holder": c.holder,
        "low": _num(c.low),
        "high": _num(c.high),
        "unit": c.unit,
        "killed_or_injured": c.killed_or_injured,
        "valid_from": None if c.valid_from is None else c.valid_from.isoformat(),
        "valid_to": None if c.valid_to is None else c.valid_to.isoformat(),
        "as_of": None if c.as_of is None else c.as_of.isoformat(),
        "date_precision": c.date_precision,
        "background": c.background,
        "modality": c.modality,
        "place": None if p is None else p.name,
        "geonameid": None if p is None else p.geonameid,
        "latitude": None if p is None else _num(p.latitude),
        "longitude": None if p is None else _num(p.longitude),
        "admin1": None if p is None else p.admin1,
        "country": None if p is None else p.country,
        "sources": [source_to_dict(s) for s in c.sources],
        "evidence": c.evidence,
        "evidence_start": c.evidence_start,
        "evidence_end": c.evidence_end,
        "article_id": c.article_id,
        "qualifier": c.qualifier,
        "cumulative": c.cumulative,
        "period": c.period,
        "victims": c.victims,
        "action": c.action,
        "event_id": c.event_id,
        "superseded": c.superseded,
    }


# --------------------------------------------------------------------------- ACLED


def acled_inter_code(actor: str | None) -> int:
    """ACLED's actor-type code for an actor named the way ACLED names actors.

    1 state forces, 2 rebel groups, 3 political militias, 5 rioters, 6 protesters,
    7 civilians, 8 external/other forces, 0 no actor. (4, identity militias, is not
    guessed from a name.)
    """
    if actor is None or not actor.strip():
        return 0
    name = actor.strip().casefold()
    if name.startswith(_STATE_PREFIXES):
        return 1
    if name.startswith("civilians"):
        return 7
    if name.startswith("protesters"):
        return 6
    if name.startswith("rioters"):
        return 5
    if any(w in f"{name} " for w in _MILITIA_WORDS):
        return 3
    if any(w in name for w in _REBEL_WORDS):
        return 2
    return 8


def acled_interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: the two actor types, smaller digit first; an event
    with one actor is that type times ten (10 = state forces acting alone)."""
    low, high = sorted((inter1, inter2))
    return high * 10 if low == 0 else low * 10 + high


def acled_disorder_type(event_type: str) -> str:
    t = event_type.strip().casefold()
    if t in _POLITICAL_VIOLENCE:
        return "Political violence"
    if t in _DEMONSTRATIONS:
        return "Demonstrations"
    return "Strategic developments"


def _acled_tags(e: Event) -> str:
    # What ACLED has no column for, so that an ACLED-shaped file loses as little as it
    # can. fatalities=unknown marks the 0 that stands for "not reported".
    tags = []
    if e.movement:
        tags.append(f"movement={e.movement}")
    tags.append(f"modality={e.modality}")
    tags.append(f"side1={e.side1}")
    if e.side2:
        tags.append(f"side2={e.side2}")
    if e.fatalities is None:
        tags.append("fatalities=unknown")
    if e.location.qualifier:
        tags.append(f"qualifier={e.location.qualifier}")
    return "; ".join(tags)


def event_to_acled(e: Event, timestamp: int) -> dict[str, object]:
    """One ACLED CSV row (keys `ACLED_COLUMNS`) for an event."""
    p = e.location.place
    country, iso, region = ACLED_COUNTRIES.get(p.country, (p.country, None, None))
    inter1, inter2 = acled_inter_code(e.actor1), acled_inter_code(e.actor2)
    civilian = inter2 == 7 or e.event_type.casefold() == "violence against civilians"
    return {
        "event_id_cnty": e.event_id,
        "event_date": None if e.event_date is None else e.event_date.isoformat(),
        "year": None if e.event_date is None else e.event_date.year,
        "time_precision": e.time_precision,
        "disorder_type": acled_disorder_type(e.event_type),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1,
        "assoc_actor_1": e.assoc_actor_1,
        "inter1": inter1,
        "actor2": e.actor2,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": acled_interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": iso,
        "region": region,
        "country": country,
        "admin1": p.admin1,
        "admin2": p.admin2,
        "admin3": p.admin3,
        "location": p.name,
        "latitude": _num(p.latitude),
        "longitude": _num(p.longitude),
        "geo_precision": e.location.geo_precision,
        "source": "; ".join(s.name for s in e.sources),
        "source_scale": None,
        "notes": e.evidence,
        "fatalities": 0 if e.fatalities is None else e.fatalities,
        "tags": _acled_tags(e),
        "timestamp": timestamp,
    }


# --------------------------------------------------------------------------- writers


def _check_format(fmt: str, allowed: tuple[str, ...], what: str) -> str:
    f = fmt.strip().lower()
    if f not in allowed:
        raise FormatError(f"unknown {what} format {fmt!r}; choose one of {', '.join(allowed)}")
    return f


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will show as text, never run as a formula.

    Numbers pass unchanged (a negative longitude stays a number); text starting with
    a formula character gets a leading apostrophe, which spreadsheets hide.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv(rows: Iterable[dict[str, object]], columns: Sequence[str], out: TextIO) -> int:
    # "\n" rather than csv's default "\r\n": callers write to stdout and to files
    # opened in text mode, where "\r\n" would become "\r\r\n" on Windows.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
        n += 1
    return n


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def _write_jsonl(records: Iterable[dict[str, object]], out: TextIO) -> int:
    n = 0
    for rec in records:
        out.write(_dumps(rec) + "\n")
        n += 1
    return n


def _has_point(lat: object, lon: object) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


def _write_geojson(
    records: Iterable[dict[str, object]], out: TextIO, what: str, id_key: str | None = None
) -> int:
    """A FeatureCollection (RFC 7946: [longitude, latitude], WGS 84, no "crs" member),
    streamed feature by feature but one JSON document."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = skipped = 0
    for rec in records:
        lat, lon = rec.get("latitude"), rec.get("longitude")
        if not _has_point(lat, lon):
            skipped += 1
            continue
        feature: dict[str, object] = {"type": "Feature"}
        if id_key is not None:
            feature["id"] = rec[id_key]
        feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
        feature["properties"] = rec
        out.write(("\n" if n == 0 else ",\n") + _dumps(feature))
        n += 1
    out.write("\n]}\n")
    if skipped:
        log.warning("%d %s without usable coordinates left out of the GeoJSON", skipped, what)
    return n


def claim_to_csv(c: Claim) -> dict[str, object]:
    """A claim's CSV row: its JSONL record with the source list as two cells."""
    row = claim_to_dict(c)
    row["sources"] = "; ".join(s.name for s in c.sources)
    row["source_affiliations"] = "; ".join(s.affiliation for s in c.sources)
    return row


def write_events(
    events: Iterable[Event], fmt: str, out: TextIO, *, timestamp: int | None = None
) -> int:
    """Write events as `jsonl`, `acled-csv` or `geojson`; return how many were written.

    acled-csv follows ACLED's export columns and order. `event_date` is ISO
    (YYYY-MM-DD), as ACLED's own API returns it (its website's CSV uses "15 March
    2024"). ACLED codes unknown fatalities as 0; the `tags` cell says
    `fatalities=unknown` then, and keeps movement, modality and sides. `timestamp`
    (Unix seconds, ACLED's "last modified") defaults to now. geojson leaves out
    events without coordinates and logs how many.
    """
    f = _check_format(fmt, EVENT_FORMATS, "event")
    if f == "jsonl":
        return _write_jsonl(map(event_to_dict, events), out)
    if f == "geojson":
        return _write_geojson(map(event_to_dict, events), out, "events", id_key="event_id")
    stamp = int(time.time()) if timestamp is None else timestamp
    return _write_csv((event_to_acled(e, stamp) for e in events), ACLED_COLUMNS, out)


def write_mentions(mentions: Iterable[StoredMention], fmt: str, out: TextIO) -> int:
    """Write place mentions as `jsonl`, `geojson` or `csv` (columns `MENTION_KEYS`)."""
    f = _check_format(fmt, MENTION_FORMATS, "mention")
    records = map(mention_to_dict, mentions)
    if f == "jsonl":
        return _write_jsonl(records, out)
    if f == "geojson":
        return _write_geojson(records, out, "mentions")
    return _write_csv(records, MENTION_KEYS, out)


def write_claims(claims: Iterable[Claim], fmt: str, out: TextIO) -> int:
    """Write claims as `jsonl` or `csv`. In CSV the source list becomes `sources`
    (names) and `source_affiliations`, each joined by "; "."""
    f = _check_format(fmt, CLAIM_FORMATS, "claim")
    if f == "jsonl":
        return _write_jsonl(map(claim_to_dict, claims), out)
    return _write_csv(map(claim_to_csv, claims), (*CLAIM_KEYS, "source_affiliations"), out)


# ------------------------------------------------------------------ control and fusion

CONTROL_COLUMNS = ("geonameid", "name", "latitude", "longitude", "admin1", "holder", "from",
                   "to", "status", "sources", "evidence")


def control_records(timelines: Iterable[Timeline]) -> Iterator[dict[str, object]]:
    """One record per settlement and interval of its control timeline."""
    for t in timelines:
        for iv in t.intervals:
            yield {
                "geonameid": t.place.geonameid, "name": t.place.name,
                "latitude": t.place.latitude, "longitude": t.place.longitude,
                "admin1": t.place.admin1, "holder": iv.holder,
                "from": iv.start.isoformat() if iv.start else None,
                "to": iv.end.isoformat() if iv.end else None, "status": iv.status,
                "sources": [source_to_dict(s) for s in iv.sources],
                "evidence": [{"article_id": o.article_id, "date": o.day.isoformat(),
                              "kind": o.kind, "text": o.evidence} for o in iv.evidence],
            }


def write_control(timelines: Iterable[Timeline], fmt: str, out: TextIO) -> int:
    _check_format(fmt, ("jsonl", "geojson", "csv"), "control")
    records = control_records(timelines)
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    if fmt == "geojson":
        return _write_geojson(records, out, "control intervals")
    return _write_csv((_control_row(r) for r in records), CONTROL_COLUMNS, out)


def _control_row(rec: dict[str, object]) -> dict[str, object]:
    sources = rec["sources"]
    evidence = rec["evidence"]
    assert isinstance(sources, list) and isinstance(evidence, list)
    return {**rec, "sources": "; ".join(str(s["name"]) for s in sources),
            "evidence": len(evidence)}


def fused_to_dict(f: FusedEvent) -> dict[str, object]:
    rec = event_to_dict(f.event)
    rec.update({
        "fused_id": f.fused_id, "corroboration": f.corroboration,
        "date_from": f.date_from.isoformat() if f.date_from else None,
        "date_to": f.date_to.isoformat() if f.date_to else None,
        "sources": [source_to_dict(s) for s in f.sources],
        "reports": [{"event_id": e.event_id, "article": e.article, "evidence": e.evidence,
                     "event_date": e.event_date.isoformat() if e.event_date else None,
                     "sources": [source_to_dict(s) for s in e.sources]} for e in f.reports],
    })
    return rec


def write_fused(fused: Iterable[FusedEvent], fmt: str, out: TextIO) -> int:
    _check_format(fmt, ("jsonl", "geojson"), "fused events")
    records = (fused_to_dict(f) for f in fused)
    if fmt == "jsonl":
        return _write_jsonl(records, out)
    return _write_geojson(records, out, "fused events", id_key="fused_id")
