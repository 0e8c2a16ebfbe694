"""Body cleaning's rules for one block: what a block is when it is not the article's.

Each rule looks at one block (and, for a few, what :class:`PageContext` knows of the page)
and says whether it is a label, a reading time or a count of readers, a promo, a credit, a
caption, a line of links, a call to action, a consent or legal notice
(:func:`block_verdict`), a teaser, a byline or dateline, or the author's bio.
:func:`~.cleaning.clean_blocks` applies them with the rules that look across blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from scraper.extraction.authors import is_credit_line
from scraper.extraction.body import Block
from scraper.extraction.boilerplate import LearnedBoilerplate
from scraper.extraction.dates import parse_datetime
from scraper.extraction.phrases import (
    AUTHOR_PREFIXES,
    CALL_TO_ACTION,
    CONSENT_PLACEHOLDERS,
    CREDIT_PREFIXES,
    CREDIT_WORDS,
    LABEL_LINES,
    LEGAL_NOTICES,
    MINUTE_WORDS,
    PROMO_PREFIXES,
    READING_TIME_LABELS,
    READING_TIME_TAILS,
    TRANSLATION_CREDITS,
    VIEW_COUNT_WORDS,
)
from scraper.extraction.structure import TEASER_WORDS
from scraper.extraction.text import CLOSERS, alternation, final_mark, norm

_PROMO = re.compile(
    r"^\W*(?:"
    + "|".join(
        re.escape(p).replace("'", "['’]?") for p in sorted(PROMO_PREFIXES, key=len, reverse=True)
    )
    + r")\s*[:|»>›–—]",
    re.IGNORECASE,
)
#: A teaser line tagged with its kind in brackets at the end: "Another story [VIDEO]".
_BRACKET_TAG = re.compile(r"\[\s*[^\W\d_a-z][^\W\da-z]{1,19}(?:\s[^\W\da-z]{1,19})?\s*\]\W*$")
#: The end of a sentence: a full stop, question or exclamation mark, then a space.
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[.!?…][" + re.escape(CLOSERS) + r"]*\s")
#: A label of up to three words and a colon before a list of links ("More Boats: ...").
_LIST_LEAD = re.compile(r"^\W*(?:[^\s:]+\s+){0,2}[^\s:]+\s*:\s*")
#: What stands between the links of a list.
_SEPARATORS = re.compile(r"[\s|,·•/»›]+")
#: Separators standing alone between spaces ("Home | News"), which are not words.
_LONE_SEPARATORS = re.compile(r"(?<!\S)[|,·•/»›]+(?!\S)")
#: The bars between a menu's links, and a breadcrumb's arrows.
_BARS = re.compile(r"[|»›]")
#: A short lead-in, then a separator: "READ MORE | ", "ALSO WATCH: ".
_CAPITAL_LEAD = re.compile(r"^\W*([^|:»›]{2,40}?)\s*[|:»›]\s*")
_CREDIT_LEAD = re.compile(
    r"^\W*(?:" + alternation(CREDIT_PREFIXES) + r")\s*[:|/©]",
    re.IGNORECASE,
)
#: A credit in brackets closing a caption ("… (AP Photo/Jo Ek)", "[Foto: dpa]").
CREDIT_TAIL = re.compile(
    r"[(\[]\s*[^()\[\]]{0,60}\b(?:"
    + "|".join(re.escape(w) for w in CREDIT_WORDS)
    + r")\b[^()\[\]]{0,60}[)\]]\s*\.?$",
    re.IGNORECASE,
)
#: "Jane Doe/Getty Images", "STR/AFP via Getty Images": a name, then an agency credit.
_CREDIT_AGENCY = re.compile(
    r"^[^.!?:]{0,60}(?:/|\bvia\b)\s*(?:getty(?: images)?|afp|reuters|dpa|ap|epa|imago"
    r"(?: images)?|shutterstock|istock(?:photo)?|picture[- ]alliance|anp|ansa|efe)\s*$",
    re.IGNORECASE,
)
#: A translator's credit: a lead-in of :data:`TRANSLATION_CREDITS`, then a name.
_TRANSLATION = re.compile(r"^\W*(?:" + "|".join(TRANSLATION_CREDITS) + r")\s*\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\W*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_BYLINE = re.compile(
    r"^\W*(?:" + "|".join(re.escape(p) for p in AUTHOR_PREFIXES) + r")\s+\S", re.IGNORECASE
)
_BIO = re.compile(
    r"^\s*\S+(?:\s+\S+){0,3}\s+(?:is|was|ist|war|est|es|è|is a|writes|covers|reports)\b",
    re.IGNORECASE,
)
_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre)[a-zé]*\.?\b",
    re.IGNORECASE,
)
#: A date written with CJK unit characters ("2025年1月14日 01時28分", "2025년 1월 14일") ...
_CJK_DATE = re.compile(r"\d+\s*[年년]\s*\d+\s*[月월]\s*\d+\s*[日일]")
#: ... and what a line holding only dates and times is made of (digits, units, "updated",
#: "published", morning/afternoon), in Japanese, Chinese and Korean.
_CJK_DATE_PARTS = re.compile(
    r"[\W\d_年月日時时分秒년월일시분초]|更新|発表|配信|公開|发布|發布|午前|午後|上午|下午|입력|수정|오전|오후"
)
#: A call to action of :data:`CALL_TO_ACTION` anywhere in a text (the headline finder reads
#: it too).
CALL_TO_ACTION_TEXT = re.compile("|".join(CALL_TO_ACTION), re.IGNORECASE)
_CONSENT = re.compile("|".join(CONSENT_PLACEHOLDERS), re.IGNORECASE)
_LEGAL = re.compile("|".join(LEGAL_NOTICES), re.IGNORECASE)


_MINUTES = r"\d+(?:\s*[-–]\s*\d+)?[\s-]*(?:" + alternation(MINUTE_WORDS) + r")\b\.?"
#: A line that only says how long the story takes to read, its label before the minutes
#: ("Reading time: 5 min") or after them ("5 min read").
_READING_TIME = re.compile(
    r"^\W*(?:(?:"
    + alternation(READING_TIME_LABELS)
    + r")\W*(?:ca\.?|approx\.?|about|environ|circa|unter|under|less than)?\s*"
    + _MINUTES
    + r"|(?:ca\.?\s*)?"
    + _MINUTES
    + r"\s*(?:"
    + alternation(READING_TIME_TAILS)
    + r"))\W*$",
    re.IGNORECASE,
)
#: A line that only counts the story's readers ("9086 reads", "1.2K views").
_VIEW_COUNT = re.compile(
    r"^\W*\d[\d,.\s]*[km]?\s*(?:" + alternation(VIEW_COUNT_WORDS) + r")\W*$", re.IGNORECASE
)
_URL_TEXT = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.IGNORECASE)

#: Blocks this short (in words) may be labels, captions, lead-ins or byline leftovers.
SHORT = 12
#: Captions and promos are at most this long.
CAPTION_WORDS = 40
#: A legal notice (copyright, rights reserved) is at most this many words.
LEGAL_WORDS = 60
#: A notice (paywall, consent placeholder) is at most this long, in characters.
NOTICE_CHARS = 400


@dataclass(frozen=True)
class PageContext:
    """What the cleaning rules know about the page beyond the body blocks."""

    headline: str | None = None
    standfirsts: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    captions: frozenset[str] = frozenset()
    #: Other titles of the page (its ``<h1>`` texts, og:title) that may open the body.
    titles: tuple[str, ...] = ()
    #: Normalised texts of elements marked up as a standfirst (class "summary", "dek", ...).
    standfirst_elements: frozenset[str] = frozenset()
    learned: LearnedBoilerplate | None = None
    #: Normalised texts of teaser cards listing other stories (:func:`teasers_of`).
    teasers: frozenset[str] = frozenset()


@cache
def label_keys() -> frozenset[str]:
    """:data:`LABEL_LINES` in the form :func:`norm` gives a line ("don't" -> "don t"); the
    headline finder reads it too."""
    return frozenset(norm(line) for line in LABEL_LINES)


#: A row of controls holds at most this many words.
_MAX_CONTROL_ROW_WORDS = 12


def _is_label(block: Block) -> bool:
    if block.words > _MAX_CONTROL_ROW_WORDS:
        return False
    key = norm(block.text)
    return (block.words <= 6 and key in label_keys()) or _labels_only(key)


@cache
def _longest_label() -> int:
    return max(len(key.split()) for key in label_keys())


def _labels_only(key: str) -> bool:
    """A line that is two or more labels one after another ("Share on Facebook Share on
    Twitter Email"): a row of controls whose labels the page's text runs together."""
    words = key.split()
    labels = label_keys()
    longest = _longest_label()
    # spelled[i]: the most labels that spell words[:i] one after another (-1: none do)
    spelled = [0] + [-1] * len(words)
    for start in range(len(words)):
        if spelled[start] < 0:
            continue
        for end in range(start + 1, min(len(words), start + longest) + 1):
            if " ".join(words[start:end]) in labels:
                spelled[end] = max(spelled[end], spelled[start] + 1)
    return spelled[-1] >= 2


def _is_reading_time(block: Block) -> bool:
    return block.words <= 8 and bool(_READING_TIME.match(block.text))


def _is_view_count(block: Block) -> bool:
    return block.words <= 4 and bool(_VIEW_COUNT.match(block.text))


def _is_promo(block: Block) -> bool:
    if block.words > CAPTION_WORDS:
        return False
    match = _PROMO.match(block.text)
    if match is not None:
        return not _is_unlinked_prose(block, block.text[match.end() :])
    # a linked teaser tagged in capitals ("[VIDEO]"): a link to another story
    if block.links >= 1 and block.link_density >= 0.5 and _BRACKET_TAG.search(block.text):
        return True
    return _is_capital_lead_in_link(block)


def _is_unlinked_prose(block: Block, rest: str) -> bool:
    """What follows a promo lead-in is the writer's own prose, not a teaser: no link and at
    least two sentences ("Related: The group did poorly. Most of its picks lost.")."""
    return block.links == 0 and len(_SENTENCE_BREAK.findall(rest.rstrip() + " ")) >= 2


def _is_capital_lead_in_link(block: Block) -> bool:
    """A lead-in of capitalised words, a separator, then one link to another story: "READ
    MORE | Title", in any language (the lead-in's words need not be known)."""
    match = _CAPITAL_LEAD.match(block.text)
    if match is None or block.links != 1:
        return False
    lead, rest = match.group(1), block.text[match.end() :].strip()
    return (
        lead.upper() == lead
        and any(c.isupper() for c in lead)
        and 2 <= len(lead.split()) <= 6  # one capitalised word may be a name ("NASA: ...")
        and bool(rest)
        and block.link_chars >= 0.9 * len(rest)
    )


def _is_credit(block: Block) -> bool:
    if block.words > CAPTION_WORDS:
        return False
    text = block.text
    if _CREDIT_LEAD.match(text) or CREDIT_TAIL.search(text):
        return True
    if block.words <= SHORT and _CREDIT_AGENCY.match(text):
        return True
    if _TRANSLATION.match(text) and (block.words <= 8 or final_mark(text) not in ".!?"):
        return True  # a sentence that opens so ("Translated by machine, it read ...") ends in one
    return bool(_COPYRIGHT.match(text) and block.words <= SHORT)


def _is_alt_text(block: Block, context: PageContext) -> bool:
    if block.words > CAPTION_WORDS or block.kind != "p":
        return False
    key = norm(block.text)
    return key in context.captions


def is_teaser(block: Block, context: PageContext) -> bool:
    if block.words > TEASER_WORDS or block.kind in ("quote", "code", "row"):
        return False
    return norm(block.text) in context.teasers


def _is_link_list(block: Block) -> bool:
    """A line of links (a menu, a tag list, a link to another story). A table row is read
    as a line, its cells between bars: old pages lay their menus out in tables."""
    if block.kind in ("quote", "code"):
        return False
    if block.kind == "item":
        return block.link_density >= 0.9 and block.words <= 25
    if block.links >= 2:
        # the bars between a menu's links are not words
        if block.words > 30 and block.words - len(_LONE_SEPARATORS.findall(block.text)) > 30:
            return False
        if block.link_density >= 0.8:
            return True
        # links between bars (or a breadcrumb's arrows), after a short label or none:
        # "More Boats: Reviews | Yards | Ferries"; the bars are not counted as link text
        # (a label before a list with commas is often the article's own: "Files: a.js, b.js")
        lead = _LIST_LEAD.match(block.text)
        if lead is None and block.kind == "row" and block.links < block.text.count("|"):
            return False  # a data row: cells without a link (a team | 3 | 1 | a team)
        rest = block.text[lead.end() :] if lead else block.text
        return len(_BARS.findall(rest)) >= 2 and block.link_chars >= 0.8 * len(
            _SEPARATORS.sub("", rest)
        )
    # one fully linked line of headline length: a link to another story
    return (
        block.links == 1
        and block.link_density >= 0.9
        and 5 <= block.words <= 20
        and not _URL_TEXT.search(block.text)
    )


def _is_call_to_action(block: Block) -> bool:
    return (
        block.words <= CAPTION_WORDS
        and block.kind != "quote"
        and bool(CALL_TO_ACTION_TEXT.search(block.text))
    )


def is_byline(block: Block, context: PageContext) -> bool:
    if block.words > SHORT:
        return False
    key = norm(block.text)
    names = [norm(a) for a in context.authors if a]
    if any(n and n in key for n in names) and (
        _BYLINE.match(block.text) or len(key.split()) <= len(" ".join(names).split()) + 6
    ):
        return True
    if _BYLINE.match(block.text) and block.words <= 6:
        return True
    return is_credit_line(block.text) or _is_dateline(block)


def _is_dateline(block: Block) -> bool:
    if block.words > 10:
        return False
    if parse_datetime(block.text) is not None and len(re.findall(r"[^\W\d_]{4,}", block.text)) <= 3:
        return True
    if _CJK_DATE.search(block.text) and not _CJK_DATE_PARTS.sub("", block.text):
        return True
    letters = re.sub(r"[\W\d_]+", " ", _MONTHS.sub(" ", block.text)).split()
    return (
        bool(_MONTHS.search(block.text))
        and bool(re.search(r"\d", block.text))
        and len(letters) <= 3
    )


def is_bio(block: Block, context: PageContext) -> bool:
    if block.words > 80 or not context.authors:
        return False
    key = norm(block.text)
    for author in context.authors:
        name = norm(author)
        if name and key.startswith(name) and _BIO.match(block.text):
            return True
    return False


def block_verdict(block: Block, context: PageContext) -> str | None:
    if _is_label(block):
        return "label"
    if _is_reading_time(block):
        return "reading-time"
    if _is_view_count(block):
        return "view-count"
    if _is_promo(block):
        return "promo"
    if _is_credit(block):
        return "credit"
    if _is_alt_text(block, context):
        return "caption"
    if _is_link_list(block):
        return "links"
    if _is_call_to_action(block):
        return "call-to-action"
    if len(block.text) <= NOTICE_CHARS and _CONSENT.search(block.text):
        return "consent"
    if _is_legal(block):
        return "legal"
    return None


def _is_legal(block: Block) -> bool:
    """A copyright or rights notice ("© 2024 Agency. All rights reserved. This material may
    not be published ..."): up to :data:`LEGAL_WORDS` words."""
    if block.words > LEGAL_WORDS or block.kind in ("quote", "code"):
        return False
    return bool(_COPYRIGHT.match(block.text) or _LEGAL.search(block.text))
