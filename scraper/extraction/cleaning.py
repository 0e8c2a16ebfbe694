"""Body cleaning after trafilatura: the rules that remove what is not the article.

Each rule looks at one block (and, for a few, its neighbours or the page's DOM) and names
why it drops it; :func:`clean_blocks` applies them in order and reports the reasons so
an extraction can explain itself. The signals are structural first (position next to the
headline, link density, orphaned lead-ins, image alt text and captions found in the DOM,
repetition learned per host) and only then small phrase lists (:mod:`.phrases`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from scraper.extraction.authors import is_credit_line
from scraper.extraction.body import Block, is_sentence
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
    PAYWALL_NOTICES,
    PROMO_PREFIXES,
)
from scraper.extraction.structure import TEASER_REST_CHARS, TEASER_WORDS
from scraper.extraction.text import norm

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
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[.!?…][\"”’)]?\s")
#: A label of up to three words and a colon before a list of links ("More Boats: ...").
_LIST_LEAD = re.compile(r"^\W*(?:[^\s:]+\s+){0,2}[^\s:]+\s*:\s*")
#: What stands between the links of a list.
_SEPARATORS = re.compile(r"[\s|,·•/]+")
#: A short lead-in, then a separator: "READ MORE | ", "ALSO WATCH: ".
_CAPITAL_LEAD = re.compile(r"^\W*([^|:»›]{2,40}?)\s*[|:»›]\s*")
_CREDIT_LEAD = re.compile(
    r"^\W*(?:"
    + "|".join(re.escape(p) for p in sorted(CREDIT_PREFIXES, key=len, reverse=True))
    + r")\s*[:|/©]",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
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
_PAYWALL = re.compile("|".join(PAYWALL_NOTICES), re.IGNORECASE)
_CONSENT = re.compile("|".join(CONSENT_PLACEHOLDERS), re.IGNORECASE)
_LEGAL = re.compile("|".join(LEGAL_NOTICES), re.IGNORECASE)
_URL_TEXT = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.IGNORECASE)

#: Blocks this short (in words) may be labels, captions, lead-ins or byline leftovers.
SHORT = 12
#: Captions and promos are at most this long.
CAPTION_WORDS = 40
#: A menu's group heading ("New Boats", "Boat Reviews") between its links: this many words at most.
MENU_HEAD_WORDS = 4
#: A legal notice (copyright, rights reserved) is at most this many words.
LEGAL_WORDS = 60
#: A notice (paywall, consent placeholder) is at most this long, in characters.
NOTICE_CHARS = 400
#: A block this long (characters) after a paywall notice is article text: the notice was a
#: teaser at the top, not the end of what the page shows.
PROSE_CHARS = 250
#: A list holds the article's points, not links, when at least this many of its items ...
PROSE_ITEMS = 3
#: ... are prose of at least this many words with few links, and they are most of its items.
PROSE_ITEM_WORDS = 8
#: A short paragraph seen this many times in one body is not article text ...
REPEATED = 3
#: ... when at most this many distinct paragraphs repeat so.
MAX_REPEATED_LINES = 2
#: A list of other stories: at least this many items in a row, each one link ...
LINKED_LIST_ITEMS = 3
#: ... that is at least this share of the item's text (a kicker or a date may stand before
#: it) and at most :data:`LINKED_ITEM_WORDS` words long ...
LINKED_ITEM_DENSITY = 0.5
LINKED_ITEM_WORDS = 25
#: ... while such lists hold at most this share of the body's words (a page that is mostly
#: such lists is a list of links by its nature: a roundup, an index).
LINKED_LIST_SHARE = 0.2
#: What a caption that is also a sentence ends with (closing quotes and brackets skipped).
_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’»)] "


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


@dataclass
class Cleaned:
    blocks: list[Block]
    verdicts: list[str | None] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    learnable: tuple[str, ...] = ()


@cache
def label_keys() -> frozenset[str]:
    """:data:`LABEL_LINES` in the form :func:`norm` gives a line ("don't" -> "don t"); the
    headline finder reads it too."""
    return frozenset(norm(line) for line in LABEL_LINES)


def _is_label(block: Block) -> bool:
    return block.words <= 6 and norm(block.text) in label_keys()


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
    if _CREDIT_LEAD.match(text) or _CREDIT_TAIL.search(text):
        return True
    if block.words <= SHORT and _CREDIT_AGENCY.match(text):
        return True
    return bool(_COPYRIGHT.match(text) and block.words <= SHORT)


def _is_alt_text(block: Block, context: PageContext) -> bool:
    if block.words > CAPTION_WORDS or block.kind != "p":
        return False
    key = norm(block.text)
    return key in context.captions


def _is_teaser(block: Block, context: PageContext) -> bool:
    if block.words > TEASER_WORDS or block.kind in ("quote", "code", "row"):
        return False
    return norm(block.text) in context.teasers


def _linked_points(blocks: Sequence[Block], verdicts: Sequence[str | None]) -> list[int]:
    """Items dropped as links that stand in a list of prose: at least :data:`PROSE_ITEMS`
    of its items, and most of them, hold :data:`PROSE_ITEM_WORDS` words or more, few of
    them linked."""
    members: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        if block.kind == "item" and block.list_id:
            members.setdefault(block.list_id, []).append(i)
    found = []
    for indices in members.values():
        prose = sum(
            1
            for i in indices
            if blocks[i].link_density < 0.5 and blocks[i].words >= PROSE_ITEM_WORDS
        )
        if prose >= PROSE_ITEMS and prose * 2 > len(indices):
            found += [i for i in indices if verdicts[i] == "links"]
    return found


def _is_link_list(block: Block) -> bool:
    """A line of links (a menu, a tag list, a link to another story). A table row is read
    as a line, its cells between bars: old pages lay their menus out in tables."""
    if block.kind in ("quote", "code"):
        return False
    if block.kind == "item":
        return block.link_density >= 0.9 and block.words <= 25
    if block.links >= 2:
        if block.words > 30:
            return False
        if block.link_density >= 0.8:
            return True
        # a short label, then links between bars: "More Boats: Reviews | Yards | Ferries"
        # (a label before a list with commas is often the article's own: "Files: a.js, b.js")
        lead = _LIST_LEAD.match(block.text)
        rest = block.text[lead.end() :] if lead else ""
        return rest.count("|") >= 2 and block.link_chars >= 0.8 * len(_SEPARATORS.sub("", rest))
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


def _same(a: str, b: str) -> bool:
    """``a`` is ``b``, give or take a short suffix or a truncation."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if len(nb) > 30 and na.startswith(nb) and len(na) <= len(nb) + 40:
        return True
    return len(na) > 30 and nb.startswith(na) and len(na) >= 0.8 * len(nb)


def opens_with(blocks: Sequence[Block], text: str, within: int = 8) -> bool:
    """Whether one of the first ``within`` blocks is ``text`` (give or take a suffix)."""
    return any(_same(block.text, text) for block in blocks[:within])


def _is_byline(block: Block, context: PageContext) -> bool:
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


def _is_bio(block: Block, context: PageContext) -> bool:
    if block.words > 80 or not context.authors:
        return False
    key = norm(block.text)
    for author in context.authors:
        name = norm(author)
        if name and key.startswith(name) and _BIO.match(block.text):
            return True
    return False


def _keep_captioned_paragraphs(blocks: Sequence[Block], verdicts: list[str | None]) -> None:
    """A paragraph whose text also captions an image (or is its alt text) is printed twice:
    under the image and in the story. Of two or more copies dropped as a caption, one is the
    story's paragraph and stays (the first that ends like a sentence, else the first)."""
    groups: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if verdicts[i] == "caption":
            groups.setdefault(norm(block.text), []).append(i)
    for copies in groups.values():
        if len(copies) >= 2:
            ended = [i for i in copies if blocks[i].text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END]
            verdicts[(ended or copies)[0]] = None


def _drop_linked_lists(blocks: Sequence[Block], verdicts: list[str | None]) -> None:
    """Runs of list items that are each one link making up most of the item are lists of
    other stories (a kicker or a date may stand before each link: "Science: <a>title</a>"),
    set in the article as a box; they go when they are a small share of the body."""
    runs: list[range] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and verdicts[j] in (None, "links") and _is_linked_item(blocks[j]):
            j += 1
        if j - i >= LINKED_LIST_ITEMS:
            runs.append(range(i, j))
        i = max(j, i + 1)
    listed = sum(blocks[k].words for run in runs for k in run)
    if not runs or listed > LINKED_LIST_SHARE * sum(b.words for b in blocks):
        return
    for run in runs:
        for k in run:
            verdicts[k] = verdicts[k] or "links"


def _is_linked_item(block: Block) -> bool:
    return (
        block.kind == "item"
        and block.links == 1
        and block.link_density >= LINKED_ITEM_DENSITY
        and block.words <= LINKED_ITEM_WORDS
    )


def clean_blocks(blocks: Sequence[Block], context: PageContext) -> Cleaned:
    """Apply the cleaning rules; returns the kept blocks and why others were dropped."""
    reasons: Counter[str] = Counter()
    verdicts: list[str | None] = []
    for block in blocks:
        verdicts.append(_verdict(block, context))
    titles = [t for t in (context.headline, *context.titles) if t]

    # a linked item in a list of prose items is a point of the article that is a link
    # ("Here is our year in review!"), not navigation: a list of links has few items of prose
    for i in _linked_points(blocks, verdicts):
        verdicts[i] = None

    # summaries of other stories in teaser cards go, unless no prose is left without them:
    # then the page is an index of stories, and its teasers are what it holds
    teasers = {
        i
        for i, block in enumerate(blocks)
        if verdicts[i] is None
        and _is_teaser(block, context)
        and not any(_same(block.text, t) for t in titles)
    }
    if teasers:
        prose = sum(
            len(block.text)
            for i, block in enumerate(blocks)
            if verdicts[i] is None and i not in teasers and is_sentence(block.text)
        )
        if prose >= TEASER_REST_CHARS:
            for i in teasers:
                verdicts[i] = "teaser"
        else:
            reasons["teaser-refused"] += len(teasers)

    # one or two short paragraphs repeated down a body are a placeholder (an embed that did
    # not load) or a label; many repeated lines are the story's own structure (a list under
    # each heading, a page laid out twice), left alone
    counts = Counter(b.text for b in blocks if b.kind == "p" and b.words <= CAPTION_WORDS)
    repeated = {text for text, n in counts.items() if n >= REPEATED}
    if 0 < len(repeated) <= MAX_REPEATED_LINES:
        for i, block in enumerate(blocks):
            if verdicts[i] is None and block.kind == "p" and block.text in repeated:
                verdicts[i] = "repeated"

    # runs of short, fully linked lines: tag clouds and link lists split into lines; a menu's
    # short unlinked group headings between its links belong to the run
    run: list[int] = []
    heads: list[int] = []
    for i in range(len(blocks) + 1):
        item = blocks[i] if i < len(blocks) else None
        if item is not None and verdicts[i] is None and item.words <= 8:
            if item.link_density >= 0.8:
                run.extend(heads)
                heads = []
                run.append(i)
                continue
            if run and item.kind == "head" and item.words <= MENU_HEAD_WORDS and not item.links:
                heads.append(i)
                continue
        if sum(1 for j in run if blocks[j].kind != "head") >= 3:
            for j in run:
                verdicts[j] = "links"
        run, heads = [], []

    _keep_captioned_paragraphs(blocks, verdicts)
    _drop_linked_lists(blocks, verdicts)

    # what comes before the page's title inside the body (breadcrumbs, kickers) is not body
    for i, block in enumerate(blocks[:6]):
        if verdicts[i] is None and any(_same(block.text, t) for t in titles):
            for j in range(i):
                if verdicts[j] is None and blocks[j].words <= SHORT:
                    verdicts[j] = "kicker"
            break

    # the headline, the standfirst and byline leftovers must not open the body
    opening = 0
    for i, block in enumerate(blocks[:8]):
        if verdicts[i] is not None:
            continue
        if any(_same(block.text, t) for t in titles):
            verdicts[i] = "headline"
        elif any(_same(block.text, s) for s in context.standfirsts) and (
            block.kind == "head" or norm(block.text) in context.standfirst_elements
        ):
            verdicts[i] = "standfirst"
        elif _is_byline(block, context):
            verdicts[i] = "byline"
        else:
            opening += 1
            if opening >= 2:
                break

    # a paywall notice ends what the page shows of the article: it, and the sign-up pitch
    # after it, go, unless article prose follows (the notice was a banner above the text)
    for i, block in enumerate(blocks):
        if verdicts[i] is None and len(block.text) <= NOTICE_CHARS and _PAYWALL.search(block.text):
            verdicts[i] = "paywall"
            if not any(len(b.text) >= PROSE_CHARS for b in blocks[i + 1 :]):
                for j in range(i + 1, len(blocks)):
                    verdicts[j] = verdicts[j] or "paywall"
            break

    # orphaned lead-ins ("More on this:") and trailing labels or headings
    for i in range(len(blocks) - 1, -1, -1):
        if verdicts[i] is not None:
            continue
        block = blocks[i]
        later = [j for j in range(i + 1, len(blocks)) if verdicts[j] is None]
        trailing = not later
        next_dropped = i + 1 < len(blocks) and verdicts[i + 1] is not None
        short_lead = block.words <= 6 and block.text.rstrip().endswith(":")
        if (short_lead and (trailing or next_dropped)) or (
            trailing and block.kind == "head" and block.words <= 8
        ):
            verdicts[i] = "orphan"
        elif trailing and _is_bio(block, context):
            verdicts[i] = "bio"
        else:
            break

    learnable_lines = tuple(
        b.text for b, v in zip(blocks, verdicts, strict=True) if v is None and b.kind != "row"
    )
    if context.learned:
        learned = [
            i for i, v in enumerate(verdicts) if v is None and blocks[i].text in context.learned
        ]
        kept_chars = sum(len(b.text) for b, v in zip(blocks, verdicts, strict=True) if v is None)
        learned_chars = sum(len(blocks[i].text) for i in learned)
        if learned and learned_chars <= kept_chars / 2:
            for i in learned:
                verdicts[i] = "learned"
        elif learned:
            reasons["learned-refused"] += len(learned)

    kept = []
    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict is None:
            kept.append(block)
        else:
            reasons[verdict] += 1
    return Cleaned(kept, verdicts, reasons, learnable_lines)


def _verdict(block: Block, context: PageContext) -> str | None:
    if _is_label(block):
        return "label"
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


def dedupe_adjacent(
    blocks: Iterable[Block], printed: Mapping[str, int] | None = None
) -> list[Block]:
    """Adjacent copies of a block, as many as the page itself prints in a row.

    The content extractor sometimes doubles a block (nested candidates, a recovery pass)
    and sometimes drops a paragraph that repeats the one before it. Which one is right is
    read from the page: ``printed`` (from :func:`~.dom.printed_runs`) maps a paragraph's
    text to the longest run of sibling copies the page shows. A run of identical blocks
    becomes that many copies (the article prints it so, the archive keeps it so); text the
    page never prints twice in a row stays once.
    """
    printed = printed or {}
    out: list[Block] = []
    run = 0
    for block in blocks:
        if out and out[-1].text == block.text:
            run += 1
            if run > printed.get(block.text, 1):
                continue
        else:
            _restore_run(out, run, printed)
            run = 1
        out.append(block)
    _restore_run(out, run, printed)
    return out


def _restore_run(out: list[Block], run: int, printed: Mapping[str, int]) -> None:
    """Add the copies of ``out[-1]`` the page prints beyond the ``run`` already there."""
    if out and out[-1].kind == "p":
        out.extend([out[-1]] * (printed.get(out[-1].text, 1) - run))
