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


# What changes hands when a capture verb's object is one of these: the settlement itself
# ("the village of X"), or only a piece of it or of the front ("part of X", "positions").
_SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "settlement", "settlements",
                               "towns", "villages", "cities", "hamlet", "township", "it",
                               "them", "locality", "localities", "suburb", "entirety",
                               "whole", "all", "rest", "remainder"})
# "eastern Kupiansk": a side of the town, not the town.
_SIDES = frozenset({"eastern", "western", "northern", "southern", "central", "northeastern",
                    "northwestern", "southeastern", "southwestern", "east", "west", "north",
                    "south"})
_PART_NOUNS = frozenset({"part", "parts", "portion", "portions", "half", "section", "sections",
                         "outskirts", "outskirt", "neighborhood", "neighborhoods",
                         "neighbourhood", "neighbourhoods", "district", "districts",
                         "quarter", "quarters", "block", "blocks", "street", "streets",
                         "position", "positions", "stronghold", "strongholds", "line",
                         "lines", "trench", "trenches", "bridgehead", "heights", "height",
                         "outpost", "outposts", "edge", "periphery", "most", "majority",
                         "percent", "%", "suburbs"})
_CONTROL_NOUNS = frozenset({"control", "hold", "possession"})


# Capitalised heads that make a name a facility's, not a settlement's: "Vuhledar Power
# Plant", "Kherson Airport".
_FACILITIES = frozenset({"plant", "station", "factory", "works", "refinery", "airport",
                         "airfield", "bridge", "dam", "port", "base", "mine", "hospital",
                         "highway", "road", "railway", "canal", "reservoir", "substation",
                         "plaza", "square", "building", "complex", "depot", "terminal"})


def _name_span(t: Token) -> tuple[int, int]:
    """The characters of a name the parse heads at `t`: its left part ("Mala Rohan",
    "Rai-Oleksandrivka"), never what follows it ("Opytne (4 km south of Bakhmut)")."""
    return t.left_edge.idx, t.idx + len(t.text)


def capture_object(tok: Token, mentions: Sequence[Mention]) -> tuple[str, list[Mention]]:
    """What a capture cue says changed hands, and which of `mentions` it names.

    "place": the settlement itself (the mentions); "anaphor": a settlement named by a
    noun ("the town", "it"); "part": a piece of a place or of the front ("part of X",
    "positions near X"), an advance rather than a change of hands; "other": people,
    roads, buildings, kit; "none": the cue takes no object the parse shows.
    """
    if tok.pos_ == "VERB":
        heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "oprd")]
        if not heads and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            heads = [tok.head]  # "the town taken by Russian forces"
        if not heads:
            # "seize and repurpose hospitals": the verbs share the last one's object.
            heads = [c for v in tok.conjuncts if v.i > tok.i for c in v.children
                     if c.dep_ == "dobj"]
    else:
        heads = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        heads += [c for c in tok.children if c.dep_ in ("poss", "compound")
                  and _named(c, mentions)]
    if not heads:
        return "none", []
    kinds: set[str] = set()
    found: list[Mention] = []
    stack = [(h, 0) for h in heads]
    stack += [(c, 0) for h in heads for c in h.conjuncts]
    seen: set[int] = set()
    while stack:
        t, depth = stack.pop()
        if t.i in seen or depth > 3:
            continue
        seen.add(t.i)
        named = _named(t, mentions)
        if named:
            if any(c.dep_ == "amod" and c.lower_ in _SIDES for c in t.children):
                kinds.add("part")
            else:
                kinds.add("place")
                found += named
            continue
        low = t.lower_
        of = [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "over")
              for g in c.children if g.dep_ == "pobj"]
        if low in _CONTROL_NOUNS:
            # "took control of X": what is controlled is the object.
            stack += [(g, depth + 1) for g in of] + [
                (c, depth + 1) for g in of for c in g.conjuncts]
            continue
        if low in _SETTLEMENT_NOUNS or t.lemma_.lower() in _SETTLEMENT_NOUNS:
            # "the Kyiv suburb of Irpin": the name after "of" is the one, a name before
            # ("Kherson city") only when no "of" follows.
            inner = (of or [c for c in t.children if c.dep_ == "compound"]) + [
                c for c in t.children if c.dep_ == "appos"] + [
                g for c in t.children if c.dep_ == "prep" and c.lower_ in ("including",)
                for g in c.children if g.dep_ == "pobj"]
            if inner:
                stack += [(g, depth + 1) for g in inner] + [
                    (c, depth + 1) for g in inner for c in g.conjuncts]
            elif t.tag_ in ("NNS", "NNPS"):
                # "settlements near X": unnamed villages taken around X, not X itself.
                kinds.add("part")
            else:
                kinds.add("anaphor")
            continue
        if low in _PART_NOUNS or t.lemma_.lower() in _PART_NOUNS or low in _AREA_WORDS:
            kinds.add("part")
            continue
        kinds.add("other")
    for kind in ("place", "anaphor", "part", "other"):
        if kind in kinds:
            return kind, found
    return "none", []


def _named(t: Token, mentions: Sequence[Mention]) -> list[Mention]:
    """The places the noun `t` itself names: "Mala Rohan", "Novoselivka Druha" (a name
    whose last word the gazetteer lacks), not the "Vuhledar" of "the Vuhledar Power
    Plant" or "the Sil railway station"."""
    a, b = _name_span(t)
    whole_name = t.pos_ == "PROPN" and t.ent_type_ not in ("FAC", "ORG") and \
        t.lower_ not in _FACILITIES
    return [m for m in mentions if a <= m.start < b and m.place.kind != "country"
            and (whole_name or m.start <= t.idx < m.end)]


_ADVANCE = lx.Cue("clash", "advance")


def capture_places(merged: dict[str, tuple[lx.Cue, Token, str | None]],
                   sent_ms: list[Mention], places: list[Mention]) -> list[Mention]:
    """Where a clause's capture changed hands, editing `merged` when nothing did: only a
    settlement that is the capture's object changes hands ("seized the road from X",
    "captured soldiers in X" take no town); a piece of a place or of the front taken
    ("part of X", "positions near X") is an advance there."""
    tok = merged["capture"][1]
    what, named = capture_object(tok, sent_ms)
    if what == "place":
        settled = [m for m in named if m.place.kind == "settlement"]
        return settled or named
    if what == "part":
        del merged["capture"]
        merged.setdefault("clash", (_ADVANCE, tok, "advance"))
    elif what == "other":
        del merged["capture"]
    return places
