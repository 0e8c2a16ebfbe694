"""The scraper package's exceptions: every one carries the URL (and host) it concerns."""

from __future__ import annotations

from urllib.parse import urlsplit


class ScraperError(Exception):
    """Base class of everything the scraper package raises."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    @property
    def host(self) -> str | None:
        return urlsplit(self.url).hostname if self.url else None

    def __str__(self) -> str:
        return f"{self.url}: {self.message}" if self.url else self.message


class ExtractionError(ScraperError):
    """The document could not be turned into an article (binary, empty, no text at all)."""


class ExtractionTimeout(ExtractionError):
    """Extraction took longer than its time bound."""


class FetchError(ScraperError):
    """An HTTP fetch failed; ``kind`` is a short stable class name stored in the fetch log."""

    kind = "fetch-error"

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class ConnectError(FetchError):
    kind = "connect"


class TimeoutError_(FetchError):
    kind = "timeout"


class HTTPStatusError(FetchError):
    """A 4xx/5xx answer; ``retry_after`` holds the seconds a 429/503 asked us to wait."""

    kind = "http-status"

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """5xx, 429 and 408 may succeed later; other 4xx (404, 410, 403) will not."""
        return self.status is not None and (self.status >= 500 or self.status in (408, 429))


class NotHTMLError(FetchError):
    """The response is not of an accepted media type (a PDF, an image); it is logged, not read."""

    kind = "not-html"

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        content_type: str | None = None,
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.content_type = content_type


class TooLargeError(FetchError):
    kind = "too-large"


class TooManyRedirects(FetchError):
    kind = "redirects"


class BlockedAddressError(FetchError):
    kind = "blocked-address"


class OutOfScopeError(FetchError):
    """A redirect led to a host outside the fetching source's scope."""

    kind = "out-of-scope"


class ProtocolError(FetchError):
    """The server broke HTTP: a reset connection, a malformed answer, an undecodable body."""

    kind = "protocol"


class ContentEncodingError(FetchError):
    """The body came in a Content-Encoding we did not ask for, or stacked too deep."""

    kind = "content-encoding"


class InvalidURLError(FetchError):
    """The URL cannot be fetched at all (no host, a scheme other than http/https)."""

    kind = "invalid-url"


class ConfigError(ScraperError):
    """A sources file is wrong; the message names the file, line and key."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.key = key
