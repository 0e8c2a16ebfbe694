"""Published and modified dates of a page.

JSON-LD, then article/OpenGraph/Dublin Core meta, microdata and ``<time>`` elements, then
the date in the URL, then htmldate's heuristics. Dates in the future or before 1990 are
rejected; a day in the URL overrides a conflicting candidate. Last, the day printed next
to the headline replaces an earlier one (what a reader sees as the date: often the last
update). Parsing is :mod:`.dates`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import islice

from lxml.html import HtmlElement

from scraper.extraction import jsonld
from scraper.extraction.dates import (
    date_from_url,
    first_shown_date,
    labelled_date,
    parse_datetime,
    plausible,
)
from scraper.extraction.page import NOT_TEXT, Page, fold, page_text, squash

logger = logging.getLogger(__name__)

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "datepublished",
    "date.published",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "og:published_time",
    "publication_date",
    "release_date",
    "displaydate",
    "originalpublicationdate",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "modified_time",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "og:article:modified_time",
    "article.updated",
    "updated_time",
)


def _all_dates(values: Iterable[str], now: datetime) -> list[datetime]:
    found = []
    for value in values:
        parsed = parse_datetime(value)
        if parsed and plausible(parsed[0], now):
            found.append(parsed[0])
    return found


def _prefer_local(chosen: datetime, others: list[datetime]) -> datetime:
    """The same instant written with the page's own UTC offset, if another source has it."""
    if chosen.utcoffset():
        return chosen
    for other in others:
        if other.utcoffset() and abs((other - chosen).total_seconds()) < 120:
            return other
    return chosen


def _date_only(value: datetime) -> bool:
    """A value parsed from a bare day (midnight UTC)."""
    return not value.utcoffset() and (value.hour, value.minute, value.second) == (0, 0, 0)


def _local_midnight_in_utc(value: datetime) -> bool:
    """A UTC instant at exactly 22:00 or 23:00: midnight in central Europe."""
    return (
        not value.utcoffset()
        and value.hour in (22, 23)
        and (value.minute, value.second, value.microsecond) == (0, 0, 0)
    )


def _in_local_day(instant: datetime, day: date) -> datetime:
    """``instant`` in the smallest whole-hour UTC offset whose local date is ``day``."""
    for hours in sorted(range(-12, 15), key=abs):
        local = instant.astimezone(timezone(timedelta(hours=hours)))
        if local.date() == day:
            return local
    return instant


def dates(
    page: Page, now: datetime, headline_text: str | None = None, standfirst: str | None = None
) -> tuple[datetime | None, datetime | None, list[str]]:
    """Published and modified instants (see the module docstring for the precedence).

    When the heuristic page date (htmldate, fast mode: visible dates, URL) names a
    different day than the first structured source, and another structured source agrees
    with it, the structured data is inconsistent and the agreeing pair wins.
    """
    notes: list[str] = []
    article = page.article or page.graph.page()
    jsonld_pub = (
        _all_dates(
            (
                jsonld.text_value(article.get(k)) or ""
                for k in ("datePublished", "dateCreated", "uploadDate")
            ),
            now,
        )
        if article is not None
        else []
    )
    jsonld_mod = (
        _all_dates([jsonld.text_value(article.get("dateModified")) or ""], now)
        if article is not None
        else []
    )
    meta_pub = _all_dates((v for _, v in page.meta_first(_PUBLISHED_META)), now)
    meta_mod = _all_dates((v for _, v in page.meta_first(_MODIFIED_META)), now)
    micro_pub = _all_dates(
        (
            e.get("datetime") or e.get("content") or e.text_content()
            for e in page.with_itemprop("datePublished", "dateCreated")[:3]
        ),
        now,
    )
    micro_mod = _all_dates(
        (
            e.get("datetime") or e.get("content") or ""
            for e in page.with_itemprop("dateModified")[:2]
        ),
        now,
    )
    times = _all_dates(
        (e.get("datetime") or "" for e in page.tree.xpath("//time[@datetime]")[:5]), now
    )
    ranked = [("jsonld", jsonld_pub), ("meta", meta_pub), ("microdata", micro_pub), ("time", times)]
    everything = [d for _, ds in ranked for d in ds] + jsonld_mod + meta_mod + micro_mod

    published: datetime | None = None
    source: str | None = None
    for name, found in ranked:
        if found:
            published, source = _prefer_local(found[0], everything), name
            break
    url_day = date_from_url(page.url)
    if published is not None:
        if url_day is not None and abs((published.date() - url_day).days) > 1:
            notes.append(f"date:{source}-conflicts-url")
            published, source = datetime.combine(url_day, time(), UTC), "url"
        elif url_day is not None and published.date() != url_day and not published.utcoffset():
            # a UTC instant one day off the URL's day: the publisher's local day; keep the
            # instant, expressed in the nearest whole-hour offset that gives that day
            published = _in_local_day(published, url_day)
            notes.append("date:offset-from-url")
        elif url_day is None:
            seen = _htmldate(page, now, extensive=False)
            if seen is not None and seen[0].date() != published.date():
                agreeing = [d for d in everything if d.date() == seen[0].date()]
                if agreeing:
                    notes.append(f"date:{source}-outvoted")
                    published, source = agreeing[0], "agreement"
                elif source == "time" or _date_only(published):
                    # a bare day, or any <time> on the page (related stories have them too),
                    # is weaker evidence than the date the page shows next to its text
                    notes.append(f"date:{source}-outvoted")
                    published, source = seen[0], "htmldate"
    elif url_day is not None:
        candidate = datetime.combine(url_day, time(), UTC)
        if plausible(candidate, now):
            published, source = candidate, "url"
    if published is None:
        found_date = _htmldate(page, now, extensive=False)
        if found_date is not None:
            published, source = found_date[0], "htmldate"
    if published is not None and url_day is None and _local_midnight_in_utc(published):
        # "2022-11-06T23:00:00Z" is a CMS storing local midnight (UTC+1/+2): the next day
        published = published.astimezone(timezone(timedelta(hours=24 - published.hour)))
        notes.append("date:local-midnight")
    text = page_text(page)
    shown = _plausible_day(labelled_date(text), now)
    if (
        shown is not None
        and (url_day is None or shown == url_day)
        and (
            published is None
            or (published.date() != shown and _weaker_than_label(published, source, shown))
        )
    ):
        agreeing = [d for d in everything if d.date() == shown]
        published = agreeing[0] if agreeing else datetime.combine(shown, time(), UTC)
        source = "label"
    # the day printed under the headline is what a reader takes for the date; it wins over
    # an earlier day from the sources above (it shows the last update), never over a later
    header = _header_day(page, now, headline_text, standfirst)
    if header is not None and published is not None and header >= now.date() - timedelta(days=1):
        header = None  # perhaps the site's "today" in its masthead: no sign of an update
    if header is not None and (published is None or published.date() < header):
        agreeing = [d for d in everything if d.date() == header]
        local = _in_local_day(published, header) if published is not None else None
        if (
            published is not None
            and local is not None
            and not published.utcoffset()
            and local.date() == header
            and abs(local.utcoffset() or timedelta()) <= timedelta(hours=3)
        ):
            # a UTC instant late on the day before: the same instant, the page's local day
            published, source = local, "header-local-day"
        elif agreeing:
            published, source = agreeing[0], "header-agrees"
        else:
            published, source = datetime.combine(header, time(), UTC), "header"
    if published is None:
        # the last resort: the first full day the page prints
        first = _plausible_day(first_shown_date(text), now)
        if first is None:
            # nothing with a full year anywhere: a "28.09.19" will do
            first = _plausible_day(first_shown_date(text, short_years=True), now)
        if first is not None:
            published, source = datetime.combine(first, time(), UTC), "first-shown"
    if source:
        notes.append(f"published:{source}")

    modified_all = jsonld_mod or meta_mod or micro_mod
    modified = _prefer_local(modified_all[0], everything) if modified_all else None
    if published is not None and modified is not None and modified < published:
        modified = None
    return published, modified, notes


def _following(element: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """Elements after ``element`` (not inside it), in document order."""
    count = 0
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            for inner in sibling.iter():
                count += 1
                if count > limit:
                    return
                yield inner
        node = node.getparent()


def _preceding(element: HtmlElement, limit: int, levels: int = 3) -> Iterator[HtmlElement]:
    """Elements before ``element`` within its ``levels`` nearest ancestors, nearest first."""
    count = 0
    node: HtmlElement | None = element
    for _ in range(levels):
        if node is None:
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


def _shown_day(element: HtmlElement, now: datetime) -> date | None:
    """The day an element prints as a date of its own: its own text or the text after it,
    when short ("21.12.2022", "| 30 septembre 2018")."""
    if _HIDDEN_CLASS.search(element.get("class") or "") or "none" in (element.get("style") or ""):
        return None  # a date kept for search engines, not shown
    texts = [element.text_content() if element.tag == "time" else element.text, element.tail]
    for text in texts:
        text = fold(text)
        if text and len(text) <= 60:
            # a two-digit year only when the text is nothing but the date ("10.12.19")
            short = bool(_SHORT_DATE.fullmatch(text))
            day = _plausible_day(first_shown_date(text, short_years=short), now)
            if day is not None:
                return day
    return None


_SHORT_DATE = re.compile(r"[0-3]?\d\.[01]?\d\.\d\d")


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _ends_header(element: HtmlElement, below: bool, standfirst: str | None) -> bool:
    """Where the headline's surroundings end: a paragraph of running text below it (not
    the standfirst, nor a heading: it may be the standfirst), a heading above it."""
    if below:
        if element.tag != "p":
            return False
        text = element.text_content()
        return len(text) > 150 and not (standfirst and squash(text)[:80] == squash(standfirst)[:80])
    return element.tag in _HEADINGS and bool(fold(element.text_content()))


def _in_site_header(element: HtmlElement) -> bool:
    """Inside the page's own header (a ``<header>`` or ``.site-header`` outside any
    ``<article>`` or ``<main>``)."""
    in_header = False
    for ancestor in element.iterancestors():
        if ancestor.tag in ("article", "main"):
            return False
        if ancestor.tag == "header" or "site-header" in (ancestor.get("class") or ""):
            in_header = True
    return in_header


def _same_title(heading: str, headline_text: str) -> bool:
    """The heading shows the headline (with a kicker or a site name around it, or cut)."""
    a, b = squash(heading), squash(headline_text)
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 12 and (a in b or b in a)))


def _header_day(
    page: Page, now: datetime, headline_text: str | None = None, standfirst: str | None = None
) -> date | None:
    """The day printed as a date of its own next to the headline: below it, up to the next
    heading ("21.12.2022", "<time>January 19, 2020</time>", "Mittwoch, 26.01.2022 -
    14:30"), else just above it (a dateline over the headline)."""
    h1s = [h for h in islice(page.tree.iter("h1"), 3) if fold(h.text_content())]
    if headline_text:
        # the heading showing the headline (maybe an <h2> under a site-name <h1>); with
        # none, the first <h1> is some other title and says nothing about the date
        h1s = [
            h
            for h in page.tree.xpath("//h1 | //h2 | //h3")[:60]
            if _same_title(fold(h.text_content()), headline_text)
        ]
    # a copy in a sticky site header sits next to the site's "today", not the story's date
    h1 = next((h for h in h1s if not _in_site_header(h)), h1s[0] if h1s else None)
    if h1 is None:
        return None
    found: list[tuple[int, date]] = []
    for below, scan in ((True, _following(h1, 120)), (False, _preceding(h1, 40, levels=5))):
        for distance, element in enumerate(scan):
            if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
                continue
            if _ends_header(element, below, standfirst):
                break
            day = _shown_day(element, now)
            if day is not None:
                found.append((distance, day))
                break
    # the nearer of the first date below and the first above; below on a tie
    return min(found, key=lambda f: f[0])[1] if found else None


def _plausible_day(day: date | None, now: datetime) -> date | None:
    if day is None or not plausible(datetime.combine(day, time(), UTC), now):
        return None
    return day


def _weaker_than_label(published: datetime, source: str | None, shown: date) -> bool:
    """A printed "Published: <day>" beats heuristics, bare days and stray ``<time>``s; a
    full structured timestamp only when the label is earlier (structured data often holds
    the last update)."""
    if source in ("htmldate", "time", "agreement") or _date_only(published):
        return True
    return shown < published.date()


def _htmldate(page: Page, now: datetime, *, extensive: bool = True) -> tuple[datetime, bool] | None:
    try:
        from htmldate import find_date

        found = find_date(
            page.tree,
            url=page.url,
            original_date=True,
            extensive_search=extensive,
            max_date=now.strftime("%Y-%m-%d"),
        )
    except Exception:  # htmldate is heuristic code run on hostile input
        logger.debug("htmldate failed on %s", page.url, exc_info=True)
        return None
    if not found:
        return None
    parsed = parse_datetime(found)
    if parsed and plausible(parsed[0], now):
        return parsed
    return None
