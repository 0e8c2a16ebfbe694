"""A fact check's JSON-LD describes two works: the review (the page's article) and the
statement it reviews, with the statement's own date and author."""

from __future__ import annotations

from datetime import UTC, date, datetime

from scraper.extraction.document import load
from scraper.extraction.metadata import extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = "<p>" + "The claim about the ferry fares does not hold up, the records show. " * 10 + "</p>"


def test_the_reviewed_statement_is_not_the_article() -> None:
    head = """<title>Fact check: ferry fares</title>
    <script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "ClaimReview", "datePublished": "2023-04-12", "url": "https://check.example/x",
      "author": {"@type": "Person", "name": "Ann Lee"},
      "claimReviewed": "Ferry fares doubled last year",
      "itemReviewed": {"@type": "CreativeWork", "datePublished": "2023-03-02",
        "name": "A post on a social network",
        "author": {"@type": "Person", "name": "Some Claimant"}},
      "reviewRating": {"@type": "Rating", "alternateName": "False"}}</script>"""
    html = f"<html><head>{head}</head><body><h1>Fact check: ferry fares</h1>{STORY}</body></html>"
    url = "https://check.example/x"
    meta = extract_metadata(load(html.encode(), url).tree, url, now=NOW)
    assert meta.published_at == date(2023, 4, 12)
    assert meta.authors == ("Ann Lee",)


def test_a_date_in_the_sites_header_bar_is_not_the_storys() -> None:
    head = '<title>Ferry fares</title><meta property="article:published_time" content="2023-04-12">'
    body = (
        '<header class="masthead"><nav><span class="today">Friday, 5 May 2023</span></nav></header>'
        "<main><article><h1>Ferry fares</h1>" + STORY + "</article></main>"
    )
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    url = "https://check.example/fares"
    meta = extract_metadata(load(html.encode(), url).tree, url, now=NOW)
    assert meta.published_at == date(2023, 4, 12)
