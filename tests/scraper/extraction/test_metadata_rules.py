"""Metadata rules added for issue #3, each with a small fixture of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scraper.extraction.authors import (
    clean_authors,
    names_in_line,
    prefer_full_names,
)
from scraper.extraction.dates import day_of, first_shown_date
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def meta_of(
    body: str, head: str = "", url: str = "https://news.example/a/story", title: str = "Story"
) -> Metadata:
    html = f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def day(meta: Metadata) -> str | None:
    """The calendar day the page states for publication, as ``YYYY-MM-DD``."""
    return day_of(meta.published_at).isoformat() if meta.published_at else None


ARTICLE = "<p>" + "Some words of the story itself. " * 20 + "</p>"


# ------------------------------------------------------------------ structured data
def test_jsonld_review_inside_a_recipe_is_not_the_article() -> None:
    head = """<script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "Recipe", "name": "Plum Cake", "author": {"@type": "Person", "name": "Mia Roth"},
      "review": [{"@type": "Review", "name": "Great", "reviewBody": "Tasty",
                  "author": {"@type": "Person", "name": "hungry42"}}]}</script>"""
    meta = meta_of(ARTICLE, head)
    assert meta.authors == ("Mia Roth",)
    assert meta.headline == "Plum Cake"


def test_microdata_of_a_cited_work_is_not_the_pages() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/ScholarlyArticle">'
        '<meta itemprop="author" content="Ada Brenner">'
        '<ol><li itemprop="citation" itemscope itemtype="https://schema.org/ScholarlyArticle">'
        '<meta itemprop="author" content="K. Otto, L. Marx"></li></ol></div>' + ARTICLE
    )
    assert meta_of(body).authors == ("Ada Brenner",)


def test_author_named_after_the_host_and_more_is_the_site() -> None:
    head = '<meta name="author" content="FC Blue Lions Club">'
    body = '<p><span class="info">Geschrieben von <a href="/u/6">Hanno</a></span></p>' + ARTICLE
    meta = meta_of(body, head, url="https://bluelions.example/news/504")
    assert meta.authors == ("Hanno",)
    # with no writer printed, the site named as author is the last resort (not a person
    # found by the personal-site rule)
    meta = meta_of(ARTICLE, head, url="https://bluelions.example/news/504")
    assert meta.authors == ()
    assert meta.organisation == "FC Blue Lions Club"
    assert "authors:meta-organisation" in meta.notes


# ------------------------------------------------------------------ name cleaning
def test_a_role_word_never_cuts_a_name_down_to_one_word() -> None:
    assert clean_authors(["Roving Reporter"]) == ("Roving Reporter",)
    assert clean_authors(["Jane Doe Senior Reporter"]) == ("Jane Doe",)
    assert clean_authors(["Rechtsanwalt Jo Ek"]) == ("Jo Ek",)


def test_credentials_after_a_name_are_no_names() -> None:
    assert clean_authors(["Dana Whitfield, MS, RD"]) == ("Dana Whitfield",)


def test_a_spaced_dash_separates_names() -> None:
    assert clean_authors(["Ann Lee - Ben Ode"]) == ("Ann Lee", "Ben Ode")
    assert clean_authors(["Jean-Luc Picard"]) == ("Jean-Luc Picard",)


def test_handles_give_way_to_the_full_name_printed_on_the_page() -> None:
    assert prefer_full_names(["zoe_brandli"], ["Zoë Brändli"]) == ("Zoë Brändli",)
    assert prefer_full_names(["Nils"], ["Nils Ahrend"]) == ("Nils Ahrend",)
    assert prefer_full_names(["jonas.mertens"], []) == ("Jonas Mertens",)
    assert prefer_full_names(["Nils"], ["Ann Lee"]) == ("Nils",)


def test_a_run_of_more_than_four_words_is_no_full_name_of_a_handle() -> None:
    assert prefer_full_names(["Nils"], ["Nils Ahrend Berg Holm Dahl"]) == ("Nils",)


def test_agencies_credited_beside_a_writer_are_authors() -> None:
    # the byline credits the agency as it credits the writer: what the page says
    body = "<p><byline>Von Lena Obermaier, dpa</byline></p>" + ARTICLE
    assert meta_of(body).authors == ("Lena Obermaier", "dpa")
    body = '<p class="byline">By Lena Obermaier and AP</p>' + ARTICLE
    assert meta_of(body).authors == ("Lena Obermaier", "AP")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Henrike Vollmer und Jasper Tiedemann", ["Henrike Vollmer", "Jasper Tiedemann"]),
        ("K. L. am 14.03.2017", ["K. L."]),
        ("Zoë Brändli, Datum: 11.04.18", ["Zoë Brändli"]),
        ("Berlin aus fährt der Zug", []),
        ("lupa", ["lupa"]),
        ("Marlow September 3, 2016", ["Marlow"]),
        ("Ivy Brandt and Jo Ek", ["Ivy Brandt", "Jo Ek"]),
        ("and large, the harbour stayed calm", []),  # "By and large": no name before "and"
        ("The Light Of The Harbour Moon", []),  # a title in capitals: too long for a name
        # the next credit's label after the name's full stop; an initial ends no name
        ("Jo Ekberg. Fotos: Al Bodin", ["Jo Ekberg"]),
        ("Dr. J. Ekberg. Pictures: Al Bodin", ["Dr. J. Ekberg"]),
        ("Jo Ekberg Fotos: Al Bodin", []),  # no full stop: where the name ends is not said
    ],
)
def test_names_after_a_byline_label(line: str, names: list[str]) -> None:
    assert names_in_line(line) == names


# ------------------------------------------------------------------ printed bylines
def test_label_with_the_name_on_its_line() -> None:
    body = (
        '<div class="info"><span>Datum:</span> 04.02.2016<br><span>Autor:</span> Beat Zollinger'
        "<br><span>Quelle:</span> Agentur Nord</div>" + ARTICLE
    )
    assert meta_of(body).authors == ("Beat Zollinger",)


def test_label_before_two_linked_names() -> None:
    body = (
        '<p>Von <strong><a href="https://a.example">Henrike Vollmer</a></strong> und '
        '<strong><a href="https://b.example">Jasper Tiedemann</a></strong><br>Lübeck</p>' + ARTICLE
    )
    assert meta_of(body).authors == ("Henrike Vollmer", "Jasper Tiedemann")


def test_label_in_an_element_of_its_own() -> None:
    body = (
        '<div class="meta"><span>By</span><span><a href="/team/al-bo">Al Bo</a></span></div>'
        + ARTICLE
    )
    assert meta_of(body).authors == ("Al Bo",)
    body = (
        '<div><div class="f"><p class="label"><strong>By</strong></p></div>'
        '<div class="f"><p class="full-name">Nils Ahrend</p></div></div>' + ARTICLE
    )
    assert meta_of(body).authors == ("Nils Ahrend",)


def test_label_inside_a_sentence_or_a_form_is_no_byline() -> None:
    body = (
        '<footer><p>Licence CC BY-SA by <a href="https://x.example">Rolf Alt</a></p></footer>'
        '<form><label>Von:</label><input name="u"><a class="button">Filter</a></form>'
        "<p>Von Berlin aus fährt der Zug weiter.</p>" + ARTICLE
    )
    assert meta_of(body).authors == ()


def test_a_link_to_the_author_page_that_spells_the_name() -> None:
    body = (
        '<p class="date">Erstellt von <a href="/author/jorinde/">Jorinde</a> am 9. Juli 2015</p>'
        '<div class="x"><a href="/staff/">Our staff</a></div>' + ARTICLE
    )
    assert meta_of(body).authors == ("Jorinde",)
    body = '<dd><a href="https://mag.example/fr/staff/maelle-corbineau/">Maëlle Corbineau</a></dd>'
    assert meta_of(body + ARTICLE).authors == ("Maëlle Corbineau",)


def test_forum_thread_starter_from_data_author() -> None:
    body = (
        '<article class="message" data-author="Kaffeetasse"><div>' + ARTICLE + "</div></article>"
        '<article class="message" data-author="Other">reply</article>'
    )
    assert meta_of(body).authors == ("Kaffeetasse",)


def test_post_author_comment_named_by_its_nicename_class() -> None:
    body = (
        ARTICLE + '<div class="comment byuser comment-author-harbormike bypostauthor">'
        '<p class="comment-author">HarborMike</p><p>Thanks!</p></div>'
    )
    assert meta_of(body).authors == ("HarborMike",)


# ------------------------------------------------------------------ dates
def _dated(meta_published: str, header: str, extra: str = "") -> Metadata:
    head = (
        f'<meta property="article:published_time" content="{meta_published}">'
        '<meta property="article:modified_time" content="2023-03-15T09:40:00+01:00">'
    )
    body = f"<h1>Roads closed in the forest</h1>{header}{extra}" + ARTICLE
    return meta_of(body, head, url="https://news.example/forest-roads")


def test_the_day_printed_under_the_headline_wins_over_an_earlier_one() -> None:
    meta = _dated("2023-03-14T11:45:00+01:00", '<div class="d">Mittwoch, 15.03.2023 - 09:40</div>')
    assert day(meta) == "2023-03-15"
    assert "published:header-agrees" in meta.notes


def test_a_later_printed_day_wins_even_without_a_source_agreeing() -> None:
    meta = _dated("2017-06-05T18:20:11+02:00", '<a class="date"> 06.06.17 </a>')
    assert day(meta) == "2017-06-06"
    assert "published:header" in meta.notes


def test_a_later_printed_day_stays_a_day_beside_a_utc_instant() -> None:
    head = '<meta property="article:published_time" content="2023-03-14T23:30:00Z">'
    body = '<h1>Roads closed in the forest</h1><div class="d">15.03.2023</div>' + ARTICLE
    meta = meta_of(body, head)
    # no offset is invented to put the instant on the printed day: the printed day is a day
    assert meta.published_at == date(2023, 3, 15)
    assert "published:header" in meta.notes


def test_a_printed_day_earlier_than_the_structured_one_is_not_taken() -> None:
    meta = _dated("2023-03-14T11:45:00+01:00", '<time class="updated">9. März 2023</time>')
    assert day(meta) == "2023-03-14"


def test_a_hidden_date_is_not_printed() -> None:
    meta = _dated(
        "2023-03-14T11:45:00+01:00",
        '<span class="updated rich-snippet-hidden">2023-03-15T09:40:00+01:00</span>',
    )
    assert day(meta) == "2023-03-14"


def test_the_standfirst_does_not_end_the_headline_area() -> None:
    standfirst = "Rangers closed three forest roads after storms, and the county says it " * 3
    head = (
        f'<meta name="description" content="{standfirst}">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Roads",'
        ' "datePublished": "2015-04-21", "dateModified": "2018-10-02T10:00:00Z"}</script>'
    )
    body = (
        f'<h1>Roads</h1><p class="dek">{standfirst}</p>'
        '<div class="timestamp">October 02, 2018</div>' + ARTICLE
    )
    meta = meta_of(body, head)
    assert day(meta) == "2018-10-02"


@pytest.mark.parametrize(
    "printed",
    [
        '<div class="timestamp">Updated October 02, 2018</div>',
        "<p>Akt.: 2. Oktober 2018 - 20.05 Uhr</p>",
        "<p><span>Mis à jour le</span> <time>2 octobre 2018</time></p>",
    ],
)
def test_a_printed_update_is_not_the_publication_date(printed: str) -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Roads",'
        ' "datePublished": "2015-04-21"}</script>'
    )
    meta = meta_of(f"<h1>Roads</h1>{printed}" + ARTICLE, head)
    assert day(meta) == "2015-04-21"


def test_a_date_in_a_list_of_teasers_under_the_headline_is_theirs() -> None:
    head = '<meta property="article:published_time" content="2022-12-12">'
    body = (
        "<h1>Roads</h1><ul><li><a href='/other'>Older story</a> "
        "<time datetime='2023-01-10'>10.01.2023</time></li></ul>" + ARTICLE
    )
    assert day(meta_of(body, head)) == "2022-12-12"


def test_the_nearer_printed_day_above_a_headline_set_in_h2() -> None:
    body = (
        '<h1>lettres.example</h1><div class="meta"><span>Par Jo Ek</span> | 17 avril 2016'
        "</div><h2>Trois ans sur le port</h2><p>Short.</p><p>More.</p><p>Even more.</p>"
        "<p>And more.</p><i>Article mis à jour le 2 mai 2019.</i>" + ARTICLE
    )
    meta = meta_of(body, '<meta property="og:title" content="Trois ans sur le port">')
    assert meta.headline == "Trois ans sur le port"
    assert day(meta) == "2016-04-17"


def test_a_two_digit_year_is_the_last_resort() -> None:
    meta = meta_of("<h1>Forum thread</h1><div>" + ARTICLE + "</div><span>14.11.18</span>")
    assert day(meta) == "2018-11-14"
    text = "Version 1.2.23, released 3 March 2020"
    assert first_shown_date(text) == date(2020, 3, 3)
    assert first_shown_date(text, short_years=True) == date(2023, 2, 1)


# ------------------------------------------------------------------ headlines
def test_the_page_heading_beats_a_different_seo_title() -> None:
    head = '<meta property="og:title" content="Winter Checklist | Journal | Shop now!">'
    meta = meta_of("<h1>My winter checklist for the boat</h1>" + ARTICLE, head)
    assert meta.headline == "My winter checklist for the boat"


def test_but_not_when_json_ld_and_open_graph_agree_on_another() -> None:
    head = (
        '<meta property="og:title" content="The quietest harbour in the north">'
        '<script type="application/ld+json">{"@type": "BlogPosting",'
        ' "headline": "The quietest harbour in the north"}</script>'
    )
    meta = meta_of("<h1>Why not this year...</h1>" + ARTICLE, head)
    assert meta.headline == "The quietest harbour in the north"


def test_a_heading_with_a_kicker_inside_is_not_taken_alone() -> None:
    head = '<meta property="og:title" content="Big tasks for the new harbour board">'
    body = '<h1><span class="kicker">Norway</span> Big tasks for a new board</h1>' + ARTICLE
    assert meta_of(body, head).headline == "Big tasks for the new harbour board"


def test_a_heading_that_only_links_home_names_the_site() -> None:
    title = "Harbour notes » Blog Archive » Ferries go electric in Norway"
    body = '<h1><a href="https://web.archive.org/web/2014/http://www.harbournotes.example/">Harbour notes</a></h1>'
    meta = meta_of(body + ARTICLE, url="https://web.archive.org/web/2014/x", title=title)
    assert meta.headline == "Ferries go electric in Norway"


def test_a_heading_marked_as_the_site_title_is_not_the_headline() -> None:
    head = '<meta property="og:title" content="Sea fog over the harbour | My blog">'
    body = '<h1 class="site-title">Life, the sea and me</h1>' + ARTICLE
    meta = meta_of(body, head, title="Sea fog over the harbour | My blog")
    assert meta.headline == "Sea fog over the harbour"


def test_badges_inside_a_heading_are_not_part_of_it() -> None:
    head = '<meta property="og:title" content="Release Notes - Update 2.13 - Hotfix Build">'
    body = (
        '<h1><a href="/t/812/"><span class="label label--blue">Release Notes</span>'
        '<span class="label-append"> </span>Update 2.13 - Hotfix Build</a></h1>'
    )
    assert meta_of(body + ARTICLE, head).headline == "Update 2.13 - Hotfix Build"


def test_a_heading_that_opens_the_og_title_before_a_comma() -> None:
    head = '<meta property="og:title" content="Ferry sails to Malmö, Sweden">'
    body = '<h2>Göteborg</h2><h1 class="entry-title">Ferry sails to Malmö</h1><p>x</p>'
    assert meta_of(body + ARTICLE, head).headline == "Ferry sails to Malmö"


def test_the_headline_copy_in_a_sticky_site_header_is_not_the_anchor() -> None:
    head = '<meta property="article:published_time" content="2021-04-08T06:00:00Z">'
    body = (
        '<header class="site-header"><h1>The Budget Countdown</h1>'
        '<span class="below-date">Apr. 9, 2021</span></header>'
        "<main><article><header><h1>The Budget Countdown</h1>"
        '<p class="byline">Apr. 8, 2021</p></header>' + ARTICLE + "</article></main>"
    )
    meta = meta_of(body, head)
    assert day(meta) == "2021-04-08"


def test_no_heading_shows_the_headline_so_no_printed_day_is_read() -> None:
    head = (
        '<meta property="og:title" content="Ferries go electric">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Ferries go electric", "datePublished": "2014-02-11"}</script>'
    )
    body = "<h1>Latest posts</h1><p>23.06.2015</p>" + ARTICLE
    meta = meta_of(body, head)
    assert day(meta) == "2014-02-11"


def test_a_printed_day_at_the_time_of_the_fetch_may_be_the_sites_today() -> None:
    head = '<meta property="article:published_time" content="2024-05-20T08:00:00Z">'
    body = "<h1>Roads closed in the forest</h1><p>31.05.2024</p>" + ARTICLE  # NOW is 1 June
    meta = meta_of(body, head)
    assert day(meta) == "2024-05-20"
