"""The typed records that cross stage boundaries.

Every stage reads and writes these frozen dataclasses, never loose dicts, so that a
result computed in a worker process can be pickled back and stored unchanged.
Offsets (`start`, `end`) are always character offsets into the *cleaned* article text
unless a field says otherwise.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Side = Literal["russia", "ukraine", "other"]
Movement = Literal["advance", "hold", "stalled", "withdraw", "capture"]
Modality = Literal["reported", "claimed", "assessed", "denied"]
Affiliation = Literal[
    "ukraine_gov",
    "russia_gov",
    "western_gov",
    "think_tank",
    "media",
    "military_blogger",
    "soldier",
    "other",
]
PlaceKind = Literal["settlement", "region", "country"]
Holder = Literal["russia", "ukraine", "contested", "unknown"]

SIDES: tuple[str, ...] = ("russia", "ukraine", "other")
MOVEMENTS: tuple[str, ...] = ("advance", "hold", "stalled", "withdraw", "capture")
MODALITIES: tuple[str, ...] = ("reported", "claimed", "assessed", "denied")
AFFILIATIONS: tuple[str, ...] = (
    "ukraine_gov",
    "russia_gov",
    "western_gov",
    "think_tank",
    "media",
    "military_blogger",
    "soldier",
    "other",
)


def normalise_text(text: str) -> str:
    """The form of an article's text its id is computed from.

    NFKC, lower case and collapsed white space: re-scraping the same article with other
    line breaks or non-breaking spaces must give the same id.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip()


def article_id_for(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One article as ingested, before cleaning."""

    id: str
    name: str  # the file name as ingested, or the URL
    text: str  # main text (HTML already reduced to text), boilerplate included
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str | None = None
    path: str | None = None  # where it was read from, for messages
    fetched_at: str | None = None  # ISO 8601 UTC, when fetched from `url` (frontwatch fetch)
    # The page the text was extracted from, kept (compressed) for `frontwatch reprocess`.
    # Not part of equality, and not loaded back by Store.articles (see reprocess.raw_input).
    raw_html: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_text(cls, text: str, name: str, **meta: object) -> Article:
        return cls(id=article_id_for(text), name=name, text=text, **meta)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Removed:
    """A stretch of boilerplate taken out of an article, with the reason."""

    start: int  # offsets into Article.text (the raw text)
    end: int
    text: str
    reason: str  # e.g. "ad marker", "read-more teaser", "donation appeal"


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    removed: tuple[Removed, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a settlement, an admin1 region or a country."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166-1 alpha-2, e.g. "UA"
    kind: PlaceKind
    admin1_code: str | None = None  # GeoNames form, e.g. "UA.05"
    admin1: str | None = None  # e.g. "Donetsk"
    admin2: str | None = None
    admin3: str | None = None
    population: int = 0
    feature_code: str = ""
    # ACLED geo_precision of the coordinates themselves: 1 the place's own point, 2 a
    # stand-in nearby (a COD-AB village placed at its hromada's centroid).
    coord_precision: int = 1


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in the cleaned text and what it was resolved to."""

    surface: str
    start: int
    end: int
    place: Place
    geo_precision: int  # ACLED: 1 the settlement itself, 2 near it / part of a region, 3 region
    confidence: float  # 0..1, how sure the disambiguation is
    qualifier: str | None = None  # "near", "north of", "direction", ... when the text said so


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in text and what it resolves to."""

    start: int
    end: int
    text: str
    value: date
    precision: int  # ACLED time_precision: 1 day, 2 week, 3 month


@dataclass(frozen=True, slots=True)
class Source:
    """Who says so. A relay chain is one Source per link, origin first."""

    name: str
    affiliation: Affiliation
    channel: str | None = None  # "Telegram", "Facebook", ...
    quote: bool = False  # a direct quotation rather than a paraphrase
    relayed_by: str | None = None  # the body that passed the claim on (ISW citing bloggers)


@dataclass(frozen=True, slots=True)
class Event:
    """One (actor, action, place) record, ACLED-shaped plus what ACLED lacks."""

    event_id: str
    article_id: str
    article: str
    event_date: date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str
    side1: Side
    location: Mention
    evidence: str
    evidence_start: int
    evidence_end: int
    actor2: str | None = None
    side2: Side | None = None
    assoc_actor_1: str | None = None
    movement: Movement | None = None
    modality: Modality = "reported"
    fatalities: int | None = None
    sources: tuple[Source, ...] = ()
    notes: str = ""


ClaimKind = Literal["casualties", "territory_share", "control", "quantity"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement that is not itself an event: a casualty estimate over a period,
    a share of a region held, who holds a place."""

    claim_id: str
    article_id: str
    article: str
    kind: ClaimKind
    evidence: str
    evidence_start: int
    evidence_end: int
    place: Place | None = None
    side: Side | None = None  # whose losses / who holds
    holder: Holder | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # "people" (dead), "wounded", "percent", "km2", "drones", ...
    killed_or_injured: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    as_of: date | None = None
    date_precision: int | None = None
    background: bool = False  # told as history, not as the article's news
    modality: Modality = "reported"
    sources: tuple[Source, ...] = field(default=())
    # Quantified claims (casualties, territory_share, quantity); all optional.
    qualifier: str | None = None  # "at least", "more than", "about", "up to", "range", "vague"
    cumulative: bool = False  # counted over a period (valid_from..valid_to), not one event
    period: str | None = None  # the period as the text says it: "since February 2022"
    victims: str | None = None  # whose dead or wounded: "civilians" | "military"
    action: str | None = None  # what was done to the counted things: "shot_down", ...
    event_id: str | None = None  # the event a casualty figure belongs to
    superseded: bool = False  # an earlier toll for the same event, replaced by a later one


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything the per-article stage produces, ready to store."""

    article: Article
    cleaned: Cleaned
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
