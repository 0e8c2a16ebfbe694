"""Page facts shared by the field finders: the page's visible text."""

from __future__ import annotations

from scraper.extraction import extract
from scraper.extraction.document import load
from scraper.extraction.page import Page, page_text


def text_of(html: str) -> str:
    return page_text(Page(load(html.encode(), None).tree, None))


def test_visible_text_skips_scripts_styles_and_noscript_but_not_their_tails() -> None:
    html = (
        "<html><body>One <script>var x = 1;</script>two <style>p {}</style>three "
        "<noscript><p>enable js</p></noscript>four <!-- note -->five</body></html>"
    )
    assert text_of(html) == "One two three four five"


def test_text_after_a_second_body_is_read() -> None:
    html = "<html><body><p>First part</p></body></html><html><body><p>Second part</p></body></html>"
    assert text_of(html) == "First part Second part"


def test_many_inline_tags_with_whitespace_between_them() -> None:
    # the XPath this walk replaced was quadratic here (60,000 rows took 25 s); the time
    # bound itself is enforced from outside the worker (tests/reliability)
    rows = 20_000
    html = "<html><body>" + "<p><a>x</a> <i>y</i></p>\n" * rows + "</body></html>"
    assert text_of(html) == " ".join(["x y"] * rows)
    smaller = "<html><body>" + "<p><a>x</a> <i>y</i></p>\n" * 5_000 + "</body></html>"
    assert extract(smaller, "https://many.example/rows", timeout=60.0).body.startswith("x y")
