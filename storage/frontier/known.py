"""The URLs the frontier knows: adding what discovery found, re-arming seeds, counting.

The state names (``NEW`` … ``FAILED``) every part of the frontier writes live here too.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.models import Url
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


def get(session: Session, url: str) -> Url | None:
    return session.scalar(select(Url).where(Url.url == url))
