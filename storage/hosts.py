"""Politeness state per host, in the ``host`` table so it holds across runs and workers.

Every function works inside the caller's session and transaction. :func:`take_slot` and
:func:`finish_request` lock the host's row (``FOR UPDATE`` on
PostgreSQL; SQLite's write transactions are already exclusive), so two workers on two
machines never get the same request slot for one host.

The crawler *takes* a slot right before it sends (:func:`take_slot`) and holds the host
until its request has finished (:func:`finish_request`): the gap then runs from the end of
one worker's request to the start of any worker's next one, as it does inside one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, false, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Host


@dataclass(frozen=True)
class HostState:
    """A snapshot of one host's row."""

    host: str
    robots_txt: str | None = None
    robots_status: int | None = None
    robots_fetched_at: datetime | None = None
    crawl_delay: float | None = None
    next_request_at: datetime | None = None
    backoff_until: datetime | None = None
    backoff_seconds: float = 0.0
    consecutive_failures: int = 0


def _state(row: Host) -> HostState:
    return HostState(
        host=row.host,
        robots_txt=row.robots_txt,
        robots_status=row.robots_status,
        robots_fetched_at=row.robots_fetched_at,
        crawl_delay=row.crawl_delay,
        next_request_at=row.next_request_at,
        backoff_until=row.backoff_until,
        backoff_seconds=row.backoff_seconds or 0.0,
        consecutive_failures=row.consecutive_failures or 0,
    )


def ensure_host(session: Session, host: str) -> None:
    """Create the host's row if it is missing (safe against a concurrent insert)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Host).values(host=host, backoff_seconds=0.0, consecutive_failures=0)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["host"]))


def get_host(session: Session, host: str) -> HostState | None:
    row = session.get(Host, host, populate_existing=True)
    return _state(row) if row is not None else None


def _locked(session: Session, host: str) -> Host:
    ensure_host(session, host)
    row = session.scalar(
        select(Host)
        .where(Host.host == host)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert row is not None
    return row


def save_robots(
    session: Session,
    host: str,
    *,
    status: int | None,
    text: str | None,
    fetched_at: datetime,
    crawl_delay: float | None,
) -> None:
    """Remember a robots.txt answer (``status`` None: the server could not be reached)."""
    row = _locked(session, host)
    row.robots_status = status
    row.robots_txt = text
    row.robots_fetched_at = fetched_at
    row.crawl_delay = crawl_delay
    session.flush()


def take_slot(
    session: Session, host: str, now: datetime, gap: float, hold: float
) -> datetime | None:
    """Take ``host`` for one request if it is free now: None when taken, else when to ask again.

    One conditional ``UPDATE … RETURNING`` takes a free host (the database re-checks the
    condition on a row another transaction just changed), so of any number of workers on
    any number of machines exactly one takes it; the hold is the in-flight marker. Only a
    host that is not free (or has no row yet) costs a second look, under ``FOR UPDATE``.

    Free means ``next_request_at`` and any backoff have passed. Taken, ``next_request_at``
    moves ``hold`` seconds on (the longest a request may last, so a worker that dies holding
    the host blocks it no longer than that) until :func:`finish_request` with ``held``. A
    host held by a request in flight is free a gap after that request ends, which is unknown
    here: the caller is told to ask again a gap from now, not at the hold's expiry.
    """
    taken = session.execute(
        update(Host)
        .where(
            Host.host == host,
            or_(Host.backoff_until.is_(None), Host.backoff_until <= now),
            or_(Host.next_request_at.is_(None), Host.next_request_at <= now),
        )
        .values(next_request_at=hold_of(now, hold))
        .returning(Host.host)
        .execution_options(synchronize_session=False)
    ).first()
    if taken is not None:
        return None
    row = _locked(session, host)
    if row.backoff_until is not None and row.backoff_until > now:
        return row.backoff_until
    if row.next_request_at is not None and row.next_request_at > now:
        poll = now + timedelta(seconds=max(gap, 0.05))
        return min(row.next_request_at, poll)
    row.next_request_at = hold_of(now, hold)
    session.flush()
    return None


def hold_of(now: datetime, hold: float) -> datetime:
    """The ``next_request_at`` that :func:`take_slot` at ``now`` wrote (its hold's end)."""
    return now + timedelta(seconds=hold)


def finish_request(
    session: Session,
    host: str,
    finished_at: datetime,
    gap: float,
    *,
    held: bool = False,
    hold_until: datetime | None = None,
) -> None:
    """Push the next slot to ``gap`` after the end of a request (slow answers widen the gap).

    ``held``: the request's slot came from :func:`take_slot`, whose hold this releases.
    ``hold_until``: that hold's end, as taken; when the row holds something else, the hold
    lapsed and another worker took the host since: its hold is kept, never shortened.
    """
    earliest = finished_at + timedelta(seconds=gap)
    column = Host.next_request_at
    ours: ColumnElement[bool] = (
        false() if not held else true() if hold_until is None else column == hold_until
    )
    stmt = (
        update(Host)
        .where(Host.host == host)
        .values(
            next_request_at=case(
                (or_(ours, column.is_(None), column < earliest), earliest), else_=column
            )
        )
        .execution_options(synchronize_session=False)
    )
    if not session.execute(stmt).rowcount:  # type: ignore[attr-defined]
        ensure_host(session, host)
        session.execute(stmt)


def record_success(session: Session, host: str) -> None:
    """A request answered normally: forget the host's backoff."""
    session.execute(
        update(Host)
        .where(Host.host == host, Host.consecutive_failures > 0)
        .values(consecutive_failures=0, backoff_seconds=0.0, backoff_until=None)
    )


def record_failure(
    session: Session,
    host: str,
    now: datetime,
    *,
    base: float,
    maximum: float,
    retry_after: float | None = None,
) -> datetime:
    """A 5xx, 429, timeout or refused connection: back off exponentially, return until when.

    The wait is ``base * 2**(n-1)`` for the n-th failure in a row, at least what Retry-After
    asked, at most ``maximum``.
    """
    row = _locked(session, host)
    failures = (row.consecutive_failures or 0) + 1
    wait = base * (2 ** min(failures - 1, 30))
    if retry_after is not None:
        wait = max(wait, retry_after)
    wait = min(wait, maximum)
    until = now + timedelta(seconds=wait)
    row.consecutive_failures = failures
    row.backoff_seconds = wait
    if row.backoff_until is None or row.backoff_until < until:
        row.backoff_until = until
    session.flush()
    return row.backoff_until
