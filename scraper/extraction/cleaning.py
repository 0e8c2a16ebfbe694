"""Body cleaning after trafilatura: the rules that remove what is not the article.

Each rule looks at one block (and, for a few, its neighbours or the page's DOM) and names
why it drops it; :func:`clean_blocks` applies them in order and reports the reasons so
an extraction can explain itself. The signals are structural first (position next to the
headline, link density, orphaned lead-ins, image alt text and captions found in the DOM,
repetition learned per host) and only then small phrase lists (:mod:`.phrases`). The rules
that judge one block on its own are in :mod:`.cleaning_rules`; this module holds those that
look across blocks, and :func:`dedupe_adjacent`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scraper.extraction.body import Block, is_sentence
from scraper.extraction.cleaning_rules import (
    CALL_TO_ACTION_TEXT,
    CAPTION_WORDS,
    LEGAL_WORDS,
    NOTICE_CHARS,
    SHORT,
    PageContext,
    block_verdict,
    is_bio,
    is_byline,
    is_teaser,
    label_keys,
)
from scraper.extraction.phrases import PAYWALL_NOTICES
from scraper.extraction.structure import TEASER_REST_CHARS
from scraper.extraction.text import final_mark, norm

_PAYWALL = re.compile("|".join(PAYWALL_NOTICES), re.IGNORECASE)

#: A menu's group heading ("New Boats", "Boat Reviews") between its links: this many words at most.
MENU_HEAD_WORDS = 4
#: A block this long (characters) after a paywall notice is article text: the notice was a
#: teaser at the top, not the end of what the page shows ...
PROSE_CHARS = 250
#: ... and so are sentences this long together (a story told in short paragraphs; a
#: sign-up pitch is a few short lines).
PROSE_RUN_CHARS = 3 * PROSE_CHARS
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
_SENTENCE_END = frozenset(".!?…")


@dataclass
class Cleaned:
    blocks: list[Block]
    verdicts: list[str | None] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    learnable: tuple[str, ...] = ()


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
            ended = [i for i in copies if final_mark(blocks[i].text) in _SENTENCE_END]
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


def _prose_follows(blocks: Sequence[Block]) -> bool:
    """Article text, not a pitch: one long block, or sentences long enough together."""
    return any(len(b.text) >= PROSE_CHARS for b in blocks) or (
        sum(len(b.text) for b in blocks if is_sentence(b.text)) >= PROSE_RUN_CHARS
    )


def clean_blocks(blocks: Sequence[Block], context: PageContext) -> Cleaned:
    """Apply the cleaning rules; returns the kept blocks and why others were dropped."""
    reasons: Counter[str] = Counter()
    verdicts: list[str | None] = []
    for block in blocks:
        verdicts.append(block_verdict(block, context))
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
        and is_teaser(block, context)
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

    # the body's opening: its first blocks not dropped already (teasers before the story
    # are no part of it)
    opening_blocks = [i for i, verdict in enumerate(verdicts) if verdict is None][:8]

    # what comes before the page's title inside the body (breadcrumbs, kickers) is not body
    for i in opening_blocks[:6]:
        if any(_same(blocks[i].text, t) for t in titles):
            for j in range(i):
                if verdicts[j] is None and blocks[j].words <= SHORT:
                    verdicts[j] = "kicker"
            break

    # the headline, the standfirst and byline leftovers must not open the body; once the
    # body has begun, another of the page's <h1>s is a section heading, only the headline
    # itself repeated goes
    opening = 0
    for i in opening_blocks:
        if verdicts[i] is not None:
            continue  # a kicker
        block = blocks[i]
        if any(_same(block.text, t) for t in (titles if not opening else titles[:1])):
            verdicts[i] = "headline"
        elif any(_same(block.text, s) for s in context.standfirsts) and (
            block.kind == "head" or norm(block.text) in context.standfirst_elements
        ):
            verdicts[i] = "standfirst"
        elif is_byline(block, context):
            verdicts[i] = "byline"
        else:
            opening += 1
            if opening >= 2:
                break

    # a paywall notice ends what the page shows of the article: it, and the sign-up pitch
    # after it, go, unless article prose follows (the notice was a banner above the text:
    # then only the notices go)
    for i, block in enumerate(blocks):
        if verdicts[i] is None and len(block.text) <= NOTICE_CHARS and _PAYWALL.search(block.text):
            verdicts[i] = "paywall"
            if not _prose_follows(blocks[i + 1 :]):
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
        elif trailing and is_bio(block, context):
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


__all__ = [
    "CALL_TO_ACTION_TEXT",
    "CAPTION_WORDS",
    "LEGAL_WORDS",
    "LINKED_ITEM_DENSITY",
    "LINKED_ITEM_WORDS",
    "LINKED_LIST_ITEMS",
    "LINKED_LIST_SHARE",
    "MAX_REPEATED_LINES",
    "MENU_HEAD_WORDS",
    "NOTICE_CHARS",
    "PROSE_CHARS",
    "PROSE_ITEMS",
    "PROSE_ITEM_WORDS",
    "REPEATED",
    "SHORT",
    "Cleaned",
    "PageContext",
    "clean_blocks",
    "dedupe_adjacent",
    "label_keys",
    "opens_with",
]
