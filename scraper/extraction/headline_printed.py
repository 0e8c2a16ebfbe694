"""Headline candidates confirmed by the page itself, for pages without structured data.

Two general signals, each a small finder returning a :class:`~.page.Found` or None:

- :func:`printed_title_segment`: the part of ``<title>`` that is printed in the page as the
  whole text of one element. Titles wrap the headline in site names, sections and
  slogans ("Site > News > Headline", "Headline - Site News"); the headline is the part
  the page prints on its own (the longest such part: a site name may be printed too, in
  a logo or a footer).
- :func:`slug_heading`: a heading whose words are the words of the URL's slug
  (``/new-harbour-opens-today-123.html``): sites make the slug from the headline.
- :func:`shared_title`: the title the page's share links hand to other sites
  (``...submit?url=<page>&title=Headline``), when links to two sites agree.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from scraper.extraction.headline_title import part_runs
from scraper.extraction.page import MIN_SHORT_KEY, Found, Page
from scraper.extraction.phrases import TITLE_SEPARATORS
from scraper.extraction.text import fold, squash
from scraper.urls import split_url

#: Separators of the parts of a ``<title>``: the headline/site separators, breadcrumb
#: arrows and the old double dash.
_PART_SEPARATORS = re.compile(
    "|".join(re.escape(s) for s in (*TITLE_SEPARATORS, " > ", " -- ", " : ", "::", "- ", " -"))
)
#: Shortest headline that counts as agreeing (a few words).
_MIN_KEY = MIN_SHORT_KEY
#: Fewest words of a printed title part (one or two words are a section or a site).
_MIN_WORDS = 3


def title_parts(title: str) -> list[str]:
    """Every run of consecutive parts of ``title`` split at its separators (among its first
    :data:`.headline_title.MAX_TITLE_PARTS`), the whole title first; parts are trimmed of separator
    leftovers."""
    pieces = [p.strip(" -–—|>:·•»/") for p in _PART_SEPARATORS.split(title)]
    return [title, *part_runs([p for p in pieces if p], " ")]


def printed_title_segment(page: Page, title: str) -> Found[str] | None:
    """The longest part of ``title`` (the whole title among them) printed in the page as
    one element's whole text."""
    if not title:
        return None
    parts = title_parts(title)
    texts = page.short_texts
    found = []
    for part in parts:
        key = squash(part)
        if len(key) < _MIN_KEY or key not in texts:
            continue
        # the page's spelling, unless inline elements glued its words ("WocheDie")
        printed = texts[key]
        text = printed if len(printed.split()) >= len(part.split()) else part
        if len(text.split()) >= _MIN_WORDS:
            found.append(text)
    if not found:
        return None
    best = max(found, key=len)
    return Found(best, "title-printed", repr(title))


_SLUG_SPLIT = re.compile(r"[-_+\s.,]+")
_ID_LIKE = re.compile(r"^(?:\d+|[a-z]?\d[\w]*|html?|php|aspx?|s?html?|stm|cms|jsp)$", re.IGNORECASE)


def url_slug(url: str | None) -> str:
    """The squashed words of the URL's longest path segment, without ids and extensions
    ("" when no segment has three words or more)."""
    if not url:
        return ""
    best = ""
    for segment in urlsplit(url).path.split("/"):
        words = [w for w in _SLUG_SPLIT.split(unquote(segment)) if w]
        while words and _ID_LIKE.match(words[-1]):
            words.pop()
        while words and _ID_LIKE.match(words[0]):
            words.pop(0)
        if len(words) >= 3:
            key = squash("".join(words))
            if len(key) > len(best):
                best = key
    return best


def agrees_with_slug(text: str, slug: str) -> bool:
    """The slug spells ``text`` (or its start: slugs are often cut short)."""
    key = squash(text)
    if len(key) < _MIN_KEY or len(slug) < _MIN_KEY:
        return False
    return key.startswith(slug) or (slug.startswith(key) and len(key) >= 0.6 * len(slug))


def slug_heading(page: Page, candidates: list[str]) -> Found[str] | None:
    """The first of ``candidates``, or else of the page's short element texts, that the
    URL's slug spells: exactly if any does, else as a start (slugs are cut short)."""
    slug = url_slug(page.url)
    if not slug:
        return None
    texts = [*candidates, *page.short_texts.values()]
    for text in texts:
        if squash(text) == slug:
            return Found(text, "slug", slug)
    for text in texts:
        if agrees_with_slug(text, slug):
            return Found(text, "slug", slug)
    return None


#: A printed start of ``<title>`` covers at least this share of it (the rest is the
#: site's name, a section, a "(from Site)" note).
_MIN_PREFIX_SHARE = 0.5


def printed_title_prefix(page: Page, title: str) -> Found[str] | None:
    """The longest text printed in the page as one element's whole text that opens
    ``title``, letter for letter ignoring case, spaces and punctuation ("Ferry Returns To
    Pier (from Harbour Post)" printed as "Ferry returns to pier"): the page's own spelling
    of the headline its title wraps in other words."""
    key = squash(title)
    texts = page.short_texts
    for end in range(len(key) - 1, max(_MIN_KEY, int(len(key) * _MIN_PREFIX_SHARE)) - 1, -1):
        printed = texts.get(key[:end])
        if printed is not None and len(printed.split()) >= _MIN_WORDS:
            return Found(printed, "title-printed", f"prefix of {title!r}")
    return None


#: Links read for share titles, at most (share buttons sit near the top or the article).
_MAX_SHARE_LINKS = 400


def shared_title(page: Page) -> Found[str] | None:
    """The ``title`` that share links to two or more other sites carry, when they agree:
    the site's own statement of the headline, for pages that declare it nowhere else."""
    hosts: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    for index, link in enumerate(page.tree.iter("a")):
        if index >= _MAX_SHARE_LINKS:
            break
        href = link.get("href") or ""
        if "title=" not in href:
            continue
        parts = split_url(href)
        if parts is None:
            continue
        host = (parts.hostname or "").removeprefix("www.")
        if not host or host == page.host.removeprefix("www."):
            continue
        for value in parse_qs(parts.query).get("title", [])[:1]:
            text = fold(value)
            key = squash(text)
            if len(key) >= _MIN_KEY and len(text.split()) >= _MIN_WORDS:
                hosts.setdefault(key, set()).add(host)
                spelling.setdefault(key, text)
    agreed = [key for key, found in hosts.items() if len(found) >= 2]
    if len(agreed) != 1:
        return None  # none, or several titles: links to other stories, not this page's
    return Found(spelling[agreed[0]], "share-links")
