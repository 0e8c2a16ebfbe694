"""The one-walk version of trafilatura's ``AUTHOR_XPATHS`` selects what they select."""

from __future__ import annotations

from trafilatura.xpaths import AUTHOR_XPATHS

from scraper.extraction.byline_generic import trafilatura_author_elements
from scraper.extraction.document import load_html

# one element per clause of each expression, plus near misses
PAGE = (
    """<html><body>
<a rel="author">a1</a><span id="author">a2</span><div class="author">a3</div>
<p itemprop="author name">a4</p><strong data-testid="AuthorCard">a5</strong>
<address data-testid="AuthorURL">a6</address><link class="x author-name y">
<span class="AuthorName">a8</span><span class="authorName">a9</span>
<div><rel>me</rel>a10</div><div><rel>not me</rel>n1</div><author>a11</author>
<h3 class="byline">b1</h3><h4 class="username">b2</h4><p class="byl">b3</p>
<a class="BBL">b4</a><span itemprop="mainauthor">b5</span><div id="zuozhe">b6</div>
<div id="x-bianji">b7</div><p class="channel-name">b8</p><span class="posted-by">b9</span>
<span class="journalist-name">b10</span><h2 class="author">n2</h2><em class="byline">c1</em>
<section data-component="TopByline">c2</section><i id="Author-box">c3</i>
<b class="screenname">c4</b><b class="writer">c5</b><b class="Byline">c6</b>
<b class="byline ">c7</b><div class="">n3</div><div id="">n4</div><h1 class="AUTHOR">n5</h1>
"""
    + "".join(f'<span class="author">{i}</span>' for i in range(30))
    + "</body></html>"
)


def test_same_elements_as_trafilatura_xpaths() -> None:
    tree = load_html(PAGE)
    assert tree is not None
    expected = [expression(tree)[:20] for expression in AUTHOR_XPATHS]
    assert trafilatura_author_elements(tree) == expected
    assert all(expected)
    assert [len(e) for e in expected] == [20, 20, 20]


def test_same_elements_on_small_page() -> None:
    tree = load_html(PAGE.split("<h2")[0] + "</body></html>")
    assert tree is not None
    expected = [expression(tree)[:20] for expression in AUTHOR_XPATHS]
    assert trafilatura_author_elements(tree) == expected
    assert [e.text_content() for e in expected[0]] == [
        "a1", "a2", "a3", "a4", "a5", "a6", "", "a8", "a9", "mea10", "a11"
    ]  # fmt: skip
