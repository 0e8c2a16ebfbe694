"""Page facts: one parsed page's meta tags, JSON-LD graph, site names, description,
declared language, canonical URL and visible text, shared by the field finders
(:mod:`.headline`, :mod:`.byline`, :mod:`.published`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Generic, NamedTuple, TypeVar
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from scraper.extraction import jsonld
from scraper.extraction.layout import BLOCK_TAGS
from scraper.extraction.text import fold, squash
from scraper.urls import join_url, split_url

#: Elements whose text is never shown as the page's text.
NOT_TEXT = frozenset({"script", "style", "noscript", "template", "select", "textarea", "svg"})


#: Elements whose text is not printed as a heading (the head's title, scripts, form fields).
_NOT_PRINTED = frozenset({*NOT_TEXT, "title", "head", "meta", "option", "button", "label"})
#: Shortest key of a short text (a few words) and longest text (longer ones are paragraphs).
MIN_SHORT_KEY = 12
_MAX_SHORT_TEXT = 300

#: Markers set around a short text with a space between ("» Headline «", "• Item"): no
#: part of it. (Guillemets hugging a text, »so«, are German quotation marks and stay.)
_MARKERS = re.compile(r"^[»›•·|>]\s+|\s+[«‹•·|<]$")
_MARKER_CHARS = frozenset("»›•·|>«‹<")

T = TypeVar("T")


class Found(NamedTuple, Generic[T]):
    """What a candidate finder found: the value, the source it came from, and a note on
    how (empty when the source says it all)."""

    value: T
    source: str
    note: str = ""


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

    @cached_property
    def short_texts(self) -> dict[str, str]:
        """Short texts printed as the whole text of one element of the body, by
        :func:`~.text.squash` key (first occurrence kept): where a headline printed in
        the page is looked up.

        Only elements with at most three children are read whole (reading every
        element's full text is quadratic on deep pages), and none holding a block (a
        heading and its subtitle are two texts, not one).
        """
        texts: dict[str, str] = {}
        body = self.tree.find(".//body")
        for element in (body if body is not None else self.tree).iter():
            tag = element.tag
            if not isinstance(tag, str) or tag in _NOT_PRINTED or len(element) > 3:
                continue
            if any(child.tag in BLOCK_TAGS for child in element):
                continue
            raw = element.text_content()
            if len(raw) < 8:  # folding only shortens it: too short either way
                continue
            text = fold(raw)
            if text[:1] in _MARKER_CHARS or text[-1:] in _MARKER_CHARS:
                text = _MARKERS.sub("", text)
            if not 8 <= len(text) <= _MAX_SHORT_TEXT:
                continue
            key = squash(text)
            if len(key) >= MIN_SHORT_KEY:
                texts.setdefault(key, text)
        return texts

    @cached_property
    def own_addresses(self) -> frozenset[tuple[str, str, str]]:
        """The page's own addresses (its URL and canonical URL) as :func:`page_key` keys;
        empty when the page's URL is unknown."""
        if not self.url:
            return frozenset()
        return frozenset(page_key(u) for u in (self.url, canonical(self)) if u)

    def with_itemprop(self, *names: str) -> list[HtmlElement]:
        """Elements whose ``itemprop`` is one of ``names``, in document order."""
        return [e for e in self.itemprops if e.get("itemprop") in names]

    def meta_first(self, names: Iterable[str]) -> list[tuple[str, str]]:
        found = []
        for name in names:
            for value in self.meta.get(name, ()):
                found.append((name, value))
        return found


def page_key(url: str) -> tuple[str, str, str]:
    """What names one page in a URL: host (without ``www.``), path without its trailing
    slash, query."""
    parts = split_url(url)
    if parts is None:
        return ("", "", "")
    return ((parts.hostname or "").removeprefix("www."), parts.path.rstrip("/"), parts.query)


def links_elsewhere(page: Page, element: HtmlElement) -> bool:
    """``element`` is, is inside or is wholly a link to another page than this one: a teaser
    or a sidebar's story, whatever its class says. A link to the page itself (a blog's
    permalink heading), to an anchor or to a script says nothing; nor does any link on a
    page whose URL is unknown."""
    if not page.url:  # the page's own addresses are known only with its URL
        return False
    link = element if element.tag == "a" else next(element.iterancestors("a"), None)
    if link is None:
        links = list(element.iter("a"))
        if len(links) != 1 or fold(links[0].text_content()) != fold(element.text_content()):
            return False
        link = links[0]
    href = (link.get("href") or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:")):
        return False
    target = join_url(page.url, href)
    if target is None:
        return False
    parts = split_url(target)
    if parts is None or parts.scheme not in ("http", "https"):
        return False
    host, path, query = page_key(target)
    # the same path with or without a query (tracking, a session) is the same page
    return not any(
        (host, path) == (own_host, own_path) and (query == own_query or not query or not own_query)
        for own_host, own_path, own_query in page.own_addresses
    )


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
            if not key:
                continue
            # RDFa: ``property`` holds a space-separated list of terms, each a key
            keys = key.split() if attr == "property" else [key.strip()]
            for one in keys:
                meta.setdefault(one.lower(), []).append(content.strip())
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
    # a "site name" that repeats the story's own title is a misfilled field, not a site
    titles = {squash(fold(v)) for v in page.meta.get("og:title", ())[:1]}
    if page.article is not None:
        titles.add(squash(fold(jsonld.text_value(page.article.get("headline")) or "")))
    return [n for n in dict.fromkeys(names) if n and squash(n) not in titles]


def host_labels(host: str) -> list[str]:
    parts = [p for p in host.lower().split(".") if p not in ("www", "m", "amp")]
    labels = []
    if len(parts) >= 2:
        labels.append(parts[-2] if len(parts[-1]) <= 3 and len(parts) >= 2 else parts[-1])
        labels.append("".join(parts[:-1]))
        labels.append(".".join(parts))
    return labels


def _shown_text(
    body: HtmlElement, parts: list[str], skip: Callable[[HtmlElement], bool] | None
) -> None:
    """Append the text nodes inside ``body`` that are shown (and not in an element
    ``skip`` refuses), in document order."""
    hidden = 0  # open elements whose text is not shown
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            if (
                hidden
                or element.tag in _NO_TEXT_INSIDE
                or (skip is not None and isinstance(element.tag, str) and skip(element))
            ):
                hidden += 1
            elif isinstance(element.tag, str) and element.text:
                parts.append(element.text)
            continue
        if hidden:
            hidden -= 1
        # a tail belongs to the parent: shown unless the parent's text is hidden
        if not hidden and element is not body and element.tail:
            parts.append(element.tail)


#: Elements whose text is no part of the page's visible text.
_NO_TEXT_INSIDE = frozenset({"script", "style", "noscript"})


def shown_text(element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """The visible text inside ``element`` (as :func:`page_text` reads a page), whitespace
    folded."""
    parts: list[str] = []
    _shown_text(element, parts, skip)
    return " ".join(" ".join(parts).split())


def page_text(page: Page, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """The page's visible text (the body's text outside scripts, styles and ``noscript``,
    and outside the elements ``skip`` refuses), whitespace folded.

    One walk of the tree: the XPath this replaces (``//body//text()[not(... or
    ancestor::noscript)]``) took time quadratic in the number of text nodes.
    """
    parts: list[str] = []
    # damaged pages have several bodies, even several top-level elements
    tops = [*reversed(list(page.tree.itersiblings(preceding=True))), page.tree]
    for top in [*tops, *page.tree.itersiblings()]:
        for body in top.iter("body"):
            if not any(a.tag == "body" for a in body.iterancestors()):
                _shown_text(body, parts, skip)
    return " ".join(" ".join(parts).split())


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
        absolute = join_url(page.url or "", href.strip())
        parts = split_url(absolute) if absolute else None
        if absolute and parts is not None and parts.scheme in ("http", "https") and parts.hostname:
            return absolute
    return page.url
