"""Quantified claims: casualty figures, shares of territory and counted quantities.

A post-step over the parsed article and its events. Every number phrase in a sentence
("at least 50", "between 20.000 and 30.000", "dozens", "1.2 thousand", "52%") is read,
and the dependency parse says what it counts (number phrases are read in `numbers`, one
figure in its sentence in `figures`, a sentence's figures in `claim_items`, who states a
figure and when it holds in `claim_context`; this module builds the claims):

* ``casualties``: people killed, wounded, or both ("killed or injured", "casualties",
  ``killed_or_injured=True``), with whose dead they are (``side``/``victims``); the
  ``unit`` is ``people`` for the dead (or dead and wounded together, with the flag) and
  ``wounded`` for the wounded only; ``action`` says killed/wounded/killed_or_injured;
* ``territory_share``: a percentage of a region or country held ("controls 52% of the
  Donetsk region"), with its ``holder``;
* ``quantity``: a count with a unit and an action ("44 square kilometres recaptured",
  "31 drones launched", "23 shot down").

Conventions, so a reader of the numbers knows what they mean:

* "at least N", "more than N", "over N": ``low=N``, ``high=None`` (the stated bound, as
  ACLED codes it); "up to N": ``low=None``, ``high=N``; "about N": ``low=high=N`` with
  ``qualifier="about"``; "between A and B", "A-B": ``low=A``, ``high=B``.
* Vague counts take the least they can mean and no upper bound: "dozens" 24, "scores" 40,
  "hundreds" 200, "thousands" 2,000, "several" 3 (``qualifier="vague"``).
* A figure counted over a period ("since February 2022", "over six months", "in the past
  week", "between 24 February 2022 and 10 September 2023", "so far", "in total") is
  ``cumulative``: ``valid_from``/``valid_to`` bound the period and ``period`` holds its
  words. A cumulative figure is never any event's fatalities. A day's count ("in the past
  24 hours", "in a day") keeps its ``period`` words but is that day's, not cumulative.
* A casualty figure for one event is dated to the day the deaths occurred (its own clause's
  date, "Saturday's attack", not the speech verb's "said on Sunday"), or to the event it
  belongs to; ``valid_from == valid_to`` is that day.
* Figures in a sentence with no place of its own and no event cue of its own continue the
  story of the sentences just before (the place they name, the event told there).
* Event fatalities: deaths only (never killed-and-wounded, never cumulative). Tolls for the
  same event and the same side are revisions of one count: the highest (tolls rise; a live
  blog told newest first says the same) wins and the others are ``superseded``; counts of
  different sides add up. An event with no stated deaths keeps ``fatalities=None``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, cast

from .. import dates as dates_mod
from ..nlp import doc_text, sentences
from ..records import (
    Article,
    Claim,
    ClaimKind,
    DateMention,
    Event,
    Holder,
    Mention,
    Modality,
    Side,
    Source,
)
from . import claim_words as cw
from . import lexicon as lx
from .attribution import Attributor, modality_for, or_outlet, speaker_side
from .claim_context import (
    _attribution,
    _dates_in,
    _para_end,
    _period,
    _place_ok,
    _speaker_date,
    _State,
)
from .claim_items import _ACTION, _Item, _items
from .dating import BACKGROUND_DAYS
from .dating import _refers_back as refers_back
from .events import LEAD_MIN_CHARS, find_cues
from .figures import _counted, _scope, _whose, char_span
from .numbers import Figure, find_figures, parse_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["Figure", "attach_fatalities", "extract_claims", "find_figures", "parse_number"]


def _claim_id(article_id: str, *parts: object) -> str:
    raw = "|".join([article_id, "claim", *(str(p) for p in parts)])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


# -- building claims -----------------------------------------------------------------------


def _sentence_place(st: _State, idx: int, item: _Item, sent_ms: list[Mention],
                    spk: list[tuple[int, int]]) -> Mention | None:
    if item.place is not None:
        return item.place
    ms = [m for m in sent_ms if not any(a <= m.start < b for a, b in spk) and
          _place_ok(st, m)]
    scope = _scope(item.tok)
    if scope:
        lo, hi = scope[0].idx, scope[-1].idx + len(scope[-1].text)
        inside = [m for m in ms if lo <= m.start < hi]
        ms = inside or ms
    settlements = [m for m in ms if m.place.kind == "settlement"]
    regions = [m for m in ms if m.place.kind == "region"]
    # A country is a place only where something happened in it ("in Ukraine"); as a
    # subject ("Russia fired") it is an actor.
    countries = [m for m in ms if m.place.kind == "country" and _locative(st.doc, m)]
    pool = settlements or regions or countries
    if not pool:
        return None
    return min(pool, key=lambda m: abs(m.start - item.fig.start))


def _locative(doc: Doc, m: Mention) -> bool:
    span = char_span(doc, m.start, m.end)
    if span is None:
        return False
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in ("in", "across", "throughout", "inside",
                                                         "within", "over")


def _inherited_place(st: _State, idx: int) -> Mention | None:
    """The place the story was at in the sentences just before (same paragraph first)."""
    para = st.para_of.get(idx)
    for j in range(idx - 1, max(-1, idx - 5), -1):
        if st.para_of.get(j) not in (para, (para or 0) - 1) and j < idx - 1:
            break
        s = st.sents[j]
        spk = st.attributor().speaker_spans(s)
        ms = [m for m in st.mentions if s.start_char <= m.start < s.end_char and
              m.place.kind != "country" and not any(a <= m.start < b for a, b in spk) and
              _place_ok(st, m)]
        settlements = [m for m in ms if m.place.kind == "settlement"]
        if settlements or ms:
            return (settlements or ms)[-1]
    if st.last_toll is not None and (para or 0) - st.last_toll[0] <= 2:
        return st.last_toll[1]  # the story's tolls go on: "Earlier in the day ... gave a toll"
    return None


def _own_event_cue(sent: Span) -> bool:
    """A sentence telling an event of its own ("Russia fired 150 missiles ..., killing
    dozens"), not continuing one already told ("the attack", a toll)."""
    for f in find_cues(sent):
        if refers_back(f.tok) or f.tok.lemma_ in cw.KILL_LEMMAS | cw.WOUND_LEMMAS or \
                f.tok.pos_ != "VERB":
            continue  # a weapon named ("an S-300 missile") tells no new event
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in f.tok.children):
            continue
        objs = [c for c in f.tok.children if c.dep_ == "dobj"] + [
            g for c in f.tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if f.tok.pos_ == "VERB" and objs and all(
                o.tag_ == "NN" and any(d.dep_ == "det" and d.lower_ in ("the", "this", "that")
                                       for d in o.children) for o in objs):
            continue  # "two rockets had hit the station": the station already told
        return True
    return False


def _claim_date(st: _State, idx: int, item: _Item) -> tuple[date | None, int | None]:
    scope = _scope(item.tok)
    found = _dates_in(st, scope)
    if found:
        best = min(found, key=lambda d: (d.precision, abs(d.start - item.fig.start)))
        return best.value, best.precision
    return None, None


def _fallback_date(st: _State, idx: int, origin: Source | None, state_claim: bool
                   ) -> tuple[date | None, int | None]:
    published = st.article.published
    if state_claim:
        # A share or a count holds on the day it was stated: "said on Tuesday that ...".
        said = _speaker_date(st, idx, st.sents[idx])
        if said is not None:
            return said
    if state_claim and origin is not None:
        # The day the same speaker was last quoted with a date.
        for j in range(idx - 1, max(-1, idx - 12), -1):
            prev = st.attributor().for_sentence(st.sents[j]).origin
            day = _speaker_date(st, j, st.sents[j])
            if prev is not None and prev.name == origin.name and day is not None:
                return day
    para = st.para_of.get(idx)
    for j in range(idx - 1, -1, -1):
        if st.para_of.get(j) != para:
            break
        days = [d for d in st.dates if st.sents[j].start_char <= d.start < st.sents[j].end_char
                and d.precision == 1]
        if days:
            return days[-1].value, 1
    if published is None:
        return None, None
    return published, 2


def _compatible(ev_date: date | None, value: date | None, precision: int | None) -> bool:
    if value is None or ev_date is None:
        return True
    if precision == 1:
        return ev_date == value
    if precision == 2:
        return -7 <= (ev_date - value).days <= 7
    return ev_date.year == value.year and ev_date.month == value.month


_VIOLENT = frozenset({lx.SHELLING, lx.AIR, lx.IED, lx.CLASH, lx.ATTACK,
                      "Attack", "Suicide bomb", "Grenade"})


def _best_event(events: Sequence[Event], place: Mention | None, sent: Span,
                value: date | None, precision: int | None,
                story: dict[int, str] | None = None) -> Event | None:
    cands: list[tuple[tuple[object, ...], Event]] = []
    for ev in events:
        same_sent = sent.start_char <= ev.evidence_start < sent.end_char
        same_place = place is not None and ev.location.place.geonameid == place.place.geonameid
        if not (same_place or (same_sent and place is None)):
            continue
        if not _compatible(ev.event_date, value, precision):
            continue
        after = ev.evidence_start > sent.end_char
        told = story is not None and story.get(ev.location.place.geonameid) == ev.event_id
        # The most precisely dated account first (a toll of "last week's strike" is the
        # strike dated to the day elsewhere), then the sentence's own event, then the event
        # the place's earlier tolls were of.
        key = (ev.sub_event_type not in _VIOLENT, ev.time_precision or 9, not same_sent,
               not told, after, abs(ev.evidence_start - sent.start_char))
        cands.append((key, ev))
    if not cands:
        return None
    return min(cands, key=lambda c: c[0])[1]


def _build(st: _State, idx: int, item: _Item, events: Sequence[Event], sent_ms: list[Mention]
           ) -> Claim:
    sent = st.sents[idx]
    art = st.article
    att = _attribution(st, idx, item.tok)
    spk_side = speaker_side(att.origin)
    spk = st.attributor().speaker_spans(sent)
    if item.kind == "casualties" and item.side is None and item.victims == "military":
        item.side, item.victims = _whose(_counted(item.tok, item.fig.start), spk_side)
    if item.kind == "quantity" and item.holder is None and item.action in (
            "liberated", "recaptured") and spk_side in ("russia", "ukraine"):
        item.holder = spk_side  # each side announces its own liberations
    scope = _scope(item.tok)
    period = _period(st, scope, item.tok, art.published)
    place = _sentence_place(st, idx, item, sent_ms, spk)
    value, precision = _claim_date(st, idx, item)
    event: Event | None = None
    # A day's count ("in the past 24 hours", "in a day") is that day's; only longer
    # periods are cumulative.
    one_day = period is not None and period[1] is not None and period[1] == period[2]
    cumulative = period is not None and not one_day
    if one_day and period is not None and value is None:
        value, precision = period[1], period[3]
    if item.kind == "casualties" and not cumulative:
        if place is None and not _own_event_cue(sent):
            place = _inherited_place(st, idx)
        event = _best_event(events, place, sent, value, precision, st.story)
        if place is not None:
            st.last_toll = (st.para_of.get(idx, 0), place)
        if event is not None:
            st.story.setdefault(event.location.place.geonameid, event.event_id)
            if place is None:
                place = event.location
            if value is None or (precision or 9) > (event.time_precision or 9):
                value, precision = event.event_date, event.time_precision
    if value is None and period is None:
        value, precision = _fallback_date(st, idx, att.origin, item.kind != "casualties")
    sources: tuple[Source, ...] = att.sources
    modality = cast(Modality, modality_for(att))
    if event is not None and sent.start_char <= event.evidence_start < sent.end_char and \
            event.sources and not att.sources:
        sources, modality = event.sources, event.modality
    sources = or_outlet(sources, art.outlet)
    text = sent.text.strip()
    start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
    valid_from: date | None
    valid_to: date | None
    if period is not None:
        words, valid_from, valid_to, precision = period
    else:
        words, valid_from, valid_to = None, value, value
    background = False
    if not period and value is not None and art.published is not None and \
            (art.published - value).days > BACKGROUND_DAYS + (30 if precision == 3 else 0):
        background = True
    return Claim(
        claim_id=_claim_id(art.id, item.kind, item.fig.start, item.low, item.high, item.unit),
        article_id=art.id, article=art.name, kind=cast(ClaimKind, item.kind),
        evidence=text, evidence_start=start, evidence_end=start + len(text),
        place=place.place if place is not None else None,
        side=cast(Side | None, item.side), holder=cast(Holder | None, item.holder),
        low=item.low, high=item.high, unit=item.unit,
        killed_or_injured=item.ctype == "both",
        valid_from=valid_from, valid_to=valid_to, as_of=art.published,
        date_precision=precision, background=background, modality=modality,
        sources=sources, qualifier=item.qualifier, cumulative=cumulative,
        period=words, victims=item.victims,
        action=item.action if item.kind != "casualties" else _ACTION.get(item.ctype or ""),
        event_id=event.event_id if event is not None else None,
    )


# -- fatalities ----------------------------------------------------------------------------


def _toll(c: Claim) -> float:
    return c.low if c.low is not None else (c.high or 0.0)


def attach_fatalities(events: Sequence[Event], claims: Sequence[Claim]
                      ) -> tuple[list[Event], list[Claim]]:
    """Each event's deaths from the claims that belong to it, and the superseded tolls.

    Deaths only, never killed-and-wounded figures nor cumulative ones. Tolls of the same
    side for one event are revisions: the highest wins, the rest are superseded. Different
    sides' dead add up. Events with no stated deaths keep None."""
    by_event: dict[str, list[Claim]] = {}
    for c in claims:
        if c.kind == "casualties" and c.event_id and not c.cumulative and \
                c.unit == "people" and not c.killed_or_injured:
            by_event.setdefault(c.event_id, []).append(c)
    superseded: set[str] = set()
    deaths: dict[str, int] = {}
    for eid, cs in by_event.items():
        # One statement may break the dead down by side ("3 soldiers and 2 civilians"):
        # those add up. Statements about the same event revise one another: the highest
        # total wins.
        per_sentence: dict[int, dict[str, Claim]] = {}
        for c in cs:
            key = c.side if c.side in ("russia", "ukraine") else "other"
            groups = per_sentence.setdefault(c.evidence_start, {})
            if key not in groups or _toll(c) > _toll(groups[key]):
                groups[key] = c
        totals = {start: sum(int(_toll(c)) for c in g.values())
                  for start, g in per_sentence.items()}
        best_start = max(totals, key=lambda k: (totals[k], k))
        deaths[eid] = totals[best_start]
        superseded.update(c.claim_id for c in cs if totals[c.evidence_start] <
                          totals[best_start])
    out_events = [replace(ev, fatalities=deaths.get(ev.event_id, ev.fatalities))
                  for ev in events]
    out_claims = [replace(c, superseded=True) if c.claim_id in superseded else c
                  for c in claims]
    return out_events, out_claims


# -- entry point ---------------------------------------------------------------------------


def extract_claims(doc: Doc, article: Article, mentions: Sequence[Mention],
                   dates: Sequence[DateMention], events: Sequence[Event],
                   descriptions: Sequence[tuple[int, int]] = (),
                   attributor: Attributor | None = None,
                   spans: Sequence[dates_mod.DateSpan] | None = None
                   ) -> tuple[list[Event], list[Claim]]:
    """The article's quantified claims, and its events with their fatalities set.

    `attributor` and `spans` (find_date_spans of the text) are reused when the caller has
    them already."""
    sents = sentences(doc)
    text = doc_text(doc)
    st = _State(
        article=article, doc=doc,
        mentions=[m for m in mentions if not any(a <= m.start < b for a, b in descriptions)],
        dates=dates, sents=sents, text=text, _attributor=attributor,
        spans=spans if spans is not None else dates_mod.find_date_spans(text, article.published))
    para, para_end = -1, -1
    for i, s in enumerate(sents):
        if s.start_char > para_end:
            para += 1
            para_end = _para_end(st, s)
            if st.lead_para < 0 and s.start_char > 0 and para_end - s.start_char >= LEAD_MIN_CHARS:
                st.lead_para = para
        st.para_of[i] = para
    claims: list[Claim] = []
    seen: set[str] = set()
    for i, s in enumerate(sents):
        sent_ms = [m for m in st.mentions if s.start_char <= m.start < s.end_char]
        items = _items(st, i, sent_ms)
        for item in items:
            claim = _build(st, i, item, events, sent_ms)
            if claim.claim_id in seen:
                continue
            seen.add(claim.claim_id)
            claims.append(claim)
    out_events, out_claims = attach_fatalities(events, claims)
    return out_events, out_claims
