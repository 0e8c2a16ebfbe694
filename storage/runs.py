"""The run record: one ``run`` row per crawl, discovery, revisit sweep or housekeeping.

A run is written when it starts (so a run killed with SIGKILL still shows, without an end)
and completed when it ends, with its exit status, counts, failures by reason and the
articles it changed. ``storyline runs`` and ``storyline schedule list`` read it.
"""

from __future__ import annotations

import enum
import logging
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage.engine import first_line
from storage.errors import StorageError
from storage.models import Article, Run, Version

log = logging.getLogger(__name__)

#: Exit status recorded for a run that raised, when the caller gives no classifier.
FAILED = 1
DATABASE = 3


class RunKind(enum.StrEnum):
    CRAWL = "crawl"
    DISCOVERY = "discovery"
    REVISIT_SWEEP = "revisit-sweep"
    HOUSEKEEPING = "housekeeping"


@dataclass
class RunNote:
    """What a run fills in while it works; written to its row when it ends."""

    id: int
    started_at: datetime
    exit_code: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    changed: list[str] | None = None


def _default_exit(exc: BaseException) -> int:
    return DATABASE if isinstance(exc, StorageError | SQLAlchemyError) else FAILED


def start_run(engine: Engine, kind: RunKind, job: str | None, now: datetime) -> RunNote:
    with Session(engine) as session, session.begin():
        row = Run(
            kind=str(kind),
            job=job,
            host=socket.gethostname()[:200],
            started_at=now,
            counts={},
            failures={},
            changed=[],
        )
        session.add(row)
        session.flush()
        return RunNote(id=row.id, started_at=now)


def changed_since(session: Session, since: datetime, until: datetime) -> list[str]:
    """Articles given a version (new or changed) between ``since`` and ``until``."""
    rows = session.scalars(
        select(Article.url)
        .join(Version, Version.article_id == Article.id)
        .where(Version.fetched_at >= since, Version.fetched_at <= until)
        .group_by(Article.url)
        .order_by(func.min(Version.fetched_at))
    )
    return list(rows)


def finish_run(
    engine: Engine, note: RunNote, now: datetime, *, error: str | None = None
) -> list[str]:
    """Complete the run's row; returns the articles it changed."""
    with Session(engine) as session, session.begin():
        changed = (
            note.changed
            if note.changed is not None
            else changed_since(session, note.started_at, now)
        )
        row = session.get(Run, note.id)
        if row is not None:
            row.finished_at = now
            row.exit_code = note.exit_code
            row.counts = dict(note.counts)
            row.failures = dict(note.failures)
            row.changed = list(changed)
            row.error = error
        return list(changed)


@contextmanager
def recorded(
    engine: Engine,
    kind: RunKind,
    job: str | None = None,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    exit_for: Callable[[BaseException], int] = _default_exit,
) -> Iterator[RunNote]:
    """Record the ``with`` block as one run; an exception is recorded, then re-raised.

    A database that fails while the end is written (it is what ended the run, often) is
    logged, not raised over the run's own exception.
    """
    note = start_run(engine, kind, job, clock())
    try:
        yield note
    except BaseException as exc:
        note.exit_code = exit_for(exc) if isinstance(exc, Exception) else 130
        try:
            finish_run(engine, note, clock(), error=first_line(exc))
        except (StorageError, SQLAlchemyError) as db_exc:
            log.info("run %d: could not record its end: %s", note.id, first_line(db_exc))
        raise
    note.changed = finish_run(engine, note, clock())


def list_runs(session: Session, since: datetime | None = None, limit: int = 50) -> Sequence[Run]:
    """Runs started at or after ``since``, newest first."""
    query = select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
    if since is not None:
        query = query.where(Run.started_at >= since)
    return session.scalars(query).all()


def last_runs(session: Session) -> dict[str, Run]:
    """The latest run of each job id (scheduler jobs) and of each kind, keyed by either."""
    by_kind = select(func.max(Run.id)).group_by(Run.kind)
    by_job = select(func.max(Run.id)).where(Run.job.is_not(None)).group_by(Run.job)
    latest: dict[str, Run] = {}
    for row in session.scalars(select(Run).where(Run.id.in_(by_kind.union(by_job)))):
        if row.kind not in latest or latest[row.kind].id < row.id:
            latest[row.kind] = row
        if row.job:
            latest[row.job] = row
    return latest
