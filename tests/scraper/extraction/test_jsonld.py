"""Reading JSON-LD (:mod:`scraper.extraction.jsonld`): one invented block per rule, each
test failing without its rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from scraper.extraction.document import load
from scraper.extraction.jsonld import iter_nodes, text_value
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = "".join(
    f"<p>Paragraph {i} of a story about the night ferry and the crew that keeps it running.</p>"
    for i in range(6)
)
ARTICLE = (
    '{"@type": "NewsArticle", "headline": "Night ferry",'
    ' "author": {"@type": "Person", "name": "Ann Lee"}}'
)


def ld(block: str) -> str:
    return f'<script type="application/ld+json">{block}</script>'


def meta_of(head: str, url: str = "https://news.example/a/story") -> Metadata:
    html = (
        f"<html><head><title>Night ferry</title>{head}</head>"
        f"<body><h1>Night ferry</h1>{STORY}</body></html>"
    )
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_a_node_typed_with_a_list_of_types_is_the_article() -> None:
    head = ld(ARTICLE.replace('"NewsArticle"', '["NewsArticle", "Article"]'))
    assert meta_of(head).authors == ("Ann Lee",)


def test_of_several_objects_pasted_into_one_block_the_first_is_read() -> None:
    head = ld(ARTICLE + '\n{"@type": "WebSite", "name": "Harbour Post"}')
    assert meta_of(head).authors == ("Ann Lee",)


def test_a_broken_block_is_skipped_and_the_others_are_read() -> None:
    head = ld('{"@type": "WebSite", "name": "Harbour Post",}}') + ld(ARTICLE)
    assert meta_of(head).authors == ("Ann Lee",)


def test_a_web_page_node_gives_the_dates_when_no_article_node_does() -> None:
    head = ld(
        '{"@type": "WebPage", "name": "Night ferry", "datePublished": "2021-03-04T08:00:00+01:00"}'
    )
    meta = meta_of(head)
    assert meta.published_at == datetime(2021, 3, 4, 8, 0, tzinfo=timezone(timedelta(hours=1)))


def test_a_date_given_as_a_typed_value_is_read() -> None:
    head = ld(
        '{"@type": "NewsArticle", "headline": "Night ferry",'
        ' "datePublished": {"@type": "Date", "@value": "2021-03-04"}}'
    )
    found = meta_of(head).published_at
    assert found == date(2021, 3, 4) and not isinstance(found, datetime)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2049, "2049"),  # a number is text too (a film called "2049")
        (True, None),  # a flag is not
        (["", "Night ferry"], "Night ferry"),  # the first value that says something
        ({"@type": "Text", "@value": "Night ferry"}, "Night ferry"),
        ({"@type": "Person", "name": "Ann Lee"}, "Ann Lee"),
        ({"url": "https://news.example/a/story"}, "https://news.example/a/story"),
        ({"@type": "Thing"}, None),
    ],
)
def test_text_value_of_each_shape_a_value_takes(value: Any, expected: str | None) -> None:
    assert text_value(value) == expected


def test_nodes_nested_deeper_than_twelve_levels_are_not_walked() -> None:
    # a bound on hostile or runaway data: the walk stops, the page is still read
    deep: Any = {"@type": "NewsArticle", "headline": "Buried"}
    for _ in range(13):
        deep = [deep]
    nodes = list(iter_nodes({"@type": "WebSite", "name": "Harbour Post", "x": deep}))
    assert [n.get("@type") for n in nodes] == ["WebSite"]
