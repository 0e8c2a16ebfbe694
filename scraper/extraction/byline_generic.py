"""The last printed-byline finders: trafilatura's broader author selectors (class names
holding "author", "byline", "writer"), then a "By Name" line near the headline."""

from __future__ import annotations

import re
from functools import cache

from lxml.html import HtmlElement

from scraper.extraction.authors import (
    BYLINE_LEAD_IN,
    clean_authors,
    names_in_line,
)
from scraper.extraction.byline_dom import (
    CONTROLS,
    CREDIT_LINE,
    NOT_BYLINE_OPENING,
    in_excluded_area,
    is_tag_list,
    without_tag_links,
)
from scraper.extraction.page import Page
from scraper.extraction.text import fold

_BY_LEAD = (
    BYLINE_LEAD_IN
    + r"(?:by|von|par|por|di|door|text|texte|autor(?:in)?|written by|posted by|geschrieben von)"
)
#: An element's own text that opens like a byline ("Von ", "Blog Beitrag von").
_BY_TEXT_START = re.compile(_BY_LEAD + r"\s*:?(?:\s|$)", re.IGNORECASE)
_BY_TEXT = re.compile(
    _BY_LEAD + r"\s*:?\s+"
    r"(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){0,3})\s*(?:$|[,|•·\-–—(]|\d)",
    re.IGNORECASE,
)


@cache
def _author_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(p)
        for p in (
            "author-?name|AuthorName|authorName",
            "author|zuozhe|bianji|xiaobian",
            "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name",
            "[Aa]uthor",
            "[Aa]uthor|screenname|writer|[Bb]yline",
        )
    )


_AUTHOR_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_AUTHOR_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})


def trafilatura_author_elements(tree: HtmlElement, limit: int = 20) -> list[list[HtmlElement]]:
    """What each of trafilatura's ``AUTHOR_XPATHS`` selects (its first ``limit``), in one
    walk of the tree: those XPaths call a Python regex per element through EXSLT.
    (A test compares the two on every clause.)"""
    name_class, author_id, author_class, any_id, any_class = _author_patterns()
    found: list[list[HtmlElement]] = [[], [], []]
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        get = element.get
        cls = get("class")
        ident = get("id")
        itemprop = get("itemprop")
        if len(found[0]) < limit and (
            tag == "author"
            or (
                tag in _AUTHOR_TAGS_1
                and (
                    get("rel") == "author"
                    or ident == "author"
                    or cls == "author"
                    or itemprop == "author name"
                    or get("data-testid") in ("AuthorCard", "AuthorURL")
                    or (cls is not None and name_class.search(cls) is not None)
                    or any(c.text_content() == "me" for c in element.iterchildren("rel"))
                )
            )
        ):
            found[0].append(element)
        if (
            len(found[1]) < limit
            and tag in _AUTHOR_TAGS_2
            and (
                cls in ("byline", "username", "byl", "BBL")
                or (itemprop is not None and "author" in itemprop)
                or (ident is not None and author_id.search(ident) is not None)
                or (cls is not None and author_class.search(cls) is not None)
            )
        ):
            found[1].append(element)
        if len(found[2]) < limit and (
            "Byline" in (get("data-component") or "")
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and any_id.search(ident) is not None)
            or (cls is not None and any_class.search(cls) is not None)
        ):
            found[2].append(element)
    return found


def generic_byline(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """trafilatura's broader author selectors, then a "By Name" line near the headline."""
    for selected in trafilatura_author_elements(page.tree):
        for element in selected:
            if element.tag in ("time", "figure", "meta", "script", "style") or (
                element.tag in CONTROLS
            ):
                continue
            text = fold(" ".join(without_tag_links(element).itertext()))
            if not 2 < len(text) < 120 or in_excluded_area(element) or CREDIT_LINE.match(text):
                continue
            names = clean_authors([text], not_names)
            if names and not is_tag_list(names):
                return names[:4]
    h1 = next(iter(page.tree.iter("h1")), None)
    scope = h1.getparent() if h1 is not None and h1.getparent() is not None else page.tree
    scopes = [scope] if scope is page.tree else [scope, page.tree]
    for wide, scope in enumerate(scopes):
        for count, element in enumerate(
            scope.iter("p", "span", "div", "em", "strong", "small", "address")
        ):
            if count > 1500:
                break
            # page-wide, only elements whose own text opens like a byline (cheap to test)
            if wide and not _BY_TEXT_START.match((element.text or "").lstrip()):
                continue
            # its texts set apart: meta items are separated by style, not by text
            text = fold(" ".join(element.itertext()))
            if not text or len(text) > 100:
                continue
            match = _BY_TEXT.match(text)
            if match and not NOT_BYLINE_OPENING.match(text) and not in_excluded_area(element):
                # the name ends where a date begins ("By Jo Ek May 3, 2024")
                name = match["name"]
                printed = names_in_line(text[match.start("name") :])
                if printed and name.startswith(printed[0]) and name != printed[0]:
                    name = printed[0]
                names = clean_authors([name], not_names)
                if names:
                    return names
    return ()
