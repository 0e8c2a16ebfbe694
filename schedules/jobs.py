"""The scheduler's jobs as plain functions: discover a source, sweep due revisits, tidy up.

Each takes a :class:`JobContext` (engine, parsed config, clock, stop signal, how to crawl)
so a test can call it alone, with a fake clock, without APScheduler. The runner injects the
context when APScheduler fires a job (only the job's name and arguments are persisted).

Every job that crawls *leads*: it takes the ``crawl`` run lock, without waiting, for the
parts one process at a time must do — putting the seeds and the due revisits on the
frontier, and settling the revisits afterwards — and fetches the frontier outside it, beside
any ``storyline worker`` and any other leader's crawl (the frontier's leases keep every URL
to one fetcher). A leader that finds the lock held skips its run: what it would have armed
is armed by the holder, or next time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from schedules.notify import notify_run
from scraper.config import Config, SourceConfig
from scraper.summary import name_changed
from scraper.urls import host_key
from storage import boilerplate, frontier
from storage.engine import first_line
from storage.errors import LockHeld
from storage.frontier import NewUrl
from storage.locks import acquire, default_owner, expire_stale_locks
from storage.models import Fetch
from storage.revisits import (
    REQUEUE_GUARD,
    count_due,
    enqueue_due,
    mark_all_due,
    mark_hinted_due,
    schedule_unscheduled,
    settle_fetched,
)
from storage.runs import RunKind, recorded

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

CRAWL_LOCK = "crawl"
#: the scheduler's job ids (also the ``job`` of their rows in the ``run`` table)
REVISIT_JOB = "revisit-sweep"
HOUSEKEEPING_JOB = "housekeeping"
DISCOVER_PREFIX = "discover:"
#: seed_interval that keeps the crawl from re-arming seeds itself (ten years)
NEVER_REARM = 10 * 365 * 86400.0


def utcnow() -> datetime:
    return datetime.now(UTC)


class CrawlFn(Protocol):
    """Runs one crawl of ``config`` until nothing is due or ``stop`` is set."""

    def __call__(
        self, engine: Engine, config: Config, *, stop: threading.Event, clock: Clock
    ) -> dict[str, Any]: ...


def crawl_until_stopped(
    engine: Engine,
    config: Config,
    *,
    stop: threading.Event,
    clock: Clock = utcnow,
    **crawler_options: Any,
) -> dict[str, Any]:
    """The real crawl (``scraper.crawl.Crawler``) in this thread, stopped cleanly by ``stop``.

    ``stop`` may be set from any thread (a signal handler, the scheduler's shutdown): the
    crawler then stores the pages already fetched and hands the rest back to the frontier.
    """

    from scraper.crawl import Crawler  # imported when crawling: the CLI loads fast
    from scraper.roles import ARMED

    crawler_options.setdefault("role", ARMED)  # the caller armed the seeds under the lock

    async def main() -> dict[str, Any]:
        crawler = Crawler(config, engine, clock=clock, **crawler_options)

        async def watch() -> None:
            while not stop.is_set():
                await asyncio.sleep(0.1)
            crawler.stop()

        watcher = asyncio.create_task(watch())
        try:
            return (await crawler.run()).as_dict()
        finally:
            watcher.cancel()

    return asyncio.run(main())


@dataclass(frozen=True)
class JobContext:
    """What every job needs at run time; never persisted."""

    engine: Engine
    config: Config
    crawl: CrawlFn = crawl_until_stopped
    clock: Clock = utcnow
    stop: threading.Event = field(default_factory=threading.Event)
    owner: str = field(default_factory=default_owner)
    lock_ttl: timedelta = timedelta(minutes=2)
    #: database errors that stopped the daemon (the first is reported when it exits)
    lost: list[BaseException] = field(default_factory=list)

    def database_lost(self, exc: BaseException, where: str) -> None:
        """Record a database failure in ``where`` and stop: one log line, not a traceback."""
        if not self.lost:  # INFO: the daemon's last line (exit status 3) says it again
            log.info("%s: the database failed, stopping: %s", where, first_line(exc))
        self.lost.append(exc)
        self.stop.set()


@dataclass(frozen=True)
class RevisitPrep:
    """What preparing a crawl's revisits did; ``marker``/``since`` settle them afterwards."""

    scheduled: int
    hinted: int
    queued: int
    marker: datetime
    since: datetime


def prepare_revisits(
    engine: Engine,
    config: Config,
    now: datetime,
    *,
    revisit_all: bool = False,
    limit: int | None = None,
) -> RevisitPrep:
    """Before a crawl: first revisits for new articles, hints, then due articles to the frontier."""
    with Session(engine) as session, session.begin():
        scheduled = schedule_unscheduled(session, now, config.revisit_for)
        if revisit_all:
            mark_all_due(session, now)
        hinted = mark_hinted_due(session, now)
        batch = limit if limit is not None else config.schedule.revisit_batch
        if revisit_all:
            batch = max(batch, 1_000_000)
        queued = enqueue_due(session, now, limit=batch, retry_after=REQUEUE_GUARD)
    if queued:
        log.info("%d articles due for a revisit put on the frontier", queued)
    return RevisitPrep(scheduled, hinted, queued, now + REQUEUE_GUARD, now)


def settle_revisits(engine: Engine, config: Config, prep: RevisitPrep, now: datetime) -> int:
    """After a crawl: next revisit times for what it fetched (and first ones for new articles)."""
    with Session(engine) as session, session.begin():
        settled = settle_fetched(session, prep.marker, prep.since, config.revisit_for)
        settled += schedule_unscheduled(session, now, config.revisit_for)
    return settled


@contextmanager
def leading(
    engine: Engine,
    owner: str,
    *,
    ttl: timedelta = timedelta(minutes=2),
    wait: bool = False,
    clock: Clock = utcnow,
    poll_interval: float = 2.0,
) -> Iterator[None]:
    """Hold the ``crawl`` run lock for one leader step (arming, settling).

    Raises :class:`storage.errors.LockHeld` when another leader is in its step, unless
    ``wait``. Steps are short (a few statements), so waiting is short too.
    """
    with acquire(
        engine, CRAWL_LOCK, owner, ttl=ttl, wait=wait, clock=clock, poll_interval=poll_interval
    ):
        yield


def arm_crawl(
    engine: Engine,
    config: Config,
    now: datetime,
    *,
    revisit_all: bool = False,
    source: SourceConfig | None = None,
) -> RevisitPrep:
    """The leader's step before a crawl, under the run lock: the seeds on the frontier (all
    of ``source``'s, due now, for a discovery job), then the revisits that are due."""
    from scraper.roles import arm_frontier

    if source is not None:
        arm_seeds(engine, source, now)
    rearm_before = now - timedelta(seconds=config.crawl.seed_interval)
    arm_frontier(engine, config, now, rearm_before=rearm_before)
    return prepare_revisits(engine, config, now, revisit_all=revisit_all)


def crawl_with_revisits(
    ctx: JobContext,
    config: Config,
    *,
    revisit_all: bool = False,
    wait: bool = False,
    poll_interval: float = 2.0,
    source: SourceConfig | None = None,
) -> dict[str, Any]:
    """One leader's crawl: arm seeds and due revisits (under the run lock), fetch the frontier
    (beside any workers, no lock), settle the revisits (under the lock again, waiting).

    Used by the daemon's jobs and by ``storyline crawl``. Raises
    :class:`storage.errors.LockHeld` when another leader is arming, unless ``wait``.
    """
    with leading(
        ctx.engine,
        ctx.owner,
        ttl=ctx.lock_ttl,
        wait=wait,
        clock=ctx.clock,
        poll_interval=poll_interval,
    ):
        prep = arm_crawl(ctx.engine, config, ctx.clock(), revisit_all=revisit_all, source=source)
    return fetch_and_settle(ctx, config, prep)


def fetch_and_settle(ctx: JobContext, config: Config, prep: RevisitPrep) -> dict[str, Any]:
    """The rest of a leader's crawl once armed: fetch the frontier without the lock, then
    settle the revisits under it (waiting for another leader's short step, if any)."""
    summary = ctx.crawl(ctx.engine, config, stop=ctx.stop, clock=ctx.clock)
    with leading(ctx.engine, ctx.owner, ttl=ctx.lock_ttl, wait=True, clock=ctx.clock):
        settled = settle_revisits(ctx.engine, config, prep, ctx.clock())
    return {
        **summary,
        "revisits_queued": prep.queued,
        "revisits_hinted": prep.hinted,
        "revisits_settled": settled,
    }


def cron_crawl(
    ctx: JobContext, *, wait: bool = False, revisit_all: bool = False, poll_interval: float = 2.0
) -> dict[str, Any]:
    """``storyline crawl`` in cron mode: lead one crawl (seeds and due revisits armed by one
    leader at a time), fetching beside any workers.

    Raises :class:`storage.errors.LockHeld` (naming the holder) when another leader is
    arming, unless ``wait``: then it waits for that step to end. ``revisit_all`` makes
    every known article due now first.
    """
    return crawl_with_revisits(
        ctx, ctx.config, revisit_all=revisit_all, wait=wait, poll_interval=poll_interval
    )


def _without_rearming(config: Config) -> Config:
    """The config with seeds never re-armed by the crawl itself (the jobs arm them)."""
    return replace(config, crawl=replace(config.crawl, seed_interval=NEVER_REARM))


def arm_seeds(engine: Engine, source: SourceConfig, now: datetime) -> int:
    """Make a source's seeds (feeds, sitemaps, section pages) due now, and what they led to
    (child sitemaps, followed pages); return how many seeds."""
    from scraper.roles import SEED_PRIORITY

    seeds = [
        NewUrl(url, host_key(url), kind=kind, source=source.name, priority=SEED_PRIORITY[kind])
        for url, kind in source.seeds
    ]
    with Session(engine) as session, session.begin():
        before = now + timedelta(microseconds=1)
        frontier.add_urls(session, seeds, now, rearm_before=before)
        # Child sitemaps and followed pages are read on their own, behind an unchanged parent.
        frontier.rearm_discovered(session, now, before=before, sources=[source.name])
    return len(seeds)


def _locked_crawl(
    ctx: JobContext, what: str, kind: RunKind, job: str, *, arm: SourceConfig | None = None
) -> dict[str, Any]:
    if ctx.stop.is_set():
        return {"skipped": "stopping"}
    config = _without_rearming(ctx.config)
    try:
        with leading(ctx.engine, ctx.owner, ttl=ctx.lock_ttl, clock=ctx.clock):
            prep = arm_crawl(ctx.engine, config, ctx.clock(), source=arm)
    except LockHeld as exc:
        # Another leader is arming: this run is skipped (and not recorded), not doubled.
        log.info("%s skipped: %s", what, exc)
        return {"skipped": str(exc)}
    with recorded(ctx.engine, kind, job, clock=ctx.clock) as run:
        result = fetch_and_settle(ctx, config, prep)
        run.counts = {k: v for k, v in result.items() if isinstance(v, int | float)}
        run.failures = dict(result.get("failed") or {})
        if "changed" in result:  # the crawl's own list; else the run asks the archive
            run.changed = [item["url"] for item in result["changed"]]
        # Issue 13: a message per changed article; a failing notifier fails nothing.
        stopping = ctx.stop.is_set()
        notify_run(
            ctx.engine, ctx.config.notify, result, run.counts, ctx.clock(), deliver_now=not stopping
        )
    if "changed" in result:
        changed = name_changed(result["changed"])
    else:
        changed = ", ".join(run.changed or []) or "none"
    log.info("%s done (run %d): %s; changed: %s", what, run.id, _brief(result), changed)
    return result


def _brief(result: dict[str, Any]) -> str:
    keys = ("fetched", "new_articles", "new_versions", "unchanged", "not_modified", "failed")
    return ", ".join(f"{k}={result.get(k)}" for k in keys if k in result)


def discover_source(ctx: JobContext, source: str) -> dict[str, Any]:
    """A source's discovery: its seeds due now, then a crawl of new articles and what is due.

    The crawl runs with the whole config (every source's scope and hosts stay known) but
    only this source's seeds are re-armed.
    """
    try:
        chosen = ctx.config.source(source)
    except KeyError:
        log.warning("source %r is no longer in %s; job skipped", source, ctx.config.path)
        return {"skipped": f"unknown source {source}"}
    return _locked_crawl(
        ctx, f"discovery of {source}", RunKind.DISCOVERY, f"{DISCOVER_PREFIX}{source}", arm=chosen
    )


def revisit_sweep(ctx: JobContext) -> dict[str, Any]:
    """Fetch the articles due for a revisit (conditional GETs), without reading the seeds.

    Seeds are not re-armed, so only frontier URLs that are due — the revisits, retries,
    links found earlier — are fetched.
    """
    now = ctx.clock()
    with Session(ctx.engine) as session, session.begin():
        schedule_unscheduled(session, now, ctx.config.revisit_for)
        due = count_due(session, now) + mark_hinted_due(session, now)
        waiting = frontier.due_hosts(session, now, limit=1)
    if due == 0 and not waiting:
        log.debug("revisit sweep: nothing due")
        return {"due": 0}
    return _locked_crawl(ctx, "revisit sweep", RunKind.REVISIT_SWEEP, REVISIT_JOB)


#: a candidate boilerplate line seen on one article only and not since this long is forgotten
BOILERPLATE_FORGET_AFTER = timedelta(days=30)


def housekeeping(ctx: JobContext, *, fetch_log_days: float | None = None) -> dict[str, int]:
    """Expired URL leases back to the frontier, dead holders' locks removed, old fetch rows pruned.

    Also forgets one-off boilerplate candidates (an article's own lines stay at one page
    forever), which keeps ``boilerplate_line`` to the lines that recur.
    """
    now = ctx.clock()
    with (
        recorded(ctx.engine, RunKind.HOUSEKEEPING, HOUSEKEEPING_JOB, clock=ctx.clock) as run,
        Session(ctx.engine) as session,
        session.begin(),
    ):
        run.changed = []
        result = {
            "leases_expired": frontier.expire_leases(session, now),
            "leases_reclaimed": frontier.reclaim_dead_local_leases(session),
            "locks_expired": expire_stale_locks(session, now),
            "revisits_scheduled": schedule_unscheduled(session, now, ctx.config.revisit_for),
            "fetches_pruned": 0,
            "boilerplate_pruned": boilerplate.prune(
                session, seen_before=now - BOILERPLATE_FORGET_AFTER, max_pages=1
            ),
        }
        if fetch_log_days is not None:
            cutoff = now - timedelta(days=fetch_log_days)
            pruned = session.execute(delete(Fetch).where(Fetch.started_at < cutoff))
            result["fetches_pruned"] = int(pruned.rowcount or 0)  # type: ignore[attr-defined]
        run.counts = dict(result)
    if any(result.values()):
        log.info("housekeeping: %s", ", ".join(f"{k}={v}" for k, v in result.items()))
    return result


__all__ = [
    "CRAWL_LOCK",
    "DISCOVER_PREFIX",
    "HOUSEKEEPING_JOB",
    "REVISIT_JOB",
    "CrawlFn",
    "JobContext",
    "RevisitPrep",
    "arm_crawl",
    "arm_seeds",
    "crawl_until_stopped",
    "crawl_with_revisits",
    "cron_crawl",
    "discover_source",
    "fetch_and_settle",
    "housekeeping",
    "leading",
    "prepare_revisits",
    "revisit_sweep",
    "settle_revisits",
]
