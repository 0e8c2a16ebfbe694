"""The work skipped for speed changes nothing a reader sees: scripts, styles and the head's
meta/link elements are dropped before trafilatura (JSON kept), link targets are not resolved."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.extractor import _drop_unread

_PROSE = (
    "The ferry between the two islands will run every hour from the first of June, the "
    "harbour office said on Monday, after a winter of repairs to the landing stage."
)


def test_drop_scripts_keeps_json_and_tails() -> None:
    tree = fromstring(
        "<html><head><style>p {color: red}</style>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
        "<body><p>Before<script>var x = 1;</script> and after.</p>"
        '<script type="module">import x from "y";</script><p>Next</p></body></html>'
    )
    _drop_unread(tree)
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert not list(tree.iter("style"))
    assert tree.find(".//p").text_content() == "Before and after."


def test_drop_unread_empties_the_head_but_its_title() -> None:
    tree = fromstring(
        '<html><head><meta charset="utf-8"><title>Hourly ferry</title>'
        '<link rel="canonical" href="/a"><meta name="description" content="Ferry"></head>'
        '<body><div itemscope><link itemprop="url" href="/a"><p>Text</p></div></body></html>'
    )
    _drop_unread(tree)
    assert [e.tag for e in tree.find("head")] == ["title"]
    assert tree.find("body").find(".//link") is not None  # the body's own are content markup


def test_article_only_in_json_ld_is_still_found() -> None:
    """trafilatura's baseline reads ``articleBody`` from JSON-LD when the page shows little."""
    article = " ".join([_PROSE] * 3)
    html = (
        '<html><head><meta charset="utf-8"><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hourly ferry",'
        f' "articleBody": "{article}"}}</script></head>'
        "<body><div id='app'>Loading</div><script>render(app)</script></body></html>"
    )
    result = extract(html.encode(), "https://islands.example/news/hourly-ferry")
    assert "landing stage" in result.body


def test_script_text_never_reaches_the_body() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>Hourly ferry</title></head><body><article>'
        f"<h1>Hourly ferry</h1><p>{_PROSE}</p><script>window.trackerQueue = [1, 2, 3];</script>"
        f"<p>{_PROSE.replace('June', 'July')}</p></article></body></html>"
    )
    result = extract(html.encode(), "https://islands.example/news/hourly-ferry")
    assert "trackerQueue" not in result.body
    assert "first of July" in result.body and "first of June" in result.body


def test_hidden_class_prefilter_admits_every_hiding_class() -> None:
    """drop_hidden judges a class only when a cheap search finds a hint in it: every class
    token it drops, and every hover-card spelling, must hold that hint."""
    from scraper.extraction.dom import _HIDDEN_CLASS, _MAY_HIDE, _POPUP_CLASS

    for token in _HIDDEN_CLASS:
        assert _MAY_HIDE.search(token), token
    for popup in ("tooltip", "hovercard", "hover-card", "popover", "popup-card"):
        assert _POPUP_CLASS.search(popup) and _MAY_HIDE.search(popup), popup


def test_captcha_gate_admits_every_recaptcha_spelling() -> None:
    from scraper.extraction.dom import _CAPTCHA_MARKS, _RECAPTCHA_SPELLINGS

    for spelling in _RECAPTCHA_SPELLINGS:
        assert any(mark in spelling for mark in _CAPTCHA_MARKS), spelling
