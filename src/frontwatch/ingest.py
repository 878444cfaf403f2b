"""Turn input paths (.txt, .html/.htm, .jsonl) into `Article` records.

Everything read here is untrusted: any file may be empty, binary, huge, in a legacy
Cyrillic code page or simply broken. A bad file never stops a batch; it becomes an
`InputError` *yielded* in the stream next to the good articles, so the caller can report
it in one line and go on. The only error raised is a path that does not exist at all,
because that is a mistake on the command line rather than bad input.

Length policy: a text shorter than `min_article_chars` is refused; a text longer than
`max_article_chars` is truncated at a paragraph boundary with a warning, unless it is
more than `OVERSIZE_FACTOR` times the bound, in which case it is refused (at that size
it is a dump or a scrape gone wrong, not an article).
"""

from __future__ import annotations

import codecs
import contextlib
import email.utils
import importlib
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import InputError
from .limits import TimeLimitExceeded, time_limit
from .records import Article, article_id_for
from .settings import Settings

log = logging.getLogger(__name__)

SUFFIXES: frozenset[str] = frozenset({".txt", ".html", ".htm", ".jsonl"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
# Above this multiple of max_article_chars a text is refused instead of truncated.
OVERSIZE_FACTOR = 10
# Share of control characters above which decoded "text" is taken to be binary.
MAX_CONTROL_SHARE = 0.1
# Share of NUL bytes above which a file that is not UTF-16 is taken to be binary.
MAX_NUL_SHARE = 0.01
# How many bad line numbers an error message lists before eliding the rest.
MAX_LISTED_LINES = 10

# Half of a surrogate pair: only a JSON escape ("\\ud83d" cut from its pair) makes one, and
# it cannot be encoded as UTF-8, so hashing or storing the text would fail.
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_BINARY_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Everything _clean_text deletes outright, in one pass over the text.
_DELETED_RE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
# Blanks trimmed from every line's end. Not a regex: "[ \t]+\n" is quadratic on a long
# run of blanks without a newline after it (200k spaces took minutes).
_TRAILING_BLANKS = " \t\u00a0"
# A literal first character lets the regex engine skip ahead; "\n{3,}" is 20x slower.
_BLANK_LINES_RE = re.compile("\n\n\n+")
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
_HTML_LANG_RE = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})\b""", re.I)
_CONTENT_LANG_RE = re.compile(
    r"""<meta[^>]{0,200}?http-equiv\s*=\s*["']?content-language["']?[^>]{0,200}?"""
    r"""content\s*=\s*["']?\s*([A-Za-z]{2,3})\b""",
    re.I,
)
# Browsers read these labels as windows-1252 (WHATWG); so do the pages that declare them.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Publication metadata for one file, from a sidecar line or a JSONL record."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str | None = None


# --------------------------------------------------------------------------- dates


@cache
def _external_date_parser() -> Callable[[str], object] | None:
    # frontwatch.dates is written separately and may not exist in every checkout;
    # the ISO fallback keeps ingestion working without it.
    try:
        module = importlib.import_module("frontwatch.dates")
    except ModuleNotFoundError as exc:
        if exc.name != "frontwatch.dates":
            log.warning("frontwatch.dates failed to import (%s); using ISO dates only", exc)
        return None
    except Exception as exc:
        log.warning("frontwatch.dates failed to import (%s); using ISO dates only", exc)
        return None
    parser = getattr(module, "parse_published", None)
    return parser if callable(parser) else None


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # Tolerate a (date, precision) pair, should the shared parser return one.
    if isinstance(value, tuple) and value and isinstance(value[0], date):
        return _as_date(value[0])
    return None


def _parse_date(value: str) -> date | None:
    """ISO date or datetime (Z allowed), or an RFC 2822 date as found in feeds."""
    text = value.strip()
    if not text:
        return None
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text)
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(text).date()
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return email.utils.parsedate_to_datetime(text).date()
    return None


def _meta_date(value: str) -> date | None:
    """A metadata date string to a date: the shared parser first, ours as fallback."""
    parser = _external_date_parser()
    if parser is not None:
        # Its None is an answer (it also rejects implausible years), not a cue to retry.
        try:
            return _as_date(parser(value))
        except Exception as exc:
            log.debug("parse_published(%r) failed: %s", value, exc)
    return _parse_date(value)


# ------------------------------------------------------------------------ metadata


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, not {type(value).__name__}")
    return value.strip() or None


def _scrubbed(record: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object's top-level strings without lone surrogates (see _LONE_SURROGATE_RE)."""
    return {
        key: _LONE_SURROGATE_RE.sub("", value) if isinstance(value, str) else value
        for key, value in record.items()
    }


def _meta_from_record(record: Mapping[str, Any]) -> ArticleMeta:
    """The metadata fields of one JSON object; ValueError names the first bad field."""
    published_raw = _optional_str(record, "published")
    published = None
    if published_raw is not None:
        published = _meta_date(published_raw)
        if published is None:
            raise ValueError(f"'published' is not a date: {published_raw!r}")
    return ArticleMeta(
        title=_optional_str(record, "title"),
        url=_optional_str(record, "url"),
        outlet=_optional_str(record, "outlet"),
        published=published,
        language=_optional_str(record, "language"),
    )


def _meta_key(name: str) -> str:
    key = name.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def load_meta(path: Path) -> dict[str, ArticleMeta]:
    """Read a JSONL sidecar: one object per line with "file" plus metadata fields.

    All bad lines are reported at once in one InputError, so a hand-written sidecar
    can be fixed in one pass.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(str(path), "metadata file not found") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read metadata file: {exc.strerror or exc}") from exc
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        raise InputError(str(path), f"metadata file is not text: {exc}") from exc

    result: dict[str, ArticleMeta] = {}
    bad: list[str] = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            record = _scrubbed(record)
            file_name = record.get("file")
            if not isinstance(file_name, str) or not file_name.strip():
                raise ValueError("no 'file'")
            meta = _meta_from_record(record)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            reason = "invalid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            bad.append(f"{line_no} ({reason})")
            continue
        except RecursionError:  # "[[[[..." past the recursion limit
            bad.append(f"{line_no} (invalid JSON)")
            continue
        key = _meta_key(file_name)
        if key in result:
            log.warning("%s:%d: duplicate entry for %r; the later one wins", path, line_no, key)
        result[key] = meta
    if bad:
        listed = ", ".join(bad[:MAX_LISTED_LINES])
        more = f" and {len(bad) - MAX_LISTED_LINES} more" if len(bad) > MAX_LISTED_LINES else ""
        raise InputError(str(path), f"bad metadata line(s): {listed}{more}")
    return result


def _lookup_meta(path: Path, meta: Mapping[str, ArticleMeta] | None) -> ArticleMeta | None:
    """The sidecar entry for a file: the longest trailing sub-path that is a key wins,
    so "a/x.txt" beats "x.txt" and keys work relative to any folder."""
    if not meta:
        return None
    parts = Path(os.path.abspath(path)).parts[1:]
    for start in range(len(parts)):
        found = meta.get("/".join(parts[start:]))
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------------ decoding


def _looks_like_utf16(data: bytes) -> str | None:
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


def _check_not_binary(text: str) -> str:
    if text:
        controls = len(_BINARY_CONTROL_RE.findall(text))
        if controls / len(text) > MAX_CONTROL_SHARE:
            raise ValueError(f"binary content ({controls} control characters)")
    return text


def _decode(data: bytes, declared: str | None = None) -> str:
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
                return _check_not_binary(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {encoding} after its byte-order mark") from exc

    nuls = data.count(0)
    if nuls:
        utf16 = _looks_like_utf16(data)
        if utf16 is not None:
            try:
                return _check_not_binary(data.decode(utf16))
            except UnicodeDecodeError as exc:
                raise ValueError("binary content (NUL bytes)") from exc
        # A stray NUL in scraped text is dropped later; many of them mean a binary file.
        if nuls > MAX_NUL_SHARE * len(data):
            raise ValueError(f"binary content ({nuls} NUL bytes)")

    with contextlib.suppress(UnicodeDecodeError):
        return _check_not_binary(data.decode("utf-8"))

    if declared:
        encoding = _CHARSET_ALIASES.get(declared.lower(), declared)
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return _check_not_binary(data.decode(encoding))

    legacy = _guess_legacy(data)
    if legacy is not None:
        encoding, text = legacy
        log.debug("decoded as %s by letter statistics", encoding)
        return _check_not_binary(text)

    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ValueError("binary or undecodable content (no known text encoding fits)")
    log.debug("decoded as %s by guess", best.encoding)
    return _check_not_binary(str(best))


def decode_bytes(data: bytes) -> str:
    """Bytes to text: BOM, then strict UTF-8, then charset_normalizer's best guess.

    Raises ValueError (with a short reason) for binary or undecodable data.
    """
    return _decode(data)


# -------------------------------------------------------------------------- text


def _clean_text(text: str) -> str:
    """The text stored and hashed: \\n newlines, no zero-width or control characters,
    no trailing blanks, at most one empty line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").translate(
        {0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n"}
    )
    text = _DELETED_RE.sub("", text)
    text = "\n".join(line.rstrip(_TRAILING_BLANKS) for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip()


def _truncate(text: str, limit: int) -> str:
    window = text[:limit]
    # Prefer a paragraph break, then a line break, then a space, as long as it keeps
    # at least half the allowed text.
    for sep in ("\n\n", "\n", " "):
        cut = window.rfind(sep)
        if cut >= limit // 2:
            return window[:cut].rstrip()
    return window


def _meta_fields(meta: ArticleMeta) -> dict[str, Any]:
    """The sidecar's fields, which are named as the Article's own."""
    return {f.name: getattr(meta, f.name) for f in dataclass_fields(meta)}


def _finish(text: str, name: str, where: str, settings: Settings, **fields: Any) -> Article:
    """Clean, bound-check and hash a text into an Article; InputError if refused."""
    text = _clean_text(text)
    if not text:
        raise InputError(where, "no text (only white space or control characters)")
    if len(text) < settings.min_article_chars:
        minimum = settings.min_article_chars
        raise InputError(where, f"text too short ({len(text)} characters, minimum {minimum})")
    limit = settings.max_article_chars
    if len(text) > limit * OVERSIZE_FACTOR:
        raise InputError(
            where,
            f"text too long ({len(text):,} characters, over {OVERSIZE_FACTOR}× "
            f"max_article_chars={limit:,})",
        )
    if len(text) > limit:
        original = len(text)
        text = _truncate(text, limit)
        log.warning(
            "%s: text truncated from %d to %d characters (max_article_chars=%d)",
            where,
            original,
            len(text),
            limit,
        )
    return Article(id=article_id_for(text), name=name, text=text, **fields)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------- HTML


def _html_language(html: str) -> str | None:
    head = html[:20_000]
    match = _HTML_LANG_RE.search(head) or _CONTENT_LANG_RE.search(head)
    return match.group(1).lower() if match else None


def _html_metadata(html: str, url: str | None) -> ArticleMeta:
    """Metadata found in the page itself. Failures only cost metadata, never the text."""
    import trafilatura
    from trafilatura.settings import set_date_params

    language = _html_language(html)
    try:
        # No extensive search: it falls back to any date in the body, and a war report
        # is full of dates that are not its publication date.
        doc = trafilatura.extract_metadata(
            html, default_url=url, date_config=set_date_params(extensive=False)
        )
    except Exception as exc:
        log.warning("metadata extraction failed: %s", exc)
        return ArticleMeta(language=language)
    published = None
    if doc.date:
        with contextlib.suppress(ValueError):
            published = date.fromisoformat(doc.date[:10])
    return ArticleMeta(
        title=doc.title or None,
        url=doc.url or None,
        outlet=doc.sitename or doc.hostname or None,
        published=published,
        language=language,
    )


def _merge(first: ArticleMeta | None, second: ArticleMeta) -> ArticleMeta:
    """Field by field: `first` wins wherever it has a value."""
    if first is None:
        return second
    return ArticleMeta(
        title=first.title or second.title,
        url=first.url or second.url,
        outlet=first.outlet or second.outlet,
        published=first.published or second.published,
        language=first.language or second.language,
    )


def html_to_article(
    html: str,
    name: str,
    settings: Settings,
    meta: ArticleMeta | None = None,
    url: str | None = None,
) -> Article:
    """Main text and metadata of one HTML page. `meta` (the sidecar) wins over `url`,
    which wins over what the page says. Raises InputError when there is no main text."""
    import trafilatura

    extracted = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not extracted or not extracted.strip():
        raise InputError(name, "no main text could be extracted from the HTML")
    # trafilatura puts one block per line; the rest of the pipeline expects blank-line
    # separated paragraphs.
    text = "\n\n".join(line.strip() for line in extracted.split("\n") if line.strip())
    found = _html_metadata(html, url)
    merged = _merge(meta, _merge(ArticleMeta(url=url), found))
    return _finish(text, name, name, settings, **_meta_fields(merged), raw_html=html)


# ------------------------------------------------------------------------- paths


def _walk(folder: Path, seen: set[str]) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        log.warning("%s: cannot list folder: %s", folder, exc.strerror or exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = folder / entry.name
        try:
            # Symlinked folders are not followed: they can loop, or leave the tree.
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(child, seen)
                continue
            if not entry.is_file():
                continue
        except OSError:
            continue
        if child.suffix.lower() in SUFFIXES:
            yield from _once(child, seen)


def _once(path: Path, seen: set[str]) -> Iterator[Path]:
    key = os.path.realpath(path)
    if key not in seen:
        seen.add(key)
        yield path


def iter_paths(paths: Sequence[Path]) -> Iterator[Path]:
    """Input files under `paths`: files as given, folders recursively in name order.

    Only .txt/.html/.htm/.jsonl are kept and hidden entries inside folders skipped; a
    file reached twice is yielded once. A path that does not exist raises InputError
    at call time, before any file is read.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
    return _iter_existing(paths)


def _iter_existing(paths: Sequence[Path]) -> Iterator[Path]:
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen)
        elif path.suffix.lower() in SUFFIXES:
            yield from _once(path, seen)
        else:
            log.warning("%s: skipped, not a .txt, .html, .htm or .jsonl file", path)


# ----------------------------------------------------------------------- reading


def _read_bounded(path: Path, settings: Settings) -> bytes:
    """The file's bytes, refusing by size before reading anything."""
    where = str(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror or exc}") from exc
    if not path.is_file():
        raise InputError(where, "not a regular file")
    limit = settings.max_file_bytes
    if st.st_size > limit:
        raise InputError(where, f"file too large ({st.st_size:,} bytes, max_file_bytes={limit:,})")
    if st.st_size == 0:
        raise InputError(where, "empty file")
    try:
        with path.open("rb") as fh:
            # The file may grow between stat and read; never take more than the bound.
            data = fh.read(limit + 1)
    except PermissionError as exc:
        raise InputError(where, "cannot read: permission denied") from exc
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError(where, f"file too large (over max_file_bytes={limit:,})")
    if not data.strip():
        raise InputError(where, "empty file (white space only)")
    return data


def _decode_or_refuse(data: bytes, where: str, declared: str | None = None) -> str:
    try:
        return _decode(data, declared)
    except ValueError as exc:
        raise InputError(where, str(exc)) from exc


def _read_txt(path: Path, settings: Settings, meta: ArticleMeta | None) -> Article:
    text = _decode_or_refuse(_read_bounded(path, settings), str(path))
    meta = meta or ArticleMeta()
    return _finish(text, path.name, str(path), settings, **_meta_fields(meta), path=str(path))


def _read_html(path: Path, settings: Settings, meta: ArticleMeta | None) -> Article:
    data = _read_bounded(path, settings)
    match = _META_CHARSET_RE.search(data[:4096])
    declared = match.group(1).decode("ascii", "replace") if match else None
    html = _decode_or_refuse(data, str(path), declared)
    try:
        article = html_to_article(html, path.name, settings, meta)
    except InputError as exc:
        # html_to_article only knows the name; messages should carry the full path.
        raise InputError(str(path), exc.reason) from exc
    return replace(article, path=str(path))


def _is_sidecar(record: object) -> bool:
    return (
        isinstance(record, dict) and "file" in record and not ("text" in record or "html" in record)
    )


def _jsonl_line(record: object, path: Path, line_no: int, settings: Settings) -> Article:
    where = f"{path}:{line_no}"
    if not isinstance(record, dict):
        raise InputError(where, "not a JSON object")
    record = _scrubbed(record)
    text, html = record.get("text"), record.get("html")
    for key, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"{key!r} must be a string, not {type(value).__name__}")
    if not (isinstance(text, str) and text.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        raise InputError(where, "no 'text' or 'html'")
    try:
        meta = _meta_from_record(record)
    except ValueError as exc:
        raise InputError(where, str(exc)) from exc
    label = record.get("name", record.get("id"))
    if label is not None and not isinstance(label, str | int):
        kind = type(label).__name__
        raise InputError(where, f"'name'/'id' must be a string or number, not {kind}")
    name = meta.url or (str(label).strip() if label is not None else "") or f"{path.name}#{line_no}"
    # Text wins over html when a record carries both: it is already the main text.
    if isinstance(text, str) and text.strip():
        article = _finish(text, name, where, settings, **_meta_fields(meta))
    else:
        try:
            article = html_to_article(str(html), name, settings, meta, url=meta.url)
        except InputError as exc:
            raise InputError(where, exc.reason) from exc
    return replace(article, path=where)


def _timed_out(where: str, settings: Settings) -> InputError:
    return InputError(
        where, f"reading took longer than {settings.article_time_limit:g} s (article_time_limit)"
    )


def _jsonl_lines(data: bytes, where: str) -> list[str | UnicodeDecodeError]:
    """The lines of a JSON Lines file, each decoded on its own.

    JSON Lines is UTF-8, so a line that is not is that line's error, and the file's other
    lines are still read: guessing one encoding for the whole file would garble every good
    line to fit the bad one. A UTF-16/32 file (by BOM or NUL pattern) is decoded whole.
    """
    utf16 = b"\x00" in data[:4096] and _looks_like_utf16(data) is not None
    if utf16 or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return list(_decode_or_refuse(data, where).split("\n"))
    nuls = data.count(0)
    if nuls > MAX_NUL_SHARE * len(data):
        raise InputError(where, f"binary content ({nuls} NUL bytes)")
    try:
        # A binary file is one error, not one per "line" of it.
        _check_not_binary(data.decode("utf-8", "replace"))
    except ValueError as exc:
        raise InputError(where, str(exc)) from exc
    lines: list[str | UnicodeDecodeError] = []
    for raw in data.removeprefix(codecs.BOM_UTF8).split(b"\n"):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            lines.append(exc)
    return lines


def _read_jsonl(path: Path, settings: Settings) -> Iterator[Article | InputError]:
    try:
        with time_limit(settings.article_time_limit):
            lines = _jsonl_lines(_read_bounded(path, settings), str(path))
    except TimeLimitExceeded:
        raise _timed_out(str(path), settings) from None
    first = True
    for line_no, line in enumerate(lines, start=1):
        where = f"{path}:{line_no}"
        if isinstance(line, UnicodeDecodeError):
            yield InputError(
                where, f"not UTF-8 (byte {line.start + 1} of the line); JSON Lines must be UTF-8"
            )
            first = False
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError(where, f"invalid JSON ({_one_line(str(exc))})")
            first = False
            continue
        except RecursionError:
            # "[[[[..." nested past the interpreter's recursion limit: this line only.
            yield InputError(where, "invalid JSON (nested too deeply)")
            first = False
            continue
        if first and _is_sidecar(record):
            log.info("%s: skipped, it is a metadata sidecar (records have 'file', no text)", path)
            return
        first = False
        try:
            # No yield inside the limit: the consumer's time is not this line's.
            with time_limit(settings.article_time_limit):
                article = _jsonl_line(record, path, line_no, settings)
        except TimeLimitExceeded:
            yield _timed_out(where, settings)
        except InputError as exc:
            yield exc
        except Exception as exc:
            log.debug("%s: unexpected error", where, exc_info=True)
            yield InputError(where, _one_line(f"unexpected error: {type(exc).__name__}: {exc}"))
        else:
            yield article


def _read_one(path: Path, settings: Settings, meta: ArticleMeta | None) -> Article:
    """A .txt or HTML file's article, within article_time_limit (else InputError)."""
    # The limit covers this function only, never a yield: the consumer's time is not ours.
    try:
        with time_limit(settings.article_time_limit):
            if path.suffix.lower() == ".txt":
                return _read_txt(path, settings, meta)
            return _read_html(path, settings, meta)
    except TimeLimitExceeded:
        raise _timed_out(str(path), settings) from None


def read_path(
    path: Path, settings: Settings, meta: Mapping[str, ArticleMeta] | None = None
) -> Iterator[Article | InputError]:
    """Articles of one file (one, or one per JSONL line), or InputErrors saying why not.

    Never raises for bad content: any failure becomes an InputError for this file.
    `meta` is a loaded sidecar (see load_meta); it applies to .txt and HTML files.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, settings)  # a time limit and errors per line
        elif suffix == ".txt" or suffix in HTML_SUFFIXES:
            yield _read_one(path, settings, _lookup_meta(path, meta))
        else:
            yield InputError(str(path), f"unsupported file type {suffix or '(none)'!r}")
    except InputError as exc:
        yield exc
    except Exception as exc:
        log.debug("%s: unexpected error", path, exc_info=True)
        yield InputError(str(path), _one_line(f"unexpected error: {type(exc).__name__}: {exc}"))


def read_paths(
    paths: Sequence[Path],
    settings: Settings,
    meta: Mapping[str, ArticleMeta] | None = None,
) -> Iterator[Article | InputError]:
    """read_path over iter_paths(paths). A missing path raises InputError at call time."""
    files = iter_paths(paths)
    return _read_all(files, settings, meta)


def _read_all(
    files: Iterator[Path], settings: Settings, meta: Mapping[str, ArticleMeta] | None
) -> Iterator[Article | InputError]:
    for path in files:
        yield from read_path(path, settings, meta)
