"""Politeness per host for one crawler process, kept in the database for all of them.

robots.txt answers, request slots taken and held per request (the minimum gap, or the host's crawl-delay when it is
larger) and backoff after 429/503/5xx/timeouts live in the ``host`` table (see
:mod:`storage.hosts`), so they hold across cron runs and across workers on several
machines. This class adds the per-process memory that keeps database round trips off the
fast path: robots policies for this run, and whether a host has failures to forget.

All methods are synchronous (short transactions); the crawl loop runs them in a thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.config import CrawlConfig
from scraper.robots import RobotsPolicy
from storage import hosts

logger = logging.getLogger(__name__)


class Politeness:
    """Robots cache, request slots and backoff for the hosts one crawler talks to."""

    def __init__(self, engine: Engine, crawl: CrawlConfig, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._crawl = crawl
        self._clock = clock
        self._robots: dict[str, RobotsPolicy] = {}
        self._failing: dict[str, datetime] = {}
        #: hosts this process holds now, and until when (see :func:`storage.hosts.take_slot`)
        self._holds: dict[str, datetime] = {}
        #: on a shared archive a host is held even without a gap: one connection per host
        #: for every process, not only inside this one
        self._shared = engine.dialect.name == "postgresql"

    # -- robots.txt ------------------------------------------------------------------

    def cached_robots(self, host: str) -> RobotsPolicy | None:
        """This run's policy for ``host``, or the stored one while it is fresh and usable."""
        if host in self._robots:
            return self._robots[host]
        with Session(self._engine) as session:
            state = hosts.get_host(session, host)
        if state is None or state.robots_fetched_at is None:
            return None
        age = (self._clock() - state.robots_fetched_at).total_seconds()
        policy = RobotsPolicy.from_answer(
            state.robots_status, state.robots_txt, state.robots_fetched_at
        )
        if age > self._crawl.robots_ttl or policy.unreachable:
            return None
        self._robots[host] = policy
        return policy

    def robots_in_memory(self, host: str) -> RobotsPolicy | None:
        """This run's policy for ``host`` without touching the database."""
        return self._robots.get(host)

    def is_failing(self, host: str) -> bool:
        return host in self._failing

    def remember_robots(self, host: str, policy: RobotsPolicy) -> None:
        self._robots[host] = policy
        with Session(self._engine) as session, session.begin():
            hosts.save_robots(
                session,
                host,
                status=policy.status,
                text=policy.text or None,
                fetched_at=policy.fetched_at or self._clock(),
                crawl_delay=policy.crawl_delay(self._crawl.user_agent),
            )

    # -- gaps ------------------------------------------------------------------------

    def gap(self, host: str) -> float:
        """Seconds between two requests to ``host``: the delay, or its crawl-delay if larger."""
        gap = self._crawl.delay
        policy = self._robots.get(host)
        if self._crawl.obey_robots and policy is not None:
            crawl_delay = policy.crawl_delay(self._crawl.user_agent)
            if crawl_delay is not None and crawl_delay > gap:
                gap = crawl_delay
        return gap

    def holds(self, gap: float) -> bool:
        """Whether requests with this ``gap`` take the host's row: with a gap, or always on
        a shared (PostgreSQL) archive, where other processes may fetch the same host."""
        return gap > 0 or self._shared

    def take(self, host: str, gap: float) -> datetime | None:
        """Take ``host`` for one request now (None), or say when it is free (held or waiting).

        The hold lasts at most a fetch's deadline plus the gap; :meth:`finished` ends it.
        """
        hold = self._crawl.deadline + gap
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            free_at = hosts.take_slot(session, host, now, gap, hold)
        if free_at is None:
            self._holds[host] = hosts.hold_of(now, hold)
        return free_at

    def finished(self, host: str, gap: float) -> None:
        """A request to ``host`` ended now (its hold, if taken, ends): the next one waits a
        full gap from here."""
        if not self.holds(gap):
            return
        with Session(self._engine) as session, session.begin():
            hosts.finish_request(
                session, host, self._clock(), gap, held=True, hold_until=self._holds.pop(host, None)
            )

    # -- backoff ---------------------------------------------------------------------

    def succeeded(self, host: str) -> None:
        if host not in self._failing:
            return
        del self._failing[host]
        with Session(self._engine) as session, session.begin():
            hosts.record_success(session, host)

    def failed(self, host: str, retry_after: float | None = None) -> datetime:
        """A retryable failure at ``host``: back off (remembered), return until when."""
        with Session(self._engine) as session, session.begin():
            until = hosts.record_failure(
                session,
                host,
                self._clock(),
                base=self._crawl.backoff,
                maximum=self._crawl.max_backoff,
                retry_after=retry_after,
            )
        self._failing[host] = until
        logger.info("backing off %s until %s", host, until.isoformat())
        return until

    def backoff_until(self, host: str) -> datetime | None:
        """This process's last backoff for ``host`` while it lasts (claims skip the others)."""
        until = self._failing.get(host)
        if until is None or until <= self._clock():
            return None
        return until

    def later(self, seconds: float) -> datetime:
        return self._clock() + timedelta(seconds=seconds)
