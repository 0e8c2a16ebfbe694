"""Metadata rules: sources, precedence and validation, one small fixture each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from scraper.extraction import extract
from scraper.extraction.headline_title import strip_site_name

from .conftest import page


def test_jsonld_graph_article_with_id_references() -> None:
    result = extract(page("jsonld_graph.html"), "https://nordblick.example/lokales/x")
    assert result.headline == "Neue Brücke über die Elbe eröffnet"
    # Person via @id, inline Person; the Organization listed as author is not a person
    assert result.authors == ("Anna Schmidt", "Jonas Weber")
    assert result.published_at == datetime(2022, 9, 1, 7, 15, tzinfo=timezone(timedelta(hours=2)))
    assert result.modified_at == datetime(2022, 9, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert result.canonical_url == "https://nordblick.example/lokales/neue-bruecke-elbe-123"
    assert result.site_name == "Nordblick Zeitung"
    assert result.language == "de"
    assert result.description and result.description.startswith("Nach drei Jahren")


def test_meta_tags_author_cleaned_and_site_name_stripped() -> None:
    result = extract(page("meta_only.html"), "https://valley.example/news/storm")
    assert result.headline == "Storm Knocks Out Power Across the Valley"
    # "By", the role and "Email the author" go; the facebook URL in article:author is no name
    assert result.authors == ("Jane Doe",)
    assert result.published_at == datetime(2021, 2, 3, 6, 5, tzinfo=UTC)
    assert result.modified_at == datetime(2021, 2, 3, 10, 0, tzinfo=UTC)
    assert result.site_name == "Valley Daily News"


def test_microdata_author_and_date_and_comment_authors_ignored() -> None:
    result = extract(page("microdata.html"), "https://lyon.example/marche")
    assert result.headline == "Le marché de Noël ouvre ses portes"
    assert result.authors == ("Claire Martin",)
    assert result.published_day == date(2020, 11, 27)
    assert result.language == "fr"


def test_dom_byline_with_two_authors_and_credit() -> None:
    result = extract(page("byline_dom.html"), "https://bakery.example/award")
    assert result.headline == "Local Bakery Wins National Award"
    assert result.authors == ("Sam Green", "Lee Park")


def test_date_from_url_when_the_page_has_none() -> None:
    result = extract(page("url_date.html"), "https://garden.example/2021/05/04/garlic")
    assert result.published_at == date(2021, 5, 4)  # a day, not midnight UTC
    assert not isinstance(result.published_at, datetime)
    assert "published:url" in result.notes


def test_future_date_is_rejected() -> None:
    future = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = page("meta_only.html").decode().replace("2021-02-03T06:05:00Z", future)
    result = extract(html, "https://valley.example/news/storm")
    assert result.published_day is None or result.published_day <= datetime.now(UTC).date()


def test_utc_instant_prefers_the_pages_own_offset() -> None:
    html = (
        page("meta_only.html")
        .decode()
        .replace(
            '<meta property="article:modified_time" content="2021-02-03T10:00:00Z">',
            '<meta name="date" content="2021-02-03T07:05:00+01:00">',
        )
    )
    result = extract(html, "https://valley.example/news/storm")
    assert isinstance(result.published_at, datetime)
    assert result.published_at.utcoffset() == timedelta(hours=1)


def test_site_name_stripping() -> None:
    assert (
        strip_site_name("Headline here | Harbor Gazette", ["Harbor Gazette"], "harbor.example")
        == "Headline here"
    )
    assert (
        strip_site_name("Harbor Gazette » Headline here", ["Harbor Gazette"], "") == "Headline here"
    )
    assert strip_site_name("Headline - harbor.example", [], "www.harbor.example") == "Headline"
    assert (
        strip_site_name("Ein Jahr: Proteste gehen weiter", ["Zeitung"], "z.example")
        == "Ein Jahr: Proteste gehen weiter"
    )


def test_a_title_segment_without_letters_or_digits_is_decoration() -> None:
    assert strip_site_name("Ferry returns to the pier | ***", [], "harbor.example") == (
        "Ferry returns to the pier"
    )


def test_a_bare_title_of_three_dashed_parts_gives_its_longest() -> None:
    html = (
        "<html><head><title>Valley Courier - Ferry returns to the old pier - Local news"
        "</title></head><body><p>"
        + "Words of a story about the ferry and the pier. " * 8
        + "</p></body></html>"
    )
    headline = extract(html, "https://harbor.example/a?id=7").headline
    assert headline == "Ferry returns to the old pier"


def test_headline_from_title_only_drops_the_site_segment() -> None:
    html = (
        "<html><head><title>Alles neu im Mai | Bibliothek und mehr</title></head><body>"
        "<h1>Bibliothek und mehr</h1><div class='post'><h2 class='entry-title'>Alles neu im Mai</h2>"
        "<p>Ein Text über den Mai, der lang genug ist, um als Artikel erkannt zu werden, mit vielen Wörtern.</p></div></body></html>"
    )
    assert extract(html, "https://bibliothek.example/mai").headline == "Alles neu im Mai"


def test_post_author_comment_names_the_author_when_nothing_else_does() -> None:
    story = " ".join(
        f"Sentence {i} about a walk through the old town in the first snow of winter."
        for i in range(8)
    )
    html = (
        f"<html><head><title>Winter walk</title></head><body><article><h1>Winter walk</h1><p>{story}</p></article>"
        '<ol class="commentlist">'
        '<li class="comment byuser comment-author-anna"><cite class="fn">Anna</cite> says: Lovely!</li>'
        '<li class="comment byuser comment-author-wanderlust bypostauthor"><cite class="fn">wanderlust</cite> says: Thanks!</li>'
        "</ol></body></html>"
    )
    assert extract(html, "https://wanderlust.example/winter-walk").authors == ("wanderlust",)


def test_blog_named_after_its_author_keeps_the_byline() -> None:
    story = " ".join(
        f"Sentence {i} about the books I read this month and what I thought of them."
        for i in range(8)
    )
    html = (
        '<html><head><title>Books in October | surfer</title><meta name="twitter:site" content="@surfer"></head>'
        f'<body><article><h1>Books in October</h1><span class="byline"><span class="author vcard">'
        f'<a class="url fn n" href="/author/surfer/">surfer</a></span></span><p>{story}</p></article></body></html>'
    )
    assert extract(html, "https://surfer.example/books").authors == ("surfer",)


def test_organisation_in_author_meta_gives_way_to_the_printed_byline() -> None:
    story = " ".join(
        f"Sentence {i} about the foundation's new programme for rural schools." for i in range(8)
    )
    page_html = (
        '<html><head><meta name="author" content="Musterstiftung e.V."><title>New programme</title></head>'
        f'<body><article><h1>New programme</h1><p class="byline">Von Eva Berger</p><p>{story}</p></article></body></html>'
    )
    assert extract(page_html, "https://stiftung.example/programm").authors == ("Eva Berger",)
    # with no person anywhere, the page credits an organisation: not a person
    alone = extract(
        page_html.replace('<p class="byline">Von Eva Berger</p>', ""),
        "https://stiftung.example/programm",
    )
    assert alone.authors == ()
    assert alone.organisation == "Musterstiftung e.V."


def test_utc_instant_a_day_off_the_url_day_keeps_the_offset_it_stated() -> None:
    html = page("meta_only.html").decode().replace("2021-02-03T06:05:00Z", "2021-02-04T05:30:00Z")
    result = extract(html, "https://valley.example/2021/02/03/storm")
    # no offset is invented to make the instant fall on the URL's day
    assert result.published_at == datetime(2021, 2, 4, 5, 30, tzinfo=UTC)
    assert result.published_day == date(2021, 2, 4)
    assert "date:meta-a-day-off-url" in result.notes


def test_a_time_element_of_a_related_story_loses_to_the_pages_shown_date() -> None:
    story = " ".join(
        f"Sentence {i} about baking a cake with mandarins and sour cream for the family."
        for i in range(8)
    )
    html = (
        "<html><head><title>Mandarin cake</title></head><body><article><h1>Mandarin cake</h1>"
        f'<div class="entry-date">2011-05-17</div><p>{story}</p></article>'
        '<aside class="related"><ul><li><a href="/x">Lemon pie</a> <time datetime="2019-02-03">03.02.2019</time>'
        "</li></ul></aside></body></html>"
    )
    result = extract(html, "https://recipes.example/mandarin-cake")
    assert result.published_day == date(2011, 5, 17)


def test_printed_publication_label_beats_a_bare_meta_day() -> None:
    result = extract(page("labelled_date.html"), "https://verband.example/presse/praesidentin")
    assert result.published_day == date(2017, 6, 21)
    assert "published:label" in result.notes


def test_labelled_date_formats() -> None:
    from scraper.extraction.dates import labelled_date

    assert labelled_date("Erschienen am: 21.06.2017") == date(2017, 6, 21)
    assert labelled_date("Veröffentlicht am Mi, 8. Februar 2017") == date(2017, 2, 8)
    assert labelled_date("PUBLISHED: July 5, 2018") == date(2018, 7, 5)
    assert labelled_date("Published: 3 March 2020") == date(2020, 3, 3)
    assert labelled_date("Veröffentlicht am 12.09.18 von") == date(2018, 9, 12)
    assert labelled_date("published 2019 books, 3 March 2020") is None


def test_utc_instant_near_midnight_is_kept_as_stated() -> None:
    result = extract(page("utc_midnight.html"), "https://reise.example/artikel/provence")
    # 22:00Z may be local midnight somewhere; the page does not say where: no offset invented
    assert result.published_at == datetime(2021, 10, 16, 22, 0, tzinfo=UTC)
    assert result.published_day == date(2021, 10, 16)


def test_byline_with_lead_in_words_anywhere_on_the_page_but_not_in_comments() -> None:
    result = extract(page("blog_beitrag_von.html"), "https://ethik.example/blog/vegetarierin")
    assert result.authors == ("Ilse Wendtland",)


def test_name_after_by_in_a_byline_element_with_a_date() -> None:
    result = extract(page("posted_on_by.html"), "https://trails.example/gear/pack")
    assert result.authors == ("Ada Tizl",)


def test_personal_site_named_after_its_owner() -> None:
    result = extract(page("personal_site.html"), "https://gregorsandberg.com/blog/python3")
    assert result.authors == ("Gregor Sandberg",)
    # a host that is not the name gives nothing
    assert extract(page("personal_site.html"), "https://codenotes.com/blog/python3").authors == ()


def test_trailing_lower_case_words_and_widget_labels_are_not_names() -> None:
    from scraper.extraction.authors import clean_authors

    assert clean_authors(["Aurélien Roux le"]) == ("Aurélien Roux",)
    assert clean_authors(["anzeigen"]) == ()
    assert clean_authors(["Quelle"]) == ()
    assert clean_authors(["Ludwig van Beethoven"]) == ("Ludwig van Beethoven",)


def test_first_printed_day_when_the_page_has_no_other_date() -> None:
    result = extract(page("shown_date_only.html"), "https://energie.example/presse/windpark.html")
    assert result.published_day == date(2016, 9, 14)
    # printed right under the headline, so the header rule finds it before the last resort
    assert "published:header" in result.notes


def test_first_shown_date_is_day_first_and_skips_short_years() -> None:
    from scraper.extraction.dates import first_shown_date

    assert first_shown_date("Version 1.2.23 vom 4. 2. 2022") == date(2022, 2, 4)
    assert first_shown_date("Tip of the day, 18 August 2012") == date(2012, 8, 18)
    assert first_shown_date("user14.11.18 09:12") is None
