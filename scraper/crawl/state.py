"""What one crawler holds, and how it stops.

:class:`CrawlerState` is the first layer of :class:`~scraper.crawl.crawler.Crawler`: its
settings, the crawl's summary, what it has seen and stored, and the conditions that stop it
(asked to, the database gone, the archive refusing writes).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine

from scraper.config import Config, SourceConfig
from scraper.fetched import FetchResult, FetchScope, utcnow
from scraper.fetcher import Fetcher
from scraper.pipeline import Extractor
from scraper.politeness import Politeness
from scraper.pool import ArchiveDone, ArchiveJob, extract_page
from scraper.roles import LEADER, Role, is_database_error
from scraper.summary import CrawlSummary
from scraper.writer import Writer
from storage import frontier
from storage.engine import describe
from storage.errors import ArchiveUnwritable, unwritable
from storage.frontier import Claimed

logger = logging.getLogger(__name__)


class _RecentSet:
    """The most recent ``size`` strings added, kept as 64-bit hashes (memory stays flat).

    It catches a URL claimed while another name of the same article was being fetched; the
    frontier (``mark_seen``) is the lasting record, so a bounded window is enough. A hash
    collision, one in 2**64 per pair, would skip one URL for this crawl only.
    """

    def __init__(self, size: int = 50_000) -> None:
        self._hashes: set[int] = set()
        self._order: deque[int] = deque()
        self._size = size

    def add(self, item: str) -> None:
        key = hash(item)
        if key in self._hashes:
            return
        self._hashes.add(key)
        self._order.append(key)
        if len(self._order) > self._size:
            self._hashes.discard(self._order.popleft())

    def __contains__(self, item: object) -> bool:
        return hash(item) in self._hashes


def _fetch_scope(source: SourceConfig) -> FetchScope:
    """A source's fetches: private addresses of its own seed hosts only, redirects in scope."""
    return FetchScope(private_hosts=source.seed_hosts, allows=source.scope.__contains__)


class CrawlerState:
    """The crawler's state, and how it stops; the layers above read and change it."""

    # set by run(), before any fetch
    _slots: asyncio.Semaphore
    _writer: Writer
    _fetcher: Fetcher

    def __init__(
        self,
        config: Config,
        engine: Engine,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = utcnow,
        owner: str | None = None,
        executor: Executor | None = None,
        extractor: Extractor = extract_page,
        progress: Callable[[CrawlSummary], None] | None = None,
        on_page: Callable[[ArchiveDone], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        preload: Sequence[str] = (),
        role: Role | None = None,
    ) -> None:
        self.config = config
        self.crawl = config.crawl
        self.engine = engine
        self.owner = owner or frontier.worker_id()
        self._transport = transport
        self._clock = clock
        self._executor = executor
        self._own_executor = executor is None
        self._preload = tuple(preload)
        self._extractor = extractor
        self._progress = progress
        self._on_page = on_page
        self._sleep = sleep
        self.role = role or LEADER
        #: URLs this crawler leased, for the worker table
        self.claimed = 0
        #: set when the database failed under a worker that stops on it (see Role)
        self.database_error: BaseException | None = None
        self._sources = {s.name: s for s in config.sources}
        self._scopes = {s.name: _fetch_scope(s) for s in config.sources}
        self.politeness = Politeness(engine, self.crawl, clock)
        self.summary = CrawlSummary(started_at=clock())
        self._stop = asyncio.Event()
        self._seen = _RecentSet()
        #: canonical URLs archived in this crawl, and links that redirect to one still in the pool
        self._stored = _RecentSet()
        self._waiting_aliases: dict[str, list[tuple[Claimed, FetchResult]]] = {}
        self._active: dict[str, asyncio.Task[None]] = {}
        self._extractions: set[asyncio.Future[None]] = set()
        self._fetch_count = 0
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._pool_started = False
        self._pending: list[ArchiveJob] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._db_url = engine.url.render_as_string(hide_password=False)
        self._rearm_before = self.summary.started_at - timedelta(seconds=self.crawl.seed_interval)
        #: set when the archive refused a write for good (disk full, read-only): the crawl stops
        self._unwritable: ArchiveUnwritable | None = None

    def stop(self) -> None:
        """Ask the crawl to stop soon: no new claims, fetched pages still stored."""
        if not self._stop.is_set():
            logger.warning("stopping: storing what was fetched, handing back the rest")
            self.summary.interrupted = True
            self._stop.set()

    def _database_failed(self, exc: BaseException) -> bool:
        """For a role that stops on it: ``exc`` says the database is gone (refused, dropped,
        restarted). Stop claiming; the leases held expire and other workers take them."""
        if not self.role.stop_on_database_error or not is_database_error(exc):
            return False
        if self.database_error is None:
            self.database_error = exc
            self._stop.set()
        return True

    def _stop_if_unwritable(self, exc: BaseException) -> bool:
        """Stop the crawl when ``exc`` says the archive takes no more writes (disk full,
        read-only): every retry would fail the same way. Logged once; True when it did."""
        fatal = unwritable(exc, describe(self.engine))
        if fatal is None:
            return False
        if self._unwritable is None:
            self._unwritable = fatal
            logger.error("%s; stopping the crawl", fatal)
            self._stop.set()
        return True

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.summary)
