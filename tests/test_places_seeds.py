"""The seed articles against the real GeoNames gazetteer.

The gazetteer is built once per machine (about half a minute) into the default cache
directory, then loaded from there. The seed files live in ../shared, outside the repo;
without them these tests are skipped.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from frontwatch.places import GeoNamesGazetteer, get_gazetteer, resolve_places
from frontwatch.places.score import distance_km
from frontwatch.records import Mention, Place
from frontwatch.settings import Settings

log = logging.getLogger(__name__)

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
EXPECTED = SEEDS / "expected.yaml"

pytestmark = pytest.mark.skipif(
    not EXPECTED.exists(), reason=f"seed articles not found at {SEEDS} (../shared is absent)"
)

# People and organisations in the seeds that must never become places.
NOT_PLACES = (
    "Volodymyr",
    "Nico",
    "Paz",
    "Malyar",
    "Hanna",
    "Zelensk",
    "Kyrylenko",
    "Zaluzhny",
    "Sirsky",
    "Wagner",
    "Azov",
    "Milei",
    "Javier",
    "Market",
    "Video",
)


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    gaz = get_gazetteer(Settings())
    log.info("gazetteer: built in %s s, loaded in %s s", gaz.build_seconds, gaz.load_seconds)
    return gaz


def _expected() -> dict[str, Any]:
    with open(EXPECTED, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data["articles"]


def _cases() -> list[tuple[str, dict[str, Any]]]:
    if not EXPECTED.exists():
        return []
    return [(name, entry) for name, spec in _expected().items() for entry in spec.get("places", [])]


def _mentions(gaz: GeoNamesGazetteer, name: str) -> tuple[Mention, ...]:
    text = (SEEDS / name).read_text(encoding="utf-8")
    return resolve_places(text, gaz)


def _surface_matches(expected: str | None, m: Mention) -> bool:
    if not expected:
        return True
    a, b = expected.lower(), m.surface.lower()
    return a in b or b in a


@pytest.mark.parametrize(("name", "entry"), _cases(), ids=lambda v: str(v)[:40])
def test_seed_place_is_resolved(gaz: GeoNamesGazetteer, name: str, entry: dict[str, Any]) -> None:
    mentions = _mentions(gaz, name)
    surface = entry.get("surface")
    if "admin1" in entry:
        hits = [
            m
            for m in mentions
            if m.place.kind == "region"
            and m.place.admin1_code == entry["admin1"]
            and _surface_matches(surface, m)
        ]
    else:
        ref = Place(0, "", float(entry["lat"]), float(entry["lon"]), "UA", "settlement")
        hits = [
            m
            for m in mentions
            if m.place.kind == "settlement"
            and (m.place.geonameid == entry["geonameid"] or distance_km(m.place, ref) <= 5.0)
            and _surface_matches(surface, m)
        ]
    assert hits, f"{entry} not found in {[(m.surface, m.place.geonameid) for m in mentions]}"


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_people_are_not_places(gaz: GeoNamesGazetteer, name: str) -> None:
    for m in _mentions(gaz, name):
        assert not any(word in m.surface for word in NOT_PLACES), m


def test_seed_mentions_are_well_formed(gaz: GeoNamesGazetteer) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        mentions = resolve_places(text, gaz)
        assert mentions, path.name
        for m in mentions:
            assert text[m.start : m.end] == m.surface
            assert 0.0 < m.confidence <= 1.0
            assert m.geo_precision in (1, 2, 3)
            expected_precision = 3 if m.place.kind != "settlement" else (2 if m.qualifier else 1)
            assert m.geo_precision == expected_precision
            if m.place.country == "UA" and m.place.kind != "country":
                assert m.place.admin1_code and m.place.admin1_code.startswith("UA.")
                assert m.place.admin1


@pytest.mark.slow
def test_seed_places_survive_spacy_person_spans(gaz: GeoNamesGazetteer) -> None:
    """The pipeline passes spaCy's PERSON spans, which include "Seizing Bakhmut" and
    "Krasnaya Gora": the expected places must still be found."""
    from frontwatch.errors import ModelError
    from frontwatch.nlp import get_nlp

    try:
        nlp = get_nlp(Settings().spacy_model)
    except ModelError as exc:
        pytest.skip(str(exc))
    for name, entry in _cases():
        text = (SEEDS / name).read_text(encoding="utf-8")
        spans = [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ == "PERSON"]
        mentions = resolve_places(text, gaz, exclude_spans=spans)
        if "admin1" in entry:
            ok = any(m.place.admin1_code == entry["admin1"] for m in mentions)
        else:
            ok = any(m.place.geonameid == entry["geonameid"] for m in mentions)
        assert ok, (name, entry)
        for m in mentions:
            assert not any(word in m.surface for word in NOT_PLACES), m


def test_real_gazetteer_spellings(gaz: GeoNamesGazetteer) -> None:
    cases = {
        "Kharkov": 706483,
        "Konstantinovka": 705104,
        "Artemovsk": 713174,
        "Artemivsk": 713174,
        "Kupiansk": 703656,
        "Avdeevka": 713122,
        "Marinka": 701845,
        "Maryinka": 701845,
        "Izyum": 707292,
        "Slavyansk": 693468,
        "Sloviansk": 693468,
        "Kramatorsk": 704508,
        "Kiev": 703448,
        "Kyiv": 703448,
        "Krasnaya Gora": 704463,
    }
    for surface, gid in cases.items():
        text = f"Russian forces shelled {surface} and the Bakhmut area on Monday."
        got = [m.place.geonameid for m in resolve_places(text, gaz) if m.surface == surface]
        assert got == [gid], (surface, got)


def test_real_gazetteer_regions_and_countries(gaz: GeoNamesGazetteer) -> None:
    text = (
        "Fighting in the Donetsk, Lugansk, and Kharkiv regions; strikes on the Belgorod "
        "region and Crimea. Ukraine, Russia and Belarus traded accusations; Georgia too."
    )
    got = [
        (m.surface, m.place.kind, m.place.admin1_code or m.place.country)
        for m in resolve_places(text, gaz)
    ]
    assert got == [
        ("Donetsk", "region", "UA.05"),
        ("Lugansk", "region", "UA.14"),
        ("Kharkiv", "region", "UA.07"),
        ("Belgorod region", "region", "RU.09"),
        ("Crimea", "region", "UA.11"),
        ("Ukraine", "country", "UA"),
        ("Russia", "country", "RU"),
        ("Belarus", "country", "BY"),
        ("Georgia", "country", "GE"),
    ]
