"""frontwatch.feeds: RSS 2.0, RSS 1.0, Atom, JSON Feed and sitemaps to article links."""

from __future__ import annotations

import json
from datetime import date

import pytest

from frontwatch.errors import FeedError, InputError
from frontwatch.feeds import parse_date, parse_feed

BASE = "https://news.example.org/feeds/world.xml"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Northwire &amp; Partners</title>
  <link>https://news.example.org/</link>
  <atom:link href="https://news.example.org/feeds/world.xml" rel="self"/>
  <item>
    <title>Strike on &lt;b&gt;Kramatorsk&lt;/b&gt; station</title>
    <link>https://news.example.org/2022/04/08/kramatorsk</link>
    <guid isPermaLink="false">tag:northwire,2022:1</guid>
    <pubDate>Fri, 08 Apr 2022 09:15:00 +0300</pubDate>
  </item>
  <item>
    <title>Relative link</title>
    <link>/2022/11/11/kherson</link>
    <dc:date>2022-11-11T06:00:00Z</dc:date>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://news.example.org/2023/06/06/kakhovka</guid>
  </item>
  <item><title>No link at all</title><guid isPermaLink="false">x-1</guid></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://desk.example.net/">
  <title type="text">Eastern Flank Desk</title>
  <link rel="alternate" href="https://desk.example.net/"/>
  <entry>
    <title type="html">Robotyne &amp;amp; the south</title>
    <link rel="self" href="https://desk.example.net/api/1"/>
    <link rel="alternate" type="application/pdf" href="/briefs/1.pdf"/>
    <link rel="alternate" type="text/html" href="/briefs/2023-08-28"/>
    <id>urn:uuid:1</id>
    <published>2023-08-29T07:00:00+02:00</published>
    <updated>2023-08-30T07:00:00Z</updated>
  </entry>
  <entry>
    <title>Only updated</title>
    <link href="briefs/synkivka"/>
    <id>urn:uuid:2</id>
    <updated>2023-08-21T12:00:00Z</updated>
  </entry>
</feed>
"""


def test_rss_items_links_titles_and_dates() -> None:
    feed = parse_feed(RSS.encode("utf-8"), BASE)
    assert feed.kind == "rss"
    assert feed.title == "Northwire & Partners"
    assert feed.link == "https://news.example.org/"
    assert [i.url for i in feed.items] == [
        "https://news.example.org/2022/04/08/kramatorsk",
        "https://news.example.org/2022/11/11/kherson",
        "https://news.example.org/2023/06/06/kakhovka",
    ]
    first = feed.items[0]
    assert first.title == "Strike on Kramatorsk station"  # HTML in titles is flattened
    assert first.published == date(2022, 4, 8)
    assert first.guid == "tag:northwire,2022:1"
    assert feed.items[1].published == date(2022, 11, 11)
    assert feed.skipped == 1


def test_rss_given_as_text_and_with_a_bom() -> None:
    assert len(parse_feed(RSS, BASE).items) == 3
    assert len(parse_feed(b"\xef\xbb\xbf" + RSS.encode(), BASE).items) == 3


def test_rss_in_a_legacy_encoding() -> None:
    doc = ('<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>Вести</title>'
           '<item><title>Бахмут</title><link>https://ru.example/1</link></item>'
           '</channel></rss>').encode("cp1251")
    feed = parse_feed(doc, BASE)
    assert feed.title == "Вести"
    assert feed.items[0].title == "Бахмут"


def test_atom_prefers_html_alternate_and_resolves_xml_base() -> None:
    feed = parse_feed(ATOM, "https://desk.example.net/feed.atom")
    assert feed.kind == "atom"
    assert feed.title == "Eastern Flank Desk"
    assert [i.url for i in feed.items] == [
        "https://desk.example.net/briefs/2023-08-28",
        "https://desk.example.net/briefs/synkivka",
    ]
    assert feed.items[0].title == "Robotyne & the south"
    assert feed.items[0].published == date(2023, 8, 29)  # published wins over updated
    assert feed.items[1].published == date(2023, 8, 21)


def test_rss_1_0_rdf() -> None:
    doc = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://x.example/"><title>RDF wire</title></channel>
  <item rdf:about="https://x.example/a"><title>A</title><dc:date>2024-02-10</dc:date></item>
  <item rdf:about="https://x.example/b"><title>B</title><link>https://x.example/b2</link></item>
</rdf:RDF>"""
    feed = parse_feed(doc, BASE)
    assert feed.kind == "rdf"
    assert feed.title == "RDF wire"
    assert [i.url for i in feed.items] == ["https://x.example/a", "https://x.example/b2"]
    assert feed.items[0].published == date(2024, 2, 10)


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Slobidskyi Krai",
        "home_page_url": "https://krai.example/",
        "items": [
            {"id": "1", "url": "https://krai.example/kharkiv", "title": "Shahed strike",
             "date_published": "2024-02-10T05:00:00+02:00"},
            {"id": "https://krai.example/by-id", "title": "Only an id"},
            {"id": "3", "external_url": "/relative", "date_modified": "2024-02-11"},
            {"id": "4", "title": "no link"},
            "not an object",
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), "https://krai.example/feed.json")
    assert feed.kind == "json"
    assert feed.title == "Slobidskyi Krai"
    assert [i.url for i in feed.items] == [
        "https://krai.example/kharkiv", "https://krai.example/by-id",
        "https://krai.example/relative",
    ]
    assert feed.items[0].published == date(2024, 2, 10)
    assert feed.items[2].published == date(2024, 2, 11)
    assert feed.skipped == 2


def test_sitemap_with_news_extension() -> None:
    doc = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://s.example/a</loc>
    <news:news><news:publication_date>2023-10-12</news:publication_date>
    <news:title>Hroza</news:title></news:news></url>
  <url><loc>https://s.example/b</loc><lastmod>2023-10-13</lastmod></url>
</urlset>"""
    feed = parse_feed(doc, BASE)
    assert feed.kind == "sitemap"
    assert [(i.url, i.title, i.published) for i in feed.items] == [
        ("https://s.example/a", "Hroza", date(2023, 10, 12)),
        ("https://s.example/b", None, None),
    ]


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (b"<rss><channel><item></channel></rss>", "malformed XML (mismatched tag: line 1"),
        (b"<rss><channel><title>x</title>", "malformed XML (no element found"),
        (b"", "empty document"),
        (b"   \n ", "empty document"),
        (b"<html><body>Hello</body></html>", "an HTML page, not a feed"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "root element <svg>"),
        (b"<rss version='2.0'/>", "RSS document without a <channel>"),
        (b"<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>", "sitemap index"),
        (b"{not json", "malformed JSON"),
        (b'{"items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', "'items' list"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
         b"<rss><channel><title>&b;</title></channel></rss>", "DTD internal subset"),
        (b'<!-- hi --><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
         "DTD internal subset (entity declarations) is refused"),
        (b"<rss><channel><title>Caf&eacute;</title></channel></rss>",
         "malformed XML (undefined entity"),
    ],
)
def test_bad_documents_raise_a_clear_feed_error(doc: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(doc, BASE)
    assert reason in info.value.reason
    assert info.value.path == BASE
    assert isinstance(info.value, InputError)  # the batch-goes-on error family
    assert "\n" not in str(info.value)


def test_entity_text_inside_content_is_not_a_declaration() -> None:
    doc = ("<rss><channel><title>XML tips</title><item><title>On &lt;!ENTITY&gt;</title>"
           "<description><![CDATA[Never write <!ENTITY x 'y'> in a feed]]></description>"
           "<link>https://x.example/a</link></item></channel></rss>")
    assert parse_feed(doc).items[0].url == "https://x.example/a"  # parsed, not refused


def test_feed_error_without_a_base_url_names_the_feed() -> None:
    with pytest.raises(FeedError, match="<feed>: empty document"):
        parse_feed(b"")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fri, 08 Apr 2022 09:15:00 +0300", date(2022, 4, 8)),
        ("Sat, 31 Dec 2023 23:59:00 GMT", date(2023, 12, 31)),
        ("8 Apr 2022 09:15 EST", date(2022, 4, 8)),
        ("2023-06-06T05:00:00Z", date(2023, 6, 6)),
        ("2023-06-06T05:00:00.123+02:00", date(2023, 6, 6)),
        ("2023-06-06 05:00:00", date(2023, 6, 6)),
        ("2023-06-06", date(2023, 6, 6)),
        ("2023-06-06T05:00:00+0200", date(2023, 6, 6)),
        ("yesterday", None),
        ("", None),
        (None, None),
        ("2023-13-45", None),
    ],
)
def test_parse_date(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected
