"""Dating events against the report: history the article recalls, and undated accounts.

The constants say how old news may be and still be news; `_refers_back` finds the noun
that names an event already told ("a day after the strike"), which dates another by it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..records import Event

if TYPE_CHECKING:
    from spacy.tokens import Token


BACKGROUND_DAYS = 30
RECENT_DAYS = 7


def _long_before(value: date | None, precision: int | None, published: date | None) -> bool:
    if value is None or published is None:
        return False
    if precision == 3:  # a month counts from its last day
        nxt = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        value = date.fromordinal(nxt.toordinal() - 1)
    return (published - value).days > BACKGROUND_DAYS


def _refers_back(tok: Token) -> bool:
    """"The strike came a day after ...", "Hours after the Belgorod strike": a noun that
    names an event already told, to date another by it."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    if tok.dep_ == "pobj" and tok.head.lower_ in ("after", "before", "since", "following"):
        return definite or any(c.dep_ in ("poss", "compound") for c in tok.children)
    return definite and tok.dep_ == "nsubj" and tok.head.lemma_ in (
        "come", "follow", "happen", "occur", "precede")


def _date_from_siblings(events: list[Event], published: date | None) -> list[Event]:
    """An undated account of a strike takes the day of the dated account of the same
    strike: "the ministry said Ukraine fired missiles at the city" is Saturday's attack
    the article dated a paragraph earlier. Same place, side and type, within a week."""
    if published is None:
        return events

    def key(ev: Event) -> tuple[object, ...]:
        return ev.side1, ev.sub_event_type, ev.location.place.geonameid, ev.movement

    dated: dict[tuple[object, ...], Event] = {}
    for ev in events:
        if ev.time_precision == 1 and ev.event_date is not None and \
                0 <= (published - ev.event_date).days <= RECENT_DAYS:
            dated.setdefault(key(ev), ev)
    absorbed: set[str] = set()
    for ev in events:
        target = dated.get(key(ev))
        if target is None or ev.time_precision != 2 or ev.event_date != published:
            continue
        names = {s.name for s in target.sources}
        dated[key(ev)] = replace(target, sources=target.sources + tuple(
            s for s in ev.sources if s.name not in names))
        absorbed.add(ev.event_id)
    by_id = {ev.event_id: ev for ev in dated.values()}
    return [by_id.get(ev.event_id, ev) for ev in events if ev.event_id not in absorbed]
