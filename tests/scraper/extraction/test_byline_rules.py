"""Byline rules of issue #11, each with a small fixture of its own (invented names)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extraction.authors import clean_authors, names_in_line
from scraper.extraction.byline_dom import author_links, byline_elements, label_bylines
from scraper.extraction.byline_generic import generic_byline
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
    ],
)
def test_and_in_nordic_languages_joins_two_names(value: str, names: tuple[str, ...]) -> None:
    assert clean_authors([value]) == names
    assert tuple(names_in_line(value)) == names


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Jo Ekberg en Al Borg", ("Jo Ekberg", "Al Borg")),
        ("Jo Ekberg y Al Borg", ("Jo Ekberg", "Al Borg")),
        ("Jo Ekberg e Al Borg", ("Jo Ekberg", "Al Borg")),
        ("Jo Ekberg i Al Borg", ("Jo Ekberg", "Al Borg")),
        # inside one name, not between two
        ("José Ortega y Gasset", ("José Ortega y Gasset",)),
        ("Ana Maria Santos e Silva", ("Ana Maria Santos e Silva",)),
        ("Josep Puig i Cadafalch", ("Josep Puig i Cadafalch",)),
    ],
)
def test_and_in_dutch_and_romance_languages_joins_only_full_names(
    value: str, names: tuple[str, ...]
) -> None:
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


def test_a_label_after_controls_on_its_line_opens_a_byline() -> None:
    # the text before the label ends in a control's symbol, not in a word
    body = (
        "<div><span>Print</span> | <span>Text size</span> <span>+</span>\n"
        "<span>By</span> <div></div><span>Ann Lee / May 3, 2024</span></div>" + STORY
    )
    html = f"<html><head><title>Ferry</title></head><body>{body}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ("Ann Lee",)


def test_the_parts_of_a_name_marked_apart_are_not_names() -> None:
    body = (
        '<div class="byline"><a rel="author" href="mailto:ann@harbour.example">'
        '<span class="firstname">Ann Marie</span> <span class="lastname">Lee</span></a></div>'
    )
    assert meta_of(body + STORY).authors == ("Ann Marie Lee",)


def test_one_byline_element_per_co_author() -> None:
    body = (
        '<div class="bylines"><div class="byline">Ann Lee</div>'
        '<div class="byline">Bo Ek</div><div class="byline-date">3 May</div></div>'
    )
    assert meta_of(body + STORY).authors == ("Ann Lee", "Bo Ek")
    # a byline element elsewhere (another story's) is not a co-author
    other = '<div class="teaser"><div class="byline">Cy Dahl</div></div>'
    assert meta_of(body + STORY + other).authors == ("Ann Lee", "Bo Ek")


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="byline">Cy Dahl</div>',  # marked by its class
        '<a rel="author" href="/staff/cy-dahl">Cy Dahl</a>',  # by rel=author
        "<p>By Cy Dahl</p>",  # a printed label
    ],
)
def test_a_byline_in_a_template_credits_no_one(byline: str) -> None:
    """A ``<template>`` is stamped out by a script, maybe never: what it holds is not what
    the page prints, for every finder. A ``<noscript>`` is what readers without scripts
    see, and a blog may print its whole post there: its byline counts."""
    shown = '<div class="byline">Ann Lee</div>'
    assert meta_of(f"<template>{byline}</template>{shown}{STORY}").authors == ("Ann Lee",)
    assert "Cy Dahl" not in meta_of(f"<template>{byline}</template>{STORY}").authors
    assert meta_of(f"<noscript>{byline}{STORY}</noscript>").authors == ("Cy Dahl",)


def test_an_aside_inside_the_article_holds_its_byline() -> None:
    byline = (
        '<span class="article-author" itemprop="author" itemscope'
        ' itemtype="http://schema.org/Person"><span itemprop="name">Ann Lee</span></span>'
    )
    inside = f"<article>{STORY}<aside><p>{byline}</p></aside></article>"
    assert meta_of(inside).authors == ("Ann Lee",)
    # an aside of the page is a sidebar: its bylines are other stories'
    outside = f"<article>{STORY}</article><aside><p>{byline}</p></aside>"
    assert meta_of(outside).authors == ()


def test_a_story_inside_the_articles_aside_is_another_story() -> None:
    teaser = (
        '<article class="card"><footer><span class="card__author">Cy Dahl</span></footer></article>'
    )
    page = f'<article><aside class="dossier">{teaser}</aside>{STORY}</article>'
    assert meta_of(page).authors == ()


@pytest.mark.parametrize(
    "line",
    [
        '<a href="/p/1">“Harbour Days”</a> by Ann Lee',
        "<a>Ferry timetable (see chart)</a> by Ann Lee",
    ],
)
def test_a_label_after_a_title_on_its_line_opens_no_byline(line: str) -> None:
    html = f"<html><head><title>Ferry</title></head><body><ul><li>{line}</li></ul>{STORY}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ()


def test_the_author_meta_tag_naming_the_site_credits_the_site() -> None:
    head = (
        '<title>Ferry</title><meta property="og:site_name" content="Harbour Times">'
        '<meta name="author" content="Harbour Times">'
    )
    meta = meta_of(STORY, head)
    assert (meta.authors, meta.organisation) == ((), "Harbour Times")


@pytest.mark.parametrize(
    ("byline", "organisation"),
    [
        ('<span class="byline author">von Redaktion,</span>', "Redaktion"),
        ('<p class="author">By Harbour Times Newsroom</p>', "Harbour Times Newsroom"),
        ('<p class="author">By harbour-times.example</p>', "harbour-times.example"),
    ],
)
def test_a_printed_byline_crediting_a_newsroom_or_the_site(byline: str, organisation: str) -> None:
    head = '<title>Ferry</title><meta property="og:site_name" content="harbour-times.example">'
    meta = meta_of(byline + STORY, head)
    assert (meta.authors, meta.organisation) == ((), organisation)
    # a person named anywhere is the author
    person = head + '<meta name="author" content="Ann Lee">'
    assert meta_of(byline + STORY, person).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    "text",
    [
        "Por favor, tente mais tarde!",
        "Por favor vuelva a intentarlo",
        "By clicking Accept you agree",
        "By continuing Reading you agree",
    ],
)
def test_a_phrase_opening_like_a_byline_is_none(text: str) -> None:
    assert meta_of(f"<div><p>{text}</p></div>" + STORY).authors == ()
    html = f"<html><head><title>Ferry</title></head><body><p>{text}</p>{STORY}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ()


@pytest.mark.parametrize(
    "line",
    [
        "<small>04.02.2024 | 13:10 Uhr | Ann Marie Lee</small>",
        "<div><span>Ann Marie Lee</span> | <span>3 May 2024</span></div>",
    ],
)
def test_a_dated_line_beside_the_headline_names_the_writer(line: str) -> None:
    body = f"<header>{line}<h1>Ferry returns</h1></header>" + STORY
    assert meta_of(body).authors == ("Ann Marie Lee",)


@pytest.mark.parametrize(
    "line",
    [
        # no date: section names
        "<small>Harbour News | Ferry Lines</small>",
        # one word: a section, not a writer
        "<small>04.02.2024 | Ferries</small>",
        # two names: which one wrote it is not said
        "<small>04.02.2024 | Bo Ekholm | Ann Lee</small>",
    ],
)
def test_a_line_beside_the_headline_without_date_and_one_name_is_none(line: str) -> None:
    body = f"<header>{line}<h1>Ferry returns</h1></header>" + STORY
    assert meta_of(body).authors == ()


def test_an_article_author_meta_tag_names_the_writer() -> None:
    head = '<title>Ferry</title><meta name="articleAuthor" content="Ann Lee">'
    assert meta_of(STORY, head).authors == ("Ann Lee",)


def test_items_of_a_meta_line_set_apart_by_style_are_not_one_name() -> None:
    # "by" + the name in one span, the date in the next: no text between them
    line = (
        '<div class="entry-meta"><span class="meta-item">by <span class="vcard">'
        '<a href="/profile/ann">Ann Lee</a></span></span><span class="meta-item">'
        "<time>November 21, 2025</time></span></div>"
    )
    html = f"<html><head><title>Ferry</title></head><body>{line}{STORY}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert label_bylines(page, []) == ("Ann Lee",)


def test_a_by_line_near_the_headline_ends_where_its_date_begins() -> None:
    line = "<h1>Ferry</h1><p><span>by </span><span>Ann Lee</span><span>May 3, 2024</span></p>"
    html = f"<html><head><title>Ferry</title></head><body><div>{line}</div>{STORY}</body></html>"
    page = Page(load(html.encode(), URL).tree, URL)
    assert generic_byline(page, []) == ("Ann Lee",)


#: The site's account as the post's author, in the author meta tag.
SITE_ACCOUNT = '<title>Ferry</title><meta name="author" content="Harbour News Ltd">'


def test_names_in_bold_opening_the_text_credit_its_writers() -> None:
    # the site's account published the post; the writers are typed into its text
    text = (
        "<article><p><em>…a standfirst in italics</em></p>"
        "<p><strong>Ann Lee/Bo Ekholm</strong></p>" + STORY + "</article>"
    )
    assert meta_of(text, SITE_ACCOUNT).authors == ("Ann Lee", "Bo Ekholm")


@pytest.mark.parametrize("bold", ["Ann Lee/Bo Ekholm", "New York", "Breaking News"])
def test_bold_words_opening_the_text_credit_no_one_when_no_account_is_credited(
    bold: str,
) -> None:
    # without the site's account as the author, two capitalised words in bold above the
    # story are as often a dateline or a section's label as a writer
    assert meta_of(f"<article><p><strong>{bold}</strong></p>{STORY}</article>").authors == ()


@pytest.mark.parametrize(
    "bold",
    [
        "Ann Lee reports from the pier",  # a sentence
        "Harbour, May 3, 2024",  # a place and a date
        "Harbour Board Notice (Updated)",  # a title and a note
        "Summary:",  # a label
        "II. The Night Ferry",  # a section's title
        "H.T. Report",  # a newsroom's credit
        "Ferry",  # one word
    ],
)
def test_a_bold_paragraph_that_is_not_only_names_credits_no_one(bold: str) -> None:
    assert meta_of(f"<article><p><strong>{bold}</strong></p>{STORY}</article>").authors == ()


def test_a_bold_name_far_into_the_text_is_no_byline() -> None:
    paragraphs = "".join(f"<p>Paragraph {i} of the story.</p>" for i in range(5))
    text = f"<article>{paragraphs}<p><strong>Ann Lee</strong></p>{STORY}</article>"
    assert meta_of(text).authors == ()


@pytest.mark.parametrize("bold", ["Ann Lee", "Happy Holidays"])
def test_two_bold_words_closing_the_text_are_no_byline(bold: str) -> None:
    # a sign-off ("Happy Holidays") looks just like a signature: neither is read as one
    text = f"<article>{STORY}{STORY}<p><strong>{bold}</strong></p></article>"
    assert meta_of(text).authors == ()


def test_text_for_screen_readers_only_in_a_byline_is_no_name() -> None:
    byline = (
        '<div class="authors"><span class="authors__brand">'
        '<span class="u-visually-hidden">harbourmag</span></span>'
        '<span>von</span> <span class="info-bold">Ann Lee</span></div>'
    )
    assert meta_of(byline + STORY).authors == ("Ann Lee",)


def test_an_rdfa_property_list_gives_every_term_its_value() -> None:
    # RDFa: ``property`` is a space-separated list of terms
    head = (
        '<title>Ferry</title><meta property="dc:creator og:see_also" content="Ann Lee">'
        '<meta property="og:description twitter:description" content="The ferry is back.">'
    )
    meta = meta_of(STORY, head)
    assert meta.authors == ("Ann Lee",)
    assert meta.description == "The ferry is back."


@pytest.mark.parametrize("creator", ['property="dc:creator"', 'name="DC.creator"'])
def test_dublin_core_creator_is_trusted_before_the_author_meta_tag(creator: str) -> None:
    head = f'<title>Ferry</title><meta name="author" content="Webteam"><meta {creator} content="Ann Lee">'
    assert meta_of(STORY, head).authors == ("Ann Lee",)


def test_only_the_first_author_meta_tag_naming_a_person_counts() -> None:
    # two tags naming two people: the higher-ranked tag says who wrote it
    head = (
        '<title>Ferry</title><meta name="author" content="Ann Lee">'
        '<meta property="article:author" content="Per Aune">'
    )
    assert meta_of(STORY, head).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    "credit", ["Developed by Ann Lee", "Designed by Per Aune", "Powered by Nordcode"]
)
def test_a_web_credit_is_no_author(credit: str) -> None:
    assert clean_authors([credit]) == ()


JSONLD_ONE_AUTHOR = (
    '<title>Ferry</title><script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "NewsArticle", "headline": "Ferry", "author": {"@type": "Person", "name": "Ann Lee"}}'
    "</script>"
)


def test_a_printed_byline_adds_the_co_authors_structured_data_left_out() -> None:
    byline = '<div class="author">By Ann Lee and Per Aune</div>'
    assert meta_of(byline + STORY, JSONLD_ONE_AUTHOR).authors == ("Ann Lee", "Per Aune")


@pytest.mark.parametrize(
    "byline",
    [
        # an organisation beside the writer: structured data already said who wrote it
        '<div class="author">By Ann Lee, Coastline News Service</div>',
        # a printed byline without the structured author is another person's: not merged
        '<div class="author">By Per Aune and Eva Lind</div>',
    ],
)
def test_a_printed_byline_only_adds_full_names_to_structured_authors(byline: str) -> None:
    assert meta_of(byline + STORY, JSONLD_ONE_AUTHOR).authors == ("Ann Lee",)


def test_a_news_outlet_in_the_author_meta_tag_is_an_organisation() -> None:
    head = '<title>Ferry</title><meta name="author" content="Coastline Evening News">'
    meta = meta_of(STORY, head)
    assert (meta.authors, meta.organisation) == ((), "Coastline Evening News")


@pytest.mark.parametrize("account", ["wordpressadmin", "siteAdmin", "webmaster2"])
def test_a_cms_account_name_is_no_author(account: str) -> None:
    assert clean_authors([account]) == ()
    assert clean_authors(["Ann Lee"]) == ("Ann Lee",)


def test_an_author_link_spelling_umlauts_as_german_addresses_do_names_the_writer() -> None:
    byline = (
        '<h1>Fähre</h1><div><a href="/autoren/joerg-oehlschlaeger-5531">Jörg Öhlschläger</a></div>'
    )
    assert meta_of(byline + STORY).authors == ("Jörg Öhlschläger",)


def test_an_author_profile_link_is_read_for_its_marked_name_not_its_picture_credit() -> None:
    byline = (
        '<h1>Ferry</h1><div><a href="/authors/ann-lee-77"><span class="credit">&copy; Ann Lee'
        '</span><span itemprop="name"> Ann\n Lee </span></a></div>'
    )
    assert meta_of(byline + STORY).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    ("author", "host"),
    [
        ("HRBR - Harbour Town, ME", "https://www.hrbr.example/news/ferry"),
        ("Harbour Post | Your town's paper", "https://harbourpost.example/news/ferry"),
    ],
)
def test_an_author_meta_tag_opening_with_the_site_is_the_site_not_people(
    author: str, host: str
) -> None:
    html = (
        f"<html><head><title>Ferry</title><meta name='author' content=\"{author}\">"
        f"</head><body>{STORY}</body></html>"
    )
    meta = extract_metadata(load(html.encode(), host).tree, host, now=NOW)
    assert (meta.authors, meta.organisation) == ((), author)


def test_a_writer_named_before_the_site_in_the_author_meta_tag_is_the_writer() -> None:
    head = "<title>Ferry</title><meta name='author' content='Ann Lee - Harbour Post'>"
    assert meta_of(STORY, head).authors == ("Ann Lee",)


def _jsonld_author(author: str, head: str = "") -> str:
    return (
        '<title>Ferry</title><script type="application/ld+json">{"@type": "NewsArticle",'
        f' "headline": "Ferry", "author": {author}}}</script>{head}'
    )


def test_a_json_ld_person_named_in_parts_is_named_in_full() -> None:
    head = _jsonld_author('{"@type": "Person", "givenName": "Ann", "familyName": "Lee"}')
    assert meta_of(STORY, head).authors == ("Ann Lee",)


def test_a_json_ld_author_given_as_plain_text_is_read() -> None:
    assert meta_of(STORY, _jsonld_author('"Ann Lee"')).authors == ("Ann Lee",)


def test_a_json_ld_author_given_as_the_site_s_name_credits_the_site() -> None:
    site = '<meta property="og:site_name" content="Quay Post">'
    meta = meta_of(STORY, _jsonld_author('"Quay Post"', site))
    assert meta.authors == ()
    assert meta.organisation == "Quay Post"


def _page(body: str) -> Page:
    html = f"<html><head><title>Ferry</title></head><body>{body}</body></html>"
    return Page(load(html.encode(), URL).tree, URL)


def test_a_byline_in_a_comment_marked_by_its_schema_type_is_the_commenter() -> None:
    comment = (
        '<div itemscope itemtype="https://schema.org/Comment">'
        '<span class="author">Ola Berg</span><p>What a fine ferry.</p></div>'
    )
    assert meta_of(STORY + comment).authors == ()


def test_only_the_first_forty_elements_marked_as_bylines_are_read() -> None:
    # a bound on pages with hundreds of them (avatars of a long comment list)
    avatars = '<span class="author-avatar"></span>' * 40
    page = _page(avatars + '<span class="author">Ann Lee</span>' + STORY)
    assert byline_elements(page, []) == ()


def test_a_script_inside_a_byline_line_is_not_printed_text() -> None:
    page = _page("<p>By <script>var size = 1;</script><a>Ann Lee</a></p>" + STORY)
    assert label_bylines(page, []) == ("Ann Lee",)


def test_a_label_inside_noscript_is_not_printed() -> None:
    page = _page("<p><noscript><span>By Ann Lee</span></noscript></p>" + STORY)
    assert label_bylines(page, []) == ()


def test_a_label_in_a_line_of_more_than_400_elements_is_not_read() -> None:
    # a bound on the walk through one line's elements (a huge inline widget)
    page = _page("<div>" + "<span></span>" * 401 + "<span>By</span> <a>Ann Lee</a></div>" + STORY)
    assert label_bylines(page, []) == ()


def test_a_lone_label_with_no_name_within_four_levels_is_no_byline() -> None:
    near = "<div><div><div><p><span>By</span></p></div></div><p>Ann Lee</p></div>"
    assert label_bylines(_page(near + STORY), []) == ("Ann Lee",)
    far = "<div><div><div><div><p><span>By</span></p></div></div></div><p>Ann Lee</p></div>"
    assert label_bylines(_page(far + STORY), []) == ()


@pytest.mark.parametrize("heading", ["<h2>By Land and Sea</h2>", "<h3>Von Anna Berg</h3>"])
def test_a_label_opening_a_heading_is_a_title_not_a_byline(heading: str) -> None:
    assert label_bylines(_page(heading + STORY), []) == ()


def test_author_links_elsewhere_on_the_page_are_no_co_authors() -> None:
    body = (
        '<p><a href="/author/ann-lee/">Ann Lee</a></p>'
        + STORY
        + '<div class="more"><a href="/author/bo-ek/">Bo Ek</a></div>'
    )
    assert author_links(_page(body), []) == ("Ann Lee",)


def test_an_author_link_in_a_box_of_related_stories_is_not_the_writer() -> None:
    related = '<div class="related"><a href="/author/bo-ek/">Bo Ek</a></div>'
    assert author_links(_page(STORY + related), []) == ()


def test_a_name_marked_only_by_a_broader_author_class_is_the_writer() -> None:
    # trafilatura's selectors know more author classes than the byline elements do
    meta = meta_of('<h1>Ferry</h1><span class="journalist-name">Ann Lee</span>' + STORY)
    assert meta.authors == ("Ann Lee",)
    assert "authors:dom-generic" in meta.notes


def test_a_template_beside_the_headline_is_no_dated_line() -> None:
    # markup for scripts to fill in (a teaser card) is not printed
    line = "<template>04.02.2024 | Ola Berg Dahl</template>"
    body = f"<header>{line}<h1>Ferry returns</h1></header>" + STORY
    assert meta_of(body).authors == ()


LONG_STORY = (
    "<p>" + "The ferry left the harbour at dawn with forty passengers aboard. " * 3 + "</p>"
)


def test_a_bold_name_opening_a_sentence_is_no_credit_paragraph() -> None:
    body = (
        f"<article><p><strong>Ann Lee</strong> wrote to us from the pier.</p>{LONG_STORY}</article>"
    )
    assert meta_of(body).authors == ()


def test_a_bold_name_before_a_short_line_is_no_credit_paragraph() -> None:
    # the story does not follow it: a caption, a sign-off, a list of names
    body = (
        f"<article><p><strong>Ann Lee</strong></p><p>Thanks for reading.</p>{LONG_STORY}</article>"
    )
    assert meta_of(body).authors == ()


def test_a_bold_name_in_the_comments_is_no_credit_paragraph() -> None:
    body = STORY + f'<div class="comments"><p><strong>Ann Lee</strong></p>{LONG_STORY}</div>'
    assert meta_of(body).authors == ()
