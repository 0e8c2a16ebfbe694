"""A page whose story has no prose (a picture, a video, an infographic with a line or two)
gives trafilatura too little text, and its last resort returns the whole page's text:
menus, teasers, footers. Here such a dump is recognised and the story is read instead from
the element around its printed headline: the post or article that holds it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement

from scraper.extraction.body import Block
from scraper.extraction.layout import BLOCK_TAGS
from scraper.extraction.page import NOT_TEXT
from scraper.extraction.text import fold, fold_spaces, squash

#: trafilatura's dump joins the page's text nodes with line breaks into one paragraph;
#: any result of its own extractors has none inside a paragraph. This many or more ...
_DUMP_LINES = 5

#: Class or id of an element that holds one post or story ("post", "singlepost",
#: "entry-content", "article-body"). Only looked for when the page gave a dump.
_STORY_CLASS = re.compile(r"post|entry|article|story", re.IGNORECASE)
#: Class or id of the part of a post around its headline: a header, a title, its meta line.
_HEADER_CLASS = re.compile(r"header|heading|title|meta|byline", re.IGNORECASE)
#: Class or id of the parts of a post that are not its story: comments, sharing, related
#: links, widgets (as part of a name: "sharertitle", "commentlist"), menus (as a word).
_NOT_STORY_CLASS = re.compile(
    r"comment|disqus|related|share|sharing|social|widget|sidebar|promo|newsletter|subscri"
    r"|breadcrumb|(?:^|[\s_-])(?:nav|menu)(?:$|[\s_-])",
    re.IGNORECASE,
)
#: Elements whose text is no part of the story read from its container.
_NOT_STORY = NOT_TEXT | {"nav", "form", "button", "iframe", "aside", "footer"}
#: Elements a headline is printed in.
_HEADINGS = ("h1", "h2", "h3")


def is_page_dump(content: _Element) -> bool:
    """``content`` (trafilatura's result) is its last resort: the whole page's text as one
    paragraph of line-separated text nodes."""
    children = list(content)
    if len(children) != 1 or children[0].tag != "p" or len(children[0]):
        return False
    return (children[0].text or "").count("\n") >= _DUMP_LINES


def _printed_headline(tree: HtmlElement, headline: str) -> HtmlElement | None:
    key = squash(headline)
    if not key:
        return None
    for element in tree.iter(*_HEADINGS):
        if squash(fold(element.text_content())) == key:
            return element
    return None


def story_container(tree: HtmlElement, headline: str) -> HtmlElement | None:
    """The element around the printed ``headline`` that holds the story: its nearest
    ancestor that is an ``<article>`` or is classed or named as a post, entry or story, and
    prints more than the headline (None if the headline is not printed in a heading or no
    such ancestor holds it)."""
    heading = _printed_headline(tree, headline)
    if heading is None:
        return None
    own = len(fold(heading.text_content()))
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("body", "html"):
            return None
        names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if ancestor.tag in ("header", "hgroup") or _HEADER_CLASS.search(names):
            continue  # the headline's own header ("entry-header"): the story is beside it
        marked = ancestor.tag == "article" or _STORY_CLASS.search(names)
        if marked and len(fold(ancestor.text_content())) > own:
            return ancestor
    return None


def blocks_in(container: HtmlElement) -> list[Block]:
    """The text of ``container`` as blocks: one per run of text between block elements,
    with the characters of it that are link text; scripts, forms, menus, asides and
    footers left out."""
    blocks: list[Block] = []
    parts: list[str] = []
    linked = 0
    links = 0
    skipped = 0  # open elements whose text is no part of the story
    in_link = 0

    def flush() -> None:
        nonlocal linked, links
        text = fold_spaces("".join(parts))
        if text:
            blocks.append(Block("p", text, min(linked, len(text)), links))
        parts.clear()
        linked = links = 0

    def add(text: str | None) -> None:
        nonlocal linked
        if text:
            parts.append(text)
            if in_link:
                linked += len(text.strip())

    for event, element in etree.iterwalk(container, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if (
                skipped
                or not tag
                or tag in _NOT_STORY
                or _NOT_STORY_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")
            ):
                if not skipped and tag in BLOCK_TAGS:
                    flush()  # a block left out still separates the text around it
                skipped += 1
                continue
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag == "a":
                in_link += 1
                links += 1
            add(element.text)
            continue
        if skipped:
            skipped -= 1
            if not skipped and element is not container:
                add(element.tail)
            continue
        if tag == "a":
            in_link -= 1
        if tag in BLOCK_TAGS:
            flush()
        if element is not container:
            add(element.tail)
    flush()
    return blocks
