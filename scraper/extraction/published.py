"""Published and modified dates of a page: candidates from each source, then a precedence.

Each step of :func:`dates` finds a candidate (value, source, note) and decides whether it
replaces the one found so far: JSON-LD, then article/OpenGraph/Dublin Core meta, microdata
and ``<time>`` elements (not a teaser's, in a list of links), checked against the day in
the URL (which overrides a candidate more than a day away from it) and htmldate's fast
heuristics (never the masthead's "today" nor a day only teasers carry); a printed
"Published: <day>" beats weak sources; the date printed next to the headline
(:mod:`.dateline`) replaces an earlier one (what a reader sees as the date: often the last
update); last, the first full day the page prints. A page that prints no date has none: no
guess from scripts, stylesheets' versions or copyright lines. Values are what the page
stated (:mod:`.dates`): an instant in the page's own offset, or only a day; never an
invented time or offset.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from scraper.extraction import jsonld
from scraper.extraction.dateline import (
    header_dates,
    in_link_list,
    masthead_days,
    story_dates,
)
from scraper.extraction.dates import (
    Stamp,
    date_from_url,
    day_of,
    is_day,
    labelled_date,
    misread_days,
    parse_datetime,
    parse_stated,
    plausible,
)
from scraper.extraction.page import Found, Page, page_text

logger = logging.getLogger(__name__)

#: A candidate date: the value, its source, and the text it was parsed from.
Dated = Found[Stamp]

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


def _candidates(page: Page, now: datetime) -> dict[str, list[Dated]]:
    """Every plausible date of each structured source, in the page's order."""
    article = page.article or page.graph.page()
    raw: dict[str, list[str]] = {
        "jsonld": [
            jsonld.text_value(article.get(k)) or ""
            for k in ("datePublished", "dateCreated", "uploadDate")
        ]
        if article is not None
        else [],
        "jsonld-modified": [jsonld.text_value(article.get("dateModified")) or ""]
        if article is not None
        else [],
        "meta": [v for _, v in page.meta_first(_PUBLISHED_META)],
        "meta-modified": [v for _, v in page.meta_first(_MODIFIED_META)],
        "microdata": [
            e.get("datetime") or e.get("content") or e.text_content()
            for e in page.with_itemprop("datePublished", "dateCreated")[:3]
        ],
        "microdata-modified": [
            e.get("datetime") or e.get("content") or ""
            for e in page.with_itemprop("dateModified")[:2]
        ],
        # not a teaser's <time> in a list of links to other stories
        "time": [
            e.get("datetime") or ""
            for e in page.tree.xpath("//time[@datetime]")[:5]
            if not in_link_list(e)
        ],
    }
    parsed = {
        name: [(v.strip(), p) for v in values if (p := _plausible(parse_stated(v), now))]
        for name, values in raw.items()
    }
    stated = [p for pairs in parsed.values() for _, p in pairs if _stated_instant(p)]
    return {
        name: [_resolved(text, value, name, stated) for text, value in pairs]
        for name, pairs in parsed.items()
    }


def _plausible(value: Stamp | None, now: datetime) -> Stamp | None:
    return value if value is not None and plausible(value, now) else None


def _stated_instant(value: Stamp) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None


def _resolved(text: str, value: Stamp, source: str, stated: list[Stamp]) -> Dated:
    """A time given without a zone is the instant another source states for the same wall
    clock time, if one does; otherwise only its day is known."""
    if isinstance(value, datetime) and value.tzinfo is None:
        for other in stated:
            assert isinstance(other, datetime)
            if other.replace(tzinfo=None) == value:
                return Found(
                    other, source, f"{text!r} (time without zone; offset stated elsewhere)"
                )
        return Found(value.date(), source, f"{text!r} (time without zone: day only)")
    return Found(value, source, repr(text))


def _prefer_local(chosen: Dated, others: Iterable[Dated], same_kind: Iterable[Dated]) -> Dated:
    """The same instant written with the page's own UTC offset, if another source has it;
    a bare day given the instant another source of the same kind (published or modified)
    states on that day."""
    value = chosen.value
    if is_day(value):
        for other in same_kind:
            if _stated_instant(other.value) and day_of(other.value) == value:
                return Found(other.value, chosen.source, f"{chosen.note}; time from {other.source}")
        return chosen
    assert isinstance(value, datetime)
    if value.utcoffset():
        return chosen
    for other in others:
        if (
            isinstance(other.value, datetime)
            and other.value.utcoffset()
            and abs((other.value - value).total_seconds()) < 120
        ):
            return Found(other.value, chosen.source, f"{chosen.note}; offset from {other.source}")
    return chosen


def _same_instant(a: Stamp, b: Stamp) -> bool:
    """Both state the same moment (perhaps in different offsets)."""
    return _stated_instant(a) and _stated_instant(b) and a == b


def _before(a: Stamp, b: Stamp) -> bool:
    """``a`` is earlier than ``b``: as instants when both are, else by their days."""
    if _stated_instant(a) and _stated_instant(b):
        return a < b
    return day_of(a) < day_of(b)


@dataclass
class _Evidence:
    """What the steps of :func:`dates` share: the page, its structured candidates, the day
    in its URL, and the notes the steps leave."""

    page: Page
    now: datetime
    found: dict[str, list[Dated]]
    notes: list[str] = field(default_factory=list)

    @cached_property
    def ranked(self) -> list[list[Dated]]:
        """Published candidates by source, best source first."""
        found = self.found
        return [found["jsonld"], found["meta"], found["microdata"], found["time"]]

    @cached_property
    def published_all(self) -> list[Dated]:
        return [d for ds in self.ranked for d in ds]

    @cached_property
    def modified_all(self) -> list[Dated]:
        found = self.found
        return found["jsonld-modified"] or found["meta-modified"] or found["microdata-modified"]

    @cached_property
    def everything(self) -> list[Dated]:
        found = self.found
        return [
            *self.published_all,
            *found["jsonld-modified"],
            *found["meta-modified"],
            *found["microdata-modified"],
        ]

    @cached_property
    def url_day(self) -> date | None:
        return date_from_url(self.page.url)

    @cached_property
    def text(self) -> str:
        return page_text(self.page)

    def agreeing(self, day: Stamp, besides: Stamp | None = None) -> Dated | None:
        """A candidate on ``day``; not one stating the same instant as ``besides`` (the
        same moment written in another offset falls on another day, but it agrees)."""
        return next(
            (
                d
                for d in self.everything
                if day_of(d.value) == day_of(day)
                and not (besides is not None and _same_instant(d.value, besides))
            ),
            None,
        )

    def heuristic(self) -> Dated | None:
        """htmldate's day for the page, unless it is the masthead's or a teaser's."""
        return _not_masthead(_htmldate(self.page, self.now), self.page, self.now, self.notes)


def dates(
    page: Page, now: datetime, headline_text: str | None = None, standfirst: str | None = None
) -> tuple[Dated | None, Dated | None, list[str]]:
    """Published and modified dates with their sources (see the module docstring): each
    step below finds a candidate (value, source, note) and decides whether it replaces the
    one found so far."""
    ev = _Evidence(page, now, _candidates(page, now))
    published = _structured(ev)
    published = _labelled(ev, published)
    header = header_dates(ev.page, ev.now, headline_text, standfirst)
    published = _under_headline(ev, published, header.shown)
    updated = (
        Found(header.updated, "header-update", "printed in the page")
        if header.updated is not None
        else None
    )
    if published is None:
        published, updated = _first_shown(ev, updated)
    # nothing printed as a full date: no date. htmldate's extensive search (dates in scripts,
    # attributes, copyright lines) guesses: a stylesheet's version, a copyright year's
    # January 1st; an archive would rather say it does not know.
    if published is not None:
        ev.notes.append(f"published:{published.source}")
    modified_all = ev.modified_all
    modified = _prefer_local(modified_all[0], ev.everything, modified_all) if modified_all else None
    modified = modified or updated
    if published is not None and modified is not None and _before(modified.value, published.value):
        modified = None
    return published, modified, ev.notes


def _structured(ev: _Evidence) -> Dated | None:
    """The best structured candidate, checked against the day in the URL (which wins when
    more than a day away) or, with none, against the heuristic page date: when that names
    another day and another structured source agrees with it, the structured data is
    inconsistent and the agreeing pair wins. With no structured date, the URL's day, else
    the heuristic's."""
    published = next(
        (_prefer_local(ds[0], ev.everything, ev.published_all) for ds in ev.ranked if ds), None
    )
    url_day, notes = ev.url_day, ev.notes
    if published is None:
        if url_day is not None and plausible(url_day, ev.now):
            return Found(url_day, "url", repr(ev.page.url))
        return ev.heuristic()
    if url_day is not None and abs((day_of(published.value) - url_day).days) > 1:
        notes.append(f"date:{published.source}-conflicts-url")
        return Found(url_day, "url", repr(ev.page.url))
    if url_day is not None and day_of(published.value) != url_day:
        notes.append(f"date:{published.source}-a-day-off-url")  # kept as stated
        return published
    if url_day is None and _open_to_question(ev, published):
        seen = ev.heuristic()
        if seen is not None and day_of(seen.value) != day_of(published.value):
            agree = ev.agreeing(seen.value, besides=published.value)
            if agree is not None:
                notes.append(f"date:{published.source}-outvoted")
                return Found(agree.value, "agreement", f"{agree.note} ({agree.source})")
            if published.source == "time" or is_day(published.value):
                # a bare day, or any <time> on the page (related stories have them too),
                # is weaker evidence than the date the page shows next to its text
                notes.append(f"date:{published.source}-outvoted")
                return seen
    return published


def _open_to_question(ev: _Evidence, published: Dated) -> bool:
    """Whether htmldate's day could overrule the structured date: it is weak evidence (a
    bare day, a ``<time>``), or another candidate names another day for the two to agree
    on. Otherwise htmldate, a tenth of the metadata's time, is not run."""
    if published.source == "time" or is_day(published.value):
        return True
    day = day_of(published.value)
    return any(day_of(d.value) != day for d in ev.everything)


def _labelled(ev: _Evidence, published: Dated | None) -> Dated | None:
    """A printed "Published: <day>" (on the URL's day, if it has one) replaces a weaker
    candidate (see :func:`_weaker_than_label`)."""
    label = _plausible(labelled_date(ev.text), ev.now)
    if (
        label is not None
        and (ev.url_day is None or day_of(label) == ev.url_day)
        and (
            published is None
            or (
                day_of(published.value) != day_of(label)
                and _weaker_than_label(published, day_of(label))
            )
        )
    ):
        agree = ev.agreeing(label)
        return _printed(label, "label", agree if is_day(label) else None)
    return published


def _under_headline(ev: _Evidence, published: Dated | None, header: Stamp | None) -> Dated | None:
    """The date printed under the headline is what a reader takes for the date; it wins
    over an earlier day from the sources above (it shows the last update), never over a
    later one."""
    if (
        header is not None
        and published is not None
        and day_of(header) >= ev.now.date() - timedelta(days=1)
    ):
        header = None  # perhaps the site's "today" in its masthead: no sign of an update
    if header is not None and (
        published is None
        or day_of(published.value) < day_of(header)
        or _exact_on_the_day(header, published.value)
    ):
        agree = ev.agreeing(header)
        return _printed(header, "header", agree if is_day(header) else None)
    return published


def _exact_on_the_day(printed: Stamp, day: Stamp) -> bool:
    """A printed instant (a clock time with its zone) on the day another source gives only
    as a day: the same date, said exactly."""
    return is_day(day) and not is_day(printed) and day_of(printed) == day_of(day)


def _first_shown(ev: _Evidence, updated: Dated | None) -> tuple[Dated | None, Dated | None]:
    """The last resort: the first full day the story's part of the page prints
    (:func:`.story_dates`), with none a "11.10.16"; and the day it prints as its last
    update, the modification, unless the headline's surroundings print one (``updated``)."""
    first, shown_update = story_dates(ev.page, ev.now)
    if updated is None and shown_update is not None:
        updated = Found(shown_update, "first-shown-update", "page text")
    return Found(first, "first-shown", "page text") if first is not None else None, updated


def _printed(value: Stamp, source: str, agree: Dated | None) -> Dated:
    """A printed date; a printed day given the instant a structured source states on it."""
    if agree is not None:
        return Found(agree.value, f"{source}-agrees", f"{agree.note} ({agree.source})")
    return Found(value, source, "printed in the page")


def _weaker_than_label(published: Dated, shown: date) -> bool:
    """A printed "Published: <day>" beats heuristics, bare days and stray ``<time>``s; a
    full structured timestamp only when the label is earlier (structured data often holds
    the last update)."""
    if published.source in ("htmldate", "time", "agreement") or is_day(published.value):
        return True
    return shown < day_of(published.value)


def _not_masthead(found: Dated | None, page: Page, now: datetime, notes: list[str]) -> Dated | None:
    """A heuristic day, unless it is the day the site's masthead prints (its "today"), a
    day only teasers of other stories carry (``<time>``s in lists of links) or a date the
    page prints month first read day first."""
    if found is None:
        return None
    day = day_of(found.value)
    if day in misread_days(page_text(page)):
        notes.append(f"date:{found.source}-read-day-first")
        return None
    if day in masthead_days(page, now):
        notes.append(f"date:{found.source}-is-masthead")
        return None
    if day in _teaser_days(page, now):
        notes.append(f"date:{found.source}-is-teaser")
        return None
    return found


def _teaser_days(page: Page, now: datetime) -> set[date]:
    """Days of ``<time>``s only in lists of links to other stories."""
    teasers: set[date] = set()
    others: set[date] = set()
    for element in page.tree.xpath("//time[@datetime]")[:40]:
        value = _plausible(parse_datetime(element.get("datetime")), now)
        if value is not None:
            (teasers if in_link_list(element) else others).add(day_of(value))
    return teasers - others


def _htmldate(page: Page, now: datetime) -> Dated | None:
    """htmldate's day for the page (its fast heuristics: visible dates, the URL)."""
    try:
        from htmldate import find_date

        found = find_date(
            page.tree,
            url=page.url,
            original_date=True,
            extensive_search=False,
            max_date=now.strftime("%Y-%m-%d"),
        )
    except Exception:  # htmldate is heuristic code run on hostile input
        logger.debug("htmldate failed on %s", page.url, exc_info=True)
        return None
    if not found:
        return None
    parsed = _plausible(parse_datetime(found), now)
    return Found(day_of(parsed), "htmldate", repr(found)) if parsed is not None else None
