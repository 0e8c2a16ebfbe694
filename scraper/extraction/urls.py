"""Addresses read from a page: parsed without letting a malformed one (``http://[x``, an
invalid port) stop the extraction; a page's links are hostile input like the rest of it."""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit


def split_url(url: str) -> SplitResult | None:
    """``url`` split into its parts, or None when it cannot be parsed."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - a malformed port raises only when read
    except ValueError:
        return None
    return parts


def join_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, or None when either cannot be parsed."""
    try:
        joined = urljoin(base, href.strip())
    except ValueError:
        return None
    return joined if split_url(joined) is not None else None
