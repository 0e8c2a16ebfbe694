"""Headline, authors, dates, description, language, canonical URL and site name.

Each field has a module of candidate finders and a precedence (see :data:`PRECEDENCE`):
:mod:`.headline`, :mod:`.byline` (names cleaned by :mod:`.authors`), :mod:`.published`
(parsing in :mod:`.dates`); the facts they share are :mod:`.page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from lxml.html import HtmlElement

from scraper.extraction.byline import authors
from scraper.extraction.dates import Stamp
from scraper.extraction.headline import headline
from scraper.extraction.page import (
    Page,
    canonical,
    declared_language,
    description,
    site_names,
)
from scraper.extraction.published import dates
from scraper.extraction.result import Provenance
from scraper.extraction.text import fold

PRECEDENCE: dict[str, tuple[str, ...]] = {
    "headline": ("dom agreeing with jsonld/meta/title", "jsonld", "og/twitter", "title", "h1"),
    "headline-fallback": ("plain first h1 unless jsonld and og agree", "jsonld", "og", "title"),
    # a fallback above (title, unconfirmed heading, nothing) gives way to the heading printed
    # above the story's first paragraph when that shares more words with the story's opening
    "headline-weak": ("dom above the story", "printed title start", "title"),
    "authors": ("jsonld", "meta", "microdata", "dom", "dom-label", "dom-link", "dom-generic"),
    "published": (
        "jsonld",
        "meta",
        "microdata",
        "url",
        "labelled",
        "under headline",
        "first shown",
    ),
}


@dataclass(frozen=True)
class Metadata:
    headline: str | None = None
    authors: tuple[str, ...] = ()
    published_at: Stamp | None = None
    modified_at: Stamp | None = None
    description: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Texts that are fields of their own and must not open the body.
    standfirsts: tuple[str, ...] = ()
    #: The page's other titles (``<h1>`` texts, og:title): may open the body, never part of it.
    titles: tuple[str, ...] = ()
    #: The organisation credited when no person is.
    organisation: str | None = None
    provenance: tuple[Provenance, ...] = ()


def extract_metadata(
    tree: HtmlElement, url: str | None, now: datetime | None = None, *, thorough: bool = True
) -> Metadata:
    """All metadata fields of one page; never raises on odd data.

    ``thorough=False`` (huge DOMs) skips the costly generic byline search.
    """
    now = now or datetime.now(UTC)
    page = Page(tree, url)
    sites = site_names(page)
    title, title_source = headline(page, sites)
    byline = authors(page, sites, thorough=thorough)
    desc = description(page)
    published, modified, notes = dates(page, now, title, desc)
    provenance: list[Provenance] = []
    if title_source:
        notes.append(f"headline:{title_source}")
        provenance.append(Provenance("headline", title_source, ""))
    if byline.source:
        notes.append(f"authors:{byline.source}")
        provenance.append(Provenance("authors", byline.source, byline.organisation or ""))
    for name, found in (("published_at", published), ("modified_at", modified)):
        if found is not None:
            provenance.append(Provenance(name, found.source, found.note))
    standfirsts = tuple(t for t in (desc,) if t)
    h1s = [fold(h.text_content()) for h in islice(tree.iter("h1"), 5)]
    titles = tuple(
        dict.fromkeys(
            t
            for t in [*h1s, *(fold(v) for v in page.meta.get("og:title", ())[:1])]
            if t and len(t) >= 8
        )
    )
    return Metadata(
        headline=title,
        authors=byline.names,
        published_at=published.value if published else None,
        modified_at=modified.value if modified else None,
        description=desc,
        language=declared_language(page),
        canonical_url=canonical(page),
        site_name=sites[0] if sites else None,
        notes=tuple(notes),
        standfirsts=standfirsts,
        titles=titles,
        organisation=byline.organisation,
        provenance=tuple(provenance),
    )
