"""One invented page per rule of :mod:`scraper.extraction.published` and its finders: each
test fails without its rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.extraction import published
from scraper.extraction.dates import first_shown_date
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata
from scraper.extraction.page import Found

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投稿日 2021年7月3日 10:05", date(2021, 7, 3)),  # Japanese, Chinese
        ("게시 2021년 7월 3일", date(2021, 7, 3)),  # Korean
        ("Stand: 2021/07/03", date(2021, 7, 3)),  # year first: the order is never in doubt
        ("2021.7.3 | Kultur", date(2021, 7, 3)),
        ("22/11/2021 - 04:30", date(2021, 11, 22)),  # day first: 22 is no month
        ("11/22/2021 4:30 PM", date(2021, 11, 22)),  # month first: 22 is no month
    ],
)
def test_more_written_forms_of_a_day(text: str, expected: date) -> None:
    assert first_shown_date(text) == expected


def test_a_slashed_date_whose_order_is_in_doubt_is_no_date() -> None:
    assert first_shown_date("07/04/2021") is None  # April 7th or July 4th
    assert first_shown_date("07/04/2021, then 25.12.2021") == date(2021, 12, 25)


def test_a_slashed_date_beside_a_zone_of_the_united_states_is_month_first() -> None:
    eastern = timezone(timedelta(hours=-4))
    assert first_shown_date("05/03/2024 10:00 AM EDT") == datetime(2024, 5, 3, 10, tzinfo=eastern)
    assert first_shown_date("05/03/2024 10:00 a.m. ET") == datetime(2024, 5, 3, 10, tzinfo=eastern)
    # elsewhere its order is still in doubt
    assert first_shown_date("05/03/2024 10:00 GMT") is None
    assert first_shown_date("05/03/2024 10:00 CET") is None


def test_a_heuristic_day_read_day_first_from_a_date_printed_month_first_is_no_date() -> None:
    # a printed update is no publication date, and htmldate's day-first reading of the
    # same line (5 March) is not one either
    meta = meta_of("<h1>Lighthouse keeper</h1><p>Updated 05/03/2024 at 10:00 AM EDT</p>" + STORY)
    assert meta.published_at is None
    assert meta.modified_at == datetime(2024, 5, 3, 10, tzinfo=timezone(timedelta(hours=-4)))
    assert "date:htmldate-read-day-first" in meta.notes


def test_a_slashed_date_that_names_no_real_day_is_no_date() -> None:
    # day first (31 is no month), but April has 30 days: the next date is read
    assert first_shown_date("Posted 31/04/2020, updated 02.05.2020") == date(2020, 5, 2)


def test_a_written_out_day_that_does_not_exist_is_no_date() -> None:
    assert first_shown_date("30 February 2021, then 2 March 2021") == date(2021, 3, 2)


def test_a_date_inside_a_heading_under_the_headline_is_a_title_not_the_date() -> None:
    body = (
        "<h1>Lighthouse keeper</h1><h3><a href='/other'>Results of the 2021/7/11 regatta</a></h3>"
        "<div class='meta'><span>2021年07月12日</span></div>" + STORY
    )
    assert meta_of(body).published_at == date(2021, 7, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pubblicato il 12 luglio 2021", date(2021, 7, 12)),
        ("Publicado em 12 de julho de 2021", date(2021, 7, 12)),
        ("Gepubliceerd op 8 maart 2021", date(2021, 3, 8)),
        ("Опубликовано 12 июля 2021 г.", date(2021, 7, 12)),
        ("Opublikowano 3 listopada 2021", date(2021, 11, 3)),
        ("Yayınlanma 12 Temmuz 2021", date(2021, 7, 12)),
        ("نشر في 24 نيسان / أبريل 2021 09:22", date(2021, 4, 24)),  # both names of April
        ("5 كانون الثاني 2021", date(2021, 1, 5)),
    ],
)
def test_month_names_of_more_languages(text: str, expected: date) -> None:
    assert first_shown_date(text) == expected


def test_a_structured_date_written_for_people_gives_its_day() -> None:
    head = '<meta property="article:published_time" content="الخميس، 07 أكتوبر 2021 - 12:09 م">'
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head)
    assert meta.published_at == date(2021, 10, 7)


def test_no_printed_date_is_no_date_not_a_guess() -> None:
    # a stylesheet's version and a copyright year are not the story's date
    head = '<link rel="stylesheet" href="/css/site.css?v=2021-06-15">'
    body = "<h1>Lighthouse keeper</h1>" + STORY + "<footer>© 2016 Harbour News</footer>"
    assert meta_of(body, head).published_at is None


def test_the_masthead_s_today_is_not_the_story_s_day() -> None:
    body = (
        "<header><div class='logo'>Harbour News</div><span class='date'>Friday, 21 January"
        " 2022</span></header><div class='story'><p itemprop='datePublished'"
        " content='2022-01-14 10:31:00'>January 2022</p><h1>Lighthouse keeper</h1>"
        + STORY
        + "</div>"
    )
    assert meta_of(body).published_at == date(2022, 1, 14)


def test_the_date_under_the_headline_beats_the_masthead_s_today() -> None:
    body = (
        "<header><a href='/'>Harbour News</a> <span class='date'>Tue, 14 Jan 2021</span>"
        "</header><div class='story'><h2>Lighthouse keeper</h2>"
        "<p>Harbour News<br>13 Jan 2021, 22:11 GMT+10</p>" + STORY + "</div>"
    )
    found = meta_of(body).published_at
    assert found == datetime(2021, 1, 13, 22, 11, tzinfo=timezone(timedelta(hours=10)))


LONG = "<p>" + "The keeper climbs the hundred steps every evening to light the lamp. " * 4 + "</p>"


def test_a_teaser_s_time_in_a_list_of_links_is_not_the_story_s_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the page heuristic (htmldate) names a teaser's day, as it does on real pages
    teaser_day = Found(date(2022, 6, 28), "htmldate", "'2022-06-28'")
    monkeypatch.setattr(published, "_htmldate", lambda page, now: teaser_day)
    teasers = "".join(
        f"<li><time datetime='2022-06-{d} 09:28'>{d}.06.2022</time>"
        f"<a href='/story-{d}'>Another story {d}</a></li>"
        for d in (28, 20, 12)
    )
    body = (
        "<div class='story'><h1>Lighthouse keeper</h1>" + LONG + STORY + "<div class='meta'>"
        "<time datetime='2022-12-12 12:22'>12.12.2022 12:22</time></div></div>"
        f"<aside><h3>More news</h3><ul>{teasers}</ul></aside>"
    )
    assert meta_of(body).published_at == date(2022, 12, 12)


def test_a_heading_that_prints_only_a_date_is_the_date() -> None:
    # a blog's date header over the post title; the last change of the same story on
    # the 8th, printed over the post, is what a reader takes for its date
    head = '<meta property="article:published_time" content="2021-03-03T09:00:00+01:00">'
    body = (
        "<div class='post'><h2 class='date-header'><span>Monday, March 8, 2021</span></h2>"
        "<h3 class='post-title'>Lighthouse keeper</h3>" + STORY + "</div>"
    )
    assert meta_of(body, head).published_at == date(2021, 3, 8)


def test_the_days_of_the_site_menu_s_latest_stories_are_not_the_story_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the page heuristic names the day of a story listed in the site's menu
    menu_day = Found(date(2022, 11, 29), "htmldate", "'2022-11-29'")
    monkeypatch.setattr(published, "_htmldate", lambda page, now: menu_day)
    menu = "".join(
        f"<li><div><a href='/s{d}'>Story {d}</a><span>{d}.11.2022</span></div></li>"
        for d in (30, 29)
    )
    body = (
        f"<header><nav><h4>Latest</h4><ul>{menu}</ul></nav></header>"
        "<div class='story'><h1>Lighthouse keeper</h1><p class='when'>21.11.2022</p>"
        + STORY
        + "</div>"
    )
    assert meta_of(body).published_at == date(2022, 11, 21)


def test_a_dateline_opening_the_first_paragraph_is_the_date_under_the_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(published, "_htmldate", lambda page, now: None)
    head = '<meta property="article:published_time" content="2022-11-20">'
    body = "<h1>Lighthouse keeper</h1>" + LONG.replace("<p>", "<p>(21. November 2022) ") + STORY
    assert meta_of(body, head).published_at == date(2022, 11, 21)


def test_a_headline_shown_in_a_lesser_heading_has_its_date_under_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(published, "_htmldate", lambda page, now: None)
    head = '<meta property="article:published_time" content="2022-11-20">'
    body = (
        "<div class='site'>Harbour News</div><h6>Lighthouse keeper</h6>"
        "<p class='when'>21.11.2022</p>" + STORY
    )
    assert meta_of(body, head).published_at == date(2022, 11, 21)


def test_the_day_in_the_url_wins_over_a_structured_date_days_away() -> None:
    head = '<meta property="article:published_time" content="2021-03-10T08:00:00+01:00">'
    url = "https://news.example/2021/03/04/lighthouse-keeper"
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head, url=url)
    assert meta.published_at == date(2021, 3, 4)  # the URL states a day, no time
    assert "date:meta-conflicts-url" in meta.notes


@pytest.fixture
def htmldate_finds_march_4(monkeypatch: pytest.MonkeyPatch) -> None:
    """htmldate's heuristics (a third-party guess over the whole page) return 4 March 2021."""
    seen = Found(date(2021, 3, 4), "htmldate", "'2021-03-04'")
    monkeypatch.setattr(published, "_htmldate", lambda page, now: seen)


@pytest.mark.usefixtures("htmldate_finds_march_4")
def test_two_sources_on_the_page_s_day_outvote_the_structured_date() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        ' "Lighthouse keeper", "datePublished": "2021-03-10T08:00:00+01:00"}</script>'
        '<meta property="article:published_time" content="2021-03-04T08:00:00+01:00">'
    )
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head)
    # the agreeing source's instant, as it was stated
    assert meta.published_at == datetime(2021, 3, 4, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert "date:jsonld-outvoted" in meta.notes


@pytest.mark.usefixtures("htmldate_finds_march_4")
def test_a_stray_time_element_gives_way_to_the_date_the_page_shows() -> None:
    body = (
        "<h1>Lighthouse keeper</h1>" + STORY + "<p><time datetime='2021-03-10'>10 March</time></p>"
    )
    meta = meta_of(body)
    assert meta.published_at == date(2021, 3, 4)
    assert "date:time-outvoted" in meta.notes


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # structured data often holds the last update: an earlier printed label is the day
        ("4 March 2021", date(2021, 3, 4)),
        # a later printed label does not replace a full structured timestamp
        ("12 March 2021", datetime(2021, 3, 10, 8, 0, tzinfo=timezone(timedelta(hours=1)))),
    ],
)
def test_a_printed_label_beats_a_structured_timestamp_only_when_earlier(
    monkeypatch: pytest.MonkeyPatch, printed: str, expected: date
) -> None:
    monkeypatch.setattr(published, "_htmldate", lambda page, now: None)
    head = '<meta property="article:published_time" content="2021-03-10T08:00:00+01:00">'
    body = f"<h1>Lighthouse keeper</h1>{LONG}{STORY}<p>Published: {printed}</p>"
    found = meta_of(body, head).published_at
    assert found == expected and type(found) is type(expected)


def test_a_failing_page_heuristic_does_not_fail_the_extraction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("heuristic failed on odd markup")

    monkeypatch.setattr("htmldate.find_date", broken)
    meta = meta_of("<h1>Lighthouse keeper</h1><p>4 March 2021</p>" + STORY)
    assert meta.published_at == date(2021, 3, 4)


def test_htmldate_is_not_asked_when_nothing_could_overrule_the_structured_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def htmldate(page: object, now: object) -> None:
        asked.append("htmldate")

    monkeypatch.setattr(published, "_htmldate", htmldate)
    stamp = '"datePublished": "2021-03-04T08:00:00+01:00"'
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        f' "Lighthouse keeper", {stamp}}}</script>'
    )
    meta = meta_of("<h1>Lighthouse keeper</h1>" + STORY, head)
    assert meta.published_at == datetime(2021, 3, 4, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert asked == []  # one full timestamp, no other day anywhere: nothing to weigh it against
    # another day among the candidates: htmldate's day may side with it
    other = '<meta property="article:published_time" content="2021-03-02T08:00:00+01:00">'
    meta_of("<h1>Lighthouse keeper</h1>" + STORY, head + other)
    assert asked == ["htmldate"]


# ----------------------------------------------------- the story's part of the page
def test_a_date_above_the_article_holding_the_headline_is_not_its_dateline() -> None:
    from scraper.extraction.dateline import header_dates
    from scraper.extraction.page import Page

    def header(body: str) -> object:
        html = f"<html><body>{body}</body></html>"
        return header_dates(Page(load(html.encode(), None).tree, None), NOW).shown

    article = f"<h1>Lighthouse keeper</h1>{STORY}</article>"
    # a "today" bar over the content column, outside the story's <article>
    assert header(f"<div class=topbar>Friday, 31 May 2024</div><article>{article}") is None
    # the story's own dateline over its headline, inside it
    assert header(f"<article><div>Friday, 3 May 2024</div>{article}") == date(2024, 5, 3)


@pytest.mark.parametrize(
    "elsewhere",
    [
        "<div id=comments><div class=comment>Jo wrote on May 20, 2024:<p>Nice.</p></div></div>",
        "<aside><h3>Related</h3><p>Another story, May 28, 2024</p></aside>",
        "<ul><li><a href=/b>Another story</a> May 28, 2024</li></ul>",
    ],
)
def test_a_page_without_a_date_takes_none_from_comments_or_other_stories(elsewhere: str) -> None:
    meta = meta_of(f"<article><h1>Lighthouse keeper</h1>{STORY}</article>{elsewhere}")
    assert meta.published_at is None


def test_a_printed_time_and_zone_say_exactly_the_day_another_source_gives() -> None:
    # htmldate reads the day; the line under the headline gives its time and zone
    body = f"<h1>Lighthouse keeper</h1><p class=date>May 3, 2024 10:00 AM EDT</p>{STORY}"
    meta = meta_of(body)
    assert meta.published_at == datetime(2024, 5, 3, 10, 0, tzinfo=timezone(timedelta(hours=-4)))


def test_a_date_labelled_as_an_update_with_weekday_and_month_is_the_modification() -> None:
    body = (
        f"<h3>Lighthouse keeper</h3><p class=stamp>Updated Tue. Mar. 4 2014 9:05 PM EST</p>{STORY}"
    )
    meta = meta_of(body)
    assert meta.published_at is None
    assert meta.modified_at == datetime(2014, 3, 4, 21, 5, tzinfo=timezone(timedelta(hours=-5)))


def test_a_page_without_a_date_takes_none_from_a_today_bar_above_its_article() -> None:
    body = f"<div class=topbar>Friday, 31 May 2024</div><article><h1>Lighthouse keeper</h1>{STORY}"
    assert meta_of(body + "</article>").published_at is None
    # the same day inside the article is the story's
    inside = f"<article><div>Friday, 31 May 2024</div><h1>Lighthouse keeper</h1>{STORY}</article>"
    assert meta_of(inside).published_at == date(2024, 5, 31)


LD_PUBLISHED = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Lighthouse'
    ' keeper", "datePublished": "2024-05-03T10:00:00+01:00"%s}</script>'
)
PLUS1 = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    "stamp",
    [
        # one line, the update after the publication
        "<p class=meta>Published 3 May 2024 10:00 BST · Updated 4 May 2024 14:10 BST</p>",
        # the label before a <time> whose markup states the instant on the printed day
        "<p class=meta><time datetime='2024-05-03T10:00:00+01:00'>3 May 2024</time> · "
        "<span>Last updated <time datetime='2024-05-04T14:10:00+01:00'>4 May 2024</time></span></p>",
    ],
)
def test_an_update_printed_under_the_headline_is_the_modification(stamp: str) -> None:
    meta = meta_of(f"<h1>Lighthouse keeper</h1>{stamp}{STORY}", LD_PUBLISHED % "")
    assert meta.published_at == datetime(2024, 5, 3, 10, 0, tzinfo=PLUS1)
    assert meta.modified_at == datetime(2024, 5, 4, 14, 10, tzinfo=PLUS1)


def test_a_printed_update_is_the_modification_only_where_the_page_states_none() -> None:
    stamp = "<p class=meta>Updated 4 May 2024 14:10 BST</p>"
    head = LD_PUBLISHED % ', "dateModified": "2024-05-04T16:00:00+01:00"'
    meta = meta_of(f"<h1>Lighthouse keeper</h1>{stamp}{STORY}", head)
    assert meta.modified_at == datetime(2024, 5, 4, 16, 0, tzinfo=PLUS1)


def test_an_update_printed_in_the_story_s_text_is_no_modification() -> None:
    # the headline's surroundings end at the story's first paragraph of running text
    lead = (
        "<p>The harbour board said the lighthouse rules would be reviewed again after the "
        "summer, when the keeper's contract ends and the cats move ashore for the winter.</p>"
        "<p class=box>Rules updated 4 May 2024</p>"
    )
    meta = meta_of(f"<h1>Lighthouse keeper</h1>{lead}{STORY}", LD_PUBLISHED % "")
    assert meta.modified_at is None
