"""Unknown villages anchored to the towns the article ties them to (no model needed)."""

from __future__ import annotations

from frontwatch.places.anchors import anchor_unknown
from frontwatch.records import Mention, Place

ORIKHIV = Place(698428, "Orikhiv", 47.567, 35.785, "UA", "settlement", "UA.26", "Zaporizhzhia")
TOKMAK = Place(691469, "Tokmak", 47.255, 35.712, "UA", "settlement", "UA.26", "Zaporizhzhia")
KUPIANSK = Place(703656, "Kupiansk", 49.710, 37.616, "UA", "settlement", "UA.07", "Kharkiv")
KHARKIV_REGION = Place(706482, "Kharkiv", 49.5, 36.5, "UA", "region", "UA.07", "Kharkiv")


def _mention(text: str, surface: str, place: Place, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(surface, start, start + len(surface), place, 1, 1.0)


def test_appositive_village_takes_the_town_it_is_measured_from() -> None:
    text = ("Malyar said Robotyne, a small village roughly 10 km south of Orikhiv on the road "
            "to Tokmak, has been liberated. Fighting went on south of Robotyne.")
    ms = [_mention(text, "Orikhiv", ORIKHIV), _mention(text, "Tokmak", TOKMAK)]
    got = anchor_unknown(text, ms)
    assert [m.surface for m in got.mentions] == ["Robotyne", "Robotyne"]
    assert all(m.place == ORIKHIV and m.geo_precision == 2 for m in got.mentions)
    (desc,) = got.descriptions
    assert text[desc[0]:desc[1]].startswith(", a small village")
    assert desc[0] < ms[1].start < desc[1]  # Tokmak only describes where Robotyne is


def test_village_of_in_a_region_takes_the_articles_town_there() -> None:
    text = ("Kupiansk was shelled. Russian units attacked near the village of Sinkovka in "
            "the Kharkiv region. Kupiansk is 10 km away.")
    ms = [_mention(text, "Kupiansk", KUPIANSK), _mention(text, "Kharkiv region", KHARKIV_REGION),
          _mention(text, "Kupiansk", KUPIANSK, 1)]
    got = anchor_unknown(text, ms)
    (m,) = got.mentions
    assert m.surface == "Sinkovka" and m.place == KUPIANSK and m.qualifier == "near"


def test_village_with_only_a_region_gets_region_precision() -> None:
    text = "Shelling hit the village of Hlyboke in the Kharkiv region overnight."
    ms = [_mention(text, "Kharkiv region", KHARKIV_REGION)]
    (m,) = anchor_unknown(text, ms).mentions
    assert m.place == KHARKIV_REGION and m.geo_precision == 3


def test_known_place_is_not_reanchored_and_nothing_without_a_tie() -> None:
    text = "Orikhiv, a town in the south, was shelled. The village of Nowhere burned."
    ms = [_mention(text, "Orikhiv", ORIKHIV)]
    got = anchor_unknown(text, ms)
    assert got.mentions == ()
