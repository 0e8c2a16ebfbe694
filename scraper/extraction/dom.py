"""Repairs to the DOM before main-content extraction.

:func:`drop_hidden` removes what a reader never sees: elements marked ``hidden``, styled
``display:none``, dialogs and overlays (e-mail-this-article forms, error messages).

trafilatura takes the *first* element matching its content selectors. Many sites split
one article body into several containers of the same class at the same depth, interrupted by ads,
newsletter boxes or related links (``div.article__body`` × 4). Only the first would be
extracted. :func:`merge_split_bodies` joins such siblings into the first one, using the
repetition of tag and class within one parent as the signal, and refusing when the
siblings look like teasers of other articles (headings that are links) as on index pages.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

_CONTENT_CLASS = re.compile(r"body|content|article|story|entry|text|post", re.IGNORECASE)
_NOT_CONTENT = re.compile(
    r"comment|related|teaser|card|widget|sidebar|footer|header|nav|promo|ad[-_]|share",
    re.IGNORECASE,
)
#: Never merge more containers than this (an index page repeats far more often).
MAX_PARTS = 12
#: Elements scanned at most (bounds the work on huge DOMs).
MAX_ELEMENTS = 20_000


def _looks_like_body_part(element: HtmlElement) -> bool:
    if element.xpath(".//h1 | .//h2//a | .//h3//a | .//h4//a | .//article"):
        return False
    return any(len((p.text_content() or "").split()) >= 8 for p in element.iter("p"))


def merge_split_bodies(tree: HtmlElement) -> int:
    """Merge same-class content containers at one depth into the first; returns merges done."""
    by_class: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for count, element in enumerate(tree.iter("div", "section", "article")):
        if count > MAX_ELEMENTS:
            break
        cls = element.get("class")
        if not cls or not _CONTENT_CLASS.search(cls) or _NOT_CONTENT.search(cls):
            continue
        by_class[(element.tag, " ".join(cls.split()))].append(element)
    # siblings, or cousins at the same depth (each part wrapped in its own grid cell)
    groups: dict[tuple[int, str, str], list[HtmlElement]] = defaultdict(list)
    for (tag, cls), elements in by_class.items():
        if len(elements) < 2:
            continue
        for element in elements:
            depth = sum(1 for _ in element.iterancestors())
            groups[(depth, tag, cls)].append(element)
    merged = 0
    for members in groups.values():
        if not 2 <= len(members) <= MAX_PARTS:
            continue
        if not all(_looks_like_body_part(m) for m in members):
            continue
        first = members[0]
        for other in members[1:]:
            for child in list(other):
                first.append(child)
            if other.getparent() is not None:
                _remove_keeping_tail(other, keep_blank_tail=False)
            merged += 1
    return merged


#: Embedded posts that are part of a story (quoted tweets, toots, Instagram captions):
#: the readability fallback inside trafilatura scores "tweet"/"twitter" classes as
#: boilerplate, which can tip its comparison towards a shorter text; their text is a quote.
_EMBED_CLASS = re.compile(
    r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|mastodon-embed", re.IGNORECASE
)


def unwrap_embedded_posts(tree: HtmlElement) -> int:
    """Turn embedded-post blockquotes into plain blockquotes; returns how many."""
    count = 0
    for quote in tree.iter("blockquote"):
        if _EMBED_CLASS.search(quote.get("class", "")):
            quote.attrib.pop("class", None)
            count += 1
            # its wrapper ("social-media-embed") would be dropped as a share widget
            wrapper = quote.getparent()
            for _ in range(4):
                if wrapper is None or wrapper.tag not in ("div", "figure", "section", "span"):
                    break
                if len([c for c in wrapper if c.tag != "script"]) != 1:
                    break
                wrapper.attrib.pop("class", None)
                wrapper.attrib.pop("id", None)
                wrapper = wrapper.getparent()
    return count


_HIDDEN_CLASS = frozenset(
    {
        "hide",
        "hidden",
        "is-hidden",
        "d-none",
        "display-none",
        "visually-hidden",
        "sr-only",
        "screen-reader-text",
        "modal",
        "overlay",
        "scrim",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
#: A hidden element holding more than this share of the page's text is kept (sites that
#: reveal the article with a script hide it in the HTML).
MAX_HIDDEN_SHARE = 0.3


def drop_hidden(tree: HtmlElement) -> int:
    """Remove elements a reader never sees (hidden, dialogs, overlays); returns how many."""
    body = tree.find("body")
    root = body if body is not None else tree
    candidates = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        get = element.get
        cls = get("class")
        style = get("style")
        if (
            get("hidden") is not None
            or get("role") in ("dialog", "alertdialog")
            or (cls and not _HIDDEN_CLASS.isdisjoint(cls.lower().split()))
            or (style and _HIDDEN_STYLE.search(style))
        ):
            candidates.append(element)
    if not candidates:
        return 0
    total = len(root.text_content()) or 1
    removed = 0
    for element in candidates:
        parent = element.getparent()
        if parent is None:
            continue  # already removed with an ancestor
        if len(element.text_content()) > MAX_HIDDEN_SHARE * total:
            continue
        _remove_keeping_tail(element)
        removed += 1
    return removed


def _remove_keeping_tail(element: HtmlElement, *, keep_blank_tail: bool = True) -> None:
    """Take ``element`` out of its parent; the text that followed it stays where it was."""
    parent = element.getparent()
    assert parent is not None
    tail = element.tail
    if tail and (keep_blank_tail or tail.strip()):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
