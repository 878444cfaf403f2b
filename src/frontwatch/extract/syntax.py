"""Small questions asked of the dependency parse: clauses, irrealis, negation, background."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..records import DateMention

# Dependencies that open a new clause under their head.
CLAUSE_DEPS = frozenset({"ROOT", "conj", "advcl", "ccomp", "relcl", "parataxis", "xcomp", "acl",
                         "csubj", "pcomp"})
PAST_TAGS = frozenset({"VBD", "VBN"})
PRESENT_TAGS = frozenset({"VBZ", "VBP"})


def clause_head(tok: Token) -> Token:
    """The verb heading the smallest clause containing `tok`."""
    cur = tok
    # spaCy makes a new Token object on every access: compare indices, never identity.
    for _ in range(64):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ in CLAUSE_DEPS:
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def clause_tokens(head: Token) -> set[int]:
    """Token indices of the clause `head` heads, without the clauses nested in it."""
    out: set[int] = set()
    stack = [head]
    while stack:
        t = stack.pop()
        out.add(t.i)
        for c in t.children:
            if c.dep_ in CLAUSE_DEPS - {"xcomp", "acl", "pcomp"} and c.pos_ in ("VERB", "AUX"):
                continue
            stack.append(c)
    return out


def _modal_children(verb: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in lx.MODALS for c in verb.children)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


# Verbs that make "for an offensive" a preparation, not an offensive.
PREPARE_LEMMAS = frozenset({"regroup", "prepare", "mass", "gather", "amass", "ready", "brace",
                            "plan", "train", "assemble", "concentrate", "reinforce",
                            "stockpile", "build", "position", "redeploy"})
ORDER_LEMMAS = frozenset({"order", "recommend", "propose", "approve", "authorise", "authorize",
                          "demand", "request", "consider", "plan", "announce", "call"})
ATTEMPTS = frozenset({"try", "attempt", "seek", "effort", "bid"})
REALIS_HEADS = frozenset({"continue", "manage", "begin", "start", "keep", "succeed", "resume",
                          "go", "proceed", "help", "use", "force", "compel", "oblige"})


_AWAIT = frozenset({"wait", "await", "expect", "anticipate", "fear", "predict", "forecast"})
_PENDING = frozenset({"imminent", "inevitable", "likely", "possible", "expected", "near",
                      "close", "looming"})


def _awaited(tok: Token) -> bool:
    """"waiting for the fall of Lyman", "the fall of Lyman is imminent": an event named as
    something still to come."""
    head = tok.head
    if tok.dep_ == "pobj" and head.pos_ == "ADP":
        head = head.head
    if head.lemma_ in _AWAIT:
        return True
    return tok.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ in ("acomp", "attr") and c.lower_ in _PENDING for c in head.children)


# Verbs of going on with a deed: "continued to seize X" tells the seizure itself.
_ASPECTUAL = frozenset({"continue", "keep", "begin", "start", "resume", "proceed"})


def _purpose_after_object(verb: Token) -> bool:
    """"continued operations to seize X": after the aspectual verb's own object, the
    infinitive tells what the operations were for, not a deed that went on."""
    head = verb.head
    return verb.dep_ in ("xcomp", "advcl") and head.lemma_ in _ASPECTUAL and any(
        c.dep_ == "dobj" and c.i < verb.i for c in head.children)


def _label(verb: Token) -> bool:
    """"Russian objective: Capture X": a bare verb with no subject heading a sentence is
    a heading's programme (or an imperative), never a report. A noun before a colon is
    the heading's label, not the verb's subject."""
    if verb.tag_ != "VB" or verb.dep_ != "ROOT":
        return False
    colon = max((t.i for t in verb.doc[verb.sent.start:verb.i] if t.text == ":"), default=-1)
    return not any(c.dep_ in ("aux", "auxpass", "expl") or (
        c.dep_ in ("nsubj", "nsubjpass") and c.i > colon) for c in verb.children)


def subject_chain(verb: Token) -> list[Token]:
    """The verbs from `verb` up to the first with a subject, which they all share:
    "Russian forces continued to shell the city and made gains, seizing X"."""
    chain = [verb]
    cur = verb
    for _ in range(6):
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children) or \
                cur.dep_ not in ("advcl", "conj", "xcomp") or cur.head.i == cur.i:
            break
        cur = cur.head
        chain.append(cur)
    return chain


def is_attributive(verb: Token) -> bool:
    """"shelled occupied Melitopol", "in captured Lyman": a participle before its noun
    that the parser took for a verb; it tells who holds the place, not that it fell."""
    if verb.tag_ not in PAST_TAGS or verb.i == 0 or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return False
    prev = verb.doc[verb.i - 1]
    if verb.dep_ in ("conj", "xcomp") or prev.pos_ == "CCONJ" or prev.lower_ == ",":
        return False  # "advanced and occupied X", "Russian forces, having ..., occupied X"
    # After a verb that has no object of its own ("searching occupied Horlivka"), the
    # participle opens that verb's object.
    return prev.pos_ in ("ADP", "DET", "ADJ", "NUM") or (prev.pos_ == "VERB" and (
        prev.i == verb.head.i or not any(c.dep_ == "dobj" for c in prev.children)))


def is_irrealis(tok: Token, attempt_ok: bool = False) -> str | None:
    """Why the event `tok` names did not happen as told (a reason), or None if it did.

    Walks from the cue up through infinitives, gerunds and complements of intention words
    to the clause verb and the clauses it depends on, stopping at reported speech.
    """
    if tok.pos_ in ("NOUN", "PROPN") and _awaited(tok):
        return "awaited"
    if tok.dep_ == "dobj" and tok.head.lemma_ in ORDER_LEMMAS:
        # "Shoigu ordered the pullback": the order, told apart from the pullback itself.
        return f"order ({tok.head.lemma_})"
    if tok.dep_ == "pobj" and tok.head.lower_ == "for" and \
            tok.head.head.lemma_ in PREPARE_LEMMAS:
        return f"preparation ({tok.head.head.lemma_})"
    cur = tok
    steps = 0
    while steps < 12:
        steps += 1
        if cur.pos_ in ("VERB", "AUX"):
            if _modal_children(cur):
                return "modal"
            if _label(cur):
                return "label"
            had = [t for t in (cur.head, *cur.children) if t.lower_ == "had" and t.i < cur.i]
            if any(c.dep_ in ("nsubj", "nsubjpass") and h.i < c.i < cur.i
                   for c in cur.children for h in had):
                return "conditional"  # "had Russian troops taken it": inverted, unreal
            if cur.head.lemma_ == "let" and any(c.lower_ == "alone" for c in cur.head.children):
                return "let alone"  # "failed to encircle, let alone seize, the city"
            if any(c.dep_ == "mark" and c.lower_ in lx.CONDITIONAL_MARKS for c in cur.children):
                return "conditional"
            is_infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in cur.children)
            if is_infinitive and cur.head.lemma_ in lx.IRREALIS_HEADS:
                if not (attempt_ok and cur.head.lemma_ in ATTEMPTS):
                    return f"intention ({cur.head.lemma_})"
            elif is_infinitive and cur.dep_ in ("advcl", "xcomp", "acl") and (
                    cur.head.lemma_ not in REALIS_HEADS or _purpose_after_object(cur)):
                # "convicts it recruited to fight": a purpose, not a deed.
                return f"purpose ({cur.head.lemma_})"
            if cur.dep_ in ("xcomp", "acl") and cur.head.lemma_ in lx.IRREALIS_HEADS and \
                    not (attempt_ok and cur.head.lemma_ in ATTEMPTS):
                return f"intention ({cur.head.lemma_})"
        elif cur.dep_ == "prep" and cur.lower_ == "from" and \
                cur.head.lemma_ in lx.IRREALIS_HEADS:
            return f"prevented ({cur.head.lemma_})"  # "prevented them from seizing X"
        elif cur.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "conj", "appos",
                          "prep") and \
                cur.head.lemma_ in lx.IRREALIS_HEADS and cur.head.pos_ in ("NOUN", "ADJ"):
            # "the urgency of helping Ukraine regain X": the deed is what is wanted.
            return f"intention ({cur.head.lemma_})"
        if cur.head.i == cur.i:
            break
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ in ("ccomp", "parataxis") and \
                cur.head.lemma_ in lx.SPEECH_VERBS:
            # What a speaker says is judged on its own clause, not on the speech verb.
            break
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ == "conj" and _shares_head(cur):
            cur = cur.head
            continue
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ in ("advcl", "relcl", "conj", "ROOT"):
            # An adverbial clause inherits a conditional sentence's irrealis only when it
            # is the main clause's own modal ("If X, Russia can launch attacks").
            if cur.dep_ == "advcl" and _modal_children(cur.head):
                return "modal"
            break
        cur = cur.head
    if tok.lower_ in ("if",):
        return "conditional"
    return None


def _shares_head(verb: Token) -> bool:
    """"have not captured X or taken Y", "to encircle and take Kyiv": a conjoined verb with
    no subject or auxiliary of its own shares its first conjunct's, when it has the same
    non-finite form ("did not attack and fired on X" shares nothing)."""
    return verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and \
        verb.tag_ in ("VB", "VBN", "VBG") and verb.tag_ == verb.head.tag_ and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)


def is_negated(tok: Token) -> bool:
    verb = clause_head(tok)
    if verb.pos_ in ("VERB", "AUX") and (_negated(verb) or (
            _shares_head(verb) and _negated(verb.head))):
        return True
    if verb.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "nsubj" and any(g.lower_ in ("neither", "no", "none") and
                                      g.dep_ in ("det", "preconj", "cc") for g in c.children)
            for c in verb.children):
        # "Neither side has confirmed the capture of X", "no source reported ...".
        return True
    # "no advance", "without progress"
    return any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children) or (
        tok.head.lower_ == "without"
    )


def is_background(tok: Token, sent: Span) -> bool:
    """A past event told as background to present news: "the city, which was seized by
    Russia after a long battle, serves as …", "it had been controlled since February"."""
    verb = clause_head(tok)
    root = sent.root
    if verb.i == root.i:
        return False
    past = verb.tag_ in PAST_TAGS or any(c.tag_ == "VBD" for c in verb.children
                                         if c.dep_ in ("aux", "auxpass"))
    pluperfect = any(c.lower_ == "had" for c in verb.children if c.dep_ in ("aux", "auxpass"))
    root_present = root.tag_ in PRESENT_TAGS or any(
        c.tag_ in PRESENT_TAGS for c in root.children if c.dep_ in ("aux", "auxpass"))
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    reported = root.lemma_ in lx.SPEECH_VERBS
    if reported:
        # "ISW previously assessed that X fell": news of an earlier report, recalled.
        return any(c.dep_ == "advmod" and c.lower_ in ("previously", "earlier")
                   for c in root.children) and past
    if past and root_present and (verb.dep_ in ("relcl", "advcl", "acl") or marks):
        return True
    if verb.dep_ == "advcl" and marks & {"after", "before", "since", "until", "once", "when"} \
            and clause_head(verb.head).dep_ in ("relcl", "acl"):
        # "the town of Bucha, where bodies were found after Russian forces withdrew": the
        # withdrawal only dates a description.
        return True
    return pluperfect and verb.dep_ in ("relcl", "advcl")



_HABITUAL = frozenset({"daily", "regularly", "routinely", "constantly", "often", "frequently",
                       "repeatedly", "usually", "nightly", "always", "weekly"})


def is_present(verb: Token) -> bool:
    """Simple present or present progressive/passive: "enter", "are entering", "is shelled"."""
    if verb.tag_ in PRESENT_TAGS:
        return True
    return verb.tag_ in ("VBG", "VBN") and any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in PRESENT_TAGS and c.lemma_ == "be"
        for c in verb.children) and not any(c.lemma_ == "have" for c in verb.children)


def is_habitual(tok: Token) -> bool:
    """"is shelled almost daily": what happens as a rule, in the present, is no event."""
    verb = clause_head(tok)
    return is_present(verb) and any(c.lower_ in _HABITUAL for c in verb.subtree
                                    if c.dep_ in ("advmod", "npadvmod"))


_PERIOD_BOUND = re.compile(r"\b(?:since|until|till|before|from)\s+(?:the\s+)?$", re.I)


def bounds_period(d: DateMention, text: str) -> bool:
    """"since October 1", "until the end of March": the date starts or ends a period; it
    dates no event, nor the news of the sentences after it."""
    return bool(_PERIOD_BOUND.search(text[max(0, d.start - 16):d.start]) or
                re.match(r"(?:since|until|till|before|from)\b", d.text, re.I))
