"""What is due on the frontier: the hosts with URLs to fetch now, and when the next comes due."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.frontier.known import LEASED, NEW
from storage.models import Host, Url

#: ``state = 'new'`` written out, not bound: the partial index ``ix_url_claim`` (and the
#: planner's proof that a query may use it) needs the literal, also in a cached generic plan.
_WAITING: ColumnElement[bool] = Url.state == literal_column(f"'{NEW.value}'")


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [_WAITING, or_(Url.next_fetch_at.is_(None), Url.next_fetch_at <= now)]


def _not_backing_off(now: datetime) -> ColumnElement[bool]:
    return Url.host.not_in(select(Host.host).where(Host.backoff_until > now).scalar_subquery())


def due_hosts(
    session: Session, now: datetime, *, limit: int, exclude: Collection[str] = ()
) -> list[str]:
    """Hosts with URLs due now and no backoff, best priority first.

    On PostgreSQL the hosts with waiting URLs are found by skipping through the claim index
    (``ix_url_claim``) one host at a time, and each host's best due URL is its first entry
    there: the cost follows the number of hosts, not of waiting URLs (a ``GROUP BY`` over
    millions of them takes seconds, and every crawl loop asks this several times a second).
    """
    if session.get_bind().dialect.name == "postgresql":
        return _due_hosts_by_skipping(session, now, limit=limit, exclude=exclude)
    query = (
        select(Url.host, func.max(Url.priority).label("p"))
        .where(*_due(now), _not_backing_off(now))
        .group_by(Url.host)
        .order_by(func.max(Url.priority).desc(), Url.host)
        .limit(limit + len(exclude))
    )
    if exclude:
        query = query.where(Url.host.not_in(list(exclude)))
    return [host for host, _ in session.execute(query)][:limit]


def _due_hosts_by_skipping(
    session: Session, now: datetime, *, limit: int, exclude: Collection[str]
) -> list[str]:
    """:func:`due_hosts` as a loose index scan (a recursive CTE over distinct hosts)."""
    inner = aliased(Url)
    first = select(Url.host).where(_WAITING).order_by(Url.host).limit(1).scalar_subquery()
    waiting = select(first.label("host")).cte("waiting_hosts", recursive=True)
    following = (
        select(inner.host)
        .where(inner.state == literal_column(f"'{NEW.value}'"), inner.host > waiting.c.host)
        .order_by(inner.host)
        .limit(1)
        .scalar_subquery()
    )
    waiting = waiting.union_all(select(following).where(waiting.c.host.is_not(None)))
    best = aliased(Url)
    best_priority = (
        select(best.priority)
        .where(
            best.host == waiting.c.host,
            best.state == literal_column(f"'{NEW.value}'"),
            or_(best.next_fetch_at.is_(None), best.next_fetch_at <= now),
        )
        .order_by(best.priority.desc(), best.id)
        .limit(1)
        .correlate(waiting)
        .scalar_subquery()
    )
    backing_off = select(Host.host).where(Host.backoff_until > now)
    ranked = (
        select(waiting.c.host.label("host"), best_priority.label("p"))
        .where(waiting.c.host.is_not(None), waiting.c.host.not_in(backing_off))
        .subquery("ranked")
    )
    query = (
        select(ranked.c.host)
        .where(ranked.c.p.is_not(None))
        .order_by(ranked.c.p.desc(), ranked.c.host)
        .limit(limit)
    )
    if exclude:
        query = query.where(ranked.c.host.not_in(list(exclude)))
    return list(session.scalars(query))


def next_due(
    session: Session, now: datetime, *, leases_of_others: str | None = None
) -> datetime | None:
    """When the earliest waiting URL (a retry, a host in backoff) comes due; None if none.

    Other workers' leases are not waited for: a live worker finishes them, a dead one's
    expire and the next crawl takes them. With ``leases_of_others`` (this worker's owner)
    they are: a lease held by another owner counts as due when it expires, so a worker
    that runs until the frontier is idle outlives a killed one and finishes its URLs.
    """
    pending = session.scalar(
        select(func.min(Url.next_fetch_at)).where(Url.state == NEW, Url.next_fetch_at > now)
    )
    backoff = session.scalar(
        select(func.min(Host.backoff_until)).where(
            Host.backoff_until > now,
            Host.host.in_(select(Url.host).where(and_(*_due(now))).scalar_subquery()),
        )
    )
    leased = None
    if leases_of_others is not None:
        leased = session.scalar(
            select(func.min(Url.lease_expires_at)).where(
                Url.state == LEASED, Url.lease_owner != leases_of_others
            )
        )
    candidates = [t for t in (pending, backoff, leased) if t is not None]
    return min(candidates) if candidates else None
