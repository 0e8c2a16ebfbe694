"""Authors: the first source giving at least one valid person name.

Small finders, each giving the people one source credits as a :class:`Found` (the names,
the source, a note) or None, under a short orchestrator (:func:`authors`): JSON-LD author
(``Person`` nodes, ``@id`` links followed; ``Organization`` ignored), author meta tags,
microdata, then the byline printed in the page (:mod:`.byline_dom`), then the owner of a
personal site. A one-word structured name gives way to the full name printed on the page.
When no person is named, the organisation structured data credits. Names are cleaned and
validated by :mod:`.authors`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from scraper.extraction import jsonld
from scraper.extraction.authors import (
    ORGANISATION,
    clean_authors,
    is_handle,
    is_news_agency,
    is_newsroom,
    prefer_full_names,
    split_names,
)
from scraper.extraction.byline_dom import (
    author_links,
    byline_elements,
    forum_starter,
    in_excluded_area,
    label_bylines,
    post_author_comment,
    printed_organisation,
)
from scraper.extraction.byline_generic import generic_byline
from scraper.extraction.byline_text import (
    bold_credit_paragraph,
    cjk_credit_lines,
    dated_meta_line,
)
from scraper.extraction.headline_title import title_segments
from scraper.extraction.page import Found, Page, host_labels
from scraper.extraction.phrases import ARTICLES, NAME_PARTICLES
from scraper.extraction.text import fold, squash

#: Author meta tags in order of trust: Dublin Core's creator first, as Mozilla Readability
#: ranks it, since ``name=author`` is often a template default (the site, an account).
_AUTHOR_META = (
    "dc:creator",
    "dc.creator",
    "dcterms:creator",
    "dcterms.creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "cxenseparse:author",
    "citation_author",
    "og:article:author",
    "article:author_name",
    "authors",
    "articleauthor",
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


def _site_like(name: str, page: Page) -> bool:
    """A name that contains the host's name and more ("SV Blaue Möwe Verein" on
    blauemoewe.example): the site or its owner, not a writer."""
    key = squash(name)
    return any(
        len(label) >= 6 and label in key and label != key
        for label in (squash(x) for x in host_labels(page.host)[:2])
    )


#: What separates a site's name from a tagline or place after it ("WXYZ - Springfield, IL").
_SITE_TAGLINE = re.compile(r"\s+[-–—|:·]\s+|:\s+")


def _opens_with_site(value: str, ctx: _Context) -> bool:
    """An author value that opens with the site's name or host label, then a separator
    and more (a tagline, a place): the site credited, not a writer."""
    head = _SITE_TAGLINE.split(value.strip(), maxsplit=1)
    if len(head) < 2:
        return False
    key = squash(head[0])
    labels = {squash(x) for x in host_labels(ctx.page.host)[:2]} | {squash(s) for s in ctx.sites}
    return len(key) >= 3 and key in labels


def _site_declared_as_author(page: Page) -> bool:
    """Structured data names the site itself (or its newsroom) as the author: the site is
    an organisation then, not a person's blog."""
    values = [v for _, v in page.meta_first(_AUTHOR_META)]
    if page.article is not None:
        values += _person_names(page, page.article.get("author"))
    return any(_site_like(n, page) for n in clean_authors(values))


def _meta_values(page: Page) -> list[str]:
    """The first author meta tag's values that are not addresses."""
    return [v for _, v in page.meta_first(_AUTHOR_META) if not v.startswith("http")]


def _not_site(names: tuple[str, ...], page: Page) -> tuple[str, ...]:
    return tuple(n for n in names if not _site_like(n, page))


# ---------------------------------------------------------------------------- finders
# Each finder gives the people one source credits (cleaned, validated), or None.

Finder = Callable[["_Context"], "Found[tuple[str, ...]] | None"]


class _Context(NamedTuple):
    """What the finders share: the page and the names that are not people on it."""

    page: Page
    sites: list[str]
    #: Not people in structured data: site names and host labels.
    not_names: list[str]
    #: Not people in a byline printed on the page: only the declared ``og:site_name``.
    printed_not_names: list[str]


def _jsonld(ctx: _Context) -> Found[tuple[str, ...]] | None:
    """JSON-LD ``author``, then ``creator``: ``Person`` nodes (organisations ignored)."""
    article = ctx.page.article
    if article is None:
        return None
    for key in ("author", "creator"):
        values = _person_names(ctx.page, article.get(key))
        names = _not_site(clean_authors(values, ctx.not_names), ctx.page)
        if names:
            return Found(names, "jsonld", key)
    return None


def _meta(ctx: _Context) -> Found[tuple[str, ...]] | None:
    """The first author meta tag that names a person, organisations left out."""
    for key in _AUTHOR_META:
        values = [
            v
            for v in ctx.page.meta.get(key, ())
            if not v.startswith("http")
            and not ORGANISATION.search(v)
            and not _opens_with_site(v, ctx)
        ]
        names = _not_site(clean_authors(values, ctx.not_names), ctx.page)
        if names:
            return Found(names, "meta", key)
    return None


def _microdata(ctx: _Context) -> Found[tuple[str, ...]] | None:
    """``itemprop=author``/``creator`` outside comments and teasers (its ``name`` part)."""
    micro: list[str] = []
    for element in ctx.page.with_itemprop("author", "creator")[:10]:
        if in_excluded_area(element):
            continue
        inner = element.xpath('.//*[@itemprop="name"]')
        target = inner[0] if inner else element
        text = target.get("content") or target.text_content()
        if text and len(text) < 120:
            micro.append(text)
    names = clean_authors(micro, ctx.not_names)
    return Found(names, "microdata") if names else None


def _printed(
    source: str, find: Callable[[Page, list[str]], tuple[str, ...]]
) -> Callable[[_Context], Found[tuple[str, ...]] | None]:
    """A finder of :mod:`.byline_dom` (names printed on the page) as a finder here."""

    def finder(ctx: _Context) -> Found[tuple[str, ...]] | None:
        names = find(ctx.page, ctx.printed_not_names)
        return Found(names, source) if names else None

    return finder


def _bold_credit(ctx: _Context) -> Found[tuple[str, ...]] | None:
    """Names in bold opening the text (:func:`.bold_credit_paragraph`), on a page whose
    structured data credits the site or an organisation as the post's author: the case the
    convention exists for, the writer typed into a post the site's account published.
    Elsewhere two capitalised words in bold above the story are as often a dateline ("New
    York") or a section's label ("Breaking News") as a writer."""
    if not _organisations(ctx):
        return None
    names = bold_credit_paragraph(ctx.page, ctx.printed_not_names)
    return Found(names, "dom-bold-credit") if names else None


def _site_owner(ctx: _Context) -> Found[tuple[str, ...]] | None:
    """The owner of a personal site, unless structured data credits an organisation."""
    if _organisations(ctx) or _site_declared_as_author(ctx.page):
        return None
    names = _personal_site_owner(ctx.page)
    return Found(names, "site-owner") if names else None


def _full_names(ctx: _Context, found: Found[tuple[str, ...]]) -> Found[tuple[str, ...]] | None:
    """A one-word structured name (a user name, a first name) replaced by the full name
    printed on the page, if the page spells it."""
    if not any(is_handle(n) for n in found.value):
        return None
    printed = [
        *byline_elements(ctx.page, ctx.printed_not_names),
        *label_bylines(ctx.page, ctx.printed_not_names),
        *author_links(ctx.page, ctx.printed_not_names),
    ]
    fuller = prefer_full_names(found.value, printed)
    return Found(fuller, f"{found.source}+printed-full-name") if fuller != found.value else None


def _printed_coauthors(
    ctx: _Context, found: Found[tuple[str, ...]]
) -> Found[tuple[str, ...]] | None:
    """The printed byline when it names every structured author and more: structured data
    often credits only the account that posted (one author), the byline every writer."""
    printed = byline_elements(ctx.page, ctx.printed_not_names)
    known = {n.casefold() for n in found.value}
    extra = [n for n in printed if n.casefold() not in known]
    if not extra or not known <= {n.casefold() for n in printed}:
        return None
    # only full names join: a stray word, a site or an organisation in the byline does not
    if any(not _full_name(n, ctx) for n in extra):
        return None
    return Found(printed, f"{found.source}+printed-coauthors")


def _full_name(name: str, ctx: _Context) -> bool:
    """A person's full name: two or more capitalised words, not a site or organisation."""
    words = name.split()
    return (
        len(words) >= 2
        and all(w[0].isupper() or w.casefold() in NAME_PARTICLES for w in words)
        and not ORGANISATION.search(name)
        and bool(_not_site(clean_authors([name], ctx.not_names), ctx.page))
    )


def _organisations(ctx: _Context) -> tuple[str, ...]:
    """The organisations structured data credits as authors (as written): typed nodes and
    newsrooms in JSON-LD, organisations and newsrooms in the author meta tag, and the site
    itself named as a person there (a last resort)."""
    page = ctx.page
    newsrooms: list[str] = []
    site_named: list[str] = []
    if page.article is not None:
        for key in ("author", "creator"):
            newsrooms.extend(_organisation_names(page, page.article.get(key), ctx.sites))
            values = _person_names(page, page.article.get(key))
            newsrooms.extend(fold(v) for v in values if is_newsroom(v))
            names = clean_authors(values, ctx.not_names)
            site_named.extend(n for n in names if _site_like(n, page))
    values = _meta_values(page)
    newsrooms.extend(fold(v) for v in values if is_newsroom(v))
    people = [v for v in values if not ORGANISATION.search(v)]
    organisations = [fold(v) for v in values if ORGANISATION.search(v)]
    site_named.extend(n for n in clean_authors(people, ctx.not_names) if _site_like(n, page))
    # the author meta tag naming the site itself ("Harbour Times" on harbourtimes.example)
    site_keys = {squash(s) for s in ctx.sites}
    site_named.extend(p for v in values for p in split_names(v) if squash(p) in site_keys)
    site_named.extend(fold(v) for v in values if _opens_with_site(v, ctx))
    return tuple(dict.fromkeys([*newsrooms, *organisations, *site_named]))


_STRUCTURED: tuple[Finder, ...] = (_jsonld, _meta, _microdata)


def _printed_finders(thorough: bool) -> tuple[Finder, ...]:
    """The printed byline finders in order; the costly ones only when ``thorough``."""
    first = (_printed("dom", byline_elements),)
    costly = (
        _printed("dom-label", label_bylines),
        _printed("dom-cjk", cjk_credit_lines),
        _printed("dom-link", author_links),
        _printed("dom-generic", generic_byline),
        _printed("dom-dated-line", dated_meta_line),
        _bold_credit,
    )
    last = (
        _printed("forum-starter", forum_starter),
        _printed("post-author-comment", post_author_comment),
        _site_owner,
    )
    return (*first, *(costly if thorough else ()), *last)


class Byline(NamedTuple):
    """The people credited (and the source that named them), and the organisation credited
    when no person is."""

    names: tuple[str, ...] = ()
    source: str | None = None
    organisation: str | None = None


def _credited(found: Found[tuple[str, ...]]) -> Byline:
    """The people a finder found; news agencies credited alone ("By Reuters") are the
    organisation credited. The search ends there: the finders after it are weaker, and one
    of them would take a bookshop's "by" line or the site's name for the writer."""
    if all(map(is_news_agency, found.value)):
        return Byline((), found.source, ", ".join(found.value))
    return Byline(found.value, found.source)


def authors(page: Page, sites: list[str], *, thorough: bool = True) -> Byline:
    """The people the first source names, else the organisation credited: a news agency
    credited alone ("By Reuters"), the organisation structured data credits.

    Structured data first (a one-word name there gives way to the full name printed on
    the page), then the byline printed on the page, then a personal site's owner. Site
    names are not people in structured data (a publisher filled in as author); in a
    printed byline only the declared ``og:site_name`` is refused, since many blogs are
    named after their author's handle.
    """
    ctx = _Context(
        page,
        sites,
        [*sites, *host_labels(page.host)],
        [fold(v) for v in page.meta.get("og:site_name", ())],
    )
    for finder in _STRUCTURED:
        found = finder(ctx)
        if found is not None:
            if thorough:
                found = _full_names(ctx, found) or found
                found = _printed_coauthors(ctx, found) or found
            return _credited(found)
    for finder in _printed_finders(thorough):
        found = finder(ctx)
        if found is not None:
            return _credited(found)
    organisations = _organisations(ctx)
    if organisations:
        return Byline((), "meta-organisation", organisations[0])
    credited = printed_organisation(page, sites)
    if credited:
        return Byline((), "dom-organisation", credited)
    return Byline()


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\(c\)\s*)?(?:[\d\s–-]+)?\s*(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){1,2})",
    re.IGNORECASE,
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
        if squash(candidate) in labels and len(words) >= 2 and words[0].lower() not in ARTICLES:
            names = clean_authors([candidate])
            if names:
                return names[:1]
    return ()
