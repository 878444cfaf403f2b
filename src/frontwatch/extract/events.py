"""Events from parsed sentences: cue, actor and side, place, date, movement, modality.

Who acted is read in `actors`, where in `placing`, and how old the news is in `dating`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, cast

from ..nlp import doc_text, sentences
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
)
from . import lexicon as lx
from .actors import _actor2, _actor_for, _actor_from_tokens, _infer_remote_actor, _repelled
from .attribution import Attribution, Attributor, modality_for, or_outlet, speaker_side
from .dating import RECENT_DAYS, _date_from_siblings, _long_before, _refers_back
from .holding import holding_claims, not_withdrawn
from .placing import (
    _attack_on_town,
    _has_place_object,
    _metonymic,
    _pick_places,
    _river,
    _takes_area,
    capture_places,
)
from .syntax import (
    bounds_period,
    clause_head,
    clause_tokens,
    is_attributive,
    is_background,
    is_habitual,
    is_irrealis,
    is_negated,
    is_present,
    subject_chain,
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


_BASE_CUE = lx.Cue("base")
_IED_CUE = lx.Cue("ied")
# Nouns that are an explosive left behind when a mine-like word qualifies them:
# "an explosive device", "an unexploded shell".
_IED_HEADS = frozenset({"device", "charge", "shell", "munition", "projectile", "object",
                        "item", "element", "trap", "ordnance", "explosion", "blast"})
# What a passer-by does to an explosive left behind: "stepped on", "activated".
_SET_OFF = frozenset({"activate", "trigger", "step", "detonate", "handle", "touch", "pick"})
_LOOT_CUE = lx.Cue("loot")


def _base_cue(tok: Token) -> lx.Cue | None:
    """ "set up headquarters in a school", "turned the plant into a base", "troops were
    stationed in the hospital": a force making a place its base."""
    if tok.lemma_ in ("station", "garrison", "quarter"):
        return _BASE_CUE if tok.tag_ == "VBN" else None
    if tok.lemma_ == "set" and not any(c.dep_ == "prt" and c.lower_ == "up"
                                       for c in tok.children):
        return None
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if tok.lemma_ in ("turn", "convert"):
        objs = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "into"
                for g in c.children if g.dep_ == "pobj"]
    return _BASE_CUE if any(o.lemma_.lower() in lx.BASE_NOUNS or o.lower_ in lx.BASE_NOUNS
                            for o in objs) else None


# What an "interception" can stop that is no weapon.
_NOT_WEAPONS = frozenset({"conversation", "call", "communication", "message", "talk", "radio",
                          "transmission", "phone", "correspondence", "order"})
_TALLY = lx.Cue("clash", weak=True)
_LOSS = lx.Cue("clash", weak=True, loser=True)


def _is_military(np: Token) -> bool:
    return np.lower_ in lx.MILITARY_TARGETS or np.lemma_.lower() in lx.MILITARY_TARGETS or \
        (np.lower_ in lx.ACTOR_WORDS and np.pos_ in ("NOUN", "PROPN"))


def _death_cue(tok: Token) -> lx.Cue | None:
    """Deaths as the fighting they tell of: "killed 20 invaders" is the killers' fight,
    "40 Ukrainian soldiers killed", "servicemen died" the other side's; civilians killed
    by hand are an attack, killed by no one named are no event."""
    victims = [c for c in tok.children if c.dep_ == "nsubjpass"]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        victims.append(tok.head)  # "40 soldiers killed in battles"
    if not victims and tok.lemma_ == "kill" and any(c.dep_ == "dobj" for c in tok.children):
        if _harms_civilians(tok):
            return lx.VERB_CUES["kill"]
        return _TALLY if any(_is_military(o) for o in _objects(tok)) else None
    if tok.lemma_ != "kill":
        victims += [c for c in tok.children if c.dep_ == "nsubj"]  # "servicemen died"
    return _LOSS if any(_is_military(v) for v in victims) else None


def _cue_for_token(tok: Token) -> lx.Cue | None:
    low = tok.lower_
    if tok.pos_ == "VERB" and tok.lemma_ in lx.BASE_VERBS:
        return _base_cue(tok)
    if tok.pos_ == "VERB" and tok.lemma_ in ("kill", "die", "perish"):
        return _death_cue(tok)
    if tok.lemma_ in ("intercept", "interception") and any(
            o.lemma_.lower() in _NOT_WEAPONS for o in _objects(tok) + [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children]):
        return None  # intelligence "intercepts calls": no weapon stopped
    if tok.lemma_ == "hold" and any(c.lower_ in ("hostage", "hostages", "captive", "prisoner")
                                    for c in tok.children):
        return None  # "held hostage": a detention, not a stand
    if tok.lemma_ in ("leave", "withdraw") and any(
            c.dep_ == "nsubj" and (c.lower_ in lx.CIVILIAN_WORDS or c.lower_ in ("cars", "car"))
            for c in tok.children):
        return None  # "35,000 civilians have left Mariupol": people fleeing, not a front
    if tok.lemma_ in _IED_HEADS and tok.pos_ == "NOUN" and (any(
            c.lower_ in lx.IED_MODIFIERS for c in tok.children) or (
            tok.dep_ in ("dobj", "pobj") and tok.head.lemma_ in _SET_OFF)):
        # "an explosive device", "an unexploded shell", "accidentally activated a cluster
        # munition": explosives left behind or planted.
        return _IED_CUE
    if tok.lemma_ in ("grenade", "mine") and tok.head.lemma_ in ("launcher", "layer"):
        return None  # a grenade launcher is a gun, a minelayer a ship
    if tok.lemma_ == "burn" and any(c.dep_ == "prt" and c.lower_ == "down"
                                    for c in tok.children):
        return _LOOT_CUE
    if tok.pos_ in ("VERB",) and tok.lemma_ in lx.VERB_CUES:
        cue = lx.VERB_CUES[tok.lemma_]
        if cue.kind == "harm" and not _harms_civilians(tok):
            return None  # "shot two soldiers" is fighting, told by other words
        if cue.kind == lx.CAPTURE and (tok.dep_ == "amod" or (tok.tag_ == "VBN" and any(
                c.dep_ == "npadvmod" for c in tok.children)) or "-" in tok.text
                                            or is_attributive(tok)):
            # "occupied Kherson", "Russian-occupied areas": who holds a place, not its
            # capture.
            return None
        if cue.weak and not _tallies_fighting(tok):
            return None
        if tok.lemma_ == "fire" and not any(
                c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "into")
                for c in tok.children) \
                and not any(c.dep_ == "dobj" and c.lower_ in lx.SHELLING_MODIFIERS
                            for c in tok.children):
            return None  # "fired at the town", "fired rockets"; not "fired the commander"
        if tok.lemma_ == "seize" and any(c.dep_ == "prep" and c.lower_ in ("on", "upon")
                                         for c in tok.children) and not any(
                c.dep_ == "dobj" for c in tok.children):
            return None  # "milbloggers seized on the visit to criticise": an idiom
        return cue
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
    if cue.kind == "disrupted":
        return cue  # "air defence intercepted missiles": the weapons are what was stopped
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    # "with drones", "dropped from drones": the weapon that carried it.
    mods |= {c.lower_ for c in tok.subtree if c.dep_ == "pobj" and c.head.lower_ in
             ("with", "from")}
    if tok.lemma_ in ("inflict", "deal"):
        # "inflicted a fire defeat": how is told in the thing inflicted.
        mods |= {g.lower_ for c in tok.children if c.dep_ == "dobj" for g in c.children
                 if g.dep_ in ("compound", "amod")}
        if "fire" in mods:
            return replace(cue, kind="shelling", movement=None)
    if tok.pos_ == "VERB":
        # "three Shahed-type drones hit the district": the weapon is the subject.
        for c in tok.children:
            if c.dep_ == "nsubj" and c.lower_ not in ("force", "forces"):
                mods |= {c.lower_} | {
                    g.lower_ for g in c.children if g.dep_ in ("compound", "amod")}
            elif c.dep_ == "nsubj" and cue.weak:
                # "Aerospace Forces destroyed ...": the branch tells the weapon (an
                # interception by the "Air Force" is no air strike: not a tally).
                mods |= {g.lower_ for g in c.children if g.dep_ == "compound"}
    if mods & lx.AIR_MODIFIERS:
        return replace(cue, kind="air", movement=None)
    if mods & lx.IED_MODIFIERS:
        return replace(cue, kind="ied", movement=None)
    if mods & lx.SHELLING_MODIFIERS and cue.kind == "clash":
        return replace(cue, kind="shelling", movement=None)
    return cue


_PHRASES = [(re.compile(r"\b" + re.escape(p) + r"\b"), cue, len(p.split()))
            for p, cue in lx.PHRASE_CUES]
_ANY_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p, _ in lx.PHRASE_CUES) + r")\b")


def find_cues(sent: Span) -> list[_Found]:
    found: list[_Found] = []
    seen: set[int] = set()
    low = sent.text.lower()
    # Most sentences hold no phrase: one pass over them says so.
    for rx, phrase_cue, width in (_PHRASES if _ANY_PHRASE.search(low) else ()):
        for m in rx.finditer(low):
            char = sent.start_char + m.start()
            tok = next((t for t in sent if t.idx >= char), None)
            if tok is not None and tok.i not in seen:
                found.append(_Found(phrase_cue, tok))
                seen.update(range(tok.i, tok.i + width))
    for tok in sent:
        if tok.i in seen:
            continue
        cue = _cue_for_token(tok)
        if cue is None:
            continue
        found.append(_Found(_refine_kind(cue, tok), tok))
    return found


def _objects(tok: Token) -> list[Token]:
    """The verb's objects, with those joined to them: "40 invaders and five depots"."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        # "destroyed up to a hundred soldiers", parsed as a particle and a preposition.
        objs += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
                 for g in c.children if g.dep_ == "pobj"]
    return objs + [c for o in objs for c in o.children if c.dep_ == "conj"]


def _tallies_fighting(tok: Token) -> bool:
    """Whether a tally verb counts fighting: soldiers or kit destroyed ("destroyed up to
    30 Ukrainian soldiers", "the enemy MLRS"), a defeat inflicted, men lost."""
    objs = _objects(tok)
    if tok.lemma_ in ("inflict", "deal"):
        return any(o.lemma_.lower() in lx.INFLICTED or o.lower_ in lx.INFLICTED for o in objs)
    for o in objs:
        if o.lower_ in lx.MILITARY_TARGETS or o.lemma_.lower() in lx.MILITARY_TARGETS:
            return True
        if tok.lemma_ == "lose" and o.lower_ in ("people", "men", "personnel"):
            return True
        if tok.lemma_ != "lose" and any(
                t.lower_ in lx.ACTOR_WORDS or t.lower_ in lx.ENEMY_WORDS for t in o.subtree):
            return True  # "eliminated 40 Russians", "destroyed the enemy's guns"
    return False


def _harms_civilians(tok: Token) -> bool:
    """Whether the verb's victim is someone not fighting: "shot a farmer", "a resident
    was tortured"; in "kidnapped, tortured and killed a resident" the victim hangs on the
    last verb of the row."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if all(o.pos_ == "NUM" for o in objs):
        # "killed three and wounded eight civilians": the noun comes with the last verb.
        row = [c for c in tok.children if c.dep_ == "conj"]
        if tok.dep_ == "conj":
            row.append(tok.head)
        objs = [c for v in row for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
    return any(o.lower_ in lx.CIVILIAN_WORDS or o.lemma_.lower() in lx.CIVILIAN_WORDS
               for o in objs)


def _one_sided(cues: list[_Found]) -> list[_Found]:
    """Keep tallies and the one-sided cues (killing by hand, abduction, looting, a base)
    only where nothing else violent happens in the sentence."""
    others = any(f.cue.kind not in lx.ONE_SIDED_KINDS and f.cue.kind != "arrest"
                 and not f.cue.weak for f in cues)
    kept = [f for f in cues if not f.cue.weak or not others]
    kept = [f for f in kept if f.cue.kind not in lx.ONE_SIDED_KINDS or not others]
    if any(f.cue.kind == "harm" for f in kept):
        # ACLED codes an abduction that ends in a killing as the attack.
        kept = [f for f in kept if f.cue.kind != "abduct"]
    return kept


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
                lx.GOV_REGAINS: "capture", lx.NSA_OVERTAKES: "capture", lx.ARREST: "arrest",
                lx.ATTACK: "harm", lx.ABDUCTION: "abduct", lx.LOOTING: "loot", lx.HQ: "base"}


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
        "harm": lx.ATTACK,
        "abduct": lx.ABDUCTION,
        "loot": lx.LOOTING,
        "base": lx.HQ,
    }.get(kind, lx.CLASH)


LEAD_LOOKAHEAD = 3  # sentences after an unattributed lead where its source may speak
LEAD_MIN_CHARS = 120  # a body paragraph, not a dateline or a crumb


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
    told: bool = False  # an event was already told: later tallies are its aftermath


def extract_events(doc: Doc, article: Article, mentions: Sequence[Mention],
                   dates: Sequence[DateMention],
                   descriptions: Sequence[tuple[int, int]] = (),
                   attributor: Attributor | None = None
                   ) -> tuple[list[Event], list[Claim]]:
    """All events of one article, merged per (actor, action, place, date).

    `descriptions` are spans that only say where a place is ("a village 10 km south of
    Orikhiv"): the places in them are not where anything happened. `attributor` is the
    document's, when the caller already built it (claims read the same speakers)."""
    ctx = _Context(article, dates, attributor or Attributor(doc))
    ctx.towns = tuple(m for m in mentions if m.place.kind == "settlement")
    # Rivers, clocks and capitals speaking for governments are nowhere, for any sentence.
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in descriptions)
                and not _river(m, doc) and not _metonymic(m, doc)]
    events: dict[tuple[object, ...], Event] = {}
    claims: list[Claim] = []
    for sent in sentences(doc):
        if sent.start_char > ctx.para_end:
            end = doc_text(doc).find("\n\n", sent.start_char)
            ctx.para_end = len(doc_text(doc)) if end < 0 else end
            ctx.para_date = None
            ctx.in_lead = False
            if not ctx.lead_seen and sent.start_char > 0 and \
                    ctx.para_end - sent.start_char >= LEAD_MIN_CHARS:
                ctx.in_lead = ctx.lead_seen = True
        sent_ms = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        att = ctx.attributor.for_sentence(sent)
        said = or_outlet(att.sources, article.outlet)
        claims.extend(holding_claims(sent, sent_ms, ctx.last_places, article, said,
                                     modality_for(att), dates))
        for ev, claim in _sentence_events(sent, sent_ms, ctx):
            if claim is not None:
                claims.append(claim)
            if ev is None:
                continue
            ctx.told = True
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
                d.precision == 1 and not bounds_period(d, doc_text(doc))]
        if days:
            ctx.para_date = days[-1]
        if ctx.headline_places is None:
            ctx.headline_places = {}
            for ev in events.values():
                kind = _KIND_OF_SUB.get(ev.sub_event_type, "clash")
                ctx.headline_places.setdefault(kind, ())
                ctx.headline_places[kind] += (ev.location,)
    return _date_from_siblings(list(events.values()), article.published), claims


def _sentence_date(sent: Span, tok: Token, ctx: _Context,
                   ref_date: tuple[date, int] | None = None) -> tuple[date | None, int | None]:
    text = doc_text(sent.doc)
    # "since the end of March" starts a period; it does not date this event.
    in_sent = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char
               and not bounds_period(d, text)]
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
    cues = _one_sided(find_cues(sent))
    if ctx.told:
        # "More than 40 Ukrainian soldiers were killed", after the shelling it follows:
        # the casualties of the event told, not a fight of their own.
        cues = [f for f in cues if not f.cue.weak]
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
        if f.cue.needs_place_object and not _has_place_object(f.tok, sent_ms) and not (
                f.tok.lemma_ == "hit" and _tallies_fighting(f.tok)):
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
        places = _pick_places(clause_ms, sent_ms, ctx.towns)
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
        cap_places = places
        if "capture" in merged:
            cap_places = capture_places(merged, sent_ms, places)
        if "capture" in merged and "clash" in merged and merged["clash"][2] != "stalled":
            del merged["clash"]
        if "shelling" in merged and ("air" in merged or "ied" in merged):
            # "three Shahed drones hit the district": one drone strike, not also shelling.
            del merged["shelling"]
        if "disrupted" in merged and merged["disrupted"][1].pos_ == "VERB":
            # "shot down 2 Russian drones over Kherson": the drones are the interception's
            # object, not a strike of their own.
            # So are the booby traps sappers defused.
            for k in ("air", "shelling", "ied"):
                if k in merged and merged[k][1].i in {t.i for t in merged["disrupted"][1].subtree}:
                    del merged[k]
        for kind, (cue, tok, movement) in merged.items():
            if kind == "capture" and _takes_area(tok):
                # "liberated over 200 square kilometres": ground, not the towns named.
                continue
            where = cap_places if kind == "capture" else places
            tok_att = ctx.attributor.for_token(tok, att)
            spk_side = speaker_side(tok_att.origin)
            actor = _capture_actor(tok, spk_side, cue) if kind == "capture" else None
            if actor is None:
                actor = _actor_for(tok, sent, clause, spk_side, cue, spk_spans)
            elif not actor[0]:
                continue  # a capture reported by one side, the capturer never named
            if cue.loser and actor is not None:
                # "Ukraine's losses amounted to 55 soldiers": Russia's doing.
                actor = _other_force(actor[0], actor[2])
            elif cue.weak and actor is not None and not actor[2]:
                # A tally's subject is who did it; a side named elsewhere in the clause
                # ("marines destroyed seven invaders") is more likely the loser.
                actor = None
            if actor is None and kind == "clash":
                # "Over 40 Ukrainian soldiers killed in battles": the other side fought.
                victims = _victim_side(sent, spk_side)
                actor = _other_force(victims, False) if victims else None
            if actor is None and kind == "clash" and _attack_on_town(tok, sent_ms):
                # "Saturday's attack on the centre of Belgorod", nobody named: in this
                # war an attack on a town with no ground force in the sentence is a strike.
                kind = "shelling"
            if actor is None and kind in ("shelling", "air", "ied", "disrupted"):
                actor = _infer_remote_actor(where[0], spk_side)
            if actor is None:
                continue
            side, actor1, explicit = actor
            if kind in lx.ONE_SIDED_KINDS and not explicit:
                continue  # "a resident was shot": by whom the text does not say
            attacker = _repelled(tok, spk_side)
            if attacker is not None and attacker[0] != side:
                # "Russian units repelled Ukrainian assaults": the clash is Ukraine's
                # attack, and it stalled.
                side, actor1 = attacker
                movement = "stalled"
            background = is_background(tok, sent)
            for place in where:
                out.append(_build(sent, ctx, tok_att, tok, cue, kind, side, actor1, movement,
                                  place,
                                  sent_low, background, inherited, ref_date))
    return _clash_over_shelling(out)


# A capture named as what someone reported is not the reporter's deed: "Ukrainian
# officials confirmed the capture of X".
_REPORTING = lx.SPEECH_VERBS | {"verify", "dispute", "welcome", "celebrate", "mark",
                                "praise", "congratulate", "hail", "question", "doubt"}


def _capture_actor(tok: Token, spk_side: str | None, cue: lx.Cue
                   ) -> tuple[str, str, bool] | None:
    """Who captured, where the general reading of the actor goes wrong; ("", "", False)
    when nobody can be told, None to leave it to `_actor_for`."""
    if tok.pos_ == "VERB":
        if any(c.dep_ in ("nsubj", "agent") for c in tok.children):
            return None
        chain = subject_chain(tok)
        if any(is_irrealis(v) or is_negated(v) for v in chain[1:]):
            return "", "", False  # "prevented them from encircling, let alone seizing X"
        subj = [c for c in chain[-1].children if c.dep_ in ("nsubj", "nsubjpass")]
        got = _actor_from_tokens(list(subj[0].subtree), spk_side) if subj else None
        return (got[0], got[1], True) if got else None
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    if tok.dep_ not in ("dobj", "pobj", "conj") or verb.lemma_ not in _REPORTING:
        return None
    own = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
    own += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"
            for g in c.children if g.dep_ == "pobj"]
    for c in own:
        got = _actor_from_tokens(list(c.subtree), spk_side)
        if got:
            return got[0], got[1], True
    # The rest of the sentence may tell ("..., and Russian forces are still fighting
    # there"); the reporter, named as the reporting verb's subject, does not.
    reporter = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
    doers = [t for s in tok.sent if s.dep_ in ("nsubj", "nsubjpass") and s.i not in reporter
             for t in s.subtree]
    got = _actor_from_tokens(doers, spk_side)
    if got:
        return got[0], got[1], False
    if cue.implied_side:
        return None
    return "", "", False


def _clash_over_shelling(out: list[tuple[Event | None, Claim | None]]
                         ) -> list[tuple[Event | None, Claim | None]]:
    """Shelling told with fighting by the same side at the same place ("shelled, clashed
    with and advanced on Ukrainian troops near Marinka") is the fighting: ACLED codes a
    battle with its artillery as one armed clash."""
    fights = {(ev.side1, ev.location.place.geonameid) for ev, _ in out
              if ev is not None and ev.sub_event_type == lx.CLASH}
    return [(None, claim) if ev is not None and ev.sub_event_type == lx.SHELLING and
            (ev.side1, ev.location.place.geonameid) in fights else (ev, claim)
            for ev, claim in out]


def _other_force(side: str, explicit: bool) -> tuple[str, str, bool] | None:
    if side == "russia":
        return "ukraine", lx.UKRAINE_MIL, explicit
    if side == "ukraine":
        return "russia", lx.RUSSIA_MIL, explicit
    return None


_VICTIM_VERBS = frozenset({"kill", "eliminate", "destroy", "neutralize", "neutralise",
                           "liquidate", "wound", "injure", "die", "perish", "sink"})


def _victim_side(sent: Span, spk_side: str | None) -> str | None:
    """The one side the sentence says lost men: the killed, destroyed or dead."""
    sides: set[str] = set()
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_ not in _VICTIM_VERBS:
            continue
        nps = [c for c in t.children if c.dep_ == "nsubj"] if t.lemma_ in ("die", "perish") \
            else _objects(t)
        if t.dep_ == "acl" and t.tag_ == "VBN":
            nps.append(t.head)  # "40 soldiers killed in battles"
        for np in nps:
            # The noun phrase up to its head: "soldiers killed in battles in DPR" names
            # DPR as a place, not as a victim.
            got = _actor_from_tokens([x for x in np.subtree if x.i <= np.i], spk_side)
            if got is not None:
                sides.add(got[0])
    return sides.pop() if len(sides) == 1 else None


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
    sources = or_outlet(att.sources, art.outlet)
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
