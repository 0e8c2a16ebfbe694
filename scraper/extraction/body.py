"""The article body: trafilatura finds the main content, we read it as typed blocks.

trafilatura returns its result as a small XML tree (``p``, ``head``, ``list/item``,
``quote``, ``table/row/cell``, ``ref`` for links, ``lb`` for line breaks). We turn it into
:class:`Block` values that keep the kind of each block and how much of it is link text,
which the cleaning rules use.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lxml.etree import _Element
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_WS = re.compile(r"[\s\xa0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the body."""

    kind: str  # p, head, item, quote, row, code
    text: str
    link_chars: int = 0
    links: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
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


def _text_and_links(element: _Element) -> list[tuple[str, int, int]]:
    """Text of ``element`` split at line breaks, each with its link characters and count."""
    lines: list[tuple[str, int, int]] = []
    parts: list[str] = []
    link_chars = 0
    links = 0

    def flush() -> None:
        nonlocal parts, link_chars, links
        text = _WS.sub(" ", "".join(parts)).strip()
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
            walk(child, in_link or is_link)
            if child.tail:
                parts.append(child.tail)
                if in_link or is_link:
                    link_chars += len(child.tail.strip())
        if tag in ("item", "cell") and parts and not parts[-1].endswith(" "):
            parts.append(" ")

    walk(element, False)
    flush()
    return lines


def blocks_of(body: _Element) -> list[Block]:
    """Flatten trafilatura's body tree into blocks, in document order."""
    blocks: list[Block] = []

    def add(kind: str, element: _Element) -> None:
        for text, link_chars, links in _text_and_links(element):
            blocks.append(Block(kind, text, link_chars, links))

    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            for item in child.iter("item"):
                # nested lists: take only the item's own text once, at its own level
                if item.getparent() is not None and item.find("list") is not None:
                    own = _own_text(item)
                    if own:
                        blocks.append(Block("item", own))
                    continue
                add("item", item)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_WS.sub(" ", " ".join(c.itertext())).strip() for c in row.iter("cell")]
                text = " | ".join(c for c in cells if c)
                if text:
                    blocks.append(Block("row", text))
        elif tag in ("head", "quote", "code", "p"):
            add(tag, child)
        else:
            add("p", child)
    return blocks


def _own_text(item: _Element) -> str:
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return _WS.sub(" ", "".join(parts)).strip()
