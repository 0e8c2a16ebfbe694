"""Layout repairs before content extraction (layout tables, loose text), each rule on a
page written for it."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement, fromstring

from scraper.extraction import extract
from scraper.extraction.layout import unwrap_layout_tables, wrap_loose_text
from tests.scraper.extraction.test_dom import paragraphs, story


def paragraph_texts(tree: HtmlElement) -> list[str]:
    """The text of each ``<p>`` in ``tree``, white space folded."""
    return [" ".join("".join(p.itertext()).split()) for p in tree.iter("p")]


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
        "<html><body><table><tr><td colspan='3'><div class='story-title'>Ferry restored</div></td></tr>"
        "<tr><td valign='top'><font size='2'>"
        "<table align='right'><tr><td><img src='/ferry.jpg'><div class='photo-note'>The ferry"
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
            "<P>Begun.</P>",  # closed: the bold is the paragraph's sibling, not inside it
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


def test_short_div_of_text_and_links_is_read_whole_with_its_spaces() -> None:
    texts = story("Toured", 6)
    line = 'Book the <a href="/tour">harbour tour</a> online'
    html = (
        f"<html><body><article>{paragraphs(texts[:3])}<div>{line}</div>"
        f"{paragraphs(texts[3:])}</article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert "Book the harbour tour online" in result.paragraphs
    assert "harbour touronline" not in result.body


def test_div_of_text_and_links_is_wrapped_and_a_div_of_a_link_alone_is_not() -> None:
    tree = fromstring(
        "<html><body><div><div>Filed in <a href='/news'>News</a></div>"
        "<div><a href='/next'>Next story</a></div><ul><li>one</li></ul></div></body></html>"
    )
    assert wrap_loose_text(tree) == 1
    assert ["".join(p.itertext()) for p in tree.iter("p")] == ["Filed in News"]


def test_a_menu_in_a_div_among_the_paragraphs_is_wrapped_and_then_dropped_as_links() -> None:
    texts = story("Menued", 6)
    menu = " | ".join(f"<a href='/{w.lower()}'>{w}</a>" for w in ("Ferries", "Tides", "Contact"))
    html = (
        f"<html><body><article>{paragraphs(texts[:3])}<div>{menu}</div>"
        f"{paragraphs(texts[3:])}</article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == texts


def test_an_empty_slot_set_into_the_middle_of_a_word_does_not_split_it() -> None:
    tree = fromstring(
        "<html><body><div><p>A paragraph of the story, set as a paragraph.</p>"
        "The harbour master said the crossing was fully bo<div id='slot-7'></div>oked for the "
        "summer.<br><br>A second run of loose text.<div class='spacer'></div>"
        "Another run after an empty block between sentences.</div></body></html>"
    )
    wrap_loose_text(tree)
    texts = paragraph_texts(tree)
    assert texts == [
        "A paragraph of the story, set as a paragraph.",
        "The harbour master said the crossing was fully booked for the summer.",
        "A second run of loose text.",
        "Another run after an empty block between sentences.",
    ]


#: A script's source as a damaged page shows it (the parser read the script as text).
SCRIPT_AS_TEXT = (
    "var offsetX=12 // how far the tip sits from the cursor\n"
    'var tip=document.getElementById("tip")\n'
    'function showtip(text, width){ if (width) tip.style.width=width+"px"; '
    "tip.innerHTML=text; return false }\n"
)


def test_a_script_read_as_text_goes_and_prose_beside_it_is_wrapped() -> None:
    prose = (
        "The crossing reopened on Monday, the harbour master said, after a winter of repairs "
        "to the slipway."
    )
    sample = "<code>var fare = base * 1.2;</code><br><code>if (child) { fare = fare / 2 }</code>"
    tree = fromstring(
        f"<html><body><div><div id='tip'></div>{SCRIPT_AS_TEXT}<img id='pointer'>{prose}"
        f"<div id='sample'></div>{sample}"
        "<div><p>A paragraph of the page, set as a paragraph.</p></div></div></body></html>"
    )
    assert wrap_loose_text(tree) == 2
    wrapped = paragraph_texts(tree)
    assert wrapped == [
        prose,
        "var fare = base * 1.2;if (child) { fare = fare / 2 }",  # a sample the author marked
        "A paragraph of the page, set as a paragraph.",
    ]
    assert not (tree.get_element_by_id("tip").tail or "").strip()


def test_a_damaged_page_gives_its_article_without_the_script_shown_as_text() -> None:
    menu = "".join(f"<div><a href='/s{i}'>Section number {i}</a></div>" for i in range(30))
    texts = story("Damaged", 3)
    html = (
        f"<html><body><div><div id='tip'></div>{SCRIPT_AS_TEXT}<img id='pointer'>"
        f"{SCRIPT_AS_TEXT * 8}<x-frame><table><tr><td>{menu}</td><td>"
        "<span>Ferry restored</span><br><span>By A. Writer</span><br>"
        f"<div class='text'>{paragraphs(texts)}</div></td></tr></table></x-frame></div>"
        "</body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == texts
    assert "getElementById" not in result.body


def test_an_element_holding_blocks_ends_a_run_and_a_linked_image_joins_it() -> None:
    tree = fromstring(
        "<html><body><div><p>A paragraph of the story, set as a paragraph.</p>"
        "Loose text typed after the paragraph, with a <a href='/map'><img src='m.png'></a> "
        "map link inside its sentence.<story-card><div><p>A card's own paragraph.</p></div>"
        "</story-card>More loose text after the card, long enough to be wrapped too."
        "</div></body></html>"
    )
    assert wrap_loose_text(tree) == 2
    card = tree.find(".//story-card")
    assert card is not None and card.getparent().tag == "div"  # not inside a new paragraph
    texts = paragraph_texts(tree)
    assert texts == [
        "A paragraph of the story, set as a paragraph.",
        "Loose text typed after the paragraph, with a map link inside its sentence.",
        "A card's own paragraph.",
        "More loose text after the card, long enough to be wrapped too.",
    ]


def test_a_grid_table_with_prose_in_a_cell_is_layout_and_one_of_short_cells_is_data() -> None:
    prose = story("Celled", 1)[0]
    laid_out = fromstring(
        f"<html><body><table><tr><td><a href='/'>Home</a></td><td><p>{prose}</p></td></tr>"
        "<tr><td><a href='/w'>Weather</a></td><td>Contact</td></tr></table></body></html>"
    )
    assert unwrap_layout_tables(laid_out) == 1
    assert laid_out.find(".//table") is None
    fares = fromstring(
        "<html><body><table><tr><td>Adult</td><td>4.50</td></tr>"
        "<tr><td>Child</td><td>2.20</td></tr></table></body></html>"
    )
    assert unwrap_layout_tables(fares) == 0
    assert fares.find(".//table") is not None


def test_a_script_read_as_text_across_line_breaks_goes_whole() -> None:
    lines = SCRIPT_AS_TEXT.strip().split("\n")
    tree = fromstring(
        f"<html><body><div><div id='tip'></div>{'<br>'.join(lines)}"
        "<div><p>A paragraph of the page, set as a paragraph.</p></div></div></body></html>"
    )
    assert wrap_loose_text(tree) == 0
    assert "getElementById" not in tree.text_content()
    assert "showtip" not in tree.text_content()
    assert paragraph_texts(tree) == ["A paragraph of the page, set as a paragraph."]
