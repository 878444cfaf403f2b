"""Reading one figure in its sentence: the noun it counts, what happened to them (killed,
wounded, both) and whose they are, from the dependency parse."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import claim_words as cw
from . import lexicon as lx
from .actors import _actor_from_tokens as actor_from_tokens
from .numbers import Figure

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters start..end (spaCy's "expand" alignment, without its
    walk over the whole document)."""
    starts = doc.user_data.get("_fw_token_starts")
    if starts is None or len(starts) != len(doc):
        starts = doc.user_data["_fw_token_starts"] = [t.idx for t in doc]
    first = max(0, bisect_right(starts, start) - 1)
    last = bisect_left(starts, end)
    if first >= last:
        return None
    return doc[first:last]


def _numeral_token(doc: Doc, fig: Figure) -> Token | None:
    span = char_span(doc, fig.start, fig.value_end)
    if span is None or not len(span):
        return None
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or t.lower_ in cw.VAGUE_LOW
            or t.lower_ in ("dozen", "dozens", "hundreds", "thousands", "scores", "millions")]
    return nums[-1] if nums else span[-1]


def _counted(tok: Token, start: int | None = None) -> Token:
    """The noun a numeral counts: "38 people" -> people, "dozens of civilians" -> civilians.
    `start` is where the figure begins, when known."""
    while tok.dep_ == "conj" and tok.head.pos_ == "NUM" and tok.head.i < tok.i and \
            start is not None and tok.head.idx >= start:
        tok = tok.head  # "between 20.000 and 30.000 soldiers": the range's first number
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("nummod", "quantmod", "compound", "amod") and cur.head.i != cur.i and \
                cur.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "PRON") and not any(
                    t.is_punct for t in cur.doc[min(cur.i, cur.head.i) + 1:
                                                max(cur.i, cur.head.i)]):
            cur = cur.head
            if cur.pos_ != "NUM":
                break
        else:
            break
    if cur.i == tok.i and tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "millions",
                                         "dozen", "several"):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
    if cur.i == tok.i and tok.dep_ == "pobj" and tok.head.lower_ == "of" and \
            tok.head.head.lower_ in ("%",):
        return tok.head.head
    return cur


def _words_after(doc: Doc, tok: Token, n: int = 5) -> list[Token]:
    out: list[Token] = []
    for t in doc[tok.i + 1: min(len(doc), tok.i + 1 + n)]:
        if t.is_punct or t.lower_ in ("of", "including", "among"):
            break
        out.append(t)
    return out


def _type_of_words(words: Sequence[str]) -> str | None:
    ws = [w.lower() for w in words]
    killed = any(w in cw.KILLED_WORDS for w in ws)
    wounded = any(w in cw.WOUNDED_WORDS for w in ws)
    both = any(w in cw.BOTH_WORDS for w in ws)
    if both or (killed and wounded):
        return "both"
    if killed:
        return "killed"
    if wounded:
        return "wounded"
    return None


def _verb_type(verb: Token, counted: Token) -> str | None:
    """What a verb governing a count of people says happened to them."""
    lemma = verb.lemma_.lower()
    low = verb.lower_
    base: str | None = None
    if lemma in cw.KILL_LEMMAS or low in cw.KILLED_WORDS:
        if lemma == "claim" and not any(t.lower_ == "lives" for t in verb.subtree):
            return None
        if lemma in ("eliminate", "liquidate", "neutralize", "neutralise") and \
                counted.lower_ not in cw.MILITARY_NOUNS:
            return None
        base = "killed"
    elif lemma in cw.WOUND_LEMMAS or low in cw.WOUNDED_WORDS:
        base = "wounded"
    elif lemma in cw.LOSE_LEMMAS and counted.lower_ in cw.MILITARY_NOUNS | {"men", "people"}:
        return "both"
    elif lemma == "destroy" and counted.lower_ in cw.MILITARY_NOUNS:
        base = "killed"
    else:
        # "were confirmed dead", "were found dead", "left N dead"
        for c in verb.children:
            if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.lower_ in \
                    cw.KILLED_WORDS | cw.WOUNDED_WORDS:
                return _type_of_words([c.lower_])
        return None
    # "killed or injured", "killed and wounded" sharing one count.
    partners = [c for c in verb.children if c.dep_ == "conj"]
    if verb.dep_ == "conj":
        partners.append(verb.head)
    for p in partners:
        ptype = _type_of_words([p.lower_, p.lemma_])
        between = verb.doc[min(p.i, verb.i) + 1:max(p.i, verb.i)]
        if ptype and ptype != base and len(between) == 1 and between[0].dep_ == "cc" and \
                not _has_own_count(p, counted):
            return "both"
    return base


def _has_own_count(verb: Token, other: Token) -> bool:
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.i != other.i and (
                c.like_num or any(g.dep_ == "nummod" for g in c.children)):
            return True
    return False


def _casualty_type(tok: Token, counted: Token, before: Token | None = None) -> str | None:
    got = _casualty_type_parse(tok, counted)
    if got is None and before is not None and before.pos_ == "VERB" and \
            before.tag_ in ("VBG", "VBD", "VBZ") and \
            before.lemma_ in cw.KILL_LEMMAS | cw.WOUND_LEMMAS and before.lemma_ != "claim":
        # "killing a boy and wounding some 30 people": the verb just before the figure.
        return "killed" if before.lemma_ in cw.KILL_LEMMAS else "wounded"
    return got


def _casualty_type_parse(tok: Token, counted: Token) -> str | None:
    # The counted noun names the toll: "civilian deaths", "injuries", "casualties", "7 dead".
    own = _type_of_words([counted.lower_]) if counted.i != tok.i else None
    if own:
        return own
    # "people killed", "wounded people", "the dead": modifiers of the counted noun.
    mods = [c for c in counted.children if c.dep_ in ("amod", "acl", "relcl", "compound")
            and c.i != tok.i]
    for c in mods:
        t = _type_of_words([c.lower_]) if c.dep_ != "relcl" else _verb_type(c, counted)
        if t:
            return t
    # The words right after: "seven dead", "two injured", "killed or injured".
    after = _words_after(tok.doc, counted if counted.i > tok.i else tok, 5)
    seq = [t for t in after if t.dep_ not in ("aux", "auxpass", "neg") and
           t.lower_ not in ("have", "has", "had", "been", "were", "was", "are", "is", "be")]
    if seq and seq[0].lower_ in cw.KILLED_WORDS | cw.WOUNDED_WORDS | cw.BOTH_WORDS:
        words = [seq[0].lower_]
        if len(seq) > 2 and seq[1].lower_ in ("or", "and") and \
                seq[2].lower_ in cw.KILLED_WORDS | cw.WOUNDED_WORDS:
            words.append(seq[2].lower_)
        elif seq[0].pos_ == "VERB":
            vt = _verb_type(seq[0], counted)
            if vt:
                return vt
        return _type_of_words(words)
    # The verb that has them as subject or object: "38 people died", "killing 50 people".
    head = counted
    if counted.i == tok.i and tok.dep_ == "nummod" and tok.head.i > tok.i + 1:
        head = tok.head  # "increased to two - HQ": a headline's source glued on
    if head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX"):
        return _verb_type(head.head, counted)  # "... died and another 12 [died]"
    if head.dep_ in ("appos",):
        head = head.head
    if head.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "npadvmod"):
        t = _verb_type(head.head, counted)
        if t:
            return t
    if head.dep_ == "pobj":
        prep = head.head
        verb = prep.head
        if prep.lower_ in ("to", "at", "of") and (
                verb.lemma_ in cw.TOLL_LEMMAS or verb.lower_ in cw.TOLL_NOUNS):
            return _toll_type(verb)
        if prep.lower_ == "between":
            return _verb_type(verb, counted)
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        return _toll_type(head.head)
    return None


def _toll_type(verb: Token) -> str | None:
    """"The death toll has risen to 24", "put the toll at 51": a running count, typed by
    the words of the noun phrase naming it."""
    phrases = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if verb.lower_ in cw.TOLL_NOUNS:
        phrases = [verb]
    for p in phrases:
        words = [t.lower_ for t in p.subtree]
        if not set(words) & (cw.TOLL_NOUNS | cw.KILLED_WORDS | cw.WOUNDED_WORDS | cw.BOTH_WORDS):
            continue
        t = _type_of_words(words)
        if t:
            return t
        if "toll" in words:
            return "killed"
    return None


def _whose(counted: Token, spk_side: str | None) -> tuple[str | None, str | None]:
    """(side, victims) of the counted people."""
    if counted.like_num or counted.pos_ == "NUM":
        return None, None
    toks = [t for t in counted.subtree if t.i <= counted.i and t.dep_ != "nummod"]
    toks += [c for c in counted.children if c.dep_ == "prep"]
    toks += [g for c in counted.children if c.dep_ == "prep" and c.lower_ in ("of", "from")
             for g in c.subtree]
    words = {t.lower_.removesuffix("'s").removesuffix("’s") for t in toks}
    military = bool(words & cw.MILITARY_NOUNS)
    civilian = bool(words & cw.CIVILIAN_NOUNS) and not military
    if "civilian" in words or "civilians" in words:
        civilian, military = True, False
    if civilian:
        return "other", "civilians"
    got = actor_from_tokens(toks, spk_side)
    if got is not None and got[0] in ("russia", "ukraine"):
        return got[0], "military"
    if military:
        if counted.lower_ in ("invaders", "occupiers", "orcs", "nazis"):
            return ("russia" if counted.lower_ != "nazis" else "ukraine"), "military"
        return None, "military"
    return None, None


def _person_count(verb: Token) -> int | None:
    """"killing a 10-year-old boy and his grandmother": people named one by one."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        objs.append(verb.head)
    for o in objs:
        chain = [o]
        while True:
            nxt = [c for c in chain[-1].children if c.dep_ == "conj"]
            if not nxt:
                break
            chain.append(nxt[0])
        # "killing a boy and his grandmother", the second parsed as the verb's conjunct
        chain += [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "NOUN" and
                  c.lemma_.lower() in cw.PERSON_SINGULAR and c.i > o.i]
        single = o.dep_ in ("dobj", "nsubjpass") and o.lemma_.lower() in cw.PERSON_SINGULAR \
            and any(c.lower_ in ("a", "an", "one") for c in o.children)
        if len(chain) < 2 and not single:
            continue
        if all(t.lemma_.lower() in cw.PERSON_SINGULAR and t.tag_ in ("NN", "NNP") and
               not any(c.dep_ == "nummod" for c in t.children) for t in chain):
            return len(chain)
    return None


def _content_root(tok: Token) -> Token:
    """The top of the clause a figure is stated in, below any speech verb that reports it."""
    cur = tok
    for _ in range(40):
        head = cur.head
        if head.i == cur.i:
            return cur
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in lx.SPEECH_VERBS and \
                cur.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"):
            return cur
        cur = head
    return cur


def _scope(tok: Token) -> list[Token]:
    root = _content_root(tok)
    return sorted(root.subtree, key=lambda t: t.i)
