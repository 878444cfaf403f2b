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


# --- rules added for the example corpus, each on a sentence of its own -----------------


def test_repelled_attack_is_the_attackers_stalled_clash() -> None:
    evs = _events("Russian units repelled Ukrainian assaults near Bakhmut on Monday, the "
                  "Russian Defence Ministry said.")
    (ev,) = [e for e in _at(evs, "Bakhmut") if e.sub_event_type == "Armed clash"]
    assert ev.side1 == "ukraine" and ev.movement == "stalled"


def test_pullback_is_a_non_violent_transfer() -> None:
    evs = _events("Russian troops withdrew from Kherson on Friday, the Russian Defence "
                  "Ministry said.", published="2022-11-12")
    (ev,) = _at(evs, "Kherson")
    assert ev.sub_event_type == "Non-violent transfer of territory"
    assert ev.event_type == "Strategic developments" and ev.movement == "withdraw"


def test_capital_standing_for_its_government_is_no_place() -> None:
    evs = _events("Moscow denied the accusation and said the strike on Kramatorsk was "
                  "carried out by Kyiv, Kyiv's critics said on Friday.")
    assert not _at(evs, "Kyiv") and not _at(evs, "Moscow")


def test_history_dated_long_before_publication_is_no_event() -> None:
    evs = _events("Russian forces captured Avdiivka in February 2024 after months of "
                  "fighting.", published="2024-08-20")
    assert evs == []


def test_office_is_named_by_its_holder_nearby() -> None:
    evs = _events("A missile hit Kramatorsk on Friday morning, killing 50 people, the "
                  "governor of Donetsk region said.\n\nPavlo Kyrylenko, who heads the "
                  "Donetsk regional military administration, wrote on Telegram that the "
                  "toll would rise.", published="2022-04-08")
    (ev,) = _at(evs, "Kramatorsk")
    assert ev.side1 == "russia"
    assert ev.sources[0].name == "Pavlo Kyrylenko"
    assert ev.sources[0].affiliation == "ukraine_gov"


def test_earlier_strike_named_to_date_another_is_no_new_event() -> None:
    evs = _events("Russian missiles struck Belgorod on Saturday.\n\nHours after the Belgorod "
                  "strike, Russian missiles hit the centre of Kharkiv.", published="2023-12-31")
    kharkiv = _at(evs, "Kharkiv")
    assert kharkiv and all(e.event_date == date(2023, 12, 30) for e in kharkiv)
    assert all(e.evidence.startswith("Russian missiles struck") for e in _at(evs, "Belgorod"))


def test_speaker_of_each_clause_is_kept_apart() -> None:
    evs = _events("The Russian Defence Ministry claimed on Sunday that its troops had captured "
                  "Pokrovsk; Ukraine's military has not confirmed the loss.",
                  published="2024-08-20")
    (ev,) = _at(evs, "Pokrovsk")
    assert ev.side1 == "russia"
    assert [s.name for s in ev.sources] == ["Russian Ministry of Defence"]


def test_awaited_fall_is_no_capture() -> None:
    text = ("Ukrainian forces are waiting for the fall of Lyman before moving east. "
            "Milbloggers said the fall of Kupiansk is imminent.")
    assert not [e for e in _events(text, published="2022-09-29") if e.movement == "capture"]


def test_occupied_as_an_adjective_is_no_capture() -> None:
    evs = _events("Russian forces are looting stores in occupied Kherson, officials said. "
                  "Milbloggers seized on the visit to Kherson to criticise the army.",
                  published="2022-11-14")
    assert not [e for e in evs if e.movement == "capture"]
    (ev,) = _events("Russian forces occupied Kherson on Friday.", published="2022-11-14")
    assert ev.movement == "capture" and ev.side1 == "russia"


def test_interception_names_whose_weapons_and_is_no_strike_of_its_own() -> None:
    evs = _events("Ukrainian forces shot down two Russian drones over Kherson on Sunday.",
                  published="2024-03-11")
    assert [(e.sub_event_type, e.side1, e.side2) for e in evs] == [
        ("Disrupted weapons use", "ukraine", "russia")]


def test_subject_with_a_participle_between_it_and_its_verb() -> None:
    evs = _events("Russian forces, supported by air units, clashed with Ukrainian forces near "
                  "Bakhmut on Thursday.", published="2024-04-05")
    (ev,) = _at(evs, "Bakhmut")
    assert ev.side1 == "russia" and ev.side2 == "ukraine"


def test_assault_actions_are_a_clash() -> None:
    # The General Staff's wording for ground attacks: a clash, with the defenders as actor2.
    events = _events("Russian troops carried out assault actions against Ukrainian units near "
                     "Marinka on Tuesday, the General Staff said.", "2023-09-06")
    clashes = [e for e in events if e.sub_event_type == "Armed clash"]
    assert clashes and clashes[0].side1 == "russia"


@pytest.mark.parametrize(("text", "sub", "side"), [
    ("On 4 May 2023, Russian troops shot dead a farmer in Velyka Oleksandrivka.",
     "Attack", "russia"),
    ("On 4 May 2023, Russian soldiers abducted two residents of Oleshky.",
     "Abduction/forced disappearance", "russia"),
    ("On 4 May 2023, Russian servicemen looted shops and houses in Nova Kakhovka.",
     "Looting/property destruction", "russia"),
    ("On 4 May 2023, Russian forces set up a military base in a school in Tokmak.",
     "Headquarters or base established", "russia"),
    ("On 4 May 2023, Ukrainian partisans detonated an explosive device under a car in "
     "Berdiansk.", "Remote explosive/landmine/IED", "ukraine"),
    ("On 4 May 2023, Ukrainian sappers defused two booby traps left by Russian troops in "
     "Kherson.", "Disrupted weapons use", "ukraine"),
    ("On 4 May 2023, Russian forces shelled, clashed with and advanced on Ukrainian troops "
     "near Marinka.", "Armed clash", "russia"),
    ("Border guards repelled two attacks near Bakhmut and killed 20 invaders.",
     "Armed clash", "ukraine"),
    ("Losses of the Armed Forces of Ukraine near Kupiansk amounted to 55 soldiers, the "
     "Russian Defence Ministry said.", "Armed clash", "russia"),
    ("Russian artillerymen destroyed two Ukrainian howitzers near Kherson.",
     "Shelling/artillery/missile attack", "russia"),
])
def test_acled_typology_beyond_the_front(text: str, sub: str, side: str) -> None:
    evs = _events(text, "2023-05-05")
    assert [(e.sub_event_type, e.side1) for e in evs][:1] == [(sub, side)]


@pytest.mark.parametrize("text", [
    "On 4 May 2023, Russian shelling killed two civilians in Kherson.",  # shelling, not by hand
    "On 4 May 2023, Russian forces shelled Volfyne with mortars and grenade launchers near "
    "Sumy.",  # a grenade launcher is a gun
    "On 4 May 2023, Russian troops killed two Ukrainian soldiers near Bakhmut.",  # a fight
])
def test_no_one_sided_violence_where_there_is_more(text: str) -> None:
    subs = {e.sub_event_type for e in _events(text, "2023-05-05")}
    assert not subs & {"Attack", "Remote explosive/landmine/IED"}


def test_a_strike_destroying_kit_stays_a_strike() -> None:
    subs = [e.sub_event_type for e in _events(
        "On 4 May 2023, a Russian missile strike destroyed two Ukrainian tanks near Kramatorsk.",
        "2023-05-05")]
    assert subs and "Armed clash" not in subs


def test_day_tally_dates_the_day_before_publication() -> None:
    (ev,) = _events("Russian Armed Forces destroyed up to 30 Ukrainian soldiers near Kupiansk "
                    "in a day.", "2023-02-10")
    assert ev.event_date == date(2023, 2, 9) and ev.time_precision == 1


def test_deaths_tell_whose_fight() -> None:
    (ev,) = _events("More than 20 Ukrainian soldiers killed near Bakhmut in 24 hours.",
                    "2023-02-10")
    assert (ev.sub_event_type, ev.side1, ev.fatalities) == ("Armed clash", "russia", 20)
    (ev,) = _events("Two Russian servicemen died near Kreminna.", "2023-02-10")
    assert ev.side1 == "ukraine"


def test_later_casualties_belong_to_the_event_told() -> None:
    evs = _events("On 15 March 2024, the Russian military shelled Ukrainian positions near "
                  "Novopokrovka. According to Russian sources, more than 40 Ukrainian "
                  "soldiers were killed.", "2024-03-15")
    assert [e.sub_event_type for e in evs] == ["Shelling/artillery/missile attack"]


@pytest.mark.parametrize("text", [
    "German intelligence intercepts conversations of Russian occupiers about Bucha.",
    "In occupied Zaporizhia region, 191 Ukrainians are being held hostage by the Russians.",
    "About 35,000 civilians have left Mariupol over the past two days.",
])
def test_words_of_war_used_of_something_else_are_no_event(text: str) -> None:
    assert _events(text, "2022-07-31") == []


def test_air_defence_interception_is_no_air_strike() -> None:
    (ev,) = _events("Ukrainian air defence intercepted two Russian missiles over Kyiv.",
                    "2022-07-31")
    assert ev.sub_event_type == "Disrupted weapons use"


_CAPTURES = {"Non-state actor overtakes territory", "Government regains territory"}


def _captures(text: str) -> list[tuple[str, str]]:
    return [(e.side1, e.location.place.name) for e in _events(text, "2022-06-10")
            if e.sub_event_type in _CAPTURES]


@pytest.mark.parametrize("text", [
    "Russian forces attacked Ukrainian positions to seize Lysychansk on June 8.",
    "Russian troops launched an assault in order to capture Lysychansk on June 8.",
    "Russian forces continued offensive operations to regain control of Lysychansk on June 8.",
    "Main effort (Russian objective: Capture Lysychansk and Bakhmut)",
    "It reinforces the urgency of helping Ukraine regain control of Kherson.",
    "Russian forces may capture Lysychansk in the coming days.",
    "Ukrainian forces stopped Russian troops from encircling, let alone seizing Kharkiv.",
    "Kharkiv mattered little, but had Russian troops taken it quickly they could have "
    "pushed on.",
    "Russian forces drove west, presumably to isolate and then take Lysychansk.",
    "Russian forces attacked near Bakhmut but have not captured the plant or taken "
    "control of the town of Soledar.",
])
def test_intended_capture_is_no_capture(text: str) -> None:
    assert _captures(text) == []


@pytest.mark.parametrize("text", [
    "Ukrainian forces captured two Russian soldiers in Kherson on June 8.",
    "Russian forces seized the road from Lysychansk to Bakhmut on June 8.",
    "Russian forces took portions of Lysychansk on June 8.",
    "Russian forces seized a hotel in Lysychansk on June 8.",
    "Russian forces seized the police station in Lysychansk on June 8.",
    "Ukrainian forces captured positions near Izium on June 8.",
    "Ukrainian forces took control of the road between Izium and Lyman on June 8.",
    "Russian forces captured the railway station of Lyman on June 8.",
    "The Russian seizure of the Vuhledar Power Plant flattens the line.",
])
def test_capture_of_something_in_a_town_is_no_capture_of_the_town(text: str) -> None:
    assert _captures(text) == []


def test_capture_takes_its_object_not_the_places_describing_it() -> None:
    got = _captures("Russian forces captured Toshkivka (15km southwest of Lysychansk) on "
                    "June 8.")
    assert got == [("russia", "Toshkivka")]
    assert _captures("Ukrainian forces recaptured the village of Toshkivka on June 8.") == [
        ("ukraine", "Toshkivka")]
    assert _captures("On June 8, Ukrainian forces recaptured the Kharkiv suburb of Derhachi."
                     ) == [("ukraine", "Derhachi")]


@pytest.mark.parametrize("text", [
    "Russian forces captured the eastern part of Lysychansk on June 8.",
    "Russian forces captured eastern Lysychansk on June 8.",
    "Russian forces captured three villages near Lysychansk on June 8.",
])
def test_part_of_a_town_taken_is_an_advance_there(text: str) -> None:
    evs = _events(text, "2022-06-10")
    assert [(e.sub_event_type, e.side1, e.movement) for e in evs] == [
        ("Armed clash", "russia", "advance")]


@pytest.mark.parametrize("text", [
    "Russian forces shelled occupied Melitopol on June 8.",
    "Ukrainian partisans attacked a Russian soldier in occupied Melitopol on June 8.",
    "Ukrainian forces shelled Russian positions in the captured town of Lyman on June 8.",
    "Officials said that Russian commanders are searching occupied Horlivka for deserters.",
])
def test_participle_of_a_held_place_is_no_capture(text: str) -> None:
    assert _captures(text) == []


@pytest.mark.parametrize("text", [
    "Russian forces advanced and occupied Toshkivka on June 8.",
    "On June 8, Russian forces, after heavy fighting, occupied Toshkivka.",
])
def test_occupying_a_town_is_still_a_capture(text: str) -> None:
    assert _captures(text) == [("russia", "Toshkivka")]


@pytest.mark.parametrize(("text", "want"), [
    ("Russian forces continued to shell the city and made limited gains on its outskirts, "
     "seizing Toshkivka late on June 8.", [("russia", "Toshkivka")]),
    ("Ukrainian officials confirmed the Russian capture of Toshkivka on June 8.",
     [("russia", "Toshkivka")]),
    ("Ukrainian officials confirmed the capture of Toshkivka on June 8.", []),
    ("Neither Ukrainian nor Russian sources have confirmed the capture of Toshkivka.", []),
])
def test_the_capturer_is_not_the_reporter(text: str, want: list[tuple[str, str]]) -> None:
    assert _captures(text) == want


@pytest.mark.parametrize("text", [
    # A finite verb after a negated one is a deed of its own.
    "Russian forces did not conduct ground attacks toward Siversk on June 8 and shelled "
    "Siversk.",
    # "used X to strike": the strike is the deed, not a purpose.
    "On June 8, Russian forces used drones to strike Kherson.",
])
def test_capture_rules_leave_other_deeds_alone(text: str) -> None:
    assert any(e.sub_event_type in ("Shelling/artillery/missile attack", "Air/drone strike")
               for e in _events(text, "2022-06-10"))


def test_a_period_start_does_not_date_the_news_after_it() -> None:
    # "since October 1" opens a period: the undated capture told next is no October 1 news.
    text = ("The commander said that since October 1, Ukrainian forces have taken back 41 "
            "settlements in the region. Geolocated footage confirms that Ukrainian forces "
            "liberated Snihurivka.")
    got = _at(_events(text, "2022-11-10"), "Snihurivka")
    assert got and all(e.event_date == date(2022, 11, 10) for e in got)
    # A day the paragraph's news is told on still dates the sentences after it.
    text = ("On November 9, Ukrainian forces advanced along the river. Geolocated footage "
            "confirms that Ukrainian forces liberated Snihurivka.")
    got = _at(_events(text, "2022-11-10"), "Snihurivka")
    assert got and all(e.event_date == date(2022, 11, 9) for e in got)


def test_it_stands_for_the_weapon_named_before() -> None:
    evs = _events("Ukrainian officials say it was a Russian Iskander ballistic missile, and "
                  "that it struck a café in Hroza, near Kupiansk.", "2023-10-06")
    assert evs and {e.side1 for e in evs} == {"russia"}
