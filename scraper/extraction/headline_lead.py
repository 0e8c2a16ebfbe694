"""The heading printed just above the story's first paragraph: a headline candidate for
pages whose ``<title>`` and headings name the site or a section, not the story.

Pages print the headline directly above the story text (perhaps with a byline, a date
or a picture in between); the site's name, its sections and other stories' headlines
sit elsewhere. :func:`lead` finds the first paragraph of prose in the page (long,
sentence-like, not mostly links, not in the page's header, a sidebar or a widget) and
walks back from it to the nearest heading-like element: an ``<h1>``-``<h4>``, an element
classed as a headline or title, or a bold line standing on its own (also one opening
the paragraph's own cell); one further up marked as the headline (class ``headline``,
``article-title``) beats a nearer one that is not. Bylines, datelines, labels ("Related articles", "Tags: ..."),
calls to action, standfirst sentences and all-capital section names are passed over
(:func:`plausible_heading`).

:meth:`Lead.shared` counts the words of the story's opening a text uses: a headline
shares words with the text it heads, a site or section name does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from lxml.html import HtmlElement

from scraper.extraction.authors import BYLINE_LABEL, is_credit_line
from scraper.extraction.cleaning import CALL_TO_ACTION_TEXT, label_keys
from scraper.extraction.dates import first_shown_date
from scraper.extraction.headline_dom import HEADLINE_HEADINGS, marked_as_headline
from scraper.extraction.page import Page, links_elsewhere
from scraper.extraction.phrases import NAME_PARTICLES
from scraper.extraction.text import CLOSERS, final_mark, fold, norm, squash

#: Elements that may hold the story's first paragraph.
_PARAGRAPHS = frozenset({"p", "div", "td", "li", "dd", "blockquote", "article", "section"})
#: Inline elements: their text is part of the paragraph around them.
_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "big", "sup", "sub", "abbr"}
    | {"cite", "q", "br", "img", "time", "mark"}
)
#: Parts of a page that hold no story text.
_NOT_STORY = frozenset(
    {"script", "style", "noscript", "select", "button", "textarea", "nav", "footer"}
)
#: Class or id tokens of the page's header, sidebars, widgets, menus and footer.
_FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:header|sidebar|widget|footer|nav|menu)(?:$|[\s_-])", re.IGNORECASE
)
#: ... looked for this many levels up from a paragraph (a layout may wrap a whole page
#: in a "header" division).
_FURNITURE_DEPTH = 4
#: A first paragraph has at least this many characters and words ...
_MIN_PARAGRAPH_CHARS = 150
_MIN_PARAGRAPH_WORDS = 20
#: ... and at most this share of its text in links.
_MAX_LINK_SHARE = 0.3
#: A sentence ends in it.
_SENTENCE_END = re.compile(rf"[.!?][{re.escape(CLOSERS)}]?(?:\s|$)")
#: Elements read while looking for the first paragraph (a bound on odd, huge pages).
_MAX_ELEMENTS = 5000
#: Elements walked back from the first paragraph to its heading.
_MAX_WALK_BACK = 60
#: Inline elements read at the start of the paragraph, and how far into its text a
#: headline printed there may start.
_MAX_OPENING_ELEMENTS = 20
_MAX_OPENING_OFFSET = 40
#: Class or id of an element that holds a headline or title.
_TITLE_CLASS = re.compile(r"head|title", re.IGNORECASE)
#: Words of a headline: at least two, at most this many.
_MAX_WORDS = 30
#: A text of this many words or more that ends in a full stop is a sentence.
_MIN_SENTENCE_WORDS = 12
#: A full stop after a word of small letters, then a capital: one sentence ends, another
#: begins.
_SENTENCE_BREAK = re.compile(r"[^\W\d_A-Z]{2}\.\s*[A-Z]")
#: A short all-capitals line of at most this many words is a section name ("EDITOR'S PICK").
_MAX_CAPS_LABEL_WORDS = 3
#: Words of the story's opening compared with a headline candidate.
_LEAD_CHARS = 1500
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Lead:
    """The heading above the story's first paragraph (None if none passes), the words of
    the story's opening, and the headings printed above that heading."""

    heading: str | None
    words: frozenset[str]
    #: :func:`~.text.squash` keys of the heading-like texts printed above the heading (a
    #: headline above its subtitle, a section name above the headline).
    above: frozenset[str] = frozenset()

    def shared(self, text: str) -> int:
        """How many of the opening's words ``text`` uses."""
        return len(words_of(text) & self.words)


def words_of(text: str) -> frozenset[str]:
    """The case-folded words of four letters or more in ``text``."""
    return frozenset(_WORD.findall(text.casefold()))


def _own_text(element: HtmlElement) -> tuple[str, int]:
    """The element's text with its inline children's (not its block children's), and how
    many characters of it are link text."""
    parts = [element.text or ""]
    linked = 0
    for child in element:
        if isinstance(child.tag, str) and child.tag in _INLINE:
            text = child.text_content()
            parts.append(text)
            if child.tag == "a":
                linked += len(text)
            else:
                linked += sum(len(a.text_content()) for a in child.iter("a"))
        parts.append(child.tail or "")
    return fold(" ".join(parts)), linked


def first_paragraph(page: Page) -> tuple[HtmlElement, str] | None:
    """The first element of the body whose own text is a paragraph of prose, and that text."""
    body = page.tree.find(".//body")
    for n, element in enumerate((body if body is not None else page.tree).iter()):
        if n > _MAX_ELEMENTS:
            return None
        if not isinstance(element.tag, str) or element.tag not in _PARAGRAPHS:
            continue
        text, linked = _own_text(element)
        if (
            len(text) >= _MIN_PARAGRAPH_CHARS
            and len(text.split()) >= _MIN_PARAGRAPH_WORDS
            and linked <= _MAX_LINK_SHARE * len(text)
            and _SENTENCE_END.search(text)
            and not any(a.tag in _NOT_STORY for a in element.iterancestors())
            and not any(_furniture(a) for a in islice(element.iterancestors(), _FURNITURE_DEPTH))
            and not any(d.tag in _NOT_STORY for d in element.iterdescendants())
        ):
            return element, text
    return None


def _furniture(element: HtmlElement) -> bool:
    """Part of the page around the story: a header, sidebar, widget, menu or footer by
    its tag, class or id."""
    if element.tag in ("header", "aside"):
        return True
    return bool(_FURNITURE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _preceding(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements before ``element`` in document order, nearest first, its ancestors
    left out."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str):
                yield from reversed([e for e in sibling.iter() if isinstance(e.tag, str)])
        node = node.getparent()


def _opening_then_preceding(paragraph: HtmlElement, text: str) -> Iterator[HtmlElement]:
    """Inline elements that open the paragraph (a headline printed in bold at the top of
    the story's cell), then the elements before it, nearest first."""
    for n, element in enumerate(paragraph.iterdescendants()):
        if n >= _MAX_OPENING_ELEMENTS:
            break
        if isinstance(element.tag, str) and element.tag in _INLINE:
            inner = fold(element.text_content())
            if inner and text.find(inner) <= _MAX_OPENING_OFFSET:
                yield element
    yield from _preceding(paragraph)


def _heading_like(element: HtmlElement, text: str) -> bool:
    """A heading tag, an element classed as a headline or title, or a bold line on its own
    that is no question (an interview sets its questions in bold above the answers)."""
    if element.tag in HEADLINE_HEADINGS:
        return True
    if _TITLE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"):
        return True
    parent = element.getparent()
    return (
        element.tag in ("b", "strong")
        and parent is not None
        and fold(parent.text_content()) == text
        and final_mark(text) not in ("?", "？")  # an interview's question
    )


def _is_byline(text: str) -> bool:
    """A byline ("By Jo Ek", "Von Jo Ek"): the label, then a few capitalised name words."""
    match = BYLINE_LABEL.match(text)
    if match is None:
        return False
    words = text[match.end() :].split()
    return 0 < len(words) <= 4 and all(
        w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in words
    )


def _labelled(text: str) -> bool:
    """A label and a colon open the text ("Tags: harbour, ferries")."""
    head, colon, _ = text.partition(":")
    return bool(colon) and norm(head) in label_keys()


def plausible_heading(text: str) -> bool:
    """Could be a headline: two words or more but not a paragraph or a sentence, mostly
    letters, no byline, dateline, label, call to action or short all-capitals section
    name."""
    words = text.split()
    if not 2 <= len(words) <= _MAX_WORDS:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < len(text.replace(" ", "")) / 2:
        return False
    if len(words) >= _MIN_SENTENCE_WORDS and (text.endswith(".") or _SENTENCE_BREAK.search(text)):
        return False  # a sentence or two: the standfirst
    if first_shown_date(text) is not None:
        return False  # a dateline ("Harbour Post - January 14, 2008")
    if norm(text) in label_keys() or _is_byline(text) or CALL_TO_ACTION_TEXT.search(text):
        return False
    if is_credit_line(text):
        return False
    if _labelled(text):
        return False  # "Tags: harbour, ferries"
    return not (len(words) <= _MAX_CAPS_LABEL_WORDS and text.isupper())


def lead(page: Page) -> Lead | None:
    """The heading above the story's first paragraph and the words of the opening (None
    when the page has no paragraph of prose)."""
    found = first_paragraph(page)
    if found is None:
        return None
    paragraph, text = found
    opening = text
    for element in paragraph.itersiblings():
        if len(opening) >= _LEAD_CHARS:
            break
        if element.tag in _PARAGRAPHS:  # prose, not the next story's heading
            opening += " " + element.text_content()
    words = words_of(opening[:_LEAD_CHARS])
    heading: str | None = None
    marked = False
    above: set[str] = set()
    for n, element in enumerate(_opening_then_preceding(paragraph, text)):
        if n >= _MAX_WALK_BACK:
            break
        shown = fold(element.text_content())
        if (
            not shown
            or not _heading_like(element, shown)
            or (element.tag != "h1" and links_elsewhere(page, element))
        ):
            if heading is None and element.tag in _PARAGRAPHS:
                # a short first paragraph passed over on the way up is the opening too
                words |= words_of(_own_text(element)[0])
            continue
        if heading is not None and (marked or not marked_as_headline(element)):
            above.add(squash(shown))
        elif (
            plausible_heading(shown)
            and not any(a.tag in _NOT_STORY for a in element.iterancestors())
            and not any(d.tag in _NOT_STORY for d in element.iterdescendants())
        ):
            # a heading marked as the headline beats a nearer one that is not (a
            # subheadline, an overline, the reporter's name)
            heading, marked = shown, marked_as_headline(element)
        elif heading is not None:
            above.add(squash(shown))
    return Lead(heading, frozenset(words), frozenset(above))
