"""robots.txt: fetched once per host, parsed with protego, answered per URL.

The rules follow RFC 9309: a 2xx body is parsed; a 4xx (no robots.txt, or forbidden to
read it) means everything is allowed; a 5xx, a 429 or an unreachable server means we may
fetch nothing from the host for now and must try again later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from protego import Protego

from scraper import errors
from scraper.fetched import FetchScope
from scraper.fetcher import ANY_TYPE, Fetcher

logger = logging.getLogger(__name__)

#: RFC 9309 §2.5 asks crawlers to parse at least 500 KiB: we read that much of any larger file
#: (whatever the page cap) and parse it; what lies beyond is not read.
MAX_ROBOTS_BYTES = 512 * 1024
#: A Crawl-delay above this (up to ``1e15`` in the wild) is read as one day between requests.
MAX_CRAWL_DELAY = 86400.0


@dataclass(frozen=True)
class RobotsPolicy:
    """What one host's robots.txt allows; ``status`` None means it could not be fetched."""

    status: int | None
    text: str = ""
    fetched_at: datetime | None = None
    _parser: Protego | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_answer(
        cls, status: int | None, text: str | None, fetched_at: datetime | None = None
    ) -> RobotsPolicy:
        text = (text or "")[:MAX_ROBOTS_BYTES]
        parser = None
        if status is not None and 200 <= status < 300:
            try:
                parser = Protego.parse(text)
            except Exception:  # protego is lenient; a crash here must not stop a crawl
                logger.warning("unparseable robots.txt (status %s); allowing all", status)
        return cls(status, text, fetched_at, parser)

    @property
    def unreachable(self) -> bool:
        """5xx, 429 or no answer: fetch nothing from this host for now."""
        return self.status is None or self.status >= 500 or self.status == 429

    def allows(self, url: str, user_agent: str) -> bool:
        if self.unreachable:
            return False
        if self._parser is None:  # 4xx: no rules
            return True
        return bool(self._parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(user_agent)
        if delay is None:
            rate = self._parser.request_rate(user_agent)
            if rate is not None and rate.requests:
                delay = rate.seconds / rate.requests
        if delay is None:
            return None
        seconds = float(delay)
        if seconds != seconds or seconds < 0:  # NaN or negative: no usable delay stated
            return None
        return min(seconds, MAX_CRAWL_DELAY)

    @property
    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self._parser.sitemaps) if self._parser is not None else ()


ALLOW_ALL = RobotsPolicy.from_answer(404, "")


async def fetch_robots(
    fetcher: Fetcher, origin: str, private_hosts: frozenset[str] | None = None
) -> RobotsPolicy:
    """GET ``origin``/robots.txt and turn the answer (or the failure) into a policy.

    ``private_hosts``: the asking source's own seed hosts (None: the fetcher's settings).
    robots.txt may redirect to any host (RFC 9309 §2.3.1.2), but private addresses stay
    the asking source's own.
    """
    url = origin.rstrip("/") + "/robots.txt"
    scope = FetchScope(private_hosts) if private_hosts is not None else None
    try:
        result = await fetcher.fetch(
            url, accept=ANY_TYPE, truncate_at=MAX_ROBOTS_BYTES, scope=scope
        )
    except errors.HTTPStatusError as exc:
        logger.info("robots.txt %s: HTTP %s", url, exc.status)
        return RobotsPolicy.from_answer(exc.status, None)
    except errors.BlockedAddressError:
        raise
    except errors.FetchError as exc:
        logger.warning("robots.txt %s unreachable: %s", url, exc)
        return RobotsPolicy.from_answer(None, None)
    body = result.body
    if result.truncated:
        logger.warning("robots.txt %s is over %d bytes; obeying its start", url, MAX_ROBOTS_BYTES)
        body = body[: body.rfind(b"\n") + 1]  # a line cut in half is not a rule
    try:
        text = body.decode(result.charset or "utf-8", errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    if result.content_type == "text/html" and "<html" in text[:2000].lower():
        # A site that answers every path with its home page has no robots.txt.
        return RobotsPolicy.from_answer(404, None, result.started_at)
    return RobotsPolicy.from_answer(result.status, text, result.started_at)
