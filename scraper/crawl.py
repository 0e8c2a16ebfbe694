"""The crawl loop: claim due URLs, fetch them politely, read seeds for links, archive articles.

Shape of one crawl::

    seeds → frontier (url table) ─claim─▶ one task per host ─fetch─▶ seed? discover links ─┐
                ▲                         (robots, gap, backoff)      article? extract in  │
                └──────────────── writer (batched transactions) ◀──── the process pool ◀──┘

* Hosts are fetched concurrently (``concurrency`` at a time), each by one task, so a host
  never sees two connections from this process; the gap between its requests is reserved
  in the ``host`` table, so several workers on several machines keep it too.
* Extraction runs in a process pool (trafilatura is not thread-safe); a host task hands the
  body over and goes on fetching, with a bound on pages waiting for extraction.
* Every result is written by one writer in batched transactions; a page's version, its
  fetch row and its frontier state commit together. Until then its URL stays leased.
* Stopping (Ctrl-C, SIGTERM, ``max_pages``) stops claiming, lets pages already fetched be
  stored, then hands unfetched leases back. A SIGKILL loses at most the open batch: those
  URLs are still leased, and the next crawl on this machine reclaims them at once (dead pid)
  or after the lease runs out elsewhere. The next crawl carries on where this one stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper import errors
from scraper.allocator import limit_malloc_arenas, release_free_memory
from scraper.config import Config, SourceConfig
from scraper.discovery import ARTICLE, PAGE, SITEMAP, Discovery, discover
from scraper.fetched import FetchResult, FetchScope, utcnow
from scraper.fetcher import ANY_TYPE, HTML_TYPES, Fetcher
from scraper.pipeline import (
    Extractor,
    failure_record,
    fetch_record,
    mark_not_modified,
)
from scraper.politeness import Politeness
from scraper.pool import (
    ArchiveDone,
    ArchiveJob,
    archive_batch_in_worker,
    extract_page,
    extraction_pool,
    failure_reason,
)
from scraper.robots import ALLOW_ALL, RobotsPolicy, fetch_robots
from scraper.roles import (
    LEADER,
    SEED_PRIORITY,
    Role,
    arm_frontier,
    is_database_error,
)
from scraper.summary import ChangedArticle, CrawlSummary
from scraper.urls import URLTooLong, canonicalize, host_key, origin_of, try_canonicalize
from scraper.writer import Op, Writer
from storage import find_article, frontier, record_fetch
from storage.articles import add_aliases
from storage.engine import describe
from storage.errors import ArchiveUnwritable, unwritable
from storage.frontier import Claimed, NewUrl
from storage.states import Outcome, UrlKind

logger = logging.getLogger(__name__)

FOLLOWED_PAGE_PRIORITY = 50
ARTICLE_PRIORITY = 0
#: URLs one host task leases at a time at most (kept alive by the heartbeat)
CLAIM_BATCH = 50
#: pages a worker extracts and stores in one transaction, and how long a batch may wait
ARCHIVE_BATCH = 8
ARCHIVE_LINGER = 0.05

# -- helpers ---------------------------------------------------------------------------


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


def is_retryable(exc: errors.FetchError) -> bool:
    """5xx, 429, timeouts, refused connections and broken answers may work later; 404 never."""
    if isinstance(exc, errors.HTTPStatusError):
        return exc.retryable
    return isinstance(exc, errors.ConnectError | errors.TimeoutError_ | errors.ProtocolError)


# -- the crawler -----------------------------------------------------------------------


class Crawler:
    """One crawl worker. Several may run at once against one PostgreSQL frontier."""

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

    # -- public --------------------------------------------------------------------

    @property
    def heartbeat_interval(self) -> float:
        """Seconds between lease renewals: a third of a lease, at least a second."""
        return max(1.0, self.crawl.lease_seconds / 3)

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

    async def run(self) -> CrawlSummary:
        """Crawl until nothing is due (within ``max_wait``) or until stopped."""
        if self._executor is None:
            self._executor = extraction_pool(
                self.crawl.workers, self._preload, self.crawl.kill_extraction_after
            )
        # Start (and warm) the workers in the background while robots.txt and seeds are fetched.
        warm = asyncio.ensure_future(self._in_pool(int))
        # Retrieve its outcome so asyncio logs nothing; cancelled when the crawl ends first.
        warm.add_done_callback(lambda f: f.cancelled() or f.exception())
        # Pages fetched but not yet archived: enough to keep every worker busy with full batches.
        self._slots = asyncio.Semaphore(2 * ARCHIVE_BATCH * (self.crawl.workers or _cpus()) + 4)
        self._writer = Writer(self.engine)
        writer_task = asyncio.create_task(self._writer.run(), name="writer")
        heartbeat_task = asyncio.create_task(self._heartbeat(), name="heartbeat")
        self._fetcher = Fetcher(
            self.crawl.fetch_settings(), transport=self._transport, clock=self._clock
        )
        try:
            await asyncio.to_thread(self._prepare)
            await self._loop()
        except Exception as exc:
            if not self._stop_if_unwritable(exc) and not self._database_failed(exc):
                raise
        finally:
            await self._shutdown(writer_task, heartbeat_task)
        if self.database_error is not None:
            raise self.database_error
        if self._unwritable is not None:
            raise self._unwritable  # after storing what could be stored
        return self.summary

    # -- phases --------------------------------------------------------------------

    def _prepare(self) -> None:
        """Reclaim dead workers' leases and, as the leader, (re-)arm every source's seeds."""
        now = self._clock()
        with Session(self.engine) as session, session.begin():
            reclaimed = frontier.reclaim_dead_local_leases(session)
            expired = frontier.expire_leases(session, now)
            if reclaimed or expired:
                logger.info("took back %d leases of dead workers", reclaimed + expired)
        if self.role.arm_seeds:
            self.summary.found += arm_frontier(
                self.engine, self.config, now, rearm_before=self._rearm_before
            )

    async def _loop(self) -> None:
        idle_since: float | None = None
        while not self._stop.is_set():
            self._reap()
            free = self.crawl.concurrency - len(self._active)
            started = 0
            if free > 0:
                hosts = await asyncio.to_thread(self._due_hosts, free)
                for host in hosts:
                    self._active[host] = asyncio.create_task(
                        self._host_worker(host), name=f"host {host}"
                    )
                    started += 1
            if self._active or self._extractions:
                idle_since = None
                await self._wait_any(0.25)
                continue
            # Nothing running: let pending writes (new links!) land before deciding we're done.
            await self._writer.drain()
            if await asyncio.to_thread(self._due_hosts, 1):
                continue
            due = await asyncio.to_thread(self._next_due)
            now = self._clock()
            if self.role.forever:
                # A worker polls for work (new links, revisits a leader queues) until stopped.
                until = self.role.idle_poll if due is None else (due - now).total_seconds()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._stop.wait(), min(max(0.05, until), self.role.idle_poll)
                    )
                continue
            if due is None or (due - now).total_seconds() > self.crawl.max_wait:
                break
            if idle_since is None:
                idle_since = time.monotonic()
            wait = max(0.05, (due - now).total_seconds())
            logger.info("waiting %.1fs for retries that come due", wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), wait)

    async def _wait_any(self, timeout: float) -> None:
        waiting: set[asyncio.Future[Any]] = {*self._active.values(), *self._extractions}
        stop_wait = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait(
                {*waiting, stop_wait}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stop_wait.cancel()

    def _reap(self) -> None:
        for host, task in list(self._active.items()):
            if task.done():
                del self._active[host]
                if not task.cancelled() and task.exception() is not None:
                    exc = task.exception()
                    if exc is not None and (
                        self._stop_if_unwritable(exc) or self._database_failed(exc)
                    ):
                        continue
                    logger.error("host %s worker failed: %r", host, exc)
                    if isinstance(exc, RuntimeError) and self._writer.error is not None:
                        raise exc

    async def _shutdown(
        self, writer_task: asyncio.Task[None], heartbeat_task: asyncio.Task[None]
    ) -> None:
        self._stop.set()
        for task in self._active.values():
            task.cancel()
        await asyncio.gather(*self._active.values(), return_exceptions=True)
        self._active.clear()
        self._flush_pending()
        if self._extractions:
            await asyncio.gather(*self._extractions, return_exceptions=True)
        try:
            await self._writer.drain()
        except RuntimeError as exc:
            if not self._stop_if_unwritable(exc):
                raise
        finally:
            writer_task.cancel()
            heartbeat_task.cancel()
            await asyncio.gather(writer_task, heartbeat_task, return_exceptions=True)
            await self._fetcher.aclose()
            if self._own_executor and self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
            await asyncio.to_thread(self._finish)

    def _finish(self) -> None:
        now = self._clock()
        self.summary.finished_at = now
        if self.database_error is not None:
            return  # nothing can be handed back: the leases expire
        try:
            with Session(self.engine) as session, session.begin():
                released = frontier.release(session, self.owner)
                if released:
                    logger.info("handed back %d unfetched URLs", released)
        except Exception as exc:
            # The leases cannot be handed back; they expire (or are reclaimed at once by the
            # next crawl on this machine, their holder being gone).
            if not self._stop_if_unwritable(exc) and not self._database_failed(exc):
                raise
            if self.database_error is not None:
                return
        with Session(self.engine) as session:
            self.summary.frontier = frontier.counts(session)
        self.summary.pending = self.summary.frontier.get(frontier.NEW, 0)
        self.summary.finished_at = now

    # -- database helpers (run in a thread) -----------------------------------------

    def _due_hosts(self, limit: int) -> list[str]:
        with Session(self.engine) as session:
            return frontier.due_hosts(
                session, self._clock(), limit=limit, exclude=tuple(self._active)
            )

    def _next_due(self) -> datetime | None:
        if not self.role.wait_for_leases:
            with Session(self.engine) as session:
                return frontier.next_due(session, self._clock())
        with Session(self.engine) as session, session.begin():
            now = self._clock()
            if frontier.expire_leases(session, now):
                logger.info("took back the expired leases of a worker that stopped beating")
            return frontier.next_due(session, now, leases_of_others=self.owner)

    def _claim(self, host: str, limit: int) -> list[Claimed]:
        t0 = time.monotonic()
        try:
            return self._claim_batch(host, limit)
        finally:
            logger.debug("claimed for %s in %.3fs", host, time.monotonic() - t0)

    def _claim_batch(self, host: str, limit: int) -> list[Claimed]:
        with Session(self.engine) as session, session.begin():
            claimed = frontier.claim(
                session,
                self.owner,
                self._clock(),
                lease_seconds=self.crawl.lease_seconds,
                limit=limit,
                host=host,
            )
        self.claimed += len(claimed)
        return claimed

    def _release(self, ids: Collection[int], due_at: datetime | None) -> None:
        if not ids:
            return
        with Session(self.engine) as session, session.begin():
            frontier.release(session, self.owner, ids, due_at=due_at)

    async def _heartbeat(self) -> None:
        """Renew this crawler's leases every :attr:`heartbeat_interval` seconds.

        In a thread of its own: the shared default executor can be full of calls blocked on
        the extraction pool's start (seconds, on a loaded machine), and a lease not renewed
        in time goes to another worker, which fetches the page a second time.
        """
        interval = self.heartbeat_interval
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(1, thread_name_prefix="lease-heartbeat") as own_thread:
            await self._beat_forever(loop, own_thread, interval)

    async def _beat_forever(
        self, loop: asyncio.AbstractEventLoop, thread: Executor, interval: float
    ) -> None:
        while True:
            await asyncio.sleep(interval)

            def beat() -> None:
                with Session(self.engine) as session, session.begin():
                    frontier.heartbeat(session, self.owner, self._clock(), self.crawl.lease_seconds)
                    if self.role.on_beat is not None:
                        self.role.on_beat(session, self)
                release_free_memory()

            try:
                await loop.run_in_executor(thread, beat)
            except Exception as exc:  # the next beat may work; leases are long
                if not self._database_failed(exc):
                    logger.warning("lease heartbeat failed: %s", exc)

    # -- one host --------------------------------------------------------------------

    async def _host_worker(self, host: str) -> None:
        """Fetch ``host``'s due URLs one at a time, politely, until none are left."""
        batch: list[Claimed] = []
        try:
            while not self._stop.is_set():
                if not batch:
                    batch = await asyncio.to_thread(self._claim, host, self._claim_size(host))
                    if not batch:
                        return
                item = batch.pop(0)
                carry_on = await self._handle(item, batch)
                if not carry_on:
                    return
                if self.crawl.max_pages and self._fetch_count >= self.crawl.max_pages:
                    logger.info("reached max_pages=%d", self.crawl.max_pages)
                    self._stop.set()
        finally:
            if batch:
                ids = [c.id for c in batch]
                await asyncio.shield(asyncio.to_thread(self._release, ids, None))

    def _claim_size(self, host: str) -> int:
        """How many of ``host``'s URLs to lease at once: no more than a third of a lease can
        fetch at the host's gap, so other processes sharing the frontier find work and a
        killed process strands little; at most :data:`CLAIM_BATCH`."""
        per_lease = self.crawl.lease_seconds / (3 * max(self.politeness.gap(host), 0.05))
        return max(1, min(CLAIM_BATCH, int(per_lease)))

    async def _handle(self, item: Claimed, rest: list[Claimed]) -> bool:
        """Fetch and dispatch one URL; False when the host must be left alone for now."""
        if item.kind == ARTICLE and item.url in self._seen:
            self.summary.duplicates += 1
            await self._writer.put(
                self._complete_op(item, None, note="duplicate of a fetched article")
            )
            return True
        scope = self._scope(item)
        policy = await self._robots(item.host, item.url, scope)
        if policy.unreachable and self.crawl.obey_robots:
            until = await asyncio.to_thread(self.politeness.failed, item.host, None)
            ids = [item.id] + [c.id for c in rest]
            rest.clear()
            await asyncio.to_thread(self._release, ids, until)
            self.summary.retries += 1
            return False
        if self.crawl.obey_robots and not policy.allows(item.url, self.crawl.user_agent):
            logger.info("robots.txt disallows %s", item.url)
            self.summary.failed["robots"] += 1
            await self._writer.put(
                self._fail_op(item, "robots: disallowed by robots.txt", None, None)
            )
            return True
        if not await self._wait_turn(item.host, [item, *rest]):
            rest.clear()
            return False
        gap = self.politeness.gap(item.host)
        held = self.politeness.holds(gap)
        accept = HTML_TYPES if item.kind == ARTICLE else ANY_TYPE
        try:
            self._fetch_count += 1
            result = await self._fetcher.fetch(
                item.url,
                etag=item.etag,
                last_modified=item.last_modified,
                accept=accept,
                stop_at=self._fetched_article if item.kind == ARTICLE else None,
                scope=scope,
            )
        except errors.FetchError as exc:
            if held:
                await asyncio.to_thread(self.politeness.finished, item.host, gap)
            return await self._fetch_failed(item, exc, rest)
        except BaseException:  # stopped mid-request: free the host for other crawlers now
            if held:
                await asyncio.shield(asyncio.to_thread(self.politeness.finished, item.host, gap))
            raise
        if held:
            await asyncio.to_thread(self.politeness.finished, item.host, gap)
        if self.politeness.is_failing(item.host):
            await asyncio.to_thread(self.politeness.succeeded, item.host)
        if result.redirect_only:
            await self._redirected_to_fetched(item, result)
            return True
        self.summary.fetched += 1
        logger.debug("fetched %s in %.3fs (%d bytes)", item.url, result.elapsed, len(result.body))
        for url in (item.url, *result.redirects, result.final_url):
            canonical = try_canonicalize(url)
            if canonical:
                self._seen.add(canonical)
        if item.kind == ARTICLE:
            await self._article(item, result)
        else:
            await self._seed(item, result)
        self._report()
        return True

    def _fetched_article(self, url: str) -> bool:
        canonical = try_canonicalize(url)
        return canonical is not None and canonical in self._seen

    async def _redirected_to_fetched(self, item: Claimed, result: FetchResult) -> None:
        """A link that redirects to an article downloaded in this crawl: an alias, not a fetch.

        The alias is written once the article is stored; if it never is, the URL stays
        leased and is handed back for the next crawl.
        """
        self.summary.duplicates += 1
        target = try_canonicalize(result.final_url) or result.final_url
        logger.debug("%s redirects to %s, fetched in this crawl", item.url, target)
        if target in self._stored:
            await self._writer.put(self._alias_op(item, result, target))
        else:
            self._waiting_aliases.setdefault(target, []).append((item, result))

    async def _write_waiting_aliases(self, done: ArchiveDone) -> None:
        """Links that redirect to a page just stored become its aliases now."""
        for url in filter(None, (done.canonical, *done.aliases)):
            for waiting in self._waiting_aliases.pop(url, ()):
                await self._writer.put(self._alias_op(*waiting, url))

    def _alias_op(self, item: Claimed, result: FetchResult, target: str) -> Op:
        def op(session: Session) -> None:
            article = find_article(session, target)
            if article is None:
                return  # stays leased: handed back at the end of the crawl
            names = {try_canonicalize(u) for u in (item.url, *result.redirects)}
            add_aliases(
                session, article, {n for n in names if n and n != target}, result.started_at
            )
            record_fetch(
                session, fetch_record(result, outcome=Outcome.ALIAS, article_id=article.id)
            )
            frontier.complete(
                session,
                item.id,
                self._clock(),
                status=result.status,
                article_id=article.id,
                note=f"redirects to {target}, fetched in this crawl",
            )

        return op

    async def _wait_turn(self, host: str, items: list[Claimed]) -> bool:
        """Wait until ``host`` is free and take it; hand the URLs back if that is too far off.

        Taken in the host's row right before the request (and held until it finished), so
        the gap holds across crawl processes, not only inside this one.
        """
        gap = self.politeness.gap(host)
        if not self.politeness.holds(gap):
            slot = self.politeness.backoff_until(host) or self._clock()
            wait = (slot - self._clock()).total_seconds()
            if wait > self.crawl.max_wait:
                await asyncio.to_thread(self._release, [c.id for c in items], slot)
                return False
            if wait > 0:
                await self._sleep(wait)
            return True
        waited = 0.0
        while True:
            free_at = await asyncio.to_thread(self.politeness.take, host, gap)
            if free_at is None:
                return True
            wait = (free_at - self._clock()).total_seconds()
            if waited + wait > self.crawl.max_wait:
                await asyncio.to_thread(self._release, [c.id for c in items], free_at)
                return False
            wait = max(wait, 0.005)
            waited += wait
            await self._sleep(wait)

    def _scope(self, item: Claimed) -> FetchScope:
        """Where fetches for ``item``'s source may go; a URL of no configured source may
        not reach private addresses, and its redirects may go to any public host."""
        return self._scopes.get(item.source or "", _NO_SOURCE_SCOPE)

    async def _robots(self, host: str, url: str, scope: FetchScope) -> RobotsPolicy:
        if not self.crawl.obey_robots:
            return ALLOW_ALL
        known = self.politeness.robots_in_memory(host)
        if known is not None:
            return known
        lock = self._robots_locks.setdefault(host, asyncio.Lock())
        async with lock:
            policy = await asyncio.to_thread(self.politeness.cached_robots, host)
            if policy is not None:
                return policy
            if not await self._wait_turn(host, []):
                return RobotsPolicy.from_answer(None, None)
            gap = self.politeness.gap(host)
            try:
                policy = await fetch_robots(self._fetcher, origin_of(url), scope.private_hosts)
            except errors.BlockedAddressError:
                # The page fetch is refused with its own reason; not remembered, since
                # another source may be allowed this host's private address.
                await asyncio.to_thread(self.politeness.finished, host, gap)
                return ALLOW_ALL
            except BaseException:
                await asyncio.shield(asyncio.to_thread(self.politeness.finished, host, gap))
                raise
            await asyncio.to_thread(self.politeness.remember_robots, host, policy)
            # The gap after robots.txt is already the host's own crawl-delay, if it has one.
            await asyncio.to_thread(
                self.politeness.finished, host, max(gap, self.politeness.gap(host))
            )
            if policy.sitemaps and not policy.unreachable:
                await self._robots_sitemaps(host, policy.sitemaps)
            return policy

    async def _robots_sitemaps(self, host: str, sitemaps: tuple[str, ...]) -> None:
        wanted: list[NewUrl] = []
        for source in self.config.sources:
            if not source.robots_sitemaps:
                continue
            if not any(host_key(u) == host for u, _ in source.seeds):
                continue
            for sitemap in sitemaps:
                canonical = try_canonicalize(sitemap)
                if canonical and canonical in source.scope:
                    wanted.append(
                        NewUrl(
                            canonical,
                            host_key(canonical),
                            kind=UrlKind.SITEMAP,
                            source=source.name,
                            priority=SEED_PRIORITY[UrlKind.SITEMAP],
                        )
                    )
        if wanted:
            await self._writer.put(self._add_op(wanted))

    async def _fetch_failed(
        self, item: Claimed, exc: errors.FetchError, rest: list[Claimed]
    ) -> bool:
        reason = failure_reason(exc)
        started = self._clock()
        record = failure_record(item.url, exc, started)
        message = f"{reason}: {exc.message}"
        if is_retryable(exc):
            retry_after = getattr(exc, "retry_after", None)
            until = await asyncio.to_thread(self.politeness.failed, item.host, retry_after)
            if item.attempts < self.crawl.max_attempts:
                self.summary.retries += 1
                logger.info("will retry %s after %s (%s)", item.url, until.isoformat(), message)
                await self._writer.put(self._fail_op(item, message, exc.status, until, record))
            else:
                self.summary.failed[reason] += 1
                logger.warning(
                    "giving up on %s after %d attempts: %s", item.url, item.attempts, message
                )
                await self._writer.put(self._fail_op(item, message, exc.status, None, record))
            if rest:
                await asyncio.to_thread(self._release, [c.id for c in rest], until)
                rest.clear()
            self._report()
            return False
        self.summary.failed[reason] += 1
        logger.warning("failed %s: %s", item.url, message)
        await self._writer.put(self._fail_op(item, message, exc.status, None, record))
        self._report()
        return True

    # -- articles and seeds ----------------------------------------------------------

    async def _article(self, item: Claimed, result: FetchResult) -> None:
        source = item.source
        if result.not_modified:
            self.summary.not_modified += 1

            def op(session: Session) -> None:
                outcome = mark_not_modified(session, result)
                self._complete_op(item, result, article_url=outcome.article_url)(session)
                if self._on_page is not None:
                    self._on_page(
                        ArchiveDone(
                            Outcome.NOT_MODIFIED, url=result.url, article_url=outcome.article_url
                        )
                    )

            await self._writer.put(op)
            return
        await self._slots.acquire()
        self._pending.append(ArchiveJob(self._db_url, item.id, result, source, self._extractor))
        if len(self._pending) >= ARCHIVE_BATCH:
            self._flush_pending()
        elif self._flush_timer is None:
            self._flush_timer = asyncio.get_running_loop().call_later(
                ARCHIVE_LINGER, self._flush_pending
            )

    def _flush_pending(self) -> None:
        """Hand the pages waiting for archiving to a worker as one batch."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        jobs, self._pending = self._pending, []
        if not jobs:
            return

        async def archive() -> None:
            try:
                try:
                    results: list[ArchiveDone] = await self._in_pool(archive_batch_in_worker, jobs)
                except Exception as exc:  # a crashed worker, or the database refused the write
                    if not self._stop_if_unwritable(exc):
                        logger.error("could not archive %d pages: %r", len(jobs), exc)
                    self.summary.failed["store"] += len(jobs)
                    return  # still leased: handed back at the end, fetched by the next crawl
                for job, done in zip(jobs, results, strict=True):
                    if done.reason == "store":
                        logger.error("could not store %s: %s", job.result.final_url, done.error)
                    self._count(done, job.result)
                    if done.outcome is not None:
                        await self._write_waiting_aliases(done)
            finally:
                for _ in jobs:
                    self._slots.release()

        task = asyncio.ensure_future(archive())
        self._extractions.add(task)
        task.add_done_callback(self._extractions.discard)

    def _count(self, done: ArchiveDone, result: FetchResult) -> None:
        if done.outcome is None:
            reason = done.reason or "extract"
            self.summary.failed[reason] += 1
            logger.warning("could not extract %s: %s", result.final_url, done.error)
            if self._on_page is not None:
                self._on_page(done)
            return
        logger.debug("archived %s: extract %.3fs, wait %.3fs, write %.3fs", done.url, *done.timings)
        self.summary.count(done.outcome)
        if (
            done.outcome in (Outcome.NEW_ARTICLE, Outcome.NEW_VERSION)
            and done.article_url
            and done.article_id is not None
            and done.version is not None
        ):
            self.summary.changed.append(
                ChangedArticle(
                    done.article_url,
                    done.article_id,
                    done.version,
                    Outcome(done.outcome),
                    done.changed,
                )
            )
        for url in (done.canonical, *done.aliases):
            if url:
                self._seen.add(url)
                self._stored.add(url)
        if self._on_page is not None:
            self._on_page(done)
        self._report()

    async def _in_pool(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn`` in the process pool; submitting from a thread, because starting the
        pool's workers (the first submit, and each recycle) blocks."""
        assert self._executor is not None
        if self._pool_started:
            future = self._executor.submit(fn, *args)
        else:
            future = await asyncio.to_thread(self._executor.submit, fn, *args)
            self._pool_started = True
        return await asyncio.wrap_future(future)

    async def _seed(self, item: Claimed, result: FetchResult) -> None:
        self.summary.seeds_read += 1
        source = self._sources.get(item.source or "")
        if result.not_modified or source is None:
            await self._writer.put(
                self._complete_op(
                    item,
                    result,
                    outcome=Outcome.NOT_MODIFIED if result.not_modified else Outcome.DISCOVERED,
                )
            )
            return
        try:
            # In a thread, not the pool: seeds come first, before the pool's workers are warm.
            found = await asyncio.to_thread(discover, result.body, result.final_url, item.kind)
        except Exception as exc:
            logger.error("could not read links from %s: %r", result.final_url, exc)
            found = Discovery("unknown", ())
        wanted = self._classify(source, found, result.final_url)
        logger.info(
            "%s %s: %d links, %d kept",
            found.format,
            result.final_url,
            len(found.links),
            len(wanted),
        )
        add = self._add_op(wanted)
        complete = self._complete_op(item, result, outcome=Outcome.DISCOVERED)

        def op(session: Session) -> None:
            complete(session)
            add(session)  # last: it counts what it found, and a lost race runs it again

        await self._writer.put(op)

    def _classify(self, source: SourceConfig, found: Discovery, seed: str) -> list[NewUrl]:
        """Which links become frontier URLs, and as what (scope and include/exclude apply).

        A link too long to be a real one is refused here, counted and logged with its seed.
        """
        wanted: list[NewUrl] = []
        for link in found.links:
            try:
                canonical = canonicalize(link.url, strip_params=source.strip_params)
            except URLTooLong as exc:
                self.summary.refused_links += 1
                logger.warning("refused a link on %s: %s", seed, exc)
                continue
            except ValueError:
                continue
            host = host_key(canonical)
            if link.kind == SITEMAP:
                if canonical in source.scope:
                    wanted.append(
                        NewUrl(
                            canonical,
                            host,
                            kind=UrlKind.SITEMAP,
                            source=source.name,
                            priority=SEED_PRIORITY[UrlKind.SITEMAP],
                            lastmod_hint=link.lastmod,
                        )
                    )
            elif source.accepts_article(canonical):
                wanted.append(
                    NewUrl(
                        canonical,
                        host,
                        kind=ARTICLE,
                        source=source.name,
                        priority=ARTICLE_PRIORITY,
                        lastmod_hint=link.lastmod,
                    )
                )
            elif link.kind == PAGE and source.follows_page(canonical):
                wanted.append(
                    NewUrl(
                        canonical,
                        host,
                        kind=PAGE,
                        source=source.name,
                        priority=FOLLOWED_PAGE_PRIORITY,
                    )
                )
        return wanted

    # -- operations for the writer ---------------------------------------------------

    def _add_op(self, wanted: list[NewUrl]) -> Op:
        def op(session: Session) -> None:
            self.summary.found += frontier.add_urls(
                session, wanted, self._clock(), rearm_before=self._rearm_before
            )

        return op

    def _complete_op(
        self,
        item: Claimed,
        result: FetchResult | None,
        *,
        note: str | None = None,
        outcome: str | None = None,
        article_url: str | None = None,
    ) -> Op:
        def op(session: Session) -> None:
            if result is not None and outcome is not None:
                record_fetch(session, fetch_record(result, outcome=outcome))
            article_id = None
            if article_url:
                article = find_article(session, article_url)
                article_id = article.id if article is not None else None
            frontier.complete(
                session,
                item.id,
                self._clock(),
                status=result.status if result is not None else None,
                etag=result.etag if result is not None else None,
                last_modified=result.last_modified if result is not None else None,
                article_id=article_id,
                note=note,
            )

        return op

    def _fail_op(
        self,
        item: Claimed,
        message: str,
        status: int | None,
        retry_at: datetime | None,
        record: Any = None,
    ) -> Op:
        def op(session: Session) -> None:
            if record is not None:
                record_fetch(session, record)
            frontier.fail(
                session, item.id, self._clock(), error=message, status=status, retry_at=retry_at
            )

        return op

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.summary)


def _cpus() -> int:
    import os

    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


# -- entry points ----------------------------------------------------------------------


_NO_SOURCE_SCOPE = FetchScope()


def _fetch_scope(source: SourceConfig) -> FetchScope:
    """A source's fetches: private addresses of its own seed hosts only, redirects in scope."""
    return FetchScope(private_hosts=source.seed_hosts, allows=source.scope.__contains__)


async def crawl(config: Config, engine: Engine, **kw: Any) -> CrawlSummary:
    """Run one crawl to the end (or until stopped) and return its summary."""
    return await Crawler(config, engine, **kw).run()


def stop_on_signals(crawler: Crawler) -> None:
    """SIGINT/SIGTERM stop ``crawler`` cleanly (what was fetched is stored); a second one
    stops it at once. Call from inside the running event loop."""
    loop = asyncio.get_running_loop()
    hits = {"n": 0}

    def on_signal(sig: signal.Signals) -> None:
        hits["n"] += 1
        if hits["n"] > 1:
            raise KeyboardInterrupt
        crawler.summary.stop_signal = int(sig)
        crawler.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal, sig)


def run_crawl(
    config: Config,
    engine: Engine,
    *,
    handle_signals: bool = True,
    **kw: Any,
) -> CrawlSummary:
    """Run a crawl from synchronous code; SIGINT/SIGTERM stop it cleanly (twice: at once).

    Like the signal handlers, one process-wide setting is made here, for the process that
    runs the crawl: at most two malloc arenas (:mod:`scraper.allocator`).
    """
    limit_malloc_arenas()

    async def main() -> CrawlSummary:
        crawler = Crawler(config, engine, **kw)
        if handle_signals:
            stop_on_signals(crawler)
        return await crawler.run()

    return asyncio.run(main())
