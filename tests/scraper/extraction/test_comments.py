"""Comment threads named after what they belong to ("story-comments") are no part of the
story: trafilatura only knows threads whose names begin with "comment"."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.comments import drop_comment_threads

URL = "https://harbour.example/news/ferry-returns"
STORY = "".join(
    f"<p>The ferry returned to the old pier on day {n} of the repairs, the harbour master "
    "said, and the crossing will run to the usual timetable from next week.</p>"
    for n in range(6)
)
COMMENTS = "".join(
    f"<div class='fill'><blockquote><p>What a waste of money this ferry is, number {n}!</p>"
    f"<cite>Posted by: <strong>Reader {n} of Harbour Town</strong> on 3 June at 18:{n}0</cite>"
    "</blockquote></div>"
    for n in range(4)
)


def page(thread_name: str, article_class: str = "story") -> str:
    return (
        "<html><head><title>Ferry returns</title></head><body>"
        f"<div class='{article_class}'><h1>Ferry returns</h1>{STORY}</div>"
        f"<div id='{thread_name}'><h3>Readers write</h3>{COMMENTS}</div></body></html>"
    )


def test_a_thread_named_after_the_story_is_left_out_of_the_body() -> None:
    result = extract(page("story-comments"), URL)
    assert "waste of money" not in result.body
    assert "usual timetable" in result.body
    assert "comment-threads:1" in result.notes
    assert result.authors == ()  # "Posted by: Reader 0" signs a comment, not the story


def test_a_class_that_says_the_story_has_comments_does_not_remove_the_story() -> None:
    tree = fromstring(page("reader_comments", article_class="story has-comments"))
    assert drop_comment_threads(tree) == 1
    assert "usual timetable" in tree.text_content()
    assert "waste of money" not in tree.text_content()


def test_a_thread_holding_most_of_the_pages_words_is_misnamed_and_stays() -> None:
    tree = fromstring(
        f"<html><body><div class='user-comments'><h2>Ferry</h2>{STORY}</div>"
        f"<p>A short note below.</p></body></html>"
    )
    assert drop_comment_threads(tree) == 0
    assert "usual timetable" in tree.text_content()


def test_a_thread_name_around_the_pages_heading_is_the_story_and_stays() -> None:
    # a short story in a box named like a thread, beside a longer column of other text: the
    # story's <h1> inside says the name is wrong
    tree = fromstring(
        "<html><body><div class='story_comments'><h1>Ferry returns</h1>"
        "<p>The ferry is back at the old pier, the harbour master said.</p></div>"
        f"<div class='column'>{STORY}</div></body></html>"
    )
    assert drop_comment_threads(tree) == 0
    assert tree.find(".//h1") is not None
