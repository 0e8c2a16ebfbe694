"""Tag lists: the links to a story's tag, topic or category pages (``rel=tag``,
``/tag/solar/``), with the label and the date printed beside them ("Published: 30 May |
Tags: Ferries, Tides"). They name what the story is filed under, not what it says.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scraper.extraction.layout import BLOCK_TAGS
from scraper.extraction.phrases import TAG_PATHS

_TAG_HREF = re.compile(r"/(?:" + "|".join(TAG_PATHS) + r")/[^/?#]+/?(?:[?#]|$)", re.IGNORECASE)
#: A tag list is at least this many tag links ...
TAG_LINKS = 2
#: ... that are at least this share of the characters of the element around them ...
TAG_SHARE = 0.5
#: ... which holds at most this many words, at most this many levels above the links.
TAG_LIST_WORDS = 60
TAG_LIST_LEVELS = 6
#: What stands between the links of a list: spaces and separators.
_BETWEEN = re.compile(r"[\s,;|/•·]*")
#: A list's label before its first link ("Tags:", "Filed under:"): at most this many words.
LABEL_WORDS = 8


def is_tag_link(link: HtmlElement) -> bool:
    """A link to a tag, topic or category page (``rel=tag``, ``/tag/solar/``)."""
    rel = (link.get("rel") or "").lower().split()
    return "tag" in rel or "category" in rel or bool(_TAG_HREF.search(link.get("href") or ""))


def _chars(element: HtmlElement | str) -> int:
    text = element if isinstance(element, str) else element.text_content()
    return len("".join(text.split()))


def _more_words(element: HtmlElement, limit: int) -> bool:
    """More than ``limit`` words in ``element``, read only as far as needed (the page's
    whole text when the element is its body)."""
    words = 0
    for text in element.itertext():
        words += len(text.split())
        if words > limit:
            return True
    return False


def _label(text: str | None) -> bool:
    """Nothing, or a list's label ("Tags:", "Published: 30 May | Filed under:")."""
    text = (text or "").strip()
    return not text or (text.endswith(":") and len(text.split()) <= LABEL_WORDS)


def _line_break(element: HtmlElement | None) -> bool:
    """The start or the end of a line: none, a ``<br>`` or a block."""
    return element is None or element.tag == "br" or element.tag in BLOCK_TAGS


def _runs(parent: HtmlElement, tags: frozenset[HtmlElement]) -> list[list[HtmlElement]]:
    """Lines of tag links in ``parent``: two or more side by side with nothing but
    separators between them, on a line of their own or after a label. Topic links in a
    sentence ("<a>Turkey</a>, <a>Poland</a> and the islands") are part of it."""
    runs: list[list[HtmlElement]] = []
    run: list[HtmlElement] = []
    for child in [*parent, None]:
        if child is not None and child in tags:
            run.append(child)
            if _BETWEEN.fullmatch(child.tail or ""):
                continue
        if len(run) >= TAG_LINKS:
            before = run[0].getprevious()
            lead = parent.text if before is None else before.tail
            after = run[-1].getnext()
            if (
                _line_break(before)
                and _label(lead)
                and _BETWEEN.fullmatch(run[-1].tail or "")
                and _line_break(after)
            ):
                runs.append(run)
        run = []
    return runs


def _mostly_tags(element: HtmlElement, tags: frozenset[HtmlElement]) -> bool | None:
    """Whether ``element``'s text, a label aside, is mostly its tag links; None when it
    holds too many words to be a list (nothing around it is one either)."""
    if _more_words(element, TAG_LIST_WORDS):
        return None
    held = [a for a in element.iter("a") if a in tags]
    if len(held) < TAG_LINKS:
        return False
    text = element.text_content()
    first = held[0].text_content()
    label = text.partition(first)[0] if first.strip() else ""
    rest = _chars(text) - (_chars(label) if _label(label) else 0)
    return sum(map(_chars, held)) >= TAG_SHARE * rest


def drop_tag_lists(tree: HtmlElement) -> int:
    """Remove each tag list: the largest element around two or more tag links whose text,
    a label aside, is mostly theirs (:data:`TAG_SHARE`, up to :data:`TAG_LIST_WORDS`
    words, :data:`TAG_LIST_LEVELS` levels above the links), or, in a larger container, a
    line of tag links with its label. A sentence that links a few of its words to topic
    pages stays. Returns how many lists went."""
    links = [a for a in tree.iter("a") if is_tag_link(a)]
    if len(links) < TAG_LINKS:
        return 0
    tags = frozenset(links)
    judged: dict[HtmlElement, bool | None] = {}  # parents share ancestors: judge each once

    def box_above(parent: HtmlElement) -> HtmlElement | None:
        box = None
        element: HtmlElement | None = parent
        for _ in range(TAG_LIST_LEVELS):
            if element is None or element.tag in ("body", "html", "article", "main"):
                break
            if element not in judged:
                judged[element] = _mostly_tags(element, tags)
            if judged[element] is None:
                break
            if judged[element]:
                box = element
            element = element.getparent()
        return box

    boxes: list[HtmlElement] = []
    lines: list[list[HtmlElement]] = []
    # in document order, so that the same page always loses the same elements
    for parent in dict.fromkeys(a.getparent() for a in links):
        if parent is None:
            continue
        box = box_above(parent)
        if box is None:
            lines += _runs(parent, tags)
        elif all(b is not box and b not in box.iterancestors() for b in boxes):
            boxes = [b for b in boxes if box not in b.iterancestors()] + [box]
    for box in boxes:
        box.drop_tree()
    for line in lines:
        before = line[0].getprevious()
        if before is None:
            line[0].getparent().text = None
        else:
            before.tail = None
        for link in line:
            if link.getparent() is not None:
                link.tail = None  # a separator (", ", " | "): _runs took nothing else
                link.drop_tree()
    return len(boxes) + len(lines)
