"""Events from parsed sentences: cue, actor and side, place, date, movement, modality."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, cast

from ..places.score import distance_km
from ..records import (
    Article,
    Claim,
    DateMention,
    Event,
    Holder,
    Mention,
    Modality,
    Movement,
    Side,
    Source,
)
from . import lexicon as lx
from .attribution import Attribution, Attributor, modality_for, speaker_side
from .holding import holding_claims, not_withdrawn
from .syntax import (
    clause_head,
    clause_tokens,
    is_background,
    is_habitual,
    is_irrealis,
    is_negated,
    is_present,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

_ANAPHORA = re.compile(
    r"\b(in the area|in that area|there|the city|the town|the village|the settlement|"
    r"its outskirts|the area|the dam|the plant|the bridge|the station)\b", re.I)
_MOVEMENT_RANK = {"capture": 5, "stalled": 4, "withdraw": 3, "hold": 2, "advance": 1}
_TITLE_HEADS = frozenset({"ministry", "minister", "council", "department", "staff",
                          "service", "command", "institute", "office", "secretary",
                          "ministries", "ministers", "forces"})


@dataclass(frozen=True, slots=True)
class _Found:
    cue: lx.Cue
    tok: Token


def _cue_for_token(tok: Token) -> lx.Cue | None:
    low = tok.lower_
    if tok.pos_ in ("VERB",) and tok.lemma_ in lx.VERB_CUES:
        return lx.VERB_CUES[tok.lemma_]
    # The tagger sometimes takes a rare noun for an adjective ("completes pullback").
    nounish = tok.pos_ in ("NOUN", "PROPN") or (
        tok.pos_ == "ADJ" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"))
    if nounish and (tok.lemma_ in lx.NOUN_CUES or low in lx.NOUN_CUES):
        if tok.dep_ == "compound":
            return None
        if tok.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "LAW", "FAC"):
            return None
        if tok.lemma_.lower() in ("defence", "defense", "defences", "defenses") and any(
                c.lower_ == "air" for c in tok.children):
            return None  # air defences are a weapon, not a stand
        if tok.head.lower_ in _TITLE_HEADS or (tok.head.head.lower_ in _TITLE_HEADS and
                                               tok.dep_ == "pobj"):
            return None
        return lx.NOUN_CUES.get(tok.lemma_) or lx.NOUN_CUES[low]
    return None


def _refine_kind(cue: lx.Cue, tok: Token) -> lx.Cue:
    """Modifiers decide a strike's kind: "drone attack" is an air strike."""
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    mods |= {c.lower_ for c in tok.subtree if c.dep_ == "pobj" and c.head.lower_ == "with"}
    if tok.pos_ == "VERB":
        # "three Shahed-type drones hit the district": the weapon is the subject.
        for c in tok.children:
            if c.dep_ == "nsubj" and c.lower_ not in ("force", "forces"):
                mods |= {c.lower_} | {
                    g.lower_ for g in c.children if g.dep_ in ("compound", "amod")}
    if mods & lx.AIR_MODIFIERS:
        return replace(cue, kind="air", movement=None)
    if mods & lx.IED_MODIFIERS:
        return replace(cue, kind="ied", movement=None)
    if mods & lx.SHELLING_MODIFIERS and cue.kind == "clash":
        return replace(cue, kind="shelling", movement=None)
    return cue


def find_cues(sent: Span) -> list[_Found]:
    found: list[_Found] = []
    seen: set[int] = set()
    low = sent.text.lower()
    for phrase, phrase_cue in lx.PHRASE_CUES:
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", low):
            char = sent.start_char + m.start()
            tok = next((t for t in sent if t.idx >= char), None)
            if tok is not None and tok.i not in seen:
                found.append(_Found(phrase_cue, tok))
                seen.update(range(tok.i, tok.i + len(phrase.split())))
    for tok in sent:
        if tok.i in seen:
            continue
        cue = _cue_for_token(tok)
        if cue is None:
            continue
        found.append(_Found(_refine_kind(cue, tok), tok))
    return found


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


def _actor_from_tokens(tokens: Sequence[Token], spk_side: str | None) -> tuple[str, str] | None:
    text = " ".join(t.lower_ for t in tokens)
    for t in tokens:
        low = t.lower_
        if low in lx.ENEMY_WORDS and spk_side in ("russia", "ukraine"):
            side = "russia" if spk_side == "ukraine" else "ukraine"
            return side, lx.RUSSIA_MIL if side == "russia" else lx.UKRAINE_MIL
        if low in lx.SPEAKER_SIDE_WORDS and spk_side in ("russia", "ukraine"):
            return spk_side, lx.RUSSIA_MIL if spk_side == "russia" else lx.UKRAINE_MIL
        if low in ("its", "their") and t.dep_ == "poss" and spk_side in ("russia", "ukraine") \
                and t.head.lower_ in ("troops", "forces", "units", "servicemen"):
            # A ministry on "its troops" speaks of its own side.
            return spk_side, lx.RUSSIA_MIL if spk_side == "russia" else lx.UKRAINE_MIL
    for t in tokens:
        low = t.lower_.replace("’", "'").removesuffix("'s")
        if low in lx.ACTOR_WORDS:
            side, actor = lx.ACTOR_WORDS[low]
            if actor in (lx.RUSSIA_MIL, lx.UKRAINE_MIL):
                if "wagner" in text:
                    return "russia", lx.WAGNER
                for phrase, branch in lx.BRANCHES.items():
                    if phrase in text:
                        return side, f"{actor} {branch}"
                unit = re.search(r"\b(\d+)(?:st|nd|rd|th)\s+((?:separate\s+)?(?:\w+\s+){0,2}"
                                 r"(?:brigade|regiment|battalion|division|corps|army))", text)
                if unit:
                    name = f"{unit.group(1)}{_ordinal(unit.group(1))} {unit.group(2).title()}"
                    return side, f"{actor} {name}"
            return side, actor
    return None


def _ordinal(num: str) -> str:
    n = int(num)
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _actor_for(tok: Token, sent: Span, clause: set[int], spk_side: str | None,
               cue: lx.Cue, exclude: Sequence[tuple[int, int]] = ()
               ) -> tuple[str, str, bool] | None:
    """(side, actor, explicit) of who initiated the event `tok` names."""
    doc = tok.doc
    candidates: list[Token] = []
    if tok.pos_ == "VERB":
        subjects = [c for c in tok.children if c.dep_ in ("nsubj",)]
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        candidates += agent + subjects
        if not subjects and tok.dep_ in ("conj", "xcomp", "advcl"):
            candidates += [c for c in tok.head.children if c.dep_ == "nsubj"]
            if tok.dep_ == "xcomp":  # "the forces were forced to leave"
                candidates += [c for c in tok.head.children if c.dep_ == "nsubjpass"]
        passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if passive and cue.movement in ("stalled", "withdraw", "hold") and not agent:
            candidates += passive
    else:
        if tok.dep_ in ("amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN"):
            # "a defensive stance", "offensive actions": the phrase's head carries it.
            tok = tok.head
        candidates += [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        candidates += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "of")
                       for g in c.children if g.dep_ == "pobj"]
        head = tok.head
        if tok.dep_ in ("dobj", "attr", "pobj", "conj") and head.pos_ in ("VERB", "AUX", "ADP"):
            verb = head if head.pos_ != "ADP" else head.head
            candidates += [c for c in verb.children if c.dep_ == "nsubj"]
            if verb.dep_ in ("xcomp", "conj") and not any(c.dep_ == "nsubj"
                                                          for c in verb.children):
                candidates += [c for c in verb.head.children if c.dep_ == "nsubj"]
        if tok.dep_ in ("nsubj", "nsubjpass"):
            candidates += [c for c in tok.children if c.dep_ == "prep"]
    for cand in candidates:
        if cand.lower_ in ("they", "them", "it", "who", "which"):
            # The pronoun stands for the nearest subject before it that names a force.
            earlier = [t for t in sent if t.i < cand.i and t.dep_ in ("nsubj", "nsubjpass")]
            for subj in reversed(earlier):
                got = _actor_from_tokens(list(subj.subtree), spk_side)
                if got:
                    return got[0], got[1], True
            continue
        got = _actor_from_tokens(list(cand.subtree), spk_side)
        if got:
            return got[0], got[1], True
    if cue.implied_side:
        # Each side calls its own captures "liberation".
        side = spk_side if spk_side in ("russia", "ukraine") else cue.implied_side
        return side, lx.UKRAINE_MIL if side == "ukraine" else lx.RUSSIA_MIL, True
    # The speaker's own description ("the chief of the Ukrainian army") names no actor,
    # nor does a place's ("the eastern Ukrainian city of Kramatorsk", "in Ukraine").
    clause_toks = [doc[i] for i in sorted(clause)
                   if not any(a <= doc[i].idx < b for a, b in exclude)
                   and not _describes_place(doc[i])]
    got = _actor_from_tokens(clause_toks, spk_side)
    if got:
        return got[0], got[1], False
    if spk_side in ("russia", "ukraine") and cue.movement in ("capture", "advance", "hold"):
        # A party announcing "the taking of the town" with no agent speaks of its own side.
        return spk_side, lx.RUSSIA_MIL if spk_side == "russia" else lx.UKRAINE_MIL, False
    return None


_FORCE_NOUNS = frozenset({
    "troops", "forces", "force", "army", "military", "soldiers", "units", "unit", "aircraft",
    "artillery", "drones", "drone", "missiles", "missile", "jets", "navy", "fighters", "side",
    "servicemen", "gunners", "bombers", "warplanes", "helicopters", "rockets", "rocket",
    "brigade", "brigades", "battalion", "regiment", "division", "paratroopers", "marines",
    "sappers", "group", "groups", "command", "defenders", "offensive", "counteroffensive",
    "attack", "attacks", "assault", "assaults", "strike", "strikes", "shelling", "fire",
    "advance", "advances", "operation", "tanks", "armour", "armor", "infantry", "positions"})
_LOCATIVE_PREPS = frozenset({"in", "across", "near", "to", "into", "of", "at", "around",
                             "throughout", "inside", "within", "from", "over"})


def _describes_place(tok: Token) -> bool:
    low = tok.lower_.removesuffix("'s").removesuffix("’s")
    if low not in lx.ACTOR_WORDS:
        return False
    if tok.dep_ in ("amod", "compound", "poss") and tok.head.lower_ not in _FORCE_NOUNS:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS


def _movement(cue: lx.Cue, tok: Token) -> str | None:
    movement = cue.movement
    if cue.kind != "clash":
        return movement
    # The verb that governs an advance decides whether it went on: "the advance has
    # been stopped", "have slowed", "slowing down Russian advances".
    gov = tok.head if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") else None
    if gov is not None and gov.dep_ == "prep":
        gov = gov.head
    if gov is not None:
        if gov.lemma_ in lx.STALL_LEMMAS:
            return "stalled"
        if gov.lemma_ in lx.HOLD_LEMMAS:
            return "stalled" if movement in ("advance", None) else movement
    if tok.lower_ == "pushed" and any(c.dep_ == "auxpass" for c in tok.children):
        return "withdraw"
    return movement


_KIND_OF_SUB = {lx.SHELLING: "shelling", lx.AIR: "air", lx.IED: "ied", lx.DISRUPTED: "disrupted",
                lx.GOV_REGAINS: "capture", lx.NSA_OVERTAKES: "capture", lx.ARREST: "arrest"}


def _sub_event(kind: str, side: str, place: Mention, movement: str | None = None) -> str:
    if kind == "clash" and movement == "withdraw":
        # A pullback is ACLED's non-violent transfer; the fighting before it is its own event.
        return lx.NONVIOLENT_TRANSFER
    if kind == "capture":
        if side == "ukraine" and place.place.country == "UA":
            return lx.GOV_REGAINS
        return lx.NSA_OVERTAKES if side == "russia" else lx.GOV_REGAINS
    return {
        "clash": lx.CLASH,
        "shelling": lx.SHELLING,
        "air": lx.AIR,
        "ied": lx.IED,
        "disrupted": lx.DISRUPTED,
        "arrest": lx.ARREST,
    }.get(kind, lx.CLASH)


def _actor2(sub: str, side: str, sent_low: str, place: Mention) -> tuple[str | None, str | None]:
    if sub in (lx.CLASH, lx.GOV_REGAINS, lx.NSA_OVERTAKES):
        other = "ukraine" if side == "russia" else "russia"
        if other == "russia" and "wagner" in sent_low:
            return lx.WAGNER, "russia"
        return (lx.RUSSIA_MIL if other == "russia" else lx.UKRAINE_MIL), other
    if sub in (lx.SHELLING, lx.AIR, lx.IED):
        if re.search(r"\b(civilian|civilians|residential|homes?|houses?|hospital|school|"
                     r"apartment|people|residents)\b", sent_low):
            civ = lx.CIVILIANS_RU if place.place.country == "RU" else lx.CIVILIANS_UA
            return civ, "other"
        if re.search(r"\bpositions?\b|\btroops\b|\bunits?\b", sent_low):
            other = "ukraine" if side == "russia" else "russia"
            return (lx.RUSSIA_MIL if other == "russia" else lx.UKRAINE_MIL), other
    return None, None


_CAPITAL_PLACE_NOUNS = frozenset({"outskirts", "suburbs", "centre", "center", "district",
                                  "districts", "region", "oblast", "streets", "airport",
                                  "outskirt", "neighbourhoods", "neighborhoods", "skies"})


def _metonymic(m: Mention, doc: Doc) -> bool:
    """A capital standing for its government: "Kyiv's accusations", "sabotage by Kyiv",
    "Moscow says"; only a capital named as a location is an event's place."""
    if re.match(r"\s+time\b", doc.text[m.end:m.end + 6]):
        return True  # "5 a.m. Moscow time" is a clock
    if re.match(r"\s+People['’]s\s+Republic", doc.text[m.end:m.end + 20]):
        return True  # a self-proclaimed republic, not its capital
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
        doc.text[max(0, m.start - 4):m.start].lower() == "the "


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
                 doc: Doc | None = None, towns: Sequence[Mention] = ()) -> list[Mention]:
    # A country is never an event's place ("seized by Russia" names the actor).
    keep = [m for m in sent_ms if m.place.kind != "country" and
            (doc is None or not (_metonymic(m, doc) or _river(m, doc)))]
    clause_ms = [m for m in clause_ms if m in keep]
    pool = _coherent(clause_ms or keep, towns)
    settlements = [m for m in pool if m.place.kind == "settlement"]
    return settlements or pool


def _event_id(article_id: str, *parts: object) -> str:
    raw = "|".join([article_id, *(str(p) for p in parts)])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass
class _Context:
    article: Article
    dates: Sequence[DateMention]
    attributor: Attributor
    last_date: DateMention | None = None
    last_places: tuple[Mention, ...] = ()
    # The headline's places by cue kind: a body sentence telling the headline's event
    # without naming the place ("the withdrawal was completed") happened there.
    headline_places: dict[str, tuple[Mention, ...]] | None = None
    # The day the current paragraph's news was dated to, and where the paragraph ends.
    para_date: DateMention | None = None
    para_end: int = -1
    towns: tuple[Mention, ...] = ()  # every settlement the article names
    dated_places: dict[int, date] = field(default_factory=dict)  # place -> day of its news
    history_places: set[int] = field(default_factory=set)  # places of long-past events
    in_lead: bool = False  # inside the first body paragraph
    lead_seen: bool = False


def extract_events(doc: Doc, article: Article, mentions: Sequence[Mention],
                   dates: Sequence[DateMention],
                   descriptions: Sequence[tuple[int, int]] = ()
                   ) -> tuple[list[Event], list[Claim]]:
    """All events of one article, merged per (actor, action, place, date).

    `descriptions` are spans that only say where a place is ("a village 10 km south of
    Orikhiv"): the places in them are not where anything happened."""
    ctx = _Context(article, dates, Attributor(doc))
    ctx.towns = tuple(m for m in mentions if m.place.kind == "settlement")
    # Rivers, clocks and capitals speaking for governments are nowhere, for any sentence.
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in descriptions)
                and not _river(m, doc) and not _metonymic(m, doc)]
    events: dict[tuple[object, ...], Event] = {}
    claims: list[Claim] = []
    for sent in doc.sents:
        if sent.start_char > ctx.para_end:
            end = doc.text.find("\n\n", sent.start_char)
            ctx.para_end = len(doc.text) if end < 0 else end
            ctx.para_date = None
            ctx.in_lead = False
            if not ctx.lead_seen and sent.start_char > 0 and \
                    ctx.para_end - sent.start_char >= LEAD_MIN_CHARS:
                ctx.in_lead = ctx.lead_seen = True
        sent_ms = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        att = ctx.attributor.for_sentence(sent)
        said = att.sources or ((Source(article.outlet, "media"),) if article.outlet else ())
        claims.extend(holding_claims(sent, sent_ms, ctx.last_places, article, said,
                                     modality_for(att), dates))
        for ev, claim in _sentence_events(sent, sent_ms, ctx):
            if claim is not None:
                claims.append(claim)
            if ev is None:
                continue
            key = (ev.side1, ev.actor1, ev.sub_event_type, ev.location.place.geonameid,
                   ev.event_date, ev.movement)
            if key in events:
                old = events[key]
                if (ev.time_precision or 9) < (old.time_precision or 9):
                    # The body's dated account of the headline's event tells it better.
                    old, ev = ev, old
                names = {s.name for s in old.sources}
                merged = old.sources + tuple(s for s in ev.sources if s.name not in names)
                events[key] = replace(old, sources=merged)
            else:
                events[key] = ev
        settlements = tuple(m for m in sent_ms if m.place.kind == "settlement")
        if settlements:
            ctx.last_places = settlements
        days = [d for d in dates if sent.start_char <= d.start < sent.end_char and
                d.precision == 1 and not re.match(r"(since|until|till|before|from)\b", d.text,
                                                   re.I)]
        if days:
            ctx.para_date = days[-1]
        if ctx.headline_places is None:
            ctx.headline_places = {}
            for ev in events.values():
                kind = _KIND_OF_SUB.get(ev.sub_event_type, "clash")
                ctx.headline_places.setdefault(kind, ())
                ctx.headline_places[kind] += (ev.location,)
    return _date_from_siblings(list(events.values()), article.published), claims


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


def _sentence_date(sent: Span, tok: Token, ctx: _Context,
                   ref_date: tuple[date, int] | None = None) -> tuple[date | None, int | None]:
    text = sent.doc.text
    # "since the end of March" starts a period; it does not date this event.
    in_sent = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char
               and not re.search(r"\b(since|until|till|before|from)\s+(the\s+)?$",
                                 text[max(0, d.start - 16):d.start], re.I)
               and not re.match(r"(since|until|till|before|from)\b", d.text, re.I)]
    head = clause_head(tok)
    in_clause = [d for d in in_sent if any(t.idx <= d.start < t.idx + len(t.text)
                                           for t in head.subtree)]
    in_sent = in_clause or in_sent
    if "same day" in sent.text.lower() and ctx.last_date is not None:
        return ctx.last_date.value, ctx.last_date.precision
    if in_sent:
        best = min(in_sent, key=lambda d: (d.precision, abs(d.start - tok.idx)))
        ctx.last_date = best
        if best.precision == 1:
            ctx.para_date = best
        return best.value, best.precision
    if ref_date is not None:
        return ref_date
    published = ctx.article.published
    if published is None:
        return None, None
    if is_present(head):
        # "units are entering the city": news in the present happens on the report's day.
        return published, 1
    if ctx.para_date is not None:
        # A paragraph tells one day's news: "On Sunday ... . The ministry said ...".
        return ctx.para_date.value, ctx.para_date.precision
    # No date in the text: the report's own date, honestly marked as only the week.
    return published, 2


def _sentence_events(sent: Span, sent_ms: list[Mention], ctx: _Context
                     ) -> list[tuple[Event | None, Claim | None]]:
    cues = find_cues(sent)
    if not cues:
        return []
    att: Attribution = ctx.attributor.for_sentence(sent)
    if not att.sources:
        # A news lead states the facts and the official who gave them speaks next; so
        # does a paragraph that opens on a strike ("... hit Kharkiv. The governor said").
        att = (ctx.attributor.following(sent, LEAD_LOOKAHEAD) if ctx.in_lead
               else ctx.attributor.following(sent, 1, ctx.para_end))
    spk_side = speaker_side(att.origin)
    # Places inside the speaker's own description ("head of the Donetsk Oblast
    # administration") are not where the event happened.
    spk_spans = ctx.attributor.speaker_spans(sent)
    sent_ms = [m for m in sent_ms if not any(a <= m.start < b for a, b in spk_spans)]
    # "Hours after the Belgorod strike": Belgorod dates the news, it is not its place.
    ref_spans = [(min(t.idx for t in f.tok.subtree),
                  max(t.idx + len(t.text) for t in f.tok.subtree), f.tok)
                 for f in cues if _refers_back(f.tok)]
    ref_date: tuple[date, int] | None = None
    for a, b, rtok in ref_spans:
        for m in sent_ms:
            if a <= m.start < b and m.place.geonameid in ctx.dated_places:
                when = ctx.dated_places[m.place.geonameid]
                if any(t.lower_ == "day" for t in rtok.head.head.children) or \
                        sent.doc[max(rtok.head.i - 1, 0)].lower_ == "day":
                    when = date.fromordinal(when.toordinal() + 1)  # "a day after"
                ref_date = (when, 1)
    sent_ms = [m for m in sent_ms if not any(a <= m.start < b for a, b, _ in ref_spans)]
    out: list[tuple[Event | None, Claim | None]] = []
    sent_low = sent.text.lower()
    by_clause: dict[int, list[tuple[lx.Cue, Token]]] = {}
    for f in cues:
        if any(a <= f.tok.idx < b for a, b in spk_spans):
            continue  # "Ukraine's Air Force said": the speaker, not a strike
        reason = is_irrealis(f.tok, attempt_ok=f.cue.kind != "capture")
        if reason:
            log.debug("irrealis (%s): %r", reason, f.tok.text)
            continue
        if is_negated(f.tok) and f.cue.movement not in ("hold", "stalled"):
            if f.cue.movement == "withdraw" and f.tok.pos_ == "VERB":
                subj = [c for c in f.tok.children if c.dep_ == "nsubj"]
                who = _actor_from_tokens(list(subj[0].subtree), spk_side) if subj else None
                held = not_withdrawn(f.tok, sent, sent_ms, ctx.last_places,
                                     who[0] if who else None, ctx.article, att.sources,
                                     modality_for(att))
                if held is not None:
                    out.append((None, held))
            continue
        if f.cue.needs_place_object and not _has_place_object(f.tok, sent_ms):
            continue
        if _refers_back(f.tok) or is_habitual(f.tok):
            continue
        head = clause_head(f.tok)
        by_clause.setdefault(head.i, []).append((f.cue, f.tok))
    for head_i, items in by_clause.items():
        head = sent.doc[head_i]
        clause = clause_tokens(head)
        clause_ms = [m for m in sent_ms if any(t.idx <= m.start < t.idx + len(t.text)
                                                for t in (sent.doc[i] for i in clause))]
        places = _pick_places(clause_ms, sent_ms, sent.doc, ctx.towns)
        inherited = False
        if not places and ctx.last_places and _ANAPHORA.search(sent.text):
            places = [replace(m, geo_precision=max(m.geo_precision, 2)) for m in ctx.last_places]
            inherited = True
        if not places and ctx.headline_places:
            for cue, _tok in items:
                if cue.kind in ctx.headline_places:
                    places = [replace(m, geo_precision=max(m.geo_precision, 2))
                              for m in ctx.headline_places[cue.kind]]
                    inherited = True
                    break
        if not places:
            continue
        # One event per kind in a clause; the strongest movement wins.
        merged: dict[str, tuple[lx.Cue, Token, str | None]] = {}
        for cue, tok in items:
            mv = _movement(cue, tok)
            prev = merged.get(cue.kind)
            if prev is None or _MOVEMENT_RANK.get(mv or "", 0) > _MOVEMENT_RANK.get(
                    prev[2] or "", 0):
                actor_tok = tok if prev is None else prev[1]
                merged[cue.kind] = (cue if prev is None else prev[0], actor_tok, mv)
        if "capture" in merged and "clash" in merged and merged["clash"][2] != "stalled":
            del merged["clash"]
        if "shelling" in merged and ("air" in merged or "ied" in merged):
            # "three Shahed drones hit the district": one drone strike, not also shelling.
            del merged["shelling"]
        for kind, (cue, tok, movement) in merged.items():
            if kind == "capture" and _takes_area(tok):
                # "liberated over 200 square kilometres": ground, not the towns named.
                continue
            tok_att = ctx.attributor.for_token(tok, att)
            spk_side = speaker_side(tok_att.origin)
            actor = _actor_for(tok, sent, clause, spk_side, cue, spk_spans)
            if actor is None and kind == "clash" and _attack_on_town(tok, sent_ms):
                # "Saturday's attack on the centre of Belgorod", nobody named: in this
                # war an attack on a town with no ground force in the sentence is a strike.
                kind = "shelling"
            if actor is None and kind in ("shelling", "air", "ied", "disrupted"):
                actor = _infer_remote_actor(places[0], spk_side)
            if actor is None:
                continue
            side, actor1, _explicit = actor
            attacker = _repelled(tok, spk_side)
            if attacker is not None and attacker[0] != side:
                # "Russian units repelled Ukrainian assaults": the clash is Ukraine's
                # attack, and it stalled.
                side, actor1 = attacker
                movement = "stalled"
            background = is_background(tok, sent)
            for place in places:
                out.append(_build(sent, ctx, tok_att, tok, cue, kind, side, actor1, movement,
                                  place,
                                  sent_low, background, inherited, ref_date))
    return out


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


_REPEL_LEMMAS = frozenset({"repel", "repulse", "thwart", "foil", "beat", "drive", "fight"})


def _repelled(tok: Token, spk_side: str | None) -> tuple[str, str] | None:
    """Who attacked, when `tok` says an attack was repelled or beaten back."""
    if tok.pos_ != "VERB" or tok.lemma_ not in _REPEL_LEMMAS:
        return None
    if tok.lemma_ in ("beat", "drive", "fight") and not any(
            c.dep_ in ("prt", "advmod") and c.lower_ in ("back", "off") for c in tok.children):
        return None
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            got = _actor_from_tokens(list(c.subtree), spk_side)
            if got is not None:
                return got
    return None


BACKGROUND_DAYS = 30
RECENT_DAYS = 7
LEAD_LOOKAHEAD = 3  # sentences after an unattributed lead where its source may speak
LEAD_MIN_CHARS = 120  # a body paragraph, not a dateline or a crumb


def _long_before(value: date | None, precision: int | None, published: date | None) -> bool:
    if value is None or published is None:
        return False
    if precision == 3:  # a month counts from its last day
        nxt = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        value = date.fromordinal(nxt.toordinal() - 1)
    return (published - value).days > BACKGROUND_DAYS


def _infer_remote_actor(place: Mention, spk_side: str | None) -> tuple[str, str, bool] | None:
    # Strikes reported without a named attacker: ACLED's coders, too, attribute them to
    # the force on the other side of the line from the place hit.
    country = place.place.country
    if country == "UA" or spk_side == "ukraine":
        return "russia", lx.RUSSIA_MIL, False
    if country == "RU" or spk_side == "russia":
        return "ukraine", lx.UKRAINE_MIL, False
    return None


def _build(sent: Span, ctx: _Context, att: Attribution, tok: Token, cue: lx.Cue, kind: str,
           side: str, actor1: str, movement: str | None, place: Mention, sent_low: str,
           background: bool, inherited: bool, ref_date: tuple[date, int] | None = None
           ) -> tuple[Event | None, Claim | None]:
    art = ctx.article
    ev_date, precision = _sentence_date(sent, tok, ctx, ref_date)
    lo = min(t.idx for t in tok.subtree)
    hi = max(t.idx + len(t.text) for t in tok.subtree)
    if background and precision == 1 and ev_date is not None and art.published is not None \
            and 0 <= (art.published - ev_date).days <= RECENT_DAYS and \
            any(lo <= d.start < hi for d in ctx.dates):
        # "The number killed in Saturday's attack has risen": dated news, not history.
        background = False
    if _long_before(ev_date, precision, art.published):
        # "Russian forces took Avdiivka in February 2024", in a piece of August 2024:
        # history the article recalls, not its news.
        background = True
        ctx.history_places.add(place.place.geonameid)
    elif precision == 2 and ev_date == art.published and not is_present(clause_head(tok)) \
            and place.place.geonameid in ctx.history_places:
        # Undated past fighting at a place whose fall the article dated long ago
        # ("Russia needed four months of assaults to take Avdiivka") is that history.
        background = True
    sources: tuple[Source, ...] = att.sources
    if not sources and art.outlet:
        sources = (Source(art.outlet, "media"),)
    modality = cast(Modality, modality_for(att))
    start = sent.start_char
    text = sent.text.strip()
    start += len(sent.text) - len(sent.text.lstrip())
    end = start + len(text)
    claim: Claim | None = None
    if kind == "capture" and side in ("russia", "ukraine") and place.geo_precision == 1:
        # Only the settlement itself changes hands: "gains around Bakhmut" do not.
        claim = Claim(
            claim_id=_event_id(art.id, "control", place.place.geonameid, side, start),
            article_id=art.id, article=art.name, kind="control", evidence=text,
            evidence_start=start, evidence_end=end, place=place.place,
            side=cast(Side, side), holder=cast(Holder, side),
            # A background capture keeps the date the text gives it ("fell on 2 March"),
            # never the report's own date standing in for none.
            valid_from=ev_date if not background or precision != 2 else None,
            as_of=art.published,
            date_precision=precision if not background or precision != 2 else None,
            background=background, modality=modality, sources=sources)
    if background:
        return None, claim
    if precision == 1 and ev_date is not None:
        ctx.dated_places.setdefault(place.place.geonameid, ev_date)
    sub = _sub_event(kind, side, place, movement)
    actor2, side2 = _actor2(sub, side, sent_low, place)
    notes = "place inferred from the previous sentence" if inherited else ""
    event = Event(
        event_id=_event_id(art.id, side, actor1, sub, place.place.geonameid, ev_date, movement,
                           start),
        article_id=art.id,
        article=art.name,
        event_date=ev_date,
        time_precision=precision,
        event_type=lx.EVENT_TYPE_OF.get(sub, "Battles"),
        sub_event_type=sub,
        actor1=actor1,
        side1=cast(Side, side),
        actor2=actor2,
        side2=cast(Side | None, side2),
        movement=cast(Movement | None, movement),
        modality=modality,
        fatalities=None,  # set after extraction from casualty claims (claims.py)
        location=place,
        sources=sources,
        evidence=text,
        evidence_start=start,
        evidence_end=end,
        notes=notes,
    )
    return event, claim
