"""A story without prose (a picture post): trafilatura's last resort is the whole page's
text; the story is read from the post around its printed headline instead."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.page_dump import blocks_in, story_container

MENU = "".join(
    f'<li><a href="/section/{n}">Section number {n} of the harbour paper</a></li>'
    for n in range(12)
)
FOOTER = "<footer><p>Harbour Post, 1 Quay Street. All rights reserved.</p></footer>"


def picture_post(post_class: str = "post") -> str:
    return (
        "<html><head><title>Ferry at dawn | Harbour Post</title></head><body>"
        f"<nav><ul>{MENU}</ul></nav>"
        f'<div class="{post_class}"><header class="entry-header"><h1>Ferry at dawn</h1>'
        '<div class="entry-meta">4 June 2024</div></header>'
        '<div class="entry-content"><img src="/ferry.jpg"><p>Just look at it.</p></div>'
        '<div class="share-buttons"><a href="/share">Share this post</a></div>'
        '<div id="comments"><p>Lovely picture, thank you for posting it today!</p></div>'
        f"</div>{FOOTER}</body></html>"
    )


def test_a_picture_post_gives_its_own_line_not_the_whole_page() -> None:
    result = extract(picture_post(), "https://harbour.example/2024/06/ferry-at-dawn")
    assert result.body == "Just look at it."
    assert "page-dump:story-container" in result.notes


def test_without_a_post_around_the_headline_the_page_text_is_kept() -> None:
    # nothing marks where the story is: the dump is all there is
    result = extract(picture_post("box"), "https://harbour.example/2024/06/ferry-at-dawn")
    assert "Just look at it." in result.body
    assert "page-dump:story-container" not in result.notes


def test_the_container_is_the_post_not_the_headlines_own_header() -> None:
    tree = fromstring(picture_post())
    container = story_container(tree, "Ferry at dawn")
    assert container is not None
    assert container.get("class") == "post"


def test_blocks_in_leave_out_sharing_and_comments_and_count_link_text() -> None:
    tree = fromstring(
        '<div class="post"><p>Just <a href="/x">look</a> at it.</p><br>A line after a break'
        '<div class="sharedaddy">Share this</div><ol class="commentlist"><li>Nice!</li></ol>'
        "<script>var a = 1;</script>Closing words</div>"
    )
    blocks = blocks_in(tree)
    texts = [b.text for b in blocks]
    assert texts == ["Just look at it.", "A line after a break", "Closing words"]
    assert blocks[0].link_chars == len("look")


def test_blocks_in_fold_typographic_and_zero_width_spaces_as_the_body_does() -> None:
    tree = fromstring('<div class="post"><p>Ferry\u200b at\u2009dawn,\u00a0again</p></div>')
    assert [b.text for b in blocks_in(tree)] == ["Ferry at dawn, again"]


def test_a_headline_the_page_does_not_print_in_a_heading_has_no_container() -> None:
    tree = fromstring(picture_post())
    assert story_container(tree, "Ferry at noon") is None


def test_a_headline_without_letters_or_digits_matches_no_empty_heading() -> None:
    # an empty heading (an icon's) squashes to nothing, as "***" does: no match
    tree = fromstring(picture_post().replace("<h1>Ferry at dawn</h1>", "<h1></h1>"))
    assert story_container(tree, "***") is None
