"""Tests for frontwatch.dates: finding date expressions and resolving them."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontwatch.dates import (
    DateSpan,
    find_date_spans,
    find_dates,
    parse_published,
    week_start,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Publication days used below, with their weekdays so the expectations can be checked by eye.
FRI = date(2023, 3, 31)  # Friday
THU = date(2023, 3, 30)
SAT = date(2022, 9, 10)  # Saturday
MON = date(2022, 9, 12)  # Monday
WED = date(2023, 2, 8)  # Wednesday
JUL17 = date(2023, 7, 17)  # Monday


def found(text: str, published: date | None) -> list[tuple[str, date, int]]:
    return [(m.text, m.value, m.precision) for m in find_dates(text, published)]


def spans(text: str, published: date | None) -> dict[str, DateSpan]:
    return {s.mention.text: s for s in find_date_spans(text, published)}


def only(text: str, published: date | None) -> tuple[date, int]:
    result = find_dates(text, published)
    assert len(result) == 1, result
    return result[0].value, result[0].precision


# --------------------------------------------------------------------------- absolute


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The depot burned on February 7, 2023, officials said.", date(2023, 2, 7)),
        ("Shelling resumed on 7 February 2023 near the river.", date(2023, 2, 7)),
        ("Troops crossed the river on Feb. 7, 2023.", date(2023, 2, 7)),
        ("It was announced on 2023-02-07 by the ministry.", date(2023, 2, 7)),
        ("The report dated 25/12/2022 was leaked.", date(2022, 12, 25)),
        ("The report dated 12/25/2022 was leaked.", date(2022, 12, 25)),
        ("The order of 07.02.2023 was signed.", date(2023, 2, 7)),
        ("The order of 2023/02/07 was signed.", date(2023, 2, 7)),
        ("Fighting started on the 24th of February 2022.", date(2022, 2, 24)),
        ("Fighting started on February 24th, 2022.", date(2022, 2, 24)),
        ("Fighting started on FEBRUARY 24, 2022.", date(2022, 2, 24)),
    ],
)
def test_absolute_dates_with_year(text: str, expected: date) -> None:
    assert only(text, WED) == (expected, 1)
    assert only(text, None) == (expected, 1)  # a date with its year needs no publication date


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The mayor spoke on February 7 about the losses.", WED, date(2023, 2, 7)),
        ("The mayor spoke on 7 February about the losses.", WED, date(2023, 2, 7)),
        ("Units regrouped on Dec. 20 west of the town.", date(2022, 12, 27), date(2022, 12, 20)),
        ("Units regrouped on Dec. 20 west of the town.", date(2023, 1, 3), date(2022, 12, 20)),
        ("The offensive opened on August 29 in the south.", SAT, date(2022, 8, 29)),
        ("A convoy was hit Sept. 3 on the highway.", SAT, date(2022, 9, 3)),
    ],
)
def test_month_day_takes_the_year_before_publication(
    text: str, published: date, expected: date
) -> None:
    assert only(text, published) == (expected, 1)


def test_month_day_allows_two_days_after_publication() -> None:
    assert only("The attack came on March 2.", date(2023, 3, 1)) == (date(2023, 3, 2), 1)
    assert only("The attack came on March 5.", date(2023, 3, 1)) == (date(2022, 3, 5), 1)


def test_leap_day_without_year_goes_back_to_a_leap_year() -> None:
    assert only("The bridge fell on February 29.", date(2023, 3, 1)) == (date(2020, 2, 29), 1)


def test_month_day_with_relative_year() -> None:
    text = "The village was taken on February 7 last year."
    assert only(text, date(2023, 3, 1)) == (date(2022, 2, 7), 1)
    assert found(text, None) == []


def test_impossible_dates_are_skipped() -> None:
    assert found("The plan was dated February 30, 2023.", WED) == []
    assert found("The plan was dated 31/31/2023.", WED) == []


def test_weekday_before_a_date_is_part_of_it() -> None:
    result = found("The strike came on Thursday, Feb. 9, 2023, at dawn.", WED)
    assert result == [("Thursday, Feb. 9, 2023", date(2023, 2, 9), 1)]


def test_overnight_before_a_date_belongs_to_the_date() -> None:
    result = found("Drones hit the depot overnight on August 13-14.", date(2022, 8, 15))
    assert result == [("overnight on August 13", date(2022, 8, 13), 1)]


def test_ambiguous_numeric_date_needs_the_publication_date() -> None:
    text = "The decree of 07/02/2023 was published."
    # 2 July is in the future of a piece from 8 February: only 7 February remains.
    assert only(text, WED) == (date(2023, 2, 7), 1)
    assert found(text, None) == []
    assert found(text, date(2023, 12, 1)) == []  # both readings possible


def test_absolute_dates_keep_their_offsets() -> None:
    text = "After Feb. 7 and 9 March 2023, nothing."
    for m in find_dates(text, WED):
        assert text[m.start : m.end] == m.text


def test_future_absolute_date_is_marked() -> None:
    text = "Elections are planned for March 31, 2024, the council said."
    (span,) = find_date_spans(text, date(2023, 6, 1))
    assert span.future and not span.relative
    assert span.mention.value == date(2024, 3, 31)
    assert find_dates(text, date(2023, 6, 1)) == ()


# --------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "Kupiansk, population 30,000, was shelled.",
        "Soldiers of the 92nd Mechanized Brigade posed with a flag.",
        "The entire 1,300-kilometer front line is active.",
        "Ukraine controls 52% of the region.",
        "Before the war, this number was 1.8 million.",
        "Between 20.000 and 30.000 soldiers were killed or injured.",
        "The war began in 2022.",
        "Russia may attack again, and troops march on the city.",
        "The Sunday Times reported heavy losses.",
        "Churches were full on Good Friday.",
        "The 3rd Assault Brigade holds the line along highway M-03.",
        "He scored 12/25 in the test and 3.5 points.",
        "In the month of Ramadan talks stalled.",
        "Authorities said the town was calm.",
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert found(text, WED) == []


def test_month_followed_by_a_quantity_is_not_a_day() -> None:
    result = found("In May 7,000 troops arrived.", date(2023, 6, 1))
    assert result == [("In May", date(2023, 5, 1), 3)]


def test_lower_case_month_abbreviations_are_not_months() -> None:
    assert found("Nothing could mar 7 years of work, and dec 5 is no date.", WED) == []
    assert found("It happened on june 5.", WED) == [("june 5", date(2022, 6, 5), 1)]


def test_bare_month_without_context_is_skipped() -> None:
    assert found("March was cold, and May brought rain.", WED) == []


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "published", "expected", "surface"),
    [
        ("The institute reported Thursday that it stalled.", FRI, date(2023, 3, 30), "Thursday"),
        ("Kyiv said on Thursday it held the line.", FRI, date(2023, 3, 30), "Thursday"),
        ("The army informed this Saturday of it.", SAT, date(2022, 9, 10), "this Saturday"),
        ("The town was shelled on Friday.", FRI, date(2023, 3, 31), "Friday"),
        ("The town was shelled on Saturday.", FRI, date(2023, 3, 25), "Saturday"),
        ("Sirens sounded Saturday night.", MON, date(2022, 9, 10), "Saturday night"),
        ("He spoke early Monday morning.", MON, date(2022, 9, 12), "early Monday morning"),
        ("Strikes continued late on Sunday.", MON, date(2022, 9, 11), "late on Sunday"),
        ("The mayor resigned last Tuesday.", date(2022, 9, 15), date(2022, 9, 13), "last Tuesday"),
        ("A SUNDAY raid hit the port.", MON, date(2022, 9, 11), "SUNDAY"),
    ],
)  # fmt: skip
def test_weekdays_resolve_backwards(
    text: str, published: date, expected: date, surface: str
) -> None:
    assert found(text, published) == [(surface, expected, 1)]


def test_last_weekday_on_that_weekday_means_a_week_ago() -> None:
    assert only("The mayor resigned last Tuesday.", date(2022, 9, 13)) == (date(2022, 9, 6), 1)


def test_next_weekday_is_future() -> None:
    text = "Talks will resume next Monday in Istanbul."
    assert find_dates(text, FRI) == ()
    span = spans(text, FRI)["next Monday"]
    assert span.future and span.relative
    assert span.mention.value == date(2023, 4, 3)


def test_weekdays_need_a_publication_date() -> None:
    assert found("The town was shelled on Saturday.", None) == []
    assert find_date_spans("Talks resume next Monday.", None) == ()


# --------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("The ministry said today that the attack failed.", 0),
        ("Explosions were heard this morning in the port.", 0),
        ("Drones struck the city overnight.", 0),
        ("Air defence was active tonight.", 0),
        ("The general said yesterday that reserves arrived.", -1),
        ("Shelling went on late last night.", -1),
        ("The bridge was hit the day before yesterday.", -2),
        ("The bridge was hit three days ago.", -3),
        ("The bridge was hit 2 days ago.", -2),
        ("Yesterday Evening the power failed.", -1),
    ],
)
def test_day_words(text: str, offset: int) -> None:
    (m,) = find_dates(text, FRI)
    assert (m.value - FRI).days == offset
    assert m.precision == 1


def test_today_as_a_noun_is_skipped() -> None:
    assert found("The realities of today weigh on the children.", FRI) == []


def test_anaphoric_days_are_skipped() -> None:
    text = "Kyrylenko spoke on February 7. The army said on the same day that fighting continued."
    assert found(text, WED) == [("February 7", date(2023, 2, 7), 1)]
    for phrase in ("the next day", "that day", "two days later", "the following week"):
        assert found(f"The town fell {phrase}.", WED) == []


def test_hours() -> None:
    # A day's tally (the General Staff's morning summary) counts the day before.
    assert only("Over the past 24 hours the town was shelled.", FRI) == (THU, 1)
    for tally in ("in a day", "per day", "over the past day", "in 24 hours", "for the day"):
        assert only(f"The enemy lost 40 soldiers {tally}.", FRI) == (THU, 1), tally
    assert found("They walked for a day or two.", FRI) == []
    assert only("In the past few hours sirens sounded.", FRI) == (FRI, 1)
    assert only("In the last 48 hours the enemy advanced.", FRI) == (FRI, 2)


def test_weekday_forms_that_are_not_a_day() -> None:
    assert found("Markets close on Saturdays.", FRI) == []
    assert found("Monday's attack killed two.", FRI) == [("Monday", date(2023, 3, 27), 1)]


def test_tomorrow_is_future() -> None:
    text = "The council will meet tomorrow."
    assert find_dates(text, FRI) == ()
    assert spans(text, FRI)["tomorrow"].future


def test_day_words_need_a_publication_date() -> None:
    assert found("The general said yesterday that reserves arrived.", None) == []


# --------------------------------------------------------------------------- weeks


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Earlier this week the commander visited the front.", FRI, FRI),
        ("The president visited the front this week.", FRI, FRI),
        ("Advances slowed in recent days, analysts said.", FRI, FRI),
        ("Over the past few days, the enemy regrouped.", FRI, FRI),
        ("The brigade rotated out last week.", FRI, date(2023, 3, 20)),
        ("Ferries stopped two weeks ago.", FRI, date(2023, 3, 17)),
        ("Strikes intensified over the weekend.", MON, date(2022, 9, 10)),
        ("Strikes intensified over the weekend.", SAT, date(2022, 9, 10)),
        ("Strikes intensified last weekend.", MON, date(2022, 9, 10)),
    ],
)
def test_week_expressions(text: str, published: date, expected: date) -> None:
    assert only(text, published) == (expected, 2)


def test_last_week_of_a_month_is_that_month() -> None:
    assert found("In the last week of February, the town fell.", WED) == [
        ("In the last week of February", date(2023, 2, 1), 3)
    ]


def test_next_week_is_future() -> None:
    span = spans("The talks continue next week.", FRI)["next week"]
    assert span.future and span.kind == "week"
    assert span.mention.value == date(2023, 4, 3)


# --------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The ministry reported last month that it was hard.", JUL17, date(2023, 6, 1)),
        ("The ministry said last month that it was hard.", date(2023, 1, 10), date(2022, 12, 1)),
        ("The town was captured in March.", JUL17, date(2023, 3, 1)),
        ("The town was captured in March.", date(2023, 2, 1), date(2022, 3, 1)),
        ("The town was captured in March 2022.", JUL17, date(2022, 3, 1)),
        ("It had been held since the end of February.", SAT, date(2022, 2, 1)),
        ("It has been under Russian rule since the end of March.", SAT, date(2022, 3, 1)),
        ("Reinforcements came at the beginning of March.", FRI, date(2023, 3, 1)),
        ("Reinforcements came in early March.", FRI, date(2023, 3, 1)),
        ("Reinforcements came in mid-March.", FRI, date(2023, 3, 1)),
        ("Reinforcements came in late March.", FRI, date(2023, 3, 1)),
        ("Reinforcements came last March.", FRI, date(2022, 3, 1)),
        ("Strikes grew earlier this month.", FRI, date(2023, 3, 1)),
        ("Kyiv was attacked like in February 2022.", WED, date(2022, 2, 1)),
        ("Kyiv was attacked in Feb. 2022.", WED, date(2022, 2, 1)),
        ("He was appointed in mid-June 2022.", WED, date(2022, 6, 1)),
        ("Units moved two months ago.", FRI, date(2023, 1, 1)),
    ],
)  # fmt: skip
def test_month_expressions(text: str, published: date, expected: date) -> None:
    assert only(text, published) == (expected, 3)


def test_month_lists_share_a_year() -> None:
    text = "Fewer advances came in November and December than in the month of October."
    assert found(text, date(2022, 12, 27)) == [
        ("in November", date(2022, 11, 1), 3),
        ("December", date(2022, 12, 1), 3),
        ("in the month of October", date(2022, 10, 1), 3),
    ]
    assert found("Fighting raged between March and May 2022.", WED) == [
        ("between March", date(2022, 3, 1), 3),
        ("May 2022", date(2022, 5, 1), 3),
    ]


def test_month_with_year_needs_no_publication_date() -> None:
    assert found("It was seized in February 2022.", None) == [
        ("in February 2022", date(2022, 2, 1), 3)
    ]
    assert found("It was seized in February.", None) == []


def test_last_month_is_relative_and_not_future() -> None:
    span = spans("The ministry reported last month.", FRI)["last month"]
    assert span.kind == "month" and span.relative and not span.future


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "published", "expected", "future"),
    [
        ("Fighting has gone on since last summer.", FRI, date(2022, 6, 1), False),
        ("Fighting has gone on since last summer.", date(2022, 10, 1), date(2022, 6, 1), False),
        ("No offensive has succeeded since January.", FRI, date(2023, 1, 1), False),
        ("Areas retaken in last year's counterattack were lost.", WED, date(2022, 1, 1), False),
        ("Russia stepped up its offensive in recent weeks.", WED, date(2023, 1, 11), False),
        ("Throughout the past month both sides clashed.", JUL17, date(2023, 6, 17), False),
        ("A counteroffensive is expected this summer.", FRI, date(2023, 6, 1), True),
        ("Ukraine pushed east in the summer of 2022.", FRI, date(2022, 6, 1), False),
        ("Russia may attack in winter 2023.", date(2022, 12, 15), date(2023, 1, 1), True),
    ],
)  # fmt: skip
def test_periods_are_marked_and_not_event_dates(
    text: str, published: date, expected: date, future: bool
) -> None:
    (span,) = find_date_spans(text, published)
    assert span.kind == "period"
    assert span.mention.value == expected and span.mention.precision == 3
    assert span.future is future
    assert find_dates(text, published) == ()


def test_coming_weeks_are_future() -> None:
    (span,) = find_date_spans("Russia will attack in the coming weeks.", FRI)
    assert span.future


# --------------------------------------------------------------------------- whole texts


def test_several_mentions_sorted_and_consistent() -> None:
    text = (
        "Russia shelled the town on Tuesday and again yesterday. Last month the front was "
        "quiet; on February 7, 2023 it was not. In recent days the enemy regrouped."
    )
    result = find_dates(text, FRI)
    assert [m.text for m in result] == [
        "Tuesday",
        "yesterday",
        "Last month",
        "February 7, 2023",
        "In recent days",
    ]
    assert [m.value for m in result] == [
        date(2023, 3, 28),
        date(2023, 3, 30),
        date(2023, 2, 1),
        date(2023, 2, 7),
        FRI,
    ]
    for m in result:
        assert text[m.start : m.end] == m.text


def test_published_none_keeps_only_absolute_dates() -> None:
    text = "On February 7, 2023 and on Thursday, yesterday, last month and on March 3 it rained."
    assert found(text, None) == [("February 7, 2023", date(2023, 2, 7), 1)]
    assert all(not s.relative for s in find_date_spans(text, None))


def test_empty_and_dateless_text() -> None:
    assert find_dates("", FRI) == ()
    assert find_dates("The front line did not move.", FRI) == ()


# --------------------------------------------------------------------------- week_start


def test_week_start() -> None:
    assert week_start(date(2022, 9, 12)) == date(2022, 9, 12)  # a Monday
    assert week_start(date(2022, 9, 18)) == date(2022, 9, 12)  # a Sunday
    assert week_start(date(2023, 1, 1)) == date(2022, 12, 26)


# --------------------------------------------------------------------------- parse_published


@pytest.mark.parametrize(
    "value",
    [
        "2023-07-17",
        " 2023-07-17 ",
        "2023-07-17T10:00:00Z",
        "2023-07-17T23:30:00-05:00",
        "2023-07-17T10:00:00.123456789Z",
        "2023-07-17 10:00",
        "20230717",
        "2023/07/17",
        "Mon, 17 Jul 2023 10:00:00 GMT",
        "Mon, 17 Jul 2023 10:00:00 +0300",
        "17/07/2023",
        "17.07.2023",
        "07/17/2023",
        "July 17, 2023",
        "Monday, July 17, 2023",
        "17 July 2023",
        "17th of July 2023",
        "17 JUL 2023 10:00",
    ],
)
def test_parse_published_formats(value: str) -> None:
    assert parse_published(value) == date(2023, 7, 17)


def test_parse_published_is_day_first_when_ambiguous() -> None:
    assert parse_published("07/02/2023") == date(2023, 2, 7)


@pytest.mark.parametrize(
    "value",
    ["", "   ", "garbage", "2023-02-30", "31/31/2023", "0001-01-01", "Mon, 99 Jul 2023", "x" * 500],
)
def test_parse_published_garbage(value: str) -> None:
    assert parse_published(value) is None


def test_parse_published_none_and_non_strings() -> None:
    assert parse_published(None) is None
    assert parse_published(12345) is None  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_published_never_raises(value: str) -> None:
    result = parse_published(value)
    assert result is None or isinstance(result, date)


# --------------------------------------------------------------------------- robustness

_WORDS = st.sampled_from(
    [
        "on", "the", "in", "last", "this", "next", "since", "end", "of", "early", "mid-",
        "February", "Feb.", "May", "march", "7", "24th", "2023", "1,300", "30.000", "07/02/2023",
        "2023-02-07", "Thursday", "night", "day", "week", "weekend", "month", "year", "ago",
        "two", "a", "few", "same", "yesterday", "today", "recent", "days", "summer", ",", ".",
        "\u00a0", "\n", "İ", "ß", "٢٠٢٣",
    ]
)  # fmt: skip


def _check_invariants(text: str, published: date | None) -> None:
    result = find_date_spans(text, published)
    last_end = -1
    for s in result:
        m = s.mention
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end  # sorted and not overlapping
        last_end = m.end
        assert m.precision in (1, 2, 3)
        assert s.kind in ("point", "week", "month", "period")
        if published is None:
            assert not s.relative and not s.future
    events = set(find_dates(text, published))
    assert events == {s.mention for s in result if not s.future and s.kind != "period"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.one_of(st.none(), st.dates()))
def test_random_text_never_breaks(text: str, published: date | None) -> None:
    _check_invariants(text, published)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_WORDS, max_size=40).map(" ".join),
    st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 1))),
)
def test_date_like_word_soup_never_breaks(text: str, published: date | None) -> None:
    _check_invariants(text, published)


@pytest.mark.parametrize(
    "unit",
    [" ", "1", "1,", "the ", "day ", "07/02/", "2023-", "a\u00a0few\u00a0", "İstanbul May "],
)
def test_one_megabyte_of_hostile_text_is_linear(unit: str) -> None:
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    start = time.perf_counter()
    find_date_spans(text, WED)
    # Catastrophic backtracking would take minutes; linear work takes about a second.
    assert time.perf_counter() - start < 20


@pytest.mark.parametrize(
    "unit",
    [
        "in the past few days ",
        "February 7, ",
        "7 February ",
        "since the end of the month of March ",
        "last Thursday night ",
    ],
)
def test_text_made_only_of_dates_is_linear(unit: str) -> None:
    # Every few characters is a date here, so even linear work is heavy: 100 kB is enough
    # to show that nothing explodes.
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    start = time.perf_counter()
    result = find_date_spans(text, WED)
    assert time.perf_counter() - start < 20
    assert len(result) > 1000


def _seed(name_prefix: str) -> tuple[str, date]:
    seeds = SHARED / "seeds"
    if not (seeds / "meta.jsonl").is_file():
        pytest.skip(f"seed articles not available at {seeds}")
    for line in (seeds / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["file"].startswith(name_prefix):
            text = (seeds / meta["file"]).read_text(encoding="utf-8")
            return text, date.fromisoformat(meta["published"])
    pytest.skip(f"seed {name_prefix} not listed in {seeds / 'meta.jsonl'}")


@pytest.mark.parametrize(
    ("seed", "surface", "value", "precision"),
    [
        ("000", "last month", date(2023, 6, 1), 3),
        ("001", "Thursday", date(2023, 3, 30), 1),
        ("001", "Earlier this week", date(2023, 3, 31), 2),
        ("002", "Dec. 20", date(2022, 12, 20), 1),
        ("002", "in recent days", date(2022, 12, 27), 2),
        ("003", "this Saturday", date(2022, 9, 10), 1),
        ("003", "August 29", date(2022, 8, 29), 1),
        ("003", "since the end of February", date(2022, 2, 1), 3),
        ("003", "since the end of March", date(2022, 3, 1), 3),
        ("004", "February 7", date(2023, 2, 7), 1),
        ("004", "in February 2022", date(2022, 2, 1), 3),
    ],
)
def test_seed_articles(seed: str, surface: str, value: date, precision: int) -> None:
    text, published = _seed(seed)
    mentions = {m.text: m for m in find_dates(text, published)}
    assert surface in mentions, sorted(mentions)
    assert (mentions[surface].value, mentions[surface].precision) == (value, precision)


def test_seed_articles_have_no_number_read_as_a_date() -> None:
    for seed in ("000", "001", "002", "003", "004"):
        text, published = _seed(seed)
        for m in find_dates(text, published):
            assert not m.text[:1].isdigit(), m
