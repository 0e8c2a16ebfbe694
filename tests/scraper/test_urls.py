"""Canonical URLs, scope and filters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.urls import (
    MAX_URL_LENGTH,
    InvalidURL,
    Scope,
    UrlFilter,
    URLTooLong,
    canonicalize,
    host_key,
    origin_of,
    try_canonicalize,
)


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("HTTP://Example.COM:80/a", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://example.com/a#comments", "http://example.com/a"),
        ("http://example.com/a?utm_source=tw&utm_medium=social", "http://example.com/a"),
        ("http://example.com/a?id=3&fbclid=abc&gclid=x&b=1", "http://example.com/a?b=1&id=3"),
        ("http://example.com/a?b=2&a=1&b=1", "http://example.com/a?a=1&b=2&b=1"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/%7Euser/%61rticle", "http://example.com/~user/article"),
        ("http://example.com/a%2fb", "http://example.com/a%2Fb"),
        ("http://example.com/caf\u00e9 news", "http://example.com/caf%C3%A9%20news"),
        ("http://example.com/100%", "http://example.com/100%25"),
        ("http://user:pw@Example.com/", "http://example.com/"),
        ("http://example.com./x", "http://example.com/x"),
        ("http://b\u00fccher.de/", "http://xn--bcher-kva.de/"),
        # UTS 46 / IDNA 2008: ß and ς are letters of their own, not "ss" and "σ" (IDNA 2003)
        ("http://stra\u00dfe.de/", "http://xn--strae-oqa.de/"),
        ("http://STRA\u00dfE.de/", "http://xn--strae-oqa.de/"),
        ("http://\u03c3\u03bf\u03c6\u03bf\u03c2.gr/", "http://xn--0xaajbq.gr/"),
        ("http://\uff45xample.com/", "http://example.com/"),  # full-width letters mapped
        ("http://example.com/News/Story/", "http://example.com/News/Story/"),
        ("  http://example.com/a  ", "http://example.com/a"),
        ("http://example.com/a?", "http://example.com/a"),
        ("http://example.com/a?q=caf%c3%a9", "http://example.com/a?q=caf%C3%A9"),
    ],
)
def test_canonical_forms(given_url: str, expected: str) -> None:
    assert canonicalize(given_url) == expected


def test_tracking_duplicates_collapse_to_one_url() -> None:
    variants = [
        "https://news.example/story-1",
        "https://NEWS.example:443/story-1#top",
        "https://news.example/story-1?utm_campaign=x&utm_source=y",
        "https://news.example/story-1?fbclid=IwAR0",
        "https://news.example/%73tory-1",
    ]
    assert {canonicalize(v) for v in variants} == {"https://news.example/story-1"}


def test_extra_strip_params() -> None:
    assert canonicalize("http://e.com/a?ref=rss&x=1", strip_params={"REF"}) == "http://e.com/a?x=1"


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://e.com/",
        "mailto:a@b.c",
        "javascript:alert(1)",
        "/relative",
        "http://",
        "http://e.com:99999/",
    ],
)
def test_invalid_urls(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize(bad)
    assert try_canonicalize(bad) is None


def test_try_canonicalize_resolves_relative_links() -> None:
    assert try_canonicalize("../b?utm_id=1", base="http://e.com/x/y/z") == "http://e.com/x/b"
    assert try_canonicalize("//other.org/p", base="https://e.com/") == "https://other.org/p"


def test_host_key_and_origin() -> None:
    assert host_key("http://Example.com:80/x") == "example.com"
    assert host_key("http://127.0.0.2:8080/x") == "127.0.0.2:8080"
    assert origin_of("HTTPS://e.com:443/a/b") == "https://e.com"


def test_scope_exact_and_subdomain_patterns() -> None:
    scope = Scope.of(["news.example", "*.cdn.example"])
    assert "http://news.example/a" in scope
    assert "http://NEWS.example:8080/a" in scope
    assert "http://www.news.example/a" not in scope
    assert "http://img.cdn.example/a" in scope
    assert "http://cdn.example/a" in scope
    assert "http://evil.example/?news.example" not in scope
    assert "http://news.example.evil.com/" not in scope


def test_filter_include_exclude() -> None:
    f = UrlFilter.compile(include=[r"/news/[a-z0-9-]+-[0-9]+$"], exclude=["/tag/"])
    assert f("https://e.com/news/big-story-123")
    assert not f("https://e.com/news/big-story")
    assert not f("https://e.com/tag/news/big-story-123")
    assert UrlFilter.compile()("https://e.com/anything")
    assert not UrlFilter.compile(exclude=["\\.pdf$"])("https://e.com/a.pdf")


_segment = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8
)


@given(
    path=st.lists(_segment, max_size=4),
    query=st.lists(st.tuples(_segment, _segment), max_size=3),
    fragment=_segment,
)
def test_canonicalize_is_idempotent(
    path: list[str], query: list[tuple[str, str]], fragment: str
) -> None:
    url = "http://Example.com/" + "/".join(path)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query)
    url += "#" + fragment
    try:
        once = canonicalize(url)
    except InvalidURL:
        return
    assert canonicalize(once) == once
    assert "#" not in once


def test_non_ascii_hosts_match_what_httpx_sends() -> None:
    """The frontier's host must be the host httpx connects to, or politeness keys split."""
    import httpx

    for host in ("stra\u00dfe.de", "b\u00fccher.de", "\u03c3\u03bf\u03c6\u03bf\u03c2.gr"):
        sent = httpx.URL(f"http://{host}/a").raw_host.decode("ascii")
        assert canonicalize(f"http://{host}/a") == f"http://{sent}/a"


def test_too_long_urls_and_host_names_are_refused_with_a_reason() -> None:
    path = "/" + "a" * MAX_URL_LENGTH
    with pytest.raises(URLTooLong, match="characters"):
        canonicalize("http://example.com" + path)
    assert canonicalize("http://example.com" + path[: MAX_URL_LENGTH - 20])
    long_host = ".".join(["a" * 60] * 5) + ".example"  # 313 characters
    with pytest.raises(URLTooLong, match="host name"):
        canonicalize(f"http://{long_host}/a")
    with pytest.raises(URLTooLong):
        canonicalize(f"http://{'b' * 64}.example/a")  # one label past 63
    assert try_canonicalize("http://example.com/" + "x" * 100_000) is None
    # A tracking parameter that makes a URL long is stripped, not a reason to refuse.
    assert canonicalize("http://example.com/a?utm_source=" + "x" * 3000) == "http://example.com/a"


def test_origin_of_an_ipv6_literal_keeps_its_brackets() -> None:
    from scraper.urls import origin_of

    assert origin_of("http://[::1]:8080/news/a") == "http://[::1]:8080"
    assert origin_of("https://[2001:DB8::1]/a") == "https://[2001:db8::1]"
    assert origin_of("http://Example.COM:80/a") == "http://example.com"
