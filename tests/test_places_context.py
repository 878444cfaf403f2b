"""Disambiguation rules that read a place's surroundings: "X, Oblast", "X (Oblast)",
raions and hromadas, "(coded to X)", the front prior, the self-proclaimed republics,
and names of ships, units and weapons. Hand-built gazetteers only (fast)."""

from __future__ import annotations

import pytest

from frontwatch.places import MemoryGazetteer, resolve_places
from frontwatch.places.front import FRONT_BONUS, front_factor, front_km
from frontwatch.places.score import Candidate, prior
from frontwatch.places.units import UnitIndex, unit_stem
from frontwatch.records import Mention, Place


def village(
    gid: int,
    name: str,
    lat: float,
    lon: float,
    admin1: str,
    pop: int = 0,
    *,
    country: str = "UA",
    admin2: str | None = None,
    admin3: str | None = None,
) -> Place:
    return Place(
        gid,
        name,
        lat,
        lon,
        country,
        "settlement",
        admin1_code=f"{country}.{admin1}",
        admin2=admin2,
        admin3=admin3,
        population=pop,
    )


PLACES: list[tuple[Place, tuple[str, ...]]] = [
    # Blahodatne: a big one in Volyn (far from the war), a small one in Donetsk oblast.
    (village(1, "Blahodatne", 50.664, 24.249, "24", 4652), ()),
    (
        village(
            2,
            "Blahodatne",
            47.845,
            36.835,
            "05",
            0,
            admin2="Volnovaskyi",
            admin3="Velykonovosilkivska",
        ),
        (),
    ),
    (village(3, "Blahodatne", 46.236, 33.145, "08", 1094), ()),
    # Two Ivanivkas of Kherson oblast in different raions, and one in Mykolaiv oblast.
    (village(10, "Ivanivka", 46.95, 33.60, "08", 0, admin2="Beryslavskyi", admin3="Tiahynska"), ()),
    (
        village(11, "Ivanivka", 46.30, 34.40, "08", 3000, admin2="Henicheskyi", admin3="Ivanivska"),
        (),
    ),
    (village(12, "Ivanivka", 47.10, 31.60, "16", 900), ()),
    (
        village(
            13, "Beryslav", 46.84, 33.43, "08", 12417, admin2="Beryslavskyi", admin3="Beryslavska"
        ),
        (),
    ),
    (
        village(
            20, "Ocheretyne", 48.23, 37.60, "05", 4068, admin2="Pokrovskyi", admin3="Ocheretynska"
        ),
        (),
    ),
    (
        village(21, "Keramik", 48.25, 37.55, "05", 800, admin2="Pokrovskyi", admin3="Ocheretynska"),
        (),
    ),
    (village(30, "Odesa", 46.48, 30.73, "17", 1010537), ("Odessa",)),
    (village(40, "Donetsk", 48.023, 37.802, "05", 901645), ()),
    (village(41, "Kharkiv", 49.981, 36.252, "07", 1421125), ()),
    (village(42, "Zaporizhzhia", 47.84, 35.14, "26", 710052), ()),
    # Small places sharing a name with a ship, a unit, a weapon and a card system.
    (village(50, "Orsk", 51.2, 58.6, "55", 230000, country="RU"), ()),
    (village(51, "Vostok", 44.0, 135.0, "59", 3000, country="RU"), ()),
    (village(52, "Osa", 57.28, 55.45, "90", 21000, country="RU"), ()),
    (village(53, "Mir", 53.45, 26.47, "05", 2500, country="BY"), ()),
    (village(54, "Berdiansk", 46.75, 36.79, "26", 106311), ()),
    # Lymans: one near the front in Donetsk oblast, one in Odesa oblast, same size.
    (village(60, "Lyman", 48.99, 37.80, "05", 2000), ()),
    (village(61, "Lyman", 45.60, 29.70, "17", 2000), ()),
    # A village that is also a surname.
    (village(70, "Shevchenko", 47.95, 37.30, "05", 0), ()),
    # Kamianka: a hamlet of unknown population at the front, a bigger village in Lviv oblast.
    (village(71, "Kamianka", 48.99, 37.75, "05", 0), ()),
    (village(72, "Kamianka", 49.90, 24.00, "14", 4000), ()),
]


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    return MemoryGazetteer([p for p, _ in PLACES], {p.geonameid: n for p, n in PLACES}, admin1=True)


def resolve(gaz: MemoryGazetteer, text: str) -> tuple[Mention, ...]:
    mentions = resolve_places(text, gaz)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    return mentions


def by_surface(mentions: tuple[Mention, ...]) -> dict[str, Mention]:
    return {m.surface: m for m in mentions}


# -- "X, Oblast" and "X (Oblast)" -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On 16 March 2023, Ukrainian forces shelled DPR's forces in Blahodatne, Donetsk. "
        "Casualties unknown.",
        "Russian forces shelled near Blahodatne, Donetsk, with artillery.",
        "Russian forces shelled near Blahodatne, Donetsk, and were repelled.",
        "Drones hit a car south-east of Blahodatne (Donetsk).",
        "Russian forces shelled Blahodatne, Donetsk region, with 60 shells.",
    ],
)
def test_oblast_after_a_village_says_which_village(gaz: MemoryGazetteer, text: str) -> None:
    ms = by_surface(resolve(gaz, text))
    assert ms["Blahodatne"].place.geonameid == 2
    oblast = next(m for m in ms.values() if m.surface.startswith("Donetsk"))
    assert oblast.place.kind == "region" and oblast.place.admin1_code == "UA.05"
    assert ms["Blahodatne"].qualifier in (None, "near", "southeast of")


def test_a_list_of_cities_is_not_a_village_and_its_oblast(gaz: MemoryGazetteer) -> None:
    for text in (
        "Russia struck Kharkiv, Donetsk and Zaporizhzhia.",
        "Russia struck Kharkiv, Donetsk.",
    ):
        ms = resolve(gaz, text)
        assert [m.place.geonameid for m in ms] == [41, 40, 42][: len(ms)]
        assert all(m.place.kind == "settlement" for m in ms)


def test_a_village_missing_from_the_oblast_named_falls_back_to_the_oblast(
    gaz: MemoryGazetteer,
) -> None:
    # No Ivanivka in Donetsk oblast: not the Kherson or Mykolaiv ones, the oblast instead.
    ms = resolve(gaz, "Russian forces shelled near Ivanivka, Donetsk. Casualties unknown.")
    assert [(m.surface, m.place.kind) for m in ms] == [("Donetsk", "region")]
    # An unknown name before an oblast's name: the oblast, not the city.
    ms = resolve(gaz, "Russian forces shelled near Maiorsk, Donetsk. Casualties unknown.")
    assert [(m.surface, m.place.kind) for m in ms] == [("Donetsk", "region")]


# -- raions and hromadas ------------------------------------------------------------------


def test_unit_stems_fold_spellings() -> None:
    assert unit_stem("Vysokopilska") == unit_stem("Vysokopilske") == unit_stem("Vysokopilskyi")
    assert unit_stem("Ocheretynska") == unit_stem("Ocheretinskaya")
    assert unit_stem("Beryslavskyi") == unit_stem("Beryslavsky")


def test_a_hromada_stands_for_its_centre(gaz: MemoryGazetteer) -> None:
    ms = resolve(gaz, "A tank was hit in the Ocheretynska hromada, Donetsk region.")
    m = by_surface(ms)["Ocheretynska"]
    assert m.place.geonameid == 20 and m.geo_precision == 2
    units = UnitIndex(gaz.places)
    assert [u.centre.geonameid for u in units.lookup("hromada", "Ocheretynske")] == [20]


def test_a_raion_after_a_village_says_which_village(gaz: MemoryGazetteer) -> None:
    ms = by_surface(resolve(gaz, "A missile hit Ivanivka, Beryslavskyi district, Kherson."))
    assert ms["Ivanivka"].place.geonameid == 10
    assert ms["Ivanivka"].qualifier is None  # not a list of districts
    ms = by_surface(resolve(gaz, "A man in Ivanivka in the Beryslavskyi district was hurt."))
    assert ms["Ivanivka"].place.geonameid == 10


def test_a_city_district_is_in_the_city(gaz: MemoryGazetteer) -> None:
    ms = resolve(gaz, "Shelling of the Beryslavsky district of Donetsk.")
    assert [m.place.geonameid for m in ms] == [40]


# -- "(coded to X)" ------------------------------------------------------------------------


def test_coded_to_gives_the_area_its_settlement(gaz: MemoryGazetteer) -> None:
    ms = resolve(gaz, "Drones were shot down over the Odesa region (coded to Odesa).")
    assert [m.place.geonameid for m in ms] == [30, 30]
    assert ms[0].surface == "Odesa region" and ms[0].geo_precision == 2
    assert ms[0].qualifier == "coded to"


# -- the front prior and unknown populations ---------------------------------------------


def test_front_prior() -> None:
    assert front_km(48.59, 38.00) < 5  # Bakhmut
    assert front_km(50.45, 24.25) > 300  # Volyn
    near = village(1, "X", 48.99, 37.80, "05")
    far = village(2, "X", 45.60, 29.70, "17")
    assert front_factor(near) > 1 + FRONT_BONUS / 2
    assert front_factor(far) == 1.0
    assert front_factor(village(3, "X", 48.99, 37.80, "05", country="FR")) == 1.0


def test_same_sized_namesakes_go_to_the_front(gaz: MemoryGazetteer) -> None:
    (m,) = resolve(gaz, "Russian forces shelled Lyman.")
    assert m.place.geonameid == 60
    assert m.confidence < 0.9  # a prior, not certainty


def test_unknown_population_is_not_a_small_one() -> None:
    unknown = Candidate(village(1, "X", 50.0, 25.0, "24", 0))
    small = Candidate(village(2, "X", 50.0, 25.0, "24", 200))
    assert prior(unknown, 500) > prior(small, 500)


def test_near_the_front_a_hamlet_counts_as_a_village() -> None:
    unknown = Candidate(village(1, "X", 48.99, 37.80, "05", 0))
    hamlet = Candidate(village(2, "X", 48.99, 37.80, "05", 600))
    town = Candidate(village(5, "X", 48.99, 37.80, "05", 20000))
    far = Candidate(village(3, "X", 45.60, 29.70, "17", 3000))
    assert prior(unknown, 500) == prior(hamlet, 500) < prior(town, 500)
    assert prior(unknown, 500) > prior(far, 500)
    # Away from the fighting the census still counts.
    assert prior(Candidate(village(4, "X", 45.60, 29.70, "17", 0)), 500) < prior(far, 500)


def test_an_unknown_village_at_the_front_beats_a_known_one_behind_it(
    gaz: MemoryGazetteer,
) -> None:
    (m,) = resolve(gaz, "Russian forces shelled Kamianka.")
    assert m.place.geonameid == 71


@pytest.mark.parametrize(
    "text",
    ["Russian forces shelled near Shevchenko, Donetsk, with artillery.",
     "Airstrikes hit Shevchenko (Donetsk)."],
)
def test_a_surname_qualified_by_its_oblast_is_a_village(gaz: MemoryGazetteer, text: str) -> None:
    assert by_surface(resolve(gaz, text))["Shevchenko"].place.geonameid == 70


@pytest.mark.parametrize(
    "text",
    ["Taras Shevchenko visited Donetsk.", "Shevchenko, Donetsk governor, said so."],
)
def test_a_surname_without_its_oblast_stays_a_person(gaz: MemoryGazetteer, text: str) -> None:
    assert "Shevchenko" not in by_surface(resolve(gaz, text))


# -- republics, ships, units, weapons ----------------------------------------------------


def test_republic_acronyms_name_their_oblast_unless_they_name_a_side(
    gaz: MemoryGazetteer,
) -> None:
    (m,) = resolve(gaz, "In the DPR, one person was killed by shelling.")
    assert m.place.kind == "region" and m.place.admin1_code == "UA.05"
    assert resolve(gaz, "DPR forces attacked.") == ()
    (m,) = resolve(gaz, "Losses in battles with the LPR amounted to 30 people.")
    assert m.place.admin1_code == "UA.14"


@pytest.mark.parametrize(
    "text",
    [
        'Grouping "Vostok" of the RF Armed Forces destroyed 70 vehicles.',
        'Sanctions for "Mir" and negotiations on fertilizers.',
        "Ukraine struck the landing ship Orsk.",
        "The Osa air defence system was hit.",
        "An Osa-AKM was destroyed.",
        "The news at 13:45 Moscow time.",
    ],
)
def test_ships_units_weapons_and_brands_are_not_places(gaz: MemoryGazetteer, text: str) -> None:
    assert [m for m in resolve(gaz, text) if m.place.kind == "settlement"] == []


def test_a_town_before_a_weapon_word_is_still_the_town(gaz: MemoryGazetteer) -> None:
    ms = resolve(gaz, "A Berdiansk drone strike and the landing ship in Berdiansk.")
    assert [m.place.geonameid for m in ms] == [54, 54]


def test_a_raion_of_an_oblast_is_not_a_city_district(gaz: MemoryGazetteer) -> None:
    ms = by_surface(resolve(gaz, "A village in the Beryslavskyi district of Kherson region."))
    assert ms["Beryslavskyi"].place.geonameid == 13
    assert ms["Beryslavskyi"].geo_precision == 2
