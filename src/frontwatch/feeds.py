"""Feeds to lists of article links: RSS 2.0, RSS 1.0 (RDF), Atom, JSON Feed and
sitemaps (`<urlset>`), with the standard library only.

Feeds are untrusted input. XML goes through `xml.etree.ElementTree`, which never fetches
external entities; documents that declare entities at all are refused, so that no
"billion laughs" expansion is even attempted. Elements are matched by local name, so
namespaced and un-namespaced variants (atom:link, dc:date, ...) read the same.
A document that is not well-formed or not a feed raises `FeedError` with the reason.
"""

from __future__ import annotations

import contextlib
import email.utils
import html
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urljoin

from .errors import FeedError

log = logging.getLogger(__name__)

FeedKind = Literal["rss", "rdf", "atom", "json", "sitemap"]

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# A DOCTYPE with an internal subset, before the root element: the only place where
# entities can be declared.
_DTD_SUBSET_RE = re.compile(
    rb"\A\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE[^\[>]*\[", re.S | re.I
)
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str  # absolute, as the feed gives it (not normalised)
    title: str | None = None
    published: date | None = None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    kind: FeedKind
    title: str | None
    items: tuple[FeedItem, ...]
    link: str | None = None  # the site's home page, when the feed names it
    skipped: int = 0  # items without a usable link


# ------------------------------------------------------------------------ helpers


def parse_date(value: str | None) -> date | None:
    """RFC 822 (RSS pubDate) or ISO 8601 (Atom, JSON Feed, dc:date); None if neither."""
    if not value or not value.strip():
        return None
    text = value.strip()
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return email.utils.parsedate_to_datetime(text).date()
    iso = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(iso).date()
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text[:10])
    log.debug("unreadable feed date %r", text)
    return None


def _local(tag: object) -> str:
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _children(elem: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in elem if _local(child.tag) == name)


def _child(elem: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        for child in _children(elem, name):
            return child
    return None


def _plain(text: str | None) -> str | None:
    """Feed text as plain text: tags dropped, entities decoded, white space collapsed."""
    if text is None:
        return None
    text = html.unescape(_TAG_RE.sub(" ", text))
    text = " ".join(text.split())
    return text or None


def _text(elem: ET.Element | None) -> str | None:
    if elem is None:
        return None
    return _plain("".join(elem.itertext()))


def _first_text(elem: ET.Element, *names: str) -> str | None:
    for name in names:
        for child in _children(elem, name):
            value = _text(child)
            if value:
                return value
    return None


def _base(elem: ET.Element, base: str) -> str:
    own = elem.get(_XML_BASE)
    return urljoin(base, own.strip()) if own else base


def _absolute(link: str | None, base: str) -> str | None:
    if not link or not link.strip():
        return None
    return urljoin(base, link.strip()) if base else link.strip()


# ----------------------------------------------------------------------- formats


def _rss_item(item: ET.Element, base: str) -> FeedItem | None:
    link = None
    for child in _children(item, "link"):
        # An RSS <link> has text; an atom:link inside RSS has href.
        link = (child.text or "").strip() or child.get("href")
        if link:
            break
    guid_elem = _child(item, "guid")
    guid = _text(guid_elem)
    if not link and guid and guid_elem is not None:
        permalink = guid_elem.get("isPermaLink", "true").strip().lower() != "false"
        if permalink and re.match(r"https?://", guid, re.I):
            link = guid
    # RSS 1.0 items name themselves with rdf:about.
    if not link:
        link = next((v for k, v in item.attrib.items() if _local(k) == "about"), None)
    url = _absolute(link, base)
    if url is None:
        return None
    published = parse_date(_first_text(item, "pubdate", "date", "published", "updated"))
    return FeedItem(url, _first_text(item, "title"), published, guid)


def _parse_rss(root: ET.Element, base: str) -> Feed:
    channel = _child(root, "channel")
    if channel is None:
        raise FeedError(base or "<feed>", "RSS document without a <channel>")
    items = [_rss_item(i, base) for i in _children(channel, "item")]
    link = _first_text(channel, "link")
    return _feed("rss", _first_text(channel, "title"), items, link, base)


def _parse_rdf(root: ET.Element, base: str) -> Feed:
    channel = _child(root, "channel")
    title = _first_text(channel, "title") if channel is not None else None
    link = _first_text(channel, "link") if channel is not None else None
    items = [_rss_item(i, base) for i in _children(root, "item")]
    return _feed("rdf", title, items, link, base)


def _atom_link(elem: ET.Element, base: str) -> str | None:
    best: tuple[int, str] | None = None
    for link in _children(elem, "link"):
        href = link.get("href")
        if not href:
            continue
        rel = (link.get("rel") or "alternate").strip().lower()
        if rel != "alternate":
            continue
        ltype = (link.get("type") or "").strip().lower()
        rank = 0 if ltype in _HTML_TYPES else 1 if not ltype else 2
        if best is None or rank < best[0]:
            best = (rank, href)
    return _absolute(best[1], base) if best else None


def _parse_atom(root: ET.Element, base: str) -> Feed:
    base = _base(root, base)
    items: list[FeedItem | None] = []
    for entry in _children(root, "entry"):
        entry_base = _base(entry, base)
        url = _atom_link(entry, entry_base)
        guid = _first_text(entry, "id")
        if url is None and guid and re.match(r"https?://", guid, re.I):
            url = guid
        published = parse_date(_first_text(entry, "published", "issued", "updated",
                                           "modified"))
        items.append(FeedItem(url, _first_text(entry, "title"), published, guid)
                     if url else None)
    return _feed("atom", _first_text(root, "title"), items, _atom_link(root, base), base)


def _parse_sitemap(root: ET.Element, base: str) -> Feed:
    items: list[FeedItem | None] = []
    for entry in _children(root, "url"):
        url = _absolute(_first_text(entry, "loc"), base)
        # Google News sitemaps: <news:news><news:publication_date>, <news:title>.
        news = _child(entry, "news")
        published = title = None
        if news is not None:
            published = parse_date(_first_text(news, "publication_date"))
            title = _first_text(news, "title")
        items.append(FeedItem(url, title, published) if url else None)
    return _feed("sitemap", None, items, None, base)


def _parse_json(data: str, base: str) -> Feed:
    where = base or "<feed>"
    try:
        doc: Any = json.loads(data)
    except ValueError as exc:
        raise FeedError(where, f"malformed JSON ({exc})") from exc
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise FeedError(where, "JSON but not a JSON Feed (no jsonfeed.org version)")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise FeedError(where, "JSON Feed without an 'items' list")
    items: list[FeedItem | None] = []
    for it in raw_items:
        if not isinstance(it, dict):
            items.append(None)
            continue
        link = it.get("url") or it.get("external_url")
        if not isinstance(link, str):
            link = it.get("id") if isinstance(it.get("id"), str) else None
            if link and not re.match(r"https?://", link, re.I):
                link = None
        url = _absolute(link, base)
        title = it.get("title") if isinstance(it.get("title"), str) else None
        when = it.get("date_published") or it.get("date_modified")
        published = parse_date(when) if isinstance(when, str) else None
        guid = it.get("id") if isinstance(it.get("id"), str) else None
        items.append(FeedItem(url, _plain(title), published, guid) if url else None)
    title = doc.get("title") if isinstance(doc.get("title"), str) else None
    home = doc.get("home_page_url") if isinstance(doc.get("home_page_url"), str) else None
    return _feed("json", _plain(title), items, home, base)


def _feed(kind: FeedKind, title: str | None, items: list[FeedItem | None],
          link: str | None, base: str) -> Feed:
    kept = tuple(i for i in items if i is not None)
    skipped = len(items) - len(kept)
    if skipped:
        log.info("%s: %d feed item(s) without a usable link skipped", base or "<feed>",
                 skipped)
    return Feed(kind, title, kept, _absolute(link, base), skipped)


# -------------------------------------------------------------------------- entry


def _as_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    return data.decode("utf-8", "replace")


def parse_feed(data: bytes | str, base_url: str = "") -> Feed:
    """Parse one feed document. `base_url` (the feed's own URL) resolves relative links
    and names the feed in errors. Raises FeedError when the document is not a feed."""
    where = base_url or "<feed>"
    raw = data.encode("utf-8") if isinstance(data, str) else data
    head = raw[:512].lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head:
        raise FeedError(where, "empty document")
    if head.startswith(b"{"):
        return _parse_json(_as_text(data), base_url)
    if _DTD_SUBSET_RE.match(raw.lstrip().removeprefix(b"\xef\xbb\xbf")):
        raise FeedError(where, "XML with a DTD internal subset (entity declarations) "
                        "is refused")
    try:
        # Text is fed as text: an encoding declaration in it must not re-decode it.
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(where, f"malformed XML ({exc})") from exc
    except ValueError as exc:  # e.g. an encoding declaration the parser does not know
        raise FeedError(where, f"unreadable XML ({exc})") from exc
    kind = _local(root.tag)
    if kind == "rss":
        return _parse_rss(root, base_url)
    if kind == "feed":
        return _parse_atom(root, base_url)
    if kind == "rdf":
        return _parse_rdf(root, base_url)
    if kind == "urlset":
        return _parse_sitemap(root, base_url)
    if kind == "sitemapindex":
        raise FeedError(where, "a sitemap index; give one of the sitemaps it lists")
    if kind == "html":
        raise FeedError(where, "an HTML page, not a feed")
    raise FeedError(where, f"not an RSS, Atom or JSON feed (root element <{kind}>)")
