"""Our parser gives the tree trafilatura's ``load_html`` gives, with C-level element classes,
and reads past the 256 levels libxml2 stops at by default."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html as trafilatura_load_html

from scraper.extraction import extract
from scraper.extraction.document import load, load_html

CASES = [
    "<html><head><title>T</title></head><body><p>Text</p><form><input name=q></form></body></html>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>declared</p></body></html>',
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x/y'>\n<html><body><p>d</p></body></html>",
    '<html lang="de"/>\n<body><p>self-closing html</p></body>',
    "<div><p>a fragment</p><p>two blocks</p></div>",
    "<p>one block</p>",
    "<html><body><p>bad \x0b chars \ufffe here</p><!-- gone --><?pi gone?></body></html>",
    "plain text, no markup at all",
]


@pytest.mark.parametrize("html", CASES)
def test_same_tree_as_trafilatura(html: str) -> None:
    ours, theirs = load_html(html), trafilatura_load_html(html)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert [e.tag for e in ours.iter()] == [e.tag for e in theirs.iter()]


def test_every_element_is_html_element() -> None:
    tree = load_html(CASES[0])
    assert tree is not None
    assert all(isinstance(e, HtmlElement) for e in tree.iter())
    assert tree.find(".//form").text_content() == ""


def test_time_bound_alarm_during_parsing_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.errors import ExtractionTimeout
    from scraper.extraction import document

    def alarm(*args: object, **kwargs: object) -> None:
        raise ExtractionTimeout("extraction exceeded 0.1s")

    monkeypatch.setattr(document, "fromstring", alarm)
    with pytest.raises(ExtractionTimeout):
        document.load(CASES[0])


REPAIRS = [
    *CASES,
    "<!DOCTYPE html/>\n<html><body><p>x</p></body></html>",
    "<html/>\n<body>\x00\x1f<p>x\ufffe\uffff</p></body>",
    "<html><body>\n<p>long</p>" + "<p>para</p>" * 1000 + "\x0c</body></html>",
]


@pytest.mark.parametrize("html", REPAIRS)
def test_same_repairs_as_trafilatura(html: str) -> None:
    from trafilatura.utils import repair_faulty_html as theirs

    from scraper.extraction.document import repair_faulty_html

    beginning = html[:50].lower()
    assert repair_faulty_html(html, beginning) == theirs(html, beginning)


def test_invalid_characters_are_trafilaturas() -> None:
    from trafilatura.utils import INVALID_XML_CHARS

    from scraper.extraction.document import _invalid_xml_chars

    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    assert "".join(_invalid_xml_chars()) == "".join(INVALID_XML_CHARS.findall(every))


STORY_TEXT = "The ferry returned to the old pier on Monday after three weeks of repairs. " * 4


def test_a_page_of_two_documents_is_read_whole() -> None:
    # a server-side include sends its own document (the station's weather box) before the
    # article's; the parser makes them two top-level elements
    html = (
        "<html><head><meta name='author' content='Harbour Radio'></head><body>"
        "<div class='tides'>High water at the quay: 06:40 and 19:05</div></body></html>\n"
        "<!DOCTYPE html><html><head><title>News::Ferry returns to the old pier</title></head>"
        "<body><div class='story-head'><b>Ferry returns to the old pier</b></div>"
        f"<p>{STORY_TEXT}</p><p>{STORY_TEXT}</p></body></html>"
    )
    result = extract(html, "https://harbour-radio.example/news/index.php?id=7")
    assert "joined-documents:1" in result.notes
    assert STORY_TEXT.strip() in result.body
    assert result.headline == "Ferry returns to the old pier"


def test_join_documents_moves_later_heads_and_bodies_into_the_first() -> None:
    tree = load(
        "<html><head><title>One</title></head><body><p>first</p></body></html>"
        "<html><head><meta name='x' content='y'></head><body class='b'>loose <p>second</p>"
        "</body></html>"
    ).tree
    assert [e.tag for e in tree.itersiblings()] in ([], ["html"])
    assert tree.find("head/meta") is not None
    texts = [t.strip() for t in tree.find("body").itertext() if t.strip()]
    assert texts == ["first", "loose", "second"]


def test_a_first_document_without_a_body_gets_one_for_the_later_documents() -> None:
    tree = load(
        "<html><head><title>Ferry</title></head></html>"
        "<html><body><p>The ferry is back.</p></body></html>"
    ).tree
    assert [e.tag for e in tree] == ["head", "body"]
    assert tree.findtext("body/div/p") == "The ferry is back."


@pytest.mark.parametrize(
    "html",
    [
        "<!-- <p>a page that is one comment</p> -->",
        '<?xml version="1.0" encoding="utf-8"?><!-- <p>declared, then one comment</p> -->',
    ],
)
def test_a_page_the_parser_finds_empty_gives_no_tree_as_trafilaturas_does(html: str) -> None:
    # lxml raises "Document is empty" (the second page on its bytes, after refusing the
    # declaration in a string): no tree, like trafilatura's load_html, not an exception
    assert trafilatura_load_html(html) is None
    assert load_html(html) is None


def test_time_bound_alarm_while_reparsing_bytes_is_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scraper.errors import ExtractionTimeout
    from scraper.extraction import document

    real = document.fromstring

    def alarm_on_bytes(text: str | bytes, **kwargs: object) -> object:
        if isinstance(text, bytes):  # the re-parse of a page declaring its encoding
            raise ExtractionTimeout("extraction exceeded 0.1s")
        return real(text, **kwargs)

    monkeypatch.setattr(document, "fromstring", alarm_on_bytes)
    with pytest.raises(ExtractionTimeout):
        document.load(CASES[1])


def test_a_page_beyond_the_size_bound_is_cut() -> None:
    from scraper.extraction.document import MAX_CHARS, REDUCE_ABOVE

    paragraph = "<p>The ferry returned to the old pier on Monday.</p>"
    html = "<html><body>" + paragraph * (MAX_CHARS // len(paragraph) + 10)
    html += "<p>The last line of the page.</p></body></html>"
    assert len(html) > MAX_CHARS > REDUCE_ABOVE  # nothing to reduce: no script or style
    document = load(html)
    assert document.notes[0] == f"truncated:{len(html)}"
    assert len(document.text) == MAX_CHARS
    assert "last line" not in document.tree.text_content()


def test_a_page_that_parses_to_nothing_is_refused_as_unparseable() -> None:
    from scraper.errors import ExtractionError

    with pytest.raises(ExtractionError) as refused:
        load("<!-- <p>a page that is one comment</p> -->", "https://example.org/x")
    assert str(refused.value).endswith("unparseable HTML")


def test_a_story_nested_deeper_than_the_parser_s_default_bound_is_read() -> None:
    # libxml2 stops at 256 levels unless told otherwise; unclosed <div>s of a page builder
    # nest that deep, and everything below was lost
    story = "<h1>Ferry back at the pier</h1><p>The ferry returned to the old pier on Monday.</p>"
    html = "<html><body>" + "<div>" * 400 + story + "</div>" * 400 + "</body></html>"
    tree = load(html).tree
    assert tree.findtext(".//h1") == "Ferry back at the pier"
    assert tree.find(".//p") is not None


def test_inline_data_does_not_push_the_story_past_the_size_bound() -> None:
    from scraper.extraction.document import MAX_CHARS

    image = "<img src='data:image/png;base64," + "QUJD" * (MAX_CHARS // 4) + "'>"
    html = (
        "<html><body><h1>Ferry back at the pier</h1>" + image + "<p>The ferry returned to the "
        "old pier on Monday.</p><div style='background:url(data:image/png;base64,"
        + "QUJD" * 100
        + ")'>Crews cheered.</div></body></html>"
    )
    document = load(html)
    assert document.notes[0].startswith("reduced:")
    text = document.tree.text_content()
    assert "returned to the old pier" in text and "Crews cheered." in text
    assert document.tree.find(".//img").get("src") == "data:"
