"""Export formats, each written and parsed back."""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import replace
from datetime import date

import pytest

from frontwatch.errors import ConfigError
from frontwatch.export import (
    ACLED_COLUMNS,
    CLAIM_KEYS,
    EVENT_KEYS,
    MENTION_KEYS,
    acled_disorder_type,
    acled_inter_code,
    acled_interaction,
    event_to_dict,
    safe_cell,
    write_claims,
    write_events,
    write_mentions,
)
from frontwatch.records import Claim, Event, Mention, Place, Source
from frontwatch.store import SQLiteStore, StoredMention

DOCUMENTED_EVENT_KEYS = [
    "event_id", "article", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "side1", "side2", "movement", "modality", "location",
    "surface", "geonameid", "latitude", "longitude", "admin1", "admin1_code", "admin2",
    "admin3", "country", "geo_precision", "fatalities", "sources", "evidence",
    "evidence_start", "evidence_end", "notes",
]  # fmt: skip
DOCUMENTED_MENTION_KEYS = [
    "article", "surface", "start", "end", "geonameid", "name", "latitude", "longitude",
    "admin1", "admin1_code", "country", "kind", "geo_precision", "confidence", "qualifier",
]  # fmt: skip
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
)

AVDIIVKA = Place(
    713174, "Avdiivka", 48.1394, 37.7497, "UA", "settlement", "UA.05", "Donetsk", "Pokrovskyi"
)
BELGOROD = Place(578072, "Belgorod", 50.6107, 36.5802, "RU", "settlement", "RU.09", "Belgorod")
WEST = Place(1, "Somewhere West", 10.0, -70.25, "XX", "settlement")
NOWHERE = Place(2, "Nowhere", float("nan"), float("nan"), "UA", "settlement")


def ev(n: int, place: Place = AVDIIVKA, **kw: object) -> Event:
    fields: dict[str, object] = {
        "event_id": f"art1-e{n}",
        "article_id": "art1",
        "article": "isw.html",
        "event_date": date(2024, 2, 17),
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Russia (2000-)",
        "side1": "russia",
        "location": Mention("Avdiivka", 5, 13, place, 1, 0.95, "near"),
        "evidence": 'Russian forces, "reportedly", advanced\nnear Avdiivka.',
        "evidence_start": 0,
        "evidence_end": 40,
        "actor2": "Military Forces of Ukraine (2019-)",
        "side2": "ukraine",
        "movement": "advance",
        "modality": "claimed",
        "sources": (
            Source("Rybar", "military_blogger", "Telegram", True, "ISW"),
            Source("ISW", "think_tank"),
        ),
    }
    fields.update(kw)
    return Event(**fields)  # type: ignore[arg-type]


EVENTS = [
    ev(1),
    ev(
        2,
        BELGOROD,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Ukraine (2019-)",
        side1="ukraine",
        actor2="Civilians (Russia)",
        side2="other",
        movement=None,
        modality="reported",
        fatalities=2,
        event_date=None,
        time_precision=None,
    ),
]

CLAIMS = [
    Claim(
        "art1-c1",
        "art1",
        "isw.html",
        "casualties",
        'Russia lost 1,000, said the "General Staff".',
        0,
        40,
        side="russia",
        low=1000.0,
        unit="people",
        killed_or_injured=True,
        as_of=date(2024, 2, 17),
        sources=(Source("General Staff", "ukraine_gov"), Source("=cmd|' /C calc'!A0", "other")),
    ),
    Claim(
        "art1-c2",
        "art1",
        "isw.html",
        "control",
        "Avdiivka fell.",
        50,
        64,
        place=AVDIIVKA,
        holder="russia",
    ),
]

MENTIONS = [
    StoredMention("art1", "isw.html", Mention("Avdiivka", 5, 13, AVDIIVKA, 1, 0.95, "near")),
    StoredMention("art1", "isw.html", Mention("Belgorod", 40, 48, BELGOROD, 1, 0.8)),
    StoredMention("art1", "isw.html", Mention("Nowhere", 60, 67, NOWHERE, 3, 0.1)),
]


def _acled(events: list[Event]) -> tuple[str, list[dict[str, str]]]:
    out = io.StringIO()
    assert write_events(events, "acled-csv", out, timestamp=1700000000) == len(events)
    text = out.getvalue()
    return text, list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- JSONL


def test_event_dict_keys_in_order() -> None:
    d = event_to_dict(EVENTS[0])
    assert list(d)[: len(DOCUMENTED_EVENT_KEYS)] == DOCUMENTED_EVENT_KEYS
    assert tuple(d) == EVENT_KEYS


def test_events_jsonl_round_trip() -> None:
    out = io.StringIO()
    assert write_events(EVENTS, "jsonl", out) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # the newline in the evidence stays escaped
    first, second = (json.loads(line) for line in lines)
    assert first["event_date"] == "2024-02-17" and second["event_date"] is None
    assert first["location"] == "Avdiivka" and first["country"] == "UA"
    assert first["latitude"] == 48.1394 and first["longitude"] == 37.7497
    assert first["evidence"] == EVENTS[0].evidence
    assert first["sources"][0] == {
        "name": "Rybar",
        "affiliation": "military_blogger",
        "channel": "Telegram",
        "quote": True,
        "relayed_by": "ISW",
    }
    assert second["fatalities"] == 2 and second["movement"] is None
    assert first["qualifier"] == "near" and first["article_id"] == "art1"


def test_jsonl_never_writes_nan() -> None:
    out = io.StringIO()
    e = ev(3, NOWHERE, location=Mention("Nowhere", 0, 7, NOWHERE, 1, float("nan")))
    write_events([e], "jsonl", out)
    rec = json.loads(out.getvalue())
    assert rec["latitude"] is None and rec["confidence"] is None
    assert "NaN" not in out.getvalue()


def test_mentions_jsonl_keys() -> None:
    out = io.StringIO()
    assert write_mentions(MENTIONS, "jsonl", out) == 3
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert list(recs[0])[: len(DOCUMENTED_MENTION_KEYS)] == DOCUMENTED_MENTION_KEYS
    assert recs[0]["name"] == "Avdiivka" and recs[0]["qualifier"] == "near"
    assert recs[1]["admin1_code"] == "RU.09" and recs[1]["kind"] == "settlement"


def test_claims_jsonl() -> None:
    out = io.StringIO()
    assert write_claims(CLAIMS, "jsonl", out) == 2
    a, b = (json.loads(line) for line in out.getvalue().splitlines())
    assert tuple(a) == CLAIM_KEYS
    assert a["place"] is None and a["as_of"] == "2024-02-17" and a["killed_or_injured"] is True
    assert b["place"] == "Avdiivka" and b["geonameid"] == 713174 and b["holder"] == "russia"


def test_empty_inputs() -> None:
    for fmt in ("jsonl", "acled-csv", "geojson"):
        out = io.StringIO()
        assert write_events([], fmt, out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}
    text, rows = _acled([])
    assert text.strip() == ACLED_HEADER and rows == []


# --------------------------------------------------------------------------- ACLED CSV


def test_acled_header_and_order() -> None:
    text, rows = _acled(EVENTS)
    assert text.splitlines()[0] == ACLED_HEADER
    assert ",".join(ACLED_COLUMNS) == ACLED_HEADER
    assert list(rows[0]) == list(ACLED_COLUMNS)
    assert len(rows) == 2


def test_acled_values() -> None:
    _, (a, b) = _acled(EVENTS)
    assert a["event_id_cnty"] == "art1-e1"
    assert a["event_date"] == "2024-02-17" and a["year"] == "2024"
    assert a["country"] == "Ukraine" and a["iso"] == "804" and a["region"] == "Europe"
    assert b["country"] == "Russia" and b["iso"] == "643" and b["region"] == "Europe"
    assert a["disorder_type"] == "Political violence"
    assert (a["inter1"], a["inter2"], a["interaction"]) == ("1", "1", "11")
    assert (b["inter1"], b["inter2"], b["interaction"]) == ("1", "7", "17")
    assert b["civilian_targeting"] == "Civilian targeting" and a["civilian_targeting"] == ""
    assert a["location"] == "Avdiivka" and a["admin1"] == "Donetsk" and a["admin2"] == "Pokrovskyi"
    assert float(a["latitude"]) == 48.1394 and float(a["longitude"]) == 37.7497
    assert a["geo_precision"] == "1"
    assert a["source"] == "Rybar; ISW"
    assert a["notes"] == EVENTS[0].evidence  # commas, quotes and the newline survive
    assert a["fatalities"] == "0" and b["fatalities"] == "2"
    assert "movement=advance" in a["tags"] and "modality=claimed" in a["tags"]
    assert "fatalities=unknown" in a["tags"] and "fatalities" not in b["tags"]
    assert "movement" not in b["tags"] and "modality=reported" in b["tags"]
    assert b["event_date"] == "" and b["year"] == "" and b["time_precision"] == ""
    assert a["timestamp"] == "1700000000"


def test_acled_unknown_country_kept_as_code() -> None:
    _, (row,) = _acled([ev(5, WEST)])
    assert row["country"] == "XX" and row["iso"] == "" and row["region"] == ""
    assert row["longitude"] == "-70.25"  # a number: never escaped


def test_acled_timestamp_defaults_to_now() -> None:
    out = io.StringIO()
    write_events(EVENTS[:1], "acled-csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert int(row["timestamp"]) > 1_700_000_000


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        ("Military Forces of Russia (2000-)", 1),
        ("Police Forces of Ukraine (2019-)", 1),
        ("Government of Russia (2000-)", 1),
        ("Wagner Group", 3),
        ("PMC Wagner", 3),
        ("Freedom of Russia Legion", 2),
        ("Russian Volunteer Corps", 2),
        ("Civilians (Ukraine)", 7),
        ("Protesters (Russia)", 6),
        ("Rioters (Russia)", 5),
        ("NATO", 8),
        ("", 0),
        (None, 0),
    ],
)
def test_inter_codes(actor: str | None, code: int) -> None:
    assert acled_inter_code(actor) == code


@pytest.mark.parametrize(
    ("a", "b", "interaction"), [(1, 0, 10), (0, 3, 30), (2, 1, 12), (1, 7, 17), (8, 8, 88)]
)
def test_interaction(a: int, b: int, interaction: int) -> None:
    assert acled_interaction(a, b) == interaction


@pytest.mark.parametrize(
    ("event_type", "disorder"),
    [
        ("Battles", "Political violence"),
        ("Explosions/Remote violence", "Political violence"),
        ("violence against civilians", "Political violence"),
        ("Protests", "Demonstrations"),
        ("Riots", "Demonstrations"),
        ("Strategic developments", "Strategic developments"),
    ],
)
def test_disorder_type(event_type: str, disorder: str) -> None:
    assert acled_disorder_type(event_type) == disorder


def test_acled_actor2_missing_gives_sole_interaction() -> None:
    _, (row,) = _acled([ev(6, actor2=None, side2=None)])
    assert (row["inter2"], row["interaction"], row["actor2"]) == ("0", "10", "")


# --------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_injection_escaped(payload: str) -> None:
    e = ev(7, evidence=payload, actor1=payload, sources=(Source(payload, "other"),))
    _, (row,) = _acled([e])
    for col in ("notes", "actor1", "source"):
        assert row[col] == "'" + payload, col
    assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_safe_cell() -> None:
    assert safe_cell(-70.5) == -70.5 and safe_cell(-3) == -3
    assert safe_cell("-3") == "'-3"  # text, so escaped even if numeric-looking
    assert safe_cell(None) == "" and safe_cell(True) == "true"
    assert safe_cell("Bakhmut=town") == "Bakhmut=town"


def test_claims_csv_escapes_and_flattens_sources() -> None:
    out = io.StringIO()
    assert write_claims(CLAIMS, "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["sources"] == "General Staff; =cmd|' /C calc'!A0"
    assert rows[0]["source_affiliations"] == "ukraine_gov; other"
    assert rows[0]["evidence"] == CLAIMS[0].evidence
    assert rows[0]["killed_or_injured"] == "true" and rows[1]["place"] == "Avdiivka"
    bad = replace(CLAIMS[0], sources=(Source("=cmd|' /C calc'!A0", "other"),))
    out = io.StringIO()
    write_claims([bad], "csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["sources"].startswith("'=")


def test_mentions_csv() -> None:
    surface = "=Avdiivka"
    sm = StoredMention("art1", "@evil.html", replace(MENTIONS[0].mention, surface=surface))
    out = io.StringIO()
    assert write_mentions([sm, MENTIONS[1]], "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(MENTION_KEYS)
    assert rows[0]["surface"] == "'=Avdiivka" and rows[0]["article"] == "'@evil.html"
    assert rows[1]["name"] == "Belgorod" and rows[1]["qualifier"] == ""


# --------------------------------------------------------------------------- GeoJSON


def test_events_geojson(caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="frontwatch.export"):
        n = write_events([*EVENTS, ev(9, NOWHERE)], "geojson", out)
    assert n == 2
    doc = json.loads(out.getvalue())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 2
    f = doc["features"][0]
    assert f["type"] == "Feature" and f["id"] == "art1-e1"
    assert f["geometry"] == {"type": "Point", "coordinates": [37.7497, 48.1394]}
    assert f["properties"] == json.loads(json.dumps(event_to_dict(EVENTS[0])))
    assert isinstance(f["properties"]["sources"], list)
    assert "1 events without usable coordinates" in caplog.text


def test_mentions_geojson(caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    with caplog.at_level(logging.WARNING):
        assert write_mentions(MENTIONS, "geojson", out) == 2
    doc = json.loads(out.getvalue())
    assert [f["geometry"]["coordinates"] for f in doc["features"]] == [
        [37.7497, 48.1394],
        [36.5802, 50.6107],
    ]
    assert doc["features"][1]["properties"]["name"] == "Belgorod"
    assert "1 mentions" in caplog.text


def test_geojson_out_of_range_skipped() -> None:
    bad = replace(AVDIIVKA, latitude=91.0)
    out = io.StringIO()
    assert write_events([ev(1, bad)], "geojson", out) == 0
    assert json.loads(out.getvalue())["features"] == []


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("writer", "fmt"),
    [(write_events, "csv"), (write_events, "xml"), (write_mentions, "acled-csv"),
     (write_claims, "geojson")],
)  # fmt: skip
def test_unknown_format(writer: object, fmt: str) -> None:
    out = io.StringIO()
    with pytest.raises(ConfigError, match="unknown"):
        writer([], fmt, out)  # type: ignore[operator]
    with pytest.raises(ValueError):
        writer([], fmt, out)  # type: ignore[operator]
    assert out.getvalue() == ""


def test_format_name_case_insensitive() -> None:
    out = io.StringIO()
    assert write_events(EVENTS, " JSONL ", out) == 2


def test_export_from_store() -> None:
    from frontwatch.records import Article, ArticleResult, Cleaned

    art = Article("art1", "isw.html", "Russian forces advanced near Avdiivka.")
    with SQLiteStore(":memory:") as s:
        s.save(ArticleResult(art, Cleaned(art.text), (MENTIONS[0].mention,), tuple(EVENTS)))
        out = io.StringIO()
        assert write_events(s.events(), "jsonl", out) == 2
        assert [json.loads(x)["event_id"] for x in out.getvalue().splitlines()] == [
            "art1-e1",
            "art1-e2",
        ]
        out = io.StringIO()
        assert write_mentions(s.mentions(), "geojson", out) == 1
