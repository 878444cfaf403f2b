"""Where an event happened: which of a sentence's places is the event's place.

Places that are nowhere (a river, a clock, a capital speaking for its government), towns
that lie far from the article's others, and cues that need a place or take ground.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..geo import distance_km
from ..nlp import doc_text
from ..records import Mention
from . import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


_AREA_WORDS = frozenset({"kilometers", "kilometres", "km", "miles", "hectares", "territory",
                         "ground", "positions", "lines", "land", "area", "areas"})


def _takes_area(tok: Token) -> bool:
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    return any(o.lower_ in _AREA_WORDS or any(t.lower_ in ("square", "sq") for t in o.subtree)
               for o in objects) and not any(o.ent_type_ == "GPE" for o in objects)


def _has_place_object(tok: Token, mentions: Sequence[Mention]) -> bool:
    words = {"city", "town", "village", "settlement", "positions", "position", "territory",
             "control", "area", "areas", "region", "ground", "line", "lines", "bridgehead",
             "heights", "outskirts", "district", "it", "them"}
    # Only what the word governs counts: "taking a defensive stance near Kupiansk" takes
    # no town, "the taking of the town of Kupiansk" does.
    def is_place(t: Token, depth: int = 0) -> bool:
        if t.lower_ in words or any(t.idx <= m.start < t.idx + len(t.text) and
                                    m.place.kind != "country" for m in mentions):
            return True
        if depth > 2:
            return False
        return any(is_place(g, depth + 1) for c in t.children
                   if c.dep_ == "prep" and c.lower_ in ("of", "over")
                   for g in c.children if g.dep_ == "pobj") or any(
            is_place(c, depth + 1) for c in t.children if c.dep_ in ("compound", "appos", "conj"))

    for c in tok.children:
        if c.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and is_place(c):
            return True
        if c.dep_ == "prep" and c.lower_ in ("of", "into", "over", "in", "on") and any(
                is_place(g) for g in c.children if g.dep_ == "pobj"):
            return True
    return tok.dep_ in ("amod", "compound") and is_place(tok.head)


_CAPITAL_PLACE_NOUNS = frozenset({"outskirts", "suburbs", "centre", "center", "district",
                                  "districts", "region", "oblast", "streets", "airport",
                                  "outskirt", "neighbourhoods", "neighborhoods", "skies"})


def _metonymic(m: Mention, doc: Doc) -> bool:
    """A capital standing for its government: "Kyiv's accusations", "sabotage by Kyiv",
    "Moscow says"; only a capital named as a location is an event's place. (Clocks,
    "Moscow time", and "X People's Republic" are settled by the place resolver.)"""
    if m.place.geonameid not in lx.CAPITALS:
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.lower_ in ("'s", "’s"):
        after = doc[span.end + 1] if span.end + 1 < len(doc) else None
        return after is None or after.lower_ not in _CAPITAL_PLACE_NOUNS
    if tok.dep_ == "pobj":
        return tok.head.lower_ in ("by", "from", "with", "against") and \
            tok.head.head.pos_ in ("NOUN", "VERB")
    return tok.dep_ in ("nsubj", "poss")


def _river(m: Mention, doc: Doc) -> bool:
    """"across the Dnipro", "the Oskil": the river, not the town of that name."""
    return m.surface.lower() in lx.RIVER_NAMES and \
        doc_text(doc)[max(0, m.start - 4):m.start].lower() == "the "


STRAY_KM = 150.0


def _coherent(pool: list[Mention], towns: Sequence[Mention]) -> list[Mention]:
    """Towns named together lie together: "towards Novoprokopivka and Ocheretuvate" with
    Ocheretuvate resolved to a namesake 200 km away from every other town of the article
    is the gazetteer's gap, not a place."""
    named = {m.place.geonameid for m in pool if m.place.kind == "settlement"}
    if len(named) < 2 or len({m.place.geonameid for m in towns}) < 3:
        return pool
    return [m for m in pool if m.place.kind != "settlement" or any(
        distance_km(m.place, o.place) <= STRAY_KM for o in towns if o.place != m.place)
        or all(m.place == o.place for o in towns)]


def _pick_places(clause_ms: list[Mention], sent_ms: list[Mention],
                 towns: Sequence[Mention] = ()) -> list[Mention]:
    """Where a clause's event happened. Rivers, clocks and capitals standing for their
    governments are already out of `sent_ms` (extract_events drops them once)."""
    # A country is never an event's place ("seized by Russia" names the actor).
    keep = [m for m in sent_ms if m.place.kind != "country"]
    clause_ms = [m for m in clause_ms if m in keep]
    pool = _coherent(clause_ms or keep, towns)
    settlements = [m for m in pool if m.place.kind == "settlement"]
    return settlements or pool


def _attack_on_town(tok: Token, mentions: Sequence[Mention]) -> bool:
    if tok.lemma_ not in ("attack", "strike") or tok.pos_ != "NOUN":
        return False
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "on":
            a = min(t.idx for t in c.subtree)
            b = max(t.idx + len(t.text) for t in c.subtree)
            if any(a <= m.start < b and m.place.kind == "settlement" for m in mentions):
                return not any(t.lower_ in ("positions", "position", "troops", "lines", "units")
                               for t in c.subtree)
    return False
