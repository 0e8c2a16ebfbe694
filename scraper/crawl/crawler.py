"""The crawler: its run from the first claim to the hand-back of unfetched leases, its lease
heartbeat, and the ways to run one (:func:`crawl`, :func:`run_crawl`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.allocator import limit_malloc_arenas, release_free_memory
from scraper.config import Config
from scraper.crawl.hosts import HostFetching
from scraper.crawl.pages import ARCHIVE_BATCH
from scraper.fetcher import Fetcher
from scraper.pool import extraction_pool
from scraper.roles import arm_frontier
from scraper.summary import CrawlSummary
from scraper.writer import Writer
from storage import frontier

logger = logging.getLogger(__name__)


class Crawler(HostFetching):
    """One crawl worker. Several may run at once against one PostgreSQL frontier."""

    @property
    def heartbeat_interval(self) -> float:
        """Seconds between lease renewals: a third of a lease, at least a second."""
        return max(1.0, self.crawl.lease_seconds / 3)

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


def _cpus() -> int:
    import os

    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


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
