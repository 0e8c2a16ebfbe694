"""Page facts shared by the field finders: the visible text, links elsewhere, site names, meta."""

from __future__ import annotations

import json

from scraper.extraction import extract
from scraper.extraction.document import load
from scraper.extraction.page import Page, links_elsewhere, page_text, site_names


def text_of(html: str) -> str:
    return page_text(Page(load(html.encode(), None).tree, None))


def test_visible_text_skips_scripts_styles_and_noscript_but_not_their_tails() -> None:
    html = (
        "<html><body>One <script>var x = 1;</script>two <style>p {}</style>three "
        "<noscript><p>enable js</p></noscript>four <!-- note -->five</body></html>"
    )
    assert text_of(html) == "One two three four five"


def test_text_after_a_second_body_is_read() -> None:
    html = "<html><body><p>First part</p></body></html><html><body><p>Second part</p></body></html>"
    assert text_of(html) == "First part Second part"


def test_many_inline_tags_with_whitespace_between_them() -> None:
    # the XPath this walk replaced was quadratic here (60,000 rows took 25 s); the time
    # bound itself is enforced from outside the worker (tests/reliability)
    rows = 20_000
    html = "<html><body>" + "<p><a>x</a> <i>y</i></p>\n" * rows + "</body></html>"
    assert text_of(html) == " ".join(["x y"] * rows)
    smaller = "<html><body>" + "<p><a>x</a> <i>y</i></p>\n" * 5_000 + "</body></html>"
    assert extract(smaller, "https://many.example/rows", timeout=60.0).body.startswith("x y")


URL = "https://harbour.example/news/ferry"


def heading_link(href: str) -> bool:
    tree = load(
        f"<html><body><h2><a href='{href}'>Ferry returns to the pier</a></h2></body></html>"
    ).tree
    return links_elsewhere(Page(tree, URL), tree.find(".//h2"))


def test_a_link_to_another_story_is_elsewhere_and_a_phone_or_app_link_is_not() -> None:
    assert heading_link("/news/bus-strike")
    # no web page at all: it says nothing about the heading
    assert not heading_link("tel:+4401234567")
    assert not heading_link("whatsapp://send?text=Ferry")


def test_a_publisher_given_as_a_list_names_the_site() -> None:
    data = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Ferry back",
            "publisher": [{"name": "Harbour Gazette"}],
        }
    )
    html = (
        f"<html><head><script type='application/ld+json'>{data}</script></head>"
        "<body><h1>Ferry back</h1><p>The ferry is back at the old pier.</p></body></html>"
    )
    assert site_names(Page(load(html).tree, URL)) == ["Harbour Gazette"]


def test_a_microdata_meta_outside_any_item_is_the_pages_own() -> None:
    html = (
        "<html><head><meta itemprop='datePublished' content='2021-05-04'></head><body>"
        "<div itemscope itemtype='https://schema.org/Review' itemprop='review'>"
        "<meta itemprop='author' content='A Reviewer'></div></body></html>"
    )
    meta = Page(load(html).tree, URL).meta
    assert meta["datepublished"] == ["2021-05-04"]
    assert "author" not in meta  # a property of a nested item is that item's
