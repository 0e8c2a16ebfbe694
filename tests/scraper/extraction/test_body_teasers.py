"""Teaser cards: a list of linked story titles, each with a summary, is not the article."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.structure import teasers_of
from scraper.extraction.text import norm

STORY = [
    "The county council voted on Tuesday evening to close the old ferry landing at the end "
    "of Mill Street, ending a crossing that has run every summer since the bridge washed out.",
    "Councillors said the landing's pilings had rotted beyond repair and that a survey in "
    "spring found the deck unsafe for the tractors that haul the ferry's cable each morning.",
    "Residents of the far bank, who use the ferry to reach the school and the weekly market, "
    "asked the council to pay for a shuttle bus until a new landing can be built downstream.",
    "The council agreed to study the shuttle and will report back at its next meeting, the "
    "chair said, adding that no money had yet been set aside for a new landing in this budget.",
]
OTHERS = [
    (
        "Orchard growers count the cost of a late frost",
        "Apple and pear growers on the "
        "south slope say a single cold night in May took half of this year's blossom.",
    ),
    (
        "Library reopens after two years of repairs",
        "The reading room has new windows, a "
        "lift to the upper gallery and longer opening hours on weekday evenings.",
    ),
    (
        "Fishing fleet returns early as storms close in",
        "Skippers brought their boats home "
        "three days ahead of schedule after the coast guard warned of gales on the weekend.",
    ),
    (
        "School board names a new head for the valley schools",
        "The former deputy of the "
        "secondary school takes over in September and plans to meet parents in August.",
    ),
]


def _card(title: str, summary: str, href: str = "/news/other") -> str:
    return (
        f"<li><a href='{href}'><img src='t.jpg' alt=''></a>"
        f"<h3><a href='{href}'>{title}</a></h3><p>{summary}</p><span>Valley Post</span></li>"
    )


def _page(aside: str) -> str:
    """The story, then a list of other stories in the same column."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        "<html><head><title>Ferry landing to close</title></head><body><div class='main'>"
        f"<h1>Ferry landing to close</h1>{paragraphs}<ul>{aside}</ul>"
        "</div></body></html>"
    )


def test_summaries_of_listed_teaser_cards_are_dropped() -> None:
    cards = "".join(_card(t, s, f"/news/{i}") for i, (t, s) in enumerate(OTHERS))
    result = extract(_page(cards), "https://valley.example/news/ferry")
    assert all(p in result.body for p in STORY)
    for _, summary in OTHERS:
        assert summary.split(",")[0] not in result.body
    assert "dropped:teaser=4" in result.notes


def test_cards_are_found_in_the_structure() -> None:
    cards = "".join(_card(t, s) for t, s in OTHERS)
    found = teasers_of(fromstring(_page(cards)))
    assert norm(OTHERS[0][1]) in found
    assert not any(norm(p) in found for p in STORY)


def test_fewer_than_three_cards_are_no_list() -> None:
    cards = "".join(_card(t, s) for t, s in OTHERS[:2])
    assert teasers_of(fromstring(_page(cards))) == frozenset()


def test_headings_naming_people_or_linking_within_the_page_make_no_cards() -> None:
    # comments under a story: the linked heading is the commenter's name
    comments = "".join(
        f"<li><h4><a href='/users/{i}'>Ann Dale</a></h4><p>{s}</p></li>"
        for i, (_, s) in enumerate(OTHERS)
    )
    assert teasers_of(fromstring(_page(comments))) == frozenset()
    # numbered sections whose titles link to themselves (permalinks)
    sections = "".join(
        f"<li><h3><a href='#s{i}'>{t}</a></h3><p>{s}</p></li>" for i, (t, s) in enumerate(OTHERS)
    )
    assert teasers_of(fromstring(_page(sections))) == frozenset()


def test_long_sections_under_linked_headings_are_no_cards() -> None:
    long_text = " ".join(STORY * 2)
    sections = "".join(
        f"<li><h3><a href='/topic/{i}'>{t}</a></h3><p>{long_text}</p></li>"
        for i, (t, _) in enumerate(OTHERS)
    )
    assert teasers_of(fromstring(_page(sections))) == frozenset()


def test_a_page_that_is_only_teasers_keeps_them() -> None:
    cards = "".join(_card(t, s, f"/news/{i}") for i, (t, s) in enumerate(OTHERS))
    html = (
        "<html><head><title>Valley news</title></head><body><main><h1>Valley news</h1>"
        f"<ul>{cards}</ul></main></body></html>"
    )
    result = extract(html, "https://valley.example/news/")
    assert OTHERS[1][1] in result.body
    assert "dropped:teaser-refused=4" in result.notes


def test_linked_headings_to_other_sites_are_a_roundups_items_not_teasers() -> None:
    # a roundup: each item's heading links to a shop or a source elsewhere; its text is ours
    cards = "".join(_card(t, s, f"https://shop{i}.example/item") for i, (t, s) in enumerate(OTHERS))
    result = extract(_page(cards), "https://valley.example/news/ferry")
    for _, summary in OTHERS:
        assert summary.split(",")[0] in result.body
    # the same links on the site's own stories, or a sister subdomain, are teasers
    cards = "".join(
        _card(t, s, f"https://www.valley.example/news/{i}") for i, (t, s) in enumerate(OTHERS)
    )
    found = teasers_of(fromstring(_page(cards)), ["https://news.valley.example/ferry"])
    assert norm(OTHERS[0][1]) in found


def test_cards_whose_heading_is_wrapped_in_its_link_are_found() -> None:
    cards = "".join(
        f"<li><a href='/news/{i}'><h3>{t}</h3></a><p>{s}</p></li>"
        for i, (t, s) in enumerate(OTHERS)
    )
    found = teasers_of(fromstring(_page(cards)))
    assert norm(OTHERS[0][1]) in found
    assert not any(norm(p) in found for p in STORY)
