"""The article body: trafilatura finds the main content, we read it as typed blocks.

trafilatura returns its result as a small XML tree (``p``, ``head``, ``list/item``,
``quote``, ``table/row/cell``, ``ref`` for links, ``lb`` for line breaks). We turn it into
:class:`Block` values that keep the kind of each block and how much of it is link text,
which the cleaning rules use.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from lxml.etree import _Element
from lxml.html import HtmlElement

from scraper.extraction.text import final_mark, fold_spaces

logger = logging.getLogger(__name__)

#: Marks that end a sentence (closing quotes and brackets after them are skipped).
_SENTENCE_END = frozenset(".!?;:…。！？")


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the body."""

    kind: str  # p, head, item, quote, row, code
    text: str
    link_chars: int = 0
    links: int = 0
    #: The list an ``item`` belongs to, numbered from 1 in document order (0: no list).
    list_id: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @cached_property  # every cleaning rule asks; the block never changes
    def words(self) -> int:
        return len(self.text.split())


def run_trafilatura(tree: HtmlElement, url: str | None, *, fast: bool = False) -> _Element | None:
    """trafilatura's main-content tree for ``tree`` (which it copies), or None.

    ``fast`` skips trafilatura's fallback extractors (readability, jusText), which are
    very slow on huge DOMs.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,
        url=None,  # only resolves link targets, which blocks never read: wasted work
        with_metadata=False,
        include_comments=False,
        include_links=True,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        favor_precision=False,
        fast=fast,
    )
    if document is None:
        return None
    body = getattr(document, "body", None)
    return body if body is not None else None


def _text_and_links(element: _Element, spaces: LinkSpaces) -> list[tuple[str, int, int]]:
    """Text of ``element`` split at line breaks and at blocks inside it (a quote's label
    before its paragraph), each with its link characters and count.

    A link that lost the space the page printed at either edge gets it back: ``spaces``
    holds the pairs of words the page separates there (:class:`LinkSpaces`); the content
    extractor strips a tail's leading space where it makes a link and its tail a paragraph
    of their own ("the MacBook Prowas released"), and in some containers the space before
    a link."""
    lines: list[tuple[str, int, int]] = []
    parts: list[str] = []
    link_chars = 0
    links = 0

    def flush() -> None:
        nonlocal parts, link_chars, links
        text = fold_spaces("".join(parts))
        if text:
            lines.append((text, min(link_chars, len(text)), links))
        parts, link_chars, links = [], 0, 0

    def walk(node: _Element, in_link: bool) -> None:
        nonlocal link_chars, links
        tag = node.tag if isinstance(node.tag, str) else ""
        is_link = tag == "ref"
        if is_link and not in_link:
            links += 1
        if tag == "lb":
            flush()
        elif node.text:
            parts.append(node.text)
            if in_link or is_link:
                link_chars += len(node.text.strip())
        for child in node:
            inner = child.tag in _INNER_BLOCKS
            if inner:
                flush()
            elif child.tag == "ref" and parts and _lost_space_before(parts[-1], child, spaces):
                parts.append(" ")
            walk(child, in_link or is_link)
            if inner:
                flush()
            if child.tail:
                if (
                    child.tag == "ref"
                    and parts
                    and not parts[-1][-1:].isspace()
                    and _lost_space(child, child.tail, spaces)
                ):
                    parts.append(" ")
                parts.append(child.tail)
                if in_link or is_link:
                    link_chars += len(child.tail.strip())
        if tag in ("item", "cell") and parts and not parts[-1].endswith(" "):
            parts.append(" ")

    walk(element, False)
    flush()
    return lines


#: Blocks of trafilatura's output that can stand inside another (a <p> in a quote or item).
_INNER_BLOCKS = frozenset({"p", "head", "quote", "list", "item"})
_WORD = re.compile(r"\w+")
#: Characters read at each side of a link for its last word and the word after it.
_EDGE = 64


def _edge_words(link_text: str, tail: str) -> tuple[str, str] | None:
    """The link's last word and the tail's first word, case-folded; None if either is
    missing or the tail opens with something else than a word."""
    last = _WORD.findall(link_text[-_EDGE:])
    first = _WORD.match(tail.lstrip()[:_EDGE])
    if not last or first is None:
        return None
    return last[-1].casefold(), first.group().casefold()


def _lost_space(link: _Element, tail: str, spaces: LinkSpaces) -> bool:
    """The page prints a space between ``link`` and the word its ``tail`` begins with, and
    the tail begins with that word directly."""
    if not tail[:1].isalnum():
        return False
    return _edge_words("".join(link.itertext()), tail) in spaces.after


def _lost_space_before(lead: str, link: _Element, spaces: LinkSpaces) -> bool:
    """The page prints a space between the word ``lead`` ends with and ``link``, and
    ``lead`` ends with that word directly (the content extractor strips a text's trailing
    space before a link in some containers: "said Ann Leeon Friday")."""
    if not (lead[-1:].isalnum() or lead[-1:] in _CLOSING_MARKS):
        return False
    return _edge_words(lead, "".join(link.itertext())) in spaces.before


#: Marks that end a word's phrase, after which a link the page sets apart needs its space.
_CLOSING_MARKS = frozenset(").]},;:!?\u201d\u2019\u00bb")


class LinkSpaces:
    """Where the page prints white space at a link's edges, as pairs of words: (the link's
    last word, the word after it) in :attr:`after`, (the word before it, the link's first
    word) in :attr:`before`. Read from the page on first use: most bodies never ask."""

    def __init__(self, tree: HtmlElement | None = None) -> None:
        self._tree = tree

    @cached_property
    def _pairs(self) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
        after: set[tuple[str, str]] = set()
        before: set[tuple[str, str]] = set()
        for link in self._tree.iter("a") if self._tree is not None else ():
            text = link.text_content()
            tail = link.tail
            if tail and tail[:1].isspace():
                pair = _edge_words(text, tail)
                if pair is not None:
                    after.add(pair)
            previous, parent = link.getprevious(), link.getparent()
            lead = (
                (parent.text if parent is not None else None) if previous is None else previous.tail
            )
            if lead and lead[-1:].isspace():
                pair = _edge_words(lead, text)
                if pair is not None:
                    before.add(pair)
        return frozenset(after), frozenset(before)

    @property
    def after(self) -> frozenset[tuple[str, str]]:
        return self._pairs[0]

    @property
    def before(self) -> frozenset[tuple[str, str]]:
        return self._pairs[1]


def _continues(previous: Block, paragraph: _Element, spaces: LinkSpaces) -> bool:
    """``paragraph`` opens with a link that the page prints inside the sentence
    ``previous`` leaves unfinished: the content extractor cut the paragraph at the link."""
    first = paragraph[0] if len(paragraph) else None
    if (
        first is None
        or first.tag != "ref"
        or (paragraph.text or "").strip()
        or previous.kind != "p"
        or final_mark(previous.text) in _SENTENCE_END
    ):
        return False
    return _edge_words(previous.text, "".join(first.itertext())) in spaces.before


def blocks_of(body: _Element, spaces: LinkSpaces | None = None) -> list[Block]:
    """Flatten trafilatura's body tree into blocks, in document order.

    Text lying loose in the body is a paragraph of its own when it is the body's opening
    text (on a page whose whole article is bare text it is all there is) or reads as prose
    (a sentence after a heading); short loose fragments (separators between links, a date
    after a heading, a label) are layout.
    """
    blocks: list[Block] = []
    spaces = spaces if spaces is not None else LinkSpaces()

    def add(kind: str, element: _Element, list_id: int = 0) -> None:
        lines = _text_and_links(element, spaces)
        if lines and kind == "p" and blocks and _continues(blocks[-1], element, spaces):
            text, link_chars, links = lines.pop(0)
            previous = blocks.pop()
            blocks.append(
                Block(
                    "p",
                    f"{previous.text} {text}",
                    previous.link_chars + link_chars,
                    previous.links + links,
                )
            )
        for text, link_chars, links in lines:
            blocks.append(Block(kind, text, link_chars, links, list_id))

    def loose(text: str | None, *, opening: bool = False) -> None:
        text = fold_spaces(text or "")
        if text and (opening or is_sentence(text)):
            blocks.append(Block("p", text))

    lists = 0

    def read(container: _Element) -> None:
        nonlocal lists
        for child in container:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "list":
                lists += 1
                for item in child.iter("item"):
                    # nested lists: take only the item's own text once, at its own level
                    if item.getparent() is not None and item.find("list") is not None:
                        own = _own_text(item)
                        if own:
                            blocks.append(Block("item", own, list_id=lists))
                        continue
                    add("item", item, lists)
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [fold_spaces(" ".join(c.itertext())) for c in row.iter("cell")]
                    text = " | ".join(c for c in cells if c)
                    if text:
                        linked, links = _row_links(row)
                        blocks.append(Block("row", text, min(linked, len(text)), links))
            elif tag in ("head", "quote", "code", "p"):
                add(tag, child)
            elif any(isinstance(g.tag, str) and g.tag in _BLOCKS for g in child):
                # a container trafilatura left in (a fallback extractor's <div>): its
                # blocks are blocks, not one paragraph of their glued texts
                loose(child.text)
                read(child)
            else:
                add("p", child)
            loose(child.tail)

    loose(body.text, opening=True)
    read(body)
    return blocks


#: The block elements of trafilatura's output (and a container holding them).
_BLOCKS = frozenset({"p", "head", "list", "table", "quote", "code", "div"})


def _row_links(row: _Element) -> tuple[int, int]:
    """Characters of link text in a table row, and how many links it holds."""
    refs = [ref for ref in row.iter("ref") if next(ref.iterancestors("ref"), None) is None]
    chars = sum(len(fold_spaces(" ".join(ref.itertext()))) for ref in refs)
    return chars, len(refs)


def is_sentence(text: str) -> bool:
    """At least six words ending in a sentence's closing punctuation."""
    return len(text.split()) >= 6 and final_mark(text) in _SENTENCE_END


def _own_text(item: _Element) -> str:
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return fold_spaces("".join(parts))


#: A double-quoted string literal in a script (JSON or JavaScript), escapes kept.
_STRING_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_TAG = re.compile(r"<[^>]*>")
#: Signs of a paragraph start tag inside a script, written plainly or JSON-escaped.
_PARAGRAPH_SIGNS = ("<p>", "<p ", "\\u003cp>", "\\u003cp ")
#: An article shipped in a script holds at least this many paragraphs ...
EMBEDDED_MIN_PARAGRAPHS = 2
#: ... and this many characters of text.
EMBEDDED_MIN_CHARS = 300


def embedded_article(scripts: Iterable[HtmlElement]) -> HtmlElement | None:
    """The article a client-rendered page ships only inside a script's data, as a page.

    Some pages render nothing but a spinner: the article is a string of HTML inside the
    state a script hands to the browser (``"contentHtml": "<p>..."``). When the content
    extractor found nothing in the page itself, the longest such string holding
    paragraphs of text is what a reader would see once the page has rendered. Returns a
    small page holding that HTML as its article, or None. ``scripts``: the page's
    ``<script>`` elements (the extractor removes them from the tree before trafilatura and
    keeps them for this).
    """
    from scraper.extraction.document import load_html

    best, best_chars = None, EMBEDDED_MIN_CHARS - 1
    for script in scripts:
        code = script.text
        if not code or "ld+json" in (script.get("type") or ""):
            continue
        if not any(sign in code for sign in _PARAGRAPH_SIGNS):
            continue
        for literal in _STRING_LITERAL.findall(code):
            if len(literal) <= best_chars or not any(s in literal for s in _PARAGRAPH_SIGNS):
                continue
            try:
                html = json.loads(f'"{literal}"')
            except ValueError:
                continue
            if html.count("<p") < EMBEDDED_MIN_PARAGRAPHS:
                continue
            chars = len(fold_spaces(_TAG.sub(" ", html)))
            if chars > best_chars:
                best, best_chars = html, chars
    if best is None:
        return None
    return load_html(f"<html><body><article>{best}</article></body></html>")
