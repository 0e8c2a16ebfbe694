"""Authors: the first source giving at least one valid person name.

JSON-LD author (``Person`` nodes, ``@id`` links followed; ``Organization`` ignored), author
meta tags, microdata, then the byline printed in the page (:mod:`.byline_dom`), then the
owner of a personal site. A one-word structured name gives way to the full name printed
on the page. Names are cleaned and validated by :mod:`.authors`.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from scraper.extraction import jsonld
from scraper.extraction.authors import clean_authors, is_handle, is_newsroom, prefer_full_names
from scraper.extraction.byline_dom import (
    author_links,
    byline_elements,
    forum_starter,
    generic_byline,
    in_excluded_area,
    label_bylines,
    post_author_comment,
)
from scraper.extraction.headline import title_segments
from scraper.extraction.page import Page, host_labels
from scraper.extraction.phrases import ORGANISATION_MARKERS
from scraper.extraction.text import fold, squash

_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "cxenseparse:author",
    "citation_author",
    "og:article:author",
    "article:author_name",
    "authors",
)


#: JSON-LD types of an organisation (never a person, whatever its name).
_ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "website", "newsagency"}
)


def _person_names(page: Page, value: Any) -> list[str]:
    value = page.graph.resolve(value)
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            names.extend(_person_names(page, item))
    elif isinstance(value, dict):
        kinds = jsonld.types_of(value)
        if kinds & _ORGANISATION_TYPES:
            return []
        name = jsonld.text_value(value.get("name"))
        if not name:
            given = jsonld.text_value(value.get("givenName")) or ""
            family = jsonld.text_value(value.get("familyName")) or ""
            name = f"{given} {family}".strip()
        if name:
            names.append(name)
    elif isinstance(value, str) and value.strip():
        names.append(value)
    return names


def _organisation_names(page: Page, value: Any, sites: list[str]) -> list[str]:
    """Names of the organisations credited in a JSON-LD ``author`` value: nodes typed as
    an organisation, and names that are the site's own."""
    value = page.graph.resolve(value)
    if isinstance(value, list):
        return [n for item in value for n in _organisation_names(page, item, sites)]
    name = None
    if isinstance(value, dict):
        name = jsonld.text_value(value.get("name"))
        if name and not jsonld.types_of(value) & _ORGANISATION_TYPES:
            name = name if squash(name) in {squash(s) for s in sites} else None
    elif isinstance(value, str):
        name = value if squash(value) in {squash(s) for s in sites} else None
    return [fold(name)] if name and fold(name) else []


_ORGANISATION = re.compile(
    r"\b(?:" + "|".join(ORGANISATION_MARKERS) + r")\b|\((?:https?://)?www\.", re.IGNORECASE
)


def _people_first(
    values: list[str], not_names: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Clean names of people from ``values``, and the organisations among them (as written)."""
    people = [v for v in values if not _ORGANISATION.search(v)]
    organisations = [v for v in values if _ORGANISATION.search(v)]
    return clean_authors(people, not_names), tuple(dict.fromkeys(fold(v) for v in organisations))


def _site_like(name: str, page: Page) -> bool:
    """A name that contains the host's name and more ("SV Blaue Möwe Verein" on
    blauemoewe.example): the site or its owner, not a writer."""
    key = squash(name)
    return any(
        len(label) >= 6 and label in key and label != key
        for label in (squash(x) for x in host_labels(page.host)[:2])
    )


def _site_declared_as_author(page: Page) -> bool:
    """Structured data names the site itself (or its newsroom) as the author: the site is
    an organisation then, not a person's blog."""
    values = [v for _, v in page.meta_first(_AUTHOR_META)]
    if page.article is not None:
        values += _person_names(page, page.article.get("author"))
    return any(_site_like(n, page) for n in clean_authors(values))


def _structured_authors(
    page: Page, not_names: list[str], sites: list[str]
) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """Names from JSON-LD, author meta tags or microdata (the first that has any), their
    source, and the organisations named as authors there (the site itself among them: a
    last resort)."""
    site_named: list[str] = []

    def people(names: tuple[str, ...]) -> tuple[str, ...]:
        site_named.extend(n for n in names if _site_like(n, page))
        return tuple(n for n in names if not _site_like(n, page))

    newsrooms: list[str] = []
    if page.article is not None:
        for key in ("author", "creator"):
            newsrooms.extend(_organisation_names(page, page.article.get(key), sites))
            values = _person_names(page, page.article.get(key))
            newsrooms.extend(fold(v) for v in values if is_newsroom(v))
            names = people(clean_authors(values, not_names))
            if names:
                return names, "jsonld", ()
    values = [v for _, v in page.meta_first(_AUTHOR_META) if not v.startswith("http")]
    newsrooms.extend(fold(v) for v in values if is_newsroom(v))
    names, organisations = _people_first(values, not_names)
    names = people(names)
    organisations = tuple(dict.fromkeys([*newsrooms, *organisations, *site_named]))
    if names:
        return names, "meta", organisations
    micro: list[str] = []
    for element in page.with_itemprop("author", "creator")[:10]:
        if in_excluded_area(element):
            continue
        inner = element.xpath('.//*[@itemprop="name"]')
        target = inner[0] if inner else element
        text = target.get("content") or target.text_content()
        if text and len(text) < 120:
            micro.append(text)
    names = clean_authors(micro, not_names)
    if names:
        return names, "microdata", organisations
    return (), None, organisations


class Byline(NamedTuple):
    """The people credited (and the source that named them), and the organisation credited
    when no person is."""

    names: tuple[str, ...] = ()
    source: str | None = None
    organisation: str | None = None


def authors(page: Page, sites: list[str], *, thorough: bool = True) -> Byline:
    """Authors and their source; see the module docstring for the precedence.

    Site names are not people in structured data (a publisher filled in as author); in a
    byline printed on the page, only the declared ``og:site_name`` is refused, since many
    blogs are named after their author's handle. A one-word name in structured data (a
    user name or a first name) is replaced by the full name printed on the page, if the
    page spells it. An organisation credited as the author (with no person named anywhere)
    is the ``organisation``, not a name.
    """
    not_names = [*sites, *host_labels(page.host)]
    printed_not_names = [fold(v) for v in page.meta.get("og:site_name", ())]
    names, source, organisations = _structured_authors(page, not_names, sites)
    if names:
        if thorough and any(is_handle(n) for n in names):
            printed = [
                *byline_elements(page, printed_not_names),
                *label_bylines(page, printed_not_names),
                *author_links(page, printed_not_names),
            ]
            fuller = prefer_full_names(names, printed)
            if fuller != names:
                return Byline(fuller, f"{source}+printed-full-name")
        return Byline(names, source)
    finders = [("dom", byline_elements)]
    if thorough:
        finders += [
            ("dom-label", label_bylines),
            ("dom-link", author_links),
            ("dom-generic", generic_byline),
        ]
    finders += [("forum-starter", forum_starter), ("post-author-comment", post_author_comment)]
    for name, finder in finders:
        names = finder(page, printed_not_names)
        if names:
            return Byline(names, name)
    # a page whose structured data credits an organisation (or the site) is not a
    # personal site
    names = () if organisations or _site_declared_as_author(page) else _personal_site_owner(page)
    if names:
        return Byline(names, "site-owner")
    if organisations:
        return Byline((), "meta-organisation", organisations[0])
    return Byline()


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\(c\)\s*)?(?:[\d\s–-]+)?\s*(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){1,2})",
    re.IGNORECASE,
)


_ARTICLES = frozenset(
    {"the", "a", "le", "la", "les", "l", "die", "der", "das", "el", "los", "il", "de", "het"}
)


_JOINED = re.compile(r"&|\+|\b(?:and|und|et|y|e|en)\b", re.IGNORECASE)


def _personal_site_owner(page: Page) -> tuple[str, ...]:
    """On a site named after a person (janedoe.example): that person, when the site name,
    a title segment or the copyright line spells the host's name as a person's name."""
    labels = {squash(label) for label in host_labels(page.host)[:1]}
    labels = {label for label in labels if len(label) >= 6}
    if not labels:
        return ()
    title = fold(next(iter(page.tree.xpath("//title/text()")), ""))
    candidates = [*page.meta.get("og:site_name", ()), *title_segments(title)]
    for element in page.tree.xpath(
        '//footer | //*[contains(@class, "copyright") or contains(@class, "footer")]'
    )[:5]:
        match = _COPYRIGHT.search(fold(element.text_content())[:300])
        if match:
            candidates.append(match["name"])
    for candidate in candidates:
        candidate = re.sub(r"[’']s\b.*$", "", fold(candidate))
        words = candidate.split()
        if _JOINED.search(candidate):
            continue  # "Harbour & Pier": two things, not one person's name
        if squash(candidate) in labels and len(words) >= 2 and words[0].lower() not in _ARTICLES:
            names = clean_authors([candidate])
            if names:
                return names[:1]
    return ()
