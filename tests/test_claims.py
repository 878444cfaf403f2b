"""Quantified claims (casualties, territory shares, quantities) and event fatalities.

The number readers are pure functions; the rest runs hand-written sentences through the
whole pipeline (spaCy loads once per process).
"""

from __future__ import annotations

from datetime import date

import pytest

import frontwatch
from frontwatch.extract.claims import attach_fatalities, find_figures, parse_number
from frontwatch.records import ArticleResult, Claim

PUB = "2023-03-15"  # a Wednesday


# -- number phrases (no spaCy) -------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("1,200", 1200), ("20.000", 20000), ("9,614", 9614), ("1.2 thousand", 1200),
    ("2.5 million", 2_500_000), ("seven", 7), ("twenty-five", 25), ("Ninety-eight", 98),
    ("two hundred and fifty", 250), ("a hundred", 100), ("three thousand", 3000),
    ("a dozen", 12), ("half a dozen", 6), ("12.5", 12.5), ("20k", 20000),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_words() -> None:
    assert parse_number("several people") is None
    assert parse_number("") is None


def _fig(text: str) -> tuple[float | None, float | None, str | None]:
    (f,) = find_figures(text)
    return f.low, f.high, f.qualifier


def test_figure_bounds_and_qualifiers() -> None:
    assert _fig("at least 50 people") == (50, None, "at least")
    assert _fig("more than 30 dead") == (30, None, "more than")
    assert _fig("over 100 wounded") == (100, None, "more than")
    assert _fig("up to 180 servicemen") == (None, 180, "up to")
    assert _fig("about 4,000 people") == (4000, 4000, "about")
    assert _fig("between 10 and 15 soldiers") == (10, 15, "range")
    assert _fig("between 20.000 and 30.000 soldiers") == (20000, 30000, "range")
    assert _fig("10-15 soldiers") == (10, 15, "range")
    assert _fig("two or three civilians") == (2, 3, "range")


def test_vague_counts_take_their_least_value() -> None:
    assert _fig("dozens of civilians") == (24, None, "vague")
    assert _fig("hundreds of people") == (200, None, "vague")
    assert _fig("tens of thousands of troops") == (20_000, None, "vague")


def test_percent_and_non_counts() -> None:
    (f,) = find_figures("Ukraine controls 52% of the region")
    assert f.percent and f.low == 52
    (g,) = find_figures("about 20 per cent of Ukraine")
    assert g.percent and g.low == 20
    # Ordinals, model names, ages and years are no counts.
    assert find_figures("the 58th army") == []
    assert find_figures("an S-300 missile") == []
    assert find_figures("a 65-year-old woman") == []
    assert find_figures("in 2022") == []


# -- casualties through the pipeline -------------------------------------------------------

def _run(text: str, published: str = PUB) -> ArticleResult:
    return frontwatch.extract(text, published=published)


def _casualties(result: ArticleResult) -> list[Claim]:
    return [c for c in result.claims if c.kind == "casualties"]


@pytest.mark.slow
def test_killed_count_becomes_event_fatalities() -> None:
    r = _run("Russian missiles hit Kramatorsk on Tuesday, killing 12 civilians, the regional "
             "governor said.")
    (c,) = _casualties(r)
    assert (c.low, c.high, c.killed_or_injured, c.unit) == (12, 12, False, "people")
    assert c.action == "killed"
    assert c.victims == "civilians" and c.side == "other"
    assert c.place is not None and c.place.name == "Kramatorsk"
    assert c.valid_from == c.valid_to == date(2023, 3, 14) and c.date_precision == 1
    assert not c.cumulative and c.event_id is not None
    (ev,) = [e for e in r.events if e.event_id == c.event_id]
    assert ev.fatalities == 12


@pytest.mark.slow
def test_killed_or_injured_is_flagged_and_never_fatalities() -> None:
    r = _run("Russian shelling of Kherson on Monday killed or injured 15 people, "
             "officials said.")
    (c,) = _casualties(r)
    assert c.killed_or_injured and c.low == 15 and c.action == "killed_or_injured"
    assert all(e.fatalities is None for e in r.events)


@pytest.mark.slow
def test_casualties_word_means_killed_and_wounded() -> None:
    r = _run("Ukraine's military said Russian forces suffered 300 casualties near Bakhmut on "
             "Monday.")
    (c,) = _casualties(r)
    assert c.killed_or_injured and c.low == 300


@pytest.mark.slow
def test_killed_and_wounded_are_separate_claims() -> None:
    r = _run("Two Iskander missiles hit central Kharkiv on Monday, killing three people and "
             "wounding 25 others, the governor said.")
    got = sorted((c.action, c.low) for c in _casualties(r))
    assert got == [("killed", 3), ("wounded", 25)]
    (ev,) = [e for e in r.events if e.location.place.name == "Kharkiv"]
    assert ev.fatalities == 3


@pytest.mark.slow
def test_at_least_and_more_than_are_lower_bounds() -> None:
    r = _run("At least 50 people were killed when a missile hit Kramatorsk on Tuesday. "
             "More than 100 people were wounded.")
    got = {(c.action, c.low, c.high, c.qualifier) for c in _casualties(r)}
    assert ("killed", 50, None, "at least") in got
    assert ("wounded", 100, None, "more than") in got


@pytest.mark.slow
def test_range_per_side_cumulative_since_a_season() -> None:
    r = _run("Western officials estimate that between 20,000 and 30,000 Russian soldiers have "
             "been killed or injured in Bakhmut since last summer.", published="2023-03-31")
    (c,) = _casualties(r)
    assert (c.low, c.high) == (20000, 30000)
    assert c.side == "russia" and c.victims == "military" and c.killed_or_injured
    assert c.cumulative and c.period and c.period.startswith("since")
    assert c.valid_from == date(2022, 6, 1) and c.valid_to == date(2023, 3, 31)
    assert c.event_id is None


@pytest.mark.slow
def test_ukrainian_troops_side() -> None:
    r = _run("Russia's Defence Ministry said 40 Ukrainian troops were killed near Avdiivka on "
             "Monday.")
    (c,) = _casualties(r)
    assert c.side == "ukraine" and c.victims == "military" and c.low == 40


@pytest.mark.slow
def test_six_month_estimate_is_never_one_days_fatalities() -> None:
    r = _run("Russian artillery shelled Kherson on Tuesday. Over the past six months, 400 "
             "civilians have been killed in the Kherson region, the governor said.")
    (c,) = _casualties(r)
    assert c.cumulative and c.low == 400 and c.event_id is None
    assert c.valid_from is not None and c.valid_from < date(2022, 10, 1)
    assert all(e.fatalities is None for e in r.events)


@pytest.mark.slow
def test_period_between_two_dates() -> None:
    r = _run("The UN says it has verified 9,614 civilian deaths in Ukraine between "
             "24 February 2022 and 10 September 2023.", published="2023-10-12")
    (c,) = _casualties(r)
    assert c.cumulative and c.low == 9614
    assert (c.valid_from, c.valid_to) == (date(2022, 2, 24), date(2023, 9, 10))
    assert c.place is not None and c.place.kind == "country"


@pytest.mark.slow
def test_past_week_is_a_period() -> None:
    r = _run("In the past week, 35 civilians were killed by Russian shelling in the Donetsk "
             "region, officials said.")
    (c,) = _casualties(r)
    assert c.cumulative and c.low == 35
    assert c.valid_from == date(2023, 3, 8)


@pytest.mark.slow
def test_risen_toll_supersedes_the_first_and_wins() -> None:
    r = _run("A Russian missile hit an apartment block in Dnipro on Saturday, killing 12 "
             "people. The death toll has since risen to 40, officials said.",
             published="2023-01-16")
    tolls = sorted(_casualties(r), key=lambda c: c.evidence_start)
    assert [c.low for c in tolls] == [12, 40]
    assert tolls[0].superseded and not tolls[1].superseded
    assert tolls[0].event_id == tolls[1].event_id
    (ev,) = [e for e in r.events if e.event_id == tolls[1].event_id]
    assert ev.fatalities == 40


@pytest.mark.slow
def test_newest_first_live_blog_keeps_the_highest_toll() -> None:
    text = ("14:30 UPDATE: the number of dead in the building hit in Mykolaiv overnight has "
            "risen to seven, the governor said.\n\n"
            "08:10\nOvernight, a Russian missile struck an apartment building in Mykolaiv. "
            "Two people were confirmed dead, the governor said.")
    r = _run(text, published="2022-11-11")
    by_low = {c.low: c for c in _casualties(r) if c.action == "killed"}
    assert by_low[2].superseded and not by_low[7].superseded
    (ev,) = [e for e in r.events if e.location.place.name.startswith("Myko")]
    assert ev.fatalities == 7


@pytest.mark.slow
def test_daily_losses_are_an_aggregate_of_one_day() -> None:
    r = _run("Ukraine's General Staff said Russia had lost 800 soldiers in the past 24 hours.")
    (c,) = _casualties(r)
    assert c.low == 800 and c.side == "russia" and c.killed_or_injured
    # A day's count keeps its period's words but is that day's, not a cumulative figure.
    assert not c.cumulative and c.period == "in the past 24 hours"
    assert c.valid_from == c.valid_to == date(2023, 3, 15)


@pytest.mark.slow
def test_toll_from_a_dated_strike_is_no_period() -> None:
    r = _run("The death toll from Saturday's strike on Dnipro rose to 45, officials said.")
    (c,) = _casualties(r)
    assert not c.cumulative and c.low == 45
    assert c.valid_from == date(2023, 3, 11) and c.date_precision == 1


@pytest.mark.slow
def test_the_day_deaths_occurred_not_the_day_reported() -> None:
    r = _run("The number of people killed in Saturday's attack on Belgorod has risen to 24, "
             "the regional governor said on Sunday.", published="2023-12-31")
    (c,) = _casualties(r)
    assert c.low == 24 and c.valid_from == date(2023, 12, 30) and c.date_precision == 1


@pytest.mark.slow
def test_dozens_is_at_least_24() -> None:
    r = _run("Russian strikes on Kharkiv on Monday killed dozens of civilians, the mayor said.")
    (c,) = _casualties(r)
    assert (c.low, c.high, c.qualifier) == (24, None, "vague")


@pytest.mark.slow
def test_numbers_in_words_and_thousands() -> None:
    r = _run("Ukraine's General Staff said on Tuesday that one thousand two hundred Russian "
             "soldiers were killed near Bakhmut.")
    (c,) = _casualties(r)
    assert c.low == 1200 and c.side == "russia"
    r2 = _run("Officials said on Tuesday that 1.2 thousand Russian soldiers were killed near "
              "Bakhmut.")
    (c2,) = _casualties(r2)
    assert c2.low == 1200


@pytest.mark.slow
def test_people_named_one_by_one_are_counted() -> None:
    r = _run("Russian missiles hit central Kharkiv on Monday, killing a boy and his "
             "grandmother, the governor said.")
    (c,) = _casualties(r)
    assert c.low == 2 and c.action == "killed"


@pytest.mark.slow
def test_subsets_and_ages_are_not_tolls() -> None:
    r = _run("A Russian drone attack on Kharkiv on Monday killed seven people, three of them "
             "children, the governor said.")
    assert [c.low for c in _casualties(r)] == [7]


@pytest.mark.slow
def test_toll_in_a_following_sentence_belongs_to_the_event() -> None:
    r = _run("Russian forces shelled Nikopol on Monday. Two civilians were killed, the "
             "governor said.")
    (c,) = _casualties(r)
    assert c.place is not None and c.place.name == "Nikopol"
    (ev,) = [e for e in r.events if e.location.place.name == "Nikopol"]
    assert c.event_id == ev.event_id and ev.fatalities == 2


@pytest.mark.slow
def test_no_stated_deaths_leave_fatalities_unknown() -> None:
    r = _run("Russian forces shelled Nikopol on Monday, damaging houses, the governor said.")
    assert r.events and all(e.fatalities is None for e in r.events)
    assert _casualties(r) == []


@pytest.mark.slow
def test_claim_attribution_reuses_the_attributor() -> None:
    r = _run("According to the Institute for the Study of War, Russian military bloggers "
             "claimed that 50 Ukrainian soldiers were killed near Bakhmut on Monday.")
    (c,) = _casualties(r)
    names = [s.name for s in c.sources]
    assert "Institute for the Study of War" in names
    assert c.sources[0].affiliation == "military_blogger"
    assert c.modality == "claimed"


@pytest.mark.slow
def test_hypothetical_figure_is_no_claim() -> None:
    r = _run("Officials warned that a breach of the dam could kill 1,000 people.")
    assert _casualties(r) == []


# -- territory shares and quantities -------------------------------------------------------


@pytest.mark.slow
def test_territory_share_of_a_region_with_holder() -> None:
    r = _run("Pavlo Kyrylenko said on Tuesday that Ukraine controls 52% of the Donetsk region.")
    (c,) = [c for c in r.claims if c.kind == "territory_share"]
    assert (c.low, c.high, c.unit, c.holder) == (52, 52, "percent", "ukraine")
    assert c.place is not None and c.place.kind == "region" and c.place.admin1_code == "UA.05"
    assert c.valid_from == date(2023, 3, 14)
    assert c.sources[0].name == "Pavlo Kyrylenko"


@pytest.mark.slow
def test_territory_share_of_a_country() -> None:
    r = _run("Russia controls about 20 percent of Ukraine, the Pentagon said.")
    (c,) = [c for c in r.claims if c.kind == "territory_share"]
    assert c.low == 20 and c.qualifier == "about" and c.holder == "russia"
    assert c.place is not None and c.place.country == "UA"


@pytest.mark.slow
def test_share_of_an_oblast_held() -> None:
    r = _run("Russian forces now hold 99% of the Luhansk region, the governor said.")
    (c,) = [c for c in r.claims if c.kind == "territory_share"]
    assert c.low == 99 and c.holder == "russia"
    assert c.place is not None and c.place.admin1_code == "UA.14"


@pytest.mark.slow
def test_percent_without_control_is_no_share() -> None:
    r = _run("Inflation in Ukraine reached 25% last month, the central bank said.")
    assert not [c for c in r.claims if c.kind == "territory_share"]


@pytest.mark.slow
def test_square_kilometres_recaptured_since_june_is_cumulative() -> None:
    r = _run("Hanna Malyar said Ukrainian forces have recaptured 44 square kilometres around "
             "Bakhmut since early June.", published="2023-08-29")
    (c,) = [c for c in r.claims if c.kind == "quantity"]
    assert (c.low, c.unit, c.action, c.holder) == (44, "km2", "recaptured", "ukraine")
    assert c.cumulative and c.valid_from == date(2023, 6, 1)
    assert c.place is not None and c.place.name == "Bakhmut"


@pytest.mark.slow
def test_settlements_liberated() -> None:
    r = _run("Ukrainian forces liberated 30 settlements in the Kharkiv region on Saturday, "
             "the General Staff said.")
    (c,) = [c for c in r.claims if c.kind == "quantity"]
    assert (c.low, c.unit, c.action, c.holder) == (30, "settlements", "liberated", "ukraine")


@pytest.mark.slow
def test_drones_launched_and_shot_down() -> None:
    r = _run("Ukraine's Air Force said Russia launched 31 Shahed drones overnight and that 23 "
             "of them were shot down.")
    got = sorted((c.action, c.low, c.unit) for c in r.claims if c.kind == "quantity")
    assert got == [("launched", 31, "drones"), ("shot_down", 23, "drones")]


@pytest.mark.slow
def test_counts_without_an_action_are_no_quantity() -> None:
    r = _run("About 53,000 people still live in the Pokrovsk community, officials said.")
    assert [c for c in r.claims if c.kind != "control"] == []


# -- fatalities from claims (no spaCy) ------------------------------------------------------


def _claim(cid: str, low: float, start: int, **kw: object) -> Claim:
    base: dict[str, object] = dict(
        claim_id=cid, article_id="a", article="a", kind="casualties", evidence="e",
        evidence_start=start, evidence_end=start + 1, low=low, high=low, unit="people",
        event_id="ev1")
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


def test_attach_fatalities_rules() -> None:
    from frontwatch.records import Event, Mention, Place

    place = Place(1, "X", 48.0, 37.0, "UA", "settlement")
    ev = Event(event_id="ev1", article_id="a", article="a", event_date=date(2023, 1, 1),
               time_precision=1, event_type="Battles", sub_event_type="Armed clash",
               actor1="x", side1="russia", location=Mention("X", 0, 1, place, 1, 1.0),
               evidence="e", evidence_start=0, evidence_end=1)
    claims = [
        _claim("early", 12, 10),
        _claim("late", 40, 50),
        _claim("soldiers", 3, 50, side="ukraine"),  # same statement, other side: adds up
        _claim("koi", 500, 60, killed_or_injured=True),
        _claim("cum", 900, 70, cumulative=True),
        _claim("wounded", 70, 80, unit="wounded"),
    ]
    events, out = attach_fatalities([ev], claims)
    assert events[0].fatalities == 43
    sup = {c.claim_id for c in out if c.superseded}
    assert sup == {"early"}
    none_events, _ = attach_fatalities([ev], [claims[3], claims[4], claims[5]])
    assert none_events[0].fatalities is None
