"""The events evaluation and the evaluation gate: readers, sides, checks, metrics, CLI.

All but the two slow tests run on hand-made CSV strings and hand-built records, with no
spaCy model; the slow ones run the real commands on ../shared's dev files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontwatch import evaluate_cli
from frontwatch import evaluate_events as eve
from frontwatch import evaluate_gate as gate
from frontwatch.cli import main
from frontwatch.errors import InputError
from frontwatch.evaluate_events import EventGold, EventOutcome, Extracted
from frontwatch.records import (
    Article,
    ArticleResult,
    Claim,
    Cleaned,
    Event,
    Mention,
    Place,
    Source,
)
from frontwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "events"
PINS = ROOT / "benchmarks" / "eval_pins.json"

ACLED_HEAD = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
              "actor2,country,location,notes,fatalities,source\n")
ACLED_CSV = ACLED_HEAD + (
    'UKR1,10/03/2024 00:00:00,2024,1,Explosions/Remote violence,Air/drone strike,'
    'Military Forces of Ukraine (2019-) Air Force,'
    '"Military Forces of Russia (2000-) Donetsk People\'s Militia",Ukraine,Horlivka,'
    '"On 10 March 2024, Ukrainian forces carried out drone strikes in Horlivka.",0,'
    'DPR Armed Forces Press Service\n'
    'UKR2,14/08/2020 00:00:00,2020,1,Protests,Peaceful protest,Protesters (Ukraine),,Ukraine,'
    'Kyiv,"On 14 August 2020, people protested in Kiev.",0,OSCE SMM-Ukraine; Ukraine General '
    'Newswire\n'
    'UKR3,20/12/2022 00:00:00,2022,2,Explosions/Remote violence,Remote explosive/landmine/IED,'
    'Unidentified Military Forces,Civilians (Ukraine),Ukraine,Hola Prystan,'
    '"Around 20 December 2022 (week of), a civilian was killed by a booby trap.",1,'
    'Suspilne Media; Undisclosed Source\n'
    'UKR4,01/02/2023 00:00:00,2023,1,Battles,Armed clash,Military Forces of Russia (2000-),'
    'Military Forces of Ukraine (2019-),Ukraine,Kupiansk,"",,Ministry of Defence of Ukraine\n'
)
UCDP_HEAD = ("id,relid,year,side_a,side_b,source_office,source_date,source_headline,"
             "source_original,where_coordinates,country,date_start,date_end,best,high,low\n")
UCDP_CSV = UCDP_HEAD + (
    '446316,UKR-1,2022,Government of Russia (Soviet Union),Government of Ukraine,Ukrinform,'
    '01/09/2022,"Russians shell Kherson region: dead and wounded",Ukraine,Potomkyne village,'
    'Ukraine,8/31/2022 12:00:00 AM,09/01/2022 00:00,2,3,1\n'
    '446317,UKR-2,2022,Government of Russia (Soviet Union),Government of Ukraine,'
    'Ukrinform;AOAV,2022-09-03;2022-09-05,"Two killed in Kramatorsk;AOAV data on harm",'
    'Ukraine;AOAV,Kramatorsk,Ukraine,09/02/2022 00:00,09/02/2022 00:00,2,2,2\n'
    '446318,UKR-3,2022,Government of Russia (Soviet Union),Government of Ukraine,Ukrinform,'
    'soon,"Shelling of Nikopol",Ukraine,Nikopol,Ukraine,9/4/2022 12:00:00 AM,'
    '9/4/2022 12:00:00 AM,0,0,0\n'
)


# -- builders -----------------------------------------------------------------------------


def place(name: str = "Horlivka") -> Place:
    return Place(geonameid=1, name=name, latitude=48.3, longitude=38.0, country="UA",
                 kind="settlement", admin1_code="UA.05", admin1="Donetsk")


def event(start: int = 0, *, sub: str = "Air/drone strike",
          etype: str = "Explosions/Remote violence",
          actor1: str = "Military Forces of Ukraine (2019-)", side1: str = "ukraine",
          actor2: str | None = "Military Forces of Russia (2000-)", side2: str | None = "russia",
          when: date | None = date(2024, 3, 10), fatalities: int | None = None,
          modality: str = "reported", sources: Sequence[Source] = ()) -> Event:
    p = place()
    return Event(event_id=f"e{start}", article_id="a", article="t", event_date=when,
                 time_precision=1, event_type=etype, sub_event_type=sub, actor1=actor1,
                 side1=side1,  # type: ignore[arg-type]
                 location=Mention(p.name, start, start + 8, p, 1, 1.0),
                 evidence="evidence", evidence_start=start, evidence_end=start + 10,
                 actor2=actor2, side2=side2,  # type: ignore[arg-type]
                 modality=modality,  # type: ignore[arg-type]
                 fatalities=fatalities, sources=tuple(sources))


def claim(low: float | None, high: float | None = None, **kw: Any) -> Claim:
    return Claim(claim_id="c", article_id="a", article="t", kind=kw.pop("kind", "casualties"),
                 evidence="", evidence_start=0, evidence_end=0, low=low, high=high, **kw)


def result(events: Sequence[Event] = (), claims: Sequence[Claim] = ()) -> ArticleResult:
    return ArticleResult(article=Article.from_text("t", "t"), cleaned=Cleaned("t"),
                         events=tuple(events), claims=tuple(claims))


def acled_gold(**kw: Any) -> EventGold:
    base: dict[str, Any] = dict(
        id="g", text="On 10 March 2024, Ukrainian forces struck Horlivka.",
        published=date(2024, 3, 10), country="UA", event_date=date(2024, 3, 10),
        date_end=date(2024, 3, 10), time_precision=1, event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Ukraine (2019-)",
        actor2="Military Forces of Russia (2000-)", fatalities=0,
        sources=("DPR Armed Forces Press Service",))
    base.update(kw)
    return EventGold(**base)


def ucdp_gold(**kw: Any) -> EventGold:
    base: dict[str, Any] = dict(
        id="u", text="Two killed in Kramatorsk", published=date(2022, 9, 3), country="UA",
        event_date=date(2022, 9, 1), date_end=date(2022, 9, 2), fatalities=2, low=1, high=3,
        sources=("Ukraine", "Ukrinform"))
    base.update(kw)
    return EventGold(**base)


# -- readers ------------------------------------------------------------------------------


def test_acled_reader() -> None:
    records, dropped = eve.parse_event_gold(ACLED_CSV.splitlines(keepends=True), "acled")
    assert dropped == 1  # UKR4 has no notes
    first, protest, ied = records
    assert (first.id, first.event_date, first.published, first.time_precision) == (
        "UKR1", date(2024, 3, 10), date(2024, 3, 10), 1)
    assert first.actor1 == "Military Forces of Ukraine (2019-) Air Force"
    assert first.actor2 == "Military Forces of Russia (2000-) Donetsk People's Militia"
    assert first.sub_event_type == "Air/drone strike" and first.fatalities == 0
    assert first.sources == ("DPR Armed Forces Press Service",)
    assert protest.sources == ("OSCE SMM-Ukraine", "Ukraine General Newswire")
    assert (ied.time_precision, ied.fatalities, ied.country) == (2, 1, "UA")


def test_acled_blank_fatalities_read_as_zero() -> None:
    text = ACLED_HEAD + 'X,01/02/2023,2023,1,Battles,Armed clash,a,b,Ukraine,K,"Text.",,S\n'
    assert eve.parse_event_gold_text(text, "acled")[0].fatalities == 0


def test_in_scope_keeps_conflict_types_only() -> None:
    records = eve.parse_event_gold_text(ACLED_CSV, "acled")
    assert [r.id for r in eve.in_scope(records, "acled")] == ["UKR1", "UKR3"]
    ucdp = eve.parse_event_gold_text(UCDP_CSV, "ucdp")
    assert eve.in_scope(ucdp, "ucdp") == ucdp


def test_ucdp_reader() -> None:
    a, b, c = eve.parse_event_gold_text(UCDP_CSV, "ucdp")
    assert (a.published, a.event_date, a.date_end) == (
        date(2022, 9, 1), date(2022, 8, 31), date(2022, 9, 1))
    assert (a.fatalities, a.low, a.high) == (2, 1, 3)
    assert a.sources == ("Ukraine", "Ukrinform")
    assert a.actor1 == "Government of Russia (Soviet Union)"
    assert b.published == date(2022, 9, 3)  # the first of an ISO list
    assert b.text == "Two killed in Kramatorsk. AOAV data on harm."
    assert b.sources == ("Ukraine", "AOAV", "Ukrinform", "AOAV")
    assert c.published == date(2022, 9, 4)  # an unreadable source date: the start date
    assert (c.low, c.high) == (0, 0)


def test_ucdp_text_splits_headlines_only_when_they_match_the_offices() -> None:
    assert eve.ucdp_text("A;B!", "X;Y") == "A. B!"
    assert eve.ucdp_text("Killed: 3; wounded: 5", "Ukrinform") == "Killed: 3; wounded: 5"
    assert eve.ucdp_text(" Headline ", "") == "Headline"


def test_ucdp_published() -> None:
    assert eve.ucdp_published("26/09/2022", None) == date(2022, 9, 26)
    assert eve.ucdp_published("x;2022-09-28", None) == date(2022, 9, 28)
    assert eve.ucdp_published("", date(2022, 1, 2)) == date(2022, 1, 2)


def test_reader_refuses_another_format() -> None:
    with pytest.raises(InputError, match="not a ucdp gold file"):
        eve.parse_event_gold_text(ACLED_CSV, "ucdp")


def test_read_event_gold_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\ufeff" + ACLED_CSV, encoding="utf-8")
    records, dropped = eve.read_event_gold(path, "acled")
    assert len(records) == 3 and dropped == 1
    with pytest.raises(InputError):
        eve.read_event_gold(tmp_path / "nope.csv", "acled")


# -- sides --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "side"), [
    ("Military Forces of Russia (2000-)", "russia"),
    ("Military Forces of Russia (2000-) Air Force", "russia"),
    ("Military Forces of Russia (2000-) Donetsk People's Militia", "russia"),
    ("Military Forces of Russia (2000-) Luhansk People's Militia", "russia"),
    ("Military Forces of Russia (2000-) Navy", "russia"),
    ("Wagner Group", "russia"),
    ("NAF: United Armed Forces of Novorossiya", "russia"),
    ("DPR", "russia"),
    ("Government of Russia (Soviet Union)", "russia"),
    ("Military Forces of Ukraine (2019-)", "ukraine"),
    ("Military Forces of Ukraine (2019-) Air Force", "ukraine"),
    ("Police Forces of Ukraine (2019-) State Emergency Service of Ukraine", "ukraine"),
    ("Police Forces of Ukraine (2019-) State Border Guard Service", "ukraine"),
    ("Government of Ukraine", "ukraine"),
    ("Freedom of Russia Legion", "ukraine"),
    ("Civilians (Ukraine)", "other"),
    ("Civilians", "other"),
    ("Protesters (Ukraine)", "other"),
    ("Unidentified Military Forces", "other"),
    ("Unidentified Armed Group (Ukraine)", "other"),
    ("Melitopol Communal Militia (Ukraine)", "other"),
    ("Military Forces of Belarus (1994-)", "other"),
    ("", None),
    ("  ", None),
])
def test_actor_side(name: str, side: str | None) -> None:
    assert eve.actor_side(name) == side


# -- the main event and deaths ------------------------------------------------------------


def test_main_event_is_the_first_in_text_order() -> None:
    later, first = event(50, sub="Shelling/artillery/missile attack"), event(3)
    assert eve.main_event(result([later, first])) is first


def test_main_event_skips_denied_events() -> None:
    denied, real = event(0, modality="denied"), event(40)
    assert eve.main_event(result([denied, real])) is real
    assert eve.main_event(result([denied])) is None
    assert eve.main_event(result()) is None


def test_casualty_deaths() -> None:
    claims = [claim(3), claim(None, 4), claim(10, background=True),
              claim(7, killed_or_injured=True), claim(2, modality="denied"),
              claim(50, unit="percent"), claim(5, kind="quantity")]
    assert eve.casualty_deaths(result(claims=claims)) == 7
    assert eve.casualty_deaths(result()) is None


def test_extract_main() -> None:
    ex = eve.extract_main(result([event(9), event(1)], [claim(2)]))
    assert ex.main is not None and ex.main.event_id == "e1"
    assert (ex.n_events, ex.casualties) == (2, 2)


@pytest.mark.parametrize(("ex", "deaths"), [
    (Extracted(event(fatalities=4), 1, 9), 4),
    (Extracted(event(), 1, 9), 9),
    (Extracted(event(), 1, None), 0),
    (Extracted(None, 0, 3), 3),
    (Extracted(None, 0, None), None),
])
def test_our_deaths(ex: Extracted, deaths: int | None) -> None:
    assert eve.our_deaths(ex) == deaths


# -- single checks ------------------------------------------------------------------------


@pytest.mark.parametrize(("gold", "precision", "ours", "ok"), [
    (date(2024, 3, 10), 1, date(2024, 3, 10), True),
    (date(2024, 3, 10), 1, date(2024, 3, 11), False),
    (date(2024, 3, 10), None, date(2024, 3, 10), True),
    (date(2024, 3, 10), 2, date(2024, 3, 13), True),
    (date(2024, 3, 10), 2, date(2024, 3, 7), True),
    (date(2024, 3, 10), 2, date(2024, 3, 14), False),
    (date(2024, 3, 10), 3, date(2024, 3, 31), True),
    (date(2024, 3, 10), 3, date(2024, 4, 1), False),
    (date(2024, 3, 10), 3, date(2023, 3, 10), False),
    (date(2024, 3, 10), 1, None, False),
    (None, 1, date(2024, 3, 10), False),
])
def test_date_within_precision(gold: date | None, precision: int | None, ours: date | None,
                               ok: bool) -> None:
    assert eve.date_within_precision(gold, precision, ours) is ok


@pytest.mark.parametrize(("ours", "ok"), [
    (date(2022, 9, 1), True), (date(2022, 9, 3), True), (date(2022, 9, 2), True),
    (date(2022, 8, 31), False), (date(2022, 9, 4), False), (None, False),
])
def test_date_in_window(ours: date | None, ok: bool) -> None:
    assert eve.date_in_window(date(2022, 9, 1), date(2022, 9, 3), ours) is ok


def test_date_in_window_without_an_end_is_the_start_day() -> None:
    assert eve.date_in_window(date(2022, 9, 1), None, date(2022, 9, 1))
    assert not eve.date_in_window(date(2022, 9, 1), None, date(2022, 9, 2))
    assert not eve.date_in_window(None, None, date(2022, 9, 2))


@pytest.mark.parametrize(("gold", "ours", "ok"), [
    (0, None, True), (0, 0, True), (0, 1, False), (None, None, True),
    (10, 8, True), (10, 12, True), (10, 7, False), (10, 13, False),
    (3, 3, True), (3, 2, False), (1, None, False),
])
def test_fatalities_within(gold: int | None, ours: int | None, ok: bool) -> None:
    assert eve.fatalities_within(gold, ours) is ok


@pytest.mark.parametrize(("low", "high", "ours", "ok"), [
    (1, 3, 1, True), (1, 3, 3, True), (1, 3, 0, False), (1, 3, 4, False),
    (2, 2, 2, True), (0, 0, 0, True), (1, 3, None, False), (None, None, 5, None),
    (None, 4, 4, True), (3, 1, 2, True),
])
def test_deaths_in_range(low: int | None, high: int | None, ours: int | None,
                         ok: bool | None) -> None:
    assert eve.deaths_in_range(low, high, ours) is ok


@pytest.mark.parametrize(("ours", "gold", "ok"), [
    ("Russian Ministry of Defence", "Ministry of Defence of Russia", True),
    ("Russia's Defense Ministry", "Ministry of Defence of Russia", True),
    ("Russian MoD", "Ministry of Defence of Russia", True),
    ("Ukrainian Defence Ministry", "Ministry of Defence of Russia", False),
    ("Ministry of Defence", "Ministry of Defence of Ukraine", False),  # generic only
    ("Suspilne", "Suspilne Media", True),
    ("Pavlo Kyrylenko", "Ukraine (head of the Donetsk OVA Pavel Kirilenko)", True),
    ("Igor Konashenkov", "official representative of the Russian Defense Ministry, "
                         "Lieutenant-General Igor Konashenkov.", True),
    ("Telegram", "Telegram", True),
    ("Undisclosed Source", "Undisclosed Source", False),
    ("General Staff of Ukraine", "Ministry of Defence of Ukraine", False),
    ("ISW", "Institute for the Study of War", False),
    ("", "Suspilne Media", False),
])
def test_sources_match(ours: str, gold: str, ok: bool) -> None:
    assert eve.sources_match(ours, gold) is ok


def test_source_overlap_uses_speaker_channel_and_relay() -> None:
    ev = event(sources=[Source("Russian bloggers", "military_blogger", channel="Telegram",
                               relayed_by="Institute for the Study of War")])
    assert eve.our_source_names(ev) == ["Russian bloggers", "Telegram",
                                        "Institute for the Study of War"]
    assert eve.source_overlap(ev, ["Institute for the Study of War"])
    assert eve.source_overlap(ev, ["Telegram; Undisclosed Source", "Telegram"])
    assert not eve.source_overlap(ev, ["Suspilne Media"])
    assert not eve.source_overlap(None, ["Telegram"])
    assert not eve.source_overlap(event(), ["Telegram"])


def test_source_in_text() -> None:
    assert eve.source_in_text("[Russian MoD reported 40 fatalities]",
                              ["Ministry of Defence of Russia"])
    assert eve.source_in_text("Suspilne reported a strike.", ["Suspilne Media"])
    assert not eve.source_in_text("Russian forces shelled Kherson.",
                                  ["Ministry of Defence of Ukraine", "Undisclosed Source"])


# -- scoring a record ---------------------------------------------------------------------


def test_score_of_a_perfect_acled_event() -> None:
    ev = event(sources=[Source("DPR Armed Forces Press Service", "russia_gov")])
    o = eve.score_event(acled_gold(), Extracted(ev, 1), "acled")
    assert set(o.checks) == set(eve.CHECKS["acled"])
    assert all(o.checks.values()), o.checks
    assert o.predicted == "Air/drone strike" and o.predicted_type == "Explosions/Remote violence"


def test_score_of_no_event_is_a_miss_everywhere() -> None:
    for fmt, g in (("acled", acled_gold()), ("ucdp", ucdp_gold())):
        o = eve.score_event(g, None, fmt)
        assert o.predicted == eve.NONE and o.main is None
        assert not any(o.checks.values()), (fmt, o.checks)


def test_score_of_a_wrong_acled_event() -> None:
    ev = event(sub="Shelling/artillery/missile attack", actor1="Military Forces of Russia "
               "(2000-)", side1="russia", actor2=None, side2=None, when=date(2024, 3, 11),
               fatalities=2)
    c = eve.score_event(acled_gold(), Extracted(ev, 1), "acled").checks
    assert c["event_type"] and not c["sub_event_type"]
    assert not c["actor1_side"] and not c["actor2_side"] and not c["actor1_exact"]
    assert not c["date_exact"] and not c["date_within_precision"]
    assert not c["fatalities_exact"] and not c["fatalities_within_20pct"]


def test_score_actor2_absent_on_both_sides_is_right() -> None:
    ev = event(actor2=None, side2=None)
    assert eve.score_event(acled_gold(actor2=""), Extracted(ev), "acled").checks["actor2_side"]
    assert not eve.score_event(acled_gold(), Extracted(ev), "acled").checks["actor2_side"]


def test_score_actor1_exact_needs_the_branch() -> None:
    g = acled_gold(actor1="Military Forces of Ukraine (2019-) Air Force")
    c = eve.score_event(g, Extracted(event()), "acled").checks
    assert c["actor1_side"] and not c["actor1_exact"]


def test_score_ucdp() -> None:
    ev = event(when=date(2022, 9, 2), fatalities=2,
               sources=[Source("Ukrinform", "media")])
    o = eve.score_event(ucdp_gold(), Extracted(ev, 1), "ucdp")
    assert set(o.checks) == set(eve.CHECKS["ucdp"])
    assert o.checks == {"date_exact": False, "date_within_window": True,
                        "deaths_within_range": True, "deaths_exact": True,
                        "source_overlap": True}
    assert o.deaths == 2
    o = eve.score_event(ucdp_gold(low=None, high=None, fatalities=None),
                        Extracted(None, 0, 2), "ucdp")
    assert o.checks["deaths_within_range"] is None and o.checks["deaths_exact"] is None
    assert o.deaths == 2


def test_evaluate_events_scores_in_order_and_counts_errors() -> None:
    outs, errors = eve.evaluate_events([acled_gold(id="a"), acled_gold(id="b")],
                                       [(Extracted(event()), None), (None, "ValueError: x")],
                                       "acled")
    assert [o.record.id for o in outs] == ["a", "b"] and errors == 1
    assert outs[1].main is None


# -- metrics ------------------------------------------------------------------------------

PAIRS = [("A", "A"), ("A", "A"), ("A", "B"), ("B", "B"), ("B", "none"), ("C", "A")]


def test_confusion() -> None:
    assert eve.confusion(PAIRS) == {"A": {"A": 2, "B": 1}, "B": {"B": 1, "none": 1},
                                    "C": {"A": 1}}
    assert eve.confusion([]) == {}


def test_per_class_and_macro_f1() -> None:
    scores = eve.per_class(PAIRS)
    a, b, c = scores["A"], scores["B"], scores["C"]
    assert (a.support, a.predicted, a.correct) == (3, 3, 2)
    assert a.precision == pytest.approx(2 / 3) and a.recall == pytest.approx(2 / 3)
    assert a.f1 == pytest.approx(2 / 3)
    assert b.precision == pytest.approx(0.5) and b.recall == pytest.approx(0.5)
    assert c.precision is None and c.recall == 0.0 and c.f1 == 0.0
    assert eve.macro_f1(PAIRS) == pytest.approx((2 / 3 + 0.5 + 0.0) / 3)
    # "none" is no gold class: it costs recall, adds no class.
    assert "none" not in scores
    assert eve.macro_f1(PAIRS, ["A", "B"]) == pytest.approx((2 / 3 + 0.5) / 2)
    assert eve.macro_f1([]) is None


def test_macro_f1_of_a_perfect_run_is_one() -> None:
    assert eve.macro_f1([("A", "A"), ("B", "B")]) == 1.0


def test_check_rate_skips_records_that_cannot_judge() -> None:
    outs = [EventOutcome(ucdp_gold(), None, {"deaths_exact": v}) for v in (True, False, None)]
    assert eve.check_rate(outs, "deaths_exact") == 0.5
    assert eve.check_rate([], "deaths_exact") is None


# -- error patterns -----------------------------------------------------------------------


def test_error_patterns_of_no_event_is_one_pattern() -> None:
    o = eve.score_event(acled_gold(), None, "acled")
    assert eve.error_patterns(o, "acled") == [("event", "Air/drone strike", "none")]


def test_error_patterns_of_a_wrong_acled_event() -> None:
    ev = event(sub="Shelling/artillery/missile attack", side1="russia",
               when=date(2024, 3, 12), fatalities=3)
    o = eve.score_event(acled_gold(), Extracted(ev), "acled")
    assert eve.error_patterns(o, "acled") == [
        ("sub_event_type", "Air/drone strike", "Shelling/artillery/missile attack"),
        ("actor1 side", "ukraine", "russia"),
        ("date", "day", "+2 d"),
        ("fatalities", "0", "deaths where gold has 0"),
    ]
    o = eve.score_event(acled_gold(fatalities=2), Extracted(event()), "acled")
    assert eve.error_patterns(o, "acled") == [("fatalities", ">0", "stated deaths missed")]


def test_error_patterns_ucdp() -> None:
    late = event(when=date(2022, 9, 3), fatalities=0)
    o = eve.score_event(ucdp_gold(), Extracted(late), "ucdp")
    assert eve.error_patterns(o, "ucdp") == [("date", "window", "+1 d after"),
                                             ("deaths", "low-high", "below low")]
    early = event(when=date(2022, 8, 1), fatalities=9)
    o = eve.score_event(ucdp_gold(), Extracted(early), "ucdp")
    assert eve.error_patterns(o, "ucdp") == [("date", "window", "more than 3 days early"),
                                             ("deaths", "low-high", "above high")]


def test_top_errors_counts_and_orders() -> None:
    outs = [eve.score_event(acled_gold(id=f"n{i}"), None, "acled") for i in range(3)]
    outs.append(eve.score_event(acled_gold(id="w", fatalities=1), Extracted(event()), "acled"))
    top = eve.top_errors(outs, "acled", k=5)
    assert [(t["field"], t["count"], t["example"]) for t in top] == [
        ("event", 3, "n0"), ("fatalities", 1, "w")]
    assert top[0]["ours_example"] is None and "Air/drone strike" in top[1]["ours_example"]
    assert eve.top_errors(outs, "acled", k=0) == []


# -- summary and report -------------------------------------------------------------------


def acled_outcomes() -> list[EventOutcome]:
    good = Extracted(event())
    shell = Extracted(event(sub="Shelling/artillery/missile attack"))
    return [eve.score_event(acled_gold(id="1"), good, "acled"),
            eve.score_event(acled_gold(id="2"), shell, "acled"),
            eve.score_event(acled_gold(id="3", sub_event_type="Armed clash",
                                       event_type="Battles"), None, "acled")]


def test_summarise_acled() -> None:
    s = eve.summarise_events(acled_outcomes(), "acled", worst=3)
    assert s["n"] == 3 and s["with_event"] == 2 and s["coverage"] == pytest.approx(0.6667)
    assert s["sub_event_accuracy"] == pytest.approx(0.3333)
    assert s["event_type_accuracy"] == pytest.approx(0.6667)
    # Air/drone: P 1/1, R 1/2 -> F1 2/3; Armed clash: F1 0.
    assert s["sub_event_macro_f1"] == pytest.approx(0.3333)
    assert s["sub_event_macro_f1_support5"] is None
    assert s["confusion"] == {"Air/drone strike": {"Air/drone strike": 1,
                                                   "Shelling/artillery/missile attack": 1},
                              "Armed clash": {"none": 1}}
    assert set(s["by_event_type"]) == {"Battles", "Explosions/Remote violence"}
    assert s["targets"]["sub_event_accuracy"] == {"target": 0.88, "met": False}
    assert set(s["targets"]) == set(eve.TARGETS["acled"])
    assert len(s["errors_top"]) <= 3
    json.dumps(s)
    text = evaluate_cli.render_events_text(s)
    assert "target sub_event_macro_f1" in text and "NOT met" in text
    assert "Air/drone" in text and "none" in text


def test_summarise_ucdp() -> None:
    outs = [eve.score_event(ucdp_gold(), Extracted(event(when=date(2022, 9, 2),
                                                         fatalities=2)), "ucdp"),
            eve.score_event(ucdp_gold(id="v", text="Other headline"), None, "ucdp")]
    s = eve.summarise_events(outs, "ucdp")
    assert s["date_within_window"] == 0.5 and s["deaths_within_range"] == 0.5
    assert "confusion" not in s and set(s["by_predicted_event_type"]) == {
        "Explosions/Remote violence", "none"}
    assert set(s["targets"]) == {"date_within_window", "deaths_within_range"}
    assert s["single_row_texts"] == {"n": 2, "coverage": 0.5, "date_within_window": 0.5,
                                     "deaths_within_range": 0.5}
    same = [eve.score_event(ucdp_gold(id=i), None, "ucdp") for i in "ab"]
    assert eve.summarise_events(same, "ucdp")["single_row_texts"]["n"] == 0
    json.dumps(s)
    assert "date within window" in evaluate_cli.render_events_text(s)


def test_render_confusion_has_a_column_per_prediction() -> None:
    lines = evaluate_cli.render_confusion({"Armed clash": {"Armed clash": 3, "none": 1}})
    assert "Clash" in lines[0] and lines[0].rstrip().endswith("none")
    assert lines[1].split()[-2:] == ["3", "1"]


# -- the command, with the pipeline replaced ----------------------------------------------


@pytest.fixture
def fake_extract(monkeypatch: pytest.MonkeyPatch) -> list[list[EventGold]]:
    """Every record gets one Air/drone strike by Ukraine on the publication date."""
    calls: list[list[EventGold]] = []

    def extract_all(records: Sequence[EventGold], settings: Settings, jobs: int = 1
                    ) -> Iterator[tuple[Extracted | None, str | None]]:
        calls.append(list(records))
        for r in records:
            yield Extracted(event(when=r.published), 1), None

    monkeypatch.setattr(eve, "extract_all", extract_all)
    return calls


def run_events(*args: str) -> Any:
    return CliRunner().invoke(main, ["evaluate", "events", *args])


def test_cli_acled_json(tmp_path: Path, fake_extract: list[list[EventGold]]) -> None:
    gold_file = tmp_path / "acled.csv"
    gold_file.write_text(ACLED_CSV, encoding="utf-8")
    res = run_events("--gold", str(gold_file), "--format", "acled", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [r.id for r in fake_extract[0]] == ["UKR1", "UKR3"]  # 2022+, conflict types
    assert out["n"] == 2 and out["dropped"] == 1 and out["out_of_scope"] == 1
    assert out["filters"]["since"] == "2022-01-01"
    assert "Battles" in out["filters"]["event_types"]
    assert out["sub_event_accuracy"] == 0.5 and out["date_exact"] == 1.0
    assert out["date_within_precision"] == 1.0
    res = run_events("--gold", str(gold_file), "--format", "acled", "--since", "all",
                     "--limit", "1", "--json")
    assert json.loads(res.stdout)["n"] == 1


def test_cli_ucdp_text(tmp_path: Path, fake_extract: list[list[EventGold]]) -> None:
    gold_file = tmp_path / "ucdp.csv"
    gold_file.write_text(UCDP_CSV, encoding="utf-8")
    res = run_events("--gold", str(gold_file), "--format", "ucdp", "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert "records              3" in res.stdout
    assert "target date_within_window" in res.stdout


def test_cli_events_rejects_cir_and_bad_files(tmp_path: Path) -> None:
    gold_file = tmp_path / "ucdp.csv"
    gold_file.write_text(UCDP_CSV, encoding="utf-8")
    assert run_events("--gold", str(gold_file), "--format", "cir").exit_code == 2
    res = run_events("--gold", str(gold_file), "--format", "acled")
    assert res.exit_code == InputError.exit_code and "not a acled gold file" in res.stderr


# -- the gate -----------------------------------------------------------------------------


def pins_dict(**run: Any) -> dict[str, Any]:
    base = {"name": "events/acled", "evaluation": "events", "format": "acled",
            "gold": "acled.csv", "since": "2022-01-01", "country": None, "limit": 10,
            "pins": {"sub_event_accuracy": 0.9, "date_exact": 0.5}}
    base.update(run)
    return {"about": "doc", "tolerance": 0.02, "jobs": 2, "runs": [base]}


def test_pins_round_trip() -> None:
    pins = gate.pins_from_dict(pins_dict())
    (run,) = pins.runs
    assert (run.since, run.limit, run.fmt) == (date(2022, 1, 1), 10, "acled")
    assert gate.pins_to_dict(pins) == pins_dict()


@pytest.mark.parametrize(("change", "message"), [
    ({"evaluation": "nope"}, "unknown evaluation"),
    ({"format": "cir"}, "unknown evaluation"),
    ({"gold": ""}, "no gold file"),
    ({"limit": 0}, "limit"),
    ({"since": "May"}, "since"),
    ({"pins": [1]}, "pins must be an object"),
])
def test_pins_validation(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        gate.pins_from_dict(pins_dict(**change))


def test_pins_need_runs_with_unique_names() -> None:
    with pytest.raises(InputError, match="no runs"):
        gate.pins_from_dict({"runs": []})
    d = pins_dict()
    d["runs"] *= 2
    with pytest.raises(InputError, match="unique"):
        gate.pins_from_dict(d)


def test_gold_path_is_relative_to_the_pins_file(tmp_path: Path) -> None:
    run = gate.pins_from_dict(pins_dict(gold="../x/acled.csv")).runs[0]
    assert run.gold_path(tmp_path / "benchmarks") == (tmp_path / "x" / "acled.csv").resolve()
    run = gate.pins_from_dict(pins_dict(gold="/abs/acled.csv")).runs[0]
    assert run.gold_path(tmp_path) == Path("/abs/acled.csv")


@pytest.mark.parametrize(("score", "status"), [
    (0.9, "ok"), (0.885, "ok"), (0.88, "ok"), (0.8799, "DROP"), (0.5, "DROP"),
    (0.92, "ok"), (0.9201, "up"), (None, "MISSING"),
])
def test_compare(score: float | None, status: str) -> None:
    run = gate.pins_from_dict(pins_dict(pins={"sub_event_accuracy": 0.9})).runs[0]
    (v,) = gate.compare(run, {"sub_event_accuracy": score}, 0.02)
    assert v.status == status
    assert gate.failed([v]) is (status in ("DROP", "MISSING"))


def test_compare_of_an_unpinned_score() -> None:
    run = gate.pins_from_dict(pins_dict(pins={"x": None})).runs[0]
    assert gate.compare(run, {"x": None}, 0.02)[0].status == "ok"
    assert gate.compare(run, {"x": 0.3}, 0.02)[0].status == "up"


def test_updated_pins_take_this_runs_scores() -> None:
    pins = gate.pins_from_dict(pins_dict())
    new = gate.updated(pins, {"events/acled": {"sub_event_accuracy": 0.812345,
                                               "date_exact": None, "other": 1.0}})
    assert new.runs[0].pins == {"sub_event_accuracy": 0.8123, "date_exact": None}
    assert (new.runs[0].limit, new.about) == (10, "doc")
    fresh = gate.pins_from_dict(pins_dict(pins=None))
    keys = gate.updated(fresh, {"events/acled": {}}).runs[0].pins
    assert keys is not None and set(keys) == set(gate.DEFAULT_PINNED[("events", "acled")])


def test_render_verdicts() -> None:
    run = gate.pins_from_dict(pins_dict()).runs[0]
    verdicts = gate.compare(run, {"sub_event_accuracy": 0.85, "date_exact": 0.6}, 0.02)
    text = gate.render_verdicts(verdicts, 0.02)
    assert "DROP" in text and "-5.0" in text and "gate: FAILED (1 score(s)" in text
    assert "re-pin with --update" in text


def test_cli_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Path, dict[str, Any]]] = []
    scores = {"sub_event_accuracy": 0.85, "date_exact": 0.5}

    def fake(gold: Path, fmt: str, **kw: Any) -> dict[str, Any]:
        seen.append((gold, kw))
        return {"n": 10, **scores}

    monkeypatch.setattr(evaluate_cli, "events_summary", fake)
    pins_file = tmp_path / "bench" / "pins.json"
    pins_file.parent.mkdir()
    pins_file.write_text(json.dumps(pins_dict()), encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", "check", "--pins", str(pins_file)])
    assert res.exit_code == 1, res.output
    assert "DROP" in res.stdout and "gate: FAILED" in res.stdout
    gold, kw = seen[0]
    assert gold == (tmp_path / "bench" / "acled.csv").resolve()
    assert (kw["since"], kw["limit"], kw["jobs"]) == (date(2022, 1, 1), 10, 2)
    # --update rewrites the pins; the gate then passes.
    res = CliRunner().invoke(main, ["evaluate", "check", "--pins", str(pins_file), "--update",
                                    "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert seen[-1][1]["jobs"] == 1
    written = json.loads(pins_file.read_text(encoding="utf-8"))
    assert written["runs"][0]["pins"] == scores and written["about"] == "doc"
    res = CliRunner().invoke(main, ["evaluate", "check", "--pins", str(pins_file)])
    assert res.exit_code == 0 and "gate: passed" in res.stdout
    res = CliRunner().invoke(main, ["evaluate", "check", "--pins", str(pins_file),
                                    "--only", "nope"])
    assert res.exit_code == 2


def test_the_repository_pins_file_is_valid() -> None:
    pins = gate.load_pins(PINS)
    assert {(r.evaluation, r.fmt) for r in pins.runs} == set(gate.DEFAULT_PINNED)
    assert pins.tolerance == 0.02
    for r in pins.runs:
        assert r.pins and set(r.pins) == set(gate.DEFAULT_PINNED[(r.evaluation, r.fmt)])


# -- end to end on the real gold files ----------------------------------------------------


def _need_shared() -> None:
    if not GOLD.is_dir():
        pytest.skip(f"{GOLD} is absent (../shared is not checked out)")


@pytest.mark.slow
def test_cli_events_on_the_first_rows_of_each_gold_file() -> None:
    _need_shared()
    for fmt in eve.FORMATS:
        res = run_events("--gold", str(GOLD / f"{fmt}_dev.csv"), "--format", fmt,
                         "--limit", "15", "--json")
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["n"] == 15 and out["errors"] == 0
        keys = ["coverage", "source_overlap", "gold_source_in_text"] + [
            eve.FIGURE_OF.get(c, c) for c in eve.CHECKS[fmt]]
        if fmt == "acled":
            keys.append("sub_event_macro_f1")
        for key in keys:
            assert out[key] is None or 0.0 <= out[key] <= 1.0, (fmt, key, out[key])
        assert set(out["targets"]) == set(eve.TARGETS[fmt])
        assert len(out["errors_top"]) <= 10
        if fmt == "acled":
            assert out["date_exact"] <= out["date_within_precision"] <= out["coverage"]
            assert out["sub_event_accuracy"] <= out["coverage"]
            assert sum(sum(row.values()) for row in out["confusion"].values()) == 15
        else:
            assert out["date_within_window"] <= out["coverage"] or out["coverage"] == 0


@pytest.mark.slow
def test_evaluation_gate() -> None:
    """The CI gate: every pinned dev-set score within 2 points of its pin."""
    _need_shared()
    res = CliRunner().invoke(main, ["evaluate", "check", "--pins", str(PINS)])
    print(res.stdout)
    assert res.exit_code == 0, res.stdout + res.stderr


def test_deaths_in_text_is_a_ceiling_on_the_death_count() -> None:
    from frontwatch.evaluate_events import deaths_in_text

    assert deaths_in_text("Three people were killed in Kharkiv", 2, 4)
    assert deaths_in_text("A woman died after shelling of Kherson", 1, 1)
    assert not deaths_in_text("Russia lost 200 soldiers near Bakhmut", 1, 2)
    assert not deaths_in_text("MAIN: the situation around Ukraine", 1, 1)
    assert not deaths_in_text("Ten killed", None, None)
