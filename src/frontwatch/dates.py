"""Date expressions in news text, resolved against the publication date.

News about the war is written in the past tense and dates events relative to the day
the piece was published ("on Thursday", "last month", "on Dec. 20"). This module finds
those expressions and turns them into calendar dates with ACLED's `time_precision`
(1 day, 2 week, 3 month).

Resolution policy (the choices a caller needs to know):

* Month-day without a year takes the latest year that puts it no more than two days
  after publication (feeds are often a time zone off). "Feb. 7 last year" uses that year.
* Weekdays: "Thursday", "on Thursday", "this Saturday", "Saturday night" -> the latest
  such day on or before publication (the same day counts). "last Tuesday" -> strictly
  before it: nobody says "last Tuesday" of today. "next"/"coming" Monday -> the first
  one after it, marked future.
* "today", "this morning", "tonight", "overnight", "the past 24 hours" -> publication
  day; "yesterday", "last night" -> the day before; "three days ago" -> three days
  before. "overnight on August 13-14" is August 13. "tomorrow", "later today" are future.
* Weeks (precision 2): "this week", "earlier this week", "in recent days", "the past
  week" -> publication day; "last week" -> the Monday of the week before; "two weeks
  ago" -> fourteen days before; "over the weekend" -> the latest Saturday on or before
  publication; "last weekend" -> the Saturday of the previous Monday-Sunday week.
* Months (precision 3): "last month", "in March", "early/mid/late March", "at the end
  of March", "since the end of February", "March 2022" -> the first day of that month;
  a month without a year is the latest one starting on or before publication. Lists
  share a year: "between March and May 2022".
* Periods: spans longer than a month ("last summer", "last year", "since January",
  "in recent weeks", "the past month") are returned by `find_date_spans` with
  kind="period", precision 3 and the (approximate) first day of the period. They are
  NOT in `find_dates`: a `DateMention` cannot carry the mark, and a caller reading
  "since January" as a month-precise January event date would misdate it. "since the
  end of February" names a point inside one month, so it stays kind="month".
* Future: a future word ("next", "coming", "tomorrow", "later this week") or a value
  more than two days after publication ("March 31, 2024" in a 2023 piece). Future spans
  are returned by `find_date_spans` only.
* Anaphoric expressions ("on the same day", "the next day", "two days later") are
  recognised so no part of them is misread, but never returned: they refer to a date
  named elsewhere, which the caller tracks.
* Bare years ("in 2022") are skipped: too coarse to date an event.
* Without a publication date only expressions that carry their own year resolve; the
  rest are skipped rather than guessed.
* "07/02/2023": dotted dates are day-first (European usage). Slashed or dashed dates are
  taken only when one reading is impossible (a part > 12) or, given a publication
  date, exactly one reading is not in the future.

Tense is not analysed: "on Monday" in "talks will resume on Monday" still resolves
backwards. A span covers the words that determine the date: month phrases include their
preposition ("in March", "since the end of February"), days and weekdays do not ("on").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal

from .records import DateMention

SpanKind = Literal["point", "week", "month", "period"]

# Feeds often stamp a piece in another time zone than the one its text speaks from.
_SLACK = timedelta(days=2)
_PRECISION: dict[str, int] = {"point": 1, "week": 2, "month": 3, "period": 3}


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved date expression, with what `DateMention` has no room for."""

    mention: DateMention
    kind: SpanKind
    future: bool  # after publication: a plan or forecast, not an event date
    relative: bool  # resolved against the publication date rather than read off


def week_start(d: date) -> date:
    """The Monday of the ISO week containing `d`."""
    return d - timedelta(days=d.weekday())


# --------------------------------------------------------------------------- vocabulary

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_ABBRS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MONTH_BY_PREFIX = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _alternation(forms: set[str]) -> str:
    # Longest first so that "June" is tried before "Jun".
    return "|".join(sorted(forms, key=lambda f: (-len(f), f)))


def _month_forms(names: tuple[str, ...], lower: bool) -> set[str]:
    # Capitalised, or a whole lower-case name other than "may" and "march", which are a
    # verb and a noun far more often than a date ("mar" and "dec" are not months either).
    forms = {n.capitalize() for n in names} | {n.upper() for n in names}
    if lower:
        forms |= {n for n in names if n in _MONTH_NAMES and n not in ("may", "march")}
    return forms


_MONTH_FULL = _alternation(_month_forms(_MONTH_NAMES, lower=True))
_MONTH_ANY = _alternation(_month_forms(_MONTH_NAMES + _MONTH_ABBRS, lower=True))
_ABBR_ONLY = _alternation(_month_forms(_MONTH_ABBRS, lower=False) - {"May", "MAY"})
_WD = "|".join(_WEEKDAY_NAMES)
_YEAR = r"(?:19|20)\d{2}"
_S = r"\s{1,3}"  # bounded so a run of blanks cannot make a failing match expensive
_NUM = r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_FEW = r"(?:a\s{1,3}few|several|a\s{1,3}couple(?:\s{1,3}of)?|a\s{1,3}number\s{1,3}of)"
_NOT_OF = r"(?!\s{1,3}of\b)"  # "the last week of February" is not last week

# A year after a day or month: "7 February 2023", "February 7, 2023", "Feb. 7 last year".
_YEAR_TAIL = (
    rf"(?:,?{_S}(?:(?i:of){_S})?(?:(?P<year>{_YEAR})\b(?![.,]\d)"
    rf"|(?P<yrel>(?i:last|this|next|previous){_S}(?i:year))\b))"
)
# Guards the day number against thousands and decimals: "7,000", "7.5".
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![.,]\d)"
# "overnight on August 13-14": the night belongs to the date, not to publication day.
_WD_PREFIX = (
    rf"(?:(?i:overnight|late|early|(?:on{_S})?the{_S}night{_S}of){_S}(?:(?i:on){_S})?)?"
    rf"(?:(?P<wd>(?i:{_WD}))\b,?{_S})?"
)

_MDY = re.compile(rf"\b{_WD_PREFIX}(?P<mon>{_MONTH_ANY})\b\.?{_S}{_DAY}(?:{_YEAR_TAIL})?")
_DMY = re.compile(
    rf"(?<![\w,.]){_WD_PREFIX}(?:(?i:the){_S})?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:{_S}(?i:of))?{_S}(?P<mon>{_MONTH_ANY})\b\.?(?:{_YEAR_TAIL})?"
)
_ISO = re.compile(
    rf"(?<![\d/.-])(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d]|[-/.]\d)"
)
_NUMERIC = re.compile(
    rf"(?<![\d/.,-])(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{_YEAR})"
    r"(?!\d|[-/.,]\d)"
)

_PREP = (
    r"(?P<prep>(?i:in|since|during|from|until|till|through|throughout|by|before|after|at"
    rf"|between|last|this|next)){_S}"
)
_PART = (
    rf"(?P<part>(?i:early|mid|late)(?:-|{_S})"
    rf"|(?i:the{_S})?(?i:start|beginning|middle|end|first{_S}half|second{_S}half"
    rf"|(?:first|last|final|second|third){_S}(?:week|weeks|days|few{_S}days)){_S}(?i:of){_S}"
    rf"(?:(?i:the{_S}month{_S}of){_S})?"
    rf"|(?i:the{_S}month{_S}of){_S})"
)
_MONTH_PHRASE = re.compile(
    rf"\b(?:{_PREP})?(?:{_PART})?"
    rf"(?:(?P<mon>{_MONTH_FULL})\b|(?P<abbr>{_ABBR_ONLY})\b\.?(?=,?{_S}{_YEAR}\b))"
    rf"(?:{_YEAR_TAIL})?"
)
# "in November and December", "from March to May 2022": later months of a list.
_MONTH_CONT = re.compile(
    rf"\s{{0,3}}(?:,|(?i:and|or|to|through|until|till|into)\b|[-–—/])\s{{0,3}}"
    rf"(?:(?P<part>(?i:early|mid|late)(?:-|{_S})))?(?P<mon>{_MONTH_FULL})\b(?:{_YEAR_TAIL})?"
)

_WEEKDAY = re.compile(
    rf"\b(?:(?P<rel>last|this{_S}past|this{_S}coming|this|next|coming|past|previous){_S}"
    rf"|(?:late|early|overnight){_S}(?:on{_S})?)?"
    # Feast days and newspapers are not dates of events.
    r"(?<!good )(?<!black )(?<!bloody )(?<!holy )(?<!easter )(?<!palm )(?<!cyber )(?<!sheffield )"
    rf"(?P<wd>{_WD})\b"
    r"(?!\s(?-i:Times|Telegraph|Mirror|Express|Post|Herald|Independent|Star)\b)"
    rf"(?:{_S}(?:morning|afternoon|evening|night|overnight)\b)?",
    re.IGNORECASE,
)

_IN_WORDS = "in over during for within throughout"
_IN = rf"(?:(?:{_IN_WORDS.replace(' ', '|')}){_S})?"
_COUNT = rf"(?:few{_S}|several{_S}|couple{_S}of{_S}|two{_S}|three{_S}|six{_S}|[2-9]{_S})?"
_COUNT_WORDS = "# a an several " + " ".join(_NUMBER_WORDS)  # "#": a word starting with a digit
_TIME_NOUN = "(?:day|night|morning|afternoon|evening|week|weekend|month|year)"

# Relative phrases: (kind, words the phrase can begin with, pattern). Order matters where
# two begin alike: the first that matches wins ("the day before yesterday" before the
# anaphoric "the day before"). Only the phrases that can begin with a given word are
# compiled together, which keeps a failed attempt cheap.
_PAST = rf"{_IN}the{_S}(?:past|last|previous){_S}"  # "over the past", "in the last"
# fmt: off
_RELATIVE_PHRASES: tuple[tuple[str, str, str], ...] = (
    ("dby", "the", rf"the{_S}day{_S}before{_S}yesterday"),
    ("anaphor", "on the that",
     rf"(?:on{_S})?(?:the{_S}(?:very{_S})?same|that(?:{_S}same)?"
     rf"|the{_S}(?:next|following|previous|preceding|prior)){_S}{_TIME_NOUN}"),
    ("anaphor", "earlier later",
     rf"(?:earlier|later){_S}(?:that|in{_S}the){_S}(?:day|night|morning|evening|week|month)"),
    ("anaphor", "the", rf"the{_S}day{_S}(?:before|after)"),
    ("anaphor", _COUNT_WORDS,
     rf"(?:{_NUM}|{_FEW}){_S}(?:days?|weeks?|months?|years?){_S}(?:later|earlier|before|after)"),
    ("ago", _COUNT_WORDS, rf"(?P<n>{_NUM}|{_FEW}){_S}(?P<unit>day|week|month|year)s?{_S}ago"),
    ("yesterday", "late yesterday last",
     rf"(?:late{_S})?(?:yesterday(?:{_S}(?:morning|afternoon|evening|night))?|last{_S}night)"),
    ("tomorrow", "tomorrow later",
     rf"tomorrow(?:{_S}(?:morning|afternoon|evening|night))?"
     rf"|later{_S}(?:today|tonight|this{_S}(?:morning|afternoon|evening))"),
    ("today", "earlier today this tonight overnight during",
     rf"(?:earlier{_S})?(?:(?<!of\s)today|this{_S}(?:morning|afternoon|evening)|tonight)"
     rf"|overnight|during{_S}the{_S}night(?!{_S}(?:of|to|into|before|on)\b)"),
    # A day's tally ("over the past 24 hours", "in a day", "per day"), as the General
    # Staff's and the regional administrations' morning summaries give it, counts the
    # day before publication.
    ("day_tally", f"{_IN_WORDS} the per",
     rf"{_PAST}(?:24|twenty-four){_S}hours|{_PAST}day(?!{_S}or\b)"
     rf"|(?:in|within|for|over){_S}(?:24|twenty-four){_S}hours"
     rf"|(?:in|during|for|within){_S}(?:a|one|the){_S}day(?!{_S}(?:of|or|before|after|earlier|later|when)\b)"
     rf"|per{_S}day"),
    ("last_day", f"{_IN_WORDS} the",
     rf"{_PAST}(?:few|several|couple{_S}of){_S}hours"),
    ("recent_days", f"{_IN_WORDS} the past last previous recent this",
     rf"{_IN}(?:the{_S})?(?:past|last|previous){_S}{_COUNT}days{_NOT_OF}"
     rf"|(?:in{_S})?recent{_S}days"
     rf"|{_IN}the{_S}(?:past|last){_S}(?:week|seven{_S}days|7{_S}days){_NOT_OF}"
     rf"|this{_S}past{_S}week|{_PAST}\d{{2}}{_S}hours"),
    ("this_week", "earlier this", rf"(?:earlier{_S})?this{_S}week"),
    ("later_week", "later", rf"later{_S}this{_S}week"),
    ("last_week", "last the", rf"last{_S}week{_NOT_OF}|the{_S}week{_S}before{_S}last"),
    ("next_week", "next the", rf"next{_S}week|the{_S}coming{_S}week"),
    ("weekend", "over during at on this the",
     rf"(?:over|during|at|on){_S}the{_S}weekend|(?:this{_S}|the{_S})past{_S}weekend"
     rf"|this{_S}weekend"),
    ("last_weekend", "last", rf"last{_S}weekend"),
    ("next_weekend", "next the", rf"next{_S}weekend|the{_S}coming{_S}weekend"),
    ("coming", "in", rf"in{_S}the{_S}(?:coming|next){_S}{_COUNT}(?:days|weeks|months)"),
    ("recent_weeks", f"{_IN_WORDS} the past last previous recent",
     rf"{_IN}(?:the{_S})?(?:past|last|previous|recent){_S}{_COUNT}weeks{_NOT_OF}"),
    ("past_month", f"{_IN_WORDS} the", rf"{_PAST}month{_NOT_OF}"),
    ("recent_months", f"{_IN_WORDS} the past last previous recent",
     rf"{_IN}(?:the{_S})?(?:past|last|previous|recent){_S}{_COUNT}months{_NOT_OF}"),
    ("this_month", "earlier this", rf"(?:earlier{_S})?this{_S}month"),
    ("later_month", "later", rf"later{_S}this{_S}month"),
    ("last_month", "last", rf"last{_S}month{_NOT_OF}"),
    ("next_month", "next", rf"next{_S}month"),
    ("past_year", f"{_IN_WORDS} the", rf"{_PAST}year{_NOT_OF}"),
    ("this_year", "earlier this since the",
     rf"(?:earlier{_S})?this{_S}year"
     rf"|(?:since{_S})?the{_S}(?:start|beginning){_S}of{_S}(?:the|this){_S}year"),
    ("last_year", "last", rf"last{_S}year"),
    ("next_year", "next later", rf"next{_S}year|later{_S}this{_S}year"),
    ("season", "last this past next the",
     rf"(?P<srel>last|this{_S}past|this|past|next|the{_S}past){_S}"
     r"(?P<sname>spring|summer|autumn|fall|winter)"),
    ("season_year", "in during over since by the spring summer autumn fall winter",
     rf"(?:(?:in|during|over|since|by){_S})?(?:the{_S})?"
     rf"(?P<sname2>spring|summer|autumn|fall|winter){_S}(?:of{_S})?(?P<syear>{_YEAR})"),
)
# fmt: on


def _relative_pattern(phrases: tuple[tuple[str, str, str], ...]) -> re.Pattern[str]:
    # Groups are named kind_index: a kind may have several phrases, a name only one group.
    body = "|".join(
        f"(?P<{kind}_{i}>{pattern})"
        for i, (kind, _, pattern) in enumerate(_RELATIVE_PHRASES)
        if (kind, _, pattern) in phrases
    )
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


# --------------------------------------------------------------------------- arithmetic


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(first: date, n: int) -> date:
    """The first day of the month `n` months from `first`'s month."""
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _weekday_on_or_before(anchor: date, weekday: int, strict: bool = False) -> date:
    delta = (anchor.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def _weekday_after(anchor: date, weekday: int) -> date:
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)


def _month_day_year(month: int, day: int, published: date) -> date | None:
    limit = published + _SLACK
    # Eight years back reaches the previous 29 February from any year.
    for year in range(limit.year, limit.year - 9, -1):
        d = _safe_date(year, month, day)
        if d is not None and d <= limit:
            return d
    return None


def _month_number(token: str) -> int:
    return _MONTH_BY_PREFIX[token.rstrip(".").lower()[:3]]


def _season(name: str, rel: str, published: date) -> tuple[date, bool]:
    """First day of the named season and whether it lies after publication."""
    month = _SEASON_START[name]

    def bounds(year: int) -> tuple[date, date]:
        start = date(year, month, 1)
        return start, _add_months(start, 3) - timedelta(days=1)

    if rel == "next":
        year = published.year
        while bounds(year)[0] <= published:
            year += 1
        return bounds(year)[0], True
    if rel == "this":
        for year in (published.year - 1, published.year):
            start, end = bounds(year)
            if start <= published <= end:
                return start, False
        start = bounds(published.year)[0]
        return start, start > published
    year = published.year  # last / past: the latest season already over
    while bounds(year)[1] >= published:
        year -= 1
    return bounds(year)[0], False


def _count(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)  # None for "a few", "several": no exact count


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    value: date | None  # None: recognised but not to be returned (anaphor, unresolvable)
    kind: SpanKind
    future: bool = False
    relative: bool = True
    anaphor: bool = False


def _future(value: date, published: date | None) -> bool:
    return published is not None and value > published + _SLACK


def _explicit_year(m: re.Match[str], published: date | None) -> tuple[int | None, bool]:
    """The year a match names, and whether it was relative ("last year")."""
    if m["year"]:
        return int(m["year"]), False
    if m["yrel"]:
        if published is None:
            return None, True
        word = m["yrel"].split()[0].lower()
        return published.year + {"last": -1, "previous": -1, "this": 0, "next": 1}[word], True
    return None, True


def _day_month(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    month, day = _month_number(m["mon"]), int(m["day"])
    year, relative = _explicit_year(m, published)
    value: date | None
    if year is not None:
        value = _safe_date(year, month, day)
    elif published is not None and not m["yrel"]:
        value = _month_day_year(month, day, published)
    else:
        value = None
    future = value is not None and _future(value, published)
    yield _Cand(m.start(), m.end(), value, "point", future, relative)


def _iso(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    value = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    future = value is not None and _future(value, published)
    yield _Cand(m.start(), m.end(), value, "point", future, False)


def _numeric(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    day_first = _safe_date(year, b, a)
    if m["sep"] == ".":  # dotted dates are day-first wherever they are written
        readings = [day_first]
    else:
        readings = list(dict.fromkeys([day_first, _safe_date(year, a, b)]))
    valid = [d for d in readings if d is not None]
    relative = False
    if len(valid) > 1 and published is not None:
        valid = [d for d in valid if d <= published + _SLACK]
        relative = True
    value = valid[0] if len(valid) == 1 else None
    future = value is not None and _future(value, published)
    yield _Cand(m.start(), m.end(), value, "point", future, relative)


def _month_value(month: int, prep: str, published: date) -> tuple[date, bool]:
    """A month named without a year: the latest one fitting `prep`, and future-ness."""
    if prep == "next":
        year = published.year if month > published.month else published.year + 1
        return date(year, month, 1), True
    if prep == "last":
        year = published.year if month < published.month else published.year - 1
    else:
        year = published.year if month <= published.month else published.year - 1
    return date(year, month, 1), False


def _month_phrase(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    """A month phrase and the months listed after it."""
    prep = (m["prep"] or "").lower()
    if not (prep or m["part"] or m["year"] or m["yrel"]):
        return  # a bare "March" is too often not a date
    kind: SpanKind = "period" if prep == "since" and not m["part"] else "month"
    items: list[tuple[int, int, int, int | None, bool]] = []  # start, end, month, year, rel
    year, rel = _explicit_year(m, published)
    items.append((m.start(), m.end(), _month_number(m["mon"] or m["abbr"]), year, rel))
    end = m.end()
    for _ in range(12):
        cont = _MONTH_CONT.match(text, end)
        if cont is None:
            break
        year, rel = _explicit_year(cont, published)
        month_start = cont.start("part") if cont["part"] else cont.start("mon")
        items.append((month_start, cont.end(), _month_number(cont["mon"]), year, rel))
        end = cont.end()
    # A list shares its year: "between March and May 2022", "in March 2022 and April".
    known = [(i, mo, y, r) for i, (_, _, mo, y, r) in enumerate(items) if y is not None]
    for i, (start, stop, month, year, rel) in enumerate(items):
        if year is None and known:
            after = [k for k in known if k[0] > i]
            j, ref_month, ref_year, rel = after[0] if after else known[-1]
            if j > i:
                year = ref_year if month <= ref_month else ref_year - 1
            else:
                year = ref_year if month >= ref_month else ref_year + 1
        future = False
        value: date | None = None
        if year is not None:
            value = date(year, month, 1)
            future = _future(value, published)
        elif published is not None:
            value, future = _month_value(month, prep if start == m.start() else "", published)
        yield _Cand(start, stop, value, kind, future, rel)


def _weekday(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    rel = " ".join((m["rel"] or "").lower().split())
    future = rel in ("next", "coming", "this coming")
    value: date | None = None
    if published is not None:
        weekday = _WEEKDAY_NAMES.index(m["wd"].lower())
        if future:
            value = _weekday_after(published, weekday)
        else:
            strict = rel in ("last", "past", "previous", "this past")
            value = _weekday_on_or_before(published, weekday, strict)
    yield _Cand(m.start(), m.end(), value, "point", future)


def _month1(p: date) -> date:
    return date(p.year, p.month, 1)


_DAY1 = timedelta(days=1)
# Relative phrases that resolve from the publication date alone: value, kind, future.
_FIXED: dict[str, tuple[Callable[[date], date], SpanKind, bool]] = {
    "dby": (lambda p: p - 2 * _DAY1, "point", False),
    "day_tally": (lambda p: p - _DAY1, "point", False),
    "last_day": (lambda p: p, "point", False),
    "yesterday": (lambda p: p - _DAY1, "point", False),
    "today": (lambda p: p, "point", False),
    "recent_days": (lambda p: p, "week", False),
    "this_week": (lambda p: p, "week", False),
    "later_week": (lambda p: p, "week", True),
    "next_week": (lambda p: week_start(p) + 7 * _DAY1, "week", True),
    "weekend": (lambda p: _weekday_on_or_before(p, 5), "week", False),
    "last_weekend": (lambda p: week_start(p) - 2 * _DAY1, "week", False),
    "next_weekend": (lambda p: _weekday_after(p, 5), "week", True),
    "coming": (lambda p: p, "period", True),
    "recent_weeks": (lambda p: p - 28 * _DAY1, "period", False),
    "past_month": (lambda p: p - 30 * _DAY1, "period", False),
    "recent_months": (lambda p: _add_months(_month1(p), -3), "period", False),
    "this_month": (_month1, "month", False),
    "later_month": (_month1, "month", True),
    "last_month": (lambda p: _add_months(_month1(p), -1), "month", False),
    "next_month": (lambda p: _add_months(_month1(p), 1), "month", True),
    "past_year": (lambda p: _add_months(_month1(p), -12), "period", False),
    "this_year": (lambda p: date(p.year, 1, 1), "period", False),
    "last_year": (lambda p: date(p.year - 1, 1, 1), "period", False),
    "next_year": (lambda p: date(p.year + 1, 1, 1), "period", True),
}


def _relative(m: re.Match[str], p: date) -> tuple[date, SpanKind, bool] | None:
    """Value, kind and future-ness of a relative phrase (publication date known)."""
    group = _kind_of(m)
    if group in _FIXED:
        resolve, kind, future = _FIXED[group]
        return resolve(p), kind, future
    if group == "tomorrow":  # "later today" is the same day, still ahead
        return (p + _DAY1 if "tomorrow" in m[0].lower() else p), "point", True
    if group == "last_week":
        weeks = 2 if "before" in m[0].lower() else 1
        return week_start(p) - timedelta(days=7 * weeks), "week", False
    if group == "ago":
        n = _count(m["n"])
        unit = m["unit"].lower()
        if unit == "day":
            if n is None:  # "a few days ago": somewhere in the last week
                return p - timedelta(days=3), "week", False
            return p - timedelta(days=n), "point", False
        if unit == "week":
            return p - timedelta(days=7 * (n or 2)), "week", False
        if unit == "month":
            return _add_months(_month1(p), -(n or 2)), "month", False
        return _add_months(_month1(p), -12 * (n or 2)), "period", False
    if group == "season":
        rel = m["srel"].lower().split()[-1]
        value, future = _season(m["sname"].lower(), rel, p)
        return value, "period", future
    return None


def _kind_of(m: re.Match[str]) -> str:
    return (m.lastgroup or "").rsplit("_", 1)[0]


def _relative_cands(text: str, m: re.Match[str], published: date | None) -> Iterator[_Cand]:
    group = _kind_of(m)
    if group == "anaphor":
        yield _Cand(m.start(), m.end(), None, "point", anaphor=True)
        return
    if group == "season_year":  # "the summer of 2022" needs no publication date
        name = m["sname2"].lower()
        # "winter 2023" is the winter whose January and February fall in 2023.
        value = date(int(m["syear"]), 1 if name == "winter" else _SEASON_START[name], 1)
        yield _Cand(m.start(), m.end(), value, "period", _future(value, published), False)
        return
    resolved = None if published is None else _relative(m, published)
    if resolved is None:
        yield _Cand(m.start(), m.end(), None, "point")
    else:
        value, kind, future = resolved
        yield _Cand(m.start(), m.end(), value, kind, future)


_Handler = Callable[[str, re.Match[str], "date | None"], Iterator[_Cand]]
_Entry = tuple[re.Pattern[str], _Handler]


def _starters() -> dict[str, tuple[_Entry, ...]]:
    """Which patterns can begin with a given lower-case word ("#": one starting with a digit)."""
    table: dict[str, list[_Entry]] = {}

    def add(rx: re.Pattern[str], handler: _Handler, *groups: str) -> None:
        for group in groups:
            for word in group.split():
                table.setdefault(word, []).append((rx, handler))

    months = " ".join(_MONTH_NAMES + _MONTH_ABBRS)
    weekdays = " ".join(_WEEKDAY_NAMES)
    add(_MDY, _day_month, months, weekdays, "overnight late early on the")
    add(_DMY, _day_month, "the # overnight late early on", weekdays)
    add(_ISO, _iso, "#")
    add(_NUMERIC, _numeric, "#")
    add(_WEEKDAY, _weekday, "last this next coming past previous late early overnight", weekdays)
    add(
        _MONTH_PHRASE,
        _month_phrase,
        "in since during from until till through throughout by before after at between last "
        "this next early mid late the start beginning middle end first second third final",
        months,
    )
    words = {w for _, starts, _ in _RELATIVE_PHRASES for w in starts.split()}
    for word in sorted(words):
        phrases = tuple(p for p in _RELATIVE_PHRASES if word in p[1].split())
        add(_relative_pattern(phrases), _relative_cands, word)
    return {word: tuple(entries) for word, entries in table.items()}


_STARTERS = _starters()
# A starter is tried only when the next word can continue a date ("#": a number): "the
# town", "in a", "on foot" are ruled out here far more cheaply than by a regex.
_ALONE = frozenset(("today", "yesterday", "tonight", "overnight", "tomorrow", *_WEEKDAY_NAMES))
_NOUNS = "day days night week weeks weekend month months year years morning afternoon evening"
_NAMES = " ".join((*_MONTH_NAMES, *_MONTH_ABBRS, *_WEEKDAY_NAMES, *_SEASON_START))
_NEXT_WORDS = {
    "the": f"# very same next following previous preceding prior past last coming start "
    f"beginning middle end first second third final {_NOUNS} {_NAMES}",
    "on": "the that",
    "at": "the",
    "a": f"few couple number {_NOUNS}",
    "that": f"same very {_NOUNS}",
    "in": f"the recent early mid late past last previous coming a one # {_NAMES}",
    "#": f"# of st nd rd th few {_NOUNS} {_NAMES}",
}
_FOLLOWS: dict[str, frozenset[str]] = {w: frozenset(ws.split()) for w, ws in _NEXT_WORDS.items()}
_FOLLOWS["an"] = _FOLLOWS["a"]
# Any other starter: a word that can be second in some date expression.
_FOLLOWS_ANY = frozenset(
    f"{_NEXT_WORDS['the']} {_NEXT_WORDS['in']} on of this that ago later earlier before after "
    "few several couple number half week two three six seven a one".split()
)
_WORD = re.compile(r"\b\w+")
# Every pattern contains one of these (lower-cased), a month name or a year; weekdays,
# "today" and "yesterday" end in "day", "tonight" and "overnight" in "night".
_ANCHORS = (
    "day", "night", "week", "month", "year", "morning", "afternoon", "evening", "tomorrow",
    "hour", "spring", "summer", "autumn", "fall", "winter",
)  # fmt: skip
_MONTH_STEMS = {name[:3]: name for name in _MONTH_NAMES}
# How far before its anchor a phrase can start: "throughout the first half of the month
# of March" is 42 characters before "March". A longer prefix is only lost, not misread.
_REACH = 50
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _anchor_windows(text: str, low: str) -> list[tuple[int, int]]:
    """Merged stretches of text in which a date expression may start."""
    hits: list[int] = []
    for key in _ANCHORS:
        i = low.find(key)
        while i != -1:
            hits.append(i)
            i = low.find(key, i + len(key))
    for stem, name in _MONTH_STEMS.items():
        # Capitalised, or a whole lower-case name: "decide" and "may" are not months.
        i = low.find(stem)
        while i != -1:
            if (i == 0 or not low[i - 1].isalnum()) and (
                text[i].isupper() or low.startswith(name, i)
            ):
                hits.append(i)
            i = low.find(stem, i + 3)
    for key in ("19", "20"):  # a year, for ISO and numeric dates
        i = low.find(key)
        while i != -1:
            if (
                low[i + 2 : i + 4].isdigit()
                and (i == 0 or not low[i - 1].isdigit())
                and not low[i + 4 : i + 5].isdigit()
            ):
                hits.append(i)
            i = low.find(key, i + 2)
    hits.sort()
    windows: list[tuple[int, int]] = []
    for i in hits:
        lo = max(0, i - _REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], i + 1)
        else:
            windows.append((lo, i + 1))
    return windows


def _candidates(text: str, published: date | None) -> list[_Cand]:
    # Scanning every position with every pattern costs tens of milliseconds on a news
    # article; trying them only at words that can begin a date, near a word every date
    # contains, costs well under one.
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets aligned
        low = text.translate(_ASCII_LOWER)
    cands: list[_Cand] = []
    for lo, hi in _anchor_windows(text, low):
        # Words past the window are read only as the follower of its last word.
        stop = min(len(low), hi + 40)
        words = [(w.start(), w[0]) for w in _WORD.finditer(low, lo, stop)]
        for k, (start, word) in enumerate(words):
            if start >= hi:
                break
            key = "#" if word[0].isdigit() else word
            entries = _STARTERS.get(key)
            if entries is None:
                continue
            if word not in _ALONE:
                follower = words[k + 1][1] if k + 1 < len(words) else ""
                if follower[:1].isdigit():
                    follower = "#"
                if follower not in _FOLLOWS.get(key, _FOLLOWS_ANY):
                    continue
            for rx, handler in entries:
                m = rx.match(text, start)
                if m is not None:
                    cands.extend(handler(text, m, published))
    return cands


def _select(cands: list[_Cand], length: int) -> list[_Cand]:
    """Non-overlapping candidates: anaphors first, then finer precision, then longer."""
    if len(cands) < 2:
        return cands
    cands.sort(key=lambda c: (not c.anaphor, _PRECISION[c.kind], c.start - c.end, c.start))
    taken = bytearray(length)
    chosen: list[_Cand] = []
    for c in cands:
        if taken.find(1, c.start, c.end) == -1:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            chosen.append(c)
    return chosen


def find_date_spans(text: str, published: date | None) -> tuple[DateSpan, ...]:
    """Every resolvable date expression in `text`, future and period ones included,
    sorted by start. See the module docstring for how each kind resolves."""
    spans: list[DateSpan] = []
    for c in sorted(_select(_candidates(text, published), len(text)), key=lambda c: c.start):
        if c.value is None or c.anaphor:
            continue
        if c.relative and published is None:
            continue  # never invent a date
        mention = DateMention(c.start, c.end, text[c.start : c.end], c.value, _PRECISION[c.kind])
        spans.append(DateSpan(mention, c.kind, c.future, c.relative))
    return tuple(spans)


def find_dates(text: str, published: date | None) -> tuple[DateMention, ...]:
    """The date expressions in `text` usable as event dates: not future, not periods."""
    return event_dates(find_date_spans(text, published))


def event_dates(spans: Iterable[DateSpan]) -> tuple[DateMention, ...]:
    """Of `find_date_spans`' result, the dates usable as event dates."""
    return tuple(s.mention for s in spans if not s.future and s.kind != "period")


# --------------------------------------------------------------------------- metadata

_PUB_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?", re.DOTALL)
_PUB_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T\s,].*)?", re.DOTALL)
_MONTH_CI = _alternation({n for n in _MONTH_NAMES + _MONTH_ABBRS})
_PUB_NAMED = re.compile(
    rf"(?:(?:{_WD}|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+)?"
    rf"(?:(?P<mon1>{_MONTH_CI})\.?\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year1>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MONTH_CI})\.?,?\s+"
    r"(?P<year2>\d{4}))(?:[\s,T].*)?",
    re.IGNORECASE | re.DOTALL,
)


def _plausible(d: date | None) -> date | None:
    return d if d is not None and 1900 <= d.year <= 2100 else None


def _parse_published(value: str) -> date | None:
    try:
        # The date as the outlet wrote it, not converted to UTC: the text's "today"
        # is the outlet's today.
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    if m := _PUB_ISO.fullmatch(value):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _PUB_DMY.fullmatch(value):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        # Metadata in this corpus is day-first; month-first only when day-first cannot be.
        return _safe_date(year, b, a) or _safe_date(year, a, b)
    if m := _PUB_NAMED.fullmatch(value):
        if m["mon1"]:
            return _safe_date(int(m["year1"]), _month_number(m["mon1"]), int(m["day1"]))
        return _safe_date(int(m["year2"]), _month_number(m["mon2"]), int(m["day2"]))
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def parse_published(value: str | None) -> date | None:
    """A publication date from feed or page metadata; None when it cannot be read.

    Accepts ISO dates and datetimes (Z or offsets), RFC 2822, "17/07/2023" (day first),
    "July 17, 2023" and "17 July 2023", with or without a leading weekday or a trailing
    time. Never raises.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 100:
        return None
    try:
        return _plausible(_parse_published(value))
    except Exception:  # metadata is untrusted: a parser bug must not stop a batch
        return None
