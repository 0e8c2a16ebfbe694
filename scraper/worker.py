"""``storyline worker``: a crawl process that only fetches, any number of them, any machine.

A worker claims due URLs from the shared PostgreSQL frontier under leases (renewed by a
heartbeat), fetches them politely (the ``host`` row keeps one request per host and the gap
for the whole fleet), extracts them in its process pool and stores them — the crawl loop of
:mod:`scraper.crawl` in the :class:`~scraper.roles.Role` of a worker. It never takes the
archive's ``crawl`` run lock: a leader (``storyline crawl`` or ``storyline schedule run``)
arms the seeds and due revisits under it, and every process fetches.

Its row in the ``worker`` table (:mod:`storage.workers`) says who and where it is and how
far it got, renewed on each heartbeat. SIGTERM or Ctrl-C stops it cleanly: pages fetched
are stored, unfetched leases handed back. SIGKILL loses nothing: its leases expire and other
workers take the URLs. When the database goes away it stops claiming and raises
:class:`~storage.workers.WorkerDatabaseLost`, so a supervisor restarts it later.
"""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.allocator import limit_malloc_arenas
from scraper.config import Config
from scraper.crawl import Crawler, stop_on_signals
from scraper.errors import ConfigError
from scraper.fetched import utcnow
from scraper.roles import Role, is_database_error
from scraper.summary import CrawlSummary
from storage import frontier, workers
from storage.engine import describe, first_line
from storage.states import WorkerState
from storage.workers import WorkerDatabaseLost


class WorkerMode(StrEnum):
    """When a worker ends."""

    #: run until stopped (SIGTERM, Ctrl-C), polling for work when idle: the service
    FOREVER = "forever"
    #: fetch what is due now, then end
    ONCE = "once"
    #: end when nothing is due, counting retries within ``max_wait`` and other workers'
    #: leases (a killed worker's URLs come due when its leases expire)
    UNTIL_IDLE = "until-idle"


class NotSharedArchive(ConfigError):
    """``storyline worker`` was pointed at an SQLite archive (one machine's, one crawl's)."""


@dataclass(frozen=True)
class WorkerOptions:
    """How one worker runs; parsed from the command line."""

    worker_id: str | None = None
    concurrency: int | None = None
    mode: WorkerMode = WorkerMode.FOREVER
    #: seconds between looks at an idle frontier
    idle_poll: float = 1.0


@dataclass(frozen=True)
class WorkerReport:
    """What one worker did before it ended."""

    worker_id: str
    claimed: int
    summary: CrawlSummary
    stop_signal: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"worker": self.worker_id, "claimed": self.claimed, **self.summary.as_dict()}


def _counts(crawler: Crawler) -> dict[str, int]:
    """What the worker's row shows: URLs it leased, and URLs it fetched or gave up on."""
    return {
        "claimed": crawler.claimed,
        "done": crawler.summary.fetched + crawler.summary.failures,
    }


def run_worker(
    config: Config,
    engine: Engine,
    options: WorkerOptions,
    *,
    handle_signals: bool = True,
    **crawler_options: Any,
) -> WorkerReport:
    """Run one worker to its end (see :class:`WorkerMode`) and report what it did.

    Raises :class:`NotSharedArchive` on SQLite and :class:`WorkerDatabaseLost` when the
    database failed under it (its leases then expire; nothing fetched and stored is lost).
    """
    if engine.dialect.name != "postgresql":
        raise NotSharedArchive(
            "storyline worker needs a shared PostgreSQL archive; an SQLite archive is one"
            f" machine's: run 'storyline crawl' on it ({describe(engine)})"
        )
    limit_malloc_arenas()
    crawl = config.crawl
    if options.concurrency is not None:
        crawl = replace(crawl, concurrency=options.concurrency)
    if options.mode is WorkerMode.ONCE:
        crawl = replace(crawl, max_wait=0.0)
    config = replace(config, crawl=crawl)
    hostname, pid = socket.gethostname(), os.getpid()
    worker_id = options.worker_id or f"{hostname}:{pid}"
    owner = frontier.worker_id()
    interval = max(1.0, crawl.lease_seconds / 3)
    now = utcnow()
    with Session(engine) as session, session.begin():
        workers.prune(session, now)
        workers.register(
            session,
            worker_id,
            owner=owner,
            hostname=hostname,
            pid=pid,
            now=now,
            interval=interval,
        )

    def on_beat(session: Session, crawler: Crawler) -> None:
        state = WorkerState.STOPPING if crawler.summary.interrupted else WorkerState.RUNNING
        workers.beat(session, worker_id, utcnow(), **_counts(crawler), state=state)

    role = Role(
        arm_seeds=False,
        forever=options.mode is WorkerMode.FOREVER,
        wait_for_leases=options.mode is not WorkerMode.ONCE,
        stop_on_database_error=True,
        idle_poll=options.idle_poll,
        on_beat=on_beat,
    )
    crawler = Crawler(config, engine, owner=owner, role=role, **crawler_options)

    async def main() -> CrawlSummary:
        if handle_signals:
            stop_on_signals(crawler)
        return await crawler.run()

    try:
        summary = asyncio.run(main())
    except Exception as exc:
        if not is_database_error(exc):
            _finish(engine, worker_id, crawler, WorkerState.STOPPED)
            raise
        _finish(engine, worker_id, crawler, WorkerState.LOST)
        raise WorkerDatabaseLost(
            f"worker {worker_id} lost the database ({first_line(exc)}): it stopped claiming;"
            " its leases expire and other workers take its URLs",
            database=describe(engine),
        ) from exc
    _finish(engine, worker_id, crawler, WorkerState.STOPPED)
    return WorkerReport(worker_id, crawler.claimed, summary, summary.stop_signal)


def _finish(engine: Engine, worker_id: str, crawler: Crawler, state: WorkerState) -> None:
    """Mark the worker's row ended; a database that is gone leaves it to go stale."""
    try:
        with Session(engine) as session, session.begin():
            workers.finish(session, worker_id, utcnow(), **_counts(crawler), state=state)
    except Exception as exc:
        if not is_database_error(exc):
            raise
