"""Reader comments are no part of the story. trafilatura removes a comment thread whose id
or class *begins* with "comment" (and ``article-comments``/``post-comments``); threads
named after their page's kind ("story-comments", "reader_comments", "user-comments") reach
the body, each comment a paragraph. Those are removed here, before the body is read.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scraper.extraction.dom import paragraph_words

#: An id or class token naming a comment thread by what it belongs to: a word, then
#: "-comments" or "_comments" ("story-comments", "reader_comments"). Not a state or a
#: control of the article ("has-comments", "no-comments", "show-comments", "comments-open").
_THREAD = re.compile(r"^[a-z]+[-_]comments$", re.IGNORECASE)
_NOT_THREAD = re.compile(
    r"^(?:has|no|show|hide|open|closed|count|num|toggle|view|load|more|disable[ds]?|enable[ds]?)[-_]",
    re.IGNORECASE,
)
#: Elements that hold a comment thread.
_CONTAINERS = ("div", "section", "aside", "ol", "ul")
#: A thread holds at most this share of the words the page prints in paragraphs: more,
#: and the name is wrong (the story itself is inside).
_MAX_SHARE = 0.5


#: Class or id tokens of an area that holds something besides the story: comments and
#: replies, teasers of related or popular stories, a newsletter box.
OTHER_CONTENT_AREA = re.compile(
    r"^(?:comment|respond|reply|discussion|disqus|related|recommend|teaser|most-?popular|"
    r"trending|newsletter|kommentar)",
    re.IGNORECASE,
)


def holds_other_content(element: HtmlElement) -> bool:
    """The element's class or id names an area of something besides the story
    (:data:`OTHER_CONTENT_AREA`), or a comment thread."""
    marker = f"{element.get('class', '')} {element.get('id', '')}".split()
    return any(OTHER_CONTENT_AREA.match(token) for token in marker) or names_a_thread(element)


def names_a_thread(element: HtmlElement) -> bool:
    """The element's id or class names a comment thread by what it belongs to."""
    ident = element.get("id") or ""
    cls = element.get("class") or ""
    if "omments" not in cls and "omments" not in ident:  # most elements: nothing to match
        return False
    return any(_THREAD.match(t) and not _NOT_THREAD.match(t) for t in f"{ident} {cls}".split())


def drop_comment_threads(tree: HtmlElement) -> int:
    """Remove comment threads trafilatura does not know by name (see the module's
    docstring): containers so named that hold no ``<h1>`` and less than half the words of
    the page's paragraphs. Returns how many were removed."""
    threads = [e for e in tree.iter(*_CONTAINERS) if names_a_thread(e)]
    if not threads:
        return 0
    total = paragraph_words(tree)
    removed = 0
    for thread in threads:
        parent = thread.getparent()
        if parent is None or any(True for _ in thread.iter("h1")):
            continue
        if paragraph_words(thread) > _MAX_SHARE * total:
            continue
        thread.drop_tree()  # the text after the thread stays where it was
        removed += 1
    return removed
