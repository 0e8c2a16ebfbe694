"""Run locks: one ``storyline crawl`` (or one scheduler) per archive at a time.

PostgreSQL: a session advisory lock held on a dedicated connection for the lock's life; the
server drops it the moment the holder's connection goes, however the holder died. A
``run_lock`` row beside it only records who holds it, for the message the loser prints.

SQLite: a lease row in ``run_lock`` that the holder renews (a heartbeat thread, or
:meth:`HeldLock.renew`); a holder killed with SIGKILL stops renewing and its lease expires
after ``ttl``, after which the next run takes over — at once when the holder was a process
on this machine that no longer runs (its owner is ``host:pid``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from storage.engine import describe, first_line
from storage.errors import LockHeld, StorageError
from storage.models import RunLock

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

DEFAULT_TTL = timedelta(minutes=2)


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_owner() -> str:
    """``host:pid`` — enough for an operator to find the holder."""
    return f"{socket.gethostname()}:{os.getpid()}"


def pid_gone(pid: int) -> bool:
    """True when no process ``pid`` runs here: none at all, or a zombie awaiting its reaper."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")


def holder_gone(owner: str, hostname: str | None = None) -> bool:
    """True when ``owner`` (``host:pid``) names a process of this machine that is gone.

    Owners on other machines, or not of that form, are never judged gone: their leases
    expire instead.
    """
    host, _, pid = owner.rpartition(":")
    if not pid.isdigit() or host != (hostname or socket.gethostname()):
        return False
    return pid_gone(int(pid))


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from the lock's name."""
    digest = hashlib.sha256(f"storyline:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock, as recorded in ``run_lock``."""

    name: str
    owner: str
    acquired_at: datetime
    expires_at: datetime
    heartbeat_at: datetime


def _info(row: RunLock | None) -> LockInfo | None:
    if row is None:
        return None
    return LockInfo(row.name, row.owner, row.acquired_at, row.expires_at, row.heartbeat_at)


def lock_info(engine: Engine, name: str) -> LockInfo | None:
    """The recorded holder of ``name`` (possibly expired), or None."""
    readonly = engine.connect().execution_options(storyline_readonly=True)
    with readonly as conn, Session(bind=conn) as session:
        return _info(session.get(RunLock, name))


def expire_stale_locks(session: Session, now: datetime) -> int:
    """Delete lease rows whose holder stopped renewing (housekeeping)."""
    result = session.execute(delete(RunLock).where(RunLock.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass
class HeldLock:
    """A lock this process holds; renewed by a heartbeat thread unless told otherwise."""

    engine: Engine
    name: str
    owner: str
    ttl: timedelta
    clock: Clock
    acquired_at: datetime
    connection: Connection | None = None  # PostgreSQL: the advisory lock's connection
    lost: bool = False
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def renew(self) -> bool:
        """Extend the lease (SQLite) or check the lock's connection (PostgreSQL).

        Returns False, and marks the lock lost, when another process has taken it over.
        """
        now = self.clock()
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT 1"))
            except DBAPIError:
                log.info("run lock %s: its connection is gone; the lock is lost", self.name)
                self.lost = True
                return False
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(RunLock)
                .where(RunLock.name == self.name, RunLock.owner == self.owner)
                .values(expires_at=now + self.ttl, heartbeat_at=now)
            )
            renewed = bool(result.rowcount)  # type: ignore[attr-defined]
        if not renewed and self.connection is None:
            log.error(
                "run lock %s: lease of %s was taken over; the lock is lost", self.name, self.owner
            )
            self.lost = True
        return renewed or self.connection is not None

    def start_heartbeat(self, interval: float) -> None:
        def beat() -> None:
            while not self._stop.wait(interval):
                try:
                    if not self.renew():
                        return
                except Exception as exc:  # a busy database must not kill the holder; retry
                    log.warning("run lock %s: heartbeat failed: %s", self.name, first_line(exc))

        self._thread = threading.Thread(target=beat, name=f"lock-{self.name}", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Give the lock up. A database that cannot be written (gone, read-only, full) is
        logged, not raised over what ended the holder: the row's lease expires, or the next
        run on this machine sees its process is gone."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        try:
            with Session(self.engine) as session, session.begin():
                session.execute(
                    delete(RunLock).where(RunLock.name == self.name, RunLock.owner == self.owner)
                )
        except (SQLAlchemyError, StorageError) as exc:
            log.info("run lock %s: not released: %s", self.name, first_line(exc))
        finally:
            if self.connection is not None:
                _close_advisory(self.connection, self.name)
                self.connection = None


def _close_advisory(conn: Connection, name: str) -> None:
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(name)})
    except DBAPIError:
        log.info("run lock %s: unlock failed (connection gone; the server dropped it)", name)
    finally:
        # Never hand a connection that may still hold the lock back to the pool.
        conn.invalidate()
        conn.close()


def _held(engine: Engine, name: str, info: LockInfo | None) -> LockHeld:
    if info is None:
        return LockHeld(
            f"run lock {name!r} is held by another process", name=name, database=describe(engine)
        )
    return LockHeld(
        f"run lock {name!r} is held by {info.owner} since {info.acquired_at.isoformat()}"
        f" (lease until {info.expires_at.isoformat()})",
        name=name,
        holder=info.owner,
        acquired_at=info.acquired_at,
        expires_at=info.expires_at,
        database=describe(engine),
    )


def _write_row(session: Session, name: str, owner: str, now: datetime, ttl: timedelta) -> None:
    row = session.get(RunLock, name)
    if row is None:
        session.add(
            RunLock(name=name, owner=owner, acquired_at=now, expires_at=now + ttl, heartbeat_at=now)
        )
    else:
        row.owner, row.acquired_at, row.expires_at, row.heartbeat_at = owner, now, now + ttl, now


def try_acquire(
    engine: Engine, name: str, owner: str, *, ttl: timedelta = DEFAULT_TTL, clock: Clock = utcnow
) -> HeldLock:
    """Take the lock now or raise :class:`LockHeld` naming its holder."""
    now = clock()
    if engine.dialect.name == "postgresql":
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key(name)})
        except BaseException:
            conn.invalidate()
            conn.close()
            raise
        if not got:
            conn.close()
            raise _held(engine, name, lock_info(engine, name))
        try:
            with Session(engine) as session, session.begin():
                _write_row(session, name, owner, now, ttl)
        except BaseException:
            _close_advisory(conn, name)
            raise
        return HeldLock(engine, name, owner, ttl, clock, now, connection=conn)
    holder: LockInfo | None = None
    with Session(engine) as session, session.begin():  # BEGIN IMMEDIATE: one taker at a time
        row = session.scalar(select(RunLock).where(RunLock.name == name))
        if (
            row is not None
            and row.owner != owner
            and row.expires_at > now
            and not holder_gone(row.owner)
        ):
            holder = _info(row)
        else:
            if row is not None and row.owner != owner:
                why = "expired lease" if row.expires_at <= now else "lease (its process is gone)"
                log.warning("run lock %s: taking over the %s of %s", name, why, row.owner)
            _write_row(session, name, owner, now, ttl)
    if holder is not None:
        raise _held(engine, name, holder)
    return HeldLock(engine, name, owner, ttl, clock, now)


@contextmanager
def acquire(
    engine: Engine,
    name: str,
    owner: str | None = None,
    *,
    ttl: timedelta = DEFAULT_TTL,
    wait: bool = False,
    clock: Clock = utcnow,
    heartbeat: bool = True,
    poll_interval: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[HeldLock]:
    """Hold the run lock ``name`` for the ``with`` block.

    Raises :class:`LockHeld` at once when another process holds it, unless ``wait``: then
    polls every ``poll_interval`` seconds until it is free. With ``heartbeat`` a thread renews
    the lease every third of ``ttl``; without it, call :meth:`HeldLock.renew` yourself.
    """
    owner = owner or default_owner()
    announced = False
    while True:
        try:
            held = try_acquire(engine, name, owner, ttl=ttl, clock=clock)
            break
        except LockHeld as exc:
            if not wait:
                raise
            if not announced:
                log.info("waiting for %s", exc)
                announced = True
            sleep(poll_interval)
    if heartbeat:
        held.start_heartbeat(max(ttl.total_seconds() / 3, 0.05))
    try:
        yield held
    finally:
        held.release()
