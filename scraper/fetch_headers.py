"""The headers of one fetch: what is sent (validators byte for byte, Accept, cookies carried
across redirect hops), what is read (Retry-After), and the record kept of the exchange.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypedDict

import httpx


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class Exchange(TypedDict):
    http_version: str
    reason: str | None
    raw_headers: tuple[tuple[str, str], ...]
    request_headers: tuple[tuple[str, str], ...]


def exchange(response: httpx.Response) -> Exchange:
    """What a faithful record keeps of one exchange: the status line, the response's headers
    in order with duplicates, and the headers of the request that got it, each byte as one
    character (latin-1) so nothing a server sent is changed."""
    return Exchange(
        http_version=response.http_version,
        # the phrase as sent (httpx's reason_phrase drops non-ASCII and invents a missing one)
        reason=_reason(response.extensions.get("reason_phrase")),
        raw_headers=_latin1_pairs(response.headers.raw),
        request_headers=_latin1_pairs(response.request.headers.raw),
    )


def _reason(raw: object) -> str | None:
    return raw.decode("latin-1") if isinstance(raw, bytes) else None


def _latin1_pairs(raw: list[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    return tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in raw)


VALIDATORS = frozenset({"etag", "last-modified"})


def validator_bytes(value: str | None) -> bytes | None:
    """A stored ETag/Last-Modified as the bytes the server sent; None if it cannot be sent.

    Stored validators hold one character per byte (latin-1); older ones may hold UTF-8 text.
    A value with control characters is dropped (the fetch is then unconditional).
    """
    if not value:
        return None
    raw = _text_bytes(value.strip())
    if not raw or any((b < 0x20 and b != 0x09) or b == 0x7F for b in raw):
        return None
    return raw


def header_list(headers: dict[str, str | bytes]) -> list[tuple[bytes, bytes]]:
    """Headers as bytes for httpx (which would encode text as ASCII only)."""
    return [
        (name.encode("ascii"), value if isinstance(value, bytes) else _text_bytes(value))
        for name, value in headers.items()
    ]


def _text_bytes(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def accept_header(accept: Collection[str]) -> str:
    if "*/*" in accept:
        return "*/*"
    return ", ".join(sorted(accept)) + ", */*;q=0.1"


def remember_cookies(response: httpx.Response, host: str, jar: dict[str, dict[str, str]]) -> None:
    for header in response.headers.get_list("set-cookie"):
        pair = header.split(";", 1)[0]
        name, sep, value = pair.partition("=")
        if sep and name.strip():
            jar.setdefault(host, {})[name.strip()] = value.strip()
