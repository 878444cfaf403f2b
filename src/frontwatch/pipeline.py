"""The per-article stage: clean, parse, find places and dates, extract.

`process` is a pure function of an Article and Settings. Models and gazetteers are
loaded lazily, once per process, so the same function runs in a process pool or on Dask.
"""

from __future__ import annotations

import logging
import time
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
from .limits import TimeLimitExceeded, time_left, time_limit
from .nlp import get_nlp
from .nlp_fast import ensure_entities
from .places import get_gazetteer, resolve_places
from .places.anchors import anchor_unknown
from .places.normalise import Tokens, tokenise
from .records import Article, ArticleResult, Cleaned, Mention
from .settings import Settings
from .timing import NO_CLOCK, StageClock

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


def _mentions(text: str, settings: Settings, person_spans: Sequence[tuple[int, int]],
              tokens: Tokens | None = None) -> tuple[Mention, ...]:
    return resolve_places(text, get_gazetteer(settings), exclude_spans=person_spans,
                          tokens=tokens)


def _places(doc: Doc, text: str, settings: Settings) -> tuple[Mention, ...]:
    """The places named in `text`, none inside a person's name ("Oleh Kiper").

    The places are found first without exclusions, to know where a person's name could
    hide one: the recogniser runs only where a place name sits in a run of proper nouns,
    and the places are found again only when a name holds one.
    """
    tokens = tokenise(text)  # the same words for both readings
    found = _mentions(text, settings, (), tokens)
    runs = []
    for m in found:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        a, b = span.start, span.end
        while a > span.sent.start and doc[a - 1].pos_ == "PROPN":
            a -= 1
        while b < span.sent.end and doc[b].pos_ == "PROPN":
            b += 1
        if b - a > span.end - span.start:
            runs.append((a, b))
    if runs:
        ensure_entities(get_nlp(settings.spacy_model), doc, runs)
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    if not any(a < m.end and m.start < b for m in found for a, b in persons):
        return found
    return _mentions(text, settings, persons, tokens)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An article after cleaning and language detection, before the parse."""

    article: Article
    cleaned: Cleaned
    parse: bool


def _prepare(article: Article, clock: StageClock = NO_CLOCK) -> _Prepared:
    with clock.stage("clean"):
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


def _analyse(prep: _Prepared, doc: Doc, settings: Settings,
             clock: StageClock = NO_CLOCK) -> ArticleResult:
    article, cleaned, text = prep.article, prep.cleaned, prep.cleaned.text
    with clock.stage("places"):
        mentions = _places(doc, text, settings)
        anchored = anchor_unknown(text, mentions)
        if anchored.mentions:
            mentions = tuple(sorted((*mentions, *anchored.mentions), key=lambda m: m.start))
    with clock.stage("dates"):
        spans = dates_mod.find_date_spans(text, article.published)
        found_dates = dates_mod.event_dates(spans)
    with clock.stage("extraction"):
        # One reading of the speakers serves events and claims alike.
        speakers = Attributor(doc)
        events, claims = extract_events(doc, article, mentions, found_dates,
                                        descriptions=anchored.descriptions,
                                        attributor=speakers)
        events, quantified = extract_claims(doc, article, mentions, found_dates, events,
                                            descriptions=anchored.descriptions,
                                            attributor=speakers, spans=spans)
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


def _timed_out(article: Article, settings: Settings) -> Processed:
    # Hostile input (pathological markup, a text that makes a stage crawl) must cost one
    # article, not the batch.
    limit = settings.article_time_limit
    log.warning("%s: gave up after %g s (article_time_limit)", article.name, limit)
    return Processed(error=InputError(article.path or article.name,
                                      f"processing took longer than {limit:g} s "
                                      "(article_time_limit)"))


def process_safely(article: Article, settings: Settings) -> Processed:
    """`process` of one article, with its failure or time-out as its error."""
    return process_batch([article], settings)[0]


def process_batch(articles: Sequence[Article], settings: Settings,
                  clock: StageClock = NO_CLOCK) -> list[Processed]:
    """`process_safely` of each article, in order, with the parses batched.

    Batching lets spaCy run its models over many texts at once (much faster than one
    call per text); the result of each article is the same as `process` gives it.
    """
    out: list[Processed | None] = [None] * len(articles)
    parsed: list[tuple[int, _Prepared]] = []
    limit = settings.article_time_limit
    spent = [0.0] * len(articles)  # seconds of its time limit each article has used
    # Loading the gazetteer (half a minute to build on a cold cache) is not an article's.
    get_gazetteer(settings)
    for i, article in enumerate(articles):
        started = time.monotonic()
        try:
            with time_limit(limit):
                prep = _prepare(article, clock)
                if prep.parse:
                    parsed.append((i, prep))
                else:
                    out[i] = Processed(result=_unparsed(prep, settings))
        except TimeLimitExceeded:
            out[i] = _timed_out(article, settings)
        except Exception as exc:  # one bad article must not stop a batch
            out[i] = _failed(article, exc)
        spent[i] = time.monotonic() - started
    if parsed:
        nlp = get_nlp(settings.spacy_model)
        try:
            # The batch parse gets the limit of all its articles together.
            with clock.stage("nlp"), time_limit(limit * len(parsed)):
                docs: list[Doc | None] = list(nlp.pipe(p.cleaned.text for _, p in parsed))
        except (Exception, TimeLimitExceeded):
            # One text broke or stalled the batch: parse them one by one to find which.
            log.warning("batched parse failed; parsing %d article(s) singly", len(parsed))
            docs = []
            for i, prep in parsed:
                started = time.monotonic()
                try:
                    with time_limit(time_left(limit, spent[i])):
                        docs.append(nlp(prep.cleaned.text))
                except TimeLimitExceeded:
                    docs.append(None)
                    out[i] = _timed_out(prep.article, settings)
                except Exception as exc:
                    docs.append(None)
                    out[i] = _failed(prep.article, exc)
                spent[i] += time.monotonic() - started
        for (i, prep), doc in zip(parsed, docs, strict=True):
            if doc is None:
                continue
            try:
                with time_limit(time_left(limit, spent[i])):
                    out[i] = Processed(result=_analyse(prep, doc, settings, clock))
            except TimeLimitExceeded:
                out[i] = _timed_out(prep.article, settings)
            except Exception as exc:
                out[i] = _failed(prep.article, exc)
    assert all(p is not None for p in out), "every article has its outcome"
    return [p for p in out if p is not None]


def extract(text: str, *, published: date | str | None = None, name: str = "<text>",
            outlet: str | None = None, settings: Settings | None = None) -> ArticleResult:
    """Run the whole pipeline on one text, touching no database."""
    if isinstance(published, str):
        published = dates_mod.parse_published(published)
    article = replace(Article.from_text(text, name), published=published, outlet=outlet)
    return process(article, settings or Settings())
