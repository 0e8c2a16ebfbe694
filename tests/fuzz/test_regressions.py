"""Inputs the fuzzer found that once crashed a parser, kept as plain tests."""

from __future__ import annotations

import pytest

from scraper.discovery import discover
from scraper.errors import ExtractionError
from scraper.extraction import extract
from scraper.urls import InvalidURL, canonicalize, try_canonicalize


def test_a_sitemap_entry_with_an_undecodable_character_is_skipped_not_fatal() -> None:
    # lxml's recovering parser keeps a reference to a surrogate, then cannot decode the text.
    body = (
        b"<sitemapindex><sitemap><loc>&#xD800;</loc></sitemap>"
        b"<sitemap><loc>http://example.com/news.xml</loc></sitemap></sitemapindex>"
    )
    found = discover(body, "http://example.com/sitemap.xml", "sitemap")
    assert [link.url for link in found.links] == ["http://example.com/news.xml"]


def test_a_link_that_cannot_be_parsed_is_skipped_and_the_rest_kept() -> None:
    base = "http://example.com/"
    sitemap = (
        b"<urlset><url><loc>http://[broken/a</loc></url>"
        b"<url><loc>http://example.com/news/kept</loc></url></urlset>"
    )
    feed = (
        b"<rss><channel><item><link>http://[broken/b</link></item>"
        b"<item><link>http://example.com/news/kept</link></item></channel></rss>"
    )
    page = b'<html><body><a href="http://[broken/">x</a><a href="/news/kept">y</a></body></html>'
    for body, kind in ((sitemap, "sitemap"), (feed, "feed"), (page, "page")):
        found = discover(body, base, kind)
        assert [link.url for link in found.links] == ["http://example.com/news/kept"], kind


def test_a_guid_with_an_undecodable_character_is_skipped() -> None:
    body = (
        b"<rss><channel><item><guid>&#xD800;</guid></item>"
        b"<item><guid>http://example.com/news/kept</guid></item></channel></rss>"
    )
    found = discover(body, "http://example.com/feed", "feed")
    assert [link.url for link in found.links] == ["http://example.com/news/kept"]


def test_a_url_with_an_unpaired_surrogate_is_an_invalid_url() -> None:
    with pytest.raises(InvalidURL, match="surrogate"):
        canonicalize("http://example.com/\ud800")
    assert try_canonicalize("/a\udfff", base="http://example.com/") is None
    assert canonicalize("http://example.com/caf\u00e9") == "http://example.com/caf%C3%A9"


@pytest.mark.parametrize(
    "url", ["http://example.com:[/", "http://[broken/a", "http://example.com:99999/"]
)
def test_a_page_url_that_cannot_be_parsed_is_one_clear_extraction_error(url: str) -> None:
    with pytest.raises(ExtractionError, match="not a usable page URL"):
        extract("<html><body><p>Some words of a story.</p></body></html>", url)
