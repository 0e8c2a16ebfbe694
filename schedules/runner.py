"""The scheduler daemon: APScheduler 3.x in the foreground, its job store in the archive.

Jobs (see :mod:`schedules.jobs`): ``discover:<source>`` on each source's cron expression,
``revisit-sweep`` every ``[schedule] revisit_every``, ``housekeeping`` every
``housekeeping_every``. Every job has an explicit id, ``coalesce=True``,
``max_instances=1`` and a misfire grace of ``[schedule] misfire_grace`` (default a day: after
downtime a missed job runs once, not once per missed slot, and not never).

Only each job's *name and arguments* are stored (table ``apscheduler_jobs``); the engine,
config, clock and stop signal are injected at run time by :class:`ContextExecutor`, so
nothing unpicklable is persisted. On restart the stored jobs are matched by id: an
unchanged trigger keeps its stored next run time (a run missed while down is caught up
once); a changed one is replaced; jobs for sources no longer in the file are removed.

APScheduler job stores must not be shared by two schedulers, so the daemon holds the
``scheduler`` run lock for its whole life; a second daemon on the same archive exits.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import BasePoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from schedules.jobs import (
    DISCOVER_PREFIX,
    HOUSEKEEPING_JOB,
    REVISIT_JOB,
    JobContext,
    discover_source,
    housekeeping,
    revisit_sweep,
)
from scraper.config import Config
from storage.engine import first_line
from storage.errors import DatabaseUnavailable, StorageError
from storage.locks import acquire
from storage.revisits import format_duration

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
SCHEDULER_LOCK = "scheduler"


@dataclass(frozen=True)
class JobSpec:
    """One job the config asks for: id, the job function's reference, trigger, arguments."""

    id: str
    func: str
    trigger: BaseTrigger
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def trigger_text(self) -> str:
        return describe_trigger(self.trigger)


def describe_trigger(trigger: BaseTrigger) -> str:
    """A trigger as an operator wrote it: ``*/30 * * * *`` or ``every 10m``, time zone if not UTC."""
    if isinstance(trigger, CronTrigger):
        parts = {f.name: str(f) for f in trigger.fields}
        text = " ".join(parts[k] for k in ("minute", "hour", "day", "month", "day_of_week"))
        zone = str(trigger.timezone)
        return text if zone == "UTC" else f"{text} ({zone})"
    if isinstance(trigger, IntervalTrigger):
        return f"every {format_duration(trigger.interval.total_seconds())}"
    return str(trigger)


# -- entry points: what the job store names; the executor passes ``context`` ----------


def _needs(context: JobContext | None) -> JobContext:
    if context is None:
        raise RuntimeError("scheduled jobs run through ContextExecutor, which passes context=")
    return context


def run_discovery(source: str, context: JobContext | None = None) -> dict[str, Any]:
    return discover_source(_needs(context), source)


def run_revisit_sweep(context: JobContext | None = None) -> dict[str, Any]:
    return revisit_sweep(_needs(context))


def run_housekeeping(context: JobContext | None = None) -> dict[str, int]:
    return housekeeping(_needs(context))


def plan_jobs(config: Config) -> list[JobSpec]:
    """The jobs ``config`` asks for, in a fixed order."""
    schedule = config.schedule
    specs = [
        JobSpec(
            f"{DISCOVER_PREFIX}{source.name}",
            "schedules.runner:run_discovery",
            CronTrigger.from_crontab(source.schedule, timezone=schedule.timezone),
            {"source": source.name},
        )
        for source in config.sources
        if source.schedule
    ]
    specs.append(
        JobSpec(
            REVISIT_JOB,
            "schedules.runner:run_revisit_sweep",
            IntervalTrigger(seconds=schedule.revisit_every, timezone=UTC),
        )
    )
    specs.append(
        JobSpec(
            HOUSEKEEPING_JOB,
            "schedules.runner:run_housekeeping",
            IntervalTrigger(seconds=schedule.housekeeping_every, timezone=UTC),
        )
    )
    return specs


def _guarded(func: Callable[..., Any], context: JobContext, name: str) -> Callable[..., Any]:
    """Run a job; a database that fails under it stops the daemon with one line, not a
    traceback from APScheduler (the service manager restarts the daemon)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StorageError, SQLAlchemyError) as exc:
            context.database_lost(exc, name)
            return {"failed": first_line(exc)}

    return run


class _BoundJob:
    """A stored job seen through its run-time context: ``func(**kwargs, context=ctx)``."""

    def __init__(self, job: Job, context: JobContext) -> None:
        self._job = job
        self.func = _guarded(functools.partial(job.func, context=context), context, job.id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._job, name)

    def __str__(self) -> str:
        return str(self._job)


class ContextExecutor(BasePoolExecutor):
    """A thread pool executor that hands every job the daemon's :class:`JobContext`.

    One worker by default: the daemon's jobs run one after another, so a discovery and a
    revisit sweep never crawl at once in one process.
    """

    def __init__(self, context: JobContext, max_workers: int = 1) -> None:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers, thread_name_prefix="job")
        super().__init__(pool)
        self.context = context

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        if self.context.stop.is_set():
            # Stopping: the pool may already be shut down, and a submit would end in
            # APScheduler's "Error submitting job" traceback. The run stays due.
            log.debug("job %s not started: the scheduler is stopping", job.id)
            return
        super()._do_submit_job(_BoundJob(job, self.context), run_times)


def job_store(engine: Engine) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)


class _GuardedJobStore(SQLAlchemyJobStore):
    """The job store of a running daemon: a database error stops the daemon cleanly.

    APScheduler's loop lets an error from ``update_job`` or ``get_next_run_time`` kill its
    thread with a traceback; here it is reported once and the daemon stops.
    """

    def __init__(self, context: JobContext) -> None:
        super().__init__(engine=context.engine, tablename=JOB_TABLE)
        self._context = context

    def get_due_jobs(self, now: datetime) -> list[Job]:
        try:
            return list(super().get_due_jobs(now))
        except SQLAlchemyError as exc:
            self._context.database_lost(exc, "the job store")
            return []

    def update_job(self, job: Job) -> None:
        try:
            super().update_job(job)
        except SQLAlchemyError as exc:
            self._context.database_lost(exc, "the job store")

    def get_next_run_time(self) -> datetime | None:
        try:
            return super().get_next_run_time()
        except SQLAlchemyError as exc:
            self._context.database_lost(exc, "the job store")
            return None


def build_scheduler(context: JobContext) -> BackgroundScheduler:
    """A scheduler on the archive's job store with the context-injecting executor."""
    grace = int(context.config.schedule.misfire_grace)
    return BackgroundScheduler(
        jobstores={"default": _GuardedJobStore(context)},
        executors={"default": ContextExecutor(context)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        timezone=UTC,
    )


def sync_jobs(scheduler: BackgroundScheduler, specs: list[JobSpec], grace: float) -> dict[str, str]:
    """Make the stored jobs match ``specs``; return what happened to each id.

    Call on a started (paused) scheduler, so the stored jobs are visible.
    """
    actions: dict[str, str] = {}
    wanted = {spec.id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            actions[job.id] = "removed"
    for spec in specs:
        existing = scheduler.get_job(spec.id)
        options: dict[str, Any] = {
            "id": spec.id,
            "name": spec.id,
            "func": spec.func,
            "trigger": spec.trigger,
            "kwargs": spec.kwargs,
            "replace_existing": True,
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(grace),
        }
        if (
            existing is not None
            and describe_trigger(existing.trigger) == spec.trigger_text
            and existing.next_run_time is not None
        ):
            options["next_run_time"] = existing.next_run_time
            actions[spec.id] = "kept"
        else:
            actions[spec.id] = "replaced" if existing is not None else "added"
        scheduler.add_job(**options)
    return actions


@dataclass(frozen=True)
class StoredJob:
    """A job as stored in ``apscheduler_jobs``, for ``storyline schedule list``."""

    id: str
    func: str
    trigger: str
    next_run_time: datetime | None
    kwargs: dict[str, Any]


def stored_jobs(engine: Engine) -> list[StoredJob]:
    """The jobs in the archive's job store, read without starting a scheduler."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(JOB_TABLE):
            return []  # never run: and a read-only archive must not get the table now
    store = job_store(engine)
    store.start(BackgroundScheduler(timezone=UTC), "default")
    try:
        jobs = store.get_all_jobs()
    finally:
        store.shutdown()
    return [
        StoredJob(
            job.id, job.func_ref, describe_trigger(job.trigger), job.next_run_time, dict(job.kwargs)
        )
        for job in jobs
    ]


@contextmanager
def _signals_stop(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` (only in the main thread; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set():
            # A second signal: stop at once. Leases of pages in flight are taken back by the
            # next crawl (dead pid) or expire; the SQLite lock lease expires; nothing is lost.
            log.error("received %s again: exiting at once", name)
            logging.shutdown()
            os._exit(128 + signum)
        log.warning("received %s: stopping after the pages in flight (again: at once)", name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class Runner:
    """The daemon: hold the scheduler lock, sync the jobs, run until stopped."""

    def __init__(self, context: JobContext, *, lock_ttl: timedelta = timedelta(minutes=2)) -> None:
        self.context = context
        self.lock_ttl = lock_ttl
        self.scheduler: BackgroundScheduler | None = None
        self.actions: dict[str, str] = {}

    def request_stop(self) -> None:
        """Stop soon: no new jobs; a running crawl stores what it fetched, hands back the rest."""
        self.context.stop.set()

    def run(
        self,
        *,
        handle_signals: bool = True,
        on_started: Callable[[Runner], None] | None = None,
        poll: float = 0.5,
    ) -> None:
        """Run in the foreground until :meth:`request_stop`, SIGTERM or Ctrl-C.

        Raises :class:`storage.errors.LockHeld` when another daemon runs on this archive.
        """
        ctx = self.context
        signals = _signals_stop(ctx.stop) if handle_signals else _nothing()
        with (
            acquire(ctx.engine, SCHEDULER_LOCK, ctx.owner, ttl=self.lock_ttl) as lock,
            signals,
        ):
            scheduler = build_scheduler(ctx)
            self.scheduler = scheduler
            scheduler.start(paused=True)
            try:
                self.actions = sync_jobs(
                    scheduler, plan_jobs(ctx.config), ctx.config.schedule.misfire_grace
                )
                for job in scheduler.get_jobs():
                    log.info(
                        "job %s (%s): %s, next run %s",
                        job.id,
                        self.actions.get(job.id),
                        describe_trigger(job.trigger),
                        job.next_run_time,
                    )
                scheduler.resume()
                log.info("scheduler running on %s", ctx.config.path)
                if on_started is not None:
                    on_started(self)
                while not ctx.stop.wait(poll):
                    if lock.lost and not ctx.lost:
                        log.error("lost the scheduler lock; stopping")
                        ctx.stop.set()
            finally:
                ctx.stop.set()
                log.info("scheduler stopping: waiting for running jobs")
                scheduler.shutdown(wait=True)
                log.info("scheduler stopped")
        if ctx.lost or lock.lost:
            cause = ctx.lost[0] if ctx.lost else None
            reason = first_line(cause) if cause else "the scheduler lock's connection was lost"
            raise DatabaseUnavailable(f"the database was lost under the scheduler: {reason}")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


__all__ = [
    "DISCOVER_PREFIX",
    "HOUSEKEEPING_JOB",
    "JOB_TABLE",
    "REVISIT_JOB",
    "SCHEDULER_LOCK",
    "ContextExecutor",
    "JobSpec",
    "Runner",
    "StoredJob",
    "build_scheduler",
    "describe_trigger",
    "plan_jobs",
    "stored_jobs",
    "sync_jobs",
]
