"""A slideshow printed as a list of credited photo captions is no part of the story beside
it; on a page that is only the gallery, the captions are what there is."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.galleries import drop_caption_galleries

URL = "https://harbour.example/news/regatta"
STORY = "".join(
    f"<p>The regatta's {n}th race went to the harbour club after a close finish, the judges "
    "said, and the crews will meet again in the autumn series.</p>"
    for n in range(1, 6)
)
GALLERY = (
    "<ul class='slides'>"
    + "".join(
        f"<li><p>Boat {n} of the harbour club rounds the second buoy ahead of the "
        "island crew during the regatta's long race in the bay on Saturday afternoon, with the "
        f"old lighthouse behind. (Harbour Photo/Jo Ek {n})</p></li>"
        for n in range(30)
    )
    + "</ul>"
)


def test_a_gallery_of_credited_captions_beside_a_story_is_left_out() -> None:
    html = (
        f"<html><body><div class='story'><h1>Harbour club wins</h1>{STORY}</div>"
        f"<div class='promo'><p>Also on the site:</p>{GALLERY}</div></body></html>"
    )
    result = extract(html, URL)
    assert "close finish" in result.body
    assert "second buoy" not in result.body
    assert "caption-galleries:1" in result.notes


def test_a_page_that_is_only_a_gallery_keeps_its_captions() -> None:
    tree = fromstring(f"<html><body><h1>Regatta in pictures</h1>{GALLERY}</body></html>")
    assert drop_caption_galleries(tree) == 0
    assert "second buoy" in tree.text_content()


def test_a_list_of_uncredited_points_is_no_gallery() -> None:
    points = "<ul>" + "".join(f"<li>Point {n} of the plan for the harbour.</li>" for n in range(6))
    tree = fromstring(f"<html><body>{STORY}{points}</ul></body></html>")
    assert drop_caption_galleries(tree) == 0


def test_three_credited_items_among_other_children_are_no_gallery() -> None:
    # a short list of credited photos padded with ad slots: three items are not a slideshow
    items = "".join(
        f"<li>Boat {n} rounds the buoy in the bay. (Harbour Photo/Jo Ek)</li>" for n in range(3)
    )
    slots = "<div class='ad-slot'></div>" * 2
    tree = fromstring(f"<html><body>{STORY}{STORY}<ul>{items}{slots}</ul></body></html>")
    assert drop_caption_galleries(tree) == 0
    assert "rounds the buoy" in tree.text_content()
