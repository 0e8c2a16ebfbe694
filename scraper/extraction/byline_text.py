"""Names typed into the text rather than marked as a byline: a CJK paper's credit line, a
dated meta line ("04.02.2022 | 13:10 Uhr | Jo Ek"), a name in bold opening the story."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scraper.extraction.authors import (
    CJK,
    CJK_LABEL,
    clean_authors,
    names_alone,
)
from scraper.extraction.byline_dom import in_excluded_area
from scraper.extraction.dates import first_shown_date
from scraper.extraction.page import NOT_TEXT, Page
from scraper.extraction.phrases import (
    ARTICLES,
    NAME_PARTICLES,
)
from scraper.extraction.text import fold

#: A credit line in a Chinese, Japanese or Korean paper: a label and the names after it,
#: perhaps in brackets ("（责编：X、Y）", "记者 X"), or Korean names with their job title
#: after them ("X 기자", "X·Y 기자 x@example.kr").
_CJK_OPEN = re.compile(r"^[（(【\[〔]?\s*")
_CJK_NAMES_END = re.compile(r"[）)】\]〕]")
_HANGUL_CREDIT = re.compile(
    r"^(?P<names>[가-힣]{2,4}(?:\s*[·ㆍ,、]\s*[가-힣]{2,4})*)\s*(?:기자|특파원)(?:\s+\S+@\S+)?$"
)
#: Longer than this, a text node is a sentence, not a credit line.
_MAX_CREDIT_LINE = 60


def _cjk_credit(text: str) -> list[str]:
    """The names of one CJK credit line, or none when ``text`` is not one."""
    text = " ".join(text.split())
    korean = _HANGUL_CREDIT.match(text)
    if korean:
        return re.split(r"\s*[·ㆍ,、]\s*", korean["names"])
    rest = _CJK_OPEN.sub("", text, count=1)
    label = CJK_LABEL.match(rest)
    if label is None:
        return []
    names = _CJK_NAMES_END.split(rest[label.end() :], maxsplit=1)[0]
    return [n for n in re.split(r"\s*[、，,；;／/]\s*|\s{2,}", names) if n]


def cjk_credit_lines(page: Page, not_names: list[str], limit: int = 6000) -> tuple[str, ...]:
    """The first credit line of a Chinese, Japanese or Korean page ("（责编：X、Y）",
    "记者 X", "X 기자"): a short text of its own, outside comments, teasers and figures
    (photo credits). Pages whose ``<title>`` has no CJK letter are not looked at."""
    if not CJK.search(page.tree.findtext(".//title") or ""):
        return ()
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    for count, element in enumerate(root.iter()):
        if count > limit:
            break
        if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        for text in (element.text, element.tail):
            if not text or len(text) > _MAX_CREDIT_LINE or not CJK.search(text[:6]):
                continue
            names = clean_authors(_cjk_credit(text), not_names)
            if names and not in_excluded_area(element):
                return names[:4]
    return ()


#: Separators of the parts of a meta line ("04.02.2022 | 13:10 Uhr | Jo Ek").
_META_LINE_SPLIT = re.compile(r"\s+[|•·]\s+")


def dated_meta_line(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The one name in a short line beside the headline that sets the date and the writer
    apart ("04.02.2022 | 13:10 Uhr | Jo Ek"): a byline without a label. Only a name of two
    words or more, and only beside a date: a line of section names is no byline."""
    h1 = next(iter(page.tree.iter("h1")), None)
    parent = h1.getparent() if h1 is not None else None
    if parent is None or in_excluded_area(parent):
        return ()
    for element in parent:
        if element is h1 or not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        text = fold(element.text_content())
        if not text or len(text) > 100:
            continue
        parts = _META_LINE_SPLIT.split(text)
        dated = [first_shown_date(p) is not None for p in parts]
        if len(parts) < 2 or not any(dated):
            continue
        rest = [p for p, d in zip(parts, dated, strict=True) if not d]
        names = [n for n in clean_authors(rest, not_names) if " " in n]
        if len(names) == 1:
            return (names[0],)
    return ()


#: A credit paragraph is among the first paragraphs of the text and a paragraph of the
#: story (this long at least) follows it.
_LEAD_CREDIT_PARAGRAPHS = 4
_STORY_PARAGRAPH = 80


def _opens_story(paragraph: HtmlElement) -> bool:
    """A paragraph among the first few of its container with the story right after it."""
    following = paragraph.getnext()
    if following is None or following.tag != "p":
        return False
    if len(following.text_content()) < _STORY_PARAGRAPH:
        return False
    before = [s for s in paragraph.itersiblings("p", preceding=True) if s.text_content().strip()]
    return len(before) < _LEAD_CREDIT_PARAGRAPHS


def bold_credit_paragraph(page: Page, not_names: list[str], limit: int = 400) -> tuple[str, ...]:
    """Names set in bold as a paragraph of their own at the top of the text, the story
    right after them ("<p><strong>Jo Ek/Al Bo</strong></p><p>The story…</p>"): where the
    site's own account is the post's author, the writer is typed into the text. Names
    only (a label, a date or a sentence in the bold is something else), two words each.
    Not at the end of the text: two capitalised words closing a post in bold are as often
    a sign-off ("Happy Holidays", "Viel Spaß") as a signature."""
    for count, paragraph in enumerate(page.tree.iter("p")):
        if count > limit:
            break
        bold = [c for c in paragraph if isinstance(c.tag, str)]
        if len(bold) != 1 or bold[0].tag not in ("strong", "b"):
            continue
        if (paragraph.text or "").strip() or (bold[0].tail or "").strip():
            continue
        text = fold(bold[0].text_content())
        if not text or len(text) > 80 or in_excluded_area(paragraph):
            continue
        if not _opens_story(paragraph):
            continue
        if any(w.lower() in ARTICLES - NAME_PARTICLES for w in text.split()):
            continue  # a title ("I. The Harbour"), not a name
        names = [n for n in names_alone(text) if " " in n]
        found = clean_authors(names, not_names)
        if found and len(found) == len(names):
            return found[:4]
    return ()
