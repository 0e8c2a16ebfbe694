"""Texts the page's structure marks as no part of the story, found in the DOM before the
body is read: image alt texts and captions, lists of teaser cards linking to other stories,
standfirsts marked by their class. :mod:`.cleaning` drops the body's blocks that repeat them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from scraper.extraction.dom import HEADINGS
from scraper.extraction.text import norm
from scraper.urls import split_url

_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)$", re.IGNORECASE)


def captions_of(tree: HtmlElement) -> frozenset[str]:
    """Normalised image alt texts and figure captions (≥ 3 words) found in the page."""
    found: set[str] = set()
    for img in tree.iter("img"):
        alt = (img.get("alt") or img.get("title") or "").strip()
        alt = _IMAGE_EXT.sub("", alt)
        text = norm(alt)
        if len(text.split()) >= 3:
            found.add(text)
    for caption in tree.iter("figcaption"):
        text = norm(caption.text_content())
        if len(text.split()) >= 3:
            found.add(text)
    return frozenset(found)


#: A teaser card (a linked heading and a line or two about another story) holds at most this
#: many words ...
TEASER_WORDS = 80
#: ... and a container is a list of them when it holds at least this many cards ...
TEASER_CARDS = 3
#: ... making up at least this share of its child elements.
TEASER_SHARE = 0.6
#: A card's linked heading is a story's title, of at least this many words (a heading of one
#: to three words that is a link is a name: the poster of a comment or a forum post).
TEASER_HEADLINE_WORDS = 4
#: At least this share of the heading is link text (a kicker or label may stand beside the link).
TEASER_LINKED = 0.6
#: Teasers go only when the rest of the body holds at least this many characters of sentences
#: (on an index page the teasers are all there is).
TEASER_REST_CHARS = 250
#: How far above its linked heading a card may begin.
TEASER_DEPTH = 6
_SUB_HEADINGS = tuple(sorted(HEADINGS - {"h1"}))


def _site(url: str | None) -> str:
    """A URL's site: the last two labels of its host name (sister subdomains are one site)."""
    parts = split_url(url) if url else None
    host = (parts.hostname or "") if parts is not None else ""
    return ".".join(host.split(".")[-2:])


def teasers_of(tree: HtmlElement, urls: Iterable[str | None] = ()) -> frozenset[str]:
    """Normalised texts inside lists of teaser cards: links to other stories.

    A teaser card is a short element (at most :data:`TEASER_WORDS` words) whose heading is
    a link, with a line or two about the story it links to (a summary, a kicker, a source);
    a container whose child elements are mostly such cards, at least :data:`TEASER_CARDS`
    of them, is a list of other stories ("More news", "Most read", a stream of teasers).
    The linked headings go with the link rules; their summaries read as prose, so they
    are found here, in the structure. An article's own sections are longer than a card, or
    their headings are not links (or link within the page, or to another site than the
    page's ``urls``: a roundup's shops and sources); a one- to three-word linked heading is
    a name (a comment's or a forum post's author), not a story's title.
    """
    sites = {site for site in map(_site, urls) if site}
    words: dict[HtmlElement, int] = {}

    def count(element: HtmlElement) -> int:
        if element not in words:
            words[element] = len(element.text_content().split())
        return words[element]

    cards: dict[HtmlElement, set[HtmlElement]] = {}
    for heading in tree.iter(*_SUB_HEADINGS):
        text = norm(heading.text_content())
        if len(text.split()) < TEASER_HEADLINE_WORDS:
            continue
        links = list(heading.iter("a"))
        above = heading.getparent()
        if above is not None and above.tag == "a":
            links.append(above)  # a heading wrapped in its link
        else:
            linked = norm(" ".join(a.text_content() for a in links))
            if len(linked) < TEASER_LINKED * len(text):
                continue
        # a title linking within the page (a post's permalink, a table of contents) is no teaser
        if all((a.get("href") or "#").startswith("#") for a in links):
            continue
        # nor one linking to another site: a roundup's items (products, sources) are the article
        if sites and any(_site(a.get("href")) not in sites for a in links if _site(a.get("href"))):
            continue
        element = heading
        for _ in range(TEASER_DEPTH):
            parent = element.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            if count(element) > TEASER_WORDS:
                break
            cards.setdefault(parent, set()).add(element)
            element = parent
    found: set[str] = set()
    for parent, members in cards.items():
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(members) < TEASER_CARDS or len(members) < TEASER_SHARE * len(children):
            continue
        for card in members:
            for element in card.iter():
                if isinstance(element.tag, str):
                    text = norm(element.text_content())
                    if len(text.split()) >= 3:
                        found.add(text)
    return frozenset(found)


_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:summary|standfirst|dek|deck|sub-?title|sub-?headline|sub-?head|teaser|"
    r"excerpt|description|strapline|intro|lead|lede|abstract|tagline)(?:$|[\s_-])",
    re.IGNORECASE,
)


def standfirsts_of(tree: HtmlElement) -> frozenset[str]:
    """Normalised texts of elements whose class marks them as a standfirst.

    An element that stands among the story's own paragraphs (siblings that are prose) is
    the story's first paragraph, styled as a lead: it is body text, not a standfirst.
    """
    found: set[str] = set()
    for element in tree.xpath("//body//*[@class]")[:5000]:
        if element.tag in (
            "div",
            "p",
            "h2",
            "h3",
            "h4",
            "span",
            "section",
            "header",
        ) and _STANDFIRST_CLASS.search(element.get("class", "")):
            text = norm(element.text_content())
            if 3 <= len(text.split()) <= 80 and not _among_paragraphs(element):
                found.add(text)
    return frozenset(found)


def _among_paragraphs(element: HtmlElement) -> bool:
    """Whether ``element`` has at least two sibling paragraphs of prose."""
    parent = element.getparent()
    if parent is None:
        return False
    prose = 0
    for sibling in parent.iterchildren("p"):
        if sibling is not element and len(sibling.text_content().split()) >= 15:
            prose += 1
            if prose >= 2:
                return True
    return False
