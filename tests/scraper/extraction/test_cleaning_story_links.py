"""Links to other stories set inside the article (boxes of linked items, story cards) and
paragraphs printed again as an image's caption."""

from __future__ import annotations

from scraper.extraction import extract
from scraper.extraction.body import Block
from scraper.extraction.cleaning import PageContext, clean_blocks
from scraper.extraction.text import norm

PROSE = [
    "The harbour board met on Tuesday evening to decide the future of the old ferry pier.",
    "Members heard from fishermen, shop owners and an engineer who inspected the pilings.",
    "The engineer said the timber had rotted below the waterline and could not be saved.",
    "A vote on rebuilding the pier in concrete is expected at the board's next meeting.",
    "Until then the pier stays closed, and the ferry will use the north quay instead.",
    "Shop owners on the waterfront said they feared a long closure would cost them trade.",
    "The board's chair promised a decision before the summer, when visitor numbers peak.",
    "Engineers will take core samples from the seabed next month to plan the foundations.",
    "The pier was built in 1911 and last repaired after the great storm of the seventies.",
    "Residents can comment on the plans at the town hall until the end of the month.",
]


def _kept(blocks: list[Block], context: PageContext | None = None) -> list[str]:
    return [b.text for b in clean_blocks(blocks, context or PageContext()).blocks]


def _linked_item(kicker: str, title: str) -> Block:
    """A list item "Kicker: <a>title</a>": one link, the kicker before it plain."""
    return Block("item", f"{kicker}: {title}", link_chars=len(title), links=1)


BOX = [
    _linked_item("Weather", "Storm warning issued for the whole coast tonight"),
    _linked_item("Transport", "Bus routes change as the bridge closes for repairs"),
    _linked_item("Schools", "New term starts a week late after the flooding"),
]


def test_box_of_linked_items_inside_the_article_is_dropped() -> None:
    story = [Block("p", text) for text in PROSE]
    kept = _kept([*story[:3], *BOX, *story[3:]])
    assert kept == PROSE


def test_two_linked_items_are_not_yet_a_box() -> None:
    story = [Block("p", text) for text in PROSE]
    kept = _kept([*story[:3], *BOX[:2], *story[3:]])
    assert [b.text for b in BOX[:2]] == kept[3:5]


def test_list_with_prose_around_its_links_stays() -> None:
    # each item a link to a source, but most of its words the writer's own
    sources = [
        Block(
            "item",
            "The inspection report, published in May, found rot in nine of twelve pilings",
            link_chars=21,
            links=1,
        )
        for _ in range(3)
    ]
    story = [Block("p", text) for text in PROSE]
    assert len(_kept([*story[:3], *sources, *story[3:]])) == len(PROSE) + 3


def test_page_made_mostly_of_linked_lists_keeps_them() -> None:
    # a roundup: the lists are what the page is for
    intro = Block("p", PROSE[0])
    lists = [*BOX, Block("p", PROSE[1]), *BOX]
    kept = _kept([intro, *lists])
    assert len(kept) == 1 + len(lists)


def test_linked_box_end_to_end() -> None:
    items = "".join(
        f"<li><strong>{kicker}:</strong> <a href='/story/{n}'>{title}</a></li>"
        for n, (kicker, title) in enumerate(
            [
                ("Weather", "Storm warning issued for the whole coast tonight"),
                ("Transport", "Bus routes change as the bridge closes for repairs"),
                ("Schools", "New term starts a week late after the flooding"),
            ]
        )
    )
    paragraphs = [f"<p>{text}</p>" for text in PROSE]
    html = (
        "<html><head><title>Pier</title></head><body><article><h1>Pier</h1>"
        + "".join(paragraphs[:3])
        + f"<ul>{items}</ul>"
        + "".join(paragraphs[3:])
        + "</article></body></html>"
    )
    body = extract(html, "https://example.org/pier").body
    assert PROSE[-1] in body
    assert "Storm warning" not in body
    assert "Bus routes" not in body


def test_paragraph_printed_again_as_a_caption_stays_once() -> None:
    line = "Only two of the twelve pilings can be reused, the engineer found"
    context = PageContext(captions=frozenset({norm(line)}))
    blocks = [
        Block("p", PROSE[0]),
        Block("p", line),  # under the photo
        Block("p", PROSE[1]),
        Block("p", line + "."),  # in the story
        Block("p", PROSE[2]),
    ]
    assert _kept(blocks, context) == [PROSE[0], PROSE[1], line + ".", PROSE[2]]


def test_caption_printed_once_is_still_dropped() -> None:
    line = "Only two of the twelve pilings can be reused, the engineer found"
    context = PageContext(captions=frozenset({norm(line)}))
    blocks = [Block("p", PROSE[0]), Block("p", line), Block("p", PROSE[1])]
    assert _kept(blocks, context) == PROSE[:2]
