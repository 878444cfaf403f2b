"""The per-article stage: clean, parse, find places and dates, extract.

`process` is a pure function of an Article and Settings. Models and gazetteers are
loaded lazily, once per process, so the same function runs in a process pool or on Dask.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from . import clean as clean_mod
from . import dates as dates_mod
from . import lang as lang_mod
from .errors import InputError
from .extract import extract_events
from .extract.attribution import Attributor
from .extract.claims import extract_claims
from .nlp import get_nlp
from .places import get_gazetteer, resolve_places
from .places.anchors import anchor_unknown
from .records import Article, ArticleResult, Mention
from .settings import Settings

log = logging.getLogger(__name__)


def _mentions(text: str, settings: Settings, person_spans: Sequence[tuple[int, int]]
              ) -> tuple[Mention, ...]:
    return resolve_places(text, get_gazetteer(settings), exclude_spans=person_spans)


def process(article: Article, settings: Settings) -> ArticleResult:
    """Everything the database needs from one article."""
    cleaned = clean_mod.clean(article.text)
    text = cleaned.text
    article = lang_mod.with_language(article, text)
    if not text.strip():
        return ArticleResult(article=article, cleaned=cleaned)
    if not lang_mod.analysed(article.language):
        # Stored, counted and its places resolved (the gazetteer has Cyrillic names), but
        # the extractors read English only: no parse, no events, no claims.
        return ArticleResult(article=article, cleaned=cleaned,
                             mentions=_mentions(text, settings, ()))
    nlp = get_nlp(settings.spacy_model)
    doc = nlp(text)
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    mentions = _mentions(text, settings, persons)
    anchored = anchor_unknown(text, mentions)
    if anchored.mentions:
        mentions = tuple(sorted((*mentions, *anchored.mentions), key=lambda m: m.start))
    spans = dates_mod.find_date_spans(text, article.published)
    found_dates = dates_mod.event_dates(spans)
    # One reading of the speakers serves events and claims alike.
    speakers = Attributor(doc)
    events, claims = extract_events(doc, article, mentions, found_dates,
                                    descriptions=anchored.descriptions, attributor=speakers)
    events, quantified = extract_claims(doc, article, mentions, found_dates, events,
                                        descriptions=anchored.descriptions, attributor=speakers,
                                        spans=spans)
    claims = [*claims, *quantified]
    return ArticleResult(article=article, cleaned=cleaned, mentions=mentions,
                         events=tuple(events), claims=tuple(claims))


@dataclass(frozen=True, slots=True)
class Processed:
    """A result, or the error of one input, in input order."""

    result: ArticleResult | None = None
    error: InputError | None = None


def process_safely(article: Article, settings: Settings) -> Processed:
    try:
        return Processed(result=process(article, settings))
    except Exception as exc:  # one bad article must not stop a batch
        log.exception("failed to process %s", article.name)
        return Processed(error=InputError(article.path or article.name,
                                          f"processing failed: {type(exc).__name__}: {exc}"))


def extract(text: str, *, published: date | str | None = None, name: str = "<text>",
            outlet: str | None = None, settings: Settings | None = None) -> ArticleResult:
    """Run the whole pipeline on one text, touching no database."""
    if isinstance(published, str):
        published = dates_mod.parse_published(published)
    article = replace(Article.from_text(text, name), published=published, outlet=outlet)
    return process(article, settings or Settings())
