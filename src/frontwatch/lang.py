"""Offline language identification, and which languages the pipeline analyses.

No model and no dependency: the script of the letters decides first (Latin, Cyrillic,
Greek, Arabic, ...); within Cyrillic, letters only one language uses (Ukrainian і ї є ґ,
Russian ы э ё, Belarusian ў, Serbian/Macedonian ђ ћ џ ј љ њ ѓ ќ ѕ) and then the most
frequent function words; within Latin, function words (with a little help from
diacritics). A text that gives too little evidence gets `None` ("undetermined"), never a
guess: an undetermined article is analysed like an English one, so a short English
snippet with no function words is not dropped.

`SUPPORTED` is what the event extractors read (spaCy's English pipeline and English
rules). Articles in other languages are stored, counted and their place names resolved,
but no events or claims are extracted from them (`analysed`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from .records import Article

SUPPORTED: frozenset[str] = frozenset({"en"})
# Fewer letters than this in the dominant script: undetermined.
MIN_LETTERS = 20
# Latin text: the best language needs this many function-word hits, and this factor
# over the runner-up.
MIN_HITS = 3
MARGIN = 1.5

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is that for on with was as by at from are it this be has "
              "have were which an said not but after their had they been its will would",
        "de": "der die und das den ist nicht mit von zu ein eine auf sich des dem im für "
              "auch wurde sind werden nach bei aus einer wie hat noch",
        "fr": "le la les et des du un une est que qui dans pour pas sur au par avec ont "
              "ce sont été il elle aux se plus",
        "es": "el la los las y de que en un una es por con para del se al como más fue "
              "han sus pero lo ha",
        "it": "il la di e che un una per non sono con del della gli le nel alla è ha "
              "dei più anche",
        "pt": "o a os as e de que em um uma do da dos das para com não por foi são ao "
              "na no pelo pela",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er ook door "
              "werd wordt",
        "pl": "i w na z że się do nie jest to o jak po przez od za są był była oraz "
              "który która",
        "cs": "a v na se že je to s z do jako by o pro podle který která jsou byl",
        "ro": "și în de la cu care pe din este un o că nu au fost pentru ale al",
        "tr": "ve bir bu da de için ile olarak çok daha olan gibi ama ne",
        "uk": "і й та що це як на не від до у в для який яка які але також його її "
              "було був була є з із про через після бути",
        "ru": "и в на что это как не от до для который которая которые но также его "
              "ее её было был была есть с из о по через после быть",
        "bg": "и в на че това като не от до за който която които но също е са се да "
              "с от по",
    }.items()
}
_CYRILLIC_STOPWORDS = ("uk", "ru", "bg")
_LATIN_STOPWORDS = tuple(k for k in _STOPWORDS if k not in _CYRILLIC_STOPWORDS)

# Letters that only one of the candidate languages writes.
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэё")
_BE_LETTERS = frozenset("ў")
_MK_LETTERS = frozenset("ѓќѕ")
_SR_LETTERS = frozenset("ђћџјљњ")

# Scripts identified by their first letter's Unicode name; one language each, or the
# usual one.
_SCRIPT_LANG = {
    "GREEK": "el", "HEBREW": "he", "GEORGIAN": "ka", "ARMENIAN": "hy", "HANGUL": "ko",
    "THAI": "th", "DEVANAGARI": "hi", "CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja",
    "ARABIC": "ar",
}  # fmt: skip
_PERSIAN_LETTERS = frozenset("پچژگ")

# Declared language names and codes as sites and sidecars write them.
_ALIASES = {
    "ua": "uk", "ukr": "uk", "ukrainian": "uk", "українська": "uk",
    "rus": "ru", "russian": "ru", "русский": "ru",
    "eng": "en", "english": "en", "bel": "be", "belarusian": "be",
    "deu": "de", "ger": "de", "german": "de", "fra": "fr", "fre": "fr", "french": "fr",
    "pol": "pl", "polish": "pl", "spa": "es", "spanish": "es",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None  # ISO 639-1, or None when undetermined
    script: str | None  # "LATIN", "CYRILLIC", ... of most letters
    confidence: float  # 0..1, how clear the evidence was


def normalise_code(value: str | None) -> str | None:
    """A declared language as an ISO 639-1 code: "en-US" → "en", "UA" → "uk"."""
    if value is None:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    code = _ALIASES.get(code, code)
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _script(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    head = name.split(" ", 1)[0]
    if head in ("LATIN", "CYRILLIC") or head in _SCRIPT_LANG:
        return head
    return "OTHER"


def _scripts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            s = _script(ch)
            if s is not None:
                counts[s] += 1
    return counts


def _stopword_hits(words: list[str], langs: tuple[str, ...]) -> list[tuple[int, str]]:
    hits = [(sum(1 for w in words if w in _STOPWORDS[lang]), lang) for lang in langs]
    return sorted(hits, reverse=True)


def _cyrillic(text: str, words: list[str]) -> tuple[str, float]:
    letters = Counter(ch for ch in text.lower() if ch.isalpha())
    if sum(letters[c] for c in _BE_LETTERS) >= 2:
        return "be", 0.9
    if sum(letters[c] for c in _MK_LETTERS) >= 2:
        return "mk", 0.9
    if sum(letters[c] for c in _SR_LETTERS) >= 3:
        return "sr", 0.8
    uk = sum(letters[c] for c in _UK_LETTERS)
    ru = sum(letters[c] for c in _RU_LETTERS)
    if uk or ru:
        # A Russian quote in a Ukrainian article (or the reverse) leaves some of the
        # other's letters; the bulk decides.
        lang = "uk" if uk > ru else "ru"
        return lang, max(uk, ru) / (uk + ru)
    hits = _stopword_hits(words, _CYRILLIC_STOPWORDS)
    (best, lang), (second, _) = hits[0], hits[1]
    if best and best >= MARGIN * second:
        return lang, 0.6
    # Cyrillic without any telling letter or word: Russian is by far the likeliest in
    # this domain, but say it is a guess.
    return "ru", 0.3


def detect(text: str) -> Detection:
    """The language of `text`, offline and in linear time."""
    scripts = _scripts(text)
    total = sum(scripts.values())
    if total < MIN_LETTERS:
        return Detection(None, None, 0.0)
    script, n = scripts.most_common(1)[0]
    share = n / total
    if n < MIN_LETTERS:
        return Detection(None, script, 0.0)
    if script in _SCRIPT_LANG:
        lang = _SCRIPT_LANG[script]
        if lang == "ar" and any(ch in _PERSIAN_LETTERS for ch in text):
            lang = "fa"
        return Detection(lang, script, share)
    words = [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]
    if script == "CYRILLIC":
        lang, conf = _cyrillic(text, words)
        return Detection(lang, script, conf * share)
    if script != "LATIN":
        return Detection(None, script, 0.0)
    hits = _stopword_hits(words, _LATIN_STOPWORDS)
    (best, lang), (second, _) = hits[0], hits[1]
    if best < MIN_HITS or best < MARGIN * second:
        return Detection(None, script, 0.0)
    return Detection(lang, script, share * (1 - second / best))


def detect_language(text: str) -> str | None:
    return detect(text).language


_SCRIPT_OF = {"uk": "CYRILLIC", "ru": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC",
              "sr": "CYRILLIC", "mk": "CYRILLIC", **{v: k for k, v in _SCRIPT_LANG.items()},
              "fa": "ARABIC", "ja": "HIRAGANA"}  # fmt: skip


def resolve_language(declared: str | None, text: str) -> str | None:
    """The language to store: the declared one when there is one, else the detected one.

    One exception: a declaration that the text's own letters contradict (a site template
    saying lang="en" over a Cyrillic article) gives way to what the text shows.
    """
    code = normalise_code(declared)
    found = detect(text)
    if code is None:
        return found.language
    if found.language is not None and found.language != code:
        declared_script = _SCRIPT_OF.get(code, "LATIN")
        if found.script is not None and found.script != declared_script:
            return found.language
    return code


def with_language(article: Article, text: str | None = None) -> Article:
    """`article` with its language set (see resolve_language); `text` is what to read,
    by default the article's own text."""
    lang = resolve_language(article.language, article.text if text is None else text)
    return article if lang == article.language else replace(article, language=lang)


def analysed(language: str | None) -> bool:
    """Whether events and claims are extracted from an article in `language`.
    Undetermined (None) is analysed: the pipeline tries rather than drops."""
    return language is None or normalise_code(language) in SUPPORTED


def not_analysed(languages: dict[str | None, int]) -> dict[str, int]:
    """Of article counts per language, those the pipeline did not analyse."""
    out: dict[str, int] = {}
    for lang, n in languages.items():
        if lang is not None and not analysed(lang):
            out[lang] = out.get(lang, 0) + n
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def describe_not_analysed(counts: dict[str, int]) -> str:
    """"3 articles (uk 2, ru 1)" or ""."""
    total = sum(counts.values())
    if not total:
        return ""
    parts = ", ".join(f"{lang} {n}" for lang, n in counts.items())
    return f"{total} article{'s' if total != 1 else ''} ({parts})"
