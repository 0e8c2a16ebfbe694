"""A client-rendered page whose article exists only in a script's state."""

from __future__ import annotations

import json

import pytest

from scraper.extraction import extract

PARAGRAPHS = [
    "The night ferry will run again from the first of May, the operator said on Tuesday, "
    "after two winters in which the crossing was suspended for repairs.",
    "Tickets go on sale next week, and season passes bought before the suspension will "
    "be honoured until the end of the year, according to the timetable published today.",
    "Local businesses on both sides of the estuary welcomed the news and said late "
    "visitors had been missed in the evenings.",
]


def client_rendered(state: dict[str, object], *, escaped: bool = False) -> str:
    data = json.dumps(state)
    if escaped:  # as many frameworks write it, so that no "</script>" can occur
        data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        "<html><head><title>Night ferry returns</title></head><body>"
        "<main><div class='spinner'><svg></svg></div></main>"
        f"<script>window.__STATE__ = window.__STATE__ || []; window.__STATE__.push({data});"
        "</script></body></html>"
    )


@pytest.mark.parametrize("escaped", [False, True])
def test_article_shipped_as_html_in_script_state_is_read(escaped: bool) -> None:
    html = "".join(f"<p class='editor-p'>{p}</p>" for p in PARAGRAPHS)
    state = {"article": {"id": 7, "title": "Night ferry returns", "contentHtml": html}}
    result = extract(client_rendered(state, escaped=escaped), "https://estuary.example/ferry")
    assert result.paragraphs == PARAGRAPHS
    assert "embedded-article" in result.notes


def test_script_strings_without_an_article_are_not_used() -> None:
    state = {"banner": "<p>Accept cookies</p><p>Manage settings</p>", "title": "Ferry"}
    result = extract(client_rendered(state), "https://estuary.example/ferry")
    assert "Accept cookies" not in result.body


def test_page_with_its_article_in_the_dom_ignores_script_copies() -> None:
    other = "<p>" + "A different text kept in the script state for another view. " * 5 + "</p>"
    state = {"contentHtml": other * 3}
    html = client_rendered(state).replace(
        "<main><div class='spinner'><svg></svg></div></main>",
        "<main><article><h1>Night ferry</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></main>",
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == PARAGRAPHS


def test_a_script_string_that_is_not_json_is_passed_over() -> None:
    # JavaScript escapes ("\x27") are no JSON: that string is skipped, not a crash, and the
    # article in the state is still found
    longer = "".join(f"<p>{p} It\\x27s longer.</p>" for p in PARAGRAPHS)
    html = client_rendered(
        {"article": {"contentHtml": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)}}
    ).replace("<script>", f'<script>var draft = "{longer}";')
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == PARAGRAPHS
    assert "embedded-article" in result.notes


def test_one_long_paragraph_in_a_script_is_no_article() -> None:
    # a promotion's text, however long, is one paragraph: an article holds several
    promo = " ".join(PARAGRAPHS)
    assert len(promo) > 300
    result = extract(client_rendered({"promo": f"<p>{promo}</p>"}), "https://estuary.example/x")
    assert "night ferry" not in result.body
    assert "embedded-article" not in result.notes


def test_an_external_script_beside_the_state_is_passed_over() -> None:
    # <script src=...> has no code to read
    html = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = client_rendered({"article": {"contentHtml": html}}).replace(
        "<script>", "<script src='/static/app.js'></script><script>"
    )
    result = extract(page, "https://estuary.example/ferry")
    assert result.paragraphs == PARAGRAPHS
    assert "embedded-article" in result.notes
