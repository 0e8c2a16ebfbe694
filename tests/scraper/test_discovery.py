"""Discovery: feeds, sitemaps and section pages yield article URLs and date hints."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from scraper.discovery import (
    ARTICLE,
    PAGE,
    SITEMAP,
    canonical_link,
    discover,
    gunzip,
    page_links,
    parse_date,
)
from tests import newssite as ns

D1 = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
D2 = datetime(2024, 3, 2, 9, 0, tzinfo=UTC)


def test_rss_items_with_dates() -> None:
    body = ns.rss([("https://e.com/a", "A", D1), ("/b", "B", D2)], "https://e.com").encode()
    found = discover(body, "https://e.com/feed", "feed")
    assert found.format == "feed"
    assert [(link.url, link.kind, link.lastmod) for link in found.links] == [
        ("https://e.com/a", ARTICLE, D1),
        ("https://e.com/b", ARTICLE, D2),
    ]


def test_rss_guid_permalink_when_no_link() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
    <item><guid>https://e.com/g1</guid></item>
    <item><guid isPermaLink="false">tag:e.com,2024:1</guid></item></channel></rss>"""
    assert [link.url for link in discover(body, "https://e.com/feed").links] == ["https://e.com/g1"]


def test_atom_entries() -> None:
    body = ns.atom([("https://e.com/x", "X", D1)], "https://e.com").encode()
    found = discover(body, "https://e.com/atom", "feed")
    assert found.format == "feed"
    assert [(link.url, link.lastmod) for link in found.links] == [("https://e.com/x", D1)]


def test_rdf_feed() -> None:
    body = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel><title>t</title></channel>
    <item rdf:about="https://e.com/r1"><title>r</title><link>https://e.com/r1</link>
    <dc:date>2024-03-01T08:30:00Z</dc:date></item></rdf:RDF>"""
    found = discover(body, "https://e.com/rdf")
    assert [(link.url, link.lastmod) for link in found.links] == [("https://e.com/r1", D1)]


def test_sitemap_urlset_with_lastmod() -> None:
    body = ns.urlset([("https://e.com/1", D1), ("https://e.com/2", None)]).encode()
    found = discover(body, "https://e.com/sitemap.xml", "sitemap")
    assert found.format == "sitemap"
    assert [(link.url, link.lastmod) for link in found.links] == [
        ("https://e.com/1", D1),
        ("https://e.com/2", None),
    ]


def test_google_news_sitemap_publication_date() -> None:
    body = ns.urlset([("https://e.com/n", D2)], news=True).encode()
    assert discover(body, "https://e.com/news.xml").links[0].lastmod == D2


def test_sitemap_index_points_at_sitemaps() -> None:
    body = ns.sitemap_index([("https://e.com/s1.xml.gz", D1), ("/s2.xml", None)]).encode()
    found = discover(body, "https://e.com/sitemap.xml", "sitemap")
    assert found.format == "sitemapindex"
    assert [(link.url, link.kind) for link in found.links] == [
        ("https://e.com/s1.xml.gz", SITEMAP),
        ("https://e.com/s2.xml", SITEMAP),
    ]


def test_gzipped_sitemap() -> None:
    body = ns.gz(ns.urlset([("https://e.com/z", None)]))
    assert [link.url for link in discover(body, "https://e.com/s.xml.gz", "sitemap").links] == [
        "https://e.com/z"
    ]


def test_gzip_bomb_sitemap_is_refused() -> None:
    bomb = gzip.compress(b"<" + b" " * (2 * 1024 * 1024))
    with pytest.raises(ValueError):
        gunzip(bomb, cap=1024 * 1024)
    assert gunzip(gzip.compress(b"abc"), cap=3) == b"abc"


def test_text_sitemap() -> None:
    body = b"https://e.com/t1\nhttps://e.com/t2\n\nnot a url\n"
    assert [link.url for link in discover(body, "https://e.com/sitemap.txt").links] == [
        "https://e.com/t1",
        "https://e.com/t2",
    ]


def test_xml_entities_are_not_expanded() -> None:
    body = b"""<?xml version="1.0"?>
    <!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY ext SYSTEM "file:///etc/passwd">]>
    <urlset><url><loc>https://e.com/&b;&ext;</loc></url></urlset>"""
    found = discover(body, "https://e.com/s.xml")
    assert all("root:" not in link.url and "aaaa" not in link.url for link in found.links)


def test_section_page_links() -> None:
    html = b"""<html><head><base href="https://e.com/news/"></head><body>
    <a href="story-1">one</a><a href="/news/story-2#c">two</a><a href="story-1">again</a>
    <a href="mailto:x@e.com">mail</a><a href="javascript:void(0)">js</a>
    <a href="https://other.org/x">other</a></body></html>"""
    assert page_links(html, "https://e.com/index") == [
        "https://e.com/news/story-1",
        "https://e.com/news/story-2#c",
        "https://other.org/x",
    ]
    found = discover(html, "https://e.com/index", "page")
    assert found.format == "html" and all(link.kind == PAGE for link in found.links)


def test_feed_seed_serving_html_is_read_as_a_page() -> None:
    html = b"<!DOCTYPE html><html><body><a href='/a'>a</a></body></html>"
    assert [link.url for link in discover(html, "https://e.com/feed", "feed").links] == [
        "https://e.com/a"
    ]


def test_canonical_link() -> None:
    html = b'<html><head><link rel="canonical" href="/news/a"></head></html>'
    assert canonical_link(html, "https://e.com/amp/a") == "https://e.com/news/a"
    assert canonical_link(b"<html></html>", "https://e.com/") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fri, 01 Mar 2024 08:30:00 GMT", D1),
        ("Fri, 01 Mar 2024 09:30:00 +0100", D1),
        ("2024-03-01T08:30:00Z", D1),
        ("2024-03-01T09:30:00+01:00", D1),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_garbage_is_not_an_error() -> None:
    assert discover(b"\x00\x01\x02", "https://e.com/x", "sitemap").links == ()
    assert discover(b"<?xml version='1.0'?><urlset><url><loc>", "https://e.com/x").links == ()
