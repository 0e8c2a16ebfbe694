"""A malformed address anywhere in a page (a canonical link, a share link, a heading's
link) is skipped; it does not cost the page its extraction."""

from __future__ import annotations

import pytest

from scraper.extraction import extract
from scraper.urls import join_url, split_url

STORY = "<p>" + "The ferry returned to the old pier after three weeks of repairs. " * 12 + "</p>"


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="canonical" href="http://[::1">',
        '<meta property="og:url" content="https://harbour.example:99999/x">',
    ],
)
def test_a_malformed_canonical_address_is_skipped(markup: str) -> None:
    html = f"<html><head>{markup}</head><body><h1>Ferry back</h1>{STORY}</body></html>"
    result = extract(html, "https://harbour.example/news/ferry")
    assert result.canonical_url == "https://harbour.example/news/ferry"
    assert "three weeks of repairs" in result.body


def test_malformed_links_in_headings_and_share_buttons_are_skipped() -> None:
    html = (
        "<html><head></head><body>"
        '<h2 class="headline"><a href="http://[::1/x">Ferry returns to the old pier</a></h2>'
        '<a href="http://[::1/share?title=Ferry+returns">Share</a>'
        f"{STORY}</body></html>"
    )
    result = extract(html, "https://harbour.example/news/ferry")
    assert result.headline == "Ferry returns to the old pier"


def test_split_and_join_give_none_for_what_cannot_be_parsed() -> None:
    assert split_url("http://[::1") is None
    assert split_url("https://a.example:99999/") is None
    assert join_url("https://a.example/x/", "http://[::1/") is None
    assert join_url("https://a.example/x/", "y?z=1") == "https://a.example/x/y?z=1"
    parts = split_url(" https://a.example/p ")
    assert parts is not None and parts.hostname == "a.example"


@pytest.mark.parametrize("url", ["http://[::1/news/ferry", "https://harbour.example:99999/x"])
def test_a_page_address_that_cannot_be_parsed_is_refused_up_front(url: str) -> None:
    from scraper.errors import ExtractionError

    html = f"<html><head></head><body><h1>Ferry back</h1>{STORY}</body></html>"
    with pytest.raises(ExtractionError, match="not a usable page URL"):
        extract(html, url)
