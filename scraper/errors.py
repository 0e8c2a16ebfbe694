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
    kind = "http-status"


class NotHTMLError(FetchError):
    kind = "not-html"


class TooLargeError(FetchError):
    kind = "too-large"


class TooManyRedirects(FetchError):
    kind = "redirects"


class BlockedAddressError(FetchError):
    kind = "blocked-address"


class RobotsDisallowed(FetchError):
    kind = "robots"


class ConfigError(ScraperError):
    """A sources file is wrong; the message names the file, line and key."""
