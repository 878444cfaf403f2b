"""Statements of who holds a place now: "the city remains in Russian hands", "Ukraine has
not withdrawn from the city". They are no events, but they are what a control timeline
needs between the captures: who held the town on the day of the report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from ..nlp import doc_text
from ..records import Article, Claim, DateMention, Holder, Mention, Modality, Side, Source

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_HOLD = re.compile(
    # Present tense only: "was under Russian control until September" is history.
    r"\b(?:remains?|is|are|stays?|(?:has|have)\s+been)\s+"
    r"(?:still\s+|firmly\s+|now\s+|fully\s+|again\s+)?(?:in|under)\s+(?:the\s+)?(?:full\s+)?"
    r"(?P<side>Russian|Ukrainian|Ukraine's|Russia's)\s+(?:hands|control)\b"
    r"|\b(?P<side2>Russian|Ukrainian)\s+(?:forces|troops|units)\s+(?:still|continue\s+to)\s+"
    r"(?:hold|control)\b", re.I)
# "had been controlled by Russian forces since the end of February", "has been under Russian
# rule since March": who held it from a date.
_SINCE = re.compile(
    r"\b(?:has|have|had)\s+been\s+(?:(?:controlled|held|occupied)\s+by\s+(?:the\s+)?"
    r"(?P<side>Russian|Ukrainian)\s+(?:forces|troops|army|military)"
    r"|under\s+(?P<side2>Russian|Ukrainian)\s+(?:rule|control|occupation))\s*,?\s*"
    r"(?=since\b)", re.I)
# The subject is a part of the place: "the northeast portion of the city is under Russian
# control" says nothing of who holds the rest.
_PART_OF = re.compile(r"\b(?:part|parts|portion|portions|half|sections?|districts?|outskirts|"
                      r"quarters?|neighbou?rhoods?|\d+\s*(?:%|percent))\s+of\s+(?:the\s+)?"
                      r"(?:[\w’'-]+\s+){0,3}$", re.I)
# "Russian forces still hold X": X is the object, with at most "the town of" between.
_OBJECT_GAP = re.compile(r"^\s*(?:the\s+)?(?:(?:city|town|village|settlement)\s+of\s+)?$",
                         re.I)
# "continue to hold Mariupol hostage": a figure of speech, not control of the town.
_HOSTAGE = re.compile(r"\s*[\"“”'‘’]?\s*(?:as\s+(?:a\s+)?)?hostages?\b", re.I)
_IRREALIS = re.compile(r"\b(if|unless|would|could|might|may|will|whether|until|till)\b", re.I)
_ANAPHORA = re.compile(r"\b(the city|the town|the village|the settlement|it)\b", re.I)


def _side(word: str) -> Side:
    return "russia" if word.lower().startswith("russia") else "ukraine"


def _claim(article: Article, sent: Span, place: Mention, holder: Side,
           sources: tuple[Source, ...], modality: str) -> Claim:
    text = sent.text.strip()
    start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
    raw = "|".join([article.id, "holds", str(place.place.geonameid), holder, str(start)])
    return Claim(
        claim_id=hashlib.sha1(raw.encode()).hexdigest()[:16], article_id=article.id,
        article=article.name, kind="control", evidence=text, evidence_start=start,
        evidence_end=start + len(text), place=place.place, side=holder,
        holder=cast(Holder, holder), as_of=article.published,
        date_precision=1 if article.published else None,
        modality=cast(Modality, modality), sources=sources)


def _place_before(pos: int, mentions: Sequence[Mention], last: Sequence[Mention],
                  text: str) -> Mention | None:
    before = [m for m in mentions if m.start < pos and m.place.kind == "settlement"]
    if before:
        return before[-1]
    if last and _ANAPHORA.search(text):
        return last[0]
    return None


def holding_claims(sent: Span, mentions: Sequence[Mention], last_places: Sequence[Mention],
                   article: Article, sources: tuple[Source, ...], modality: str,
                   dates: Sequence[DateMention] = ()) -> list[Claim]:
    """"X remains in Russian hands", "under Ukrainian control", "Russian forces still hold
    X": who holds X as of the report; "has been under Russian rule since March": since when.
    """
    out: list[Claim] = []
    for m in _SINCE.finditer(sent.text):
        pos = sent.start_char + m.end()
        since = next((d for d in dates if d.start == pos and d.value is not None), None)
        place = _place_before(sent.start_char + m.start(), mentions, last_places,
                              sent.text[:m.start()])
        if since is None or place is None or since.value is None:
            continue
        held_by = _side(m.group("side") or m.group("side2"))
        past = m.group(0).lower().startswith("had")
        claim = _claim(article, sent, place, held_by, sources, modality)
        # "had been held since February" is over by the report; "has been" still holds.
        out.append(replace(claim, valid_from=since.value, date_precision=since.precision,
                           background=True, as_of=None if past else article.published))
    if _IRREALIS.search(sent.text):
        return out
    for m in _HOLD.finditer(sent.text):
        side = m.group("side") or m.group("side2")
        pos = sent.start_char + m.start()
        if m.group("side2"):
            # "Russian forces still hold Bakhmut": the place follows as the object, not
            # "still control part of the island southwest of Kherson".
            end = sent.start_char + m.end()
            place = next((x for x in mentions if x.start >= end and
                          x.place.kind == "settlement"), None)
            if place is not None and (not _OBJECT_GAP.match(
                    doc_text(sent.doc)[end:place.start]) or _HOSTAGE.match(
                    doc_text(sent.doc), place.end)):
                place = None
        elif _PART_OF.search(sent.text[:m.start()]):
            continue
        else:
            place = _place_before(pos, mentions, last_places, sent.text[:m.start()])
        if place is not None:
            out.append(_claim(article, sent, place, _side(side), sources, modality))
    return out


def not_withdrawn(tok: Token, sent: Span, mentions: Sequence[Mention],
                  last_places: Sequence[Mention], side: str | None, article: Article,
                  sources: tuple[Source, ...], modality: str) -> Claim | None:
    """"Ukraine has not withdrawn from the city": the side still holds it."""
    if side not in ("russia", "ukraine"):
        return None
    lo = min(t.idx for t in tok.subtree)
    hi = max(t.idx + len(t.text) for t in tok.subtree)
    inside = [m for m in mentions if lo <= m.start < hi and m.place.kind == "settlement"
              and _left_directly(tok, m.start)]
    place = inside[0] if inside else (last_places[0] if last_places and _ANAPHORA.search(
        doc_text(sent.doc)[lo:hi]) and not any(t.pos_ == "VERB" for t in tok.subtree
                                                if t.i != tok.i) else None)
    if place is None:
        return None
    return _claim(article, sent, place, cast(Side, side), sources, modality)


def _left_directly(tok: Token, start: int) -> bool:
    """The place is what was (not) left: "has not withdrawn from Bakhmut", not "has not
    abandoned efforts to encircle Kyiv", where Kyiv is another verb's object."""
    at = next((t for t in tok.subtree if t.idx <= start < t.idx + len(t.text)), None)
    while at is not None and at.i != tok.i:
        if at.pos_ in ("VERB", "AUX"):
            return False
        at = at.head if at.head.i != at.i else None
    return True
