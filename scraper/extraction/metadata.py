"""Headline, authors, dates, description, language, canonical URL and site name.

Each field is collected from several sources and chosen with an explicit precedence,
validating every candidate (see :data:`PRECEDENCE`):

- **headline**: the text most sources agree on (JSON-LD ``headline``, ``og:title``,
  ``twitter:title``, microdata, the ``<h1>``, ``<title>``), site names stripped from
  title-like sources; ties go to the earlier source in the precedence. When no heading
  agrees with any of them, a plain first ``<h1>`` beats SEO titles (unless JSON-LD and
  OpenGraph agree with each other). Headings that only link home name the site.
- **authors**: the first source giving at least one valid person name: JSON-LD author
  (``Person`` nodes, ``@id`` links followed; ``Organization`` ignored), author meta tags,
  microdata, then the byline in the DOM (``rel=author``, author/byline elements, a printed
  "Autor:"/"By" label, links to author pages, a forum's thread starter). A one-word
  structured name gives way to the full name printed on the page.
- **published/modified**: JSON-LD, then article/OpenGraph/Dublin Core meta, microdata and
  ``<time>`` elements, then the date in the URL, then htmldate's heuristics. Dates in the
  future or before 1990 are rejected; a day in the URL overrides a conflicting candidate.
  Last, the day printed next to the headline replaces an earlier one (what a reader sees
  as the date: often the last update).
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache, cached_property
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from scraper.extraction import jsonld
from scraper.extraction.authors import (
    BYLINE_LABEL,
    ascii_key,
    clean_authors,
    is_handle,
    names_in_line,
    prefer_full_names,
    without_agencies,
)
from scraper.extraction.dates import (
    date_from_url,
    first_shown_date,
    labelled_date,
    parse_datetime,
    plausible,
)
from scraper.extraction.phrases import (
    AUTHOR_PATHS,
    ORGANISATION_MARKERS,
    TITLE_SEPARATORS,
)

logger = logging.getLogger(__name__)

PRECEDENCE: dict[str, tuple[str, ...]] = {
    "headline": ("dom agreeing with jsonld/meta/title", "jsonld", "og/twitter", "title", "h1"),
    "headline-fallback": ("plain first h1 unless jsonld and og agree", "jsonld", "og", "title"),
    "authors": ("jsonld", "meta", "microdata", "dom", "dom-label", "dom-link", "dom-generic"),
    "published": ("jsonld", "meta", "microdata", "time", "url", "htmldate", "header if later"),
}

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
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Metadata:
    headline: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    modified_at: datetime | None = None
    description: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Texts that are fields of their own and must not open the body.
    standfirsts: tuple[str, ...] = ()
    #: The page's other titles (``<h1>`` texts, og:title): may open the body, never part of it.
    titles: tuple[str, ...] = ()


def fold(text: str | None) -> str:
    """Unescape entities and fold whitespace."""
    if not text:
        return ""
    return _WS.sub(" ", htmllib.unescape(text).replace("\xa0", " ")).strip()


def squash(text: str) -> str:
    """Lower case without spaces or punctuation: for comparing labels and names."""
    return re.sub(r"[\W_]+", "", text.casefold())


class Page:
    """Lazy views of one tree used by the field extractors."""

    def __init__(self, tree: HtmlElement, url: str | None) -> None:
        self.tree = tree
        self.url = url
        self.graph = jsonld.Graph(jsonld.parse_blocks(tree))
        self.article = self.graph.article()
        self.meta = _meta_tags(tree)
        self.host = (urlsplit(url).hostname or "") if url else ""

    @cached_property
    def itemprops(self) -> list[HtmlElement]:
        """Elements with an ``itemprop``, in document order (one walk, for all lookups)."""
        return [e for e in self.tree.iter() if e.get("itemprop") is not None]

    def with_itemprop(self, *names: str) -> list[HtmlElement]:
        """Elements whose ``itemprop`` is one of ``names``, in document order."""
        return [e for e in self.itemprops if e.get("itemprop") in names]

    def meta_first(self, names: Iterable[str]) -> list[tuple[str, str]]:
        found = []
        for name in names:
            for value in self.meta.get(name, ()):
                found.append((name, value))
        return found


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            content = element.get("value")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attr)
            if key and attr == "itemprop" and _in_nested_item(element):
                continue
            if key:
                meta.setdefault(key.strip().lower(), []).append(content.strip())
    return meta


def _in_nested_item(element: HtmlElement) -> bool:
    """A microdata property of an item that is itself a property of another item (a cited
    paper's ``author``, a review's ``datePublished``): not the page's own."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemscope") is not None:
            return ancestor.get("itemprop") is not None
    return False


def site_names(page: Page) -> list[str]:
    names: list[str] = []
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site"):
        names.extend(fold(v).lstrip("@") for v in page.meta.get(key, ()))
    if page.article is not None:
        publisher = page.graph.resolve(page.article.get("publisher"))
        if isinstance(publisher, list):
            publisher = page.graph.resolve(publisher[0]) if publisher else None
        if isinstance(publisher, dict):
            name = jsonld.text_value(publisher.get("name"))
            if name:
                names.append(fold(name))
    for node in page.graph.of_type("WebSite", "Organization", "NewsMediaOrganization"):
        name = jsonld.text_value(node.get("name"))
        if name:
            names.append(fold(name))
    return [n for n in dict.fromkeys(names) if n]


def _host_labels(host: str) -> list[str]:
    parts = [p for p in host.lower().split(".") if p not in ("www", "m", "amp")]
    labels = []
    if len(parts) >= 2:
        labels.append(parts[-2] if len(parts[-1]) <= 3 and len(parts) >= 2 else parts[-1])
        labels.append("".join(parts[:-1]))
        labels.append(".".join(parts))
    return labels


def _is_site_label(segment: str, sites: list[str], host: str) -> bool:
    key = squash(segment)
    if not key:
        return True
    for site in sites:
        s = squash(site)
        if s and (key == s or (len(s) >= 4 and (s in key or key in s) and len(key) <= len(s) + 12)):
            return True
    for label in _host_labels(host):
        s = squash(label)
        if len(s) >= 3 and (key == s or key.startswith(s) or (s.startswith(key) and len(key) >= 4)):
            return True
    return False


def strip_site_name(title: str, sites: list[str], host: str) -> str:
    """Remove leading or trailing site-name segments ("Headline | Site", "Site » Headline")."""
    for sep in TITLE_SEPARATORS:
        if sep not in title:
            continue
        segments = title.split(sep)
        changed = False
        while len(segments) > 1 and _is_site_label(segments[-1], sites, host):
            segments.pop()
            changed = True
        while len(segments) > 1 and _is_site_label(segments[0], sites, host):
            segments.pop(0)
            changed = True
        if changed:
            return sep.join(segments).strip()
    return title


def title_segments(title: str) -> list[str]:
    """Every run of consecutive segments of a title split at one separator kind."""
    out = []
    for sep in TITLE_SEPARATORS:
        if sep in title:
            segments = [s.strip() for s in title.split(sep)]
            for i in range(len(segments)):
                for j in range(i + 1, len(segments) + 1):
                    if (i, j) != (0, len(segments)):
                        out.append(sep.join(segments[i:j]))
    return out


def _longest_segment(title: str, *, dashes: bool = False) -> str:
    """For a title with strong separators left after stripping site names: its longest segment.

    Dashes are weak separators (headlines use them); with ``dashes`` (a bare ``<title>``,
    nothing better known) they count when there are at least three dash-separated segments
    ("Site - Headline - Section - News").
    """
    for sep in (" | ", " » ", " « ", " :: ", " // "):
        if sep in title:
            segments = [s.strip() for s in title.split(sep) if s.strip()]
            if len(segments) > 1:
                return max(segments, key=len)
    for sep in (" - ", " – ", " — ") if dashes else ():
        segments = [s.strip() for s in title.split(sep) if s.strip()]
        if len(segments) >= 3:
            return max(segments, key=len)
    return title


#: Class substrings of headline elements (``h2``, ``h3``, ``div``, ``span``, ``a``).
_HEADLINE_CLASSES = (
    "entry-title",
    "post-title",
    "article-title",
    "headline",
    "story-title",
    "page-title",
)


def _is_headline_element(element: HtmlElement) -> bool:
    tag = element.tag
    if tag == "h1":
        return True
    if tag not in ("h2", "h3", "div", "span", "a"):
        return False
    cls = element.get("class")
    if (cls and any(c in cls for c in _HEADLINE_CLASSES)) or element.get("itemprop") == "headline":
        return True
    return (
        tag == "h2"
        and next(element.itersiblings("h2", preceding=True), None) is None
        and any(a.tag == "article" for a in element.iterancestors())
    )


def _headline_elements(tree: HtmlElement, limit: int = 40) -> list[HtmlElement]:
    """The first ``limit`` of: every ``<h1>``, headline-classed or ``itemprop=headline``
    elements, the first ``<h2>`` of a parent inside an ``<article>``; in document order.

    One walk of the tree (the XPath union it replaces scanned it three times).
    """
    found: list[HtmlElement] = []
    for element in tree.iter():
        if _is_headline_element(element):
            found.append(element)
            if len(found) >= limit:
                break
    return found


#: Class tokens of badges inside a heading (a forum thread's "Patch Notes" prefix).
_BADGE_CLASS = re.compile(r"^(?:label|badge|prefix|tag|label-append)(?:$|--)", re.IGNORECASE)
#: Class or id tokens of a heading that holds the site's name (WordPress ``site-title``).
_SITE_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:site-?title|site-?name|logo|brand(?:ing)?|masthead|blog-?title)(?:$|[\s_-])",
    re.IGNORECASE,
)
_ROOT_LINK = re.compile(r"(?:.*https?://[^/?#]+)?/?(?:index\.\w+)?")


def _heading_text(element: HtmlElement) -> str:
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


def _dom_headlines(page: Page, sites: list[str]) -> tuple[list[str], set[str]]:
    """Headline-like texts in the page, in document order, and which of them are ``<h1>``."""
    found: list[str] = []
    h1s: set[str] = set()
    for element in _headline_elements(page.tree):
        if len(found) >= 12:
            break
        if (
            element.tag in ("div", "span", "a")
            and not re.search(
                r"entry-title|post-title|article-title|headline|story-title|page-title",
                element.get("class", ""),
            )
            and element.get("itemprop") != "headline"
        ):
            continue
        if _site_heading(element):
            continue
        text = fold(_heading_text(element))
        if not 3 <= len(text) <= 300 or _is_site_label(text, sites, page.host):
            continue
        if text not in found:
            found.append(text)
        if element.tag == "h1":
            h1s.add(text)
    return found, h1s


_PREFIX_BREAK = re.compile(r"^(?:\s+[|\-–—»«:/·•]\s|,\s|[^\W\d_])")


def _is_title_prefix(text: str, title: str) -> bool:
    """``text`` opens ``title`` and what follows is a separator (or glued-on words)."""
    if len(text) < 8 or not title.startswith(text) or len(title) == len(text):
        return False
    return bool(_PREFIX_BREAK.match(title[len(text) :]))


_KICKER_SEPARATORS = (": ", " - ", " – ", " — ")


def _kicker_related(text: str, reference: str) -> bool:
    """One is the other with a kicker in front ("Chronik: Lotte Tobisch ist tot")."""
    short, long_ = sorted((text, reference), key=len)
    if len(short) < 12 or len(long_) == len(short) or not long_.endswith(short):
        return False
    return long_[: len(long_) - len(short)].endswith(_KICKER_SEPARATORS)


def headline(page: Page, sites: list[str]) -> tuple[str | None, str | None]:
    """The headline and the source it came from.

    A headline in the page (``h1``, ``.entry-title``, microdata) that agrees with
    structured or meta data wins: exactly, as a segment of ``<title>``, or as a prefix of
    ``og:title``. Otherwise JSON-LD ``headline``, then ``og:title``/``twitter:title``
    with the site name stripped, then ``<title>`` (site name stripped, or its longest
    segment), then the first ``h1``.
    """
    structured: list[str] = []
    if page.article is not None:
        for key in ("headline", "name", "alternativeHeadline"):
            value = jsonld.text_value(page.article.get(key))
            if value:
                structured.append(fold(value))
                break
    metas: list[str] = []
    for key in ("og:title", "twitter:title", "headline", "dc.title"):
        metas.extend(fold(v) for v in page.meta.get(key, ())[:1])
    title_el = page.tree.find(".//title")
    title = fold(title_el.text_content()) if title_el is not None else ""
    stripped_metas = [strip_site_name(m, sites, page.host) for m in metas if m]
    stripped_structured = [strip_site_name(m, sites, page.host) for m in structured if m]
    stripped_title = strip_site_name(title, sites, page.host) if title else ""

    plain = [
        t for t in [*stripped_structured, *stripped_metas, stripped_title, *structured, *metas] if t
    ]
    exact = {t.casefold() for t in plain}
    references = {squash(t) for t in plain}
    segments = {squash(t) for t in title_segments(title)} if title else set()
    prefixes = [t for t in [*metas, title] if t]
    doms, h1s = _dom_headlines(page, sites)
    plain_h1s = {
        fold(_heading_text(h))
        for h in islice(page.tree.iter("h1"), 5)
        if not any(
            isinstance(e.tag, str)
            and e.tag not in ("a", "em", "i", "b", "strong", "br")
            and fold(e.text_content())
            for e in h.iterdescendants()
        )
    }
    best: tuple[int, int, str] | None = None
    for order, text in enumerate(doms):
        key = squash(text)
        if not key:
            continue
        if text.casefold() in exact:
            score = 4
        elif key in references:
            score = 3
        elif any(_is_title_prefix(text, p) for p in prefixes) or (
            text in h1s and any(_kicker_related(text, p) for p in plain)
        ):
            score = 2
        elif key in segments and len(key) >= 0.3 * len(squash(title)):
            score = 1
        else:
            continue
        if best is None or (-score, order) < (-best[0], best[1]):
            best = (score, order, text)
    if best is not None:
        return best[2], "dom"
    # the page's own heading over SEO titles, unless JSON-LD and OpenGraph agree on one
    first_h1 = next((t for t in doms if t in h1s), None)
    seo_agree = bool(
        {t.casefold() for t in stripped_structured} & {t.casefold() for t in stripped_metas}
    )
    if (
        first_h1 is not None
        and not seo_agree
        and first_h1 in plain_h1s
        and len(first_h1.split()) >= 3
        and " | " not in first_h1
    ):
        return first_h1, "h1"
    for text in stripped_structured:
        if text and not (
            text.endswith(("...", "…")) and any(squash(m).startswith(squash(text)) for m in metas)
        ):
            return text, "jsonld"
    for text in stripped_metas:
        if text:
            return _longest_segment(text), "meta"
    if stripped_title:
        return _longest_segment(stripped_title, dashes=True), "title"
    if doms:
        return doms[0], "h1"
    return None, None


def _person_names(page: Page, value: Any) -> list[str]:
    value = page.graph.resolve(value)
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            names.extend(_person_names(page, item))
    elif isinstance(value, dict):
        kinds = jsonld.types_of(value)
        if kinds & {"organization", "newsmediaorganization", "corporation", "website"}:
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


#: Bylines inside these containers belong to comments or other stories.
_NOT_BYLINE_AREA = re.compile(
    r"^(?:comment|respond|reply|discussion|disqus|related|recommend|teaser|most-?popular|"
    r"trending|newsletter|kommentar)",
    re.IGNORECASE,
)


def _in_excluded_area(element: HtmlElement) -> bool:
    """Inside comments or teasers of other stories (layout classes like "sidebar" are too
    often put on the content column itself to be a signal)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".split()
        if any(_NOT_BYLINE_AREA.match(token) for token in marker) or ancestor.tag in (
            "nav",
            "aside",
        ):
            return True
        itemtype = ancestor.get("itemtype") or ""
        if "Comment" in itemtype:
            return True
    return False


def _byline_texts(element: HtmlElement) -> list[str]:
    """The name-bearing texts of one byline element (its links or name parts, else itself)."""
    parts = element.xpath(
        './/*[@itemprop="name"] | .//a[@rel="author"] | .//*[contains(@class, "name")]'
    )
    texts = [fold(p.get("content") or p.text_content()) for p in parts]
    texts = [t for t in texts if t]
    if not texts:
        links = [fold(a.text_content()) for a in element.iter("a")]
        texts = [t for t in links if t] or [_after_by(fold(element.text_content()))]
    return texts


_BY_WORD = re.compile(r"\s(?:by|von|par|por)\s+", re.IGNORECASE)


def _after_by(text: str) -> str:
    """The words after the last "by"/"von" of a byline text ("Posted on May 3 by Jo Ek")."""
    parts = _BY_WORD.split(text)
    return parts[-1] if len(parts) > 1 else text


_ORGANISATION = re.compile(
    r"\b(?:" + "|".join(ORGANISATION_MARKERS) + r")\b|\((?:https?://)?www\.", re.IGNORECASE
)


def _people_first(
    values: list[str], not_names: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Clean names from ``values``: those of people, and those of organisations (kept aside)."""
    people = [v for v in values if not _ORGANISATION.search(v)]
    organisations = [v for v in values if _ORGANISATION.search(v)]
    return clean_authors(people, not_names), clean_authors(organisations, not_names)


def _site_like(name: str, page: Page) -> bool:
    """A name that contains the host's name and more ("EFC Bayrische Bembel" on
    bayrische-bembel.de): the site or its owner, not a writer."""
    key = squash(name)
    return any(
        len(label) >= 6 and label in key and label != key
        for label in (squash(x) for x in _host_labels(page.host)[:2])
    )


def _site_declared_as_author(page: Page) -> bool:
    """Structured data names the site itself (or its newsroom) as the author: the site is
    an organisation then, not a person's blog."""
    values = [v for _, v in page.meta_first(_AUTHOR_META)]
    if page.article is not None:
        values += _person_names(page, page.article.get("author"))
    return any(_site_like(n, page) for n in clean_authors(values))


def _structured_authors(
    page: Page, not_names: list[str]
) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """Names from JSON-LD, author meta tags or microdata (the first that has any), their
    source, and the organisations named as authors there (the site itself among them: a
    last resort)."""
    site_named: list[str] = []

    def people(names: tuple[str, ...]) -> tuple[str, ...]:
        site_named.extend(n for n in names if _site_like(n, page))
        return tuple(n for n in names if not _site_like(n, page))

    if page.article is not None:
        for key in ("author", "creator"):
            names = people(clean_authors(_person_names(page, page.article.get(key)), not_names))
            if names:
                return names, "jsonld", ()
    values = [v for _, v in page.meta_first(_AUTHOR_META) if not v.startswith("http")]
    names, organisations = _people_first(values, not_names)
    names = people(names)
    organisations = tuple(dict.fromkeys([*organisations, *site_named]))
    if names:
        return names, "meta", organisations
    micro: list[str] = []
    for element in page.with_itemprop("author", "creator")[:10]:
        if _in_excluded_area(element):
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


def _byline_elements(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The first author/byline element (by class, id or ``rel=author``) outside comments
    and teasers that holds a name."""
    for element in _byline_candidates(page.tree):
        if element.tag in (
            "meta",
            "link",
            "script",
            "style",
            "body",
            "html",
            "img",
            "article",
            "section",
        ):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}".split()
        if len(element.text_content()) > 200 or any(_NOT_BYLINE_AREA.match(t) for t in marker):
            continue
        if _in_excluded_area(element):
            continue
        names = clean_authors(_byline_texts(element), not_names)
        if names:
            return names[:4]
    return ()


def authors(
    page: Page, sites: list[str], *, thorough: bool = True
) -> tuple[tuple[str, ...], str | None]:
    """Authors and their source; see the module docstring for the precedence.

    Site names are not people in structured data (a publisher filled in as author); in a
    byline printed on the page, only the declared ``og:site_name`` is refused, since many
    blogs are named after their author's handle. A one-word name in structured data (a
    user name or a first name) is replaced by the full name printed on the page, if the
    page spells it.
    """
    not_names = [*sites, *_host_labels(page.host)]
    printed_not_names = [fold(v) for v in page.meta.get("og:site_name", ())]
    names, source, organisations = _structured_authors(page, not_names)
    if names:
        if thorough and any(is_handle(n) for n in names):
            printed = [
                *_byline_elements(page, printed_not_names),
                *_label_bylines(page, printed_not_names),
                *_author_links(page, printed_not_names),
            ]
            fuller = prefer_full_names(names, printed)
            if fuller != names:
                return fuller, f"{source}+printed-full-name"
        return names, source
    finders = [("dom", _byline_elements)]
    if thorough:
        finders += [
            ("dom-label", _label_bylines),
            ("dom-link", _author_links),
            ("dom-generic", _generic_byline),
        ]
    finders += [("forum-starter", _forum_starter), ("post-author-comment", _post_author_comment)]
    for name, finder in finders:
        names = finder(page, printed_not_names)
        if names:
            return names, name
    names = () if _site_declared_as_author(page) else _personal_site_owner(page)
    if names:
        return names, "site-owner"
    if organisations:
        return organisations, "meta-organisation"
    return (), None


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\(c\)\s*)?(?:[\d\s–-]+)?\s*(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){1,2})",
    re.IGNORECASE,
)


_ARTICLES = frozenset(
    {"the", "a", "le", "la", "les", "l", "die", "der", "das", "el", "los", "il", "de", "het"}
)


def _personal_site_owner(page: Page) -> tuple[str, ...]:
    """On a site named after a person (gregoryszorc.com): that person, when the site name,
    a title segment or the copyright line spells the host's name as a person's name."""
    labels = {squash(label) for label in _host_labels(page.host)[:1]}
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
        if squash(candidate) in labels and len(words) >= 2 and words[0].lower() not in _ARTICLES:
            names = clean_authors([candidate])
            if names:
                return names[:1]
    return ()


#: Elements that end a line of text.
_LINE_BREAKS = frozenset(
    {
        "br", "hr", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "td", "th", "tr", "table",
        "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "aside",
        "nav", "main", "figure", "figcaption", "blockquote", "address", "form", "pre",
    }
)  # fmt: skip
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "select", "textarea", "svg"})
#: A byline label in these is a title, a menu entry or a control, not a byline.
_NOT_LABEL_OWNERS = frozenset({"h1", "h2", "h3", "title", "option", "button", "textarea"})


def _lines_at(block: HtmlElement, target: HtmlElement, tail: bool) -> tuple[str, str] | None:
    """The text of ``block`` before and from one text node (``target``'s text, or its
    tail), with a newline wherever an element ends a line; None past 400 elements."""
    parts: list[str] = []
    split = -1
    stack: list[tuple[HtmlElement, bool]] = [(block, False)]
    visited = 0
    while stack:
        element, closing = stack.pop()
        is_tag = isinstance(element.tag, str)
        if closing:
            if is_tag and element.tag in _LINE_BREAKS:
                parts.append("\n")
            if element is not block:
                if element is target and tail:
                    split = len(parts)
                parts.append(element.tail or "")
            continue
        visited += 1
        if visited > 400:
            return None
        stack.append((element, True))
        if not is_tag or element.tag in _NOT_TEXT:
            continue
        if element.tag in _LINE_BREAKS:
            parts.append("\n")
        if element is target and not tail:
            split = len(parts)
        parts.append(element.text or "")
        stack.extend((child, False) for child in reversed(element))
        if split >= 0 and sum(len(p) for p in parts[split:]) > 300:
            break
    if split < 0:
        return None
    return "".join(parts[:split]), "".join(parts[split:])


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
        if before.rpartition("\n")[2].strip():
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


def _label_bylines(page: Page, not_names: list[str], limit: int = 6000) -> tuple[str, ...]:
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
            if owner is None or owner.tag in _NOT_LABEL_OWNERS or owner.tag in _NOT_TEXT:
                continue
            if any(a.tag in ("form", "label") for a in owner.iterancestors()):
                continue  # a search form's "by member" field
            tried += 1
            names = clean_authors(_names_after_label(element, tail), not_names)
            if names and not _in_excluded_area(owner):
                return names[:4]
    return ()


_AUTHOR_HREF = re.compile(
    r"/(?:" + "|".join(AUTHOR_PATHS) + r")/(?P<slug>[^/?#]+)/?(?:[?#]|$)", re.IGNORECASE
)


def _author_links(page: Page, not_names: list[str], limit: int = 3000) -> tuple[str, ...]:
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
        text = fold(link.text_content())
        slug = ascii_key(match["slug"])
        words = [ascii_key(w) for w in text.split()]
        if not 0 < len(words) <= 4 or not all(w and w in slug for w in words):
            continue
        if parent is not None and link.getparent() is not parent:
            continue
        if _in_excluded_area(link):
            continue
        names = clean_authors([text], not_names)
        if names:
            found.extend(names)
            parent = link.getparent()
    return tuple(dict.fromkeys(found))[:4]


def _forum_starter(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """A forum thread's first post names its writer in ``data-author``."""
    for element in page.tree.xpath("//article[@data-author] | //div[@data-author]")[:1]:
        names = clean_authors([element.get("data-author") or ""], not_names)
        if names:
            return names[:1]
    return ()


def _post_author_comment(page: Page, not_names: list[str]) -> tuple[str, ...]:
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


_BY_LEAD = (
    r"^\s*(?:(?:ein\s+|a\s+)?(?:blog\s*)?(?:beitrag|gastbeitrag|artikel|post|article|story)\s+)?"
    r"(?:by|von|par|por|di|door|text|texte|autor(?:in)?|written by|posted by|geschrieben von)"
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


def _generic_byline(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """trafilatura's broader author selectors, then a "By Name" line near the headline."""
    for selected in trafilatura_author_elements(page.tree):
        for element in selected:
            if element.tag in ("time", "figure", "meta", "script", "style", "input", "form"):
                continue
            text = fold(" ".join(element.itertext()))
            if not 2 < len(text) < 120 or _in_excluded_area(element):
                continue
            names = clean_authors([text], not_names)
            if names:
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
            text = fold(element.text_content())
            if not text or len(text) > 100:
                continue
            match = _BY_TEXT.match(text)
            if match and not _in_excluded_area(element):
                names = clean_authors([match["name"]], not_names)
                if names:
                    return names
    return ()


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
    text = _page_text(page)
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
            if not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
                continue
            if _ends_header(element, below, standfirst):
                break
            day = _shown_day(element, now)
            if day is not None:
                found.append((distance, day))
                break
    # the nearer of the first date below and the first above; below on a tie
    return min(found, key=lambda f: f[0])[1] if found else None


@cache
def _text_xpath() -> etree.XPath:
    # script and style hold raw text only (never elements) in lxml's HTML parser; plain
    # strings, so that no element proxy is made per text node
    return etree.XPath(
        "//body//text()[not(parent::script or parent::style or ancestor::noscript)]",
        smart_strings=False,
    )


def _page_text(page: Page) -> str:
    """The page's visible text, whitespace folded."""
    return " ".join(" ".join(_text_xpath()(page.tree)).split())


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


def description(page: Page) -> str | None:
    for key in ("description", "og:description", "twitter:description", "dc.description"):
        for value in page.meta.get(key, ()):
            text = fold(value)
            if text:
                return text
    if page.article is not None:
        found = jsonld.text_value(page.article.get("description"))
        if found:
            return fold(found)
    return None


_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$")


def declared_language(page: Page) -> str | None:
    candidates = [page.tree.get("lang"), page.tree.get("xml:lang")]
    candidates += page.meta.get("content-language", []) + page.meta.get("og:locale", [])
    if page.article is not None:
        candidates.append(jsonld.text_value(page.article.get("inLanguage")))
    for value in candidates:
        if value and _LANG.match(value.strip()):
            return value.strip().replace("_", "-").split("-")[0].lower()
    return None


def canonical(page: Page) -> str | None:
    hrefs = [
        link.get("href") for link in page.tree.xpath('//link[@rel="canonical" or @rel="Canonical"]')
    ]
    hrefs += page.meta.get("og:url", [])
    if page.article is not None:
        entity = page.article.get("mainEntityOfPage")
        hrefs.append(jsonld.text_value(entity) if entity else None)
        hrefs.append(jsonld.text_value(page.article.get("url")))
    for href in hrefs:
        if not href:
            continue
        absolute = urljoin(page.url or "", href.strip())
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.hostname:
            return absolute
    return page.url


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
    names, author_source = authors(page, sites, thorough=thorough)
    names = without_agencies(names)
    desc = description(page)
    published, modified, notes = dates(page, now, title, desc)
    if title_source:
        notes.append(f"headline:{title_source}")
    if author_source:
        notes.append(f"authors:{author_source}")
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
        authors=names,
        published_at=published,
        modified_at=modified,
        description=desc,
        language=declared_language(page),
        canonical_url=canonical(page),
        site_name=sites[0] if sites else None,
        notes=tuple(notes),
        standfirsts=standfirsts,
        titles=titles,
    )
