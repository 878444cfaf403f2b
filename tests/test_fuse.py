"""Fusion on hand-built records: duplicates, one event from many reports, control."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from frontwatch.fuse import dedup
from frontwatch.fuse.control import observations, timeline, timelines
from frontwatch.fuse.events import fuse_events, same_event, window
from frontwatch.records import Claim, Event, Mention, Place, Source

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BAKHMUT = Place(713174, "Bakhmut", 48.5956, 37.9999, "UA", "settlement", "UA.05", "Donetsk")
KLISHCHIIVKA = Place(707000, "Klishchiivka", 48.5330, 37.9700, "UA", "settlement", "UA.05",
                     "Donetsk")
KHERSON = Place(706448, "Kherson", 46.6354, 32.6169, "UA", "settlement", "UA.08", "Kherson")

STORY = ("Russian forces shelled the centre of Bakhmut on Monday, killing two civilians and "
         "damaging a school and several apartment blocks, the regional governor said on "
         "Telegram. Rescue teams were still searching the rubble in the evening, and the "
         "city's remaining residents were urged to leave while the roads stayed open.")


def _ev(eid: str, place: Place = BAKHMUT, day: date = date(2023, 2, 6), prec: int = 1,
        side: str = "russia", sub: str = "Shelling/artillery/missile attack",
        source: str = "Pavlo Kyrylenko", article: str = "a1", gp: int = 1,
        movement: str | None = None, affiliation: str = "ukraine_gov",
        evidence: str = "e") -> Event:
    return Event(event_id=eid, article_id=article, article=f"{article}.txt", event_date=day,
                 time_precision=prec, event_type="Explosions/Remote violence",
                 sub_event_type=sub, actor1="Military Forces of Russia (2000-)",
                 side1=side,  # type: ignore[arg-type]
                 location=Mention(place.name, 0, len(place.name), place, gp, 1.0),
                 evidence=evidence, evidence_start=0, evidence_end=len(evidence),
                 movement=movement,  # type: ignore[arg-type]
                 sources=(Source(source, affiliation),))  # type: ignore[arg-type]


# --- duplicates -------------------------------------------------------------------------


def test_copy_with_other_boilerplate_is_a_near_duplicate() -> None:
    text = (EXAMPLES / "01_kramatorsk_station_strike.txt").read_text(encoding="utf-8")
    copy = text.replace("Sign up here.", "Follow our live coverage.").replace(
        "slammed into", "hit") + "\nDistributed by a partner agency."
    other = (EXAMPLES / "09_hroza_strike_followup.txt").read_text(encoding="utf-8")
    a, b, c = dedup.simhash(text), dedup.simhash(copy), dedup.simhash(other)
    assert a is not None and b is not None and c is not None
    assert dedup.distance(a, b) <= dedup.MAX_DISTANCE
    assert dedup.distance(a, c) > 10 * dedup.MAX_DISTANCE


def test_short_texts_are_not_compared() -> None:
    assert dedup.simhash("Russian forces shelled Bakhmut.") is None


def test_index_finds_the_earliest_original() -> None:
    idx = dedup.DuplicateIndex()
    sig = dedup.simhash(STORY)
    assert sig is not None
    idx.add("first", sig)
    idx.add("second", sig ^ 1)
    assert idx.original_of(sig ^ 2) == "first"
    assert idx.original_of(sig ^ 0xFFFF_0000_0000) is None


def test_signed_round_trip() -> None:
    for sig in (0, 1, (1 << 63), (1 << 64) - 1):
        assert dedup.from_signed(dedup.to_signed(sig)) == sig


# --- events -----------------------------------------------------------------------------


def test_week_precision_report_overlaps_the_day_it_covers() -> None:
    assert window(_ev("x", day=date(2023, 2, 10), prec=2)) == (date(2023, 2, 4), date(2023, 2, 10))
    assert same_event(_ev("a"), _ev("b", day=date(2023, 2, 10), prec=2))
    assert not same_event(_ev("a"), _ev("b", day=date(2023, 2, 20), prec=2))


def test_reports_of_one_strike_fuse_and_count_independent_origins() -> None:
    reports = [_ev("a", article="a1"), _ev("b", article="a2", source="Ukrainian Pulse"),
               _ev("c", article="a3"), _ev("d", article="a4", source="Reuters")]
    # a4 copies a2: a syndicated copy is not a second source.
    (f,) = fuse_events(reports, {"a4": "a2"})
    assert len(f.reports) == 4
    assert f.corroboration == 3  # Kyrylenko once, Ukrainian Pulse, Reuters
    assert {s.name for s in f.sources} == {"Pavlo Kyrylenko", "Ukrainian Pulse", "Reuters"}


def test_different_sides_types_places_or_days_stay_apart() -> None:
    base = _ev("a")
    others = [_ev("b", side="ukraine"), _ev("c", sub="Air/drone strike"),
              _ev("d", place=KHERSON), _ev("e", day=date(2023, 2, 8))]
    assert len(fuse_events([base, *others])) == 5


def test_vague_report_fuses_with_a_nearby_town() -> None:
    near = _ev("b", place=KLISHCHIIVKA, gp=2)
    assert same_event(_ev("a"), near)
    assert not same_event(_ev("a"), _ev("c", place=KLISHCHIIVKA))


def test_acled_rule_groups_by_actors_place_and_day() -> None:
    evs = [_ev("a"), _ev("b", source="Reuters"), _ev("c", prec=2)]
    groups = fuse_events(evs, rule="acled")
    assert sorted(len(g.reports) for g in groups) == [1, 2]


def test_week_precision_reports_do_not_chain_strikes_across_weeks() -> None:
    # Each report overlaps the next (b: 31 Jan-6 Feb, c: 5-11 Feb), but no day is allowed
    # by all: the strikes of 1 and 10 February are two events, not one.
    evs = [_ev("a", day=date(2023, 2, 1)), _ev("b", day=date(2023, 2, 6), prec=2),
           _ev("c", day=date(2023, 2, 11), prec=2), _ev("d", day=date(2023, 2, 10))]
    groups = sorted(sorted(e.event_id for e in f.reports) for f in fuse_events(evs))
    assert groups == [["a", "b"], ["c", "d"]]


@settings(max_examples=60, deadline=None)
@given(st.permutations(list(range(8))))
def test_fusion_does_not_depend_on_input_order(order: list[int]) -> None:
    evs = [_ev("a"), _ev("b", day=date(2023, 2, 10), prec=2), _ev("c", place=KLISHCHIIVKA, gp=2),
           _ev("d", side="ukraine"), _ev("e", day=date(2023, 2, 7)), _ev("f", place=KHERSON),
           _ev("g", day=date(2023, 2, 1), prec=3), _ev("h", article="z", source="Reuters")]
    expected = [(f.fused_id, f.corroboration, f.event.event_id) for f in fuse_events(evs)]
    shuffled = [evs[i] for i in order]
    assert [(f.fused_id, f.corroboration, f.event.event_id)
            for f in fuse_events(shuffled)] == expected


# --- control ----------------------------------------------------------------------------


def _claim(cid: str, holder: str, as_of: date, background: bool = False,
           valid_from: date | None = None, source: str = "ISW") -> Claim:
    return Claim(claim_id=cid, article_id=cid, article=cid, kind="control", evidence="e",
                 evidence_start=0, evidence_end=1, place=BAKHMUT,
                 holder=holder,  # type: ignore[arg-type]
                 side=holder,  # type: ignore[arg-type]
                 valid_from=valid_from, as_of=as_of, background=background,
                 sources=(Source(source, "think_tank"),))


def test_capture_changes_the_holder_and_a_concession_confirms_it() -> None:
    held = _claim("h", "ukraine", date(2023, 3, 1))
    took = _ev("t", day=date(2023, 5, 20), sub="Non-state actor overtakes territory",
               movement="capture", source="Yevgeny Prigozhin", affiliation="russia_gov")
    (t,) = timelines([took], [held])
    assert [(iv.holder, iv.start, iv.end) for iv in t.intervals] == [
        ("ukraine", date(2023, 3, 1), date(2023, 5, 19)), ("russia", date(2023, 5, 20), None)]
    assert t.intervals[1].status == "claimed"
    left = _ev("w", day=date(2023, 5, 21), side="ukraine", movement="withdraw",
               sub="Non-violent transfer of territory", source="Ukrainian General Staff",
               evidence="Ukrainian units withdrew from Bakhmut to new lines.")
    (t,) = timelines([took, left], [held])
    assert t.intervals[-1].holder == "russia" and t.intervals[-1].status == "confirmed"
    assert t.holder_on(date(2023, 4, 1)) == "ukraine"


def test_fighting_at_the_town_makes_it_contested_until_reports_say_otherwise() -> None:
    fights = [_ev(f"f{i}", day=date(2023, 2, d), sub="Armed clash") for i, d in
              enumerate((6, 12))]
    held = _claim("h", "ukraine", date(2023, 3, 20))
    (t,) = timelines(fights, [held])
    assert [iv.holder for iv in t.intervals] == ["contested", "ukraine"]
    assert t.intervals[0].start == date(2023, 2, 6)


def test_vague_places_do_not_change_hands() -> None:
    near = _ev("n", gp=2, sub="Government regains territory", side="ukraine",
               movement="capture")
    assert timelines([near], []) == []


def test_background_capture_holds_by_the_report_date() -> None:
    bg = _claim("b", "russia", date(2023, 7, 17), background=True)
    ((_, obs),) = observations([], [bg]).values()
    t = timeline(BAKHMUT, obs)
    assert t.holder_on(date(2023, 7, 17)) == "russia"


# --- directions -------------------------------------------------------------------------


def test_events_fall_into_the_sector_of_the_nearest_axis_town() -> None:
    from frontwatch.fuse.directions import leader, momentum, sector_of

    assert sector_of(_ev("a")) == "Bakhmut direction"
    assert sector_of(_ev("b", place=KHERSON)) == "Kherson direction"
    far = Place(1, "Lutsk", 50.75, 25.34, "UA", "settlement", "UA.24", "Volyn")
    assert sector_of(_ev("c", place=far)) == "Volyn oblast"
    weeks = momentum([
        _ev("d", sub="Armed clash", movement="advance"),
        _ev("e", sub="Non-state actor overtakes territory", movement="capture",
            day=date(2023, 2, 7)),
        _ev("f", side="ukraine", sub="Armed clash", movement="stalled", day=date(2023, 2, 8)),
    ])
    (week,) = weeks
    assert week.week == date(2023, 2, 6) and week.events == 3
    assert week.advances["russia"] == 2 and leader(week) == "russia"
    assert [p.name for p, _ in week.captures["russia"]] == ["Bakhmut"]


def test_direction_report_escapes_and_tabulates() -> None:
    from frontwatch.report import render_directions

    odd = Place(9, "Bakh<mut>", 48.59, 38.0, "UA", "settlement", "UA.05", "Donetsk")
    text = render_directions([_ev("a", place=odd, sub="Armed clash", movement="capture")])
    assert "## Bakhmut direction" in text and "<mut>" not in text
    assert "| 2023-02-06 | 1 | 1 | 0 |" in text


def test_retreat_to_earlier_positions_hands_over_no_town() -> None:
    back = _ev("r", side="russia", movement="withdraw", sub="Non-violent transfer of territory",
               evidence="Russian forces failed to seize Bakhmut and retreated to previously "
                        "occupied positions.")
    assert timelines([back], []) == []


# --- command line -----------------------------------------------------------------------


def test_control_and_fused_commands_read_the_store(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from frontwatch.cli import main
    from frontwatch.records import Article, ArticleResult, Cleaned
    from frontwatch.store import SQLiteStore

    db = tmp_path / "fw.db"
    took = _ev("t", day=date(2023, 5, 20), sub="Non-state actor overtakes territory",
               movement="capture", source="Yevgeny Prigozhin", affiliation="russia_gov",
               article="a1")
    again = _ev("u", day=date(2023, 5, 20), sub="Non-state actor overtakes territory",
                movement="capture", source="Reuters", affiliation="media", article="a2")
    with SQLiteStore(str(db)) as store:
        for aid, ev in (("a1", took), ("a2", again)):
            art = Article(id=aid, name=f"{aid}.txt", text=f"text {aid}")
            store.save(ArticleResult(article=art, cleaned=Cleaned(f"text {aid}"),
                                     mentions=(ev.location,), events=(ev,)))
    run = CliRunner()
    res = run.invoke(main, ["--db", str(db), "control", "Bakhmut"])
    assert res.exit_code == 0, res.output
    assert "2023-05-20" in res.output and "russia" in res.output and "confirmed" in res.output
    out = tmp_path / "control.jsonl"
    res = run.invoke(main, ["--db", str(db), "control", "--as-of", "2023-06-01",
                            "--export", "jsonl", "-o", str(out)])
    assert res.exit_code == 0, res.output
    (rec,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (rec["holder"], rec["from"], rec["status"]) == ("russia", "2023-05-20", "confirmed")
    res = run.invoke(main, ["--db", str(db), "fused"])
    assert res.exit_code == 0, res.output
    assert "reports=2" in res.output and "1 event(s) from 2 report(s)" in res.output
