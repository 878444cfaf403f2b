"""The name index, spelling variants and the on-disk gazetteer cache."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from frontwatch.places import gazetteer as gazmod
from frontwatch.places.admin import ADMIN1, ADMIN1_BY_CODE, admin1_name
from frontwatch.places.index import (
    OTHER_ALTERNATE,
    OWN_NAME,
    SIMILAR_ALTERNATE,
    IndexBuilder,
    NameIndex,
    PlaceTable,
    similar_names,
)
from frontwatch.places.normalise import tokenise, usable_name
from frontwatch.places.variants import clipped_stems, spelling_variants
from frontwatch.records import Place
from frontwatch.settings import Settings


def _town(gid: int, name: str, pop: int = 1000, country: str = "UA") -> Place:
    code = f"{country}.05"
    return Place(gid, name, 48.0, 37.0, country, "settlement", code, None, population=pop)


# -- variants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "variant"),
    [
        ("avdiyivka", "avdiivka"),
        ("avdiyivka", "avdeevka"),
        ("kostyantynivka", "kostiantynivka"),
        ("slovyansk", "sloviansk"),
        ("izyum", "izium"),
        ("krasna hora", "krasnaya gora"),
        ("horlivka", "gorlovka"),
        ("maryinka", "marinka"),
        ("kharkiv", "harkiv"),
        ("shchastia", "schastia"),
        ("shestakove", "shestakovo"),
        ("novomykhailivka", "novomykhaylivka"),
        ("netaylove", "netailove"),
        ("novopil", "novopol"),
        ("vysokopillia", "vysokopolye"),
    ],
)
def test_spelling_variants(key: str, variant: str) -> None:
    assert variant in spelling_variants(key)


def test_variants_are_bounded_and_skip_short_or_cyrillic_keys() -> None:
    assert len(spelling_variants("novooleksandrivka")) <= 16
    assert spelling_variants("kyiv") == set()
    assert spelling_variants("бахмут") == set()


@pytest.mark.parametrize(
    ("key", "stem"),
    [
        ("kupyansk", "kupyan"),
        ("avdiivka", "avdiiv"),
        ("marinka", "marin"),
        ("kurakhove", "kurakhov"),
        ("avdeevka", "avdeevsky"),
        ("bakhmut", "bakhmutsky"),
    ],
)
def test_clipped_stems(key: str, stem: str) -> None:
    assert stem in clipped_stems(key)


def test_stems_are_not_too_short() -> None:
    assert clipped_stems("bar") == set()
    assert all(len(s) >= 4 for s in clipped_stems("sumska"))


# -- names ---------------------------------------------------------------------------


def test_usable_names() -> None:
    assert usable_name("Kharkov")
    assert usable_name("Харків")
    assert not usable_name("harkiu")  # romanised from another script
    assert not usable_name("HRK")  # an airport code
    assert not usable_name("ハルキウ")
    assert not usable_name("Ki")


def test_similar_names() -> None:
    assert similar_names("kharkov", "kharkiv")
    assert similar_names("chernobyl", "chornobyl")
    assert similar_names("konstantinovka", "kostyantynivka")
    assert not similar_names("oleksandrivka", "donetsk")
    assert not similar_names("artemivsk", "bakhmut")


def test_tokenise() -> None:
    text = "Kyiv's push; Mar’inka and Ivano-Frankivsk."
    tokens = tokenise(text)
    assert tokens.keys == ["kyiv", "push", "marinka", "and", "ivano", "frankivsk"]
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)][:3] == [
        "Kyiv",
        "push",
        "Mar’inka",
    ]


# -- the index -----------------------------------------------------------------------


def test_index_postings_record_how_a_key_names_a_place() -> None:
    b = IndexBuilder()
    b.add(_town(1, "Bakhmut"), ["Artemivsk", "Bakhmout", "Бахмут"])
    b.add(_town(2, "Mykolaivka"), ["Mykolaiv"])  # a truncation: dropped
    index = b.build()
    own, _ = index.lookup("bakhmut")
    assert list(own) == [1 * 4 + OWN_NAME]
    assert list(index.lookup("bakhmout")[0]) == [1 * 4 + SIMILAR_ALTERNATE]
    assert list(index.lookup("artemivsk")[0]) == [1 * 4 + OTHER_ALTERNATE]
    assert list(index.lookup("бахмут")[0]) == [1 * 4 + SIMILAR_ALTERNATE]
    assert list(index.lookup("mykolaiv")[0]) == []
    assert list(index.lookup("nowhere")[0]) == []
    assert "bakhmut" in set(index.keys())


def test_index_scan_matches_whole_words_only() -> None:
    b = IndexBuilder()
    b.add(_town(1, "Lyman"))
    b.add(_town(2, "Nova Kakhovka"))
    index = b.build()
    spaced = " the lymans of lyman and nova kakhovka "
    found = [spaced[s:e] for s, e, _ in index.scan(spaced)]
    assert found == ["lyman", "nova kakhovka"]


def test_place_table_round_trips_through_pickle() -> None:
    table = PlaceTable()
    table.add(_town(1, "Bakhmut", 80500))
    clone = pickle.loads(pickle.dumps(table))
    place = clone.get(1)
    assert place is not None and place.population == 80500 and place.admin1 == "Donetsk"
    assert clone.get(2) is None


def test_admin_table() -> None:
    ua = [a for a in ADMIN1 if a.code.startswith("UA.")]
    assert len(ua) == 27
    assert ADMIN1_BY_CODE["UA.05"].geonameid == 709716
    assert ADMIN1_BY_CODE["UA.14"].geonameid == 702657
    assert ADMIN1_BY_CODE["RU.09"].geonameid == 578071
    assert admin1_name("UA", "07") == "Kharkiv"
    assert admin1_name("PL", "77") is None
    assert len({a.geonameid for a in ADMIN1}) == len(ADMIN1)
    for a in ADMIN1:
        assert 44.0 < a.latitude < 53.5 and 22.0 < a.longitude < 42.0, a


# -- the cached GeoNames gazetteer ---------------------------------------------------


def _small_index() -> tuple[PlaceTable, NameIndex]:
    b = IndexBuilder()
    b.add(_town(713174, "Bakhmut", 80500), ["Artemivsk"])
    return b.places, b.build()


@pytest.fixture
def fake_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def build() -> tuple[PlaceTable, NameIndex]:
        calls.append(1)
        return _small_index()

    monkeypatch.setattr(gazmod, "build_geonames_index", build)
    return calls


def test_gazetteer_is_built_once_then_loaded(tmp_path: Path, fake_build: list[int]) -> None:
    first = gazmod.GeoNamesGazetteer(tmp_path)
    assert fake_build == [1] and first.build_seconds is not None and first.load_seconds is None
    assert first.cache_file is not None and first.cache_file.exists()
    second = gazmod.GeoNamesGazetteer(tmp_path)
    assert fake_build == [1] and second.load_seconds is not None and second.build_seconds is None
    assert [p.geonameid for p in second.candidates("artemivsk")] == [713174]


def test_rebuild_ignores_the_cache(tmp_path: Path, fake_build: list[int]) -> None:
    gazmod.GeoNamesGazetteer(tmp_path)
    again = gazmod.GeoNamesGazetteer(tmp_path, rebuild=True)
    assert fake_build == [1, 1] and again.build_seconds is not None


def test_stale_caches_are_removed(tmp_path: Path, fake_build: list[int]) -> None:
    stale = tmp_path / "gazetteer-gnc0-v0-000000000000.pickle"
    stale.write_bytes(b"old")
    other = tmp_path / "unrelated.txt"
    other.write_text("keep")
    gazmod.GeoNamesGazetteer(tmp_path)
    assert not stale.exists() and other.exists()


def test_corrupt_cache_is_rebuilt(tmp_path: Path, fake_build: list[int]) -> None:
    gaz = gazmod.GeoNamesGazetteer(tmp_path)
    assert gaz.cache_file is not None
    gaz.cache_file.write_bytes(b"not a pickle")
    again = gazmod.GeoNamesGazetteer(tmp_path)
    assert fake_build == [1, 1] and again.get(713174) is not None


def test_unwritable_cache_still_works(tmp_path: Path, fake_build: list[int]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    gaz = gazmod.GeoNamesGazetteer(blocker / "sub")
    assert gaz.get(713174) is not None


def test_get_gazetteer_loads_once_per_process(tmp_path: Path, fake_build: list[int]) -> None:
    settings = Settings(cache_dir=str(tmp_path / "cache"), min_population=800)
    a = gazmod.get_gazetteer(settings)
    b = gazmod.get_gazetteer(settings)
    assert a is b and fake_build == [1]
    assert (a.min_population, a.context_km) == (800, settings.context_km)


def test_gazetteer_pickles_as_a_reference_to_its_cache(
    tmp_path: Path, fake_build: list[int]
) -> None:
    gaz = gazmod.GeoNamesGazetteer(tmp_path)
    gaz.min_population = 700
    blob = pickle.dumps(gaz)
    assert len(blob) < 10_000
    clone = pickle.loads(blob)
    assert clone.get(713174) is not None and clone.min_population == 700
    assert fake_build == [1] and clone.load_seconds is not None


def test_cache_name_tracks_versions() -> None:
    name = gazmod.cache_file_name()
    assert name.startswith("gazetteer-gnc") and f"-v{gazmod.INDEX_VERSION}-" in name
