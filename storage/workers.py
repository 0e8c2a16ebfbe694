"""The ``worker`` table: which ``storyline worker`` processes share this archive, and how far.

Each worker writes its row when it starts and renews ``heartbeat_at`` (with its counts) on
every lease heartbeat; it marks the row ``stopped`` (or ``lost``, when the database failed
under it) on the way out. A row whose heartbeat is older than three periods belongs to a
worker that died without a word (SIGKILL, a lost machine): :func:`list_workers` shows it as
stale, and :func:`prune` forgets stopped and stale rows after a while. The frontier's
leases, not this table, decide who holds a URL; this table is for operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.errors import DatabaseUnavailable
from storage.models import Worker
from storage.states import WorkerState

#: heartbeats a worker may miss before its row is called stale
STALE_AFTER_BEATS = 3
#: stopped and stale rows are forgotten this long after their last heartbeat
FORGET_AFTER = timedelta(days=1)


class WorkerDatabaseLost(DatabaseUnavailable):
    """A worker stopped because the database failed under it (refused, dropped, restarted)."""


@dataclass(frozen=True)
class WorkerInfo:
    """One worker as ``storyline workers`` shows it."""

    id: str
    hostname: str
    pid: int
    state: str
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    claimed: int
    done: int
    stale: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "host": self.hostname,
            "pid": self.pid,
            "state": self.state,
            "stale": self.stale,
            "started_at": self.started_at.isoformat(),
            "heartbeat_at": self.heartbeat_at.isoformat(),
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "claimed": self.claimed,
            "done": self.done,
        }


def register(
    session: Session,
    worker_id: str,
    *,
    owner: str,
    hostname: str,
    pid: int,
    now: datetime,
    interval: float,
) -> None:
    """Write (or take over, for a restarted worker of the same id) the worker's row."""
    values = {
        "id": worker_id,
        "owner": owner,
        "hostname": hostname,
        "pid": pid,
        "state": WorkerState.RUNNING.value,
        "started_at": now,
        "heartbeat_at": now,
        "stopped_at": None,
        "interval": interval,
        "claimed": 0,
        "done": 0,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Worker).values(**values)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"], set_={k: v for k, v in values.items() if k != "id"}
        )
    )


def beat(
    session: Session,
    worker_id: str,
    now: datetime,
    *,
    claimed: int,
    done: int,
    state: WorkerState = WorkerState.RUNNING,
) -> bool:
    """Renew the worker's heartbeat and counts; False when its row is gone (pruned)."""
    result = session.execute(
        update(Worker)
        .where(Worker.id == worker_id)
        .values(heartbeat_at=now, claimed=claimed, done=done, state=state.value)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(
    session: Session,
    worker_id: str,
    now: datetime,
    *,
    claimed: int,
    done: int,
    state: WorkerState = WorkerState.STOPPED,
) -> None:
    """The worker ended (``stopped``, or ``lost`` when the database failed under it)."""
    session.execute(
        update(Worker)
        .where(Worker.id == worker_id)
        .values(heartbeat_at=now, stopped_at=now, claimed=claimed, done=done, state=state.value)
    )


def _is_stale(row: Worker, now: datetime) -> bool:
    if row.state in (WorkerState.STOPPED, WorkerState.LOST):
        return False
    return row.heartbeat_at < now - timedelta(seconds=STALE_AFTER_BEATS * row.interval)


def list_workers(session: Session, now: datetime, *, everything: bool = False) -> list[WorkerInfo]:
    """Workers that run (or went silent: ``stale``), oldest first; ``everything`` adds the
    stopped ones still remembered."""
    rows = session.scalars(select(Worker).order_by(Worker.started_at, Worker.id)).all()
    found = [
        WorkerInfo(
            id=row.id,
            hostname=row.hostname,
            pid=row.pid,
            state=row.state,
            started_at=row.started_at,
            heartbeat_at=row.heartbeat_at,
            stopped_at=row.stopped_at,
            claimed=row.claimed,
            done=row.done,
            stale=_is_stale(row, now),
        )
        for row in rows
    ]
    if everything:
        return found
    return [w for w in found if w.state not in (WorkerState.STOPPED, WorkerState.LOST)]


def prune(session: Session, now: datetime, *, older_than: timedelta = FORGET_AFTER) -> int:
    """Forget rows of workers that stopped, or went silent, more than ``older_than`` ago."""
    # A running worker beats every few seconds: one silent for a day is gone, whatever its
    # row says.
    result = session.execute(delete(Worker).where(Worker.heartbeat_at < now - older_than))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
