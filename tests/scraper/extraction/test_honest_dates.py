"""Dates are what the page stated: an instant in the page's own offset, or a day; never an
invented time or offset. One small fixture per rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.extraction import extract
from scraper.extraction.dates import first_shown_date, labelled_date
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata
from scraper.extraction.result import Provenance

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = "".join(
    f"<p>Paragraph {i} of a story about the new ferry timetable and the people who use it.</p>"
    for i in range(6)
)
EST = timezone(timedelta(hours=-5))


def meta_of(body: str, head: str = "", url: str = "https://news.example/a/story") -> Metadata:
    html = f"<html><head><title>Ferry timetable</title>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_a_printed_local_time_with_a_zone_abbreviation_is_its_true_instant() -> None:
    body = "<h1>Ferry timetable</h1><p>Published 11:47 AM EST Feb 3, 2021</p>" + STORY
    meta = meta_of(body)
    assert meta.published_at == datetime(2021, 2, 3, 11, 47, tzinfo=EST)
    assert meta.published_at == datetime(2021, 2, 3, 16, 47, tzinfo=UTC)  # the same instant
    assert meta.published_at.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a zone named by a DST-dependent name: its offset on that day
        (
            "Published: July 4, 2023 at 9:15 a.m. ET",
            datetime(2023, 7, 4, 9, 15, tzinfo=timezone(timedelta(hours=-4))),
        ),
        (
            "Veröffentlicht am 03.03.2021, 14:30 Uhr MEZ",
            datetime(2021, 3, 3, 14, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "Published 2:05 PM GMT+2, 3 March 2020",
            datetime(2020, 3, 3, 14, 5, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("Published 8:00 UTC 3 March 2020", datetime(2020, 3, 3, 8, 0, tzinfo=UTC)),
    ],
)
def test_printed_zones(text: str, expected: datetime) -> None:
    found = labelled_date(text)
    assert found == expected
    assert isinstance(found, datetime) and found.utcoffset() == expected.utcoffset()


def test_a_printed_time_without_a_zone_gives_only_the_day() -> None:
    assert labelled_date("Published 11:47 AM Feb 3, 2021") == date(2021, 2, 3)
    assert first_shown_date("19.11.2019, 14:30 Uhr") == date(2019, 11, 19)
    # words that look like zones in lower case are words ("et" is French for "and")
    assert first_shown_date("le 19.11.2019 à 14:30 et") == date(2019, 11, 19)


def test_a_twelve_hour_clock_past_twelve_is_no_time() -> None:
    # "14:30 PM" reads as no clock: the day is all that is known
    found = labelled_date("Published 14:30 PM EST Feb 3, 2021")
    assert found == date(2021, 2, 3) and not isinstance(found, datetime)


def test_midnight_written_as_24_00_is_no_time_of_that_day() -> None:
    found = labelled_date("Veröffentlicht am 03.03.2021, 24:00 Uhr MEZ")
    assert found == date(2021, 3, 3) and not isinstance(found, datetime)


def test_the_digits_of_the_date_itself_are_not_its_time() -> None:
    # "10.21" of a short-year day looks like a clock time beside "MEZ"; it is the date
    found = first_shown_date("Stand 3. 10.21 MEZ", short_years=True)
    assert found == date(2021, 10, 3) and not isinstance(found, datetime)


def test_a_day_only_page_gives_a_date() -> None:
    head = '<meta property="article:published_time" content="2021-05-04">'
    meta = meta_of("<h1>Ferry timetable</h1>" + STORY, head)
    assert meta.published_at == date(2021, 5, 4)
    assert not isinstance(meta.published_at, datetime)


def test_a_stated_offset_is_kept() -> None:
    head = '<meta property="article:published_time" content="2021-05-04T08:30:00-05:00">'
    meta = meta_of("<h1>Ferry timetable</h1>" + STORY, head)
    assert meta.published_at == datetime(2021, 5, 4, 8, 30, tzinfo=EST)
    assert meta.published_at.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]


def test_a_time_without_a_zone_is_only_a_day_unless_another_source_states_its_offset() -> None:
    alone = '<meta property="article:published_time" content="2021-05-04 08:30:00">'
    meta = meta_of("<h1>Ferry timetable</h1>" + STORY, alone)
    assert meta.published_at == date(2021, 5, 4)
    stated = '<meta name="dc.date" content="2021-05-04T08:30:00+02:00">'
    meta = meta_of("<h1>Ferry timetable</h1>" + STORY, alone + stated)
    assert meta.published_at == datetime(2021, 5, 4, 8, 30, tzinfo=timezone(timedelta(hours=2)))


def test_a_bare_day_takes_the_instant_another_source_states_on_that_day() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry",'
        ' "datePublished": "2021-05-04"}</script>'
        '<meta property="article:published_time" content="2021-05-04T08:30:00+02:00">'
    )
    meta = meta_of("<h1>Ferry timetable</h1>" + STORY, head)
    assert meta.published_at == datetime(2021, 5, 4, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    # the time of the last change on that day is not the time of publication
    changed = head.replace("article:published_time", "article:modified_time")
    assert meta_of("<h1>Ferry timetable</h1>" + STORY, changed).published_at == date(2021, 5, 4)


def test_what_was_parsed_from_where_is_recorded() -> None:
    html = (
        '<html><head><title>Ferry timetable</title><meta property="article:published_time"'
        ' content="2021-05-04T08:30:00-05:00"></head><body><h1>Ferry timetable</h1>'
        + STORY
        + "</body></html>"
    )
    result = extract(html, "https://news.example/a/story", now=NOW)
    assert Provenance("published_at", "meta", "'2021-05-04T08:30:00-05:00'") in result.provenance
    assert result.published_day == date(2021, 5, 4)


def test_the_day_of_the_last_change_is_the_day_in_the_page_s_own_offset() -> None:
    # 00:30 on the 5th at +02:00 is still the 4th in UTC: the page's day is the 5th
    html = (
        '<html><head><title>Ferry timetable</title><meta property="article:published_time"'
        ' content="2021-05-04T08:30:00+02:00"><meta property="article:modified_time"'
        ' content="2021-05-05T00:30:00+02:00"></head><body><h1>Ferry timetable</h1>'
        + STORY
        + "</body></html>"
    )
    result = extract(html, "https://news.example/a/story", now=NOW)
    assert result.modified_day == date(2021, 5, 5)
    assert extract(html.replace("article:modified_time", "x"), now=NOW).modified_day is None
