"""The per-article stage: clean, parse, find places and dates, extract.

`process` is a pure function of an Article and Settings. Models and gazetteers are
loaded lazily, once per process, so the same function runs in a process pool or on Dask.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

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
from .records import Article, ArticleResult, Cleaned, Mention
from .settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


def _mentions(text: str, settings: Settings, person_spans: Sequence[tuple[int, int]]
              ) -> tuple[Mention, ...]:
    return resolve_places(text, get_gazetteer(settings), exclude_spans=person_spans)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An article after cleaning and language detection, before the parse."""

    article: Article
    cleaned: Cleaned
    parse: bool


def _prepare(article: Article) -> _Prepared:
    cleaned = clean_mod.clean(article.text)
    article = lang_mod.with_language(article, cleaned.text)
    parse = bool(cleaned.text.strip()) and lang_mod.analysed(article.language)
    return _Prepared(article, cleaned, parse)


def _unparsed(prep: _Prepared, settings: Settings) -> ArticleResult:
    if not prep.cleaned.text.strip():
        return ArticleResult(article=prep.article, cleaned=prep.cleaned)
    # Stored, counted and its places resolved (the gazetteer has Cyrillic names), but
    # the extractors read English only: no parse, no events, no claims.
    return ArticleResult(article=prep.article, cleaned=prep.cleaned,
                         mentions=_mentions(prep.cleaned.text, settings, ()))


def _analyse(prep: _Prepared, doc: Doc, settings: Settings) -> ArticleResult:
    article, cleaned, text = prep.article, prep.cleaned, prep.cleaned.text
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


def process(article: Article, settings: Settings) -> ArticleResult:
    """Everything the database needs from one article."""
    prep = _prepare(article)
    if not prep.parse:
        return _unparsed(prep, settings)
    return _analyse(prep, get_nlp(settings.spacy_model)(prep.cleaned.text), settings)


@dataclass(frozen=True, slots=True)
class Processed:
    """A result, or the error of one input, in input order."""

    result: ArticleResult | None = None
    error: InputError | None = None


def _failed(article: Article, exc: Exception) -> Processed:
    log.exception("failed to process %s", article.name)
    return Processed(error=InputError(article.path or article.name,
                                      f"processing failed: {type(exc).__name__}: {exc}"))


def process_safely(article: Article, settings: Settings) -> Processed:
    try:
        return Processed(result=process(article, settings))
    except Exception as exc:  # one bad article must not stop a batch
        return _failed(article, exc)


def process_batch(articles: Sequence[Article], settings: Settings) -> list[Processed]:
    """`process_safely` of each article, in order, with the parses batched.

    Batching lets spaCy run its models over many texts at once (much faster than one
    call per text); the result of each article is the same as `process` gives it.
    """
    out: list[Processed | None] = [None] * len(articles)
    parsed: list[tuple[int, _Prepared]] = []
    for i, article in enumerate(articles):
        try:
            prep = _prepare(article)
            if prep.parse:
                parsed.append((i, prep))
            else:
                out[i] = Processed(result=_unparsed(prep, settings))
        except Exception as exc:  # one bad article must not stop a batch
            out[i] = _failed(article, exc)
    if parsed:
        nlp = get_nlp(settings.spacy_model)
        try:
            docs: list[Doc | None] = list(nlp.pipe(p.cleaned.text for _, p in parsed))
        except Exception:
            # One text broke the batch: parse them one by one to find which.
            log.warning("batched parse failed; parsing %d article(s) singly", len(parsed))
            docs = []
            for i, prep in parsed:
                try:
                    docs.append(nlp(prep.cleaned.text))
                except Exception as exc:
                    docs.append(None)
                    out[i] = _failed(prep.article, exc)
        for (i, prep), doc in zip(parsed, docs, strict=True):
            if doc is None:
                continue
            try:
                out[i] = Processed(result=_analyse(prep, doc, settings))
            except Exception as exc:
                out[i] = _failed(prep.article, exc)
    return [p if p is not None else Processed() for p in out]


def extract(text: str, *, published: date | str | None = None, name: str = "<text>",
            outlet: str | None = None, settings: Settings | None = None) -> ArticleResult:
    """Run the whole pipeline on one text, touching no database."""
    if isinstance(published, str):
        published = dates_mod.parse_published(published)
    article = replace(Article.from_text(text, name), published=published, outlet=outlet)
    return process(article, settings or Settings())
