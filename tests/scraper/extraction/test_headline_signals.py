"""Headline signals for pages without structured data, each with a fixture of its own:
the part of ``<title>`` the page prints, a heading the URL's slug spells, a ``<title>``
that only names the site."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extraction.document import load
from scraper.extraction.headline_printed import agrees_with_slug, title_parts, url_slug
from scraper.extraction.headline_title import MAX_TITLE_PARTS, title_segments
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
ARTICLE = "<p>" + "Some words of the story itself. " * 20 + "</p>"


def meta_of(body: str, title: str, url: str = "https://news.example/a/story?id=7") -> Metadata:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def headline_on_a_host_named_page(body: str) -> str | None:
    """The headline of a page whose ``<title>`` only names the host: the marked heading's."""
    return meta_of(body, "Harbourpost", "https://harbourpost.example/article.aspx?id=9").headline


def test_title_parts_split_at_breadcrumbs_and_double_dashes() -> None:
    parts = title_parts("Harbour Post > Local -- Ferry returns to the old pier")
    assert parts[0] == "Harbour Post > Local -- Ferry returns to the old pier"
    assert "Ferry returns to the old pier" in parts
    assert "Harbour Post" in parts


def test_runs_of_a_title_s_parts_are_formed_among_its_first_parts_only() -> None:
    # runs of n parts number n² and each is up to n long: a title of a thousand parts
    # took minutes and gigabytes
    title = " | ".join(f"Part {i}" for i in range(1000))
    runs = MAX_TITLE_PARTS * (MAX_TITLE_PARTS + 1) // 2
    parts = title_parts(title)
    assert parts[0] == title and parts[1] == "Part 0"  # the whole title first
    assert len(parts) <= 1 + runs
    assert "Part 12" not in " ".join(parts[1:])
    assert len(title_segments(title)) <= runs
    assert len(title_parts("Ferry back | Harbour Times")) == 3  # a real title: every run


def test_breadcrumb_title_gives_the_part_printed_on_the_page() -> None:
    body = (
        "<div class=logo>Harbour Post</div><table><tr><td><b>Ferry returns to the old pier</b>"
        f"</td></tr></table>{ARTICLE}"
    )
    meta = meta_of(body, "Harbour Post > Local > Ferry returns to the old pier")
    assert meta.headline == "Ferry returns to the old pier"


def test_site_suffix_without_a_known_site_name_goes_when_the_rest_is_printed() -> None:
    body = f"<font size=4>Council votes on the new bridge</font>{ARTICLE}"
    meta = meta_of(body, "Council votes on the new bridge - Valley Evening Courier")
    assert meta.headline == "Council votes on the new bridge"


def test_a_printed_part_of_two_words_is_a_section_not_the_headline() -> None:
    body = f"<div>Local News</div><p>Council votes on the new bridge today</p>{ARTICLE}"
    meta = meta_of(body, "Council votes on the new bridge today | Local News")
    assert meta.headline == "Council votes on the new bridge today"


def test_url_slug_words() -> None:
    assert url_slug("https://a.example/2008/01/ferry-returns-to-the-old-pier-123456.html") == (
        "ferryreturnstotheoldpier"
    )
    assert url_slug("https://a.example/news/article.aspx?id=5") == ""
    assert url_slug("https://a.example/story/Ferry_returns_to_th") == "ferryreturnstoth"
    # an id before the words is no word of the headline
    assert url_slug("https://a.example/news/4711-ferry-returns-to-the-old-pier") == (
        "ferryreturnstotheoldpier"
    )


def test_a_slug_cut_short_still_agrees_but_not_a_slug_that_is_a_fraction() -> None:
    assert agrees_with_slug("Ferry returns to the old pier", "ferryreturnstoth")
    assert not agrees_with_slug("Ferry returns", "ferryreturnstotheoldpierafteryears")


def test_a_text_of_a_few_letters_is_too_short_to_agree_with_a_slug() -> None:
    # "sea fog today" spells a menu entry as easily as a headline
    assert not agrees_with_slug("Sea fog today", url_slug("https://a.example/sea-fog-today"))


def test_a_heading_that_the_slug_spells_the_start_of_beats_a_section_heading() -> None:
    # the slug cut short: it spells the start of the heading, not all of it
    body = (
        "<h1>Harbour Post local news</h1>"
        f"<h2>Ferry returns to the old pier after ten years away</h2>{ARTICLE}"
    )
    meta = meta_of(body, "", url="https://news.example/ferry-returns-to-the-old-pier")
    assert meta.headline == "Ferry returns to the old pier after ten years away"
    assert "headline:slug" in meta.notes


def test_heading_spelled_by_the_url_slug_beats_a_section_heading() -> None:
    body = (
        "<h1>Latest News From The Valley</h1>"
        f"<h3><font>Ferry returns to the old pier</font></h3>{ARTICLE}"
    )
    url = "https://news.example/local/ferry-returns-to-the-old-pier-4711.html"
    meta = meta_of(body, "Valley Courier", url)
    assert meta.headline == "Ferry returns to the old pier"


def test_title_that_is_the_hosts_name_gives_way_to_a_marked_headline() -> None:
    body = (
        f"<span class=article_headline>Ferry returns to the old pier</span>{ARTICLE}"
        "<span class=sidebar_headline>Another story on another day</span>"
    )
    meta = meta_of(body, "Harbourpost", "https://harbourpost.example/article.aspx?id=9")
    assert meta.headline == "Ferry returns to the old pier"


def test_one_word_title_gives_way_to_a_marked_headline() -> None:
    body = f"<h2 class=headline>Ferry returns to the old pier</h2>{ARTICLE}"
    assert meta_of(body, "Article").headline == "Ferry returns to the old pier"


@pytest.mark.parametrize(
    "promo",
    [
        *("subheadline", "mainheadlines", "sidebar-headlines"),
        *("prev-post-title", "headline-meta", "footer__headline", "popular-post-title"),
    ],
)
def test_a_class_that_only_contains_a_headline_class_marks_no_headline(promo: str) -> None:
    # a headline class counts as a whole token of the class ("c-headline__text"), not as
    # letters inside another word (a sub-headline, a box of other stories' headlines) nor
    # beside a word naming something else (a link to the previous post, the row under a
    # headline, a footer's heading)
    body = (
        f"<span class={promo}>Win a weekend away in the hills</span>"
        f"<span class=c-headline__text>Ferry returns to the old pier</span>{ARTICLE}"
    )
    assert headline_on_a_host_named_page(body) == "Ferry returns to the old pier"


@pytest.mark.parametrize(
    "marked", ["storyTitle", "ArticleHeadline", "news_title", "entry_title", "td-post-title"]
)
def test_a_headline_class_in_another_spelling_marks_the_headline(marked: str) -> None:
    # the same names in camel case, with an underscore or behind a short namespace; the
    # marked heading beats a nearer one that is not marked
    body = (
        f"<span class={marked}>Ferry returns to the old pier</span><br>"
        f"<span class=subheadline>Win a weekend away in the hills</span><br>{ARTICLE}"
    )
    assert headline_on_a_host_named_page(body) == "Ferry returns to the old pier"


def test_a_bare_title_class_marks_a_heading_not_a_card() -> None:
    # "title" names any card's title on a div; on a heading it names the page's
    card = "<div class=title>Win a weekend away in the hills</div>"
    heading = "<h2 class=title>Ferry returns to the old pier</h2>"
    nearer = "<span class=subheadline>Tickets for the first crossing</span><br>"
    url = "https://harbourpost.example/a?id=9"
    meta = meta_of(f"{card}{heading}{nearer}{ARTICLE}", "Harbourpost", url)
    assert meta.headline == "Ferry returns to the old pier"


def test_a_real_title_still_wins_over_an_unrelated_heading() -> None:
    body = f"<h2 class=headline>Most read this week on the site</h2>{ARTICLE}"
    meta = meta_of(body, "Ferry returns to the old pier")
    assert meta.headline == "Ferry returns to the old pier"


# ------------------------------------------------------------------ byline labels
def test_a_noun_label_needs_a_colon_text_size_is_not_a_byline() -> None:
    from scraper.extraction.authors import BYLINE_LABEL

    assert BYLINE_LABEL.match("Text: Jo Ekberg")
    assert BYLINE_LABEL.match("Autor: Jo Ekberg")
    assert BYLINE_LABEL.match("By Jo Ekberg")
    assert not BYLINE_LABEL.match("Text Size")
    assert not BYLINE_LABEL.match("Text Version")
    assert not BYLINE_LABEL.match("Author archive")


def test_text_size_control_is_no_printed_byline() -> None:
    from scraper.extraction.byline_dom import label_bylines
    from scraper.extraction.page import Page

    html = f"<html><body><div>Text Size</div><a>Larger</a>{ARTICLE}</body></html>"
    page = Page(load(html.encode(), "https://news.example/a").tree, "https://news.example/a")
    assert label_bylines(page, []) == ()


@pytest.mark.parametrize("credit", ["Text: Jo Ekberg", "Words: Jo Ekberg", "Words by Jo Ekberg"])
def test_text_label_with_colon_names_the_writer(credit: str) -> None:
    body = f"<p class=credit>{credit}</p>{ARTICLE}"
    meta = meta_of(body, "Ferry returns to the old pier")
    assert meta.authors == ("Jo Ekberg",)


def test_words_as_a_label_needs_a_colon_or_by() -> None:
    from scraper.extraction.authors import BYLINE_LABEL

    assert not BYLINE_LABEL.match("Words matter in the harbour board's ruling")


# ------------------------------------------------------------------ organisations credited
def _ld(author: str, publisher: str = '{"@type": "Organization", "name": "Harbour Post"}') -> str:
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "headline": "Ferry returns", "author": {author}, '
        f'"publisher": {publisher}}}</script>'
    )


def meta_with_head(head: str, body: str = ARTICLE) -> Metadata:
    url = "https://news.example/a/ferry"
    html = f"<html><head><title>Ferry returns</title>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_jsonld_organisation_author_is_the_organisation_not_a_person() -> None:
    meta = meta_with_head(_ld('{"@type": "NewsMediaOrganization", "name": "Valley Courier"}'))
    assert meta.authors == ()
    assert meta.organisation == "Valley Courier"


def test_jsonld_person_named_as_the_publisher_is_the_organisation() -> None:
    meta = meta_with_head(_ld('[{"@type": "Person", "name": "Harbour Post"}]'))
    assert meta.authors == ()
    assert meta.organisation == "Harbour Post"


def test_a_person_beside_an_organisation_author_is_the_author() -> None:
    authors = '[{"@type": "Organization", "name": "Valley Courier"}, {"@type": "Person", "name": "Jo Ekberg"}]'
    meta = meta_with_head(_ld(authors))
    assert meta.authors == ("Jo Ekberg",)


def test_a_follow_button_in_any_of_five_languages_is_not_a_name() -> None:
    from scraper.extraction.authors import clean_authors

    for word in ("Follow", "Folgen", "Suivre", "Seguir", "Volgen"):
        assert clean_authors([word]) == ()
    assert clean_authors(["Jo Ekberg Folgen"]) == ()
    assert clean_authors(["Jo Ekberg"]) == ("Jo Ekberg",)


# ------------------------------------------------------------------ headings and titles
def test_a_hidden_heading_is_not_the_headline() -> None:
    body = (
        '<div style="display: none"><h1>Valley Morning Show Live</h1></div>'
        '<h1 class="brand hidden">Valley Evening Show Live</h1>'
        f"<h1>Ferry returns to the old pier</h1>{ARTICLE}"
    )
    meta = meta_of(body, "Valley")
    assert meta.headline == "Ferry returns to the old pier"


def test_a_heading_classed_hidden_is_not_the_headline() -> None:
    body = (
        '<h1 class="hidden">Valley Evening Show Live</h1>'
        f"<h1>Ferry returns to the old pier</h1>{ARTICLE}"
    )
    assert meta_of(body, "Valley").headline == "Ferry returns to the old pier"


def test_a_badge_is_left_out_but_the_rest_of_the_heading_kept() -> None:
    body = f'<h1><span class="badge">Solved</span> Ferry <em>returns</em> to the old pier</h1>{ARTICLE}'
    assert meta_of(body, "Valley").headline == "Ferry returns to the old pier"


def test_a_site_name_that_repeats_the_og_title_is_not_a_site_name() -> None:
    from scraper.extraction.page import Page, site_names

    head = (
        '<meta property="og:title" content="Ferry returns to the old pier">'
        '<meta name="apple-mobile-web-app-title" content="Ferry returns to the old pier">'
        '<meta property="og:site_name" content="Harbour Post">'
    )
    url = "https://news.example/a"
    html = f"<html><head>{head}</head><body>{ARTICLE}</body></html>"
    assert site_names(Page(load(html.encode(), url).tree, url)) == ["Harbour Post"]


def test_the_whole_title_printed_beats_a_shorter_section_heading() -> None:
    body = (
        "<h1>Travel Health Centre</h1>"
        f"<h2 class=story>Ferry returns to the old pier after years</h2>{ARTICLE}"
    )
    meta = meta_of(body, "Ferry returns to the old pier after years")
    assert meta.headline == "Ferry returns to the old pier after years"


def test_a_printed_site_title_does_not_beat_a_longer_first_heading() -> None:
    body = (
        "<div class=masthead>The Valley Evening Courier</div>"
        f"<h1>Ferry returns to the old pier after years</h1>{ARTICLE}"
    )
    meta = meta_of(body, "The Valley Evening Courier")
    assert meta.headline == "Ferry returns to the old pier after years"


def test_a_site_named_after_two_things_has_no_owner_person() -> None:
    from scraper.extraction.byline import _personal_site_owner
    from scraper.extraction.page import Page

    def owner(site: str, url: str) -> tuple[str, ...]:
        head = f'<meta property="og:site_name" content="{site}">'
        html = f"<html><head>{head}</head><body>{ARTICLE}</body></html>"
        return _personal_site_owner(Page(load(html.encode(), url).tree, url))

    assert owner("Harbour & Pier", "https://harbourpier.net/a") == ()
    assert owner("Jo Ekberg", "https://joekberg.net/a") == ("Jo Ekberg",)


def test_a_printed_part_with_glued_words_is_spelled_as_the_title_spells_it() -> None:
    body = f"<div>Valley Courier</div><h2><b>Ferry returns</b><i>to the old pier</i></h2>{ARTICLE}"
    meta = meta_of(body, "Ferry returns to the old pier | Valley Courier")
    assert meta.headline == "Ferry returns to the old pier"


# ------------------------------------------------------------------ bare <title> with a dash
def test_a_short_name_after_a_dash_in_a_bare_title_is_the_site() -> None:
    story = "<div>" + "Some words of the story itself. " * 20 + "</div>"
    meta = meta_of(story, "Ferry returns to the old pier – Harbour Notes")
    assert meta.headline == "Ferry returns to the old pier"


def test_a_dash_after_a_short_first_part_stays_in_the_title() -> None:
    story = "<div>" + "Some words of the story itself. " * 20 + "</div>"
    meta = meta_of(story, "Ferry vote - what it means for the harbour")
    assert meta.headline == "Ferry vote - what it means for the harbour"


# ------------------------------------------------------------------ metadata conventions
def test_dublin_core_and_parsely_titles_are_headline_sources() -> None:
    story = "<div>" + "Some words of the story itself. " * 20 + "</div>"
    for tag in (
        '<meta property="dc:title" content="Ferry returns to the old pier">',
        '<meta name="DCTERMS.title" content="Ferry returns to the old pier">',
        '<meta name="parsely-title" content="Ferry returns to the old pier">',
    ):
        html = f"<html><head>{tag}</head><body>{story}</body></html>"
        url = "https://news.example/a/story?id=7"
        meta = extract_metadata(load(html.encode(), url).tree, url, now=NOW)
        assert meta.headline == "Ferry returns to the old pier", tag


def test_the_page_prints_the_start_of_its_title_in_its_own_spelling() -> None:
    story = "<div>" + "Some words of the story itself. " * 20 + "</div>"
    body = f"<div>Ferry returns to the old pier</div>{story}"
    meta = meta_of(body, "Ferry Returns To The Old Pier (from The Harbour Post)")
    assert meta.headline == "Ferry returns to the old pier"


def test_a_printed_start_of_two_words_is_not_the_headline() -> None:
    story = "<div>" + "Some words of the story itself. " * 20 + "</div>"
    body = f"<div>Ferry returns</div>{story}"
    meta = meta_of(body, "Ferry returns (the harbour post)")
    assert meta.headline == "Ferry returns (the harbour post)"


def _share(host: str, title: str) -> str:
    return f'<a href="http://{host}/submit?url=https://news.example/a/story&amp;title={title}">{host}</a>'


SHARE_STORY = (
    "<div><p>" + "The harbour ferry returned to the pier this morning. " * 10 + "</p></div>"
)


def test_share_links_agreeing_on_a_title_give_the_headline() -> None:
    links = _share("bookmarks.example", "Ferry+returns+to+the+pier") + _share(
        "social.example", "Ferry%20returns%20to%20the%20pier"
    )
    # the page's <title> is broken (a comment swallowed it): the share links still say it
    meta = meta_of(SHARE_STORY + links, "Harbour Post i library")
    assert meta.headline == "Ferry returns to the pier"


def test_a_share_link_to_the_site_itself_is_not_a_second_site_agreeing() -> None:
    links = _share("news.example", "Ferry+returns+to+the+pier") + _share(
        "social.example", "Ferry+returns+to+the+pier"
    )
    assert meta_of(SHARE_STORY + links, "").headline != "Ferry returns to the pier"


def test_share_links_of_one_site_or_of_several_stories_are_no_headline() -> None:
    one_site = _share("social.example", "Ferry+returns+to+the+pier") * 2
    assert meta_of(SHARE_STORY + one_site, "").headline != "Ferry returns to the pier"
    # a list of stories, each shared to two sites: which one is this page is not said
    several = "".join(
        _share(h, t)
        for t in ("Ferry+returns+to+the+pier", "New+bridge+opens+downtown")
        for h in ("bookmarks.example", "social.example")
    )
    meta = meta_of(SHARE_STORY + several, "")
    assert meta.headline not in ("Ferry returns to the pier", "New bridge opens downtown")


def _with_head(head: str, body: str = SHARE_STORY) -> Metadata:
    url = "https://news.example/a/story?id=7"
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_a_meta_title_that_another_decorates_is_the_headline() -> None:
    # og:title adds the section and the site after a bare dash; name=headline does not
    head = (
        '<meta property="og:title" content="Ferry returns to the pier-Harbourㅣ Post">'
        '<meta name="headline" content="Ferry returns to the pier">'
    )
    assert _with_head(head).headline == "Ferry returns to the pier"
    # a title cut short is no undecorated headline
    cut = (
        '<meta property="og:title" content="Ferry returns to the pier: a day of joy">'
        '<meta name="twitter:title" content="Ferry returns to the…">'
    )
    assert _with_head(cut).headline == "Ferry returns to the pier: a day of joy"


def test_a_heading_and_its_subtitle_printed_side_by_side_are_not_glued() -> None:
    body = (
        '<div class="h-group"><h2>Books | Book of the week</h2><h3>Ann Lee • The Harbour</h3></div>'
        + SHARE_STORY
    )
    meta = meta_of(body, "Harbour Post | Books | Book of the week - Ann Lee • The Harbour")
    assert meta.headline is not None
    # each heading is a text of its own; their words are never run together
    assert "weekAnn" not in meta.headline


def test_one_word_sections_trailing_a_title_are_its_section_path() -> None:
    title = "Ferry returns to the pier after ten years: Travel: Ferries"
    assert meta_of(SHARE_STORY, title).headline == "Ferry returns to the pier after ten years"
    # one trailing word may be the headline's own ("Verdict: Guilty")
    title = "Harbour master on trial for the ferry crash: Guilty"
    assert meta_of(SHARE_STORY, title).headline == title


STORY_URL = "https://news.example/story.aspx?id=7"
HEADLINE_RULES = {
    # a "write to us" link and a sidebar story, both classed as headlines, on a page that
    # prints its own headline in an unclassed heading
    "a headline-classed link to another page is not this page's headline": (
        '<a class="small-headline" href="/mail.aspx?about=7">Write to the desk about this</a>'
        '<div><a class="headline" href="/story.aspx?id=9">Ferry strike ends after a week</a></div>'
        "<h2>Council votes on the new bridge</h2>",
        "",
        STORY_URL,
        "Council votes on the new bridge",
    ),
    "a bold call inside a link to another page is not the headline": (
        '<h2>Council votes on the new bridge</h2><div><a href="/comment.aspx?on=7">'
        "<b>Post comment</b></a></div>",
        "",
        STORY_URL,
        "Council votes on the new bridge",
    ),
    "a headline-classed link to the page itself is its headline": (
        '<h2 class="entry-title"><a href="https://news.example/story.aspx?id=7">'
        "Council votes on the new bridge</a></h2>",
        "",
        STORY_URL,
        "Council votes on the new bridge",
    ),
    "a link to the page's path without its tracking query is the page itself": (
        '<h2 class="entry-title"><a href="/story/4711/">Council votes on the new bridge</a></h2>',
        "",
        "https://news.example/story/4711/?utm_source=rss",
        "Council votes on the new bridge",
    ),
    "a syndicated NewsML headline in the page is a headline": (
        '<a class="small-headline" href="/mail.aspx?about=7">Write to the desk about this</a>'
        "<span><newsml><newsitem><newslines><headline>Council votes on the new bridge"
        "</headline><byline>by Jo Ek</byline></newslines></newsitem></newsml></span>",
        "",
        STORY_URL,
        "Council votes on the new bridge",
    ),
    "a site name and an ellipsis before the printed heading are no part of it": (
        "<h1>home</h1><h1>Ferry returns to the old pier</h1>",
        "HarbourNow... Ferry returns to the old pier",
        STORY_URL,
        "Ferry returns to the old pier",
    ),
    "a double colon parts a section from the printed title": (
        "<div class='story-top'>Ferry returns to the old pier</div>",
        "News::Ferry returns to the old pier",
        STORY_URL,
        "Ferry returns to the old pier",
    ),
    "markers set around the printed title are no part of the headline": (
        "<table><tr><td>2 days ago</td><td> &#187; <b>Ferry returns to the old pier</b> &#171; "
        "</td></tr></table>",
        "Ferry returns to the old pier - Harbour Post",
        STORY_URL,
        "Ferry returns to the old pier",
    ),
    "guillemets hugging a printed headline are its quotation marks": (
        "<div><b>»Wir bauen die Brücke neu«</b></div>",
        "»Wir bauen die Brücke neu« - Hafenbote",
        STORY_URL,
        "»Wir bauen die Brücke neu«",
    ),
}


@pytest.mark.parametrize(
    ("body", "title", "url", "expected"), HEADLINE_RULES.values(), ids=HEADLINE_RULES.keys()
)
def test_headline_rule(body: str, title: str, url: str, expected: str) -> None:
    assert meta_of(body + ARTICLE, title, url=url).headline == expected


@pytest.mark.parametrize("tag", ["h1", "headline"])
def test_type_scale_classes_on_a_long_menu_do_not_crowd_out_the_heading(tag: str) -> None:
    """A design system's "headline-medium" class on every menu entry is no headline, and
    fifty of them before the story do not hide its ``<h1>``, which agrees with og:title
    where JSON-LD carries a shorter SEO headline."""
    menu = "".join(
        f'<li><span class="menu-item headline-medium">Section {n}</span></li>' for n in range(50)
    )
    heading = "Ferry returns to the old pier after a winter of repairs"
    head = (
        f'<meta property="og:title" content="{heading}">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Ferry back at old pier"}</script>'
    )
    html = (
        f"<html><head><title>Ferry back at old pier - Harbour Post</title>{head}</head>"
        f"<body><nav><ul>{menu}</ul></nav><{tag}>{heading}</{tag}>{ARTICLE}</body></html>"
    )  # NewsML's <headline> is a heading as <h1> is
    url = "https://news.example/a/story?id=7"
    assert extract_metadata(load(html.encode(), url).tree, url, now=NOW).headline == heading


@pytest.mark.parametrize(
    ("heading", "source"),
    [
        ("<h1>Council to close ferry terminal</h1>", "h1"),
        ("<h2 class='entry-title'>Council to close ferry terminal</h2>", "heading"),
        ("<div class='headline'>Council to close ferry terminal</div>", "heading"),
    ],
)
def test_the_headline_s_source_names_the_element_it_came_from(heading: str, source: str) -> None:
    # a page with no title of its own: the headline is the heading, and the record says
    # which kind; an <h2> or a marked div is no "h1"
    body = (
        f"<div>{heading}<p>The council voted on Tuesday to close the old ferry terminal.</p>"
        "<p>Members said the decision was painful.</p></div>"
    )
    meta = meta_of(body, "")
    assert meta.headline == "Council to close ferry terminal"
    assert [p.source for p in meta.provenance if p.field == "headline"] == [source]
