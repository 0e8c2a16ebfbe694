"""A tag list, a photo credit, a newsroom or an organisation is not a person; a damaged page
is not a headline. One small fixture per rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extraction.authors import clean_authors
from scraper.extraction.byline_dom import is_tag_list
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = "<p>" + "Words of the story about the harbour and its new ferry. " * 12 + "</p>"


def meta_of(body: str, head: str = "<title>Ferry</title>") -> Metadata:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    url = "https://harbour.example/news/ferry"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def test_links_to_tag_pages_in_a_byline_are_not_names() -> None:
    body = (
        '<div class="post-author">05.08.2016 / <a href="/author/jo-ek/"><img alt="Jo"></a> / '
        '<a href="/tag/ferries/" rel="tag">Ferries</a>, <a href="/thema/hafen/">Hafen</a>, '
        '<a href="/topics/travel/">Travel</a></div>' + STORY
    )
    assert meta_of(body).authors == ()


def test_three_one_word_names_are_a_tag_list() -> None:
    assert is_tag_list(("Ferries", "Harbour", "Travel"))
    assert not is_tag_list(("dsw", "DPA"))
    assert not is_tag_list(("Ann Lee", "Bo", "Cy"))
    body = '<div class="author">Ferries, Harbour, Travel</div>' + STORY
    assert meta_of(body).authors == ()


@pytest.mark.parametrize(
    "credit",
    [
        # an "author" inside a figure is the photographer
        '<figure><img src="x.jpg"><figcaption><span class="author">Jo Ek</span>'
        "</figcaption></figure>",
        # a credit line is a credit, whatever its class says
        '<div class="bildautor">Bild: Agency/Jo Ek</div>',
        '<p class="byline">Photo: Jo Ek</p>',
    ],
)
def test_photo_credits_are_not_bylines(credit: str) -> None:
    assert meta_of(credit + STORY).authors == ()
    # the writer's byline beside it is still found
    assert meta_of(credit + '<p class="byline">By Ann Lee</p>' + STORY).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    "value",
    ["Redaktion", "Harbour Gazette Staff Writers", "Staff and wire reports", "Rédaction"],
)
def test_a_newsroom_is_not_a_person(value: str) -> None:
    assert clean_authors([value]) == ()
    assert clean_authors([f"Ann Lee / {value}"]) == ("Ann Lee",)


def test_an_organisation_credited_alone_is_said_so() -> None:
    head = '<title>Ferry</title><meta name="author" content="Harbour Ferry Association">'
    meta = meta_of(STORY, head)
    assert meta.authors == ()
    assert meta.organisation == "Harbour Ferry Association"


@pytest.mark.parametrize("agency", ["Reuters", "The Associated Press", "AFP", "Agencia EFE"])
def test_a_news_agency_credited_alone_is_the_organisation(agency: str) -> None:
    meta = meta_of(f'<p class="byline">By {agency}</p>{STORY}')
    assert meta.authors == ()
    assert meta.organisation == agency


@pytest.mark.parametrize(
    "label",
    ["Opinion | Guest Column", "Analysis", "LIVE", "Breaking News", "Anzeige", "Our Reporter"],
)
def test_a_genre_or_section_label_in_the_byline_is_no_person(label: str) -> None:
    assert meta_of(f'<p class="byline">{label}</p>{STORY}').authors == ()


@pytest.mark.parametrize(
    "desk",
    [
        "Web Desk",
        "Editorial Board",
        "Washington Bureau",
        # a publication credited by name, the site declaring none
        "Harbour Times",
        "Harbour Gazette Staff",
        "Daily Harbour",
    ],
)
def test_a_desk_credited_alone_is_the_organisation(desk: str) -> None:
    meta = meta_of(f'<p class="byline">{desk}</p>{STORY}')
    assert meta.authors == ()
    assert meta.organisation == desk


@pytest.mark.parametrize(
    ("byline", "writers"),
    [
        ("Interview with Al Bodin", ()),
        ("Interview with Al Bodin, by Jo Ekberg", ("Jo Ekberg",)),
        ("Entrevista con Al Bodin, por Jo Ekberg", ("Jo Ekberg",)),
        ("By Jo Ekberg | Entretien avec Al Bodin", ("Jo Ekberg",)),
    ],
)
def test_whom_an_interview_is_with_did_not_write_it(byline: str, writers: tuple[str]) -> None:
    assert meta_of(f'<p class="byline">{byline}</p>{STORY}').authors == writers


@pytest.mark.parametrize(
    ("byline", "writers"),
    [
        ("By Jo Ekberg in Cape Town", ("Jo Ekberg",)),
        ("By Jo Ekberg and Al Bodin in Washington", ("Jo Ekberg", "Al Bodin")),
        ("By Jo Ekberg, in Cape Town", ("Jo Ekberg",)),
        ("By Jo Ekberg reporting from Port Elizabeth", ("Jo Ekberg",)),
        ("Von Jo Ekberg aus Bad Homburg", ("Jo Ekberg",)),
        ("Par Jean Dupont à Paris", ("Jean Dupont",)),
        ("By Maria de la Cruz", ("Maria de la Cruz",)),  # particles stay
        ("Jo Ekberg for the Harbour Times", ("Jo Ekberg",)),
        ("By Jo Ekberg for Reuters", ("Jo Ekberg",)),
        ("Von Jo Ekberg und Al Bodin, Berlin", ("Jo Ekberg", "Al Bodin")),
        ("By Jo Ekberg, dpa", ("Jo Ekberg", "dpa")),  # an agency is credited as printed
        ("By Jo Ekberg, Staff Reporter in Cape Town", ("Jo Ekberg",)),
    ],
)
def test_where_a_writer_writes_from_is_no_part_of_the_name(
    byline: str, writers: tuple[str]
) -> None:
    assert meta_of(f'<p class="byline">{byline}</p>{STORY}').authors == writers


@pytest.mark.parametrize(
    ("value", "cut"),
    [
        # what follows "for" is no publication: an organisation or an office is named so
        ("Harbour Trust for Coastal Waters", "Harbour Trust"),
        # one word before it is no full name
        ("Friends for the Harbour Times", "Friends"),
    ],
)
def test_a_name_is_cut_before_a_place_or_publication_only_after_a_full_name(
    value: str, cut: str
) -> None:
    assert cut not in clean_authors([value])


def test_an_unclosed_title_does_not_make_the_page_a_headline() -> None:
    html = (
        "<html><head><title>Ferry timetable changes\n<script>var x = 1;</script>"
        "<body><h2>Menu</h2>" + STORY + "</body></html>"
    )
    url = "https://harbour.example/news/ferry"
    meta = extract_metadata(load(html.encode(), url).tree, url, now=NOW)
    assert meta.headline == "Ferry timetable changes"
    swallowed = html.replace("timetable changes\n", "")
    meta = extract_metadata(load(swallowed.encode(), url).tree, url, now=NOW)
    assert meta.headline is None or len(meta.headline) < 80


def test_a_newsroom_credited_alone_is_the_organisation_and_no_site_owner_is_guessed() -> None:
    head = (
        "<title>Ferry | Gregor Sandberg</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry",'
        ' "author": {"@type": "Person", "name": "Redaktion"}}</script>'
    )
    html = f"<html><head>{head}</head><body>{STORY}</body></html>"
    url = "https://gregorsandberg.example/news/ferry"
    meta = extract_metadata(load(html.encode(), url).tree, url, now=NOW)
    assert meta.authors == ()
    assert meta.organisation == "Redaktion"


def test_a_heading_glued_by_inline_elements_takes_the_spacing_of_an_agreeing_source() -> None:
    head = '<title>Ferry</title><meta property="og:title" content="Dock strike / Ferries stay in port">'
    body = '<h1><span class="kicker">Dock strike</span><span>Ferries stay in port</span></h1>'
    assert meta_of(body + STORY, head).headline == "Dock strike / Ferries stay in port"


def test_tag_links_are_left_out_of_a_generic_byline_too() -> None:
    body = (
        '<div class="meta-writer">By Ann Lee in <a href="/tag/ferries/">Ferries</a>, '
        '<a href="/category/harbour-life/">Harbour Life</a></div>' + STORY
    )
    assert meta_of(body).authors == ("Ann Lee",)


def test_but_not_a_source_with_a_separator_or_symbols_left_at_its_end() -> None:
    head = '<title>Ferry</title><meta property="og:title" content="Ferries stay in port -">'
    body = "<h1>Ferries stay in port</h1>"
    assert meta_of(body + STORY, head).headline == "Ferries stay in port"


@pytest.mark.parametrize(
    "control",
    [
        '<button class="followAuthorBtn">Schließen</button>',
        '<div class="author-box"><button class="author-follow">Schließen</button></div>',
        '<select class="author-filter"><option>Schließen</option></select>',
    ],
)
def test_an_interface_control_is_no_byline(control: str) -> None:
    # a button's text is a command, whatever its class says
    assert meta_of(control + STORY).authors == ()
    assert meta_of(control + '<p class="byline">By Ann Lee</p>' + STORY).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Written by Ann Lee<br>Edited by Bo Sand", "Ann Lee"),
        ("Story by Ann Lee, photos by Bo Sand", "Ann Lee"),
        ("Text von Ann Lee / Fotos von Bo Sand", "Ann Lee"),
        ("By Ann Lee. Additional reporting by Bo Sand", "Ann Lee"),
        ("By Ann Lee; additional reporting by Bo Sand", "Ann Lee"),
    ],
)
def test_an_editor_or_photographer_named_beside_the_writer_is_no_author(
    byline: str, author: str
) -> None:
    assert meta_of(f'<p class="byline author">{byline}</p>' + STORY).authors == (author,)
    # credited alone, the editor is no author either
    assert meta_of('<p class="byline">Edited by Bo Sand</p>' + STORY).authors == ()


@pytest.mark.parametrize(
    "byline",
    ["Text and photos by Ann Lee", "Words &amp; pictures by Ann Lee", "Text und Fotos von Ann Lee"],
)
def test_a_writer_credited_for_the_photos_too_is_still_the_author(byline: str) -> None:
    assert meta_of(f'<p class="byline">{byline}</p>' + STORY).authors == ("Ann Lee",)


def test_a_creator_tag_holding_the_site_name_names_no_people() -> None:
    head = (
        '<title>Ferry | Tide &amp; Time</title><meta property="og:site_name" content="Tide &amp; Time">'
        '<meta name="DC.creator" content="Tide &amp; Time">'
    )
    assert meta_of(STORY, head).authors == ()
    # a creator tag naming two people is still split
    two = '<title>Ferry</title><meta name="DC.creator" content="Ann Lee &amp; Bo Sand">'
    assert meta_of(STORY, two).authors == ("Ann Lee", "Bo Sand")


@pytest.mark.parametrize(
    "second_line",
    ["<time>Tuesday, 4 June 2024</time>", "Estuary Evening Courier"],
)
def test_a_byline_names_its_writer_on_its_first_line(second_line: str) -> None:
    # the date or the paper on the next line is not glued to the name
    body = f'<h3 class="byline">by Ann Lee<br>{second_line}</h3>' + STORY
    assert meta_of(body).authors == ("Ann Lee",)
