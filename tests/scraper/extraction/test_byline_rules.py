"""Byline rules of issue #11, each with a small fixture of its own (invented names)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extraction.authors import clean_authors, names_in_line
from scraper.extraction.byline_dom import label_bylines
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata
from scraper.extraction.page import Page

NOW = datetime(2024, 6, 1, tzinfo=UTC)
URL = "https://harbour.example/news/ferry"
STORY = "<p>" + "Words of the story about the harbour and its new ferry. " * 12 + "</p>"


def meta_of(body: str, head: str = "<title>Ferry</title>") -> Metadata:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), URL).tree, URL, now=NOW)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Siri Dahl Holm og Per Aune", ("Siri Dahl Holm", "Per Aune")),
        ("Siri Dahl Holm och Per Aune", ("Siri Dahl Holm", "Per Aune")),
        ("Aino Virta ja Eero Salo", ("Aino Virta", "Eero Salo")),
        ("Jan de Wit en Piet Smit", ("Jan de Wit", "Piet Smit")),
    ],
)
def test_and_in_nordic_and_dutch_joins_two_names(value: str, names: tuple[str, ...]) -> None:
    assert clean_authors([value]) == names
    assert tuple(names_in_line(value)) == names


def test_a_newline_in_the_source_does_not_end_a_printed_byline() -> None:
    # the names sit on the label's line; the source breaks it, the page does not
    body = (
        '<ul><li>Von:\n\n  <span class="person"><a href="/p/ann-lee">Ann Lee</a>,\n </span>\n'
        '  <span class="person"><a href="/p/bo-ek">Bo Ek</a></span>\n</li></ul>' + STORY
    )
    html = f"<html><head><title>Ferry</title></head><body>{body}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ("Ann Lee", "Bo Ek")


def test_a_label_after_text_on_the_same_line_opens_no_byline() -> None:
    # "by" inside a sentence, even when the source breaks the line before it
    body = "<p>Photos of the pier shared\n<span>by</span> <a>Ann Lee</a> last week.</p>" + STORY
    html = f"<html><head><title>Ferry</title></head><body>{body}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ()
