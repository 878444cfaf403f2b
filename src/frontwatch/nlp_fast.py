"""Faster stand-ins for three of spaCy's stages, giving the annotations frontwatch reads.

- `frontwatch_attribute_ruler` applies the attribute ruler's own rules (tag map, morph
  rules, exceptions) with dictionary lookups instead of spaCy's Matcher, which tries all
  179 patterns at every token: the same POS, morphology and lemma exceptions at a tenth
  of the cost. Rules the lookups cannot express (regexes, NOT_IN, several tokens) still
  go through a Matcher holding only those few.
- `frontwatch_lemmatizer` gives the rule lemmatizer's lemmas, computed once per word,
  POS and morphology, read and written as arrays.
- `frontwatch_targeted_ner` runs the entity recogniser only on the stretches of text
  whose entities the extractors read (see TargetedNER): speakers, detached names,
  headlines, names that contain a cue word. Later stages may ask it for more
  (`ensure_entities`). Entities elsewhere are left unset; nothing downstream reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

FAST_RULER = "frontwatch_attribute_ruler"
FAST_LEMMATIZER = "frontwatch_lemmatizer"
TARGETED_NER = "frontwatch_targeted_ner"

# The token attributes the ruler's patterns test, as columns of `Doc.to_array`.
_COLUMN = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _simple(pattern: list[dict[str, Any]]) -> bool:
    if len(pattern) != 1:
        return False
    for key, value in pattern[0].items():
        if key not in _COLUMN:
            return False
        if isinstance(value, dict) and set(value) != {"IN"}:
            return False
    return True


def _keys(spec: dict[str, Any], names: tuple[str, ...]) -> list[tuple[object, ...]]:
    """Every value tuple a single-token spec matches, one per combination of IN values."""
    keys: list[tuple[object, ...]] = [()]
    for name in names:
        value = spec[name]
        options = value["IN"] if isinstance(value, dict) else [value]
        keys = [(*k, o) for k in keys for o in options]
    return keys


_Check = tuple[int, str, Any]  # (column, "in" | "not_in" | "regex", values or pattern)


class _Anchored:
    """A pattern checked at the tokens where `column` has one of `values`, the anchor
    being its token `offset`."""

    def __init__(self, rule: int, specs: list[list[_Check]], offset: int, column: int,
                 values: frozenset[int]) -> None:
        self.rule, self.specs, self.offset = rule, specs, offset
        self.column, self.values = column, values

    def matches(self, rows: list[list[int]], start: int, strings: Any) -> bool:
        if start < 0 or start + len(self.specs) > len(rows):
            return False
        for row, checks in zip(rows[start:start + len(self.specs)], self.specs, strict=True):
            for col, op, value in checks:
                if op == "in" and row[col] not in value:
                    return False
                if op == "not_in" and row[col] in value:
                    return False
                if op == "regex" and not value.search(strings[row[col]]):
                    return False
        return True


def _id(value: object, strings: Any) -> int:
    """A pattern value as `Doc.to_array` gives it: a string's hash, a flag's 0 or 1."""
    return int(value) if isinstance(value, bool) else int(strings.add(str(value)))


def _compile(rule: int, pattern: list[dict[str, Any]], strings: Any) -> _Anchored | None:
    def ids(values: list[Any]) -> frozenset[int]:
        return frozenset(_id(v, strings) for v in values)

    specs: list[list[_Check]] = []
    for spec in pattern:
        checks: list[_Check] = []
        for name, value in spec.items():
            if name not in _COLUMN:
                return None
            if not isinstance(value, dict):
                checks.append((_COLUMN[name], "in", ids([value])))
            elif set(value) == {"IN"}:
                checks.append((_COLUMN[name], "in", ids(value["IN"])))
            elif set(value) == {"NOT_IN"}:
                checks.append((_COLUMN[name], "not_in", ids(value["NOT_IN"])))
            elif set(value) == {"REGEX"} and name == "LOWER":
                checks.append((_COLUMN[name], "regex", re.compile(value["REGEX"])))
            else:
                return None
        specs.append(checks)
    for offset, checks in enumerate(specs):
        for col, op, values in checks:
            if op == "in":
                return _Anchored(rule, specs, offset, col, values)
    return None


class FastAttributeRuler:
    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.matcher import Matcher

        self._attrs = list(ruler.attrs)
        self._indices = list(ruler.indices)
        self._columns = [TAG, LOWER, DEP, IS_SPACE]
        strings = ruler.vocab.strings
        # signature (attribute names) -> value tuple (as the ids to_array gives) -> rules
        tables: dict[tuple[str, ...], dict[tuple[int, ...], list[int]]] = {}
        # Patterns over several tokens or with NOT_IN/REGEX: checked in Python where one
        # of their conditions is an equality to look up first, by a Matcher otherwise.
        self._complex = Matcher(ruler.vocab, validate=False)
        self._anchored: list[_Anchored] = []
        for rule in range(len(self._attrs)):
            _on_match, patterns = ruler.matcher.get(str(rule))
            for pattern in patterns:
                if not _simple(pattern):
                    compiled = _compile(rule, pattern, strings)
                    if compiled is None:
                        self._complex.add(str(rule), [pattern])
                    else:
                        self._anchored.append(compiled)
                    continue
                names = tuple(sorted(pattern[0]))
                table = tables.setdefault(names, {})
                for key in _keys(pattern[0], names):
                    table.setdefault(tuple(_id(v, strings) for v in key), []).append(rule)
        self._tables = [([_COLUMN[n] for n in names], table) for names, table in tables.items()]
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}

    def _attrs_of(self, rules: tuple[int, ...]) -> dict[int, Any]:
        # Applying rules one after another is applying their union, later ones winning.
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:
                merged.update(self._attrs[rule])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        rules_at: dict[int, list[int]] = {}
        rows = doc.to_array(self._columns).tolist()
        for i, row in enumerate(rows):
            for cols, table in self._tables:
                rules = table.get(tuple([row[c] for c in cols]))
                if rules:
                    rules_at.setdefault(i, []).extend(rules)
            for pat in self._anchored:
                if row[pat.column] in pat.values:
                    start = i - pat.offset
                    if pat.matches(rows, start, doc.vocab.strings):
                        index = self._indices[pat.rule]
                        at = start + index if index >= 0 else start + len(pat.specs) + index
                        rules_at.setdefault(at, []).append(pat.rule)
        if len(self._complex):
            for match_id, start, end in self._complex(doc, allow_missing=True):
                rule = int(doc.vocab.strings[match_id])
                index = self._indices[rule]
                rules_at.setdefault(start + index if index >= 0 else end + index,
                                    []).append(rule)
        for i, rules in rules_at.items():
            # Later rules win, as in spaCy's AttributeRuler.
            set_token_attrs(doc[i], self._attrs_of(tuple(sorted(rules))))
        return doc


class FastLemmatizer:
    """spaCy's rule lemmatizer, asked once per (word, POS, morphology) per process.

    The lemmatizer keeps such a cache itself, but reaches it through Python attribute
    access on every token; here the lemmas of a whole document are read and written as
    arrays, and the lemmatizer runs only for combinations not seen before.
    """

    MAX_CACHE = 500_000

    def __init__(self, lemmatizer: Any) -> None:
        self._lemmatizer = lemmatizer
        self._overwrite = bool(lemmatizer.overwrite)
        self._cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        cache, strings = self._cache, doc.vocab.strings
        if len(cache) > self.MAX_CACHE:
            cache.clear()
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not self._overwrite:
                continue  # set by the attribute ruler's exceptions
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = strings.add(self._lemmatizer.lemmatize(doc[i])[0])
                cache[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1)))
        return doc


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or (tok.is_alpha and (tok.is_title or tok.is_upper)
                                   and not tok.is_sent_start)


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class TargetedNER:
    """The entity recogniser, run on the stretches of text whose entities are read.

    Entities are read in few places: the speaker of a speech verb ("Valery Zaluzhny
    said"), a name detached into a sentence of its own, a noun cue that may be part of a
    name ("Operation Bagration"), a place name inside a run of proper nouns ("Governor
    Oleh Kiper"). `__call__` covers the first three; `ensure` lets later stages ask for
    more. Each stretch is parsed with a few tokens of context on either side.
    """

    CONTEXT = 1

    def __init__(self, ner: Any) -> None:
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        self.ensure(doc, self._wanted(doc))
        return doc

    def _wanted(self, doc: Doc) -> list[tuple[int, int]]:
        from .extract import lexicon as lx

        speech = lx.SPEECH_VERBS | lx.ASSESS_VERBS | lx.CLAIM_VERBS | lx.DENY_VERBS
        ranges: list[tuple[int, int]] = []
        for sent in doc.sents:
            words = sum(1 for t in sent if not (t.is_space or t.is_punct))
            if words <= 6:
                ranges.append((sent.start, sent.end))
        for tok in doc:
            if tok.lemma_ in speech and tok.pos_ in ("VERB", "AUX", "NOUN"):
                for child in tok.children:
                    # The speaker: the subject, or a name after the verb ("claims Valery
                    # Zaluzhny"). Attribution reads no speaker phrase over 25 tokens.
                    if child.dep_ in ("nsubj", "nsubjpass", "csubj", "agent") or (
                            child.dep_ in ("dobj", "attr", "npadvmod") and child.i > tok.i
                            and child.pos_ == "PROPN"):
                        a, b = child.left_edge.i, child.right_edge.i + 1
                        if b - a <= 25:
                            ranges.append((a, b))
            elif tok.lower_ == "according" or (tok.lower_ in ("by", "from")
                                               and tok.head.lemma_ in speech):
                for t in tok.subtree:
                    if t.dep_ == "pobj":
                        ranges.append((t.left_edge.i, t.right_edge.i + 1))
            elif tok.is_title and not tok.is_sent_start and (
                    tok.lemma_.lower() in lx.NOUN_CUES or tok.lower_ in lx.NOUN_CUES):
                ranges.append((tok.i, tok.i + 1))
        # Only a stretch with a name in it has an entity worth reading.
        return [(a, b) for a, b in ranges if any(_named(doc[i]) for i in range(a, b))]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch, [self._wanted(d) for d in batch])
                batch = []
        if batch:
            yield from self._run(batch, [self._wanted(d) for d in batch])

    def ensure(self, doc: Doc, ranges: Iterable[tuple[int, int]]) -> None:
        """Recognise entities in these token ranges (and a little context) of `doc`,
        where that has not been done yet."""
        self._run([doc], [list(ranges)])

    def _run(self, docs: list[Doc], ranges: list[list[tuple[int, int]]]) -> list[Doc]:
        # One short document per document, of its stretches to read: the recogniser
        # then runs once per batch, not once per stretch.
        built = [self._stretches(doc, r) for doc, r in zip(docs, ranges, strict=True)]
        todo = [(doc, sub, index) for doc, (sub, index) in zip(docs, built, strict=True)
                if sub is not None]
        for (doc, _sub, index), found in zip(todo, self.ner.pipe(t[1] for t in todo),
                                             strict=True):
            self._apply(doc, found, index)
        return docs

    def _stretches(self, doc: Doc, ranges: list[tuple[int, int]]
                   ) -> tuple[Doc | None, list[int]]:
        from spacy.tokens import Doc as DocType

        done: bytearray = doc.user_data.setdefault("frontwatch_ner_done", bytearray(len(doc)))
        widened = []
        for a, b in ranges:
            if b <= a:
                continue
            sent = doc[a].sent  # context from the range's own sentence only
            widened.append((max(sent.start, a - self.CONTEXT), min(sent.end, b + self.CONTEXT)))
        words: list[str] = []
        spaces: list[bool] = []
        index: list[int] = []  # token of `doc` for each word; -1 between stretches
        for a, b in _merge(widened):
            for i in range(a, b):
                if done[i]:
                    continue
                if index and index[-1] != i - 1 and index[-1] != -1:
                    # A full stop between stretches: a blank line there makes the model
                    # miss names after it ("Bakhmut \n\n Valery Zaluzhny.").
                    spaces[-1] = True
                    words.append(".")
                    spaces.append(True)
                    index.append(-1)
                tok = doc[i]
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                index.append(i)
                done[i] = 1
        if not words:
            return None, index
        return DocType(doc.vocab, words=words, spaces=spaces), index

    @staticmethod
    def _apply(doc: Doc, found: Doc, index: list[int]) -> None:
        from spacy.tokens import Span

        spans: list[Span] = []
        for ent in found.ents:
            toks = index[ent.start:ent.end]
            if -1 in toks or toks[-1] - toks[0] != len(toks) - 1:
                continue  # across two stretches: not a name of the text
            spans.append(Span(doc, toks[0], toks[-1] + 1, label=ent.label_))
        if spans:
            doc.set_ents(spans, default="unmodified")


def install(nlp: Language) -> None:
    """Swap the attribute ruler, the lemmatizer and the entity recogniser for the
    versions above."""
    from spacy.language import Language

    if not Language.has_factory(FAST_RULER):
        @Language.factory(FAST_RULER)
        def _fast_ruler(nlp: Language, name: str) -> FastAttributeRuler:
            return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))

        @Language.factory(FAST_LEMMATIZER)
        def _fast_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
            return FastLemmatizer(nlp.get_pipe("lemmatizer"))

        @Language.factory(TARGETED_NER)
        def _targeted_ner(nlp: Language, name: str) -> TargetedNER:
            return TargetedNER(nlp.get_pipe("ner"))

    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe(FAST_RULER, before="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe(FAST_LEMMATIZER, before="lemmatizer")
        nlp.remove_pipe("lemmatizer")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(TARGETED_NER, after="ner")
        # Keep the model (TargetedNER holds it) but take it out of the pipeline.
        nlp.remove_pipe("ner")


def ensure_entities(nlp: Language, doc: Doc, ranges: Iterable[tuple[int, int]]) -> None:
    """Entities in these token ranges of `doc`, recognised now if not yet."""
    if TARGETED_NER in nlp.pipe_names:
        component = nlp.get_pipe(TARGETED_NER)
        assert isinstance(component, TargetedNER)
        component.ensure(doc, ranges)
