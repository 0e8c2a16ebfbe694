"""DOM repairs before content extraction, each rule on a page written for it."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.document import strip_soft_hyphens
from scraper.extraction.dom import (
    drop_hidden,
    merge_split_bodies,
    unwrap_layout_tables,
    wrap_loose_text,
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


def test_nested_layout_tables_give_the_article_once_without_navigation() -> None:
    nav = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(6))
    texts = story("Tabled", 5)
    html = (
        "<html><body><table width='100%'><tr><td><table>"
        f"{nav}</table></td><td><table><tr><td><h1>Ferry restored</h1>{paragraphs(texts)}"
        "</td></tr></table></td></tr></table></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    for text in texts:
        assert result.body.count(text) == 1
    assert "Section 3" not in result.body


def test_data_table_stays_a_table() -> None:
    tree = fromstring(
        "<html><body><table><tr><th>Route</th><th>Crossings</th></tr>"
        "<tr><td>North</td><td>12</td></tr><tr><td>South</td><td>9</td></tr></table></body></html>"
    )
    assert unwrap_layout_tables(tree) == 0
    assert tree.find(".//table") is not None
    single_column = fromstring(
        "<html><body><table><tr><td>a</td></tr><tr><td>b</td></tr></table></body></html>"
    )
    assert unwrap_layout_tables(single_column) == 1
    assert single_column.find(".//table") is None


def test_layout_table_parts_all_become_containers_and_a_nested_data_table_stays() -> None:
    tree = fromstring(
        "<html><body><table><tbody><tr><td><p>Story text long enough to be prose, about the "
        "ferry and its timetable for the summer months ahead.</p>"
        "<table><tr><th>Route</th><th>Crossings</th></tr><tr><td>North</td><td>12</td></tr>"
        "</table></td><td>Menu</td></tr><tr><td>Footer</td><td>Links</td></tr></tbody>"
        "</table></body></html>"
    )
    assert unwrap_layout_tables(tree) == 1
    data = tree.find(".//table")
    assert data is not None and len(data.findall(".//td")) == 2
    assert len(tree.findall(".//td")) == 2  # only the data table's cells
    assert tree.find(".//tbody") is None


def test_text_after_the_last_paragraph_is_read() -> None:
    texts = story("Tagged", 3)
    tail = (
        "The last part of the story was typed straight into the container, after the final "
        "paragraph element, and says the next crossing leaves at seven."
    )
    html = (
        f"<html><body><article><h1>Ferry</h1><div class='text'>{paragraphs(texts)}{tail}"
        "<br><br>A second loose paragraph adds that tickets are sold on board from now on, "
        "cash or card.</div></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert tail in result.paragraphs
    assert result.paragraphs[-1].startswith("A second loose paragraph")


def test_wrap_loose_text_splits_at_blocks_and_double_breaks_only() -> None:
    tree = fromstring(
        "<html><body><div>First run of loose text, long enough to be worth reading here."
        "<br>same paragraph after one break <b>bold</b> end.<br><br>Second run after two "
        "breaks.<p>A real paragraph.</p>Third run after the block.</div></body></html>"
    )
    assert wrap_loose_text(tree) == 3
    texts = [" ".join(" ".join(p.itertext()).split()) for p in tree.iter("p")]
    assert texts == [
        "First run of loose text, long enough to be worth reading here. "
        "same paragraph after one break bold end.",
        "Second run after two breaks.",
        "A real paragraph.",
        "Third run after the block.",
    ]


def _laid_out_with_a_bold_lead(lead: str, before: str = "") -> str:
    """An old print-style page: a layout table whose cell sets the story in a ``<font>``,
    the intro in bold before unclosed ``<P>``s, a picture box floated beside it."""
    body = "\n<P>\n".join(story("Printed", 5))
    return (
        "<html><body><table><tr><td colspan='3'><div class='sh'>Ferry restored</div></td></tr>"
        "<tr><td valign='top'><font size='2'>"
        "<table align='right'><tr><td><img src='/ferry.jpg'><div class='cap'>The ferry"
        f"</div></td></tr></table>\n{before}{lead}\n<P>\n{body}\n</font></td>"
        "<td><a href='/a'>Home</a><br><a href='/b'>Weather</a></td></tr></table></body></html>"
    )


def test_an_intro_set_in_bold_before_the_first_paragraph_is_a_paragraph() -> None:
    intro = "The estuary ferry is running again after a winter without crossings, its owners said."
    result = extract(_laid_out_with_a_bold_lead(f"<B>{intro}</B>"), "https://estuary.example/f")
    assert result.paragraphs[0] == intro
    assert result.paragraphs[1] == story("Printed", 1)[0]


@pytest.mark.parametrize(
    ("lead", "before"),
    [
        # italics before the story: an editor's note, not the intro
        ("<i>Readers' letters may be edited for length and clarity before they appear.</i>", ""),
        # bold after the story has begun: a call to action among the paragraphs
        (
            "<b>Sign up for the estuary newsletter to hear about every new crossing.</b>",
            "<P>Begun.",
        ),
    ],
)
def test_other_emphasis_beside_paragraphs_is_not_made_a_paragraph(lead: str, before: str) -> None:
    tree = fromstring(_laid_out_with_a_bold_lead(lead, before))
    unwrap_layout_tables(tree)
    wrapped = wrap_loose_text(tree)
    texts = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    assert not any(t.startswith(("Readers'", "Sign up")) for t in texts), (wrapped, texts)


def test_loose_text_after_an_empty_inline_element_is_wrapped() -> None:
    # the story's first paragraph is the tail of an empty <b> left by the template
    first = "The first paragraph follows an empty bold element the template left behind."
    tree = fromstring(
        "<html><body><div><div class='ads'>Sponsored</div><b></b>"
        f"{first}<br/><br/>The second paragraph is typed after two breaks, long enough."
        "<br/><br/></div></body></html>"
    )
    assert wrap_loose_text(tree) == 2
    texts = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    assert texts[0] == first


def test_container_without_loose_text_is_untouched() -> None:
    html = "<html><body><div>\n <p>One.</p>\n <p>Two.</p>\n</div></body></html>"
    tree = fromstring(html)
    assert wrap_loose_text(tree) == 0
    assert len(list(tree.iter("p"))) == 2


@pytest.mark.parametrize("hyphen", ["\u00ad", "&shy;", "&#173;", "&#xAD;"])
def test_soft_hyphens_are_removed_from_words(hyphen: str) -> None:
    assert strip_soft_hyphens(f"<p>Fähr{hyphen}verbindung</p>") == "<p>Fährverbindung</p>"
    texts = story("Soft", 4)
    texts[1] = f"The new Fähr{hyphen}verbindung across the estuary opens on Monday morning."
    html = f"<html><body><article><h1>Ferry</h1>{paragraphs(texts)}</article></body></html>"
    result = extract(html, "https://estuary.example/ferry")
    assert "Fährverbindung" in result.body
    assert "\u00ad" not in result.body


def test_text_with_breaks_in_a_span_is_read_as_paragraphs() -> None:
    texts = story("Spanned", 4)
    html = (
        "<html><body><table><tr><td><a href='/'>Home</a></td></tr></table>"
        "<div><h1>Ferry</h1><span class='article_text'>"
        + "<br><br>".join(texts)
        + "</span></div></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == texts


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


def test_loose_text_with_inline_links_stays_one_paragraph_with_its_spaces() -> None:
    texts = story("Linked", 3)
    loose = (
        'The new <a href="/boats/cat-2">Estuary Cat</a> was launched on Monday, and the older '
        '<a href="/boats/swan">Swan</a>\nwill be kept as a reserve boat for the busy summer months.'
    )
    html = (
        f"<html><body><article><h1>Ferry</h1><div class='body'>{paragraphs(texts)}{loose}"
        "</div></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert (
        "The new Estuary Cat was launched on Monday, and the older Swan will be kept as a "
        "reserve boat for the busy summer months."
    ) in result.paragraphs


def test_text_written_in_a_div_among_paragraphs_is_a_paragraph() -> None:
    texts = story("Mixed", 8)
    plain = (
        "Written straight into a div of its own, this paragraph says the harbour master "
        "expects the first crossing of the season to be fully booked."
    )
    linked = (
        'Another div carries a link to the <a href="/timetable">new timetable</a> in the '
        "middle of its sentence, and the words around the link belong to it."
    )
    html = (
        "<html><body><article><h1>Ferry</h1><div class='post'>"
        f"<p>{texts[0]}</p><div>{plain}</div><p>{texts[1]}</p><div>{linked}</div>"
        f"{paragraphs(texts[2:])}</div></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert plain in result.paragraphs
    assert (
        "Another div carries a link to the new timetable in the middle of its sentence, "
        "and the words around the link belong to it." in result.paragraphs
    )
    assert result.paragraphs.index(plain) == 1


def test_div_of_text_away_from_paragraphs_is_left_to_the_content_extractor() -> None:
    tree = fromstring(
        "<html><body><div><div>A caption-like line of text in a div of its own, long enough.</div>"
        "<ul><li>one</li></ul></div></body></html>"
    )
    assert wrap_loose_text(tree) == 0


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
    from scraper.extraction.dom import drop_signup_boxes

    # one story paragraph (under the box's word limit) and a bare e-mail field together
    text = " ".join(story("Only", 2))
    tree = fromstring(
        f"<html><body><div id='story'><p>{text}</p><input type='email' name='e'></div>"
        "</body></html>"
    )
    drop_signup_boxes(tree)
    assert text in tree.text_content()
