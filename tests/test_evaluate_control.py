"""Control evaluation on hand-built tables and timelines (no model)."""

from __future__ import annotations

import io
from datetime import date

from frontwatch.evaluate_control import TableChange, parse_corpus, parse_table, score
from frontwatch.fuse.control import Interval, Observation, Timeline
from frontwatch.records import Place

TABLE = """oblast_section,name,population,raion,held_by_raw,held_by,as_of,notes
Chernihiv Oblast,Horodnia,"11,710",Chernihiv,x,UA,2 Apr 2022,\
"Captured by 🇷🇺 25 February 2022. Recaptured by 🇺🇦 2 April 2022."
Kharkiv Oblast,Kupiansk,"26,000",Kupiansk,x,UA,10 Sep 2022,\
"Captured by 🇷🇺 27 February 2022. Recaptured by 🇺🇦 10 September 2022."
Kyiv Oblast,Irpin,"60,000",Bucha,x,UA,28 Mar 2022,
"""
HORODNIA = Place(1, "Horodnia", 51.9, 31.6, "UA", "settlement", "UA.02", "Chernihiv")
KUPIANSK = Place(2, "Kupiansk", 49.7, 37.6, "UA", "settlement", "UA.07", "Kharkiv")


def _iv(holder: str, start: date, change: bool = True) -> Interval:
    obs = (Observation(start, "change" if change else "state", holder, "e", "a", ()),)  # type: ignore[arg-type]
    return Interval(holder, start, None, "claimed", (), obs)  # type: ignore[arg-type]


def test_table_notes_become_dated_changes() -> None:
    changes = parse_table(io.StringIO(TABLE))
    assert [(c.name, c.holder, c.day) for c in changes] == [
        ("Horodnia", "russia", date(2022, 2, 25)), ("Horodnia", "ukraine", date(2022, 4, 2)),
        ("Kupiansk", "russia", date(2022, 2, 27)), ("Kupiansk", "ukraine", date(2022, 9, 10))]
    assert changes[0].oblast == "Chernihiv"


def test_corpus_rows_without_text_are_skipped() -> None:
    rows = parse_corpus(io.StringIO('24-02-2022,\n25-02-2022,"Russian forces advanced."\n'))
    assert [(r.day, r.text) for r in rows] == [(date(2022, 2, 25), "Russian forces advanced.")]


def test_recall_and_unsupported_changes() -> None:
    changes = parse_table(io.StringIO(TABLE))
    places = {c: (HORODNIA if c.name == "Horodnia" else KUPIANSK) for c in changes}
    tls = {
        1: Timeline(HORODNIA, (_iv("russia", date(2022, 2, 26)), _iv("ukraine", date(2022, 4, 9)))),
        2: Timeline(KUPIANSK, (_iv("ukraine", date(2022, 6, 1)),
                               _iv("ukraine", date(2022, 9, 11)))),
    }
    res = score(changes, places, tls, frozenset({1, 2}), (date(2022, 2, 24), date(2022, 12, 31)),
                days=3)
    assert res["changes_scored"] == 4
    assert res["changes_found"] == 2  # Horodnia's capture and Kupiansk's recapture
    # Horodnia "recaptured" a week late agrees with the table's holder then; Kupiansk
    # Ukrainian in June does not (the table has it Russian from February to September).
    assert res["unsupported"] == 1
    assert res["changes_ours_at_table_settlements"] == 4


def test_changes_outside_the_period_or_unnamed_are_not_scored() -> None:
    ch = TableChange("Horodnia", "Chernihiv", "russia", date(2022, 2, 25))
    res = score([ch], {ch: HORODNIA}, {}, frozenset(), (date(2022, 3, 1), date(2022, 4, 1)), 3)
    assert res["changes_scored"] == 0 and res["recall"] is None


def test_table_notes_in_their_other_forms() -> None:
    rows = """oblast_section,name,population,raion,held_by_raw,held_by,as_of,notes
Luhansk Oblast,Popasna,1,x,x,RU,x,"Recaptured by 🇺🇦 22 July 2014. \
Recaptured by 🇷🇺/ Luhansk People's Republic 7 May 2022"
Luhansk Oblast,Lysychansk,1,x,x,RU,x,"Recaptured by 🇷🇺 Russia/ Luhansk People's Republic \
2 July 2022."
Kharkiv Oblast,Izium,1,x,x,UA,x,"Captured by 🇷🇺 27 March 2022. Recaptured by 🇺🇦 by \
10 September 2022"
Kharkiv Oblast,Vilshana,1,x,x,UA,x,"Captured by 🇷🇺 on March 1 2022"
Kharkiv Oblast,Balakliia,1,x,x,UA,x,"Captured by 🇷🇺 3 March 2022. Recaptured by 🇺🇦 8 September"
Kharkiv Oblast,Husarivka,1,x,x,UA,x,"Captured by 🇷🇺 in 2022. Recaptured by 🇺🇦 26/27 March 2022"
Kharkiv Oblast,Studenok,1,x,x,RU,x,"Captured by 🇷🇺 March 2022"
Luhansk Oblast,Zolotarivka,1,x,x,RU,x,"Captured by 🇷🇺/ Luhansk People's Republic 4 July \
2022. Claimed recaptured by 🇺🇦 21 October 2022, but not verified"
"""
    got = [(c.name, c.holder, c.day) for c in parse_table(io.StringIO(rows))]
    assert got == [
        ("Popasna", "ukraine", date(2014, 7, 22)), ("Popasna", "russia", date(2022, 5, 7)),
        ("Lysychansk", "russia", date(2022, 7, 2)),
        ("Izium", "russia", date(2022, 3, 27)), ("Izium", "ukraine", date(2022, 9, 10)),
        ("Vilshana", "russia", date(2022, 3, 1)),
        # no year: the year of the note before
        ("Balakliia", "russia", date(2022, 3, 3)), ("Balakliia", "ukraine", date(2022, 9, 8)),
        ("Husarivka", "ukraine", date(2022, 3, 26)),
        # "March 2022" has no day to score to; an unverified claim is no change
        ("Zolotarivka", "russia", date(2022, 7, 4))]


def test_a_side_holding_on_after_a_contest_is_no_change_found() -> None:
    ch = TableChange("Kupiansk", "Kharkiv", "ukraine", date(2022, 9, 10))
    fight = Observation(date(2022, 9, 1), "fighting", "contested", "e", "a", ())
    resumed = Interval("ukraine", date(2022, 9, 9), None, "claimed", (),
                       (Observation(date(2022, 6, 1), "change", "ukraine", "e", "a", ()),))
    t = Timeline(KUPIANSK, (_iv("ukraine", date(2022, 6, 1)),
                            Interval("contested", date(2022, 9, 1), date(2022, 9, 8), "claimed",
                                     (), (fight,)), resumed))
    res = score([ch], {ch: KUPIANSK}, {2: t}, frozenset({2}),
                (date(2022, 2, 24), date(2022, 12, 31)), 3, {2: [date(2022, 9, 11)]})
    assert res["changes_found"] == 0 and res["changes_reported_near"] == 1
    assert res["changes_ours_at_table_settlements"] == 1  # June's, not September's
