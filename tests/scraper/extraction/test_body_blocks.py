"""Reading trafilatura's body tree as blocks: loose text in the body."""

from __future__ import annotations

from lxml import etree

from scraper.extraction import extract
from scraper.extraction.body import blocks_of


def test_loose_prose_after_a_heading_is_a_paragraph_and_fragments_are_not() -> None:
    body = etree.fromstring(
        "<body><head>Harbour works</head>The dredging of the inner basin will start in "
        "March and last two summers.<p>Boats will moor at the outer quay meanwhile, "
        "the harbour master said.</p>About us<p>Fishing crews were told on Monday.</p></body>"
    )
    texts = [b.text for b in blocks_of(body)]
    assert texts == [
        "Harbour works",
        "The dredging of the inner basin will start in March and last two summers.",
        "Boats will moor at the outer quay meanwhile, the harbour master said.",
        "Fishing crews were told on Monday.",
    ]


def test_page_that_is_bare_text_keeps_it() -> None:
    html = "<!DOCTYPE html><html><head></head><body>\n  Closed today\n</body></html>"
    assert extract(html, "https://shop.example/notice").body == "Closed today"
