"""What became of a fetched URL: done (one at a time or a batch at once), failed, or seen as
another name of an article already fetched."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import bindparam

from storage.frontier.known import DONE, FAILED, NEW, _chunks
from storage.frontier.leases import _unlease
from storage.models import Url


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
