"""Bytes to text for untrusted input: byte-order marks, UTF-16 without one, strict UTF-8,
a declared charset, the legacy Cyrillic and Western code pages judged by letter
statistics, and charset_normalizer's guess last. Binary data is refused with a short
reason (ValueError) rather than decoded into noise.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

log = logging.getLogger(__name__)

# Share of control characters above which decoded "text" is taken to be binary.
MAX_CONTROL_SHARE = 0.1
# Share of NUL bytes above which a file that is not UTF-16 is taken to be binary.
MAX_NUL_SHARE = 0.01
_BINARY_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Browsers read these labels as windows-1252 (WHATWG); so do the pages that declare them.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


def looks_like_utf16(data: bytes) -> str | None:
    """utf-16-le/-be for BOM-less UTF-16 text: NUL high bytes on one side only."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.1 * half and even <= 0.01 * half:
        return "utf-16-le"
    if even >= 0.1 * half and odd <= 0.01 * half:
        return "utf-16-be"
    return None


# ---- legacy code pages
#
# Bytes that are not UTF-8 are, in this project's sources, nearly always Ukrainian or
# Russian in cp1251 or KOI8-U, or a Western language in windows-1252 / latin-1.
# charset_normalizer is unreliable exactly there: on a sentence or two it reads KOI8 as
# Shift-JIS, upper-case cp1251 as UTF-16 and German latin-1 as mac-iceland. So those three
# code pages are tried first and judged by how much the result looks like text in the
# languages they serve; charset_normalizer decides only when none of them does.
#
# The judge: letters score the log of their frequency in Ukrainian/Russian or Western
# text; symbols that never occur in prose, words mixing Latin and Cyrillic letters and
# words with an upper-case letter after a lower-case one are penalised. This separates
# the classic confusions: KOI8 read as cp1251 flips the case of every letter and swaps
# common letters for rare ones (о -> П), cp1251 read as KOI8 puts box-drawing symbols
# and case flips into words, Cyrillic read as cp1252 is all rare accented letters, and
# latin-1 read as cp1251 puts Cyrillic letters inside Latin words (Gebäude -> Gebдude).

_LEGACY_ENCODINGS = ("cp1251", "koi8-u", "cp1252")
# Letter frequencies, percent; Cyrillic takes the larger of Russian and Ukrainian.
_CYRILLIC_PERCENT = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47,
    "р": 4.73, "в": 5.40, "л": 4.40, "к": 3.70, "м": 3.21, "д": 3.30, "п": 2.81,
    "у": 3.50, "я": 2.20, "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 2.20, "б": 1.60,
    "ч": 1.44, "й": 1.21, "х": 1.10, "ж": 0.94, "ш": 0.80, "ю": 0.80, "ц": 0.90,
    "щ": 0.50, "э": 0.32, "ф": 0.30, "ъ": 0.04, "ё": 0.04, "і": 5.20, "ї": 0.70,
    "є": 0.40, "ґ": 0.05,
}
_LATIN_PERCENT = {
    "e": 12.0, "t": 8.0, "a": 8.0, "o": 7.0, "i": 7.0, "n": 7.5, "s": 6.5, "h": 4.5,
    "r": 6.5, "d": 4.3, "l": 4.5, "c": 3.0, "u": 3.5, "m": 2.6, "w": 1.5, "f": 1.8,
    "g": 2.2, "y": 1.5, "p": 2.0, "b": 1.6, "v": 1.0, "k": 1.0, "j": 0.3, "x": 0.3,
    "q": 0.3, "z": 0.8,
}
# Accented letters of the Western languages windows-1252 serves.
_WESTERN_ACCENTED = frozenset("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœ")
_WESTERN_ACCENTED_PERCENT = 0.4
_OTHER_LETTER_PERCENT = 0.005
# Non-letters news text does use; any other symbol or control is penalised.
_PROSE_SYMBOLS = frozenset(
    " \t\n\r!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789"
    "\u00a0–—‘’‚“”„…«»•·°№€£§©®™±×‹›"
)
_SYMBOL_PENALTY = math.log(0.005 / 100)
_ODD_WORD_PENALTY = math.log(0.005 / 100)
# Bytes judged per candidate: letter statistics settle long before that, and it bounds
# the work on a 20 MB file.
_JUDGE_BYTES = 64 * 1024
# A candidate is trusted only when this little of it is symbols or odd words.
_MAX_SYMBOL_SHARE = 0.02
_MAX_ODD_WORD_SHARE = 0.15
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
# Hebrew, Arabic or Greek code pages read as cp1251/KOI8 give Cyrillic letters with
# plausible frequencies, but never Russian or Ukrainian words: a longer Cyrillic reading
# must have some of the commonest function words of either language to be trusted.
_CYRILLIC_FUNCTION_WORDS = frozenset({
    "в", "и", "с", "у", "к", "о", "а", "я", "на", "не", "что", "как", "это", "по", "но", "из",
    "за", "то", "от", "же", "все", "так", "бы", "для", "мы", "его", "ее", "их", "уже", "при",
    "после", "во", "со", "об", "до", "был", "была", "были", "или", "он", "она", "они", "также",
    "года", "і", "й", "з", "та", "що", "як", "це", "від", "але", "про", "вже", "його", "її",
    "їх", "під", "після", "також", "року", "був", "була", "були", "або", "він", "вона", "вони",
    "щоб", "де", "чи", "ще", "може",
})
_CONSONANT_RUN_RE = re.compile("[бвгґджзйклмнпрстфхцчшщьъ]{5,}", re.I)
_FUNCTION_WORDS_FROM = 12  # Cyrillic words; shorter texts are judged by letters alone
_MIN_FUNCTION_WORD_SHARE = 0.05


def _letter_score(ch: str) -> float:
    low = ch.lower()
    percent = _CYRILLIC_PERCENT.get(low) or _LATIN_PERCENT.get(low)
    if percent is None:
        percent = _WESTERN_ACCENTED_PERCENT if low in _WESTERN_ACCENTED else _OTHER_LETTER_PERCENT
    return math.log(percent / 100)


def _odd_word(word: str) -> bool:
    """Latin and Cyrillic letters in one word, or upper case after lower case."""
    cyrillic = any("\u0400" <= c <= "\u04ff" for c in word)
    if cyrillic and any(c.isascii() or "\u00c0" <= c <= "\u024f" for c in word):
        return True
    return any(a.islower() and b.isupper() for a, b in pairwise(word))


@dataclass(frozen=True, slots=True)
class _Judgement:
    score: float  # mean log-likelihood per character, higher is more text-like
    plausible: bool


def _judge(text: str) -> _Judgement:
    if not text:
        return _Judgement(float("-inf"), False)
    total = 0.0
    symbols = 0
    for ch, n in Counter(text).items():
        if ch in _PROSE_SYMBOLS or ch.isspace():
            continue
        if ch.isalpha():
            total += n * _letter_score(ch)
        else:
            symbols += n
            total += n * _SYMBOL_PENALTY
    words = _LETTER_RUN_RE.findall(text)
    odd = sum(1 for word in words if _odd_word(word))
    # More consonants in a row than Russian or Ukrainian words have: only the score, as a
    # few real words ("агентство") have them. An all-caps KOI8 word read as cp1251 is in
    # lower case, so this is what tells "НАПРЯМОК" from its misreading "обртснпл".
    clusters = sum(1 for word in words if _CONSONANT_RUN_RE.search(word))
    total += (odd + clusters) * _ODD_WORD_PENALTY
    cyrillic = [w.lower() for w in words if "\u0400" <= w[0] <= "\u04ff"]
    function_words = sum(1 for w in cyrillic if w in _CYRILLIC_FUNCTION_WORDS)
    rare_letter = math.log(_OTHER_LETTER_PERCENT / 100)
    plausible = (
        symbols <= _MAX_SYMBOL_SHARE * len(text)
        and odd <= _MAX_ODD_WORD_SHARE * max(1, len(words))
        and all(_letter_score(c) > rare_letter for c in set(text) if c.isalpha())
        and (
            len(cyrillic) < _FUNCTION_WORDS_FROM
            or function_words >= _MIN_FUNCTION_WORD_SHARE * len(cyrillic)
        )
    )
    return _Judgement(total / len(text), plausible)


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """(encoding, text) when a legacy code page of ours reads `data` as plausible text;
    the best-judged one wins. None leaves the guess to charset_normalizer."""
    sample = data[:_JUDGE_BYTES]
    best: tuple[float, str] | None = None
    for encoding in _LEGACY_ENCODINGS:
        try:
            judgement = _judge(sample.decode(encoding))
        except UnicodeDecodeError:
            continue
        if judgement.plausible and (best is None or judgement.score > best[0]):
            best = (judgement.score, encoding)
    if best is None:
        return None
    try:
        return best[1], data.decode(best[1])
    except UnicodeDecodeError:
        return None  # a byte past the judged sample does not exist in this code page


def check_not_binary(text: str) -> str:
    if text:
        controls = len(_BINARY_CONTROL_RE.findall(text))
        if controls / len(text) > MAX_CONTROL_SHARE:
            raise ValueError(f"binary content ({controls} control characters)")
    return text


def decode(data: bytes, declared: str | None = None) -> str:
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with FF FE too
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return check_not_binary(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {encoding} after its byte-order mark") from exc

    nuls = data.count(0)
    if nuls:
        utf16 = looks_like_utf16(data)
        if utf16 is not None:
            try:
                return check_not_binary(data.decode(utf16))
            except UnicodeDecodeError as exc:
                raise ValueError("binary content (NUL bytes)") from exc
        # A stray NUL in scraped text is dropped later; many of them mean a binary file.
        if nuls > MAX_NUL_SHARE * len(data):
            raise ValueError(f"binary content ({nuls} NUL bytes)")

    with contextlib.suppress(UnicodeDecodeError):
        return check_not_binary(data.decode("utf-8"))

    if declared:
        encoding = _CHARSET_ALIASES.get(declared.lower(), declared)
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return check_not_binary(data.decode(encoding))

    legacy = _guess_legacy(data)
    if legacy is not None:
        encoding, text = legacy
        log.debug("decoded as %s by letter statistics", encoding)
        return check_not_binary(text)

    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ValueError("binary or undecodable content (no known text encoding fits)")
    log.debug("decoded as %s by guess", best.encoding)
    return check_not_binary(str(best))


def decode_bytes(data: bytes) -> str:
    """Bytes to text: BOM, then strict UTF-8, then charset_normalizer's best guess.

    Raises ValueError (with a short reason) for binary or undecodable data.
    """
    return decode(data)
