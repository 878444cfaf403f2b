"""Statements of who holds a place now (extract/holding.py), through the whole pipeline
(spaCy loads once per process)."""

from __future__ import annotations

import frontwatch


def _holders(text: str) -> list[tuple[str, str]]:
    res = frontwatch.extract(text, published="2022-10-12")
    return [(c.place.name, str(c.holder)) for c in res.claims
            if c.kind == "control" and c.place is not None and c.valid_from is None]


def test_a_place_held_now() -> None:
    assert ("Bakhmut", "ukraine") in _holders("Bakhmut remains in Ukrainian hands.")
    assert ("Lyman", "russia") in _holders(
        "Officials stated that Russian forces still control Lyman.")


def test_part_of_a_place_is_not_the_place() -> None:
    # The portion held says nothing of the rest of the town.
    assert _holders("Russian troops are approaching Bakhmut, and the northeast portion of "
                    "the city is under Russian control.") == []
    # "still control part of the island southwest of Kherson": Kherson is no object.
    assert _holders("Russian sources claimed that Russian forces still control part of an "
                    "island southwest of Kherson.") == []


def test_not_abandoning_an_effort_on_a_town_is_not_holding_it() -> None:
    assert ("Bakhmut", "ukraine") in _holders("Ukraine has not withdrawn from Bakhmut.")
    efforts = "Russian forces have not abandoned their efforts to encircle Mykolaiv."
    assert _holders(efforts) == []


def test_holding_a_town_hostage_is_a_figure_of_speech() -> None:
    assert ("Kharkiv", "russia") not in _holders(
        "The minister said that Russian forces continue to hold Kharkiv “hostage”.")
    assert ("Kharkiv", "russia") not in _holders(
        "Russian troops still hold Kharkiv hostage with daily shelling.")
    assert ("Kharkiv", "russia") in _holders("Russian troops still hold Kharkiv.")
