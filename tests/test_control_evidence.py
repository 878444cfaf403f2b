"""What counts as a change of hands for the control timelines: the sentence-level checks of
fuse/control_evidence.py and the timeline rules built on them (hand-built inputs, no
model)."""

from __future__ import annotations

from datetime import date

import pytest

from frontwatch.fuse.control import Interval, Observation, Timeline, timelines
from frontwatch.fuse.control_evidence import (
    asserts_capture,
    asserts_withdrawal,
    attack_on,
    defender,
)
from frontwatch.records import Event, Mention, Place, Source

LYMAN = Place(704204, "Lyman", 48.99, 37.80, "UA", "settlement", "UA.05", "Donetsk")


@pytest.mark.parametrize("text", [
    "Ukrainian forces liberated Lyman on October 1.",
    "Russian forces captured Lyman, Yampil, and Torske on May 27.",
    "Lyman was captured by Russian forces on May 27.",
    "Lyman fell to Russian forces on May 27.",
    "The Ukrainian General Staff confirmed that Russian forces seized Lyman.",
    "Ukrainian forces counterattacked on March 26, recapturing Lyman and Husarivka.",
    "The ministry claimed the capture of Lyman.",
    "The army informed of the taking of the town of Lyman.",
    "Ukrainian forces recapture Lyman",  # a headline's present tense
    "Russian forces managed to take Lyman on June 24 after a costly campaign.",
])
def test_asserted_captures(text: str) -> None:
    assert asserts_capture(text, "Lyman")


@pytest.mark.parametrize("text", [
    # intended, expected, hypothetical
    "Lyman (Russian objective: Capture Lyman and reduce the defenders)",
    "Moscow will not prioritize an attack to seize Lyman in this stage.",
    "Ukrainian forces will likely capture or encircle Lyman within 72 hours.",
    "Russia continues efforts to encircle Kyiv and take Lyman.",
    "It reinforces the urgency of helping Ukraine regain control of Lyman.",
    "Sources discussed the likelihood of Russian forces capturing Lyman.",
    "Pushilin claimed that Russian forces are close to capturing Lyman.",
    "The liberation of Lyman is central to the restoration of the economy.",
    # disputed or unverified by the reporter
    "The ministry falsely claimed Russian paratroopers captured Lyman.",
    "Haidai denied reports that Ukrainian forces liberated Lyman.",
    "Kadyrov claimed his troops took full control of Lyman, but ISW is unable to "
    "independently verify this claim.",
    "The General Staff did not confirm that Ukrainian forces liberated Lyman.",
    # something else was taken
    "Ukrainian forces captured two Russian soldiers in Lyman.",
    "Russian troops have taken control of the road that runs from Lyman to Torske.",
    "Russian forces captured portions of Lyman on March 17.",
    "Russian forces reportedly seized the Lyman Regional Hospital.",
    "Wagner fighters took control of a school between Bakhmutske and Lyman.",
    "The capture of Soledar presaged an imminent encirclement of Lyman.",
    "Russian forces stormed Lyman and took control of the entry points to the city.",
    # an adjective, not a report
    "Occupation authorities plan surveys in occupied Lyman.",
    "Officials recaptured “portions of Russian-occupied villages” in Lyman.",
])
def test_captures_not_asserted(text: str) -> None:
    assert not asserts_capture(text, "Lyman")


def test_a_holding_statement_needs_no_verb_of_taking() -> None:
    assert asserts_capture("Lyman remains in Russian hands.", "Lyman", require_verb=False)
    assert not asserts_capture("Russian operations to capture Lyman have culminated.",
                               "Lyman", require_verb=False)


@pytest.mark.parametrize("text, left", [
    ("Ukrainian forces withdrew from Lyman on October 1.", True),
    ("Russian troops abandoned Lyman overnight.", True),
    ("The ministry announced the withdrawal of troops from Lyman on September 10.", True),
    ("Ukrainian forces withdrew westward from Yampil to Lyman.", False),
    ("Ukrainian forces began a withdrawal from Yampil towards Siversk, Lyman and Torske.",
     False),
    ("Ukrainian forces are now apparently withdrawing from Lyman.", False),
    ("Footage shows troops reportedly leaving Lyman.", False),
    ("Occupation officials have left Lyman without heat.", False),
    ("Russian forces prepared for the withdrawal from Lyman.", False),
    ("Troops retreated from the Lyman Oil Refinery after heavy losses.", False),
])
def test_withdrawals(text: str, left: bool) -> None:
    assert asserts_withdrawal(text, "Lyman") is left


def test_a_repelled_attack_on_the_town_tells_who_held_it() -> None:
    text = "Ukrainian forces repelled a Russian assault on Dolyna and Lyman."
    assert attack_on(text, "Lyman")
    assert defender(text, text.index("Lyman"), "russia") == "ukraine"
    # The side named as repelling it, even when the extractor's actor is the defender.
    text = "Ukrainian troops are defending against continual Russian attacks on Lyman."
    assert defender(text, text.index("Lyman"), "ukraine") == "ukraine"
    # An attack that failed, nobody named as repelling it: the other side held it.
    text = "Russian forces conducted unsuccessful assaults on Lyman."
    assert defender(text, text.index("Lyman"), "russia") == "ukraine"
    assert not attack_on("Russian and Ukrainian forces fought in Lyman.", "Lyman")


def _event(text: str, day: date, side: str, movement: str | None, sub: str,
           modality: str = "reported") -> Event:
    at = text.index("Lyman")
    return Event(event_id=f"{day}{side}{movement}", article_id=str(day), article="a",
                 event_date=day, time_precision=1, event_type="Battles", sub_event_type=sub,
                 actor1="x", side1=side,  # type: ignore[arg-type]
                 location=Mention("Lyman", at, at + 5, LYMAN, 1, 1.0), evidence=text,
                 evidence_start=0, evidence_end=len(text),
                 movement=movement,  # type: ignore[arg-type]
                 modality=modality,  # type: ignore[arg-type]
                 sources=(Source("ISW", "think_tank"),))


def test_unasserted_and_denied_captures_change_no_holder() -> None:
    intended = _event("Russian forces launched an attack to seize Lyman.", date(2022, 5, 1),
                      "russia", "capture", "Non-state actor overtakes territory")
    denied = _event("Kyiv denied that Russian forces captured Lyman.", date(2022, 5, 2),
                    "russia", "capture", "Non-state actor overtakes territory", "denied")
    assert timelines([intended, denied], []) == []


def test_a_repelled_assault_is_a_holder_not_a_contest() -> None:
    held = _event("Ukrainian forces repelled a Russian assault on Lyman.", date(2022, 5, 1),
                  "russia", "stalled", "Armed clash")
    took = _event("Russian forces captured Lyman.", date(2022, 5, 27), "russia", "capture",
                  "Non-state actor overtakes territory")
    (t,) = timelines([held, took], [])
    assert [(iv.holder, iv.start) for iv in t.intervals] == [
        ("ukraine", date(2022, 5, 1)), ("russia", date(2022, 5, 27))]
    assert [iv.start for iv in t.changes()] == [date(2022, 5, 27)]


def _iv(holder: str, start: date, kind: str = "change", seen: date | None = None) -> Interval:
    obs = (Observation(seen or start, kind, holder, "e", "a", ()),)  # type: ignore[arg-type]
    return Interval(holder, start, None, "claimed", (), obs)  # type: ignore[arg-type]


def test_holding_on_through_a_contest_is_no_change() -> None:
    t = Timeline(LYMAN, (
        _iv("russia", date(2022, 5, 27)),
        _iv("contested", date(2022, 6, 1), "fighting"),
        # the same side again, its interval carrying the May report: no change
        _iv("russia", date(2022, 6, 15), seen=date(2022, 5, 27)),
        _iv("ukraine", date(2022, 10, 1)),
        # a report of a taking by the side last said to hold it: it had been lost between
        _iv("contested", date(2022, 10, 5), "fighting"),
        _iv("ukraine", date(2022, 10, 20)),
    ))
    assert [(iv.holder, iv.start) for iv in t.changes()] == [
        ("russia", date(2022, 5, 27)), ("ukraine", date(2022, 10, 1)),
        ("ukraine", date(2022, 10, 20))]
    # A first holder known only from a statement is not a change.
    assert Timeline(LYMAN, (_iv("russia", date(2022, 3, 1), "state"),)).changes() == ()


@pytest.mark.parametrize("text", [
    "Russian sources claimed that Russian forces completely captured Lyman, although ISW "
    "cannot independently verify that Russian forces have done so.",
    "Neither Ukrainian nor Russian sources have confirmed the capture of Zolote and Lyman.",
    "Russian forces seized the Lyman-Kreminna road.",
    "Russian forces made advances, seizing several small towns and advancing into Lyman.",
    "DNR forces seized a police station in central Lyman.",
])
def test_more_captures_not_asserted(text: str) -> None:
    assert not asserts_capture(text, "Lyman")


def test_attacks_on_a_line_say_nothing_of_its_towns() -> None:
    assert not attack_on("Russian forces repelled Ukrainian attacks on the Lyman-Kreminna "
                         "line.", "Lyman")


def test_a_partial_withdrawal_hands_over_nothing() -> None:
    assert not asserts_withdrawal("Sobolevskyi claimed that a significant portion of the "
                                  "Russian military command left Lyman.", "Lyman")


def test_a_day_or_month_after_the_name_is_no_facility() -> None:
    assert asserts_capture("Russian forces captured Lyman Monday.", "Lyman")
    assert asserts_capture("Ukrainian forces liberated Lyman October 1.", "Lyman")


def test_leaving_ones_positions_in_a_town_is_leaving_it() -> None:
    text = ("Officials stated that Russian forces have withdrawn from their positions in "
            "Drobysheve (6km northwest of Torske) and Lyman.")
    assert asserts_withdrawal(text, "Lyman")
    assert not asserts_withdrawal("Russian forces withdrew from positions around Lyman.",
                                  "Lyman")


def test_a_name_before_an_active_verb_is_not_its_object() -> None:
    text = "Russian assaults from downtown Lyman captured the fishing port."
    assert not asserts_capture(text, "Lyman")
    assert asserts_capture("Lyman has fallen.", "Lyman")


def test_a_claim_taken_back_or_called_wrong_is_no_capture() -> None:
    assert not asserts_capture("The mayor implied that Ukrainian forces liberated Lyman but "
                               "later deleted the social media post.", "Lyman")
    assert not asserts_capture("An official reportedly said that Russian forces took control "
                               "of Lyman on May 3, though the media reporting was incorrect.",
                               "Lyman")
    assert asserts_capture("Ukrainian forces liberated Lyman, and the mayor posted a video "
                           "from the square.", "Lyman")


def test_a_taking_after_reports_of_holding_is_the_change() -> None:
    # Said to hold the town in March (a repelled assault), said to take it in May: the
    # change is the May taking, not the first statement of who held it.
    from frontwatch.records import Claim, Event, Mention, Place, Source

    town = Place(713174, "Bakhmut", 48.5956, 37.9999, "UA", "settlement", "UA.05", "Donetsk")
    held = Claim(claim_id="h", article_id="h", article="h", kind="control", evidence="e",
                 evidence_start=0, evidence_end=1, place=town, holder="ukraine",
                 side="ukraine", as_of=date(2023, 3, 1), sources=(Source("ISW", "think_tank"),))
    took = Event(event_id="t", article_id="t", article="t", event_date=date(2023, 5, 20),
                 time_precision=1, event_type="Strategic developments",
                 sub_event_type="Government regains territory", actor1="Ukraine",
                 side1="ukraine", location=Mention("Bakhmut", 0, 7, town, 1, 1.0),
                 evidence="e", evidence_start=0, evidence_end=1, movement="capture",
                 sources=(Source("ISW", "think_tank"),))
    (t,) = timelines([took], [held])
    assert [(iv.holder, iv.start) for iv in t.changes()] == [("ukraine", date(2023, 5, 20))]
    (t,) = timelines([], [held])
    assert t.changes() == ()  # a statement of holding alone tells no change


def test_a_taking_told_as_an_earlier_assessment_is_background() -> None:
    import frontwatch

    res = frontwatch.extract("ISW previously assessed that Ukrainian forces liberated "
                             "Bohorodychne, and Russian attacks there may continue.",
                             published="2022-08-21")
    assert not [e for e in res.events if e.location.surface == "Bohorodychne"]
    assert all(c.background for c in res.claims if c.place is not None)


def test_a_demand_to_leave_is_no_withdrawal() -> None:
    assert not asserts_withdrawal("An adviser said that Russian forces demanded that Ukrainian "
                                  "forces leave Lyman on April 17.", "Lyman")
    assert not asserts_withdrawal("Officials urged the garrison to leave Lyman.", "Lyman")
    assert asserts_withdrawal("Ukrainian forces left Lyman on April 17.", "Lyman")
