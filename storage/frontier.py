"""The crawl frontier in the ``url`` table: what we know, what is due, who holds it.

A URL's life: ``new`` (due at ``next_fetch_at``, or now when that is null) → ``leased``
(a worker claimed it until ``lease_expires_at``) → ``done`` or ``failed``, or back to
``new`` with a later ``next_fetch_at`` when a retry is due. A worker killed with SIGKILL
loses nothing: its leases expire (or are reclaimed at once when the dead worker was on this
machine) and the URLs are claimed again. Claims take ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL so many workers share one frontier; on SQLite the write transaction is already
exclusive (BEGIN IMMEDIATE) and a single ``UPDATE … RETURNING`` claims a batch.

``attempts`` counts claims, so a page that kills its worker every time still runs out of
attempts; :func:`release` gives the attempt back when a worker hands a URL back unfetched.
All functions work in the caller's session and transaction; keep claim transactions short.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import bindparam

from storage.locks import pid_gone
from storage.models import Host, Url
from storage.states import UrlKind, UrlState

log = logging.getLogger(__name__)

NEW = UrlState.NEW
LEASED = UrlState.LEASED
DONE = UrlState.DONE
FAILED = UrlState.FAILED
STATES = tuple(UrlState)

ARTICLE = UrlKind.ARTICLE
_CHUNK = 500


@dataclass(frozen=True)
class NewUrl:
    """A URL found by discovery (already canonical); ``host`` is its politeness key."""

    url: str
    host: str
    kind: str = ARTICLE
    source: str | None = None
    priority: int = 0
    lastmod_hint: datetime | None = None


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


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add_urls(
    session: Session,
    urls: Iterable[NewUrl],
    now: datetime,
    *,
    rearm_before: datetime | None = None,
) -> int:
    """Insert the URLs not known yet (due now); return how many were added.

    A URL the database refuses is logged and skipped; the others are added all the same.

    Known URLs that are not articles (feeds, sitemaps, section pages) are made due again
    when they were last fetched before ``rearm_before`` — seeds are read once per crawl —
    unless a sitemap ``lastmod`` hint says they have not changed since. A known article is
    made due again only when its ``lastmod`` hint is newer than its last fetch.
    """
    wanted: dict[str, NewUrl] = {}
    for item in urls:
        wanted.setdefault(item.url, item)
    if not wanted:
        return 0
    existing: dict[str, tuple[int, str, str, datetime | None, datetime | None]] = {}
    for chunk in _chunks(list(wanted)):
        rows = session.execute(
            select(
                Url.url, Url.id, Url.kind, Url.state, Url.last_fetched_at, Url.lastmod_hint
            ).where(Url.url.in_(chunk))
        )
        for url, id_, kind, state, last_fetched, hint in rows:
            existing[url] = (id_, kind, state, last_fetched, hint)
    fresh = [item for url, item in wanted.items() if url not in existing]
    refused = 0
    if fresh:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        rows_to_insert = [
            {
                "url": item.url,
                "host": item.host,
                "source": item.source,
                "kind": item.kind,
                "state": NEW,
                "priority": item.priority,
                "discovered_at": now,
                "next_fetch_at": None,
                "attempts": 0,
                "lastmod_hint": item.lastmod_hint,
            }
            for item in fresh
        ]
        statement = insert(Url).on_conflict_do_nothing(index_elements=["url"])
        for start in range(0, len(rows_to_insert), _CHUNK):
            batch = rows_to_insert[start : start + _CHUNK]
            try:
                with session.begin_nested():
                    session.execute(statement, batch)
            except DBAPIError:
                # One row the database refuses (too long for an index, say) must not cost
                # the others their place: insert them one by one, and skip only the bad ones.
                for row in batch:
                    try:
                        with session.begin_nested():
                            session.execute(statement, [row])
                    except DBAPIError as exc:
                        log.warning(
                            "could not add %.100s to the frontier: %s", row["url"], exc.orig
                        )
                        refused += 1
    rearm: list[int] = []
    hints: list[tuple[int, datetime]] = []
    for url, (id_, kind, state, last_fetched, old_hint) in existing.items():
        item = wanted[url]
        hint = item.lastmod_hint
        if hint is not None and (old_hint is None or hint > old_hint):
            hints.append((id_, hint))
        if state not in (DONE, FAILED):
            continue
        if kind == ARTICLE:
            if hint is not None and last_fetched is not None and hint > last_fetched:
                rearm.append(id_)
        elif rearm_before is not None and (last_fetched is None or last_fetched < rearm_before):
            if (
                hint is not None
                and last_fetched is not None
                and hint <= last_fetched
                and state == DONE
            ):
                continue
            rearm.append(id_)
    for id_, hint in hints:
        session.execute(update(Url).where(Url.id == id_).values(lastmod_hint=hint))
    for start in range(0, len(rearm), _CHUNK):
        session.execute(
            update(Url)
            .where(Url.id.in_(rearm[start : start + _CHUNK]))
            .values(state=NEW, next_fetch_at=now, attempts=0)
        )
    session.flush()
    return len(fresh) - refused


def rearm_discovered(
    session: Session, now: datetime, *, before: datetime, sources: Collection[str]
) -> int:
    """Make every feed, sitemap and section page that ``sources`` know due again when it was
    last read before ``before``; return how many.

    Child sitemaps of an index and followed section pages are frontier entries of their own,
    each with its own conditional GET: a parent that answers 304 (or lists them with a stale
    ``lastmod``) must not hide the stories that appeared below it. One that failed for good
    is re-armed only when a parent lists it again (:func:`add_urls`).
    """
    if not sources:
        return 0
    result = session.execute(
        update(Url)
        .where(
            Url.kind != ARTICLE,
            Url.state == DONE,
            Url.source.in_(list(sources)),
            or_(Url.last_fetched_at.is_(None), Url.last_fetched_at < before),
        )
        .values(state=NEW, next_fetch_at=now, attempts=0)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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


def complete(
    session: Session,
    url_id: int,
    now: datetime,
    *,
    status: int | None,
    etag: str | None = None,
    last_modified: str | None = None,
    article_id: int | None = None,
    note: str | None = None,
) -> None:
    """The URL was fetched (and stored, or read for links): it is done."""
    values: dict[str, object] = {
        "state": DONE,
        "last_fetched_at": now,
        "last_status": status,
        "last_error": note,
        "next_fetch_at": None,
        **_unlease(),
    }
    if etag is not None or last_modified is not None:
        values["etag"] = etag
        values["last_modified"] = last_modified
    if article_id is not None:
        values["article_id"] = article_id
    session.execute(
        update(Url)
        .where(Url.id == url_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def fail(
    session: Session,
    url_id: int,
    now: datetime,
    *,
    error: str,
    status: int | None = None,
    retry_at: datetime | None = None,
) -> None:
    """A failed attempt: due again at ``retry_at``, or ``failed`` for good when it is None."""
    values: dict[str, object] = {
        "last_fetched_at": now,
        "last_status": status,
        "last_error": error[:2000],
        **_unlease(),
    }
    if retry_at is None:
        values.update(state=FAILED, next_fetch_at=None)
    else:
        values.update(state=NEW, next_fetch_at=retry_at)
    session.execute(
        update(Url)
        .where(Url.id == url_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


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


def mark_seen(
    session: Session, urls: Collection[str], now: datetime, *, article_id: int | None
) -> int:
    """URLs that turned out to be an article already fetched (alias, canonical): done, not due."""
    total = 0
    items = list(urls)
    for chunk in _chunks(items):
        result = session.execute(
            update(Url)
            .where(Url.url.in_(chunk), Url.state == NEW)
            .values(
                state=DONE,
                last_fetched_at=now,
                article_id=article_id,
                last_error="duplicate of a fetched article",
            )
            .execution_options(synchronize_session=False)
        )
        total += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return total


def counts(session: Session, *, source: str | None = None) -> dict[str, int]:
    """How many URLs are in each state."""
    query = select(Url.state, func.count()).group_by(Url.state)
    if source is not None:
        query = query.where(Url.source == source)
    found: dict[str, int] = {state: 0 for state in STATES}
    found.update({state: int(n) for state, n in session.execute(query)})
    return found


def failures(session: Session) -> dict[str, int]:
    """Failed URLs by the first word of their last error (their reason)."""
    rows = session.execute(select(Url.last_error).where(Url.state == FAILED))
    out: dict[str, int] = {}
    for (error,) in rows:
        reason = (error or "unknown").split(":", 1)[0]
        out[reason] = out.get(reason, 0) + 1
    return out


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


def get(session: Session, url: str) -> Url | None:
    return session.scalar(select(Url).where(Url.url == url))


# -- completing a batch of fetched URLs at once ------------------------------------------


@dataclass(frozen=True)
class Completion:
    """One fetched URL for :func:`complete_many`: the arguments of :func:`complete`."""

    url_id: int
    at: datetime
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    article_id: int | None = None
    note: str | None = None


def complete_many(session: Session, done: Iterable[Completion]) -> None:
    """:func:`complete` for several URLs: one executemany per set of columns written.

    A crawl worker stores its pages in batches; one UPDATE statement per page cost more in
    building the statement than in running it. Rows are matched by id only, exactly as
    :func:`complete` does.
    """
    groups: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for c in done:
        row: dict[str, object] = {
            "url_id": c.url_id,
            "state": DONE,
            "last_fetched_at": c.at,
            "last_status": c.status,
            "last_error": c.note,
            "next_fetch_at": None,
            **_unlease(),
        }
        if c.etag is not None or c.last_modified is not None:
            row["etag"] = c.etag
            row["last_modified"] = c.last_modified
        if c.article_id is not None:
            row["article_id"] = c.article_id
        groups.setdefault(tuple(row), []).append(row)
    table = Url.__table__
    for rows in groups.values():
        # Core, not the ORM (whose bulk UPDATE insists on matching every row): the SET
        # clause is made of the parameters named like columns.
        session.execute(update(table).where(table.c.id == bindparam("url_id")), rows)  # type: ignore[arg-type]
