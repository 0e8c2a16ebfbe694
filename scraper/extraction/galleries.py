"""A slideshow printed as a list of photo captions, each closing with its credit ("…
(AP Photo/Jo Ek)"), holds more text than a short story beside it, and trafilatura can take
it for the article. On a page with prose of its own outside it, such a list is removed
before the body is read (on a page that is only a gallery, the captions are the story).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from scraper.extraction.cleaning_rules import CREDIT_TAIL
from scraper.extraction.dom import paragraph_words

#: A gallery has at least this many items ...
MIN_ITEMS = 4
#: ... and at least this share of them close with a photo credit.
CREDITED_SHARE = 0.75
#: The page keeps at least this many words in paragraphs outside its galleries.
MIN_PROSE_WORDS = 100


def _credited(item: HtmlElement) -> bool:
    text = item.text_content().rstrip(" .\n\t")
    # a credit closes with a bracket: most items (menus, points) are ruled out unread
    return text[-1:] in (")", "]") and bool(CREDIT_TAIL.search(" ".join(text.split())))


def _is_caption_gallery(element: HtmlElement) -> bool:
    if len(element) < MIN_ITEMS:  # children of any kind: fewer, and fewer items
        return False
    items = list(element.iterchildren("li"))
    if len(items) < MIN_ITEMS:
        return False
    allowed = len(items) - CREDITED_SHARE * len(items)  # items without a credit
    for item in items:
        if not _credited(item):
            allowed -= 1
            if allowed < 0:
                return False
    return True


def drop_caption_galleries(tree: HtmlElement) -> int:
    """Remove lists of credited photo captions from a page that has prose outside them;
    how many were removed."""
    galleries = [e for e in tree.iter("ul", "ol") if _is_caption_gallery(e)]
    if not galleries:
        return 0
    inside = sum(paragraph_words(g) for g in galleries)
    if paragraph_words(tree) - inside < MIN_PROSE_WORDS:
        return 0
    for gallery in galleries:
        parent = gallery.getparent()
        if parent is not None:
            gallery.drop_tree()  # keeps the tail
    return len(galleries)
