"""The date printed next to the headline: what a reader takes for the article's date.

Below the heading that shows the headline, up to the next heading or paragraph of running
text ("04.07.2016", "<time>March 8, 2015</time>", "Dienstag, 11.10.2016 - 09:40"),
else just above it (a dateline over the headline). Hidden dates (kept for search engines)
are not printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice
from typing import NamedTuple

from lxml.html import HtmlElement

from scraper.extraction.comments import holds_other_content
from scraper.extraction.dates import (
    Stamp,
    first_shown_date,
    is_day,
    is_numeric_date,
    opening_date,
    parse_datetime,
    plausible,
    shown_dates,
    shown_days,
    without_dates,
)
from scraper.extraction.dom import HEADINGS
from scraper.extraction.page import NOT_TEXT, Page, page_text, shown_text
from scraper.extraction.phrases import UPDATED_LABELS
from scraper.extraction.text import alternation, fold, squash


def _following(
    element: HtmlElement, limit: int, within: HtmlElement | None = None
) -> Iterator[HtmlElement]:
    """Elements after ``element`` (not inside it, and inside ``within``), in document order."""
    count = 0
    node: HtmlElement | None = element
    while node is not None and node is not within:
        for sibling in node.itersiblings():
            for inner in sibling.iter():
                count += 1
                if count > limit:
                    return
                yield inner
        node = node.getparent()


def _preceding(
    element: HtmlElement, limit: int, levels: int = 3, within: HtmlElement | None = None
) -> Iterator[HtmlElement]:
    """Elements before ``element`` within its ``levels`` nearest ancestors (and inside
    ``within``), nearest first."""
    count = 0
    node: HtmlElement | None = element
    for _ in range(levels):
        if node is None or node is within:
            return
        for sibling in node.itersiblings(preceding=True):
            for inner in reversed(list(islice(sibling.iter(), limit))):
                count += 1
                if count > limit:
                    return
                yield inner
        node = node.getparent()


#: Class tokens of elements not shown ("hidden", "rich-snippet-hidden", "sr-only"; a
#: "label-hidden" field hides its label, not its value).
_HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:hidden|d-none|sr-only|visually-hidden|screen-reader-text|[\w-]*snippet-hidden)(?:\s|$)"
)


def _not_shown(element: HtmlElement) -> bool:
    """Hidden by its class or its style."""
    return bool(_HIDDEN_CLASS.search(element.get("class") or "")) or "none" in (
        element.get("style") or ""
    )


def _shown_day(element: HtmlElement, now: datetime) -> Stamp | None:
    """The date an element prints as a date of its own: its own text or the text after it,
    when short ("04.07.2016", "| 17 avril 2016"); not one labelled as an update (the
    date of the last change, not of publication), nor one of a teaser in a list of links."""
    if _not_shown(element):
        return None  # a date kept for search engines, not shown
    if in_link_list(element) or _in_title(element):
        return None
    own = element.text_content() if element.tag == "time" else element.text
    for text, before in ((own, _text_before(element)), (element.tail, element.text_content())):
        text = fold(text)
        if text and len(text) <= 60:
            # a two-digit year only when the text is nothing but the date ("11.10.16")
            day = first_shown_date(text, short_years=is_numeric_date(text))
            if day is None or not plausible(day, now):
                continue
            lead = text[: next((i for i, c in enumerate(text) if c.isdigit()), len(text))]
            if _UPDATE_LABEL.search(f"{fold(before)[-40:]} {lead}"):
                return None
            return day
    return None


def _shown_update(element: HtmlElement, now: datetime) -> Stamp | None:
    """A date an element prints labelled as the story's last update: in its own text or
    the text after it, the label there or just before it ("Published 3 May 2024 ·
    Updated 4 May 2024 14:10 BST", "Last updated <time>4 May 2024</time>")."""
    if _not_shown(element):
        return None
    own = element.text_content() if element.tag == "time" else element.text
    for text, before in ((own, _text_before), (element.tail, HtmlElement.text_content)):
        # most lines hold no digit, or no label here or just before: their dates are not read
        if not text or len(text) > _UPDATE_LINE or not any(c.isdigit() for c in text):
            continue
        text = fold(text)
        context = f"{fold(before(element))[-40:]} "
        if not _UPDATE_WORD.search(context) and not _UPDATE_WORD.search(text):
            continue
        for start, stamp in shown_dates(text):
            label = _UPDATE_LABEL.search(f"{context}{text[:start]}"[-60:])
            if label is not None and plausible(stamp, now):
                return _with_markup_instant(element, stamp)
    return None


def _with_markup_instant(element: HtmlElement, day: Stamp) -> Stamp:
    """A printed day made exact by the instant its ``<time datetime>`` states with a zone
    on that same day; else the day as printed."""
    if element.tag != "time" or not is_day(day):
        return day
    exact = parse_datetime(element.get("datetime"))
    if isinstance(exact, datetime) and exact.tzinfo is not None and exact.date() == day:
        return exact
    return day


#: A word of an update label anywhere in a line: the quick test before its dates are read.
_UPDATE_WORD = re.compile(alternation(UPDATED_LABELS), re.IGNORECASE)
#: The longest line read for a date labelled as an update: a published and an updated
#: date with their times and zones on one line.
_UPDATE_LINE = 120


#: A label that ends right before a date and marks it as the last change, a weekday and a
#: month's name between ("Updated Tue. Mar. 4 2014").
_UPDATE_LABEL = re.compile(
    r"(?:^|[^\w])(?:"
    + alternation(UPDATED_LABELS)
    + r")[^\w]*(?:[^\W\d_]{2,10}\.?,?\s*){0,2}(?:am|le|el|on|il)?\s*$",
    re.IGNORECASE,
)


def _text_before(element: HtmlElement) -> str:
    """The text just before ``element`` in its parent."""
    previous = element.getprevious()
    if previous is not None:
        return f"{previous.text_content()} {previous.tail or ''}"
    parent = element.getparent()
    return (parent.text or "") if parent is not None else ""


def in_link_list(element: HtmlElement) -> bool:
    """Inside a list item that links elsewhere: a teaser of another story, with its date."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if depth > 4:
            return False
        if ancestor.tag == "li":
            return next(ancestor.iter("a"), None) is not None
    return False


#: Letters a heading may print besides its date and still be a date ("Wednesday, ").
_HEADING_WORDS = 12


def _in_title(element: HtmlElement) -> bool:
    """In a heading that is a title with a date in it ("Results of the 2020/7/11 regatta"),
    not the story's date; a heading that prints a date ("Monday, March 3, 2021", a blog's
    date header) is a date."""
    heading = next((e for e in (element, *element.iterancestors()) if e.tag in HEADINGS), None)
    if heading is None:
        return False
    rest = without_dates(fold(heading.text_content()))
    return sum(c.isalpha() for c in rest) > _HEADING_WORDS


def _ends_header(element: HtmlElement, below: bool, standfirst: str | None) -> bool:
    """Where the headline's surroundings end: a paragraph of running text below it (not
    the standfirst, nor a heading: it may be the standfirst), a heading above it."""
    if below:
        if element.tag != "p":
            return False
        text = element.text_content()
        return len(text) > 150 and not (standfirst and squash(text)[:80] == squash(standfirst)[:80])
    return element.tag in HEADINGS and bool(fold(element.text_content()))


def _in_site_header(element: HtmlElement) -> bool:
    """Inside the page's own header or navigation (a ``<header>``, ``.site-header`` or
    ``<nav>`` outside any ``<article>`` or ``<main>``)."""
    in_header = False
    for ancestor in element.iterancestors():
        if ancestor.tag in ("article", "main"):
            return False
        if ancestor.tag in ("header", "nav") or "site-header" in (ancestor.get("class") or ""):
            in_header = True
    return in_header


def story_text(page: Page) -> str:
    """The page's shown text without what belongs to something besides the story: comment
    threads and areas of related stories (:func:`.holds_other_content`), teasers in lists
    of links, and the site's header, navigation, asides and footer outside the article;
    only the ``<article>`` that holds the headline, when one does (a "today" bar over the
    content column is the page's). Where a page states no date, the first one printed here
    is the story's, not a reader's comment's, another story's or the site's."""
    h1 = next((h for h in islice(page.tree.iter("h1"), 3) if fold(h.text_content())), None)
    article = _article_of(h1) if h1 is not None else None
    if article is not None:
        return shown_text(article, skip=_not_the_story)
    return page_text(page, skip=_not_the_story)


def _article_of(element: HtmlElement) -> HtmlElement | None:
    """The nearest ``<article>`` around ``element``, if any."""
    return next((a for a in element.iterancestors() if a.tag == "article"), None)


def story_dates(page: Page, now: datetime) -> tuple[Stamp | None, Stamp | None]:
    """The first plausible full day the story's part of the page prints (:func:`story_text`),
    with none a two-digit year ("11.10.16"); and the first one labelled as an update,
    which is the last change, not the publication ("Updated Tue. Mar. 4 2014")."""
    text = story_text(page)
    updated: Stamp | None = None
    for short_years in (False, True):
        for start, stamp in shown_dates(text, short_years=short_years):
            if _UPDATE_LABEL.search(text[max(0, start - 40) : start]):
                if updated is None and plausible(stamp, now):
                    updated = stamp
                continue
            if plausible(stamp, now):
                return stamp, updated
            break
    return None, updated


def _not_the_story(element: HtmlElement) -> bool:
    tag = element.tag
    if tag == "li":
        return next(element.iter("a"), None) is not None
    if tag in ("header", "nav", "aside", "footer"):
        if tag == "header" and next(element.iter("h1"), None) is not None:
            return False  # the story's own header, with its headline
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    return holds_other_content(element)


def masthead_days(page: Page, now: datetime) -> set[date]:
    """Days printed in the site's own header or navigation (a ``<header>`` or ``<nav>``
    outside any ``<article>`` or ``<main>``, without an ``<h1>`` of its own): the site's
    "today" (the day the page was fetched), the days of the latest stories in its menus;
    not the story's."""
    days: set[date] = set()
    for element in islice(page.tree.iter("header", "nav"), 12):
        if any(a.tag in ("article", "main", "header", "nav") for a in element.iterancestors()):
            continue
        if next(element.iter("h1"), None) is not None:
            continue  # the story's own header, with its headline
        days.update(
            d
            for d in shown_days(fold(" ".join(islice(element.itertext(), 500)))[:5000])
            if plausible(d, now)
        )
    return days


def _same_title(heading: str, headline_text: str) -> bool:
    """The heading shows the headline (with a kicker or a site name around it, or cut)."""
    a, b = squash(heading), squash(headline_text)
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 12 and (a in b or b in a)))


class HeaderDates(NamedTuple):
    """The dates printed next to the headline: the one shown as the story's date, and the
    first one labelled as its last update ("Updated 4 May 2024 14:10 BST")."""

    shown: Stamp | None
    updated: Stamp | None


def header_dates(
    page: Page, now: datetime, headline_text: str | None = None, standfirst: str | None = None
) -> HeaderDates:
    """The date printed as a date of its own next to the headline: below it, up to the next
    heading ("04.07.2016", "<time>March 8, 2015</time>", "Dienstag, 11.10.2016 -
    09:40"), else just above it (a dateline over the headline); and the first date
    labelled as an update below it, up to the story's first paragraph."""
    h1s = [h for h in islice(page.tree.iter("h1"), 3) if fold(h.text_content())]
    if headline_text:
        # the heading showing the headline (maybe an <h2> under a site-name <h1>); with
        # none, the first <h1> is some other title and says nothing about the date
        # the lesser headings only when no h1-h3 shows it
        for levels in ("//h1 | //h2 | //h3", "//h4 | //h5 | //h6"):
            h1s = [
                h
                for h in page.tree.xpath(levels)[:60]
                if _same_title(fold(h.text_content()), headline_text)
            ]
            if h1s:
                break
    # a copy in a sticky site header sits next to the site's "today", not the story's date
    h1 = next((h for h in h1s if not _in_site_header(h)), h1s[0] if h1s else None)
    if h1 is None:
        return HeaderDates(None, None)
    found: list[tuple[int, Stamp]] = []
    # the site's own header (a "today" bar, a masthead) is not the story's, unless the
    # headline stands in it too
    headline_in_masthead = _in_site_header(h1)
    # a headline inside an <article>: what stands around the article is the page's, not
    # the story's (a "today" bar over the content column, comments and teasers below it)
    article = _article_of(h1)
    below_it = _following(h1, 120, within=article)
    above = _preceding(h1, 40, levels=5, within=article)
    for below, scan in ((True, below_it), (False, above)):
        for distance, element in enumerate(scan):
            if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
                continue
            if _ends_header(element, below, standfirst):
                # the story's first paragraph may open with its dateline
                opening = opening_date(fold(element.text_content())) if below else None
                if opening is not None and plausible(opening, now):
                    found.append((distance, opening))
                break
            if not headline_in_masthead and _in_site_header(element):
                continue
            day = _shown_day(element, now)
            if day is not None:
                found.append((distance, day))
                break
    # the nearer of the first date below and the first above; below on a tie
    shown = min(found, key=lambda f: f[0])[1] if found else None
    updated = None
    for element in _following(h1, 120, within=article):
        if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        if _ends_header(element, True, standfirst):
            break
        updated = _shown_update(element, now)
        if updated is not None and (headline_in_masthead or not _in_site_header(element)):
            break
        updated = None
    return HeaderDates(shown, updated)
