"""Repairs to the DOM before main-content extraction.

:func:`drop_hidden` removes what a reader never sees: elements marked ``hidden``, styled
``display:none``, dialogs and overlays (e-mail-this-article forms, error messages);
:func:`drop_signup_boxes` the boxes around a form that asks for an e-mail address.

trafilatura takes the *first* element matching its content selectors. Many sites split
one article body into several containers of the same class at the same depth, interrupted by ads,
newsletter boxes or related links (``div.article__body`` × 4). Only the first would be
extracted. :func:`merge_split_bodies` joins such siblings into the first one, using the
repetition of tag and class within one parent as the signal, and refusing when the
siblings look like teasers of other articles (headings that are links) as on index pages.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

from scraper.extraction.phrases import RECAPTCHA_NOTICES

_CONTENT_CLASS = re.compile(r"body|content|article|story|entry|text|post", re.IGNORECASE)
_NOT_CONTENT = re.compile(
    r"comment|related|teaser|card|widget|sidebar|footer|header|nav|promo|ad[-_]|share",
    re.IGNORECASE,
)
#: Never merge more containers than this (an index page repeats far more often).
MAX_PARTS = 12
#: Elements scanned at most (bounds the work on huge DOMs).
MAX_ELEMENTS = 20_000


#: Classes or ids of the containers of a comment thread: repeated parts inside one are
#: comments, each with its own body, not pieces of the article.
_COMMENTS = re.compile(r"comment|disqus|discussion|replies|forum", re.IGNORECASE)


def _in_comments(element: HtmlElement) -> bool:
    """Whether ``element`` lies inside a comment thread (judged by its ancestors' names)."""
    return any(
        _COMMENTS.search(f"{a.get('class', '')} {a.get('id', '')}") for a in element.iterancestors()
    )


def _looks_like_body_part(element: HtmlElement) -> bool:
    if element.xpath(".//h1 | .//h2//a | .//h3//a | .//h4//a | .//article"):
        return False
    if _in_comments(element):
        return False
    return any(len((p.text_content() or "").split()) >= 8 for p in element.iter("p"))


def merge_split_bodies(tree: HtmlElement) -> int:
    """Merge same-class content containers at one depth into the first; returns merges done."""
    by_class: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for count, element in enumerate(tree.iter("div", "section", "article")):
        if count > MAX_ELEMENTS:
            break
        cls = element.get("class")
        if not cls or not _CONTENT_CLASS.search(cls) or _NOT_CONTENT.search(cls):
            continue
        by_class[(element.tag, " ".join(cls.split()))].append(element)
    # siblings, or cousins at the same depth (each part wrapped in its own grid cell)
    groups: dict[tuple[int, str, str], list[HtmlElement]] = defaultdict(list)
    for (tag, cls), elements in by_class.items():
        if len(elements) < 2:
            continue
        for element in elements:
            depth = sum(1 for _ in element.iterancestors())
            groups[(depth, tag, cls)].append(element)
    merged = 0
    for members in groups.values():
        if not 2 <= len(members) <= MAX_PARTS:
            continue
        if not all(_looks_like_body_part(m) for m in members):
            continue
        first = members[0]
        for other in members[1:]:
            for child in list(other):
                first.append(child)
            if other.getparent() is not None:
                _remove_keeping_tail(other, keep_blank_tail=False)
            merged += 1
    return merged


#: Embedded posts that are part of a story (quoted tweets, toots, Instagram captions):
#: the readability fallback inside trafilatura scores "tweet"/"twitter" classes as
#: boilerplate, which can tip its comparison towards a shorter text; their text is a quote.
_EMBED_CLASS = re.compile(
    r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|mastodon-embed", re.IGNORECASE
)


#: Heading tags, ``<h1>`` to ``<h6>``.
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose text is one paragraph, item or heading of the story.
_TEXT_BLOCKS = frozenset({"p", "li", "dd", "dt", *HEADINGS})


def drop_empty_links(tree: HtmlElement) -> int:
    """Remove each ``<a>`` that prints nothing inside a paragraph, item or heading (a jump
    target ``<h2><a id="s2"></a>Results</h2>``, an index term's anchor), keeping the text
    after it. The content extractor moves such a link's tail into the link: the paragraph
    reads as one long link and goes as a link list. An empty anchor between blocks is
    left: old blogs open each reader comment with one, and there it is a fair sign.
    Returns how many went."""
    empty = [
        a
        for a in tree.iter("a")
        if not len(a)
        and not (a.text or "").strip()
        and (parent := a.getparent()) is not None
        and parent.tag in _TEXT_BLOCKS
    ]
    for a in empty:
        if a.text:  # white space between two words stays between them
            a.tail = a.text + (a.tail or "")
        _remove_keeping_tail(a)
    return len(empty)


def unwrap_embedded_posts(tree: HtmlElement) -> int:
    """Turn embedded-post blockquotes into plain blockquotes; returns how many."""
    count = 0
    for quote in tree.iter("blockquote"):
        if _EMBED_CLASS.search(quote.get("class", "")):
            quote.attrib.pop("class", None)
            count += 1
            # its wrapper ("social-media-embed") would be dropped as a share widget
            wrapper = quote.getparent()
            for _ in range(4):
                if wrapper is None or wrapper.tag not in ("div", "figure", "section", "span"):
                    break
                if len([c for c in wrapper if c.tag != "script"]) != 1:
                    break
                wrapper.attrib.pop("class", None)
                wrapper.attrib.pop("id", None)
                wrapper = wrapper.getparent()
    return count


#: Class tokens of what is hidden until the reader asks for it (a dialog, an overlay).
_ON_DEMAND_CLASS = frozenset({"modal", "overlay", "scrim"})
#: Class tokens that hide an element.
_HIDDEN_CLASS = (
    frozenset(
        {
            "hide",
            "hidden",
            "is-hidden",
            "d-none",
            "display-none",
            "visually-hidden",
            "sr-only",
            "screen-reader-text",
        }
    )
    | _ON_DEMAND_CLASS
)
#: An inline style that hides its element (one home: the headline finder reads it too).
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
#: Cards that pop up over the text on hover (a person's bio, a link preview): their text
#: is not part of the sentence they sit in.
_POPUP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tooltip|hover-?card|popover|popup-card)(?:$|[\s_-])", re.I
)
#: Roles of elements shown only on demand (a dialog, a tooltip).
_HIDING_ROLES = ("dialog", "alertdialog", "tooltip")
#: A substring of every class token above, lower-cased: most classes hold none, and one
#: search is cheaper than splitting every class into tokens (most elements have one).
_MAY_HIDE = re.compile("hid|none|sr-only|screen-reader-text|modal|overlay|scrim|tool|hover|pop")
#: A hidden element is kept when it holds at least this many words of paragraphs of at
#: least :data:`PROSE_WORDS` words each (a script reveals the article, a paywall hides its rest).
HIDDEN_ARTICLE_WORDS = 60
PROSE_WORDS = 20
#: A slideshow has at least this many slides (:func:`_slides`).
MIN_SLIDES = 3


def drop_hidden(tree: HtmlElement) -> int:
    """Remove elements a reader never sees (hidden, dialogs, overlays, hover cards).

    Guard: a hidden element that holds article prose found nowhere else on the page is the
    article (streamed or revealed by a script, or the rest behind a paywall): it is shown
    instead (its hiding markers removed, so the content extractor reads it). Returns how
    many elements were removed.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    candidates = []
    for element in root.iter():
        get = element.get  # a comment's is None: the tag is checked on a match only
        cls = get("class")
        style = get("style")
        if (
            (
                cls
                and _MAY_HIDE.search(low := cls.lower())
                and (not _HIDDEN_CLASS.isdisjoint(low.split()) or _POPUP_CLASS.search(cls))
            )
            or (style and HIDDEN_STYLE.search(style))
            or get("hidden") is not None
            or get("role") in _HIDING_ROLES
        ) and isinstance(element.tag, str):
            candidates.append(element)
    if not candidates:
        return 0
    slides = _slides(candidates, root)
    removed: set[HtmlElement] = set()
    for element in candidates:
        if element.getparent() is None or not removed.isdisjoint(element.iterancestors()):
            continue  # the page's root, or gone with a hidden ancestor
        if element in slides:
            _show(element)
            continue
        prose = _prose(element)
        # a hidden copy of paragraphs shown elsewhere (a print or mobile version) is no article
        if sum(len(p.split()) for p in prose) >= HIDDEN_ARTICLE_WORDS and not _shown_elsewhere(
            prose[0], element, root
        ):
            _show(element)
            continue
        _remove_keeping_tail(element)
        removed.add(element)
    return len(removed)


def _on_demand(element: HtmlElement, cls: str) -> bool:
    """A dialog, an overlay or a hover card: hidden until the reader asks for it, never in
    its turn like a slide, whatever it holds."""
    return (
        element.get("role") in _HIDING_ROLES
        or not _ON_DEMAND_CLASS.isdisjoint(cls.lower().split())
        or bool(_POPUP_CLASS.search(cls))
    )


def _slides(candidates: list[HtmlElement], root: HtmlElement) -> set[HtmlElement]:
    """Hidden siblings that are the slides of a slideshow, a script showing one at a time:
    :data:`MIN_SLIDES` or more elements of one tag and class under one parent, at least
    ``MIN_SLIDES - 1`` of them holding prose found nowhere else (the current slide may be
    copied into view), together at least :data:`HIDDEN_ARTICLE_WORDS` words. Each slide
    alone may hold too little to pass for the article; together they are it, in their
    order, every slide with prose, the current one too. A slide without prose goes, and so
    does a dialog or an overlay."""
    groups: dict[tuple[HtmlElement, str, str], list[HtmlElement]] = {}
    for element in candidates:
        parent = element.getparent()
        cls = element.get("class") or ""
        if parent is None or _on_demand(element, cls):
            continue
        groups.setdefault((parent, element.tag, cls), []).append(element)
    slides: set[HtmlElement] = set()
    for group in groups.values():
        if len(group) < MIN_SLIDES:
            continue
        prose = {element: found for element in group if (found := _prose(element))}
        new = [
            sum(len(p.split()) for p in found)
            for element, found in prose.items()
            if not _shown_elsewhere(found[0], element, root)
        ]
        if len(new) >= MIN_SLIDES - 1 and sum(new) >= HIDDEN_ARTICLE_WORDS:
            slides.update(prose)
    return slides


#: A box around an e-mail form holds at most this many words besides the form's own
#: (a heading, a line of pitch, the privacy notice); more, and it is the article around it.
SIGNUP_WORDS = 60
#: A paragraph longer than this is prose: the box around a form stops below it.
SIGNUP_PROSE_WORDS = 25
#: reCAPTCHA in the spellings it comes in: looked for as plain substrings, much cheaper
#: than a case-blind search of the source (or XPath's ``translate()``).
_RECAPTCHA_SPELLINGS = ("reCAPTCHA", "recaptcha", "ReCAPTCHA", "RECAPTCHA", "Recaptcha")
#: What every spelling above holds: two scans of a long source instead of five.
_CAPTCHA_MARKS = ("captcha", "CAPTCHA")
_RECAPTCHA_TEXT = (
    "//text()[" + " or ".join(f"contains(., '{s}')" for s in _RECAPTCHA_SPELLINGS) + "]"
)
_NOTICE = re.compile("|".join(RECAPTCHA_NOTICES), re.IGNORECASE)
_MAIL_FIELD = re.compile(r"e-?mail", re.IGNORECASE)


def _asks_for_email(field: HtmlElement) -> bool:
    kind = field.get("type", "text").lower()
    if kind != "text":
        return kind == "email"
    return any(_MAIL_FIELD.search(field.get(a) or "") for a in ("name", "id", "placeholder"))


def _holds_prose(element: HtmlElement, besides: HtmlElement) -> bool:
    """Whether ``element`` holds a paragraph of prose outside ``besides`` (a short article
    beside the form is no part of the box)."""
    return any(
        len(p.text_content().split()) > SIGNUP_PROSE_WORDS and besides not in p.iterancestors()
        for p in element.iter("p")
        if p is not besides
    )


def drop_signup_boxes(tree: HtmlElement, source: str | None = None) -> int:
    """Remove each box around a form asking for an e-mail address: a newsletter sign-up,
    a comment or login form, with their headings, pitch and privacy notice ("Sign up for
    our newsletter"). The box is the largest element around the form holding at most
    :data:`SIGNUP_WORDS` words and no paragraph of prose. The reCAPTCHA notice such a form
    prints (:data:`RECAPTCHA_NOTICES`) goes too, wherever it stands; given the page's
    ``source``, it is looked for only when the source names a CAPTCHA (a text search is
    cheaper than a walk of every text node). Returns how many went."""
    boxes: list[HtmlElement] = []
    for field in tree.iter("input"):
        if not _asks_for_email(field):
            continue
        box = field
        for parent in field.iterancestors():
            if parent.tag in ("body", "html", "article", "main"):
                break
            if len(parent.text_content().split()) > SIGNUP_WORDS or _holds_prose(parent, box):
                break
            box = parent
        if box is not field and all(b not in box.iterancestors() for b in boxes):
            boxes = [b for b in boxes if box not in b.iterancestors()] + [box]
    named = source is None or any(mark in source for mark in _CAPTCHA_MARKS)
    for node in tree.xpath(_RECAPTCHA_TEXT) if named else ():
        element = node.getparent()
        while element is not None and element.tag not in ("span", "p", "div", "small"):
            element = element.getparent()
        if element is None or element.tag in ("body", "html"):
            continue
        text = element.text_content()
        if len(text.split()) <= SIGNUP_WORDS and _NOTICE.search(text):
            boxes.append(element)
    for box in boxes:
        if box.getparent() is not None:
            _remove_keeping_tail(box, keep_blank_tail=False)
    return len(boxes)


def _shown_elsewhere(paragraph: str, element: HtmlElement, root: HtmlElement) -> bool:
    """Whether a paragraph with the text ``paragraph`` exists outside ``element``."""
    for p in root.iter("p"):
        if " ".join(p.text_content().split()) == paragraph and element not in p.iterancestors():
            return True
    return False


def paragraph_words(element: HtmlElement) -> int:
    """How many words the ``<p>`` elements inside ``element`` print."""
    return sum(len(p.text_content().split()) for p in element.iter("p"))


def _prose(element: HtmlElement) -> list[str]:
    """Texts of the paragraphs in ``element`` that read like prose (long, few links)."""
    found = []
    for p in element.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text.split()) < PROSE_WORDS:
            continue
        linked = sum(len(a.text_content()) for a in p.iter("a"))
        if linked < 0.3 * len(text):
            found.append(text)
    return found


def _show(element: HtmlElement) -> None:
    """Remove what hides ``element`` (attribute, class, inline style) so it is read."""
    element.attrib.pop("hidden", None)
    element.attrib.pop("aria-hidden", None)
    cls = element.get("class")
    if cls:
        kept = [c for c in cls.split() if c.lower() not in _HIDDEN_CLASS]
        element.set("class", " ".join(kept))
    style = element.get("style")
    if style and HIDDEN_STYLE.search(style):
        element.set("style", HIDDEN_STYLE.sub("", style))
    if element.get("id") and "hidden" in element.get("id", "").lower():
        element.attrib.pop("id")


def _remove_keeping_tail(element: HtmlElement, *, keep_blank_tail: bool = True) -> None:
    """Take ``element`` out of its parent; the text that followed it stays where it was."""
    parent = element.getparent()
    assert parent is not None
    tail = element.tail
    if tail and (keep_blank_tail or tail.strip()):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


#: A paragraph printed several times in a row counts from this many words (shorter
#: repeats are labels and placeholders, judged by the cleaning rules).
REPEAT_MIN_WORDS = 8
#: Elements that carry no text of their own between two copies of a paragraph.
_TEXTLESS = frozenset(
    {"svg", "img", "picture", "br", "hr", "script", "style", "iframe", "video", "audio"}
)


def printed_runs(tree: HtmlElement) -> dict[str, int]:
    """Paragraphs the page prints several times in a row, with the longest run's length.

    A run is sibling ``<p>`` elements of one parent with the same text, with nothing but
    text-free elements (images, an SVG, line breaks) between them. Keys are the text with
    white space folded. A hidden copy is not counted when :func:`drop_hidden` ran first;
    copies in different containers (a mobile and a desktop layout) are never a run.
    """
    runs: dict[str, int] = {}
    last: dict[HtmlElement, tuple[str, int]] = {}  # a <p> -> its text and run length so far
    for p in tree.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text.split()) < REPEAT_MIN_WORDS:
            continue
        previous = p.getprevious()
        while previous is not None and (
            not isinstance(previous.tag, str)
            or previous.tag in _TEXTLESS
            or (previous.tag != "p" and not previous.text_content().strip())
        ):
            previous = previous.getprevious()
        before = last.get(previous) if previous is not None else None
        length = before[1] + 1 if before is not None and before[0] == text else 1
        last[p] = (text, length)
        if length > 1:
            runs[text] = max(runs.get(text, 0), length)
    return runs
