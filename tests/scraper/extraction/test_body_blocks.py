"""Reading trafilatura's body tree as blocks: loose text in the body."""

from __future__ import annotations

from lxml import etree
from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.body import LinkSpaces, blocks_of


def test_loose_prose_after_a_heading_is_a_paragraph_and_fragments_are_not() -> None:
    body = etree.fromstring(
        "<body><head>Harbour works</head>The dredging of the inner basin will start in "
        "March and last two summers.<p>Boats will moor at the outer quay meanwhile, "
        "the harbour master said.</p>About us<p>Fishing crews were told on Monday.</p></body>"
    )
    texts = [b.text for b in blocks_of(body)]
    assert texts == [
        "Harbour works",
        "The dredging of the inner basin will start in March and last two summers.",
        "Boats will moor at the outer quay meanwhile, the harbour master said.",
        "Fishing crews were told on Monday.",
    ]


def test_page_that_is_bare_text_keeps_it() -> None:
    html = "<!DOCTYPE html><html><head></head><body>\n  Closed today\n</body></html>"
    assert extract(html, "https://shop.example/notice").body == "Closed today"


def test_a_container_left_in_the_body_is_read_block_by_block() -> None:
    # a fallback extractor's <div> around the story: its paragraphs are not glued into one
    body = etree.fromstring(
        '<body><div><p>&lt;&lt;<ref target="/index">Back to index</ref></p>'
        "<p>Ferry back at the pier</p><p>The ferry returned on Monday.</p>"
        "<div><p>Repairs took three weeks.</p></div>Crews cheered.</div></body>"
    )
    texts = [b.text for b in blocks_of(body)]
    assert texts == [
        "<<Back to index",
        "Ferry back at the pier",
        "The ferry returned on Monday.",
        "Repairs took three weeks.",
    ]


def test_a_container_of_inline_text_alone_is_one_paragraph() -> None:
    body = etree.fromstring(
        '<body><div>The ferry returned <ref target="/ferry">to the pier</ref> on Monday.</div></body>'
    )
    assert [b.text for b in blocks_of(body)] == ["The ferry returned to the pier on Monday."]


def test_a_paragraph_cut_at_a_link_is_mended_with_its_spaces() -> None:
    page = fromstring(
        "<html><body><div><span>We are assuming your <a href='/guide'>ferry</a> will be on "
        "time, and the <a href='/cafe'>caf</a>e open.</span></div></body></html>"
    )
    spaces = LinkSpaces(page)
    assert spaces.after == frozenset({("ferry", "will")})
    assert ("your", "ferry") in spaces.before
    # how the content extractor hands such a line back: the link opens a paragraph of its
    # own and its tail lost the space before it
    body = etree.fromstring(
        "<body><p>We are assuming your</p><p><ref target='/guide'>ferry</ref>will be on time, "
        "and the <ref target='/cafe'>caf</ref>e open.</p></body>"
    )
    blocks = blocks_of(body, spaces)
    assert [b.text for b in blocks] == [
        "We are assuming your ferry will be on time, and the cafe open."
    ]
    assert blocks[0].links == 2
    assert [b.text for b in blocks_of(body)] == [
        "We are assuming your",
        "ferrywill be on time, and the cafe open.",
    ]


def test_a_link_that_lost_the_space_before_it_gets_it_back() -> None:
    # in some containers the content extractor strips the space a text ends with before a
    # link: "said Ann Leeon Friday", "(@annlee)May 3"
    page = fromstring(
        "<html><body><blockquote><p>Sad day.</p>said Ann Lee <a href='/a'>on Friday</a> in a "
        "post. &mdash; Ann Lee (@annlee) <a href='/s'>May 3, 2024</a></blockquote>"
        "<p>Tickets cost (<a href='/f'>see fares</a>) more.</p></body></html>"
    )
    body = etree.fromstring(
        "<body><quote><p>Sad day.</p>said Ann Lee<ref target='/a'>on Friday</ref> in a post. "
        "\u2014 Ann Lee (@annlee)<ref target='/s'>May 3, 2024</ref></quote>"
        "<p>Tickets cost (<ref target='/f'>see fares</ref>) more.</p></body>"
    )
    assert [b.text for b in blocks_of(body, LinkSpaces(page))] == [
        "Sad day.",
        "said Ann Lee on Friday in a post. \u2014 Ann Lee (@annlee) May 3, 2024",
        "Tickets cost (see fares) more.",  # no space the page did not print
    ]


def test_a_quoted_post_keeps_the_space_before_its_linked_date() -> None:
    html = (
        "<html><body><article><h1>Ferry terminal to close</h1>"
        + "<p>The council voted on Tuesday to close the old ferry terminal after years of "
        "falling passenger numbers and rising repair bills at the harbour.</p>"
        * 2
        + "<blockquote class='twitter-tweet'><p>Sad day for the harbour.</p>&mdash; Ann Lee "
        "(@annlee) <a href='https://social.example/annlee/1'>May 3, 2024</a></blockquote>"
        "<p>Work to clear the site is expected to begin next year, subject to a final review "
        "by the regional planning board.</p></article></body></html>"
    )
    body = extract(html, "https://harbour.example/news/ferry").body
    assert "(@annlee) May 3, 2024" in body


def test_a_paragraph_opening_with_a_link_after_a_finished_one_stays_apart() -> None:
    page = fromstring(
        "<html><body><p>The crossing reopened on Monday.</p><p>Read <a href='/t'>the "
        "timetable</a> here.</p><div>Fares rose <a href='/f'>again</a></div></body></html>"
    )
    body = etree.fromstring(
        "<body><p>The crossing reopened on Monday.</p><p><ref target='/t'>the timetable</ref>"
        " here.</p><p>Fares rose</p><p><ref target='/f'>again</ref></p></body>"
    )
    texts = [b.text for b in blocks_of(body, LinkSpaces(page))]
    assert texts[0] == "The crossing reopened on Monday."
    assert texts[1] == "the timetable here."  # after a finished sentence
    assert texts[2:] == ["Fares rose again"]


def test_a_block_inside_a_quote_or_an_item_is_a_line_of_its_own() -> None:
    body = etree.fromstring(
        "<body><quote>In short<p>The ferry runs hourly from May.</p></quote>"
        "<list><item><p>Harbour</p>Jo Ek</item></list>"
        "<quote><p>We waited all winter.</p><p>Now we sail.</p></quote></body>"
    )
    assert [(b.kind, b.text) for b in blocks_of(body)] == [
        ("quote", "In short"),
        ("quote", "The ferry runs hourly from May."),
        ("item", "Harbour"),
        ("item", "Jo Ek"),
        ("quote", "We waited all winter."),
        ("quote", "Now we sail."),
    ]


def test_a_line_break_ends_a_line_of_its_own() -> None:
    # a timetable set as one paragraph with <br>: each line is read apart, not glued
    body = etree.fromstring(
        "<body><p>Ferry times<lb/>North quay: hourly<lb/>South quay: every two hours</p></body>"
    )
    assert [b.text for b in blocks_of(body)] == [
        "Ferry times",
        "North quay: hourly",
        "South quay: every two hours",
    ]


def test_text_after_emphasis_inside_a_link_is_link_text() -> None:
    body = etree.fromstring(
        "<body><p>See <ref target='/t'>the <hi>night</hi> timetable</ref> for more.</p></body>"
    )
    (block,) = blocks_of(body)
    assert block.text == "See the night timetable for more."
    assert (block.link_chars, block.links) == (len("thenighttimetable"), 1)
