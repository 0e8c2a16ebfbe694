"""DOM repairs before content extraction, each rule on a page written for it."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.document import strip_soft_hyphens
from scraper.extraction.dom import (
    MAX_PARTS,
    drop_empty_links,
    drop_hidden,
    drop_signup_boxes,
    merge_split_bodies,
    unwrap_embedded_posts,
)


def story(label: str, n: int = 6) -> list[str]:
    """``n`` prose paragraphs, each naming ``label`` and its number."""
    return [
        f"{label} paragraph {i} tells how the ferry service across the estuary was restored "
        f"after the winter storms, with new timetables for commuters and visitors alike."
        for i in range(n)
    ]


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def test_hidden_container_holding_the_article_is_shown() -> None:
    # a streamed page: the visible shell is empty, the article arrives in a hidden div
    html = (
        "<html><body><header><a href='/'>Estuary Times</a></header><main><article>"
        "<h1>Ferry restored</h1><div id='placeholder'></div></article></main>"
        f"<div hidden id='S:0'>{paragraphs(story('Streamed'))}</div>"
        # the framework's script payload carries the same text: not a visible copy
        f"<script>self.push({story('Streamed')!r})</script></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert "Streamed paragraph 0 tells" in result.body
    assert "Streamed paragraph 5 tells" in result.body


def test_hidden_rest_of_the_article_is_kept() -> None:
    html = (
        "<html><body><article><h1>Ferry restored</h1>"
        f"{paragraphs(story('Open', 3))}"
        f"<div class='paywall hidden' style='display:none'>{paragraphs(story('Rest', 4))}</div>"
        "</article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert "Open paragraph 2" in result.body
    assert "Rest paragraph 3" in result.body


def test_hidden_copy_of_visible_text_is_still_removed() -> None:
    texts = story("Visible", 4)
    tree = fromstring(
        f"<html><body><article>{paragraphs(texts)}</article>"
        f"<div hidden class='print-version'>{paragraphs(texts)}</div></body></html>"
    )
    assert drop_hidden(tree) == 1
    assert tree.find(".//div[@class='print-version']") is None


def _slide(text: str) -> str:
    return f"<div class='slide' style='display:none'><p>{text}</p><p>Photo: Estuary Times</p></div>"


def test_hidden_slides_of_a_slideshow_are_the_article() -> None:
    # a script shows one slide at a time and copies it into view; each slide alone holds
    # too little prose to pass for the article, together they are it
    texts = story("Slide", 4)
    html = (
        "<html><body><article><h1>Four ways across the estuary</h1>"
        f"<div class='slides'>{''.join(_slide(t) for t in texts)}"
        "<div class='slide' style='display:none'><p>Share this gallery</p></div></div>"
        f"<div class='caption'><p>{texts[0]}</p></div></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ways")
    for text in texts[1:]:
        assert text in result.body
    assert result.body.count(texts[0]) == 1  # the copy in view, not the hidden one too
    assert "Share this gallery" not in result.body


def test_hidden_panels_without_prose_and_dialogs_are_no_slideshow() -> None:
    panels = "".join(
        f"<div class='tab' style='display:none'><ul><li><a href='/s{i}'>Story {i}</a></li>"
        f"<li><a href='/t{i}'>Other story {i}</a></li></ul></div>"
        for i in range(4)
    )
    one_slide = _slide(story("Lonely", 1)[0])
    # dialogs of prose hidden until asked for (log in, consent) are no slides either
    dialogs = "".join(
        f"<div class='modal fade' style='display:none'><p>{text}</p></div>"
        for text in story("Dialog", 3)
    )
    tree = fromstring(
        f"<html><body><article>{paragraphs(story('Visible', 2))}</article>"
        f"<aside>{panels}</aside><div>{one_slide}</div>{dialogs}</body></html>"
    )
    # four panels of links, a single short hidden slide and three dialogs
    assert drop_hidden(tree) == 8
    text = tree.text_content()
    assert "Story 0" not in text and "Lonely" not in text and "Dialog" not in text


def test_hidden_short_dialog_is_removed_even_with_a_long_page() -> None:
    tree = fromstring(
        f"<html><body><article>{paragraphs(story('Visible'))}</article>"
        "<div role='dialog'><p>Sign in to keep reading.</p></div></body></html>"
    )
    assert drop_hidden(tree) == 1
    assert "Sign in" not in tree.text_content()


def test_hover_card_text_is_not_spliced_into_the_sentence() -> None:
    card = (
        "<span class='person-hovercard'><span>Harbour master since 2011, "
        "formerly a pilot on the river.</span></span>"
    )
    texts = story("Plain", 5)
    texts[2] = f"The harbour master <a href='/p/jo'>Jo Lind</a>{card} said the boats were ready."
    html = f"<html><body><article><h1>Ferry</h1>{paragraphs(texts)}</article></body></html>"
    result = extract(html, "https://estuary.example/ferry")
    assert "Jo Lind said the boats were ready." in result.body
    assert "formerly a pilot" not in result.body


@pytest.mark.parametrize("hyphen", ["\u00ad", "&shy;", "&#173;", "&#xAD;", "\u2060", "\ufeff"])
def test_soft_hyphens_are_removed_from_words(hyphen: str) -> None:
    assert strip_soft_hyphens(f"<p>Fähr{hyphen}verbindung</p>") == "<p>Fährverbindung</p>"
    texts = story("Soft", 4)
    texts[1] = f"The new Fähr{hyphen}verbindung across the estuary opens on Monday morning."
    html = f"<html><body><article><h1>Ferry</h1>{paragraphs(texts)}</article></body></html>"
    result = extract(html, "https://estuary.example/ferry")
    assert "Fährverbindung" in result.body
    assert "\u00ad" not in result.body


@pytest.mark.parametrize(
    "head",
    [
        "<html><head><title>Ferry restored | Estuary Times\n<script>var x = 1;</script></head>",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN"\n<html><head><title>Ferry</title></head>',
        # a crawler glued the page together: the root start tag ends in "/>"
        '<!DOCTYPE html>\n<html xlogo.png" alt="Estuary Times" border="0" /></a></td>'
        "<head><title>Ferry</title></head>",
    ],
)
def test_damaged_head_does_not_swallow_the_page(head: str) -> None:
    texts = story("Damaged", 4)
    html = f"{head}<body><article><h1>Ferry</h1>{paragraphs(texts)}</article></body></html>"
    result = extract(html, "https://estuary.example/ferry")
    assert all(text in result.paragraphs for text in texts)
    assert "Damaged paragraph" not in (result.headline or "")


def test_comment_bodies_are_not_merged_as_parts_of_a_split_body() -> None:
    comments = "".join(
        f"<div class='comment'><span class='author'>Reader {i}</span><div class='body'>"
        f"<p>Reader {i} thinks the ferry should have been restored years ago, and says so at "
        "length in this comment, which is not part of the article at all.</p></div></div>"
        for i in range(3)
    )
    html = (
        "<html><body><div class='entry'><h1>Ferry</h1><div class='journal-entry'>"
        f"{paragraphs(story('Article', 4))}</div></div><div id='comments-area'>{comments}</div>"
        "</body></html>"
    )
    tree = fromstring(html)
    assert merge_split_bodies(tree) == 0
    # the same containers outside a comment thread are one article split by ads
    outside = html.replace("comments-area", "story").replace("'comment'", "'part'")
    assert merge_split_bodies(fromstring(outside)) == 2


SIGNUP = (
    "<div class='box'><h3>Get the estuary briefing every morning</h3>"
    "<p>News, tides and timetables, straight to your inbox.</p>"
    "<form><input type='text' name='mm' placeholder='Enter your email'>"
    "<button>Sign up</button></form><p><a href='/privacy'>Privacy Policy</a></p></div>"
)
RECAPTCHA = (
    "<span>This site is protected by reCAPTCHA and the Google <a href='#'>Privacy Policy</a> "
    "and <a href='#'>Terms of Service</a> apply.</span>"
)


def test_a_signup_box_inside_the_article_goes_with_its_pitch_and_notice() -> None:
    html = (
        "<html><body><article><h1>Ferry restored</h1>"
        f"<div class='body'>{paragraphs(story('Kept', 3))}{SIGNUP}{RECAPTCHA}"
        f"{paragraphs(story('After', 2))}</div></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert "Kept paragraph 2" in result.body
    assert "After paragraph 1" in result.body
    for gone in ("estuary briefing", "straight to your inbox", "Privacy Policy", "reCAPTCHA"):
        assert gone not in result.body


def test_a_short_story_beside_an_email_field_is_not_taken_for_its_box() -> None:

    # one story paragraph (under the box's word limit) and a bare e-mail field together
    text = " ".join(story("Only", 2))
    tree = fromstring(
        f"<html><body><div id='story'><p>{text}</p><input type='email' name='e'></div>"
        "</body></html>"
    )
    drop_signup_boxes(tree)
    assert text in tree.text_content()


def test_index_of_teasers_in_same_class_containers_is_not_merged() -> None:
    # an index page: each container's heading is a link to another story
    teasers = "".join(
        f"<div class='story-text'><h2><a href='/s{i}'>Ferry story {i}</a></h2>"
        f"<p>{story('Teaser', 1)[0]}</p></div>"
        for i in range(3)
    )
    tree = fromstring(f"<html><body><main>{teasers}</main></body></html>")
    assert merge_split_bodies(tree) == 0
    assert len(tree.findall(".//div[@class='story-text']")) == 3


def test_more_same_class_parts_than_a_split_body_has_are_not_merged() -> None:
    def page(parts: int) -> str:
        return (
            "<html><body><main>"
            + "".join(
                f"<div class='entry-content'><p>{text}</p></div>" for text in story("Part", parts)
            )
            + "</main></body></html>"
        )

    assert merge_split_bodies(fromstring(page(MAX_PARTS))) == MAX_PARTS - 1
    many = fromstring(page(MAX_PARTS + 1))
    assert merge_split_bodies(many) == 0
    assert len(many.findall(".//div[@class='entry-content']")) == MAX_PARTS + 1


def test_an_embedded_post_among_the_paragraphs_leaves_the_body_container_its_class() -> None:
    tree = fromstring(
        "<html><body><article id='story'><div class='article-body'><p>Before the post.</p>"
        "<div class='social-embed'><blockquote class='twitter-tweet'><p>A post.</p>"
        "</blockquote><script src='widgets.js'></script></div><p>After the post.</p></div>"
        "</article></body></html>"
    )
    assert unwrap_embedded_posts(tree) == 1
    assert tree.find(".//blockquote").get("class") is None
    assert tree.find(".//blockquote/..").get("class") is None  # the post's own wrapper
    assert tree.find(".//div[@class='article-body']") is not None
    assert tree.find(".//article").get("id") == "story"


def test_a_bodyless_page_whose_root_is_marked_hidden_is_no_error() -> None:
    # a redirect stub without a body: the marked root itself is the only candidate, and
    # the root cannot be taken out of anything
    html = (
        "<html class='modal'><head><title>Moved</title>"
        "<meta http-equiv='refresh' content='0; url=/ferry'></head></html>"
    )
    result = extract(html, "https://estuary.example/old-ferry")
    assert result.body == ""
    assert result.headline == "Moved"


def test_hidden_rest_of_the_article_shown_loses_a_hidden_id_too() -> None:
    # the content extractor drops an element whose id says "hidden": shown, it must not
    html = (
        "<html><body><article><h1>Ferry restored</h1>"
        f"{paragraphs(story('Open', 10))}"
        f"<div id='rest-hidden' hidden>{paragraphs(story('Rest', 3))}</div>"
        "</article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == story("Open", 10) + story("Rest", 3)


def test_a_hidden_first_child_leaves_the_text_after_it() -> None:
    tree = fromstring(
        "<html><body><p><span class='sr-only'>Audio:</span>The ferry is back at the pier."
        "</p></body></html>"
    )
    assert drop_hidden(tree) == 1
    assert tree.find(".//p").text == "The ferry is back at the pier."


def test_a_search_box_is_no_signup_box() -> None:

    tree = fromstring(
        "<html><body><div class='finder'><p>Find your stop</p><form>"
        "<input type='text' name='q' placeholder='Stop name'><button>Go</button></form></div>"
        "</body></html>"
    )
    assert drop_signup_boxes(tree) == 0
    assert "Find your stop" in tree.text_content()


def test_an_email_field_right_in_a_short_article_takes_nothing_with_it() -> None:

    # the box stops below the article: a brief with a comment form's field in it stays
    tree = fromstring(
        "<html><body><article><h1>Ferry back</h1><p>The ferry is back at the pier.</p>"
        "<input type='email' name='mail'></article></body></html>"
    )
    assert drop_signup_boxes(tree) == 0
    assert "The ferry is back at the pier." in tree.text_content()


def test_a_recaptcha_notice_set_in_emphasis_goes_whole() -> None:

    notice = RECAPTCHA.replace("<span>", "<p><em>").replace("reCAPTCHA and", "reCAPTCHA</em> and")
    tree = fromstring(
        f"<html><body><div>{paragraphs(story('Kept', 2))}{notice.replace('</span>', '</p>')}"
        "</div></body></html>"
    )
    assert drop_signup_boxes(tree) == 1
    assert "Terms of Service" not in tree.text_content()
    assert "Kept paragraph 1" in tree.text_content()


def test_a_recaptcha_notice_outside_any_text_container_is_left() -> None:

    # a notice in a table cell: nothing short around it can go (the cell is the layout's)
    notice = RECAPTCHA.replace("<span>", "").replace("</span>", "")
    tree = fromstring(f"<html><body><table><tr><td>{notice}</td></tr></table></body></html>")
    assert drop_signup_boxes(tree) == 0
    assert "reCAPTCHA" in tree.text_content()


def test_a_hidden_element_inside_a_removed_one_is_not_counted_again() -> None:
    tree = fromstring(
        "<html><body><div hidden><p>Menu</p><span class='sr-only'>Open menu</span></div>"
        "<p>The ferry is back at the pier.</p></body></html>"
    )
    assert drop_hidden(tree) == 1
    assert tree.text_content() == "The ferry is back at the pier."


def test_an_empty_anchor_in_a_paragraph_goes_and_its_text_stays() -> None:
    tree = fromstring(
        '<div><p><a id="term-7"></a>Testing what a reader sees.</p>'
        '<h2><a name="results"> </a>Results</h2><p>word<a id="n"></a> next</p>'
        '<p><a href="/photo"><img src="a.jpg"></a>A linked image stays.</p>'
        '<div><a name="comment-12"></a>A reader comment after its anchor.</div></div>'
    )
    assert drop_empty_links(tree) == 3
    assert [" ".join(e.text_content().split()) for e in tree.iter("p", "h2")] == [
        "Testing what a reader sees.",
        "Results",
        "word next",
        "A linked image stays.",
    ]
    # an anchor between blocks is left (old blogs open each comment with one)
    assert tree.find("div").find("a[@name='comment-12']") is not None


def test_a_paragraph_opening_with_an_empty_anchor_is_no_link() -> None:
    """The content extractor moves an empty link's tail into the link: paragraphs that
    open with a jump target read as links, and a run of them went as a list of links."""
    points = [
        "Ferry timetables change twice a year, in spring and in autumn.",
        "The pier lights stay on until the last boat has docked at night.",
        "Each crossing is logged by the harbour master before the boat leaves.",
    ]
    body = paragraphs(story("Harbour", 3)) + "".join(
        f'<p><a data-type="indexterm" id="t{i}"></a>{text}</p>' for i, text in enumerate(points)
    )
    html = f"<html><body><article><h1>Ferries</h1>{body}</article></body></html>"
    result = extract(html, "https://harbour.example/news/watch")
    for text in points:
        assert text in result.body


def test_a_line_break_between_two_words_reads_as_a_space() -> None:
    from scraper.extraction.document import load

    tree = load("<html><body><h1>Ferry returns<br>to the pier</h1></body></html>").tree
    assert next(tree.iter("h1")).text_content() == "Ferry returns to the pier"
