"""Toponym recognition and resolution on hand-built gazetteers (fast, no GeoNames)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

from frontwatch.places import Gazetteer, MemoryGazetteer, normalise_name, resolve_places
from frontwatch.records import Mention, Place


def town(
    gid: int,
    name: str,
    lat: float,
    lon: float,
    admin1: str,
    pop: int,
    country: str = "UA",
) -> Place:
    return Place(
        geonameid=gid,
        name=name,
        latitude=lat,
        longitude=lon,
        country=country,
        kind="settlement",
        admin1_code=f"{country}.{admin1}",
        population=pop,
    )


def country(gid: int, name: str, iso: str, pop: int) -> Place:
    return Place(gid, name, 0.0, 0.0, iso, "country", population=pop, feature_code="PCLI")


PLACES: list[tuple[Place, tuple[str, ...]]] = [
    (town(713174, "Bakhmut", 48.594, 37.999, "05", 80500), ("Artemivsk", "Artemovsk", "Бахмут")),
    (town(705104, "Kostyantynivka", 48.527, 37.706, "05", 67350), ("Konstantinovka",)),
    (town(704724, "Kostyantynivka", 47.30, 32.10, "16", 2142), ("Konstantinovka",)),
    (town(705115, "Kostyantynivka", 47.00, 35.40, "26", 11540), ("Konstantinovka",)),
    (town(705114, "Kostyantynivka", 46.80, 33.90, "08", 1455), ("Konstantinovka",)),
    (town(703656, "Kupyansk", 49.710, 37.616, "07", 27169), ("Kupiansk", "Kup'yans'k")),
    (town(713122, "Avdiyivka", 48.140, 37.750, "05", 35826), ("Avdeevka",)),
    (town(701845, "Mar'yinka", 47.945, 37.505, "05", 9089), ("Marinka", "Maryinka")),
    (town(704463, "Krasna Hora", 48.663, 38.022, "05", 635), ()),
    (town(704508, "Kramatorsk", 48.731, 37.568, "05", 147145), ()),
    (town(693468, "Slovyansk", 48.850, 37.597, "05", 105141), ("Slavyansk",)),
    (town(707292, "Izyum", 49.207, 37.277, "07", 45884), ()),
    (town(706483, "Kharkiv", 49.981, 36.252, "07", 1421125), ("Kharkov",)),
    (town(709717, "Donetsk", 48.023, 37.802, "05", 901645), ()),
    (town(702658, "Luhansk", 48.567, 39.317, "14", 397677), ("Lugansk",)),
    (town(706448, "Kherson", 46.636, 32.617, "08", 290000), ()),
    (town(703448, "Kyiv", 50.455, 30.524, "12", 2952301), ("Kiev", "Київ")),
    (town(704204, "Lyman", 48.989, 37.802, "05", 20066), ()),
    (town(703071, "Lyman", 49.600, 36.300, "07", 4008), ()),
    (town(703076, "Lyman", 45.600, 29.700, "17", 1641), ()),
    (town(689378, "Volodymyr-Volynskyi", 50.848, 24.320, "24", 37910), ("Volodymyr",)),
    (town(524901, "Moscow", 55.752, 37.616, "48", 10381222, "RU"), ()),
    (town(9000001, "Wagner", -10.0, -50.0, "01", 60000, "BR"), ()),
    (town(2990440, "Nice", 43.703, 7.266, "93", 342669, "FR"), ()),
    (town(4000900, "La Paz", 24.142, -110.310, "03", 250141, "MX"), ("Paz",)),
    (town(9000002, "Hanna", 51.640, -111.940, "01", 60000, "CA"), ()),
    (town(9000003, "Georgia", 10.0, 10.0, "01", 70000, "NG"), ()),
    (town(9000004, "Marín", 42.390, -8.700, "58", 25969, "ES"), ()),
    (country(690791, "Ukraine", "UA", 40000000), ()),
    (country(2017370, "Russia", "RU", 144478050), ("Russian Federation",)),
    (country(614540, "Georgia", "GE", 3731000), ()),
    (country(2510769, "Spain", "ES", 46723749), ()),
]


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    return MemoryGazetteer(
        [p for p, _ in PLACES], {p.geonameid: names for p, names in PLACES}, admin1=True
    )


def resolve(gaz: Gazetteer, text: str, **kw: Sequence[tuple[int, int]]) -> tuple[Mention, ...]:
    mentions = resolve_places(text, gaz, **kw)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    return mentions


def ids(mentions: Iterable[Mention]) -> list[int]:
    return [m.place.geonameid for m in mentions]


def only(gaz: Gazetteer, text: str) -> Mention:
    mentions = resolve(gaz, text)
    assert len(mentions) == 1, mentions
    return mentions[0]


# -- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Kup”yans’k", "kupyansk"),
        ("Mar'inka", "marinka"),
        ("Marʼinka", "marinka"),
        ("Avdiïvka", "avdiivka"),
        ("Ivano-Frankivsk", "ivano frankivsk"),
        ("  Krasnaya   Gora ", "krasnaya gora"),
        ("Słowiańsk", "slowiansk"),
        ("ZAPORIZHZHIA", "zaporizhzhia"),
        ("Київ", "киів"),
        ("St. Petersburg", "st petersburg"),
    ],
)
def test_normalise_name(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


# -- the in-memory gazetteer ---------------------------------------------------------


def test_memory_gazetteer_lookups(gaz: MemoryGazetteer) -> None:
    assert {p.geonameid for p in gaz.candidates("bakhmut")} == {713174}
    assert {p.geonameid for p in gaz.candidates("artemovsk")} == {713174}
    kost = {p.geonameid for p in gaz.candidates("konstantinovka")}
    assert kost == {705104, 704724, 705115, 705114}
    place = gaz.get(713174)
    assert place is not None and place.name == "Bakhmut"
    assert gaz.get(1) is None
    keys = set(gaz.keys())
    assert {"bakhmut", "artemivsk", "kharkov", "ukraine"} <= keys


def test_settlements_get_admin1_names_from_the_table(gaz: MemoryGazetteer) -> None:
    region = gaz.get(709716)
    assert region is not None and region.kind == "region" and region.admin1_code == "UA.05"
    assert {p.kind for p in gaz.candidates("donetsk")} == {"region", "settlement"}


def test_generated_spellings_are_indexed(gaz: MemoryGazetteer) -> None:
    # Only Avdiyivka / Kostyantynivka / Slovyansk were given; the rest are generated.
    for key, gid in [
        ("avdiivka", 713122),
        ("kostiantynivka", 705104),
        ("sloviansk", 693468),
        ("izium", 707292),
        ("krasnaya gora", 704463),
        ("krasna gora", 704463),
    ]:
        assert gid in {p.geonameid for p in gaz.candidates(key)}, key


# -- recognition ---------------------------------------------------------------------


def test_empty_and_placeless_text(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "") == ()
    assert resolve(gaz, "Nothing to see here, really.") == ()


def test_bare_settlement(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Fierce battles continue in Bakhmut today.")
    assert m.place.geonameid == 713174
    assert (m.surface, m.geo_precision, m.qualifier, m.confidence) == ("Bakhmut", 1, None, 1.0)


def test_lower_case_is_not_a_name(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "the bakhmut of it all") == ()


def test_offsets_point_into_the_text(gaz: MemoryGazetteer) -> None:
    text = "Shelling hit Kramatorsk.\n\nLater Sloviansk and Izium were hit too."
    mentions = resolve(gaz, text)
    assert ids(mentions) == [704508, 693468, 707292]
    assert [text[m.start : m.end] for m in mentions] == ["Kramatorsk", "Sloviansk", "Izium"]


def test_possessive_is_not_part_of_the_name(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Kyiv's push forward continued.")
    assert m.surface == "Kyiv" and m.place.geonameid == 703448


def test_cyrillic(gaz: MemoryGazetteer) -> None:
    assert ids(resolve(gaz, "Бои за Бахмут продолжаются.")) == [713174]


@pytest.mark.parametrize(
    ("surface", "gid"),
    [
        ("Kharkov", 706483),
        ("Artemovsk", 713174),
        ("Artemivsk", 713174),
        ("Kiev", 703448),
        ("Slavyansk", 693468),
        ("Sloviansk", 693468),
        ("Izyum", 707292),
        ("Izium", 707292),
        ("Avdeevka", 713122),
        ("Avdiivka", 713122),
        ("Maryinka", 701845),
        ("Marinka", 701845),
        ("Kupiansk", 703656),
        ("Kupyansk", 703656),
        ("Krasnaya Gora", 704463),
    ],
)
def test_old_and_russian_spellings(gaz: MemoryGazetteer, surface: str, gid: int) -> None:
    m = only(gaz, f"Reports from {surface} say fighting goes on.")
    assert (m.place.geonameid, m.surface) == (gid, surface)


def test_multi_word_name_does_not_cross_punctuation(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "He said Krasnaya. Gora is not a town.") == ()


# -- regions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase", ["Donetsk region", "Donetsk Oblast", "Donetsk oblast", "Donetsk province"]
)
def test_name_before_region_word_is_the_oblast(gaz: MemoryGazetteer, phrase: str) -> None:
    m = only(gaz, f"Shelling was reported in the {phrase} overnight.")
    assert m.place.kind == "region" and m.place.admin1_code == "UA.05"
    assert m.surface == phrase and m.geo_precision == 3


def test_bare_oblast_name_is_the_city(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Explosions were heard in Donetsk.")
    assert m.place.geonameid == 709717 and m.place.kind == "settlement"


def test_russian_style_region_names(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Kupiansk lies in the Kharkov region.".replace("Kupiansk", "It"))
    assert m.place.admin1_code == "UA.07" and m.place.kind == "region"


def test_coordinated_list_of_regions(gaz: MemoryGazetteer) -> None:
    text = "fighting in the Donetsk, Lugansk, and Kharkiv regions, especially"
    mentions = resolve(gaz, text)
    assert [m.place.admin1_code for m in mentions] == ["UA.05", "UA.14", "UA.07"]
    assert all(m.place.kind == "region" for m in mentions)
    assert [m.surface for m in mentions] == ["Donetsk", "Lugansk", "Kharkiv"]


def test_pair_of_regions(gaz: MemoryGazetteer) -> None:
    mentions = resolve(gaz, "the offensive in the Kherson and Kharkov regions")
    assert [m.place.admin1_code for m in mentions] == ["UA.08", "UA.07"]
    assert all(m.place.kind == "region" for m in mentions)


def test_peoples_republic_is_the_region(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "The Donetsk People's Republic claimed it.")
    assert m.place.admin1_code == "UA.05" and m.surface == "Donetsk People's Republic"


def test_hyphenated_pair_before_trigger(gaz: MemoryGazetteer) -> None:
    mentions = resolve(gaz, "Fighting on the Lyman-Kupiansk axis went on.")
    assert ids(mentions) == [704204, 703656]
    assert [m.qualifier for m in mentions] == ["direction", "direction"]


def test_hyphenated_region(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Sirens sounded in the Ivano-Frankivsk region.")
    assert m.place.admin1_code == "UA.06"


def test_region_without_a_city_of_that_name(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Explosions were reported in Crimea.")
    assert m.place.kind == "region" and m.place.admin1_code == "UA.11"


def test_russian_border_region(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Shelling of the Belgorod region continued.")
    assert m.place.admin1_code == "RU.09" and m.place.geonameid == 578071


def test_settlement_before_region_word_is_its_area(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Units in the Bakhmut region advanced.")
    assert m.place.geonameid == 713174 and m.geo_precision == 2 and m.qualifier == "area"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Kharkiv regional governor Oleh Syniehubov said on Telegram.", "Kharkiv"),
        ("the head of the Kharkiv Regional Military Administration wrote", "Kharkiv"),
        ("Kharkiv Oblast's governor said two people were hurt.", "Kharkiv Oblast"),
        ("Drones hit the Kharkiv region overnight.", "Kharkiv region"),
    ],
)
def test_oblast_phrasings(gaz: MemoryGazetteer, text: str, surface: str) -> None:
    m = only(gaz, text)
    assert m.place.kind == "region" and m.place.admin1_code == "UA.07"
    assert m.surface == surface and m.geo_precision == 3


def test_list_before_regional_is_oblasts(gaz: MemoryGazetteer) -> None:
    mentions = resolve(gaz, "the Donetsk and Kherson regional administrations said")
    assert [m.place.admin1_code for m in mentions] == ["UA.05", "UA.08"]
    assert all(m.place.kind == "region" for m in mentions)


def test_regional_after_a_settlement_without_an_oblast_is_the_settlement(
    gaz: MemoryGazetteer,
) -> None:
    m = only(gaz, "Doctors at the Bakhmut regional hospital treated him.")
    assert m.place.geonameid == 713174 and m.qualifier is None and m.geo_precision == 1


# -- clipped adjectival forms and directions -----------------------------------------


def test_clipped_direction(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "The enemy is advancing in the Kupyan direction for two days.")
    assert m.place.geonameid == 703656
    assert (m.surface, m.qualifier, m.geo_precision) == ("Kupyan", "direction", 2)


def test_clipped_list_before_area_word(gaz: MemoryGazetteer) -> None:
    mentions = resolve(gaz, "offensive actions in the Avdiiv and Marin areas.")
    assert ids(mentions) == [713122, 701845]
    assert [m.qualifier for m in mentions] == ["area", "area"]
    assert [m.surface for m in mentions] == ["Avdiiv", "Marin"]


def test_clipped_stem_alone_is_nothing(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "Kupyan said hello. Marin went home.") == ()


def test_full_name_direction(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "We are moving forward in the Bakhmut direction.")
    assert (m.place.geonameid, m.qualifier, m.geo_precision) == (713174, "direction", 2)


def test_russian_adjective_direction(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Attacks were repelled on the Avdeevsky direction.")
    assert m.place.geonameid == 713122


def test_foreign_word_before_trigger_prefers_ukrainian_stem(gaz: MemoryGazetteer) -> None:
    # "Marín" (Spain) is a name of its own, but before "areas" the stem reading wins.
    mentions = resolve(gaz, "fighting in the Avdiiv and Marin areas")
    assert ids(mentions)[-1] == 701845


# -- qualifiers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Troops advanced near Bakhmut.", "near"),
        ("Troops advanced near the flashpoint city of Bakhmut.", "near"),
        ("Shelling north of Bakhmut.", "north of"),
        ("Fighting to the south-west of Bakhmut.", "southwest of"),
        ("Fighting on the northern outskirts of Bakhmut.", "outskirts of"),
        ("Fighting on the outskirts of Bakhmut.", "outskirts of"),
        ("Operations around Bakhmut continue.", "around"),
        ("Advances in the Bakhmut area slowed.", "area"),
        ("The focus shifted to the south and north of the town of Bakhmut.", "south and north of"),
    ],
)
def test_qualifiers(gaz: MemoryGazetteer, text: str, qualifier: str) -> None:
    m = only(gaz, text)
    assert m.place.geonameid == 713174
    assert (m.qualifier, m.geo_precision) == (qualifier, 2)


def test_region_keeps_precision_three_with_a_qualifier(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Drones struck near Crimea.")
    assert m.place.kind == "region" and m.geo_precision == 3


def test_country_before_an_area_word_stays_the_country(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Troops massed in the Russia area.")
    assert (m.place.kind, m.qualifier, m.geo_precision) == ("country", "area", 3)


def test_country_precision(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Russia launched missiles overnight.")
    assert (m.place.geonameid, m.place.kind, m.geo_precision) == (2017370, "country", 3)
    assert only(gaz, "The Russian Federation denied it.").place.geonameid == 2017370


# -- disambiguation ------------------------------------------------------------------


def test_same_name_resolved_by_a_nearby_unambiguous_place(gaz: MemoryGazetteer) -> None:
    text = "The road between Bakhmut and Konstantinovka was cut."
    mentions = resolve(gaz, text)
    assert ids(mentions) == [713174, 705104]
    assert 0.5 < mentions[1].confidence < 1.0


def test_same_name_resolved_by_a_named_oblast(gaz: MemoryGazetteer) -> None:
    text = "In the Mykolaiv region, shelling hit Konstantinovka again."
    assert ids(resolve(gaz, text))[-1] == 704724


def test_same_name_resolved_by_population(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Troops left Lyman.")
    assert m.place.geonameid == 704204 and m.confidence < 1.0


def test_oblast_of_several_unambiguous_places_counts_like_a_named_oblast(
    gaz: MemoryGazetteer,
) -> None:
    # The Kharkiv oblast Lyman has the named oblast and nearby Izyum for it; Slavyansk
    # and Kramatorsk put the Liman direction in Donetsk oblast all the same.
    text = (
        "After Izyum, referendums are planned in the Kharkov region. The main efforts "
        "move to Slavyansk and Kramatorsk. Heavy fights are expected on the Liman "
        "direction."
    )
    m = resolve(gaz, text)[-1]
    assert (m.surface, m.place.geonameid, m.qualifier) == ("Liman", 704204, "direction")


def test_one_unambiguous_place_does_not_make_its_oblast_context(gaz: MemoryGazetteer) -> None:
    # Izyum alone (Kharkiv oblast) does not outweigh the bigger Donetsk oblast Lyman.
    assert ids(resolve(gaz, "Izyum fell. Troops then left Lyman."))[-1] == 704204


def test_longer_own_name_beats_a_shorter_place_listing_it() -> None:
    # GeoNames lists "Bilhorod-Dnistrovskyi" among Belgorod's names; with Belgorod named
    # and its oblast too, the Odesa oblast town of that name is still the one meant.
    places = [
        (
            town(578072, "Belgorod", 50.610, 36.580, "09", 345289, "RU"),
            ("Bilhorod", "Bilhorod-Dnistrovskyi"),
        ),
        (town(712160, "Bilhorod-Dnistrovskyi", 46.186, 30.342, "17", 47727), ()),
    ]
    gaz = MemoryGazetteer([p for p, _ in places], {p.geonameid: n for p, n in places}, admin1=True)
    text = "Belgorod was shelled. Debris fell near Bilhorod-Dnistrovskyi, Belgorod region."
    assert ids(resolve(gaz, text)) == [578072, 712160, 578071]


def test_one_sense_per_article(gaz: MemoryGazetteer) -> None:
    text = "Konstantinovka was shelled. Later, near Bakhmut, Konstantinovka again."
    assert ids(resolve(gaz, text)) == [705104, 713174, 705104]


def test_country_beats_settlement(gaz: MemoryGazetteer) -> None:
    m = only(gaz, "Georgia condemned the strike.")
    assert m.place.kind == "country" and m.place.geonameid == 614540


def test_small_foreign_place_needs_its_country(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "Marín was quiet.") == ()
    assert ids(resolve(gaz, "In Spain, Marín was quiet.")) == [2510769, 9000004]


def test_big_foreign_city(gaz: MemoryGazetteer) -> None:
    assert ids(resolve(gaz, "Talks in Moscow failed.")) == [524901]


# -- what is not a place -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Market: The exchange rate falls.",
        "Nice weather today.",
        "Wagner Group fighters withdrew.",
        "Units of the private group Wagner received missions.",
        "Video of the day",
        "Read more: nothing here",
        "Of course it did.",
    ],
)
def test_common_words_are_not_places(gaz: MemoryGazetteer, text: str) -> None:
    assert resolve(gaz, text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "President Volodymyr Zelenski visited the front.",
        "Volodymyr said nothing.",
        "Nico Paz scored a goal.",
        "Paz He is the Argentine of the moment.",
        "Deputy Minister Hanna Malyar said on Telegram.",
        "Gen. Lyman said so.",
    ],
)
def test_people_are_not_places(gaz: MemoryGazetteer, text: str) -> None:
    assert resolve(gaz, text) == ()


def test_organisations_and_water_are_not_places(gaz: MemoryGazetteer) -> None:
    assert resolve(gaz, "The Kyiv Independent news desk reported it.") == ()
    assert resolve(gaz, "The Azov Brigade offers boot camps.") == ()
    assert resolve(gaz, "They crossed the Kherson River.") == ()


def test_exclude_spans_of_people(gaz: MemoryGazetteer) -> None:
    text = "Lyman Brown spoke. Slavyansk was shelled."
    person = (0, len("Lyman Brown"))
    mentions = resolve(gaz, text, exclude_spans=[person])
    assert ids(mentions) == [693468]


def test_exclude_span_equal_to_a_known_city_is_not_trusted(gaz: MemoryGazetteer) -> None:
    # spaCy tags lone "Kherson" as PERSON; a big city is still a place.
    text = "Kherson was liberated."
    assert ids(resolve(gaz, text, exclude_spans=[(0, 7)])) == [706448]
    text = "Russian forces entered Krasnaya Gora, a residential area."
    span = (text.index("Krasnaya"), text.index(","))
    assert ids(resolve(gaz, text, exclude_spans=[span])) == [704463]


def test_exclude_span_starting_a_sentence_is_not_trusted(gaz: MemoryGazetteer) -> None:
    # spaCy reads "Seizing Bakhmut" as a person.
    text = "It is early. Seizing Bakhmut could allow attacks."
    span = (text.index("Seizing"), text.index(" could"))
    assert ids(resolve(gaz, text, exclude_spans=[span])) == [713174]


def test_exclude_span_with_a_name_word_vetoes(gaz: MemoryGazetteer) -> None:
    text = "They met Brown Kramatorsk yesterday."
    assert ids(resolve(gaz, text)) == [704508]
    span = (text.index("Brown"), text.index(" yesterday"))
    assert resolve(gaz, text, exclude_spans=[span]) == ()


# -- any Gazetteer implementation ----------------------------------------------------


class TinyGazetteer:
    """A Gazetteer that is not one of ours: only the protocol."""

    def __init__(self, places: Sequence[Place]) -> None:
        self._by_key: dict[str, list[Place]] = {}
        self._by_id = {p.geonameid: p for p in places}
        for p in places:
            self._by_key.setdefault(normalise_name(p.name), []).append(p)

    def candidates(self, key: str) -> Sequence[Place]:
        return self._by_key.get(key, [])

    def get(self, geonameid: int) -> Place | None:
        return self._by_id.get(geonameid)

    def keys(self) -> Iterable[str]:
        return self._by_key.keys()


def test_protocol_gazetteer() -> None:
    tiny = TinyGazetteer([town(704508, "Kramatorsk", 48.731, 37.568, "05", 147145)])
    assert isinstance(tiny, Gazetteer)
    assert ids(resolve(tiny, "Missiles hit Kramatorsk and Kramatorsk again.")) == [704508] * 2
    assert ids(resolve(tiny, "Kramatorsk direction")) == [704508]
