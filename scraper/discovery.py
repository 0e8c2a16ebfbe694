"""Finding article URLs: RSS/Atom feeds, sitemaps (index, urlset, .gz, Google News, text)
and section pages' links.

:func:`discover` looks at what a seed actually returned rather than trusting what it was
called: a "feed" that serves HTML is read for its links, a "page" that serves a sitemap is
read as one. It is a pure function of bytes, so the crawler can run it in its process
pool. Dates from feeds (``pubDate``, ``updated``) and sitemaps (``lastmod``,
``news:publication_date``) come back as hints on each link.

XML is parsed with entity resolution and network access off (no XXE, no billion laughs),
and a gzip'd sitemap is inflated only up to a cap.
"""

from __future__ import annotations

import contextlib
import logging
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.urls import join_url
from storage.states import UrlKind

logger = logging.getLogger(__name__)

#: the sitemap protocol's own limit on an uncompressed sitemap
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

ARTICLE = UrlKind.ARTICLE
SITEMAP = UrlKind.SITEMAP
PAGE = UrlKind.PAGE


@dataclass(frozen=True)
class Link:
    """A URL found by discovery (absolute, not yet canonical) and what it points to."""

    url: str
    kind: str = ARTICLE
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Discovery:
    """What one seed yielded; ``format`` is feed, sitemap, sitemapindex, text, html or unknown."""

    format: str
    links: tuple[Link, ...]


def parse_date(text: str | None) -> datetime | None:
    """An RFC 822 (RSS) or ISO 8601 / W3C (Atom, sitemaps) date, as aware UTC; else None."""
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def gunzip(data: bytes, cap: int = MAX_SITEMAP_BYTES) -> bytes:
    """Inflate gzip data, refusing to produce more than ``cap`` bytes (a bomb stops there)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, cap + 1)
    if len(out) > cap:
        raise ValueError(f"gzip data inflates past {cap} bytes")
    return out


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, remove_comments=True, huge_tree=False
    )


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _own_text(element: etree._Element) -> str | None:
    """The element's stripped text; None when empty or undecodable (lxml's recovering parser
    keeps character references such as ``&#xD800;`` that it cannot decode later)."""
    try:
        text = element.text
    except UnicodeDecodeError:
        return None
    return text.strip() if text and text.strip() else None


def _text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            text = _own_text(child)
            if text:
                return text
    return None


def _feed_links(root: etree._Element, base: str) -> list[Link]:
    links: list[Link] = []
    root_name = _local(root.tag)
    if root_name == "feed":  # Atom
        feed_base = root.get("{http://www.w3.org/XML/1998/namespace}base") or base
        for entry in _children(root, "entry"):
            href = None
            for link in _children(entry, "link"):
                rel = (link.get("rel") or "alternate").lower()
                kind = (link.get("type") or "text/html").lower()
                if rel == "alternate" and "html" in kind and link.get("href"):
                    href = link.get("href")
                    break
            if href is None:
                for link in _children(entry, "link"):
                    if link.get("href") and (link.get("rel") or "alternate") == "alternate":
                        href = link.get("href")
                        break
            joined = join_url(feed_base, href.strip()) if href else None
            if joined:
                when = parse_date(_text(entry, "updated", "published"))
                links.append(Link(joined, ARTICLE, when))
        return links
    # RSS 2.0 (<rss><channel><item>) and RSS 1.0 (<rdf:RDF><item>)
    items = [el for el in root.iter() if _local(el.tag) == "item"]
    for item in items:
        href = _text(item, "link")
        if not href:
            for guid in _children(item, "guid"):
                text = _own_text(guid)
                if text and (guid.get("isPermaLink") or "true").lower() != "false":
                    href = text
        if not href:
            for link in _children(item, "link"):  # atom:link inside RSS
                if link.get("href"):
                    href = link.get("href")
                    break
        if not href:
            about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            href = about
        joined = join_url(base, href.strip()) if href else None
        if joined:
            when = parse_date(_text(item, "pubdate", "date", "updated", "published"))
            links.append(Link(joined, ARTICLE, when))
    return links


def _sitemap_links(root: etree._Element, base: str) -> tuple[str, list[Link]]:
    name = _local(root.tag)
    links: list[Link] = []
    if name == "sitemapindex":
        for entry in _children(root, "sitemap"):
            loc = _text(entry, "loc")
            joined = join_url(base, loc) if loc else None
            if joined:
                links.append(Link(joined, SITEMAP, parse_date(_text(entry, "lastmod"))))
        return "sitemapindex", links
    for entry in _children(root, "url"):
        loc = _text(entry, "loc")
        joined = join_url(base, loc) if loc else None
        if not joined:
            continue
        when = parse_date(_text(entry, "lastmod"))
        for news in _children(entry, "news"):  # Google News sitemaps
            published = parse_date(_text(news, "publication_date"))
            if published is not None and (when is None or published > when):
                when = published
        links.append(Link(joined, ARTICLE, when))
    return "sitemap", links


def page_links(html: bytes | str, base: str) -> list[str]:
    """Absolute URLs of the ``<a href>`` links of an HTML page, in order, without repeats."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = join_url(base, (base_node.attributes.get("href") or "").strip()) or base
    seen: dict[str, None] = {}
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        joined = join_url(base, href)
        if joined:
            seen.setdefault(joined, None)
    return list(seen)


def canonical_link(html: bytes | str, base: str) -> str | None:
    """The page's ``<link rel=canonical href>``, absolute, if it has one."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    for node in tree.css("link[rel][href]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rels:
            return join_url(base, (node.attributes.get("href") or "").strip())
    return None


#: A document type declaration with its internal subset (where entities are declared).
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)


def _parse_xml(body: bytes) -> etree._Element | None:
    """Parse a feed or sitemap. One that libxml2 gave up on because of its DTD (an entity
    bomb trips the amplification limit, and everything after the bomb would be lost) is
    parsed again without the DTD: its undeclared entities are dropped, its items kept."""
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        root = None
    fatal = any(error.level == etree.ErrorLevels.FATAL for error in parser.error_log)
    if fatal and b"<!DOCTYPE" in body[:4096].upper():
        logger.info("reading an XML document again without its DTD: %s", parser.error_log[-1])
        with contextlib.suppress(etree.XMLSyntaxError):
            root = etree.fromstring(_DOCTYPE.sub(b"", body, count=1), _parser())
    return root


_XML_START = re.compile(rb"^<(\?xml|rss\b|feed\b|urlset\b|sitemapindex\b|rdf:rdf\b)", re.IGNORECASE)


def discover(body: bytes, url: str, kind: str = PAGE) -> Discovery:
    """The links a seed's response offers, whatever it turns out to be."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body)
        except (ValueError, zlib.error) as exc:
            logger.warning("cannot inflate %s: %s", url, exc)
            return Discovery("unknown", ())
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    if _XML_START.match(head):
        root = _parse_xml(body)
        if root is not None:
            name = _local(root.tag)
            if name in ("urlset", "sitemapindex"):
                fmt, links = _sitemap_links(root, url)
                return Discovery(fmt, tuple(links))
            if name in ("rss", "feed", "rdf", "channel"):
                return Discovery("feed", tuple(_feed_links(root, url)))
    if head.startswith((b"http://", b"https://")):
        lines = body.decode("utf-8", "replace").splitlines()
        found = [line.strip() for line in lines if line.strip().startswith(("http://", "https://"))]
        return Discovery("text", tuple(Link(u) for u in found))
    if head.startswith(b"<") or kind == PAGE:
        return Discovery("html", tuple(Link(u, PAGE) for u in page_links(body, url)))
    return Discovery("unknown", ())
