"""Extraction on hand-written sentences through the whole pipeline (loads spaCy)."""

from __future__ import annotations

from datetime import date

import pytest

import frontwatch
from frontwatch.extract.attribution import Attribution, classify_speaker, modality_for
from frontwatch.records import Event, Source

pytestmark = pytest.mark.slow

PUB = "2023-03-15"


def _events(text: str, published: str = PUB) -> list[Event]:
    return list(frontwatch.extract(text, published=published).events)


def _at(events: list[Event], name: str) -> list[Event]:
    return [e for e in events if e.location.place.name == name]


def test_capture_by_ukraine_is_government_regains_territory() -> None:
    evs = _events("Ukrainian troops recaptured the village of Kupiansk on Tuesday, "
                  "Ukraine's General Staff said on Telegram.")
    (ev,) = _at(evs, "Kupiansk") or _at(evs, "Kupyansk")
    assert ev.side1 == "ukraine"
    assert ev.sub_event_type == "Government regains territory"
    assert ev.movement == "capture"
    assert ev.event_date == date(2023, 3, 14) and ev.time_precision == 1
    assert ev.sources[0].affiliation == "ukraine_gov"
    assert ev.sources[0].channel == "Telegram"


def test_hypothetical_and_conditional_give_no_event() -> None:
    text = ("If Russian forces capture Bakhmut, they could launch attacks on Kramatorsk. "
            "Moscow may try to seize Sloviansk next year.")
    assert _events(text) == []


def test_purpose_and_intention_give_no_capture() -> None:
    text = "Russia has been trying to capture Vuhledar for weeks, officials said."
    assert not [e for e in _events(text) if e.movement == "capture"]


def test_background_capture_is_a_control_claim_not_an_event() -> None:
    text = ("The city of Bakhmut remains a symbol as it was seized by Russia after a long "
            "battle.")
    result = frontwatch.extract(text, published="2023-07-20")
    assert not [e for e in result.events if e.movement == "capture"]
    claims = [c for c in result.claims if c.kind == "control"]
    assert claims and claims[0].holder == "russia" and claims[0].background


def test_shelling_without_named_attacker_on_ukrainian_town() -> None:
    evs = _events("Kherson was shelled overnight, killing two civilians, the regional "
                  "governor said.")
    (ev,) = _at(evs, "Kherson")
    assert ev.sub_event_type == "Shelling/artillery/missile attack"
    assert ev.side1 == "russia"
    assert ev.fatalities == 2
    assert ev.actor2 == "Civilians (Ukraine)"


def test_relay_chain_and_assessed_modality() -> None:
    text = ("According to the Institute for the Study of War, Russian military bloggers "
            "claimed that Ukrainian forces advanced near Bakhmut.")
    (ev,) = _at(_events(text), "Bakhmut")
    names = [s.name for s in ev.sources]
    assert names[0] == "Russian military bloggers"
    assert ev.sources[0].relayed_by == "Institute for the Study of War"
    assert "Institute for the Study of War" in names
    assert ev.side1 == "ukraine" and ev.movement == "advance"


def test_enemy_is_the_other_side_of_the_speaker() -> None:
    text = "“The enemy is attacking near Avdiivka,” Hanna Malyar said on Telegram."
    (ev,) = _at(_events(text), "Avdiivka") or _at(_events(text), "Avdiyivka")
    assert ev.side1 == "russia"
    assert ev.sources[0].name == "Hanna Malyar"
    assert ev.modality == "claimed"


def test_evidence_offsets_point_into_cleaned_text() -> None:
    text = "Heavy fighting. Russian forces attacked Marinka on Monday."
    result = frontwatch.extract(text, published=PUB)
    for ev in result.events:
        assert result.cleaned.text[ev.evidence_start:ev.evidence_end] == ev.evidence


@pytest.mark.parametrize(("np", "affiliation"), [
    ("Ukrainian Deputy Defence Minister Hanna Malyar", "ukraine_gov"),
    ("the UK Ministry of Defence", "western_gov"),
    ("Russian military bloggers", "military_blogger"),
    ("a Ukrainian soldier", "soldier"),
    ("the D.C.-based think tank", "think_tank"),
    ("Belgorod governor Vyacheslav Gladkov", "russia_gov"),
])
def test_classify_speaker(np: str, affiliation: str) -> None:
    assert classify_speaker(np).affiliation == affiliation


def test_modality_rules() -> None:
    assert modality_for(Attribution()) == "reported"
    assert modality_for(Attribution((Source("ISW", "think_tank"),), verb="say")) == "assessed"
    assert modality_for(Attribution((Source("X", "russia_gov"),), verb="deny")) == "denied"
    assert modality_for(Attribution((Source("X", "media"),), verb="say")) == "reported"
