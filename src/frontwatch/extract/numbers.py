"""Number phrases: "at least 50", "between 20.000 and 30.000", "dozens", "1.2 thousand",
"52%", with their bounds and qualifiers (the conventions are in `claims`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import claim_words as cw


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_UNITS = _alt(cw.UNITS_WORDS)
_TENS = _alt(cw.TENS_WORDS)
_CORE = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS})"
_SCALE = r"(?:hundred|thousand|million|billion)"
_WORDNUM = (rf"(?:(?:{_CORE}|an?)(?:\s+{_SCALE})+(?:\s+(?:and\s+)?{_CORE}(?:\s+{_SCALE})*)*"
            rf"|{_CORE}|(?:half\s+)?an?\s+dozen)")
_DIGITS = (r"(?:\d{1,3}(?:[,\u202f\u00a0]\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]?\d)|\d+(?:\.\d+)?)"
           r"(?:\s?(?:thousand|million|billion)\b|k\b)?")
_NUM = rf"(?:{_DIGITS}|{_WORDNUM})"
_VAGUE = _alt(cw.VAGUE_LOW)
_QUAL = _alt((*cw.AT_LEAST, *cw.MORE_THAN, *cw.UP_TO, *cw.ABOUT))
_PHRASE = re.compile(
    rf"(?<![\w.,:/\-–])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|from\s+(?P<a2>{_NUM})\s+to\s+(?P<b2>{_NUM})"
    rf"|(?P<a3>{_DIGITS})\s*(?:-|–)\s*(?P<b3>{_DIGITS})"
    rf"|(?P<a4>{_NUM})\s+(?:to|or)\s+(?P<b4>{_NUM})"
    rf"|(?P<vague>{_VAGUE})|(?P<n>{_NUM}))"
    rf"(?P<pct>\s?(?:%|percent\b|per\s+cent\b))?"
    rf"(?![\w%]|[.,]\d|:\d|-\w)",
    re.I,
)
_NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours?\b|minutes?\b|o'clock|years?\b|months?\b|weeks?\b|"
    r"days?\b|times\b|metres?\b|meters?\b|kilomet(?:re|er)s?\b(?!\s*squared)|km\b|miles?\b|"
    r"mm\b|cm\b|kg\b|tonnes?\b|tons?\b|degrees?\b|st\b|nd\b|rd\b|th\b|th-|per cent of the vote)",
    re.I)
_SQUARE_BEFORE_UNIT = re.compile(r"\s*(?:square|sq\.?)\s+(?:kilomet(?:re|er)s?|km|miles?)\b|"
                                 r"\s*(?:km2|km²)", re.I)
_PARTITIVE = re.compile(r"\s+of\s+(?:them|whom|those|these|the|its|their|our|his|her)\b", re.I)


def parse_number(text: str) -> float | None:
    """The value of a number phrase: "1,200" 1200, "20.000" 20000, "1.2 thousand" 1200,
    "twenty-five" 25, "two hundred and fifty" 250, "a dozen" 12. None if not a number."""
    s = text.strip().lower().replace("\u202f", ",").replace("\u00a0", ",")
    if not s:
        return None
    m = re.fullmatch(r"([\d.,]+)\s?(thousand|million|billion|k)?", s)
    if m:
        raw, scale = m.group(1), m.group(2)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            value = float(re.sub(r"[.,]", "", raw))
        else:
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                return None
        mult = {"thousand": 1e3, "k": 1e3, "million": 1e6, "billion": 1e9}.get(scale or "", 1)
        return value * mult
    if re.fullmatch(r"(?:half\s+)?an?\s+dozen", s):
        return 6 if s.startswith("half") else 12
    total = 0.0
    current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", s):
        if w in ("and",):
            continue
        if w in ("a", "an"):
            current = 1
        elif w in cw.UNITS_WORDS:
            current += cw.UNITS_WORDS[w]
        elif w in cw.TENS_WORDS:
            current += cw.TENS_WORDS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in cw.SCALE_WORDS:
            total += max(current, 1) * cw.SCALE_WORDS[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number phrase as written: its bounds and how the text qualified it."""

    start: int  # character offsets into the text searched
    end: int
    text: str
    low: float | None
    high: float | None
    qualifier: str | None
    percent: bool = False
    value_end: int = 0  # where the numeral itself ends (before "%")


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """Every number phrase in `text` with its bounds (see the module's conventions)."""
    out: list[Figure] = []
    for m in _PHRASE.finditer(text):
        qual = (m.group("qual") or "").lower() or None
        pct = bool(m.group("pct"))
        low: float | None
        high: float | None
        kind: str | None
        if m.group("vague"):
            v = m.group("vague").lower()
            if v in ("several",) and qual:
                continue
            low, high, kind = cw.VAGUE_LOW[v], None, "vague"
        elif m.group("n"):
            raw = m.group("n")
            if re.fullmatch(r"(?:19|20)\d\d", raw) and not pct and not qual:
                continue  # a year
            value = parse_number(raw)
            if value is None:
                continue
            low, high, kind = value, value, None
        else:
            a = m.group("a") or m.group("a2") or m.group("a3") or m.group("a4")
            b = m.group("b") or m.group("b2") or m.group("b3") or m.group("b4")
            va, vb = parse_number(a), parse_number(b)
            if va is None or vb is None:
                continue
            year = re.fullmatch(r"(?:19|20)\d\d", b.strip())
            if (m.group("a3") or m.group("a4")) and (vb <= va or year):
                # "2022-2023", "24-25 February", "10 to 5": no range of counts.
                n = parse_number(a)
                if n is None:
                    continue
                low, high, kind = n, n, None
                end = m.start() + (m.group(0).find(a) + len(a))
                out.append(Figure(offset + m.start(), offset + end, text[m.start():end],
                                  low, high, qual, False, offset + end))
                continue
            low, high, kind = va, vb, "range"
        if qual in cw.AT_LEAST:
            high, kind = None, "at least"
        elif qual in cw.MORE_THAN:
            high, kind = None, "more than"
        elif qual in cw.UP_TO:
            low, kind = None, "up to"
        elif qual in cw.ABOUT:
            kind = "about"
        value_end = m.end("pct") - len(m.group("pct")) if pct else m.end()
        out.append(Figure(offset + m.start(), offset + m.end(), m.group(0), low, high, kind,
                          pct, offset + value_end))
    return out
