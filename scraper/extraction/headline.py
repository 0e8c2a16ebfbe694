"""The headline: the text most of the page's sources agree on.

Sources: JSON-LD ``headline``, ``og:title``/``twitter:title``, microdata, the ``<h1>`` and
headline-classed elements, ``<title>``; site names are stripped from title-like sources;
ties go to the earlier source in :data:`scraper.extraction.metadata.PRECEDENCE`. When no
heading agrees with any of them, a plain first ``<h1>`` beats SEO titles (unless JSON-LD
and OpenGraph agree with each other). Headings that only link home name the site.
A fallback (``<title>``, an unconfirmed heading, nothing) gives way to the heading printed
above the story's first paragraph (:mod:`.headline_lead`) when that shares more words
with the story's opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from scraper.extraction import headline_lead, jsonld
from scraper.extraction.headline_dom import dom_headlines, heading_text
from scraper.extraction.headline_printed import (
    printed_title_prefix,
    printed_title_segment,
    shared_title,
    slug_heading,
)
from scraper.extraction.headline_title import (
    is_site_label,
    longest_segment,
    page_title,
    strip_site_name,
    title_segments,
)
from scraper.extraction.page import Found, Page
from scraper.extraction.text import fold, squash

_PREFIX_BREAK = re.compile(r"^(?:\s+[|\-–—»«:/·•]\s|,\s|[^\W\d_])")


def _is_title_prefix(text: str, title: str) -> bool:
    """``text`` opens ``title`` and what follows is a separator (or glued-on words)."""
    if len(text) < 8 or not title.startswith(text) or len(title) == len(text):
        return False
    return bool(_PREFIX_BREAK.match(title[len(text) :]))


#: What ends a kicker or a site's name printed before the headline ("Hafen: ", "Site... ").
_KICKER_SEPARATORS = (": ", " - ", " – ", " — ", "... ", "… ")


def _kicker_related(text: str, reference: str) -> bool:
    """One is the other with a kicker in front ("Hafen: Die Fähre fährt wieder")."""
    short, long_ = sorted((text, reference), key=len)
    if len(short) < 12 or len(long_) == len(short) or not long_.endswith(short):
        return False
    return long_[: len(long_) - len(short)].endswith(_KICKER_SEPARATORS)


def _spaced(text: str, references: list[str]) -> str:
    """The heading's text, or a source that spells it letter for letter with more word
    breaks: inline elements glue words in the page's text ("Nationale DemoDer Tag")."""
    key = squash(text)
    for reference in references:
        if (
            squash(reference) == key
            and len(reference.split()) > len(text.split())
            and reference[:1] == text[:1]
            and reference[-1:] == text[-1:]  # no separator or rating left over at its end
        ):
            return reference
    return text


@dataclass(frozen=True)
class _Sources:
    """What the headline finders compare: structured and meta titles, ``<title>`` (each
    also with site names stripped), and the page's headings."""

    structured: list[str]
    metas: list[str]
    title: str
    stripped_structured: list[str]
    stripped_metas: list[str]
    stripped_title: str
    doms: list[str]
    h1s: set[str]
    plain_h1s: set[str]

    @property
    def plain(self) -> list[str]:
        texts = [*self.stripped_structured, *self.stripped_metas, self.stripped_title]
        return [t for t in [*texts, *self.structured, *self.metas] if t]

    @property
    def first_h1(self) -> str | None:
        return next((t for t in self.doms if t in self.h1s), None)


#: Meta tags that name the page's title: OpenGraph, Twitter, microdata, Dublin Core (both
#: spellings), Parse.ly.
_META_TITLES = (
    "og:title",
    "twitter:title",
    "headline",
    "dc.title",
    "dc:title",
    "dcterms.title",
    "dcterms:title",
    "parsely-title",
)


def _sources(page: Page, sites: list[str]) -> _Sources:
    structured: list[str] = []
    if page.article is not None:
        for key in ("headline", "name", "alternativeHeadline"):
            value = jsonld.text_value(page.article.get(key))
            if value:
                structured.append(fold(value))
                break
    metas: list[str] = []
    for key in _META_TITLES:
        metas.extend(fold(v) for v in page.meta.get(key, ())[:1])
    title = page_title(page)
    doms, h1s = dom_headlines(page, sites)
    plain_h1s = {
        fold(heading_text(h))
        for h in islice(page.tree.iter("h1"), 5)
        if not any(
            isinstance(e.tag, str)
            and e.tag not in ("a", "em", "i", "b", "strong", "br")
            and fold(e.text_content())
            for e in h.iterdescendants()
        )
    }
    return _Sources(
        structured=structured,
        metas=metas,
        title=title,
        stripped_structured=[strip_site_name(m, sites, page.host) for m in structured if m],
        stripped_metas=[strip_site_name(m, sites, page.host) for m in metas if m],
        stripped_title=strip_site_name(title, sites, page.host) if title else "",
        doms=doms,
        h1s=h1s,
        plain_h1s=plain_h1s,
    )


def _agreeing_heading(src: _Sources) -> Found[str] | None:
    """A heading in the page that agrees with structured or meta data: exactly, spelled
    the same, as a prefix of og:title/``<title>`` (or with a kicker), as a title segment."""
    plain = src.plain
    exact = {t.casefold() for t in plain}
    references = {squash(t) for t in plain}
    segments = {squash(t) for t in title_segments(src.title)} if src.title else set()
    prefixes = [t for t in [*src.metas, src.title] if t]
    best: tuple[int, int, str] | None = None
    for order, text in enumerate(src.doms):
        key = squash(text)
        if not key:
            continue
        if text.casefold() in exact:
            score = 4
        elif key in references:
            score = 3
        elif any(_is_title_prefix(text, p) for p in prefixes) or (
            text in src.h1s and any(_kicker_related(text, p) for p in plain)
        ):
            score = 2
        elif key in segments and len(key) >= 0.3 * len(squash(src.title)):
            score = 1
        else:
            continue
        if best is None or (-score, order) < (-best[0], best[1]):
            best = (score, order, text)
    if best is None:
        return None
    return Found(
        _spaced(best[2], plain) if best[0] == 3 else best[2], "dom", f"agreement {best[0]}"
    )


def _confirmed_by_page(page: Page, src: _Sources, sites: list[str]) -> Found[str] | None:
    """A heading the URL's slug spells; the part of ``<title>`` the page prints on its own
    (the whole title printed, perhaps as the site's logo, only over a shorter first h1)."""
    confirmed = slug_heading(page, src.doms) or printed_title_segment(page, src.title)
    if confirmed is None or is_site_label(confirmed.value, sites, page.host):
        return None
    first_h1 = src.first_h1
    if (
        confirmed.value == src.title
        and first_h1 is not None
        and len(first_h1.split()) >= len(src.title.split())
    ):
        return None
    return confirmed


def _own_heading(src: _Sources) -> Found[str] | None:
    """The page's own plain first h1 over SEO titles, unless JSON-LD and OpenGraph agree."""
    seo_agree = bool(
        {t.casefold() for t in src.stripped_structured} & {t.casefold() for t in src.stripped_metas}
    )
    first_h1 = src.first_h1
    if (
        first_h1 is not None
        and not seo_agree
        and first_h1 in src.plain_h1s
        and len(first_h1.split()) >= 3
        and " | " not in first_h1
    ):
        return Found(first_h1, "h1")
    return None


def _declared(src: _Sources) -> Found[str] | None:
    """JSON-LD ``headline`` (not a cut-short copy of og:title), then og/twitter titles."""
    for text in src.stripped_structured:
        if text and not (
            text.endswith(("...", "…"))
            and any(squash(m).startswith(squash(text)) for m in src.metas)
        ):
            return Found(text, "jsonld")
    metas = [t for t in src.stripped_metas if t]
    for text in metas:
        undecorated = next((m for m in metas if _decorates(text, m)), None)
        if undecorated is not None:
            return Found(undecorated, "meta", "undecorated")
        return Found(longest_segment(text), "meta")
    return None


#: What opens the decoration a title adds after a headline: a separator, as the first
#: character after the headline ("Headline-Section | Site", "Headline ㅣ Site").
_DECORATION_START = re.compile(r"^\s*[-–—|:·•»/ㅣ]")


def _decorates(title: str, headline: str) -> bool:
    """``title`` is ``headline`` with a site or section decoration after a separator: a
    site that declares both says which part is the headline."""
    return (
        len(headline) < len(title)
        and title.startswith(headline)
        and not headline.endswith(("...", "…"))
        and bool(_DECORATION_START.match(title[len(headline) :]))
    )


def _title_or_heading(page: Page, src: _Sources) -> Found[str] | None:
    """The printed start of ``<title>``, ``<title>`` (unless it only names the site), a
    heading of three words or more, the title after all, the first heading."""
    title = src.stripped_title
    printed = printed_title_prefix(page, src.title) if src.title else None
    if printed is not None:
        return printed
    if title and not _names_only_the_site(title, page.host, src.doms):
        return Found(longest_segment(title, dashes=True), "title")
    heading = next((t for t in src.doms if len(t.split()) >= _MIN_HEADING_WORDS), None)
    if heading is not None:
        return Found(heading, "heading")
    if title:
        return Found(longest_segment(title, dashes=True), "title")
    if src.doms:
        return Found(src.doms[0], "heading")
    return None


def headline(page: Page, sites: list[str]) -> tuple[str | None, str | None]:
    """The headline and the source it came from: the first finder that has one.

    A heading in the page that agrees with structured or meta data; a heading confirmed by
    the page itself (URL slug, printed title part); the page's own plain h1; JSON-LD, then
    og/twitter titles (site names stripped); the title the share links carry;
    ``<title>`` or a heading. A fallback, or a
    short heading on a page that declares no title, is then weighed against the heading
    above the story's first paragraph.
    """
    src = _sources(page, sites)
    found = (
        _agreeing_heading(src)
        or _confirmed_by_page(page, src, sites)
        or _own_heading(src)
        or _declared(src)
        or shared_title(page)
        or _title_or_heading(page, src)
    )
    if found is None or _weak(found):
        found = _lead_over(page, found, sites) or found
    elif _short_and_undeclared(found, src):
        found = _lead_over(page, found, sites, margin=_SHORT_MARGIN) or found
    return (found.value, found.source) if found is not None else (None, None)


def _weak(found: Found[str]) -> bool:
    """Found by a fallback: ``<title>`` or a heading that nothing else confirms, or a
    heading that only agrees with a part of ``<title>``."""
    if found.source in ("title", "h1", "heading"):
        return True
    return (found.source, found.note) == ("dom", "agreement 1")


#: A headline of at most this many words on a page that declares no title (no JSON-LD,
#: no meta title) is weak evidence: it may be the section's name printed as a heading ...
_SHORT_WORDS = 3
#: ... and gives way to the heading above the story when that shares this many more
#: words with the story's opening.
_SHORT_MARGIN = 2


def _short_and_undeclared(found: Found[str], src: _Sources) -> bool:
    """``found`` is a short text on a page that declares no title of its own."""
    return not src.structured and not src.metas and len(found.value.split()) <= _SHORT_WORDS


def _lead_over(
    page: Page, found: Found[str] | None, sites: list[str], margin: int = 1
) -> Found[str] | None:
    """The heading above the story's first paragraph instead of a weak ``found``: when
    nothing was found, when ``found`` is no plausible headline or names the site, when the
    heading shares ``margin`` more words with the story's opening than ``found`` does, or
    as many (some) where ``found`` is a first h1 that nothing confirms and that is not
    printed above the heading (a headline above its subtitle)."""
    lead = headline_lead.lead(page)
    if lead is None or lead.heading is None or is_site_label(lead.heading, sites, page.host):
        return None
    if found is None:
        return Found(lead.heading, "lead")
    if found.value == lead.heading:
        return None
    if (
        not headline_lead.plausible_heading(found.value)
        or is_site_label(found.value, sites, page.host)
        or lead.shared(lead.heading) >= lead.shared(found.value) + margin
        or (
            found.source in ("h1", "heading")
            and lead.shared(lead.heading) == lead.shared(found.value) > 0
            and squash(found.value) not in lead.above  # not a headline above its subtitle
        )
    ):
        return Found(lead.heading, "lead", f"over {found.source} {found.note}")
    return None


#: Fewer words than this, a title or heading is a name (a site, a section), not a headline.
_MIN_HEADING_WORDS = 3


def _names_only_the_site(title: str, host: str, doms: list[str]) -> bool:
    """A ``<title>`` that is the host's name or a word or two ("Article", "News"), on a
    page that has a heading of three words or more to offer instead. (Declared site names
    are not trusted here: some pages declare the headline as their application name.)"""
    if not any(len(t.split()) >= _MIN_HEADING_WORDS for t in doms):
        return False
    return len(title.split()) < _MIN_HEADING_WORDS or is_site_label(title, [], host)
