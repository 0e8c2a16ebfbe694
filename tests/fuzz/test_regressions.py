"""Inputs the fuzzer found that once crashed a parser, kept as plain tests."""

from __future__ import annotations

from scraper.discovery import discover


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
