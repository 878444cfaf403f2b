"""Who did it: an event's actor and side, and its second actor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import Mention
from . import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


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
    if any(t.lower_ in ("partisans", "partisan") for t in tokens):
        # "Ukrainian partisans" are the resistance, not the army the adjective names.
        return lx.ACTOR_WORDS["partisans"]
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
        if not subjects and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            # "Russian forces, supported by air units, clashed with ...", parsed with the
            # verb hanging off the subject noun.
            candidates.append(tok.head)
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
            # The pronoun stands for the nearest subject (or predicate noun: "it was a
            # Russian missile") before it that names a force.
            earlier = [t for t in sent if t.i < cand.i and (
                t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "attr" and t.pos_ == "NOUN"))]
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


def _actor2(sub: str, side: str, sent_low: str, place: Mention) -> tuple[str | None, str | None]:
    if sub in (lx.CLASH, lx.GOV_REGAINS, lx.NSA_OVERTAKES):
        other = "ukraine" if side == "russia" else "russia"
        if other == "russia" and "wagner" in sent_low:
            return lx.WAGNER, "russia"
        return (lx.RUSSIA_MIL if other == "russia" else lx.UKRAINE_MIL), other
    if sub == lx.DISRUPTED and side in ("russia", "ukraine"):
        # What a side shoots down is the other side's.
        other = "ukraine" if side == "russia" else "russia"
        return (lx.RUSSIA_MIL if other == "russia" else lx.UKRAINE_MIL), other
    if sub in (lx.ATTACK, lx.ABDUCTION, lx.LOOTING):
        return (lx.CIVILIANS_RU if place.place.country == "RU" else lx.CIVILIANS_UA), "other"
    if sub in (lx.SHELLING, lx.AIR, lx.IED):
        if re.search(r"\b(civilian|civilians|residential|homes?|houses?|hospital|school|"
                     r"apartment|people|residents)\b", sent_low):
            civ = lx.CIVILIANS_RU if place.place.country == "RU" else lx.CIVILIANS_UA
            return civ, "other"
        if re.search(r"\bpositions?\b|\btroops\b|\bunits?\b", sent_low):
            other = "ukraine" if side == "russia" else "russia"
            return (lx.RUSSIA_MIL if other == "russia" else lx.UKRAINE_MIL), other
    return None, None


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


def _infer_remote_actor(place: Mention, spk_side: str | None) -> tuple[str, str, bool] | None:
    # Strikes reported without a named attacker: ACLED's coders, too, attribute them to
    # the force on the other side of the line from the place hit.
    country = place.place.country
    if country == "UA" or spk_side == "ukraine":
        return "russia", lx.RUSSIA_MIL, False
    if country == "RU" or spk_side == "russia":
        return "ukraine", lx.UKRAINE_MIL, False
    return None
