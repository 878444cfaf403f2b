"""The sentence pass: which figures of a sentence are claims, and of which kind (a
casualty count, a share of territory, a counted quantity)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..records import Mention
from . import claim_words as cw
from .actors import _actor_from_tokens as actor_from_tokens
from .claim_context import _place_ok, _State
from .figures import (
    _casualty_type,
    _counted,
    _numeral_token,
    _person_count,
    _scope,
    _verb_type,
    _whose,
    char_span,
)
from .numbers import _NOT_A_COUNT_AFTER, _PARTITIVE, _SQUARE_BEFORE_UNIT, Figure, find_figures
from .syntax import is_irrealis

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# -- the sentence pass ---------------------------------------------------------------------


# A casualty claim's unit says what was counted, so that a claim read back from storage
# tells the dead from the wounded: "people" are the dead (or, with killed_or_injured, the
# dead and wounded together), "wounded" the wounded only.
_CASUALTY_UNIT = {"killed": "people", "wounded": "wounded", "both": "people"}
_ACTION = {"killed": "killed", "wounded": "wounded", "both": "killed_or_injured"}


@dataclass
class _Item:
    kind: str  # casualties | territory_share | quantity
    fig: Figure
    tok: Token  # the numeral's token
    ctype: str | None = None  # killed | wounded | both
    side: str | None = None
    victims: str | None = None
    unit: str | None = None
    action: str | None = None
    holder: str | None = None
    place: Mention | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None


def _items(st: _State, idx: int, sent_ms: list[Mention]) -> list[_Item]:
    sent = st.sents[idx]
    doc = st.doc
    text = st.text
    items: list[_Item] = []
    for fig in find_figures(sent.text, sent.start_char):
        if any(d.start <= fig.start < d.end or fig.start <= d.start < fig.end
               for d in st.dates):
            continue
        after = text[fig.end:fig.end + 24]
        square = bool(_SQUARE_BEFORE_UNIT.match(after))
        if not square and _NOT_A_COUNT_AFTER.match(after) and not fig.percent:
            continue
        tok = _numeral_token(doc, fig)
        if tok is None:
            continue
        if is_irrealis(tok) or any(c.dep_ == "neg" for c in tok.head.children
                                   if tok.head.pos_ in ("VERB", "AUX")):
            continue
        partitive = bool(_PARTITIVE.match(after)) and fig.qualifier != "vague"
        subset = any(a.lower_ in cw.SUBSET_PREPS for a in tok.ancestors
                     if a.i < tok.i and a.dep_ == "prep")
        if fig.percent:
            item = _share(st, fig, tok, sent_ms)
        else:
            item = None
            counted = _counted(tok, fig.start)
            if not (partitive or subset):
                first = char_span(doc, fig.start, fig.value_end)
                before = doc[first.start - 1] if first is not None and first.start > 0 else None
                ctype = _casualty_type(tok, counted, before)
                if ctype is not None:
                    item = _Item("casualties", fig, tok, ctype=ctype)
                    item.side, item.victims = _whose(counted, None)
                    item.unit = _CASUALTY_UNIT[ctype]
                    if item.side is None and counted.dep_ == "dobj" and \
                            counted.head.lemma_ in cw.LOSE_LEMMAS:
                        # "Russia lost 800 soldiers": the loser's own.
                        subj = [t for c in counted.head.children if c.dep_ == "nsubj"
                                for t in c.subtree]
                        got = actor_from_tokens(subj, None) if subj else None
                        item.side = got[0] if got else None
            if item is None and not subset:
                item = _quantity(st, fig, tok, counted, square, partitive, items)
        if item is None:
            continue
        item.low, item.high, item.qualifier = fig.low, fig.high, fig.qualifier
        items.append(item)
    items += _people_named(st, sent, items)
    return _merge_increments(_parallel(items, st, sent))


def _share(st: _State, fig: Figure, tok: Token, sent_ms: list[Mention]) -> _Item | None:
    counted = _counted(tok, fig.start)
    scope = _scope(tok)
    verbs = [a for a in counted.ancestors if a.pos_ in ("VERB", "AUX")][:2]
    verbs += [t for t in scope if t.lemma_ in cw.CONTROL_LEMMAS and t.pos_ in ("VERB", "NOUN")
              and abs(t.i - tok.i) <= 8]
    control = next((v for v in verbs if v.lemma_ in cw.CONTROL_LEMMAS), None)
    if control is None:
        return None
    # The region or country the share is of: "52% of the area of the Donetsk region".
    of_toks = [g for c in counted.children if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.subtree]
    lo = min((t.idx for t in of_toks), default=fig.end)
    hi = max((t.idx + len(t.text) for t in of_toks), default=fig.end + 60)
    sent_ms = [m for m in sent_ms if _place_ok(st, m)]
    where = [m for m in sent_ms if lo <= m.start < hi] or [
        m for m in sent_ms if m.start >= fig.end][:1]
    item = _Item("territory_share", fig, tok, unit="percent")
    item.place = next((m for m in where if m.place.kind == "region"), None) or (
        where[0] if where else None)
    item.action = control.lemma_
    subj = [c for c in control.children if c.dep_ in ("nsubj", "agent")]
    holder_toks = [t for s in subj for t in s.subtree]
    got = actor_from_tokens(holder_toks, None) if holder_toks else None
    if got is None:
        got = actor_from_tokens([t for t in control.children if t.dep_ in ("prep", "amod")], None)
    side = got[0] if got else None
    if side is not None and control.lemma_ in cw.LOSS_LEMMAS:
        side = "ukraine" if side == "russia" else "russia"
    item.holder = item.side = side
    return item


def _quantity(st: _State, fig: Figure, tok: Token, counted: Token, square: bool,
              partitive: bool, earlier: list[_Item]) -> _Item | None:
    unit: str | None = None
    if square:
        nxt = st.text[fig.end:fig.end + 24].lower()
        unit = "mi2" if "mile" in nxt else "km2"
    elif partitive:
        prev = [i for i in earlier if i.kind == "quantity"]
        unit = prev[-1].unit if prev else None
    else:
        noun = counted if counted.i != tok.i else None
        if noun is not None:
            unit = cw.UNIT_OF_NOUN.get(noun.lower_) or cw.UNIT_OF_NOUN.get(noun.lemma_.lower())
            if unit is None:
                unit = next((cw.UNIT_OF_NOUN[c.lower_] for c in noun.children
                             if c.dep_ == "compound" and c.lower_ in cw.UNIT_OF_NOUN), None)
    if unit is None:
        return None
    # The verbs over the counted thing say what happened to it: "launched 31 drones",
    # "23 of them were shot down", "the total recaptured ... to 44 square kilometres".
    ups = list(counted.ancestors)[:4] if counted.i != tok.i else list(tok.ancestors)[:4]
    scope = ups + [c for a in ups[:2] for c in a.children if c.dep_ in ("prt", "acl", "amod")]
    if counted.i != tok.i:
        scope += [c for c in counted.children if c.dep_ in ("acl", "amod", "relcl")]
    action = _action(tok, scope)
    if action is None:
        # A parse gone astray: the nearest verb just before the figure.
        action = _action(tok, [t for t in tok.doc[max(0, tok.i - 6):tok.i]
                               if t.pos_ == "VERB"])
    if action is None:
        return None
    item = _Item("quantity", fig, tok, unit=unit, action=action)
    if unit in ("settlements", "km2", "mi2", "ha"):
        verb = next((t for t in _scope(tok) if t.lemma_.lower() in cw.ACTION_OF_LEMMA and
                     cw.ACTION_OF_LEMMA[t.lemma_.lower()] == action), None)
        toks = [t for c in (verb.children if verb is not None else ())
                if c.dep_ in ("nsubj", "agent") for t in c.subtree]
        got = actor_from_tokens(toks, None) if toks else None
        item.holder = got[0] if got else None
    return item


def _action(tok: Token, scope: Sequence[Token]) -> str | None:
    """The nearest action word of the figure's clause: "launched", "shot down", "retaking"."""
    best: tuple[int, str] | None = None
    for t in scope:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "NOUN", "ADJ", "ADP", "ADV") or lemma not in cw.ACTION_OF_LEMMA:
            continue
        if lemma in ("down",) and t.head.lemma_ != "shoot":
            continue
        act = cw.ACTION_OF_LEMMA[lemma]
        if lemma == "shoot" and not any(c.lower_ == "down" for c in t.children):
            continue
        dist = abs(t.i - tok.i)
        if best is None or dist < best[0]:
            best = (dist, act)
    return best[1] if best else None


def _people_named(st: _State, sent: Span, found: list[_Item]) -> list[_Item]:
    """Deaths told person by person: "killing a boy and his grandmother" is two dead."""
    out: list[_Item] = []
    for t in sent:
        if t.pos_ != "VERB":
            continue
        vt = _verb_type(t, t)
        if vt not in ("killed", "wounded"):
            continue
        if any(f.tok.head.i == t.i or f.tok.head.head.i == t.i for f in found):
            continue
        n = _person_count(t)
        if n is None:
            continue
        lo = min(x.idx for x in t.subtree)
        hi = max(x.idx + len(x.text) for x in t.subtree)
        fig = Figure(lo, hi, st.text[lo:hi], n, n, None, False, hi)
        item = _Item("casualties", fig, t, ctype=vt, unit=_CASUALTY_UNIT[vt], low=n, high=n)
        item.side, item.victims = "other", "civilians"
        out.append(item)
    return out


def _parallel(items: list[_Item], st: _State, sent: Span) -> list[_Item]:
    """"put the toll at 51 ... and at 52 the following day": a bare figure in the same
    preposition as a toll just read is the same toll, revised."""
    done = list(items)
    typed = [i for i in items if i.kind == "casualties" and i.tok.dep_ == "pobj"]
    if not typed:
        return done
    for fig in find_figures(sent.text, sent.start_char):
        if any(i.fig.start == fig.start for i in items) or fig.percent:
            continue
        tok = _numeral_token(st.doc, fig)
        if tok is None or tok.dep_ != "pobj":
            continue
        before = st.text[max(0, fig.start - 12):fig.start].lower()
        src = next((i for i in typed if i.tok.head.lower_ == tok.head.lower_ and
                    re.search(r"\b(and|then|,)\s+" + re.escape(tok.head.lower_) + r"\s+$",
                              before)), None)
        if src is None:
            continue
        it = _Item("casualties", fig, tok, ctype=src.ctype, side=src.side,
                   victims=src.victims, unit=src.unit, low=fig.low, high=fig.high,
                   qualifier=fig.qualifier)
        done.append(it)
    return sorted(done, key=lambda i: i.fig.start)


def _merge_increments(items: list[_Item]) -> list[_Item]:
    """"38 people died at the station and another 12 in hospital": one toll of 50."""
    out: list[_Item] = []
    for it in items:
        doc = it.tok.doc
        prev_word = doc[it.tok.i - 1].lower_ if it.tok.i > 0 else ""
        increment = prev_word in ("another", "further", "additional") or any(
            c.lower_ in ("another", "further", "additional") for c in it.tok.children)
        base = next((o for o in reversed(out) if o.kind == "casualties"), None)
        if increment and base is not None and it.kind in ("casualties", "quantity") and (
                it.ctype in (None, base.ctype)) and base.low is not None and it.low is not None:
            base.low += it.low
            if base.high is not None and it.high is not None:
                base.high += it.high
            base.fig = replace(base.fig, end=max(base.fig.end, it.fig.end))
            continue
        if it.kind == "quantity" and increment:
            continue
        out.append(it)
    return out
