"""The public contract of ``extract``: types, errors, determinism, robustness."""

from __future__ import annotations

import codecs
import logging
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.errors import ExtractionError, ExtractionTimeout
from scraper.extraction import EXTRACTOR_VERSION, Extraction, extract

from .conftest import page

ARTICLE = (
    "<article><h1>Harbour boats</h1>"
    + "".join(
        f"<p>Paragraph {i} of a long story about the harbour, its boats and the people who work there every day.</p>"
        for i in range(12)
    )
    + "</article>"
)


def test_returns_extraction_with_typed_fields() -> None:
    result = extract(page("jsonld_graph.html"), "https://nordblick.example/lokales/x")
    assert isinstance(result, Extraction)
    assert isinstance(result.authors, tuple)
    assert result.published_at is not None and result.published_at.tzinfo is not None
    assert result.extractor == EXTRACTOR_VERSION
    assert "\n\n\n" not in result.body
    assert all(p.strip() == p and p for p in result.body.split("\n\n"))


def test_is_deterministic() -> None:
    html = page("messy_article.html")
    assert extract(html, "https://harbor.example/a") == extract(html, "https://harbor.example/a")


def test_str_and_bytes_give_the_same_result() -> None:
    html = page("meta_only.html")
    assert extract(html, "https://valley.example/a") == extract(
        html.decode("utf-8"), "https://valley.example/a"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        "",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        bytes(range(256)) * 40,
        b"just some plain text without any markup at all, many words long",
        b'{"json": "document", "not": "html"}',
    ],
)
def test_non_documents_raise(data: bytes | str) -> None:
    with pytest.raises(ExtractionError):
        extract(data, "https://example.org/x")


@pytest.mark.parametrize("data", [None, 42, ["<p>a list of strings</p>"]])
def test_what_is_neither_text_nor_bytes_is_refused_by_name(data: object) -> None:
    with pytest.raises(ExtractionError) as refused:
        extract(data, "https://example.org/x")  # type: ignore[arg-type]
    assert f"cannot extract from {type(data).__name__}" in str(refused.value)
    assert "extraction failed" not in str(refused.value)  # a refusal, not an internal error


def test_html_without_article_text_is_a_thin_result_not_an_error() -> None:
    result = extract(
        b"<html><head><title>Consent</title></head><body><p>Accept cookies?</p></body></html>"
    )
    assert isinstance(result, Extraction)
    assert result.word_count < 10


def test_truncated_html_still_extracts() -> None:
    html = ("<html><body>" + ARTICLE)[:900]
    result = extract(html, "https://example.org/a")
    assert "Paragraph 0" in result.body


def test_misdeclared_charset_does_not_crash_and_decodes() -> None:
    body = ARTICLE.replace("harbour", "Hafenstraße café").encode("cp1252")
    html = b'<html><head><meta charset="utf-8"></head><body>' + body + b"</body></html>"
    result = extract(html, "https://example.org/a")
    assert "Hafenstraße café" in result.body


def test_unknown_charset_label_falls_back() -> None:
    html = (
        b'<html><head><meta charset="x-no-such-charset"></head><body>'
        + ARTICLE.encode()
        + b"</body></html>"
    )
    assert "Paragraph 3" in extract(html).body


def test_utf16_with_bom_is_decoded() -> None:
    html = codecs.BOM_UTF16_LE + ("<html><body>" + ARTICLE + "</body></html>").encode("utf-16-le")
    assert "Paragraph 3" in extract(html).body


def test_latin1_declared_in_meta() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
        + ARTICLE.replace("harbour", "Übersee")
        + "</body></html>"
    ).encode("latin-1")
    assert "Übersee" in extract(html).body


def test_huge_page_of_scripts_is_reduced_and_extracted() -> None:
    html = (
        "<html><body>" + ARTICLE + "<script>" + "var a=1;" * 2_500_000 + "</script></body></html>"
    )
    result = extract(html, "https://example.org/a", timeout=60)
    assert "Paragraph 11" in result.body
    assert any(n.startswith("reduced:") for n in result.notes)


def test_many_nodes_do_not_crash() -> None:
    html = "<html><body>" + ARTICLE + "<div><span>x</span></div>" * 50_000 + "</body></html>"
    result = extract(html, "https://example.org/a", timeout=60)
    assert "Paragraph 5" in result.body


def test_deep_nesting_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 20_000 + ARTICLE + "</div>" * 20_000 + "</body></html>"
    assert isinstance(extract(html, "https://example.org/a", timeout=60), Extraction)


def test_data_nested_too_deeply_to_read_is_refused_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # JSON-LD nested beyond Python's recursion limit: hostile input, refused as such (not
    # logged as a failure of the extractor)
    nested = "[" * 100_000 + "]" * 100_000
    html = (
        f"<html><head><script type='application/ld+json'>{nested}</script></head>"
        f"<body>{ARTICLE}</body></html>"
    )
    with caplog.at_level(logging.ERROR), pytest.raises(ExtractionError) as refused:
        extract(html, "https://example.org/a")
    assert "nested too deeply" in str(refused.value)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_internal_error_is_an_extraction_error_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from scraper.extraction import extractor

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("a bug")

    monkeypatch.setattr(extractor, "captions_of", broken)  # a fault in one step
    with caplog.at_level(logging.ERROR), pytest.raises(ExtractionError) as failed:
        extract("<html><body>" + ARTICLE + "</body></html>", "https://example.org/a")
    assert "extraction failed: KeyError" in str(failed.value)
    assert isinstance(failed.value.__cause__, KeyError)
    assert any(r.levelno == logging.ERROR for r in caplog.records)  # loud: it is a bug


def test_time_bound_raises_extraction_timeout() -> None:
    html = "<html><body>" + ARTICLE + "<div><p>filler text</p></div>" * 60_000 + "</body></html>"
    with pytest.raises(ExtractionTimeout):
        extract(html, "https://example.org/a", timeout=0.01)


def test_control_characters_and_nul_bytes_inside_html() -> None:
    html = ("<html><body>" + ARTICLE.replace("boats", "bo\x00ats\x07") + "</body></html>").encode()
    assert "Paragraph 1" in extract(html).body


def test_dates_are_never_in_the_future() -> None:
    html = page("meta_only.html")
    result = extract(
        html, "https://valley.example/a", now=datetime.fromisoformat("2020-01-01T00:00:00+00:00")
    )
    assert result.published_at is None


TAGS = [
    "<p>",
    "</p>",
    "<div class='body'>",
    "</div>",
    "<h1>",
    "</h1>",
    "<script>",
    "<a href='/x'>",
    "</a>",
    "<!--",
    "-->",
    "<meta charset='x'>",
    "<table><tr><td>",
    "&amp;",
    "&#xD800;",
    "<![CDATA[",
    "<br/>",
    '<script type="application/ld+json">{"@graph": [',
    "<time datetime='2020-02-30'>",
    "\x00",
    "<html>",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=40)), max_size=40))
def test_no_input_crashes(parts: list[str]) -> None:
    html = "".join(parts)
    try:
        result = extract(html, "https://fuzz.example/a", timeout=20)
    except ExtractionError as exc:
        # a refusal of the input is fine; an internal error turned into one is a bug
        assert "extraction failed" not in str(exc)
        return
    assert isinstance(result, Extraction)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2000))
def test_no_bytes_crash(data: bytes) -> None:
    try:
        extract(
            b"<html><body><p>" + data + b"</p></body></html>", "https://fuzz.example/b", timeout=20
        )
    except ExtractionError as exc:
        assert "extraction failed" not in str(exc)
