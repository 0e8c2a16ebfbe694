"""Headings in the page that may be its headline: ``<h1>``, NewsML/NITF headlines,
headline-classed elements and the first ``<h2>`` of an article; a heading that names the
site, is hidden or only links to another page is left out."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scraper.extraction.dom import HIDDEN_STYLE
from scraper.extraction.headline_title import MAX_HEADLINE, is_site_label
from scraper.extraction.page import Page, links_elsewhere
from scraper.extraction.text import fold

#: A class token that marks the story's headline: ``headline`` or ``title``, after a word
#: saying whose (``article-title``, ``entry_title``, ``storyHeadline``) or a namespace of a
#: letter or two (``c-headline``, ``td-post-title``), and before a ``text`` part
#: (``headline__text``). Matched against a whole token: a "subheadline", a box of
#: "sidebar-headlines", a "headline-meta" row or a "prev-post-title" link marks none.
_HEADLINE_TOKEN = re.compile(
    r"(?:[a-z]{1,2}[-_])?(?:(?:article|story|entry|post|news|page)[-_]?)?(?:headline|title)"
    r"(?:[-_]{1,2}te?xt)?",
    re.IGNORECASE,
)
#: Heading tags a headline is printed in: on them a bare ``title`` class marks the
#: headline; on a ``<div>`` or a link it names any card's title.
HEADLINE_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})


def marked_as_headline(element: HtmlElement) -> bool:
    """Marked as the story's headline: ``itemprop=headline`` or a headline class token
    (:data:`_HEADLINE_TOKEN`; a bare ``title`` only on a heading)."""
    if element.get("itemprop") == "headline":
        return True
    cls = (element.get("class") or "").lower()
    # two plain searches spare most classes the regex: this is asked of many elements
    if "title" not in cls and "headline" not in cls:
        return False
    return any(
        _HEADLINE_TOKEN.fullmatch(token) and (token != "title" or element.tag in HEADLINE_HEADINGS)
        for token in cls.split()
    )


#: Elements that are a headline by name: IPTC NewsML's ``<HeadLine>`` and NITF's ``<hl1>``,
#: which syndicated copy (news agencies' feeds) carries into the pages that print it.
_HEADLINE_TAGS = frozenset({"h1", "headline", "hl1"})


#: Tags a headline element can have: lxml filters the walk by them in C.
_CANDIDATE_TAGS = (*_HEADLINE_TAGS, "h2", "h3", "div", "span", "a")


def _is_headline_element(element: HtmlElement) -> bool:
    tag = element.tag
    if tag in _HEADLINE_TAGS:
        return True
    if marked_as_headline(element):
        return True
    return (
        tag == "h2"
        and next(element.itersiblings("h2", preceding=True), None) is None
        and any(a.tag == "article" for a in element.iterancestors())
    )


def _headline_elements(tree: HtmlElement, limit: int = 40) -> list[HtmlElement]:
    """Every ``<h1>`` (or NewsML/NITF headline) and the headline-classed or
    ``itemprop=headline`` elements and first ``<h2>`` of an ``<article>``, at most ``limit``
    of each kind, in document order.

    The kinds are counted apart: a design system's type classes ("headline-medium" on
    every menu entry) can fill the limit long before the story's ``<h1>``. One walk of
    the tree, over the candidate tags only.
    """
    found: list[HtmlElement] = []
    tagged = classed = 0
    for element in tree.iter(*_CANDIDATE_TAGS):
        if element.tag in _HEADLINE_TAGS:
            if tagged < limit:
                found.append(element)
                tagged += 1
        elif classed < limit and _is_headline_element(element):
            found.append(element)
            classed += 1
        if tagged >= limit and classed >= limit:
            break
    return found


#: Class tokens of badges inside a heading (a forum thread's "Solved" prefix).
_BADGE_CLASS = re.compile(r"^(?:label|badge|prefix|tag|label-append)(?:$|--)", re.IGNORECASE)
#: Class or id tokens of a heading that holds the site's name (WordPress ``site-title``).
_SITE_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:site-?title|site-?name|logo|brand(?:ing)?|masthead|blog-?title)(?:$|[\s_-])",
    re.IGNORECASE,
)
_ROOT_LINK = re.compile(r"(?:.*https?://[^/?#]+)?/?(?:index\.\w+)?")


def heading_text(element: HtmlElement) -> str:
    """A heading's text without the badges inside it."""
    badges = [
        e
        for e in element.iterdescendants()
        if isinstance(e.tag, str)
        and any(_BADGE_CLASS.match(token) for token in (e.get("class") or "").split())
    ]
    if not badges:
        return element.text_content()
    parts: list[str] = []
    skip = set(badges)
    for node in element.iter():
        if node is not element and (node in skip or any(a in skip for a in node.iterancestors())):
            if node in skip and node.tail:
                parts.append(node.tail)
            continue
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return " ".join(parts)


def _site_heading(element: HtmlElement) -> bool:
    """A heading that names the site, not the story: marked as the site's title or logo
    (on itself or its parent), or nothing but a link to the home page."""
    for node in (element, element.getparent()):
        if node is not None and _SITE_TITLE_CLASS.search(
            f"{node.get('class', '')} {node.get('id', '')}"
        ):
            return True
    links = list(element.iter("a"))
    if len(links) == 1 and fold(links[0].text_content()) == fold(element.text_content()):
        return bool(_ROOT_LINK.fullmatch((links[0].get("href") or "").strip()))
    return False


def _hidden(element: HtmlElement) -> bool:
    """Not shown to the reader: the element or an ancestor is ``hidden``, styled
    ``display: none``, or classed ``hidden``."""
    for node in (element, *element.iterancestors()):
        if node.tag == "body":
            return False
        if node.get("hidden") is not None or HIDDEN_STYLE.search(node.get("style") or ""):
            return True
        if "hidden" in (node.get("class") or "").lower().split():
            return True
    return False


#: Headings other than ``<h1>`` (and NewsML's ``<headline>``, ``<hl1>``) kept: menus and
#: teasers use headline classes too.
_MAX_OTHERS = 12


def dom_headlines(page: Page, sites: list[str]) -> tuple[list[str], set[str]]:
    """Headline-like texts in the page, in document order, and which of them are ``<h1>``."""
    found: list[str] = []
    h1s: set[str] = set()
    others = 0
    for element in _headline_elements(page.tree):
        heading = element.tag in _HEADLINE_TAGS  # counted apart, as _headline_elements does
        if not heading and others >= _MAX_OTHERS:
            continue
        if element.tag in ("div", "span", "a") and not marked_as_headline(element):
            continue
        if _site_heading(element) or _hidden(element):
            continue
        text = fold(heading_text(element))
        if not 3 <= len(text) <= MAX_HEADLINE or is_site_label(text, sites, page.host):
            continue
        if element.tag != "h1" and links_elsewhere(page, element):
            continue
        if text not in found:
            found.append(text)
            others += not heading
        if element.tag == "h1":
            h1s.add(text)
    return found, h1s
