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
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from .encoding import MAX_NUL_SHARE, check_not_binary, decode, decode_bytes, looks_like_utf16
from .errors import InputError
from .limits import TimeLimitExceeded, time_limit
from .records import Article, article_id_for
from .settings import Settings

log = logging.getLogger(__name__)

SUFFIXES: frozenset[str] = frozenset({".txt", ".html", ".htm", ".jsonl"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
# Above this multiple of max_article_chars a text is refused instead of truncated.
OVERSIZE_FACTOR = 10
# How many bad line numbers an error message lists before eliding the rest.
MAX_LISTED_LINES = 10

# Half of a surrogate pair: only a JSON escape ("\\ud83d" cut from its pair) makes one, and
# it cannot be encoded as UTF-8, so hashing or storing the text would fail.
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
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
        return decode(data, declared)
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
    utf16 = b"\x00" in data[:4096] and looks_like_utf16(data) is not None
    if utf16 or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return list(_decode_or_refuse(data, where).split("\n"))
    nuls = data.count(0)
    if nuls > MAX_NUL_SHARE * len(data):
        raise InputError(where, f"binary content ({nuls} NUL bytes)")
    try:
        # A binary file is one error, not one per "line" of it.
        check_not_binary(data.decode("utf-8", "replace"))
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
