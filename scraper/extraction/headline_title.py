"""Title strings: a ``<title>`` or meta title split at its separators, the site's name
and a trailing section path taken off, its longest segment when nothing better is known."""

from __future__ import annotations

import re

from scraper.extraction.page import Page, host_labels
from scraper.extraction.phrases import TITLE_SEPARATORS
from scraper.extraction.text import fold, squash

#: Markup in a text: a tag, a comment's start or end.
_MARKUP = re.compile(r"<[a-zA-Z/!][^<>]*>|<!--|-->|<script\b", re.IGNORECASE)
#: Longer than this, a text is a paragraph or a swallowed page, not a headline.
MAX_HEADLINE = 300


def is_site_label(segment: str, sites: list[str], host: str) -> bool:
    key = squash(segment)
    if not key:
        return True
    for site in sites:
        s = squash(site)
        if s and (key == s or (len(s) >= 4 and (s in key or key in s) and len(key) <= len(s) + 12)):
            return True
    for label in host_labels(host):
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
        while len(segments) > 1 and is_site_label(segments[-1], sites, host):
            segments.pop()
            changed = True
        while len(segments) > 1 and is_site_label(segments[0], sites, host):
            segments.pop(0)
            changed = True
        sections = _trailing_sections(segments)
        if sections:
            segments = segments[:-sections]
            changed = True
        if changed:
            return sep.join(segments).strip()
    return title


def _trailing_sections(segments: list[str]) -> int:
    """How many one-word segments end a title after its headline, when two or more do
    ("Headline: Sport: Rugby"): a section path, not words of the headline."""
    count = 0
    for segment in reversed(segments[1:]):
        words = segment.split()
        if len(words) != 1 or not words[0][:1].isupper():
            break
        count += 1
    return count if count >= 2 else 0


#: Runs of a title's parts are formed among its first this many parts: a title has a few
#: (headline, section, site), and the runs of n parts number n², each up to n long.
MAX_TITLE_PARTS = 12


def part_runs(parts: list[str], joiner: str) -> list[str]:
    """Every run of consecutive ``parts`` among the first :data:`MAX_TITLE_PARTS` but the run
    of all of them, each joined with ``joiner``."""
    parts = parts[:MAX_TITLE_PARTS]
    return [
        joiner.join(parts[i:j])
        for i in range(len(parts))
        for j in range(i + 1, len(parts) + 1)
        if (i, j) != (0, len(parts))
    ]


def title_segments(title: str) -> list[str]:
    """Every run of consecutive segments of a title split at one separator kind (among its
    first :data:`MAX_TITLE_PARTS`)."""
    out = []
    for sep in TITLE_SEPARATORS:
        if sep in title:
            segments = [s.strip() for s in title.split(sep, MAX_TITLE_PARTS)]
            out.extend(part_runs(segments, sep))
    return out


def longest_segment(title: str, *, dashes: bool = False) -> str:
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
        if len(segments) == 2 and _trailing_name(*segments):
            return segments[0]
    return title


#: A dash-separated last part of a ``<title>`` with at most this many words ...
_MAX_NAME_WORDS = 3
#: ... after a first part with at least this many words is the site's name.
_MIN_HEADLINE_WORDS = 4


def _trailing_name(first: str, last: str) -> bool:
    """``first - last`` is "Headline - Site": the convention puts the site's name last, and
    the name is short against a headline of several words."""
    words, name_words = len(first.split()), len(last.split())
    return (
        name_words <= _MAX_NAME_WORDS and words >= _MIN_HEADLINE_WORDS and words >= 2 * name_words
    )


def page_title(page: Page) -> str:
    """The ``<title>`` text. On a damaged page whose ``<title>`` is never closed, the parser
    reads the rest of the page into it: then only its first line, up to any markup, is the
    title (nothing, if that is not a plausible headline)."""
    element = page.tree.find(".//title")
    if element is None:
        return ""
    text = element.text_content()
    if _MARKUP.search(text) or len(fold(text)) > MAX_HEADLINE:
        text = _MARKUP.split(text.strip().split("\n", 1)[0], 1)[0]
    text = fold(text)
    return text if len(text) <= MAX_HEADLINE else ""
