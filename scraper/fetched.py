"""What a fetch is asked to do and what it returned: plain data, no HTTP client.

Kept apart from :mod:`scraper.fetcher` so the extraction workers, which receive fetched
pages and store them, never import httpx.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the default clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class FetchSettings:
    """How one fetch behaves; parsed from the sources file's ``[crawl]`` table."""

    user_agent: str = "storyline/0.1 (+https://example.org/storyline)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    #: hosts whose private/loopback addresses are allowed when a fetch names no
    #: :class:`FetchScope` (URLs given on the command line); "*" allows all
    allow_private_hosts: frozenset[str] = frozenset()
    #: connections the client keeps in its pool in total (the crawler limits per host)
    max_connections: int = 100


@dataclass(frozen=True)
class FetchScope:
    """Where one fetch, on behalf of one source, may go.

    ``private_hosts``: hosts whose private, loopback or link-local addresses may be fetched
    (the source's own seed hosts). ``allows``: whether a redirect may lead to a host (the
    source's scope); None lets redirects go to any public host.
    """

    private_hosts: frozenset[str] = frozenset()
    allows: Callable[[str], bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FetchResult:
    """One answered fetch: 2xx with an accepted body, 304 Not Modified (empty body), or a
    redirect the caller asked not to follow (``redirect_only``: empty body, ``final_url`` is
    the target)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    content_type: str
    charset: str | None
    redirects: tuple[str, ...] = ()
    started_at: datetime = field(default_factory=utcnow)
    elapsed: float = 0.0
    #: the body was cut at the length the caller asked for (``Fetcher.fetch(truncate_at=)``)
    truncated: bool = False
    #: the status line as sent ("HTTP/1.1", "OK"); None when not known
    http_version: str | None = None
    reason: str | None = None
    #: the response's headers in order, duplicates kept, one character per byte (latin-1);
    #: ``headers`` above is the look-up view. None: not recorded.
    raw_headers: tuple[tuple[str, str], ...] | None = None
    #: the headers of the request that got this response (conditional headers included)
    request_headers: tuple[tuple[str, str], ...] | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def redirect_only(self) -> bool:
        return 300 <= self.status < 400 and self.status != 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """Split a Content-Type header into (lower-case media type, charset or None)."""
    if not content_type:
        return "", None
    parts = content_type.split(";")
    kind = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return kind, charset
