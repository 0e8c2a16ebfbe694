"""A linked item in a list of prose items is one of the article's points, not navigation."""

from __future__ import annotations

from lxml import etree

from scraper.extraction.body import Block, blocks_of
from scraper.extraction.cleaning import PageContext, clean_blocks

POINTS = [
    "The night bus now stops at the hospital gate instead of the car park.",
    "Tickets bought on the app are valid for ninety minutes on every line.",
    "Bikes may be taken on trams outside the morning and evening rush hours.",
]
LINKED = "Read the full timetable for the winter months"


def _kept(blocks: list[Block]) -> list[str]:
    return [b.text for b in clean_blocks(blocks, PageContext()).blocks]


def test_blocks_of_numbers_each_list() -> None:
    body = etree.fromstring(
        "<body><list><item>one</item><item>two</item></list><p>between</p>"
        "<list><item>three</item></list></body>"
    )
    assert [(b.text, b.list_id) for b in blocks_of(body)] == [
        ("one", 1),
        ("two", 1),
        ("between", 0),
        ("three", 2),
    ]


def test_linked_item_among_prose_items_is_kept() -> None:
    items = [Block("item", LINKED, len(LINKED), 1, list_id=1)]
    items += [Block("item", text, list_id=1) for text in POINTS]
    assert LINKED in _kept(items)


def test_list_of_links_is_still_dropped() -> None:
    links = ["Timetables and fares", "Night buses", "Lost property office", "Contact us"]
    items = [Block("item", text, len(text), 1, list_id=1) for text in links]
    items.append(Block("item", LINKED, len(LINKED), 1, list_id=1))
    items.append(Block("item", POINTS[0], list_id=1))  # one point among links
    assert _kept(items) == [POINTS[0]]


def test_prose_items_of_another_list_do_not_count() -> None:
    items = [Block("item", LINKED, len(LINKED), 1, list_id=1)]
    items += [Block("item", text, list_id=2) for text in POINTS]
    assert LINKED not in _kept(items)


def test_table_rows_carry_their_links() -> None:
    body = etree.fromstring(
        "<body><table><row><cell><ref>Home</ref></cell><cell><ref>Sports</ref></cell>"
        "<cell><ref>Weather</ref></cell></row>"
        "<row><cell><ref>Harbour Rovers</ref></cell><cell>3</cell><cell>1</cell></row>"
        "</table></body>"
    )
    rows = blocks_of(body)
    assert [(b.text, b.link_chars, b.links) for b in rows] == [
        ("Home | Sports | Weather", 17, 3),
        ("Harbour Rovers | 3 | 1", 14, 1),
    ]


def test_row_of_links_is_dropped_and_data_row_is_kept() -> None:
    menu = "Privacy policy | Terms of use | Contact the newsroom"
    data = "Harbour Rovers | 3 | 1 | Mill Town"
    rows = [Block("row", menu, 46, 3), Block("row", data, 23, 2)]
    assert _kept(rows) == [data]


def test_nested_list_items_are_read_once_each() -> None:
    # an item holding a list: its own words are one item, the nested items are theirs
    body = etree.fromstring(
        "<body><list><item>Ferries from the <hi>north</hi> quay<list><item>Night crossings"
        "</item><item>Day crossings</item></list> daily</item><item>Buses</item>"
        "<item><list><item>Trams</item></list></item></list></body>"
    )
    assert [(b.kind, b.text, b.list_id) for b in blocks_of(body)] == [
        ("item", "Ferries from the north quay daily", 1),
        ("item", "Night crossings", 1),
        ("item", "Day crossings", 1),
        ("item", "Buses", 1),
        ("item", "Trams", 1),
    ]
