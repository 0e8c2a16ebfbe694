"""Who holds a URL: claiming due URLs, renewing, handing back and taking back leases.

``attempts`` counts claims, so a page that kills its worker every time still runs out of
attempts; :func:`release` gives the attempt back when a worker hands a URL back unfetched.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.frontier.due import _due, _not_backing_off
from storage.frontier.known import _CHUNK, LEASED, NEW
from storage.locks import pid_gone
from storage.models import Url


@dataclass(frozen=True)
class Claimed:
    """A leased URL, with what the fetcher needs for a conditional GET."""

    id: int
    url: str
    host: str
    kind: str
    source: str | None
    attempts: int
    etag: str | None
    last_modified: str | None
    lastmod_hint: datetime | None
    article_id: int | None


def worker_id() -> str:
    """``host:pid:nonce`` — unique per process, and tells this machine's dead workers apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


def claim(
    session: Session,
    owner: str,
    now: datetime,
    *,
    lease_seconds: float,
    limit: int,
    host: str | None = None,
) -> list[Claimed]:
    """Lease up to ``limit`` due URLs (of one ``host``, if given) to ``owner``.

    Highest priority first, then oldest. Rows other workers are claiming are skipped, not
    waited for (PostgreSQL ``SKIP LOCKED``).
    """
    conditions = [*_due(now), _not_backing_off(now)]
    if host is not None:
        conditions.append(Url.host == host)
    picked = (
        select(Url.id)
        .where(*conditions)
        .order_by(Url.priority.desc(), Url.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # A CTE, evaluated once: PostgreSQL may re-run an ``IN (subquery LIMIT n)`` and lease more.
    chosen = picked.cte("picked")
    if session.get_bind().dialect.name == "postgresql":
        chosen = chosen.prefix_with("MATERIALIZED")
    stmt = (
        update(Url)
        .where(Url.id == chosen.c.id, Url.state == NEW)
        .values(
            state=LEASED,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=Url.attempts + 1,
        )
        .returning(
            Url.id,
            Url.url,
            Url.host,
            Url.kind,
            Url.source,
            Url.attempts,
            Url.etag,
            Url.last_modified,
            Url.lastmod_hint,
            Url.article_id,
            Url.priority,
        )
        .execution_options(synchronize_session=False)
    )
    rows = list(session.execute(stmt).all())
    rows.sort(key=lambda r: (-r.priority, r.id))
    return [
        Claimed(
            id=r.id,
            url=r.url,
            host=r.host,
            kind=r.kind,
            source=r.source,
            attempts=r.attempts,
            etag=r.etag,
            last_modified=r.last_modified,
            lastmod_hint=r.lastmod_hint,
            article_id=r.article_id,
        )
        for r in rows
    ]


def _unlocked(session: Session, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """``conditions``, and on PostgreSQL only rows no other transaction holds right now.

    A sweep over many rows (a heartbeat, expiring leases) that waited for row locks would
    deadlock with a page's transaction completing two of the same URLs in another order;
    a row locked by such a transaction is being finished anyway.
    """
    if session.get_bind().dialect.name != "postgresql":
        return and_(*conditions)
    free = select(Url.id).where(*conditions).with_for_update(skip_locked=True)
    return Url.id.in_(free.scalar_subquery())


def heartbeat(session: Session, owner: str, now: datetime, lease_seconds: float) -> int:
    """Extend every lease ``owner`` holds; return how many."""
    result = session.execute(
        update(Url)
        .where(_unlocked(session, Url.state == LEASED, Url.lease_owner == owner))
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _unlease() -> dict[str, object]:
    return {"lease_owner": None, "lease_expires_at": None}


def release(
    session: Session,
    owner: str,
    url_ids: Collection[int] | None = None,
    *,
    due_at: datetime | None = None,
) -> int:
    """Hand leased URLs back unfetched (all of ``owner``'s when ``url_ids`` is None)."""
    conditions = [Url.state == LEASED, Url.lease_owner == owner]
    ids = list(url_ids) if url_ids is not None else None
    total = 0
    batches: Iterable[Sequence[int] | None] = (
        [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)] if ids is not None else [None]
    )
    for batch in batches:
        where = [*conditions, Url.id.in_(batch)] if batch is not None else conditions
        result = session.execute(
            update(Url)
            .where(*where)
            .values(
                state=NEW,
                attempts=case((Url.attempts > 0, Url.attempts - 1), else_=0),
                next_fetch_at=due_at,
                **_unlease(),
            )
            .execution_options(synchronize_session=False)
        )
        total += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return total


def expire_leases(session: Session, now: datetime) -> int:
    """Make URLs whose lease ran out (their worker died or hung) due again."""
    result = session.execute(
        update(Url)
        .where(_unlocked(session, Url.state == LEASED, Url.lease_expires_at < now))
        .values(state=NEW, **_unlease())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def reclaim_dead_local_leases(session: Session, *, hostname: str | None = None) -> int:
    """Release at once the leases of workers on this machine whose process is gone.

    A cron crawl killed with SIGKILL should not make the next one wait out its leases.
    Owners are ``host:pid:nonce`` (see :func:`worker_id`); other machines' leases are left
    to expire.
    """
    hostname = hostname or socket.gethostname()
    owners = session.scalars(
        select(Url.lease_owner)
        .where(Url.state == LEASED, Url.lease_owner.like(f"{hostname}:%"))
        .distinct()
    ).all()
    total = 0
    for owner in owners:
        if owner is None:
            continue
        parts = owner.split(":")
        if len(parts) < 3 or not parts[-2].isdigit():
            continue
        if not pid_gone(int(parts[-2])):
            continue
        result = session.execute(
            update(Url)
            .where(Url.state == LEASED, Url.lease_owner == owner)
            .values(state=NEW, **_unlease())
            .execution_options(synchronize_session=False)
        )
        total += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return total
