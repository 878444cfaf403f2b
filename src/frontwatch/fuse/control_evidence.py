"""Whether a report's sentence asserts that the settlement itself changed hands.

The extractor types a sentence as a capture or a withdrawal when it carries the verb; a
control timeline needs more: that the side took (or left) the named settlement, as a fact
the sentence asserts. These checks read the sentence around the place name:

* the verb must be asserted, not intended, expected or hypothetical: "an attack to seize
  X", "will likely capture X", "the objective: capture X", "the liberation of X is central
  to ...", "close to capturing X";
* the reporter must not dispute it: "falsely claimed", "denied reports that ...";
* what was taken must be the settlement, not something in or near it: "captured two
  soldiers in X", "took control of the road from X", "captured portions of X", "seized a
  hotel in northern X";
* a withdrawal must leave the place, not head for it ("withdrew from A to X", "toward X"),
  and be made by troops, not by officials or residents ("officials left X").

Plain English grammar, not any source's house phrases: the timeline must hold for any
outlet.
"""

from __future__ import annotations

import re

_CAPTURE_VERB = re.compile(
    r"\b(?:captur\w*|recaptur\w*|seiz\w*|took|tak(?:e|es|en|ing)|retook|retak\w*|"
    r"liberat\w*|occup(?:y|ies|ied|ying)|regain\w*|cleared|clear(?:s|ing)?|entered|"
    r"(?:gained|established|assumed)\s+(?:full\s+)?control|fell|fallen)\b", re.I)
_WITHDRAW_VERB = re.compile(
    r"\b(?:withdr[ae]w\w*|withdrawal\w*|withdrawing|retreat\w*|abandon\w*|left|leav\w*|"
    r"pull\w*\s+(?:out|back)|pullback|fled|flee\w*)\b", re.I)
# Just before the verb: it is not asserted as done. "to seize", "will capture",
# "could be captured", "failed to take", "did not capture", "objective: Capture",
# "demanded that Ukrainian forces leave X".
_NOT_ASSERTED_BEFORE = re.compile(
    r"(?:\b(?:to|will|would|could|might|may|can|cannot|can't|not|never|if|unless|whether|"
    r"order\s+to|close\s+to|plans?\s+to|aims?\s+to|seeks?\s+to|attempts?\s+to|"
    r"efforts?\s+to|(?:help\w*|let|lets|allow\w*|enabl\w*|demand\w*|urg\w*|ask\w*|"
    r"insist\w*|requir\w*)(?:\s+\w+){0,3}|"
    r"(?:likelihood|possibility|prospects?|chances?|threat|risk|hopes?|capab\w+|ability)\s+of"
    r"(?:\s+\w+){0,3})|(?:objective|goal|aim|task|intent)\s*:?)"
    r"\s+(?:\w+ly\s+)?(?:be\s+|have\s+(?:been\s+)?)?(?:\w+ly\s+)?$", re.I)
# The reporter disputes what follows or precedes.
_DISPUTED = re.compile(r"\b(?:falsely|false|unsubstantiated|baseless|unfounded|denied|denies|"
                       r"deny|refuted|rejected|(?:not|cannot|unable\s+to)\s+(?:\w+ly\s+)?"
                       r"(?:confirm|verify|corroborate)\w*|(?:neither|nor)\b[^.;]{0,60}\b"
                       r"(?:confirm|verif|corroborat)\w*)\b", re.I)
# After it: "..., though this claim is likely false", "but ISW cannot verify this claim",
# "although there is no independent confirmation of this claim".
# "..., but later deleted the post": the claimant took it back.
_CLAIM_FALSE = re.compile(
    r"\b(?:claims?|reports?|reporting|statements?)\b[^.;]{0,30}\b(?:false|unsubstantiated|"
    r"baseless|unfounded|incorrect|untrue|inaccurate|wrong)\b|\b(?:cannot|unable\s+to|not)\s+"
    r"(?:\w+ly\s+)?(?:confirm|verify|corroborate)\w*"
    r"|\b(?:no|not|without)\s+(?:\w+\s+){0,3}(?:confirmation|evidence|verification)\b"
    r"|\b(?:deleted|retracted|withdrew|walked\s+back)\s+(?:the|this|that|his|her|its|their)\s+"
    r"(?:[\w-]+\s+){0,3}(?:posts?|claims?|statements?|reports?|messages?|videos?)\b",
    re.I)
_DESPITE_CLAIMS = re.compile(r"\bdespite\b[^.;]{0,80}\bclaim", re.I)
# A nominal "capture of X" is an assertion only when told as done.
_NOMINAL = re.compile(r"\b(?:captur|recaptur|seizure|liberation|fall|occupation|loss|taking|"
                      r"retaking)\w*\s+of\s+(?:the\s+)?(?:(?:city|town|village|settlement)\s+"
                      r"of\s+)?(?:\w+\s+)?$", re.I)
# Told as done: "after the capture of X", "the ministry claimed the capture of X".
_NOMINAL_DONE = re.compile(r"\b(?:after|since|following|confirm\w*|announc\w*|complet\w*|"
                           r"claim\w*|report\w*|acknowledg\w*|admit\w*|celebrat\w*|inform\w*|"
                           r"before|until)\b[^.;]{0,40}$", re.I)
# Between the verb and the place: something else was taken or left there.
_PART = re.compile(
    r"\b(?:part|parts|portions?|sectors?|sections?|outskirts|districts?|neighbou?rhoods?|"
    r"quarters?|blocks?|buildings?|hotel|factory|plant|refinery|port|airport|airfield|"
    r"stations?|bases?|headquarters|depots?|warehouses?|facilit(?:y|ies)|complex|hospital|"
    r"positions?|trenches|strongholds?|roads?|highway|bridges?|heights|approaches|"
    r"entry\s+points|areas?|vicinity|outpost\w*|soldiers|schools?|between|partial|"
    r"partially|prisoners|servicem[ae]n|troops|personnel|equipment|weapons|tanks?|percent|"
    r"(?:north|south|east|west)(?:ern|east|west)*(?:ern)?\s+(?:part|half|side))\b|%", re.I)
_TO_PLACE = re.compile(r"\b(?:to|towards?|into|in\s+the\s+direction\s+of|on|onto|behind)\s+"
                       r"(?:the\s+)?(?:\w+\s+){0,3}$", re.I)
_CIVIL_LEAVERS = re.compile(
    r"\b(?:officials?|command|commanders|leadership|mayor|administrations?|authorities|"
    r"journalists|residents|civilians|families|collaborators|head|heads|governor|staff|"
    r"employees|people|population)\b", re.I)
_SOME = re.compile(r"\b(?:portion|part|some|elements|several|partial|limited)\b(?:\s+[\w’'-]+)"
                   r"{0,5}\s*$", re.I)
_TROOPS = re.compile(
    r"\b(?:forces|troops|units?|military|soldiers|army|grouping|servicemen|detachments?|"
    r"battalions?|brigades?|regiments?|divisions?|garrison|defenders|fighters)\b", re.I)

# Right after the name: it qualifies something else ("the Lysychansk Oil Refinery", "the
# Mariupol Regional Hospital", "Kherson International Airport").
_MODIFIER_OF = re.compile(
    r"\s+(?:(?!(?:City|Oblast|Raion|Hromada|Region|District|Mon|Tues|Wednes|Thurs|Fri|"
    r"Satur|Sun)(?:day)?\b|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b)[A-Z][a-z]\w*|(?:oil|power|steel|railway|"
    r"train|bus)?\s*(?:refinery|plant|factory|airport|airfield|port|hospital|station|bridge|"
    r"highway|road|direction|line|axis|outskirts|suburbs|treatment))", re.UNICODE)
# "the Svatove-Kreminna line", "the Bakhmut-Soledar road": a line between places.
_LINE_OF = re.compile(r"-[A-Z][\w'’-]*\s+(?:line|road|highway|axis|direction|front|railway|"
                      r"sector)\b")
_POSITIONS_IN = re.compile(r"^\s*(?:(?:their|its|the)\s+)?positions?\s+in\s+(?:the\s+)?$",
                           re.I)
# A participle used as an adjective ("in occupied Melitopol", "Russian-occupied X", "the
# newly liberated X") describes a holder, it does not report a change.
_ATTRIBUTIVE = re.compile(r"(?:\b(?:in|of|from|into|at|near|the|a|an|its|their)\s+(?:(?:newly|"
                          r"recently|already|formerly|previously|still|now|partially)\s+)?|-)$",
                          re.I)
# A name in the verb's object before ours that is not in a list with it: the verb took
# that, and ours only qualifies it ("the capture of Soledar presaged ... of Bakhmut").
_SIDE_WORDS = re.compile(r"\b(?:Russian|Ukrainian|Russia|Ukraine)(?:'s|’s)?\b")
_LIST_TAIL = re.compile(r"(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:\s*\([^)]*\))?\s*"
                        r"(?:,|\band\b)\s*)+$")
# Passive or intransitive after the name: "X was captured", "X fell", "X, reportedly, fell".
_PASSIVE_GAP = re.compile(r"^\s*(?:\w+ly\s+)?(?:(?:was|were|is|are|has|have|had)\s+)"
                          r"(?:been\s+)?(?:\w+ly\s+)?$")
_INTRANSITIVE_GAP = re.compile(r"^\s*(?:\w+ly\s+)?(?:(?:has|have|had)\s+)?$")

_WINDOW_BEFORE = 90  # how far before the place the governing verb may stand
_WINDOW_AFTER = 40  # "X fell", "X was liberated": the passive or intransitive verb after


def place_at(evidence: str, surface: str, offset: int | None) -> int | None:
    """Where the place stands in the sentence: at `offset` when the text there is the
    surface, else its first occurrence."""
    if offset is not None and 0 <= offset < len(evidence) and \
            evidence[offset:offset + len(surface)].lower() == surface.lower():
        return offset
    at = evidence.lower().find(surface.lower())
    return at if at >= 0 else None


def _governing(verb: re.Pattern[str], evidence: str, at: int, end: int
               ) -> tuple[re.Match[str], bool] | None:
    """The verb nearest the place: before it in the same clause, else right after it
    (passive or intransitive: "X was captured", "X fell"). True when before."""
    before = [m for m in verb.finditer(evidence, max(0, at - _WINDOW_BEFORE), at)
              if not re.search(r"[;:]", evidence[m.end():at]) and not _adjective(evidence, m)]
    if before:
        return before[-1], True
    after = next(verb.finditer(evidence, end, min(len(evidence), end + _WINDOW_AFTER)), None)
    gap = evidence[end:after.start()] if after is not None else ""
    # "X was captured", "X fell": not "Mariupol captured the port", where the name
    # qualifies the subject.
    if after is not None and (_PASSIVE_GAP.match(gap) or (
            after.group(0).lower() in ("fell", "fallen") and _INTRANSITIVE_GAP.match(gap))):
        return after, False
    return None


# Before an -ing form: it is under way ("are withdrawing", "began leaving") or a noun
# ("the likelihood of Russian forces capturing X"), not a done deed. A participle after a
# past main clause ("counterattacked on March 26, recapturing X") is done.
_UNDER_WAY = re.compile(
    r"\b(?:of|for|about|without|is|are|am|be|been|being|was|were|began|begin|begins|start\w*|"
    r"continu\w*|keep|keeps|kept|avoid\w*|prevent\w*|risk\w*|prepar\w*|plan\w*)"
    r"(?:\s+[\w’'-]+){0,3}\s+$", re.I)


def _unfinished(evidence: str, m: re.Match[str]) -> bool:
    if _is_noun(evidence, m):
        return False  # "the taking of X": a noun, read as one
    return m.group(0).lower().endswith("ing") and bool(
        _UNDER_WAY.search(evidence[max(0, m.start() - 60):m.start()]))


def _is_noun(evidence: str, m: re.Match[str]) -> bool:
    """"the capture of X", "the taking of X"."""
    return bool(re.match(r"\s+of\b", evidence[m.end():]))


def _adjective(evidence: str, m: re.Match[str]) -> bool:
    """A participle used as an adjective: "in occupied Melitopol", "Russian-occupied
    villages"."""
    return m.group(0).lower().endswith(("ed", "en")) and bool(
        _ATTRIBUTIVE.search(evidence[:m.start()]))


def _other_object(evidence: str, m: re.Match[str], at: int) -> bool:
    """The verb's object is something else: a name before ours, not listed with it."""
    between = evidence[m.end():at]
    rest = _SIDE_WORDS.sub("", _LIST_TAIL.sub("", between))
    if re.search(r"\b[A-Z][a-z]", rest):
        return True
    # "seizing several towns and advancing into X": X is the second verb's.
    return any(not _CAPTURE_VERB.fullmatch(v.group(1)) for v in
               re.finditer(r"\band\s+(?:\w+ly\s+)?(\w+(?:ing|ed))\b", between))


_ACHIEVED = re.compile(r"\b(?:managed|able|succeeded|went\s+on|proceeded)\s+to\s+(?:\w+ly\s+)?$",
                       re.I)


def _asserted(evidence: str, m: re.Match[str]) -> bool:
    left = evidence[:m.start()]
    if _NOT_ASSERTED_BEFORE.search(left[-60:]) and not _ACHIEVED.search(left[-60:]):
        return False
    # "falsely claimed that ... captured X", "denied reports that ... liberated X"; or
    # after it, "..., though this claim is likely false".
    disputed = _DISPUTED.search(left) or _DESPITE_CLAIMS.search(left) or \
        _CLAIM_FALSE.search(evidence, m.end())
    return disputed is None


def asserts_capture(evidence: str, surface: str, offset: int | None = None,
                    require_verb: bool = True) -> bool:
    """Does the sentence assert that a side took the settlement named `surface`? Without
    `require_verb` (a statement of who holds the place, which needs no verb of taking),
    only a verb of taking that is there is checked. With no `offset`, every place the name
    stands is read: one asserted taking is enough."""
    if offset is not None:
        at = place_at(evidence, surface, offset)
        spots = [at] if at is not None else []
    else:
        low, name = evidence.lower(), surface.lower()
        spots = [m.start() for m in re.finditer(re.escape(name), low)]
    if not spots:
        return True  # the place is not spelled as named here: nothing to check against
    verdicts = [_capture_at(evidence, at, at + len(surface)) for at in spots]
    if True in verdicts:
        return True
    return False if False in verdicts else not require_verb


# A bare verb ("take", "capture") reports a done deed only with its subject right before
# it, as a headline does ("Ukrainian forces recapture Kherson"); otherwise it is an
# infinitive or an imperative ("efforts to encircle Kyiv and take Mariupol").
_BARE = re.compile(r"^(?:take|captur|recaptur|seiz|retak|liberat|regain|occupy|clear)e?$", re.I)
_SUBJECT_BEFORE = re.compile(
    r"\b(?:forces|troops|units|army|Russians|Ukrainians|Russia|Ukraine|military|fighters|"
    r"soldiers|marines|paratroopers|separatists)\s+(?:\w+ly\s+)?$", re.I)


def _capture_at(evidence: str, at: int, end: int) -> bool | None:
    """The verdict for the name at `at`: None when no verb of taking governs it."""
    gov = _governing(_CAPTURE_VERB, evidence, at, end)
    if gov is None:
        return None
    m, before = gov
    if not _asserted(evidence, m) or _MODIFIER_OF.match(evidence, end) or \
            _LINE_OF.match(evidence, end) or _unfinished(evidence, m):
        return False
    if _BARE.match(m.group(0)) and not _is_noun(evidence, m) and \
            not _SUBJECT_BEFORE.search(evidence[:m.start()]) and \
            not _ACHIEVED.search(evidence[max(0, m.start() - 60):m.start()]):
        return False
    if before:
        between = evidence[m.end():at]
        if _PART.search(between) or _other_object(evidence, m, at):
            return False
        # "capture of X": a change only when told as done ("after the capture of X").
        if re.match(r"\w*\s+of\s", evidence[m.start():at]) and _NOMINAL.search(
                evidence[:at]) and not _NOMINAL_DONE.search(evidence[:m.start()]):
            return False
    return True


def asserts_withdrawal(evidence: str, surface: str, offset: int | None = None) -> bool:
    """Does the sentence assert that troops left the settlement named `surface`?"""
    at = place_at(evidence, surface, offset)
    if at is None:
        return True
    end = at + len(surface)
    gov = _governing(_WITHDRAW_VERB, evidence, at, end)
    if gov is None:
        return False
    m, before = gov
    if not _asserted(evidence, m) or _MODIFIER_OF.match(evidence, end):
        return False
    if m.group(0).lower().endswith("ing"):
        return False  # "are withdrawing", "footage of troops leaving X": under way
    if m.group(0).lower().startswith("withdrawal") and not _NOMINAL_DONE.search(
            evidence[:m.start()]):
        return False  # "preparations for the withdrawal from X": not told as done
    if before:
        # What was left is what follows "from": "the withdrawal of troops from X".
        between = re.split(r"\bfrom\b", evidence[m.end():at])[-1]
        if _TO_PLACE.search(between):
            return False  # "withdrew from A to X": X is where they went
        # "withdrew from their positions in A and X" left X; "from positions around X",
        # "from the outskirts of X" did not.
        if _PART.search(between) and not _POSITIONS_IN.search(_LIST_TAIL.sub("", between)):
            return False
    actor = evidence[max(0, m.start() - 60):m.start()]
    if _CIVIL_LEAVERS.search(actor) and not _TROOPS.search(actor):
        return False  # "occupation officials left X": not a change of hands
    # "a portion of the command left X", "a partial withdrawal": not all of them left.
    return _SOME.search(actor) is None


_TARGET = re.compile(r"\b(?:on|against|toward|towards|to\s+storm|to\s+take)\s+(?:the\s+)?"
                     r"(?:(?:city|town|village|settlement)\s+of\s+)?(?:\w+\s+)?$", re.I)


def attack_on(evidence: str, surface: str, offset: int | None = None) -> bool:
    """Is the settlement the target of the attack ("an assault on X", "attacks toward
    X"), rather than where the fighting was ("fighting in X")?"""
    at = place_at(evidence, surface, offset)
    if at is None:
        return False
    end = at + len(surface)
    if _MODIFIER_OF.match(evidence, end) or _LINE_OF.match(evidence, end):
        return False  # "attacks on the Svatove-Kreminna line": not on the town
    left = evidence[max(0, at - 40):at]
    # In a list ("assaults on A, B and X") the preposition governs the first name.
    left = re.sub(r"(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:\s*\([^)]*\))?\s*(?:,|\band\b)\s*)+$",
                  "", left)
    return bool(_TARGET.search(left))


_REPEL = re.compile(r"\b(?:repel\w*|repuls\w*|stopp\w*|defend\w*|held\s+off|fended\s+off|"
                    r"thwart\w*|beat\s+back|beaten\s+back|foil\w*|halt\w*|push\w*\s+back|"
                    r"drove\s+back|repell\w*)\b", re.I)
_SIDE_BEFORE = re.compile(r"\b(?P<side>Russian|Ukrainian|Russia|Ukraine|DNR|LNR|Wagner)\b"
                          r"[^.;]{0,50}$", re.I)


def defender(evidence: str, at: int | None, attacker: str) -> str | None:
    """Who held the place an attack on it failed at: the side named as repelling it
    ("Ukrainian forces repelled an assault on X"), else the other side than the one whose
    attack failed ("Russian forces conducted unsuccessful assaults on X"). None when a
    repelling is told without saying by whom."""
    end = at if at is not None else len(evidence)
    rep = [m for m in _REPEL.finditer(evidence, 0, end)]
    if not rep:
        return "ukraine" if attacker == "russia" else "russia"
    side = _SIDE_BEFORE.search(evidence[:rep[-1].start()])
    if side is None:
        return None
    word = side.group("side").lower()
    return "russia" if word.startswith(("russia", "dnr", "lnr", "wagner")) else "ukraine"
