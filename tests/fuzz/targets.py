"""The fuzz targets: what each parser may do with hostile input, and what is a bug.

A parser may return, or raise the error type it documents; any other exception, or an
internal failure our own wrapper turned into a generic error, is a bug.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from scraper.discovery import discover
from scraper.errors import ExtractionError
from scraper.extraction import extract
from scraper.urls import InvalidURL, canonicalize, try_canonicalize
from tests.fuzz import strategies as s


def check_canonicalize(url: str) -> None:
    """canonicalize returns an absolute http(s) URL or raises InvalidURL; canonical is a fixed point."""
    try:
        canonical = canonicalize(url)
    except InvalidURL:
        assert try_canonicalize(url) is None
        return
    assert canonical.startswith(("http://", "https://")), canonical
    assert canonicalize(canonical) == canonical, f"not a fixed point: {url!r} -> {canonical!r}"


def check_resolve(args: tuple[str, str]) -> None:
    """try_canonicalize of a link against a base never raises."""
    link, base = args
    result = try_canonicalize(link, base=base)
    assert result is None or result.startswith(("http://", "https://"))


def check_discover(args: tuple[bytes, str, str]) -> None:
    """discover reads any body as a feed, sitemap, URL list or page, and never raises."""
    body, url, kind = args
    found = discover(body, url, kind)
    assert all(isinstance(link.url, str) for link in found.links)


def check_extract(args: tuple[bytes | str, str | None]) -> None:
    """extract returns an Extraction or raises ExtractionError for input that is not a page;
    an ExtractionError wrapping another exception is a crash inside extraction."""
    html, url = args
    try:
        extract(html, url, timeout=10.0)
    except ExtractionError as exc:
        assert not exc.message.startswith("extraction failed:"), f"internal error: {exc.message}"


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Any]] = {
    "canonicalize": (s.urls, check_canonicalize),
    "resolve": (st.tuples(s.urls, s.structured_urls), check_resolve),
    "discover": (st.tuples(s.feed_bodies, s.structured_urls, s.seed_kinds), check_discover),
    "extract": (st.tuples(s.html_bodies, st.none() | s.structured_urls), check_extract),
}
