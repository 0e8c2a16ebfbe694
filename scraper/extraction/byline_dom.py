"""Bylines printed in the page: author/byline elements (with their co-author siblings), a
printed label ("Autor:", "By") with the names after it, a credit line of a Chinese,
Japanese or Korean paper ("责编：X", "X 기자"), links to author pages, a dated line beside
the headline ("3 May 2024 | Jo Ek"), a forum's thread starter, the post author's comment,
and trafilatura's broader author selectors. Each finder returns the names it found
(cleaned, at most four) or an empty tuple; :func:`printed_organisation` gives the newsroom
or site a byline credits when it names no person.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml.html import HtmlElement

from scraper.extraction.authors import (
    BY,
    BYLINE_LABEL,
    clean_authors,
    is_newsroom,
    names_in_line,
    split_names,
    without_other_credits,
)
from scraper.extraction.comments import OTHER_CONTENT_AREA, holds_other_content
from scraper.extraction.dom import HEADINGS
from scraper.extraction.page import NOT_TEXT, Page
from scraper.extraction.phrases import (
    AUTHOR_PATHS,
    CREDIT_PREFIXES,
    NOT_BYLINE_OPENINGS,
)
from scraper.extraction.tag_lists import is_tag_link
from scraper.extraction.text import ascii_key, fold, squash


def _byline_candidates(tree: HtmlElement, limit: int = 40) -> list[HtmlElement]:
    """The first ``limit`` elements marked as a byline: ``rel=author``, ``<byline>``, a class
    holding "author", "byline", "Byline", "autor" or "writer", an id holding "author"."""
    found: list[HtmlElement] = []
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        cls = element.get("class")
        if (
            tag == "byline"
            or element.get("rel") == "author"
            or (
                cls is not None
                and (
                    "author" in cls
                    or "byline" in cls
                    or "Byline" in cls
                    or "autor" in cls
                    or "writer" in cls
                )
            )
            or "author" in (element.get("id") or "")
        ):
            found.append(element)
            if len(found) >= limit:
                break
    return found


#: Interface controls: their text is a command ("Follow", "Cancel"), never a byline,
#: whatever their class says ("followAuthorBtn").
CONTROLS = frozenset({"button", "input", "select", "option", "label", "textarea", "form"})
#: Elements that are no byline, whatever their class: page structure, media, controls.
_NOT_BYLINE_TAGS = CONTROLS | {
    "meta", "link", "script", "style", "body", "html", "img", "article", "section",
}  # fmt: skip


def in_excluded_area(element: HtmlElement) -> bool:
    """Inside comments, teasers of other stories, a figure (whose "author" is the
    photographer), a ``<template>`` (never shown as it stands; a ``<noscript>`` is, to
    readers without scripts, and may hold the whole article), or an aside of the page (an
    aside inside the ``<article>`` is the article's own, its byline and date, unless what
    it holds is a story of its own); layout classes like "sidebar" are too often put on
    the content column itself to be a signal."""
    aside = story = False
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        if ancestor.tag == "template":
            return True
        if holds_other_content(ancestor):
            return True
        if ancestor.tag in (
            "nav",
            "figure",
            "figcaption",
        ):
            return True
        if ancestor.tag == "article":
            story = not aside  # a story of its own below any aside
            aside = False
        elif ancestor.tag == "aside":
            if story:
                return True  # a story inside an aside: a teaser of another one
            aside = True
        itemtype = ancestor.get("itemtype") or ""
        if "Comment" in itemtype:
            return True
    return aside


def _byline_texts(element: HtmlElement) -> list[str]:
    """The name-bearing texts of one byline element (its links or name parts, else itself),
    without the links to tag or topic pages that some bylines carry."""
    parts = element.xpath(
        './/*[@itemprop="name"] | .//a[@rel="author"] | .//*[contains(@class, "name")]'
    )
    texts = [fold(p.get("content") or p.text_content()) for p in parts]
    texts = [t for t in texts if t]
    # a name's parts marked apart ("firstname", "lastname") are in the whole name too
    texts = [t for t in texts if not any(t != o and f" {t} " in f" {o} " for o in texts)]
    if not texts:
        links = [a for a in element.iter("a") if not is_tag_link(a)]
        texts = [t for t in (fold(a.text_content()) for a in links) if t]
    if not texts:
        lines = [_after_by(line) for line in _lines(without_tag_links(element))]
        # the first line that names someone: later ones hold the date, the paper, the editor
        texts = next(([t] for t in lines if clean_authors([t])), lines[:1])
    return texts


def _lines(element: HtmlElement) -> list[str]:
    """The element's text, cut at its ``<br>`` line breaks (which text_content() drops,
    gluing "Jo Ek" to "Monday, May 3" on the next line), each line folded."""
    lines: list[str] = []
    current: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.tag == "br":
            lines.append(fold(" ".join(current)))
            current.clear()
        elif isinstance(node.tag, str) and node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)

    walk(element)
    lines.append(fold(" ".join(current)))
    return [line for line in lines if line]


#: Class endings of text for screen readers only ("u-visually-hidden", "sr-only"): a label
#: the eye never sees ("Autor", the brand's name beside a byline), not the writer's name.
_SCREEN_READER_CLASSES = ("visually-hidden", "sr-only", "screen-reader-text")


def screen_reader_only(element: HtmlElement) -> bool:
    """Whether the element's text is for screen readers only (see above)."""
    cls = element.get("class")
    return cls is not None and any(t.endswith(_SCREEN_READER_CLASSES) for t in cls.split())


def without_tag_links(element: HtmlElement) -> HtmlElement:
    """The element, or a copy of it without its links to tag or topic pages and its
    interface controls (a "Follow" button beside the name)."""

    def noise(e: HtmlElement) -> bool:
        return e.tag in CONTROLS or (e.tag == "a" and is_tag_link(e)) or screen_reader_only(e)

    if not any(noise(e) for e in element.iterdescendants()):
        return element
    bare = deepcopy(element)
    for child in [e for e in bare.iterdescendants() if noise(e)]:
        child.drop_tree()
    return bare


_BY_WORD = re.compile(rf"\s{BY}\s+", re.IGNORECASE)


def _after_by(text: str) -> str:
    """The words after the last "by"/"von" of a byline text ("Posted on May 3 by Jo Ek"),
    credits of other work than the writing left out ("Edited by Al Bo")."""
    parts = _BY_WORD.split(without_other_credits(text))
    return parts[-1] if len(parts) > 1 else parts[0]


def _element_names(element: HtmlElement, not_names: list[str]) -> tuple[str, ...]:
    """The names one byline element holds, or none when it is no byline here."""
    if element.tag in _NOT_BYLINE_TAGS or screen_reader_only(element):
        return ()
    marker = f"{element.get('class', '')} {element.get('id', '')}".split()
    if len(element.text_content()) > 200 or any(OTHER_CONTENT_AREA.match(t) for t in marker):
        return ()
    if in_excluded_area(element) or CREDIT_LINE.match(fold(element.text_content())):
        return ()
    names = clean_authors(_byline_texts(element), not_names)
    return () if is_tag_list(names) else names


def byline_elements(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The first author/byline element (by class, id or ``rel=author``) outside comments
    and teasers that holds a name, with the names of its like siblings (one byline
    element per co-author: same tag, same class, same parent)."""
    candidates = _byline_candidates(page.tree)
    for index, element in enumerate(candidates):
        names = _element_names(element, not_names)
        if not names:
            continue
        parent, tag, cls = element.getparent(), element.tag, element.get("class")
        for other in candidates[index + 1 :]:
            if other.getparent() is parent and other.tag == tag and other.get("class") == cls:
                names = (*names, *(n for n in _element_names(other, not_names) if n not in names))
        return names[:4]
    return ()


def printed_organisation(page: Page, sites: list[str]) -> str | None:
    """The newsroom or the site a printed byline element credits ("von Redaktion",
    "By Harbour Times Staff", "By harbourtimes.example"): the organisation credited when
    no person is named anywhere."""
    site_keys = {squash(s) for s in sites}
    for element in _byline_candidates(page.tree, limit=10):
        if element.tag in _NOT_BYLINE_TAGS or in_excluded_area(element):
            continue
        text = fold(without_tag_links(element).text_content())
        if not text or len(text) > 80 or CREDIT_LINE.match(text):
            continue
        for part in split_names(text):
            if is_newsroom(part) or squash(part) in site_keys:
                return part
    return None


#: A photo or image credit ("Bild: Agentur/Jo Ek", "Photo: Jo Ek"): not a byline.
CREDIT_LINE = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in CREDIT_PREFIXES) + r")\s*:", re.IGNORECASE
)


def is_tag_list(names: tuple[str, ...]) -> bool:
    """Three or more one-word "names": topics or tags, not the people who wrote a story."""
    return len(names) >= 3 and all(" " not in n for n in names)


#: Elements that end a line of text.
_LINE_BREAKS = frozenset(
    {
        "br", "hr", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "td", "th", "tr", "table",
        "section", "article", "header", "footer", "aside", "nav", "main", "figure",
        "figcaption", "blockquote", "address", "form", "pre",
    }
) | HEADINGS  # fmt: skip
#: A text opening like a byline that is none ("Por favor, ...", "By clicking ...").
NOT_BYLINE_OPENING = re.compile(
    r"^\s*(?:" + "|".join(re.escape(p) for p in NOT_BYLINE_OPENINGS) + r")\b", re.IGNORECASE
)
#: A byline label in these is a title, a menu entry or a control, not a byline.
_NOT_LABEL_OWNERS = frozenset({"h1", "h2", "h3", "title", "option", "button", "textarea"})


def _one_line(text: str | None) -> str:
    """A text node's text with its line breaks as spaces: in HTML a newline in the source
    is white space; only elements end a line."""
    return (text or "").replace("\n", " ").replace("\r", " ")


#: Elements :func:`_lines_at` reads before it gives up.
_MAX_VISITED = 400


def _lines_at(block: HtmlElement, target: HtmlElement, tail: bool) -> tuple[str, str] | None:
    """The text of ``block`` before and from one text node (``target``'s text, or its
    tail), with a newline wherever an element ends a line; None past :data:`_MAX_VISITED`
    elements."""
    parts: list[str] = []
    split = -1
    stack: list[tuple[HtmlElement, bool]] = [(block, False)]
    visited = measured = after_chars = 0
    while stack:
        element, closing = stack.pop()
        is_tag = isinstance(element.tag, str)
        if closing:
            if is_tag and element.tag in _LINE_BREAKS:
                parts.append("\n")
            elif is_tag and element is not block:
                # items of a meta line are set apart by style, not by text
                # ("<span>Jo Ek</span><span><time>May 3</time></span>" shows two items)
                parts.append(" ")
            if element is not block:
                if element is target and tail:
                    split = len(parts)
                parts.append(_one_line(element.tail))
            continue
        visited += 1
        if visited > _MAX_VISITED:
            return None
        stack.append((element, True))
        if not is_tag or element.tag in NOT_TEXT:
            continue
        if element.tag in _LINE_BREAKS:
            parts.append("\n")
        if element is target and not tail:
            split = len(parts)
        parts.append(_one_line(element.text))
        # no more children than elements are visited: a line of 25,000 <br>s is read no further
        stack.extend((child, False) for child in reversed(element[:_MAX_VISITED]))
        if split >= 0:
            # the text after the split, measured once per part
            after_chars += sum(len(p) for p in parts[max(measured, split) :])
            measured = len(parts)
            if after_chars > 300:
                break
    if split < 0:
        return None
    return "".join(parts[:split]), "".join(parts[split:])


def _continues_text(before: str) -> bool:
    """Whether a label follows text of its own line as part of it: any text but a
    separator or a control's symbol ("Print | Text size – +") before it ("Photos shared
    by", "“A Title” by", "(see chart) by")."""
    before = before.rstrip()
    return bool(before) and before[-1] not in _SEPARATORS


#: Line ends that separate what follows from what precedes ("Print | By Jo Ek").
_SEPARATORS = frozenset("|•·–—-+/:»>")


def _names_after_label(target: HtmlElement, tail: bool) -> list[str]:
    """Names printed after a byline label that opens a line: on its line, or when the
    label stands alone (a "By" in an element of its own), on the next line."""
    block = target.getparent() if tail else target
    for _ in range(4):
        while block is not None and block.tag not in _LINE_BREAKS and block.tag != "body":
            block = block.getparent()
        if block is None:
            return []
        found = _lines_at(block, target, tail)
        if found is None:
            return []
        before, after = found
        if _continues_text(before.rpartition("\n")[2]):
            return []  # the label is inside a sentence ("… Share Alike by Jo Ek")
        # the label's own text node opens ``after``: cut the label there, not in the joined
        # line ("<span>By</span><a>Jo Ek</a>" joins to "ByJo Ek")
        own = (target.tail if tail else target.text) or ""
        label = BYLINE_LABEL.match(own)
        after = after[label.end() :] if label else after
        first, *more = [" ".join(line.split()) for line in after.split("\n")]
        if first:
            return names_in_line(first)
        following = next((line for line in more if line), None)
        if following is not None:
            return names_in_line(following) if len(following) <= 80 else []
        if block.tag == "body":
            return []
        block = block.getparent()
    return []


def label_bylines(page: Page, not_names: list[str], limit: int = 6000) -> tuple[str, ...]:
    """The first printed byline label of the page ("Autor: Jo Ek", "Von <a>Jo Ek</a> und
    <a>Al Bo</a>", "<span>By</span><a>Jo Ek</a>") with the names after it, outside
    comments and teasers."""
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    tried = 0
    for count, element in enumerate(root.iter()):
        if count > limit or tried > 40:
            break
        for tail in (False, True):
            if tail:
                text, owner = element.tail, element.getparent()
            else:
                text = element.text if isinstance(element.tag, str) else None
                owner = element
            # the label pattern opens with \s*: matched on the stripped text, it cannot
            # backtrack through an indentation (same result, many times faster)
            if not text or len(text) > 200 or not BYLINE_LABEL.match(text.lstrip()):
                continue
            if NOT_BYLINE_OPENING.match(text):
                continue
            if owner is None or owner.tag in _NOT_LABEL_OWNERS or owner.tag in NOT_TEXT:
                continue
            if any(a.tag in ("form", "label") for a in owner.iterancestors()):
                continue  # a search form's "by member" field
            tried += 1
            names = clean_authors(_names_after_label(element, tail), not_names)
            if names and not in_excluded_area(owner):
                return names[:4]
    return ()


_AUTHOR_HREF = re.compile(
    r"/(?:" + "|".join(AUTHOR_PATHS) + r")/(?P<slug>[^/?#]+)/?(?:[?#]|$)", re.IGNORECASE
)


#: How German addresses spell umlauts and ß ("Öhlschläger" in ``/autoren/joerg-oehlschlaeger``).
_TRANSLITERATED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _in_slug(word: str, slug: str) -> bool:
    """``word`` is spelled in the address ``slug``, its accents dropped or transliterated."""
    plain = ascii_key(word)
    return bool(plain) and (
        plain in slug or ascii_key(word.casefold().translate(_TRANSLITERATED)) in slug
    )


def author_links(page: Page, not_names: list[str], limit: int = 3000) -> tuple[str, ...]:
    """Names linking to their author page (``/author/jo-ek/``) whose address spells them:
    the first such link outside comments and teasers, with co-authors linked beside it."""
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    found: list[str] = []
    parent: HtmlElement | None = None
    for count, link in enumerate(root.iter("a")):
        if count > limit:
            break
        match = _AUTHOR_HREF.search(link.get("href") or "")
        if match is None:
            continue
        # a profile card's link holds a picture credit or a caption too: its marked name
        named = next((e for e in link.iter() if e.get("itemprop") == "name"), link)
        text = fold(named.text_content())
        slug = ascii_key(match["slug"])
        words = text.split()
        if not 0 < len(words) <= 4 or not all(_in_slug(w, slug) for w in words):
            continue
        if parent is not None and link.getparent() is not parent:
            continue
        if in_excluded_area(link):
            continue
        names = clean_authors([text], not_names)
        if names:
            found.extend(names)
            parent = link.getparent()
    return tuple(dict.fromkeys(found))[:4]


def forum_starter(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """A forum thread's first post names its writer in ``data-author``."""
    for element in page.tree.xpath("//article[@data-author] | //div[@data-author]")[:1]:
        names = clean_authors([element.get("data-author") or ""], not_names)
        if names:
            return names[:1]
    return ()


def post_author_comment(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The name on a comment the CMS marks as written by the post's author (``bypostauthor``)."""
    for comment in page.tree.xpath(
        '//*[contains(concat(" ", normalize-space(@class), " "), " bypostauthor ")]'
    )[:3]:
        for element in comment.xpath('.//*[contains(@class, "fn")] | .//cite')[:1]:
            names = clean_authors([fold(element.text_content())], not_names)
            if names:
                return names[:1]
        # WordPress names the commenter's account in a class: "comment-author-<nicename>"
        nicename = next(
            (
                token[len("comment-author-") :]
                for token in comment.get("class", "").split()
                if token.startswith("comment-author-")
            ),
            None,
        )
        if nicename:
            key = ascii_key(nicename)
            for element in comment.xpath('.//*[contains(@class, "author")] | .//a')[:20]:
                text = fold(element.text_content())
                if key and ascii_key(text) == key:
                    names = clean_authors([text], not_names)
                    if names:
                        return names[:1]
    return ()
