"""A paragraph the article prints twice in a row is kept twice; an extractor's double is not."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.body import Block
from scraper.extraction.cleaning import dedupe_adjacent
from scraper.extraction.dom import printed_runs

REFRAIN = (
    "The lighthouse keeper wrote the same line in the log every night, "
    "because the lamp had never once failed him in forty years."
)
OTHER = (
    "Visitors who climb the tower today can read the log in a glass case beside the "
    "old lens, where the pages fall open at the winter of the great storm."
)


def test_paragraph_printed_twice_in_a_row_is_kept_twice() -> None:
    html = (
        "<html><body><article><h1>The keeper's log</h1>"
        f"<p>{OTHER}</p><p>{REFRAIN}</p><img src='lamp.png'><p>{REFRAIN}</p><p>{OTHER} Again.</p>"
        "</article></body></html>"
    )
    result = extract(html, "https://coast.example/log")
    assert result.body.count("forty years") == 2


def test_copies_in_different_containers_are_no_run() -> None:
    tree = fromstring(
        "<html><body><div class='mobile'><p>" + REFRAIN + "</p></div>"
        "<div class='desktop'><p>" + REFRAIN + "</p></div>"
        "<div><p>" + OTHER + "</p><p>short line</p><p>" + OTHER + "</p></div></body></html>"
    )
    assert printed_runs(tree) == {}


def test_run_counts_sibling_copies_across_text_free_elements() -> None:
    tree = fromstring(
        f"<html><body><div><p>{REFRAIN}</p><svg></svg><p>{REFRAIN}</p><br><p>{REFRAIN}</p>"
        "</div></body></html>"
    )
    assert printed_runs(tree) == {" ".join(REFRAIN.split()): 3}


def test_extractor_doubles_are_dropped_unless_printed() -> None:
    blocks = [Block("p", OTHER), Block("p", OTHER), Block("p", REFRAIN)]
    assert dedupe_adjacent(blocks) == [Block("p", OTHER), Block("p", REFRAIN)]
    # the page prints REFRAIN three times in a row, the extractor kept one copy
    restored = dedupe_adjacent(blocks, {REFRAIN: 3})
    assert [b.text for b in restored] == [OTHER, REFRAIN, REFRAIN, REFRAIN]
