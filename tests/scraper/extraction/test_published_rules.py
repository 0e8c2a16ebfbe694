"""One invented page per rule of :mod:`scraper.extraction.published` and its finders: each
test fails without its rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = "".join(
    f"<p>Paragraph {i} of a story about the harbour's new lighthouse keeper and her cats.</p>"
    for i in range(6)
)
PLUS2 = timezone(timedelta(hours=2))


def meta_of(body: str, head: str = "", url: str = "https://news.example/a/story") -> Metadata:
    html = f"<html><head><title>Lighthouse keeper</title>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_the_same_instant_in_another_offset_does_not_outvote_the_page_s_own_offset() -> None:
    # 01:30 on the 5th at +02:00 is 23:30 on the 4th in UTC: one moment, not a conflict
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        ' "Lighthouse keeper", "datePublished": "2021-03-05T01:30:00+02:00"}</script>'
        '<meta property="article:published_time" content="2021-03-04T23:30:00+00:00">'
    )
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head)
    assert meta.published_at == datetime(2021, 3, 5, 1, 30, tzinfo=PLUS2)
    assert meta.published_at.utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]


def test_json_ld_wrapped_in_a_bare_cdata_section_is_read() -> None:
    head = (
        '<script type="application/ld+json">\n  <![CDATA[\n  {"@type": "NewsArticle",'
        ' "headline": "Lighthouse keeper", "datePublished": "2021-03-04T08:00:00+02:00"}\n'
        "  ]]>\n</script>"
    )
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head)
    assert meta.published_at == datetime(2021, 3, 4, 8, 0, tzinfo=PLUS2)
