"""The fetch log: one row per HTTP attempt, whatever became of it.

A fetch keeps what a faithful record of the exchange needs (migration 0007): the response's
status line, its headers in order with duplicates, the final URL, and the headers we sent.
Header lists are stored as zstd-compressed JSON ``[[name, value], …]`` in which every
character stands for one byte (latin-1), so any bytes a server sent come back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import zstandard
from sqlalchemy.orm import Session

from storage.errors import StorageError
from storage.models import Fetch

#: A header list: (name, value) pairs in the order sent, one character per byte (latin-1).
Headers = tuple[tuple[str, str], ...]

#: Header blocks are small; a cap on their decompressed size keeps a corrupt row harmless.
MAX_HEADER_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FetchRecord:
    """What happened to one request; ``error_kind`` is a short stable class name.

    ``response_headers``/``request_headers`` None means not recorded (not "no headers").
    """

    url: str
    started_at: datetime
    status: int | None = None
    final_url: str | None = None
    duration_ms: float | None = None
    size: int | None = None
    content_type: str | None = None
    error_kind: str | None = None
    error: str | None = None
    outcome: str | None = None
    snapshot_id: int | None = None
    article_id: int | None = None
    http_version: str | None = None
    reason: str | None = None
    response_headers: Headers | None = None
    request_headers: Headers | None = None


def pack_headers(headers: Sequence[tuple[str, str]] | None) -> bytes | None:
    """A header list as stored: zstd-compressed JSON; None stays None (not recorded)."""
    if headers is None:
        return None
    for name, value in headers:
        # one character per byte: refuse text that could not have come off the wire
        name.encode("latin-1")
        value.encode("latin-1")
    data = json.dumps([[name, value] for name, value in headers], ensure_ascii=True)
    return zstandard.ZstdCompressor(level=3).compress(data.encode("ascii"))


def unpack_headers(data: bytes | None) -> Headers | None:
    """The header list stored by :func:`pack_headers`; None when none was recorded."""
    if data is None:
        return None
    try:
        text = zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_HEADER_BYTES)
        pairs = json.loads(text)
        return tuple((str(name), str(value)) for name, value in pairs)
    except (zstandard.ZstdError, ValueError, TypeError) as exc:
        raise StorageError(f"stored headers are unreadable: {exc}") from exc


def header_bytes(headers: Headers) -> list[tuple[bytes, bytes]]:
    """A stored header list as the bytes that were on the wire."""
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def record_fetch(session: Session, record: FetchRecord) -> int:
    """Append one attempt to the log and return its id."""
    row = Fetch(
        url=record.url,
        final_url=record.final_url,
        host=urlsplit(record.url).hostname or "",
        started_at=record.started_at,
        duration_ms=record.duration_ms,
        status=record.status,
        size=record.size,
        content_type=record.content_type,
        error_kind=record.error_kind,
        error=record.error,
        outcome=record.outcome,
        snapshot_id=record.snapshot_id,
        article_id=record.article_id,
        http_version=record.http_version,
        reason=record.reason,
        response_headers=pack_headers(record.response_headers),
        request_headers=pack_headers(record.request_headers),
    )
    session.add(row)
    session.flush()
    return row.id


def response_headers(fetch: Fetch) -> Headers | None:
    """The response headers of a stored fetch, or None if they were not recorded."""
    try:
        return unpack_headers(fetch.response_headers)
    except StorageError as exc:
        raise StorageError(f"fetch {fetch.id} of {fetch.url}: {exc}") from exc


def request_headers(fetch: Fetch) -> Headers | None:
    """The request headers of a stored fetch, or None if they were not recorded."""
    try:
        return unpack_headers(fetch.request_headers)
    except StorageError as exc:
        raise StorageError(f"fetch {fetch.id} of {fetch.url}: {exc}") from exc
