"""Layout repairs before main-content extraction: tables that lay out a page become plain
containers (:func:`unwrap_layout_tables`), and text lying loose beside blocks becomes
paragraphs (:func:`wrap_loose_text`), so the content extractor judges a page's story by its
blocks, as it does on pages laid out with ``<div>`` and ``<p>``.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from scraper.extraction.dom import HEADINGS, PROSE_WORDS
from scraper.extraction.text import reads_as_code

_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used to lay out a page, not to hold data.

    Layout: it holds another table, or a cell holds prose paragraphs or block containers,
    or it has a single row or a single column. Data: a caption, header cells or ``summary``.
    """
    if table.find(".//table") is not None:
        return True
    if table.find("caption") is not None or table.find(".//th") is not None:
        return False
    rows = table.xpath("./tr | ./tbody/tr | ./thead/tr")
    if len(rows) <= 1:
        return True
    if max((len(row.xpath("./td")) for row in rows), default=0) <= 1:
        return True
    for cell in table.iter("td"):
        for block in cell.iter("p", "div"):
            if len(block.text_content().split()) >= PROSE_WORDS:
                return True
    return False


def _owner(element: HtmlElement) -> HtmlElement | None:
    """The table an element of a table belongs to."""
    return next(element.iterancestors("table"), None)


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Turn layout tables into plain containers; returns how many.

    The content extractor reads a table as rows of cells: a page laid out with nested
    tables comes out as rows repeating the article beside its navigation. As containers,
    their cells are judged like any other block.
    """
    layout = [t for t in tree.iter("table") if _is_layout_table(t)]
    # each table's own parts, read before any is renamed (parts of nested tables stay theirs)
    parts = [
        [
            e
            for e in table.iter(*_TABLE_PARTS)
            if e is table or (e.tag != "table" and _owner(e) is table)
        ]
        for table in layout
    ]
    for element in (e for own in parts for e in own):
        element.tag = "div"
        for name in ("width", "cellpadding", "cellspacing", "border", "colspan", "rowspan"):
            element.attrib.pop(name, None)
    return len(layout)


#: Blocks that hold text: an element holding one is no phrase of a paragraph.
_FLOW_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "table"}
    | {"ul", "ol", "dl", "blockquote", "pre", "figure", "form", "center", "address", "details"}
    | HEADINGS
)
#: Elements that end a run of loose text (everything else is inline, part of the run): the
#: blocks, a rule, scripts and embedded objects.
BLOCK_TAGS = _FLOW_BLOCKS | frozenset(
    {"hr", "script", "style", "noscript", "iframe", "img", "video", "audio", "picture"}
)
#: What ends a run of inline text: a block, or a line break.
_BREAKS = BLOCK_TAGS | {"br"}
#: Containers that are inline themselves: their text is a paragraph's only beside blocks.
_INLINE_CONTAINERS = frozenset({"font", "span"})
#: How an intro is set in bold before a story's first paragraph.
_BOLD = frozenset({"b", "strong"})
#: Loose text shorter than this (characters) is left alone.
LOOSE_MIN_CHARS = 40


def wrap_loose_text(tree: HtmlElement) -> int:
    """Wrap text lying directly in a container beside block elements into paragraphs.

    Text after the last ``<p>`` of a story, or a story written as text with ``<br>`` breaks
    inside a container that also holds blocks, is otherwise never read as a paragraph.
    Runs of text and inline elements are split at blocks and at two or more ``<br>``.
    A ``<div>`` holding only text (and inline elements) beside ``<p>`` siblings is a
    paragraph written as a div: once a page has paragraphs, the content extractor reads
    ``<p>`` only, and such a div lost its text (or kept only the pieces after its links).
    A div of text and links is wrapped however short (:func:`_text_around_links`). A run
    of bare text that reads as a script's source goes (:func:`_script_source`).
    Returns the paragraphs made.
    """
    made = 0
    for container in list(tree.iter("div", "td", "article", "section", "main", "font", "span")):
        parent = container.getparent()
        if parent is None:
            continue
        if _holds_loose_text(container, parent) or _text_around_links(container):
            made += _wrap_runs(container)
    return made


def _holds_loose_text(container: HtmlElement, parent: HtmlElement) -> bool:
    """Loose text worth a paragraph (a long run, or a bold intro), beside blocks or breaks,
    or in a div among ``<p>`` siblings (a paragraph written as a div)."""
    if not _long_text(container.text):
        # a loop, not any(): this runs for every container of the page
        for child in container:
            if _long_text(child.tail) or _bold_lead(child):
                break
        else:
            return False
    return any(c.tag in _BREAKS for c in container if isinstance(c.tag, str)) or (
        container.tag not in _INLINE_CONTAINERS and parent.find("p") is not None
    )


def _long_text(text: str | None) -> bool:
    """Whether ``text`` holds at least :data:`LOOSE_MIN_CHARS` characters besides white space."""
    return (
        text is not None and len(text) >= LOOSE_MIN_CHARS and len(text.strip()) >= LOOSE_MIN_CHARS
    )


def _text_around_links(container: HtmlElement) -> bool:
    """A ``<div>`` of text and links with no block inside (images aside), however short.

    Reading links, the content extractor keeps each link of a ``<div>`` it does not read as
    a paragraph, with the link's tail, as a paragraph of its own: the div's own text before
    the first link is lost, and the space after a link ("the harbour touronline"). Wrapped
    as a paragraph, the line is read whole, and the cleaning judges all of it (a menu by
    its links, a byline by its words).
    """
    if container.tag != "div" or container.find("a") is None:
        return False
    if any(c.tag in _BREAKS and c.tag != "img" for c in container if isinstance(c.tag, str)):
        return False
    return bool((container.text or "").strip()) or any((c.tail or "").strip() for c in container)


def _bold_lead(element: HtmlElement) -> bool:
    """An intro set in bold right before a story's first ``<p>`` (``<b>Intro.</b><p>…``, as
    print layouts set the lead): a paragraph of its own, loose in its container. Italics
    there are more often an editor's note or a notice, and are left alone."""
    if element.tag not in _BOLD:
        return False  # first: this is asked of every child of every container
    following = element.getnext()
    if (
        following is None
        or following.tag != "p"
        or (element.tail or "").strip()
        or len(element.text_content().strip()) < LOOSE_MIN_CHARS
    ):
        return False
    if any(e.tag == "p" for e in element.itersiblings(preceding=True)):
        return False
    return not any(e.tag in _BREAKS for e in element.iterdescendants())


def _inside_a_word(slot: HtmlElement, previous: HtmlElement | None, text: str) -> bool:
    """An empty block set into the middle of a word ("fully bo<div id=slot></div>oked"): a
    script's ad slot, placed after so many characters; the word goes on after it."""
    if len(slot) or (slot.text or "").strip():
        return False
    before = (previous.tail or previous.text_content()) if previous is not None else text
    after = slot.tail or ""
    return before[-1:].isalpha() and after[:1].isalpha() and after[:1].islower()


def _holds_blocks(element: HtmlElement) -> bool:
    """An element that holds blocks (a custom element framing a page, ``<a>`` around a
    card) ends a run of loose text like a block: wrapped into it, a paragraph would hold
    tables and paragraphs."""
    return any(e.tag in _FLOW_BLOCKS for e in element.iterdescendants() if isinstance(e.tag, str))


def _script_source(text: str, inline: list[HtmlElement]) -> bool:
    """A run of loose text that is a script's source: on a damaged page (a doctype broken
    before the head, a script opened inside a comment) the parser reads a script as text.
    As a paragraph it would make the page's frame look like the story, and left loose the
    content extractor still reads it, so it goes. Only bare text (line breaks aside): a
    code sample written with ``<code>`` is the author's."""
    if any(e.tag != "br" for e in inline):
        return False
    return reads_as_code(text + "".join(e.tail or "" for e in inline))


def _wrap_runs(container: HtmlElement) -> int:
    """Move each run of loose text and inline children of ``container`` into a new ``<p>``."""
    runs: list[tuple[HtmlElement | None, str, list[HtmlElement]]] = []  # (after, text, inline)
    anchor: HtmlElement | None = None
    text = container.text or ""
    inline: list[HtmlElement] = []
    blank_br = False  # the previous child was a <br> with nothing after it

    def close() -> None:
        if text.strip() or any(e.text_content().strip() or (e.tail or "").strip() for e in inline):
            runs.append((anchor, text, inline))

    for child in list(container):
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _BREAKS and _holds_blocks(child):
            tag = "div"  # a custom element or a link around a card: a block, not a phrase
        if tag in BLOCK_TAGS and _inside_a_word(child, inline[-1] if inline else None, text):
            tag = ""  # an empty slot set into the middle of a word joins the run
        if tag in BLOCK_TAGS or (tag == "br" and blank_br):
            close()
            anchor, text, inline = child, child.tail or "", []
            child.tail = None
            blank_br = False
            continue
        inline.append(child)
        blank_br = tag == "br" and not (child.tail or "").strip()
    close()
    container.text = None
    made = 0
    for after, lead, elements in runs:
        if _script_source(lead, elements):
            for element in elements:  # line breaks: their text is the script's too
                element.tail = None
            continue
        paragraph = container.makeelement("p", {})
        paragraph.text = lead
        container.insert(0 if after is None else container.index(after) + 1, paragraph)
        for element in elements:
            paragraph.append(element)  # moves it, with its tail
        made += 1
    return made
