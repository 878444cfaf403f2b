"""Villages the gazetteer does not know, placed by what the article says of them.

Reporters introduce small frontline villages by their surroundings: "Robotyne, a small
village roughly 10 km south of Orikhiv", "near the village of Sinkovka in the Kharkov
region". When the gazetteer has no entry for the village, a human coder places it at
the known town the article ties it to (ACLED geo_precision 2) or, failing that, in the
region it names (precision 3). `anchor_unknown` does the same, and also returns the
spans of those descriptions: the towns named inside "a village 10 km south of Orikhiv
on the road to Tokmak" locate the village, they are not where the news happened.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import Mention

_NAME = r"(?P<name>[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?(?:\s[A-Z][a-z'’]+)?)"
_KIND = r"(?:village|town|settlement|hamlet|urban-type\s+settlement)"
# "Robotyne, a small village roughly 10 km south of Orikhiv on the road to Tokmak,"
_APPOSITIVE = re.compile(
    _NAME + r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?" + _KIND + r"\b(?P<desc>[^,;.!?\n]{0,160})")
# "the village of Sinkovka in the Kharkov region", "the settlements of Klishchiivka"
_OF = re.compile(
    r"\b(?:the\s+)?" + _KIND + r"s?\s+of\s+" + _NAME + r"(?P<desc>[^,;.!?\n]{0,120})")
_DISTRICT = re.compile(r"\s+in\s+the\s+(?:[\w'’-]+\s+){1,2}?(?:district|raion|community|hromada)\b")
# How far after an unknown name a town it is tied to may stand, in the same sentence.
NEAR_CHARS = 160
PRECISION_NEAR = 2
PRECISION_REGION = 3
CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Anchored:
    """What `anchor_unknown` adds: mentions of unknown villages, and the spans that
    only describe where they are."""

    mentions: tuple[Mention, ...]
    descriptions: tuple[tuple[int, int], ...]


def _sentence_end(text: str, start: int) -> int:
    m = re.search(r"[.!?](?:\s|$)|\n", text[start:])
    return len(text) if m is None else start + m.start()


def anchor_unknown(text: str, mentions: Sequence[Mention]) -> Anchored:
    known = {(m.start, m.end) for m in mentions}
    starts = {m.start for m in mentions}
    settlements = [m for m in mentions if m.place.kind == "settlement"]
    regions = [m for m in mentions if m.place.kind == "region"]
    counts = Counter(m.place.geonameid for m in settlements)
    anchors: dict[str, Mention] = {}
    descriptions: list[tuple[int, int]] = []
    for rx in (_APPOSITIVE, _OF):
        for m in rx.finditer(text):
            name = m.group("name")
            desc_start, desc_end = m.end("name"), m.end("desc")
            if rx is _OF:
                # "the village of Urazovo in the Valuyki district": the district only
                # says where the village is.
                dm = _DISTRICT.match(text, desc_start)
                if dm is not None:
                    descriptions.append((desc_start, dm.end()))
            if m.start("name") in starts or name in anchors:
                if rx is _APPOSITIVE and m.start("name") in starts:
                    descriptions.append((desc_start, desc_end))
                continue
            end = _sentence_end(text, m.start("name"))
            region = next((r for r in regions if desc_start <= r.start < min(
                desc_end + 40, end)), None)
            near = [s for s in settlements if desc_start <= s.start < min(
                m.start("name") + NEAR_CHARS, end)
                and (region is None or s.place.admin1_code == region.place.admin1_code)]
            anchor: Mention | None = None
            precision = PRECISION_NEAR
            if near:
                anchor = near[0]
            elif region is not None:
                pool = [s for s in settlements
                        if s.place.admin1_code == region.place.admin1_code]
                if pool:
                    # The article's own town in that region: the one it names most.
                    best = max(pool, key=lambda s: (counts[s.place.geonameid], -s.start))
                    anchor = best
                else:
                    anchor, precision = region, PRECISION_REGION
            if anchor is None:
                continue
            anchors[name] = replace(anchor, geo_precision=max(anchor.geo_precision, precision))
            if rx is _APPOSITIVE:
                descriptions.append((desc_start, desc_end))
    added: list[Mention] = []
    for name, anchor in anchors.items():
        for occ in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if (occ.start(), occ.end()) in known or occ.start() in starts:
                continue
            added.append(Mention(surface=name, start=occ.start(), end=occ.end(),
                                 place=anchor.place, geo_precision=anchor.geo_precision,
                                 confidence=CONFIDENCE, qualifier="near"))
    return Anchored(tuple(added), tuple(descriptions))
