"""The places evaluation harness: gold readers, admin names, metrics and the CLI.

All but the last test run on hand-made CSV strings and hand-built records, with no
spaCy model; the last runs the real command on the first rows of ../shared's gold files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontwatch import evaluate as ev
from frontwatch.cli import main
from frontwatch.errors import InputError
from frontwatch.evaluate import GoldRecord, Located, Outcome
from frontwatch.evaluate_cli import render_text
from frontwatch.records import Article, ArticleResult, Cleaned, Event, Mention, Place
from frontwatch.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "events"

ACLED_HEAD = ("id,iso,event_id_cnty,event_date,year,event_type,country,admin1,admin2,admin3,"
              "location,latitude,longitude,notes,geo_precision\n")
ACLED_CSV = ACLED_HEAD + (
    '1,804,UKR1,10/03/2024 00:00:00,2024,Explosions,Ukraine,Donetsk,Horlivskyi,,Horlivka,'
    '48.3133,38.0416,"On 10 March 2024, drones hit Horlivka, Donetsk.",1\n'
    '2,804,UKR2,14/08/2020 00:00:00,2020,Protests,Ukraine,Kyiv City,Kyiv,,Kyiv,'
    '50.4646,30.4655,"On 14 August 2020, people protested in Kiev.",1\n'
    '3,804,UKR3,01/02/2023 00:00:00,2023,Battles,Ukraine,Kharkiv,,,Kupiansk,,,'
    '"No coordinates here.",1\n'
    '4,804,UKR4,01/02/2023 00:00:00,2023,Battles,Ukraine,Kharkiv,,,Kupiansk,49.7,37.6,"",1\n'
)
CIR_CSV = (
    "entry,date,event_group,title,brief description,lat,lon,country,province,district,"
    "town/city,arms/munition,violence level,link,geolocation\n"
    "UW1,2022-03-16,g,16/03/2022 Damage to residential buildings,Damage to residential "
    "buildings,47.09,37.54,Ukraine,Donetsk Oblast,,Mariupol,,1,l,\n"
    "UW2,2022-03-17,g,Strike in Irpin,Crater near the bridge,50.52,30.25,ukrain,"
    "Kyivs'ka oblast,,Irpin,,1,l,\n"
    "UW3,2022-01-02,g,Convoy,Russian equipment on the road,52.99,49.76,Russia,"
    "Samarskaya oblast,,Novokuybyshevsk,,1,l,\n"
    "UW4,,g,Undated,Something happened,48.0,37.0,Ukraine,Donetsk Oblast,,X,,1,l,\n"
)
UCDP_CSV = (
    "id,relid,year,source_headline,where_coordinates,adm_1,adm_2,latitude,longitude,"
    "country,date_start,date_end\n"
    '149221,UKR-1,2014,Dead man found on Kiev\'s Independence Square,Kiev city,'
    'Kiev Special Republican city,,50.45,30.52333,Ukraine,1/27/2014 12:00:00 AM,x\n'
    '200001,UKR-2,2022,"Russians shell Kherson region: dead and wounded",Potomkyne village,'
    'Kherson oblast,Beryslav raion,47.1,33.6,Ukraine,9/1/2022 12:00:00 AM,x\n'
)


def place(name: str = "P", lat: float = 48.0, lon: float = 37.0, *, kind: str = "settlement",
          code: str | None = "UA.05", admin1: str | None = "Donetsk",
          admin2: str | None = None, gid: int = 1) -> Place:
    return Place(geonameid=gid, name=name, latitude=lat, longitude=lon, country="UA",
                 kind=kind, admin1_code=code, admin1=admin1, admin2=admin2)  # type: ignore[arg-type]


def mention(p: Place, start: int = 0, precision: int = 1) -> Mention:
    return Mention(surface=p.name, start=start, end=start + len(p.name), place=p,
                   geo_precision=precision, confidence=1.0)


def result(mentions: Sequence[Mention] = (), events: Sequence[Mention] = ()) -> ArticleResult:
    art = Article.from_text("text", "t")
    evs = tuple(
        Event(event_id=str(i), article_id=art.id, article="t", event_date=None,
              time_precision=None, event_type="Battles", sub_event_type="Armed clash",
              actor1="a", side1="russia", location=m, evidence="", evidence_start=0,
              evidence_end=0)
        for i, m in enumerate(events))
    return ArticleResult(article=art, cleaned=Cleaned("text"), mentions=tuple(mentions),
                         events=evs)


def gold(rid: str = "r", lat: float = 48.0, lon: float = 37.0, *, admin1: str = "Donetsk",
         admin2: str = "", text: str = "text", name: str = "Gold",
         published: date | None = date(2023, 1, 1), country: str | None = "UA") -> GoldRecord:
    return GoldRecord(id=rid, text=text, published=published, latitude=lat, longitude=lon,
                      place_name=name, admin1=admin1, admin2=admin2, country=country)


def at(p: Place, via: str = "event") -> Located:
    return Located(p, via, 1, p.name)  # type: ignore[arg-type]


# -- dates, countries, texts ------------------------------------------------------------


@pytest.mark.parametrize(("value", "dayfirst", "expected"), [
    ("14/08/2020 00:00:00", True, date(2020, 8, 14)),
    ("1/27/2014 12:00:00 AM", False, date(2014, 1, 27)),
    ("2/3/2014", False, date(2014, 2, 3)),
    ("2/3/2014", True, date(2014, 3, 2)),
    ("2022-03-16", True, date(2022, 3, 16)),
    ("2022-03-16 00:00:00.000", False, date(2022, 3, 16)),
    ("14 August 2020", True, date(2020, 8, 14)),
    ("", True, None),
    ("31/02/2022", True, None),
    ("someday", True, None),
])
def test_parse_gold_date(value: str, dayfirst: bool, expected: date | None) -> None:
    assert ev.parse_gold_date(value, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(("name", "code"), [
    ("Ukraine", "UA"), ("ukraine", "UA"), ("ukrain", "UA"), ("Crimea", "UA"),
    ("Russia", "RU"), ("Belarus", "BY"), ("Moldova", "MD"), ("", None), ("Atlantis", None),
])
def test_country_code(name: str, code: str | None) -> None:
    assert ev.country_code(name) == code


def test_cir_text_joins_title_and_description() -> None:
    assert ev.cir_text("Strike in Irpin", "Crater near the bridge") == (
        "Strike in Irpin. Crater near the bridge")
    assert ev.cir_text("Strike in Irpin.", "Crater") == "Strike in Irpin. Crater"


def test_cir_text_does_not_repeat_a_description_equal_to_the_title() -> None:
    assert ev.cir_text("16/03/2022 Damage to buildings", "Damage to buildings") == (
        "16/03/2022 Damage to buildings")
    assert ev.cir_text("Title", "") == "Title"
    assert ev.cir_text("", "Description") == "Description"


# -- readers ----------------------------------------------------------------------------


def test_acled_reader() -> None:
    records, dropped = ev.parse_gold(ACLED_CSV.splitlines(keepends=True), "acled")
    assert dropped == 2  # one row without coordinates, one without notes
    first, second = records
    assert first == GoldRecord(
        id="UKR1", text="On 10 March 2024, drones hit Horlivka, Donetsk.",
        published=date(2024, 3, 10), latitude=48.3133, longitude=38.0416,
        place_name="Horlivka", admin1="Donetsk", admin2="Horlivskyi", country="UA")
    assert second.admin1 == "Kyiv City"
    assert second.published == date(2020, 8, 14)


def test_cir_reader() -> None:
    records = ev.parse_gold_text(CIR_CSV, "cir")
    assert [r.id for r in records] == ["UW1", "UW2", "UW3", "UW4"]
    assert records[0].text == "16/03/2022 Damage to residential buildings"
    assert records[1].text == "Strike in Irpin. Crater near the bridge"
    assert (records[1].place_name, records[1].admin1, records[1].country) == (
        "Irpin", "Kyivs'ka oblast", "UA")
    assert records[2].country == "RU"
    assert records[3].published is None
    assert records[0].admin2 == ""


def test_ucdp_reader() -> None:
    records = ev.parse_gold_text(UCDP_CSV, "ucdp")
    assert [r.id for r in records] == ["149221", "200001"]
    assert records[0].published == date(2014, 1, 27)
    assert records[0].text == "Dead man found on Kiev's Independence Square"
    assert records[1].admin1 == "Kherson oblast"
    assert records[1].place_name == "Potomkyne village"
    assert records[1].admin2 == ""  # admin2 is scored for ACLED only


def test_reader_refuses_a_file_of_another_format() -> None:
    with pytest.raises(InputError, match="not a acled gold file"):
        ev.parse_gold_text(CIR_CSV, "acled")


def test_read_gold_from_a_file_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "ucdp.csv"
    path.write_text("\ufeff" + UCDP_CSV, encoding="utf-8")
    records, dropped = ev.read_gold(path, "ucdp")
    assert len(records) == 2 and dropped == 0


def test_read_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        ev.read_gold(tmp_path / "nope.csv", "cir")


def test_select_filters_by_date_country_and_limit() -> None:
    records = ev.parse_gold_text(CIR_CSV, "cir")
    assert [r.id for r in ev.select(records, country="ua")] == ["UW1", "UW2", "UW4"]
    assert [r.id for r in ev.select(records, since=date(2022, 3, 17))] == ["UW2"]
    assert [r.id for r in ev.select(records, country="UA", limit=2)] == ["UW1", "UW2"]
    assert len(ev.select(records)) == 4


# -- admin names ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "codes"), [
    ("Donetsk", {"UA.05"}),
    ("Donetsk Oblast", {"UA.05"}),
    ("donetsk oblast", {"UA.05"}),
    ("Oblast Donetsk", {"UA.05"}),
    ("Donets'ka oblast", {"UA.05"}),
    ("Donestk Oblast", {"UA.05"}),
    ("Charkov Oblast", {"UA.07"}),
    ("Kharkiv Obalst", {"UA.07"}),
    ("Tsjernihiv Oblast", {"UA.02"}),
    ("Zaporizhia", {"UA.26"}),
    ("Zaporizhzhya oblast", {"UA.26"}),
    ("Mykolayiv oblast", {"UA.16"}),
    ("Kirovograd", {"UA.10"}),
    ("Odessa oblast", {"UA.17"}),
    ("Luhansk Oblast, Ukraine", {"UA.14"}),
    ("Kyiv City", {"UA.12"}),
    ("Kyiv city", {"UA.12"}),
    ("Kiev Special Republican city", {"UA.12"}),
    ("Kyiv Oblast", {"UA.13"}),
    ("Kiyv Oblast", {"UA.13"}),
    ("Kyiv", {"UA.12", "UA.13"}),
    ("Crimea", {"UA.11", "UA.20"}),
    ("Belgorod Oblast", {"RU.09"}),
    ("Samarskaya oblast", set()),
    ("Smyk", set()),
    ("", set()),
])
def test_admin1_codes(name: str, codes: set[str]) -> None:
    assert ev.admin1_codes(name) == codes


def test_admin1_matches_by_code_then_by_name() -> None:
    kharkiv = place("Kharkiv", code="UA.07", admin1="Kharkiv")
    assert ev.admin1_matches("Kharkiv Oblast", kharkiv)
    assert not ev.admin1_matches("Donetsk Oblast", kharkiv)
    assert ev.admin1_matches("Kharkiv", place(code=None, admin1="Kharkiv"))
    assert not ev.admin1_matches("Kharkiv", place(code=None, admin1=None))


def test_admin1_kyiv_city_and_oblast() -> None:
    city = place("Kyiv", code="UA.12", admin1="Kyiv City")
    bucha = place("Bucha", code="UA.13", admin1="Kyiv")
    assert ev.admin1_matches("Kyiv City", city) and not ev.admin1_matches("Kyiv City", bucha)
    assert ev.admin1_matches("Kyiv Oblast", bucha) and not ev.admin1_matches("Kyiv Oblast", city)
    assert ev.admin1_matches("Kyiv", city) and ev.admin1_matches("Kyiv", bucha)


def test_admin1_unknown_region_compares_names() -> None:
    samara = Place(geonameid=9, name="Samara", latitude=53.2, longitude=50.1, country="RU",
                   kind="settlement", admin1_code="RU.65", admin1="Samarskaya")
    assert ev.admin1_matches("Samarskaya oblast", samara)
    assert not ev.admin1_matches("Samarskaya oblast", place())


def test_admin2_matches() -> None:
    assert ev.admin2_matches("Pokrovskyi", "Pokrovskyi raion")
    assert ev.admin2_matches("Pokrovskyi", "pokrovskyi")
    assert not ev.admin2_matches("Pokrovskyi", "Bakhmutskyi")
    assert not ev.admin2_matches("", "")


# -- choosing a location ----------------------------------------------------------------


def test_choose_location_prefers_the_first_event() -> None:
    a, b = place("A", gid=1), place("B", gid=2)
    got = ev.choose_location(result(mentions=[mention(a)], events=[mention(b, 5), mention(a)]))
    assert got is not None and (got.place.name, got.via) == ("B", "event")


def test_choose_location_falls_back_to_the_most_precise_settlement() -> None:
    a, b, c = place("A", gid=1), place("B", gid=2), place("C", gid=3)
    ms = [mention(a, 0, precision=2), mention(b, 10, precision=1), mention(c, 20, precision=1)]
    got = ev.choose_location(result(mentions=ms))
    assert got is not None and (got.place.name, got.via, got.geo_precision) == (
        "B", "settlement", 1)


def test_choose_location_falls_back_to_a_region_never_a_country() -> None:
    oblast = place("Donetsk", kind="region", gid=10)
    country = place("Ukraine", kind="country", code=None, admin1=None, gid=11)
    got = ev.choose_location(result(mentions=[mention(country, 0), mention(oblast, 10, 3)]))
    assert got is not None and (got.place.name, got.via) == ("Donetsk", "region")
    assert ev.choose_location(result(mentions=[mention(country)])) is None
    assert ev.choose_location(result()) is None


# -- distances and metrics --------------------------------------------------------------


def test_haversine() -> None:
    assert ev.haversine_km(48.0, 37.0, 48.0, 37.0) == 0.0
    assert ev.haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.19, abs=0.01)
    # Kyiv to Kharkiv, about 410 km by the great circle.
    assert ev.haversine_km(50.45, 30.52, 49.99, 36.23) == pytest.approx(410, abs=5)
    assert ev.haversine_km(10, 20, 30, 40) == pytest.approx(ev.haversine_km(30, 40, 10, 20))


def test_score_of_an_unlocated_record_is_a_miss_everywhere() -> None:
    o = ev.score(gold(admin2="Pokrovskyi"), None)
    assert (o.error_km, o.admin1_ok, o.admin2_ok) == (None, False, False)
    assert ev.score(gold(admin1=""), None).admin1_ok is None


def test_score_of_a_located_record() -> None:
    o = ev.score(gold(lat=48.0, lon=37.0, admin2="Pokrovskyi"),
                 at(place(lat=48.0, lon=37.1, admin2="Pokrovskyi")))
    assert o.error_km == pytest.approx(7.44, abs=0.05)
    assert o.admin1_ok is True and o.admin2_ok is True
    assert ev.score(gold(admin2="Pokrovskyi"), at(place())).admin2_ok is None


def outcomes(*errors: float | None, admin1_ok: bool | None = True) -> list[Outcome]:
    out = []
    for i, e in enumerate(errors):
        loc = None if e is None else at(place(f"P{i}"))
        ok = False if e is None else admin1_ok
        out.append(Outcome(gold(f"r{i}", name=f"G{i}"), loc, e, ok, None))
    return out


def test_metrics_count_unlocated_records_as_misses() -> None:
    os_ = outcomes(1.0, 4.9, 10.0, 30.0, None)
    assert ev.coverage(os_) == pytest.approx(0.8)
    assert ev.within(os_, 5.0) == pytest.approx(0.4)
    assert ev.within(os_, 25.0) == pytest.approx(0.6)
    assert ev.within(os_, 5.0) == pytest.approx(2 / 5)
    assert ev.admin1_accuracy(os_) == pytest.approx(0.8)
    assert ev.median_error_km(os_) == pytest.approx(7.45)  # over located records only


def test_within_is_inclusive_at_the_threshold() -> None:
    assert ev.within(outcomes(5.0), 5.0) == 1.0


def test_metrics_of_nothing_are_none() -> None:
    assert ev.coverage([]) is None
    assert ev.within([], 5.0) is None
    assert ev.admin1_accuracy([]) is None
    assert ev.median_error_km(outcomes(None)) is None


def test_admin1_accuracy_skips_records_without_gold_admin1() -> None:
    os_ = [Outcome(gold("a", admin1=""), at(place()), 0.0, None, None),
           *outcomes(0.0, admin1_ok=False)]
    assert ev.admin1_accuracy(os_) == 0.0


def test_admin2_accuracy_is_none_while_our_places_carry_no_admin2() -> None:
    os_ = [ev.score(gold("a", admin2="Pokrovskyi"), at(place()))]
    assert ev.admin2_accuracy(os_) is None


def test_admin2_accuracy_when_our_places_carry_admin2() -> None:
    os_ = [ev.score(gold("a", admin2="Pokrovskyi"), at(place(admin2="Pokrovskyi raion"))),
           ev.score(gold("b", admin2="Bakhmutskyi"), at(place(admin2="Pokrovskyi"))),
           ev.score(gold("c", admin2="Bakhmutskyi"), at(place())),
           ev.score(gold("d", admin2="Bakhmutskyi"), None),
           ev.score(gold("e", admin2=""), at(place(admin2="Pokrovskyi")))]
    assert ev.admin2_accuracy(os_) == pytest.approx(1 / 4)


def test_worst_misses_are_ordered_by_error_then_id() -> None:
    os_ = outcomes(3.0, None, 300.0, 50.0, 300.0)
    worst = ev.worst_misses(os_, 3)
    assert [(m["id"], m["error_km"]) for m in worst] == [("r2", 300.0), ("r4", 300.0),
                                                         ("r3", 50.0)]
    assert worst[0]["gold_place"] == "G2" and worst[0]["our_place"] == "P2"
    assert ev.worst_misses(os_, 0) == []
    assert [m["id"] for m in ev.unlocated(os_, 5)] == ["r1"]


def test_miss_text_is_truncated() -> None:
    o = Outcome(gold(text="word " * 100), at(place()), 100.0, True, None)
    text = ev.worst_misses([o], 1)[0]["text"]
    assert len(text) <= 160 and text.endswith("…")


def test_gold_name_in_text() -> None:
    assert ev.gold_name_in_text(gold(name="Horlivka", text="Shelling of Horlivka, Donetsk."))
    assert ev.gold_name_in_text(gold(name="Kyiv - Shevchenkivskyi", text="In Kyiv today."))
    assert ev.gold_name_in_text(gold(name="Potomkyne village", text="Potomkyne was hit"))
    assert not ev.gold_name_in_text(gold(name="Irpin", text="Damage to buildings"))
    assert not ev.gold_name_in_text(gold(name="", text="anything"))


def test_summarise_has_every_figure_and_the_targets() -> None:
    s = ev.summarise(outcomes(1.0, 100.0, None), "cir", worst=1)
    assert s["n"] == 3 and s["located"] == 2
    assert s["within_5km"] == pytest.approx(0.3333)
    assert s["admin2_accuracy"] is None
    assert s["targets"]["within_5km"] == {"target": 0.9, "met": False}
    assert [m["id"] for m in s["worst"]] == ["r1"]
    assert [m["id"] for m in s["unlocated"]] == ["r2"]
    assert s["via"] == {"event": 2}
    json.dumps(s)  # JSON-ready
    assert "within 5 km" in render_text(s)


def test_summarise_lists_gold_admin1_names_it_did_not_understand() -> None:
    os_ = [ev.score(gold(admin1="Samarskaya oblast"), None)]
    assert ev.summarise(os_, "cir")["admin1_unresolved"] == {"Samarskaya oblast": 1}


def test_evaluate_scores_in_order_and_counts_errors() -> None:
    recs = [gold("a"), gold("b")]
    os_, errors = ev.evaluate(recs, [(at(place()), None), (None, "ValueError: x")])
    assert [o.record.id for o in os_] == ["a", "b"] and errors == 1
    assert os_[0].error_km == 0.0 and os_[1].located is None


# -- the command, with the pipeline replaced --------------------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[list[GoldRecord]]:
    """Every record located exactly at its gold point; the calls are recorded."""
    calls: list[list[GoldRecord]] = []

    def locate_all(records: Sequence[GoldRecord], settings: Settings, jobs: int = 1
                   ) -> Iterator[tuple[Located | None, str | None]]:
        calls.append(list(records))
        for r in records:
            yield at(place("X", r.latitude, r.longitude, code="UA.05")), None

    monkeypatch.setattr(ev, "locate_all", locate_all)
    return calls


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["evaluate", "places", *args])


def test_cli_cir_defaults_to_ukraine(tmp_path: Path,
                                     fake_pipeline: list[list[GoldRecord]]) -> None:
    gold_file = tmp_path / "cir.csv"
    gold_file.write_text(CIR_CSV, encoding="utf-8")
    res = run_cli("--gold", str(gold_file), "--format", "cir", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [r.id for r in fake_pipeline[0]] == ["UW1", "UW2", "UW4"]
    assert out["filters"] == {"since": None, "country": "UA", "limit": None}
    assert out["n"] == 3 and out["within_5km"] == 1.0 and out["median_error_km"] == 0.0
    assert out["admin1_accuracy"] == pytest.approx(2 / 3, abs=1e-4)  # Kyivs'ka oblast is not UA.05


def test_cli_acled_defaults_to_2022(tmp_path: Path,
                                    fake_pipeline: list[list[GoldRecord]]) -> None:
    gold_file = tmp_path / "acled.csv"
    gold_file.write_text(ACLED_CSV, encoding="utf-8")
    res = run_cli("--gold", str(gold_file), "--format", "acled", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["n"] == 1 and out["dropped"] == 2
    assert out["filters"]["since"] == "2022-01-01"
    res = run_cli("--gold", str(gold_file), "--format", "acled", "--since", "all", "--json")
    assert json.loads(res.stdout)["n"] == 2


def test_cli_text_report(tmp_path: Path, fake_pipeline: list[list[GoldRecord]]) -> None:
    gold_file = tmp_path / "ucdp.csv"
    gold_file.write_text(UCDP_CSV, encoding="utf-8")
    res = run_cli("--gold", str(gold_file), "--format", "ucdp", "--since", "2014-01-01",
                  "--limit", "1")
    assert res.exit_code == 0, res.output
    assert "records            1" in res.stdout and "within 25 km       100.0%" in res.stdout


def test_cli_rejects_bad_filters(tmp_path: Path) -> None:
    gold_file = tmp_path / "ucdp.csv"
    gold_file.write_text(UCDP_CSV, encoding="utf-8")
    assert run_cli("--gold", str(gold_file), "--format", "ucdp", "--since", "May").exit_code == 2
    assert run_cli("--gold", str(gold_file), "--format", "ucdp", "--country", "UKR"
                   ).exit_code == 2


def test_cli_wrong_format_is_an_input_error(tmp_path: Path) -> None:
    gold_file = tmp_path / "cir.csv"
    gold_file.write_text(CIR_CSV, encoding="utf-8")
    res = run_cli("--gold", str(gold_file), "--format", "ucdp")
    assert res.exit_code == InputError.exit_code
    assert "not a ucdp gold file" in res.stderr


# -- end to end on the real gold files --------------------------------------------------


@pytest.mark.slow
def test_cli_on_the_first_rows_of_each_gold_file() -> None:
    if not GOLD.is_dir():
        pytest.skip(f"{GOLD} is absent (../shared is not checked out)")
    for fmt in ev.FORMATS:
        res = run_cli("--gold", str(GOLD / f"{fmt}_dev.csv"), "--format", fmt,
                      "--limit", "20", "--json")
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["n"] == 20 and out["errors"] == 0
        for key in ("coverage", "within_5km", "within_25km", "admin1_accuracy",
                    "gold_name_in_text"):
            assert 0.0 <= out[key] <= 1.0, (fmt, key, out[key])
        assert out["within_5km"] <= out["within_25km"] <= out["coverage"]
        assert out["median_error_km"] is None or out["median_error_km"] >= 0
        assert out["admin2_accuracy"] is None or 0.0 <= out["admin2_accuracy"] <= 1.0
        assert len(out["worst"]) <= 10
        assert all(set(m) >= {"id", "gold_place", "our_place", "error_km", "text"}
                   for m in out["worst"])
        errors = [m["error_km"] for m in out["worst"]]
        assert errors == sorted(errors, reverse=True)
        assert set(out["targets"]) == set(ev.TARGETS[fmt])


# -- the shared row reader and runner ---------------------------------------------------


def test_parse_rows_counts_refused_and_textless_rows() -> None:
    def reader(row: Any) -> GoldRecord | None:
        return None if row["id"] == "skip" else gold(row["id"], text=row["text"])

    rows = ["id,text\n", "a,hello\n", "skip,x\n", "b,\n"]
    records, dropped = ev.parse_rows(rows, "fmt", "f.csv", reader, ("id", "text"))
    assert [r.id for r in records] == ["a"] and dropped == 2
    with pytest.raises(InputError, match=r"f\.csv: not a fmt gold file: no column"):
        ev.parse_rows(rows, "fmt", "f.csv", reader, ("id", "lat"))


def test_select_works_on_any_record_with_a_date_and_country() -> None:
    from frontwatch.evaluate_events import EventGold

    recs = [EventGold(id="a", text="t", published=date(2021, 5, 1), country="UA"),
            EventGold(id="b", text="t", published=date(2023, 5, 1), country="RU")]
    assert [r.id for r in ev.select(recs, since=date(2022, 1, 1))] == ["b"]
    assert [r.id for r in ev.select(recs, country="ua")] == ["a"]


def _choose_events(res: ArticleResult) -> int:
    return len(res.events)


def test_run_calls_the_pipeline_and_keeps_the_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    import frontwatch.pipeline as pipeline

    seen: list[tuple[str, date | None, str]] = []

    def extract(text: str, *, published: date | None, name: str, settings: Settings
                ) -> ArticleResult:
        if text == "boom":
            raise ValueError("bad record")
        seen.append((text, published, name))
        return result(events=[mention(place())])

    monkeypatch.setattr(pipeline, "extract", extract)
    job = ev._Job("some text", date(2024, 1, 2), "r1", _choose_events)
    assert ev._run(job) == (1, None)
    assert seen == [("some text", date(2024, 1, 2), "r1")]
    assert ev._run(ev._Job("boom", None, "r2", _choose_events)) == (
        None, "ValueError: bad record")
