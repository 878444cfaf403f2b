"""Events evaluation: how well frontwatch types, dates, sides and counts gold events.

Each gold record (ACLED or UCDP) is one event with a short text. The text goes through
the pipeline and the *main* event frontwatch extracts (see `main_event`) is compared
with the gold row: ACLED event and sub-event type, actor sides, named actor1, date,
fatalities and sources; UCDP date window, deaths range and sources.

Every metric is a share of ALL the records scored: a record where frontwatch finds no
event is a miss on every metric, not an abstention (its predicted type is "none").

Everything here except `extract_all` is a pure function of its arguments, so it is
unit-tested without a spaCy model; the CLI and the text report live in `evaluate_cli`.
"""

from __future__ import annotations

import difflib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .evaluate import (
    _clip,
    _float,
    _r,
    _share,
    country_code,
    open_gold,
    parse_gold_date,
    parse_rows,
)
from .evaluate import run_pipeline as _run_pipeline
from .extract.numbers import find_figures
from .places.normalise import normalise_name
from .records import ArticleResult, Event, Side
from .settings import Settings

FORMATS: tuple[str, ...] = ("acled", "ucdp")
NONE = "none"  # the predicted class of a record with no main event

# The scope for ACLED: the full-scale war (2022 and later, the CLI's default
# --since) and the conflict event types only. Protests and Riots (ACLED's
# "Demonstrations") are not what frontwatch extracts; Strategic developments stay in
# because the extractor emits some of them (e.g. "Disrupted weapons use" for shoot-downs).
CONFLICT_TYPES: frozenset[str] = frozenset({
    "Battles", "Explosions/Remote violence", "Violence against civilians",
    "Strategic developments",
})

# Issue 4's acceptance targets, printed next to the figures.
TARGETS: dict[str, dict[str, float]] = {
    "acled": {"sub_event_macro_f1": 0.80, "sub_event_accuracy": 0.88,
              "actor1_side_accuracy": 0.95, "date_exact": 0.97, "fatalities_exact": 0.90},
    "ucdp": {"date_within_window": 0.90, "deaths_within_range": 0.70},
}
# The checks each format scores, in report order (each is a share of all records).
CHECKS: dict[str, tuple[str, ...]] = {
    "acled": ("event_type", "sub_event_type", "actor1_side", "actor2_side", "actor1_exact",
              "date_exact", "date_within_precision", "fatalities_exact",
              "fatalities_within_20pct", "source_overlap"),
    "ucdp": ("date_exact", "date_within_window", "deaths_within_range", "deaths_exact",
             "source_overlap"),
}
# The name a check's share goes by in the summary.
FIGURE_OF: dict[str, str] = {
    "event_type": "event_type_accuracy", "sub_event_type": "sub_event_accuracy",
    "actor1_side": "actor1_side_accuracy", "actor2_side": "actor2_side_accuracy",
}


@dataclass(frozen=True, slots=True)
class EventGold:
    """One gold event as the evaluation needs it; fields a format lacks stay empty."""

    id: str
    text: str
    published: date | None  # what the pipeline is told the publication date is
    country: str | None
    place_name: str = ""
    event_date: date | None = None  # ACLED event_date; UCDP date_start
    date_end: date | None = None  # UCDP date_end
    time_precision: int | None = None  # ACLED 1 day, 2 week, 3 month
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    fatalities: int | None = None  # ACLED fatalities; UCDP best
    low: int | None = None  # UCDP low and high estimates of deaths
    high: int | None = None
    sources: tuple[str, ...] = ()  # ACLED source; UCDP source_original and source_office


# -- reading gold files ---------------------------------------------------------------


def _int(value: str | None) -> int | None:
    x = _float(value)
    return None if x is None else int(x)


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def _acled(row: Mapping[str, str]) -> EventGold:
    when = parse_gold_date(row.get("event_date") or "", dayfirst=True)
    return EventGold(
        id=row.get("event_id_cnty") or row.get("id") or "",
        text=(row.get("notes") or "").strip(),
        published=when,  # ACLED notes carry no publication date: the event's stands in
        country=country_code(row.get("country") or ""),
        place_name=row.get("location") or "",
        event_date=when, date_end=when,
        time_precision=_int(row.get("time_precision")),
        event_type=(row.get("event_type") or "").strip(),
        sub_event_type=(row.get("sub_event_type") or "").strip(),
        actor1=(row.get("actor1") or "").strip(),
        actor2=(row.get("actor2") or "").strip(),
        # ACLED writes 0 for "none reported" and never leaves it blank; blank reads as 0.
        fatalities=_int(row.get("fatalities")) or 0,
        sources=tuple(_split(row.get("source"))),
    )


def ucdp_text(headline: str, offices: str) -> str:
    """UCDP's headline, or its headlines: a row from several articles joins them with
    ";" (as many as its source offices); each becomes a sentence of its own."""
    parts = _split(headline)
    if len(parts) > 1 and len(parts) == len(_split(offices)):
        return " ".join(p if p[-1] in ".!?" else p + "." for p in parts)
    return headline.strip()


def ucdp_published(source_date: str, date_start: date | None) -> date | None:
    """The first source's date (UCDP writes "dd/mm/yyyy", or ISO dates joined by ";"),
    else the event's start date."""
    for part in _split(source_date):
        d = parse_gold_date(part, dayfirst=True)
        if d is not None:
            return d
    return date_start


def _ucdp(row: Mapping[str, str]) -> EventGold:
    start = parse_gold_date(row.get("date_start") or "", dayfirst=False)
    end = parse_gold_date(row.get("date_end") or "", dayfirst=False) or start
    return EventGold(
        id=row.get("id") or row.get("relid") or "",
        text=ucdp_text(row.get("source_headline") or "", row.get("source_office") or ""),
        published=ucdp_published(row.get("source_date") or "", start),
        country=country_code(row.get("country") or ""),
        place_name=row.get("where_coordinates") or "",
        event_date=start, date_end=end,
        actor1=(row.get("side_a") or "").strip(), actor2=(row.get("side_b") or "").strip(),
        fatalities=_int(row.get("best")), low=_int(row.get("low")), high=_int(row.get("high")),
        sources=tuple(_split(row.get("source_original")) + _split(row.get("source_office"))),
    )


REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": ("notes", "event_date", "time_precision", "event_type", "sub_event_type",
              "actor1", "actor2", "fatalities", "source"),
    "ucdp": ("id", "source_headline", "source_date", "source_original", "source_office",
             "date_start", "date_end", "best", "low", "high"),
}
_READERS = {"acled": _acled, "ucdp": _ucdp}


def parse_event_gold(fh: Iterable[str], fmt: str, name: str = "<gold>"
                     ) -> tuple[list[EventGold], int]:
    """The records of an ACLED or UCDP CSV, and how many rows had no text."""
    return parse_rows(fh, fmt, name, _READERS[fmt], REQUIRED_COLUMNS[fmt])


def read_event_gold(path: Path, fmt: str) -> tuple[list[EventGold], int]:
    with open_gold(path) as fh:
        return parse_event_gold(fh, fmt, str(path))


def parse_event_gold_text(text: str, fmt: str) -> list[EventGold]:
    return parse_event_gold(io.StringIO(text), fmt)[0]


def in_scope(records: Sequence[EventGold], fmt: str) -> list[EventGold]:
    """ACLED: the conflict event types only (see CONFLICT_TYPES). UCDP: every row (all
    of GED's events are organised violence)."""
    if fmt != "acled":
        return list(records)
    return [r for r in records if r.event_type in CONFLICT_TYPES]


# -- actor sides ----------------------------------------------------------------------

# Gold actor name -> side, first matching rule wins, anything else (civilians, protesters,
# communal militias, "Unidentified Military Forces", other states) is "other". Written
# from ACLED's codebook naming scheme ("Military Forces of <State> (<years>) <branch>",
# "Police Forces of ...") and UCDP's ("Government of <State>"), then checked against every
# actor1/actor2 value of acled_dev.csv and side_a/side_b of ucdp_dev.csv. It is
# measurement code: the extractor never reads it.
ACTOR_SIDE_RULES: tuple[tuple[str, Side], ...] = (
    (r"^(?:military|police) forces of russia\b", "russia"),  # branches, DPR/LPR militias
    (r"^government of russia\b", "russia"),  # UCDP
    (r"^wagner group\b", "russia"),
    (r"^naf\b", "russia"),  # "NAF: United Armed Forces of Novorossiya" (DPR/LPR, 2014-22)
    (r"^(?:dpr|lpr)\b|people's (?:republic|militia)", "russia"),
    (r"^(?:military|police) forces of ukraine\b", "ukraine"),  # SES, border guard, ...
    (r"^government of ukraine\b", "ukraine"),  # UCDP
    (r"^security service of ukraine\b", "ukraine"),
    # Russian citizens' units fighting under Ukraine's command.
    (r"^(?:freedom of russia legion|russian volunteer corps)\b", "ukraine"),
)
_SIDE_RULES = tuple((re.compile(rx, re.IGNORECASE), side) for rx, side in ACTOR_SIDE_RULES)


def actor_side(name: str) -> Side | None:
    """The side of a gold actor name; None for no actor at all."""
    name = name.strip()
    if not name:
        return None
    for rx, side in _SIDE_RULES:
        if rx.search(name):
            return side
    return "other"


# -- what the pipeline gives ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the evaluation keeps of one pipeline result: small enough to pickle back."""

    main: Event | None
    n_events: int = 0
    casualties: int | None = None  # deaths summed over the casualty claims, if any


def main_event(result: ArticleResult) -> Event | None:
    """The event of the text that stands for the gold record: the first one in text
    order, leaving out denied events.

    A gold record is one event and its text is written around it: ACLED notes open with
    "On <date>, <actor> <did what> in <place>", and a UCDP headline names its event
    first. Later sentences add context (damage, casualties, a second strike), so the
    first event is the one a reader would code. Choosing instead the event nearest the
    gold point would peek at the answer and reward extracting many events. This is also
    what `evaluate.choose_location` takes as the place, so both evaluations judge the
    same event.
    """
    events = [e for e in result.events if e.modality != "denied"]
    return min(events, key=lambda e: e.evidence_start) if events else None


def casualty_deaths(result: ArticleResult) -> int | None:
    """Deaths stated by the result's casualty claims (not background, not denied, not
    counts that mix the injured in); a range counts its low end; None for no claim."""
    counts = [c.low if c.low is not None else c.high for c in result.claims
              if c.kind == "casualties" and not c.background and not c.killed_or_injured
              and c.modality != "denied" and c.unit in (None, "people")]
    values = [int(x) for x in counts if x is not None]
    return sum(values) if values else None


def extract_main(result: ArticleResult) -> Extracted:
    return Extracted(main_event(result), len(result.events), casualty_deaths(result))


def extract_all(records: Sequence[EventGold], settings: Settings, jobs: int = 1
                ) -> Iterator[tuple[Extracted | None, str | None]]:
    """`extract_main` of every record's pipeline result, in record order."""
    yield from _run_pipeline([(r.text, r.published, r.id) for r in records], settings,
                             extract_main, jobs)


# -- single checks --------------------------------------------------------------------


def date_within_precision(gold: date | None, precision: int | None, ours: date | None) -> bool:
    """ACLED time_precision: 1 the day itself, 2 within 3 days either way (the week it
    stands for), 3 the same month. An unknown precision is taken as 1."""
    if gold is None or ours is None:
        return False
    if precision == 3:
        return (gold.year, gold.month) == (ours.year, ours.month)
    if precision == 2:
        return abs((ours - gold).days) <= 3
    return ours == gold


def date_in_window(start: date | None, end: date | None, ours: date | None) -> bool:
    if start is None or ours is None:
        return False
    return start <= ours <= (end or start)


def fatalities_within(gold: int | None, ours: int | None, tolerance: float = 0.2) -> bool:
    """Within ±20 % of the gold count (so a gold 0 needs a 0); an unstated count is 0,
    as ACLED writes it."""
    g, o = gold or 0, ours or 0
    return abs(o - g) <= tolerance * g


def deaths_in_range(low: int | None, high: int | None, ours: int | None) -> bool | None:
    """UCDP: low <= ours <= high; None when the row gives no estimate."""
    if low is None and high is None:
        return None
    if ours is None:
        return False
    lo = low if low is not None else high
    hi = high if high is not None else low
    assert lo is not None and hi is not None
    return min(lo, hi) <= ours <= max(lo, hi)


# Words that alone identify no one: a match needs one word outside them.
_GENERIC = frozenset({
    "ministry", "defence", "forces", "armed", "general", "staff", "office", "press",
    "service", "services", "news", "military", "official", "representative", "head",
    "regional", "administration", "spokesman", "spokesperson", "command", "source",
    "sources", "media", "agency", "department", "operational", "feed", "unified",
    "people", "republic", "state", "emergency", "city", "mayor", "governor",
})
_FUNCTION = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "at", "to", "s",
                       "by", "with", "mo", "ltd"})
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "defense": ("defence",), "ukrainian": ("ukraine",), "russian": ("russia",),
    "ukrainy": ("ukraine",), "rossii": ("russia",), "dnr": ("dpr",), "lnr": ("lpr",),
    "mod": ("ministry", "defence"), "genshtab": ("general", "staff"),
    "afu": ("armed", "forces", "ukraine"), "zsu": ("armed", "forces", "ukraine"),
}
# Words a text leaves out when it names an outlet.
_OUTLET_WORDS = frozenset({"media", "news", "agency", "feed", "channel", "tv", "online"})
# Sources ACLED gives when it names no one.
_NO_SOURCE = frozenset({"undisclosed source", "undisclosed sources"})


def source_tokens(name: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", normalise_name(name))
    return frozenset(t for w in words if w not in _FUNCTION for t in _SYNONYMS.get(w, (w,)))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    # Transliterations ("Kirilenko"/"Kyrylenko") and clipped forms ("Suspilne"/"Suspilne's").
    return a.startswith(b) or b.startswith(a) or \
        difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def sources_match(ours: str, gold: str) -> bool:
    """Whether two source names fuzzily name the same body: every word of the shorter
    name (less function words) is in the longer one, give or take a transliteration,
    and one of them is more than a generic word like "ministry"."""
    if normalise_name(gold) in _NO_SOURCE or normalise_name(ours) in _NO_SOURCE:
        return False
    a, b = source_tokens(ours), source_tokens(gold)
    if not a or not b:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if not small - _GENERIC and small != big:
        return False
    return all(any(_same_word(w, v) for v in big) for w in small)


def our_source_names(event: Event) -> list[str]:
    """Names our event is attributed to: each speaker, its channel and its relayer."""
    names: list[str] = []
    for s in event.sources:
        names += [n for n in (s.name, s.channel, s.relayed_by) if n]
    return names


def source_overlap(event: Event | None, gold: Sequence[str]) -> bool:
    return event is not None and any(
        sources_match(o, g) for o in our_source_names(event) for g in gold)


def source_in_text(text: str, gold: Sequence[str]) -> bool:
    """Whether the text itself names one of the gold sources: a rough ceiling on the
    attribution overlap (ACLED notes seldom say who reported the event)."""
    words = source_tokens(text)
    for g in gold:
        tokens = source_tokens(g) - _OUTLET_WORDS  # "Suspilne" names Suspilne Media
        if normalise_name(g) in _NO_SOURCE or not tokens - _GENERIC:
            continue
        if all(any(_same_word(w, v) for v in words) for w in tokens):
            return True
    return False


_ONE_PERSON = re.compile(r"\b(?:an?|one)\s+(?:\w+\s+){0,2}?(?:man|woman|person|civilian|"
                         r"resident|child|girl|boy|soldier|serviceman|journalist|driver)\b"
                         r"|\bwas\s+killed\b|\bdied\b", re.I)


def deaths_in_text(text: str, low: int | None, high: int | None) -> bool:
    """Whether the text states any count inside the gold low-high range, or one death
    where the range holds 1: a generous ceiling on "deaths within range" (GED's counts
    come from the full articles, the evaluation sees only their headlines)."""
    if low is None or high is None:
        return False
    counts = [f.low if f.low is not None else f.high for f in find_figures(text)
              if not f.percent]
    if _ONE_PERSON.search(text):
        counts.append(1)
    return any(c is not None and low <= c <= high for c in counts)


# -- scoring a record -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """One record scored. `checks` maps each check of its format to a bool, or None
    when the gold row cannot judge it; `deaths` is our count (UCDP)."""

    record: EventGold
    main: Event | None
    checks: Mapping[str, bool | None]
    deaths: int | None = None
    n_events: int = 0

    @property
    def predicted(self) -> str:
        return self.main.sub_event_type if self.main is not None else NONE

    @property
    def predicted_type(self) -> str:
        return self.main.event_type if self.main is not None else NONE


def our_deaths(ex: Extracted) -> int | None:
    """The main event's fatalities when it states them, else the casualty claims' sum,
    else 0 when there is an event (nothing stated is 0, as ACLED and UCDP write it);
    None when there is neither an event nor a claim."""
    if ex.main is not None and ex.main.fatalities is not None:
        return ex.main.fatalities
    if ex.casualties is not None:
        return ex.casualties
    return 0 if ex.main is not None else None


def score_event(record: EventGold, ex: Extracted | None, fmt: str) -> EventOutcome:
    ex = ex or Extracted(None)
    ev = ex.main
    ours_date = ev.event_date if ev is not None else None
    checks: dict[str, bool | None]
    if fmt == "acled":
        has = ev is not None
        fat = ev.fatalities if ev is not None else None
        checks = {
            "event_type": ev is not None and ev.event_type == record.event_type,
            "sub_event_type": ev is not None and ev.sub_event_type == record.sub_event_type,
            "actor1_side": ev is not None and ev.side1 == actor_side(record.actor1),
            "actor2_side": ev is not None and ev.side2 == actor_side(record.actor2),
            "actor1_exact": ev is not None and ev.actor1 == record.actor1,
            "date_exact": ours_date is not None and ours_date == record.event_date,
            "date_within_precision": date_within_precision(
                record.event_date, record.time_precision, ours_date),
            "fatalities_exact": has and (fat or 0) == (record.fatalities or 0),
            "fatalities_within_20pct": has and fatalities_within(record.fatalities, fat),
            "source_overlap": source_overlap(ev, record.sources),
        }
        return EventOutcome(record, ev, checks, fat, ex.n_events)
    deaths = our_deaths(ex)
    best = record.fatalities
    checks = {
        "date_exact": ours_date is not None and ours_date == record.event_date,
        "date_within_window": date_in_window(record.event_date, record.date_end, ours_date),
        "deaths_within_range": deaths_in_range(record.low, record.high, deaths),
        "deaths_exact": None if best is None else deaths == best,
        "source_overlap": source_overlap(ev, record.sources),
    }
    return EventOutcome(record, ev, checks, deaths, ex.n_events)


def evaluate_events(records: Sequence[EventGold],
                    results: Iterable[tuple[Extracted | None, str | None]], fmt: str,
                    ) -> tuple[list[EventOutcome], int]:
    """Score each record against what was extracted; also count the records that failed."""
    outcomes, errors = [], 0
    for rec, (ex, err) in zip(records, results, strict=True):
        errors += err is not None
        outcomes.append(score_event(rec, ex, fmt))
    return outcomes, errors


# -- metrics --------------------------------------------------------------------------


def check_rate(outcomes: Sequence[EventOutcome], check: str) -> float | None:
    """Share of the records that can judge `check` which pass it."""
    judged = [o.checks[check] for o in outcomes if o.checks.get(check) is not None]
    return _share(sum(bool(j) for j in judged), len(judged))


def confusion(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """gold -> predicted -> count."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for g, p in pairs:
        table[g][p] = table[g].get(p, 0) + 1
    return {g: dict(sorted(row.items())) for g, row in sorted(table.items())}


@dataclass(frozen=True, slots=True)
class ClassScore:
    support: int  # gold records of the class
    predicted: int  # records predicted as the class
    correct: int
    precision: float | None = None
    recall: float | None = None
    f1: float = 0.0


def per_class(pairs: Sequence[tuple[str, str]], labels: Iterable[str] | None = None
              ) -> dict[str, ClassScore]:
    """Precision, recall and F1 of each class (by default, each gold class). A class
    never predicted has no precision and F1 0."""
    labels = sorted({g for g, _ in pairs}) if labels is None else list(labels)
    out = {}
    for c in labels:
        support = sum(g == c for g, _ in pairs)
        predicted = sum(p == c for _, p in pairs)
        correct = sum(g == p == c for g, p in pairs)
        prec, rec = _share(correct, predicted), _share(correct, support)
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else 0.0
        out[c] = ClassScore(support, predicted, correct, prec, rec, f1)
    return out


def macro_f1(pairs: Sequence[tuple[str, str]], labels: Iterable[str] | None = None
             ) -> float | None:
    """The mean F1 over the gold classes (predictions of other classes, "none"
    included, cost recall but add no class of their own)."""
    scores = per_class(pairs, labels)
    return sum(s.f1 for s in scores.values()) / len(scores) if scores else None


# -- what goes wrong ------------------------------------------------------------------


def _days(delta: int) -> str:
    if abs(delta) <= 3:
        return f"{delta:+d} d"
    return "more than 3 days " + ("late" if delta > 0 else "early")


def error_patterns(o: EventOutcome, fmt: str) -> list[tuple[str, str, str]]:
    """The (field, gold, ours) patterns of one record's misses. No event at all is one
    pattern, not a miss on every field."""
    r, ev = o.record, o.main
    if ev is None:
        return [("event", r.sub_event_type or "an event", NONE)]
    out = []
    c = o.checks
    if fmt == "acled":
        if not c["sub_event_type"]:
            out.append(("sub_event_type", r.sub_event_type, ev.sub_event_type))
        if not c["actor1_side"]:
            out.append(("actor1 side", str(actor_side(r.actor1)), ev.side1))
        if not c["actor2_side"]:
            out.append(("actor2 side", str(actor_side(r.actor2)), str(ev.side2)))
    if not c.get("date_within_precision", c.get("date_within_window")):
        if ev.event_date is None or r.event_date is None:
            out.append(("date", "a date", "none"))
        elif fmt == "ucdp" and r.date_end is not None and ev.event_date > r.date_end:
            out.append(("date", "window", _days((ev.event_date - r.date_end).days) + " after"))
        else:
            out.append(("date", "day" if fmt == "acled" else "window",
                        _days((ev.event_date - r.event_date).days)))
    if fmt == "acled" and not c["fatalities_exact"]:
        g, f = r.fatalities or 0, ev.fatalities or 0
        kind = "stated deaths missed" if f == 0 else (
            "deaths where gold has 0" if g == 0 else "another count")
        out.append(("fatalities", "0" if g == 0 else ">0", kind))
    if fmt == "ucdp" and c["deaths_within_range"] is False:
        d = o.deaths or 0
        out.append(("deaths", "low-high", "below low" if d < (r.low or 0) else "above high"))
    return out


def top_errors(outcomes: Sequence[EventOutcome], fmt: str, k: int = 10) -> list[dict[str, Any]]:
    """The `k` commonest error patterns, each with its count and its first example."""
    counts: Counter[tuple[str, str, str]] = Counter()
    example: dict[tuple[str, str, str], EventOutcome] = {}
    for o in outcomes:
        for p in error_patterns(o, fmt):
            counts[p] += 1
            example.setdefault(p, o)
    rows = []
    for (fld, g, ours), n in counts.most_common(k):
        o = example[(fld, g, ours)]
        rows.append({"field": fld, "gold": g, "ours": ours, "count": n, "example": o.record.id,
                     "ours_example": _describe(o.main), "text": _clip(o.record.text)})
    return rows


def _describe(ev: Event | None) -> str | None:
    if ev is None:
        return None
    return (f"{ev.event_date} {ev.sub_event_type}; {ev.actor1} [{ev.side1}] vs "
            f"{ev.actor2} [{ev.side2}]; fatalities {ev.fatalities}; "
            f"sources {[s.name for s in ev.sources]}")


# -- summary --------------------------------------------------------------------------


def _figures(outcomes: Sequence[EventOutcome], fmt: str) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "n": len(outcomes),
        "with_event": sum(o.main is not None for o in outcomes),
        "coverage": _r(_share(sum(o.main is not None for o in outcomes), len(outcomes))),
    }
    for check in CHECKS[fmt]:
        figures[FIGURE_OF.get(check, check)] = _r(check_rate(outcomes, check))
    return figures


def summarise_events(outcomes: Sequence[EventOutcome], fmt: str, *, worst: int = 10
                     ) -> dict[str, Any]:
    """All figures of one run as one JSON-ready dict."""
    figures = {"format": fmt, **_figures(outcomes, fmt)}
    figures["events_per_record"] = _r(_share(sum(o.n_events for o in outcomes),
                                             len(outcomes)), 2)
    figures["gold_source_in_text"] = _r(_share(
        sum(source_in_text(o.record.text, o.record.sources) for o in outcomes), len(outcomes)))
    if fmt == "acled":
        sub_pairs = [(o.record.sub_event_type, o.predicted) for o in outcomes]
        figures["sub_event_macro_f1"] = _r(macro_f1(sub_pairs))
        # The same over the classes with 5 or more gold records: one-record classes
        # swing the macro mean by 1/k each, which says little about the extractor.
        common = [c for c, n in Counter(g for g, _ in sub_pairs).items() if n >= 5]
        figures["sub_event_macro_f1_support5"] = _r(macro_f1(sub_pairs, sorted(common)))
        figures["actor2_side_accuracy_given"] = _r(check_rate(
            [o for o in outcomes if o.record.actor2], "actor2_side"))
        positive = [o for o in outcomes if (o.record.fatalities or 0) > 0]
        figures["fatalities_exact_given_deaths"] = _r(check_rate(positive, "fatalities_exact"))
        figures["per_sub_event_type"] = {
            c: {"support": s.support, "predicted": s.predicted, "precision": _r(s.precision),
                "recall": _r(s.recall), "f1": _r(s.f1)}
            for c, s in per_class(sub_pairs).items()}
        figures["confusion"] = confusion(sub_pairs)
        figures["event_type_confusion"] = confusion(
            (o.record.event_type, o.predicted_type) for o in outcomes)
        by = "event_type"
    else:
        by = "predicted_event_type"
        # GED splits one article's toll over several events ("killed four residents of
        # Donetsk region" is three rows, best 1, 2 and 1): a headline's total cannot fall
        # in each row's range. Rows whose text no other row shares are the fair subset.
        texts = Counter(o.record.text for o in outcomes)
        single = [o for o in outcomes if texts[o.record.text] == 1]
        figures["gold_deaths_in_text"] = _r(_share(
            sum(deaths_in_text(o.record.text, o.record.low, o.record.high) for o in outcomes),
            len(outcomes)))
        figures["single_row_texts"] = {
            "n": len(single),
            "coverage": _r(_share(sum(o.main is not None for o in single), len(single))),
            "date_within_window": _r(check_rate(single, "date_within_window")),
            "deaths_within_range": _r(check_rate(single, "deaths_within_range")),
        }
    groups: dict[str, list[EventOutcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.record.event_type if fmt == "acled" else o.predicted_type].append(o)
    figures[f"by_{by}"] = {k: _figures(v, fmt) for k, v in sorted(groups.items())}
    figures["targets"] = {
        key: {"target": target, "met": figures.get(key) is not None and figures[key] >= target}
        for key, target in TARGETS[fmt].items()
    }
    figures["errors_top"] = top_errors(outcomes, fmt, worst)
    return figures
