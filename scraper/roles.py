"""What a crawl process does besides fetching: the leader's and the workers' roles.

The *leader* (``storyline crawl``, the scheduler's jobs) puts the seeds on the frontier
(:func:`arm_frontier`, under the run lock when its caller holds it) and ends when nothing is
due; a *worker* (``storyline worker``) only fetches, runs until stopped or until the
frontier is idle, and stops at the first sign that the database is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from scraper.config import Config
from scraper.urls import host_key
from storage import frontier
from storage.errors import DatabaseUnavailable
from storage.frontier import NewUrl
from storage.states import UrlKind
from storage.transient import is_transient

if TYPE_CHECKING:
    from scraper.crawl import Crawler

SEED_PRIORITY: dict[str, int] = {UrlKind.SITEMAP: 90, UrlKind.FEED: 100, UrlKind.PAGE: 80}


@dataclass(frozen=True)
class Role:
    """What one crawl process does besides fetching the frontier's due URLs.

    The *leader* (``storyline crawl``, the scheduler's jobs) arms the seeds and ends when
    nothing is due; a *worker* (``storyline worker``) only fetches, runs until stopped (or
    until the frontier is idle, other workers' leases included), and stops at the first
    sign that the database is gone, so a supervisor restarts it.
    """

    arm_seeds: bool = True
    #: poll for work when idle instead of ending
    forever: bool = False
    #: count other owners' leases as work still to come (they may expire back)
    wait_for_leases: bool = False
    stop_on_database_error: bool = False
    idle_poll: float = 1.0
    #: called in each heartbeat's transaction (the worker's own row)
    on_beat: Callable[[Session, Crawler], None] | None = None


LEADER = Role()
#: a leader whose seeds were armed by its caller, under the run lock
ARMED = Role(arm_seeds=False)


def arm_frontier(
    engine: Engine, config: Config, now: datetime, *, rearm_before: datetime | None
) -> int:
    """Every source's seeds on the frontier (re-armed when read before ``rearm_before``),
    and the pages they led to; return how many URLs were new. The leader's part."""
    seeds = [
        NewUrl(url, host_key(url), kind=kind, source=source.name, priority=SEED_PRIORITY[kind])
        for source in config.sources
        for url, kind in source.seeds
    ]
    with Session(engine) as session, session.begin():
        found = frontier.add_urls(session, seeds, now, rearm_before=rearm_before)
        if rearm_before is not None:
            frontier.rearm_discovered(
                session, now, before=rearm_before, sources=[s.name for s in config.sources]
            )
    return found


def is_database_error(exc: BaseException) -> bool:
    """``exc`` (or what it wraps) says the database is gone — refused, dropped, restarted,
    the connection cut — not one bad page, and not a deadlock a retry resolves."""
    if is_transient(exc):
        return False
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseUnavailable):
            return True
        if isinstance(current, DBAPIError) and (
            current.connection_invalidated or isinstance(current, OperationalError | InterfaceError)
        ):
            return True
        current = current.__cause__ or current.__context__
    return False
