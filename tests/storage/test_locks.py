"""Run locks on SQLite (lease rows) and PostgreSQL (advisory locks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.errors import LockHeld
from storage.locks import acquire, expire_stale_locks, lock_info, try_acquire

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
TTL = timedelta(minutes=2)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_second_holder_is_refused_with_the_holders_name(engine: Engine) -> None:
    with acquire(engine, "crawl", "cron@host-a:101", heartbeat=False):
        with (
            pytest.raises(LockHeld) as caught,
            acquire(engine, "crawl", "cron@host-b:202", heartbeat=False),
        ):
            pytest.fail("two holders at once")
        assert caught.value.holder == "cron@host-a:101"
        assert "cron@host-a:101" in str(caught.value)
        # Another name is another lock.
        with acquire(engine, "scheduler", "cron@host-b:202", heartbeat=False):
            pass
    with acquire(engine, "crawl", "cron@host-b:202", heartbeat=False):
        info = lock_info(engine, "crawl")
        assert info is not None and info.owner == "cron@host-b:202"
    assert lock_info(engine, "crawl") is None


def test_wait_takes_the_lock_when_the_holder_finishes(engine: Engine) -> None:
    first = try_acquire(engine, "crawl", "first")
    polls: list[float] = []

    def sleep(seconds: float) -> None:
        # The waiting run polls; meanwhile the first one finishes.
        polls.append(seconds)
        if len(polls) == 2:
            first.release()

    with acquire(
        engine, "crawl", "second", wait=True, heartbeat=False, sleep=sleep, poll_interval=0.5
    ) as held:
        assert held.owner == "second"
    assert polls == [0.5, 0.5]


def test_sqlite_lease_expires_and_a_lost_holder_notices(sqlite_url: str) -> None:
    from storage import open_archive

    engine = open_archive(sqlite_url)
    try:
        clock = Clock(T0)
        dead = try_acquire(engine, "crawl", "dead", ttl=TTL, clock=clock)
        clock.now = T0 + TTL - timedelta(seconds=1)
        with pytest.raises(LockHeld):
            try_acquire(engine, "crawl", "next", ttl=TTL, clock=clock)
        assert dead.renew()  # a live holder extends its lease
        clock.now = T0 + 2 * TTL - timedelta(seconds=2)
        with pytest.raises(LockHeld):
            try_acquire(engine, "crawl", "next", ttl=TTL, clock=clock)
        clock.now = T0 + 3 * TTL  # no renewal for a whole ttl: the holder is presumed dead
        taker = try_acquire(engine, "crawl", "next", ttl=TTL, clock=clock)
        assert not dead.renew() and dead.lost
        taker.release()
        try_acquire(engine, "stale", "gone", ttl=TTL, clock=Clock(T0))
        with Session(engine) as session, session.begin():
            assert expire_stale_locks(session, T0 + TTL + timedelta(seconds=1)) == 1
    finally:
        engine.dispose()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from datetime import timedelta
    from storage import open_archive
    from storage.locks import acquire
    engine = open_archive(sys.argv[1])
    with acquire(engine, "crawl", "victim:1", ttl=timedelta(seconds=float(sys.argv[2]))):
        print("held", flush=True)
        time.sleep(600)
    """
)


@pytest.fixture
def holder_process(db_url: str) -> Iterator[subprocess.Popen[str]]:
    open_archive_engine = __import__("storage").open_archive(db_url)
    open_archive_engine.dispose()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url, "3600"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_holder_killed_with_sigkill(db_url: str, holder_process: subprocess.Popen[str]) -> None:
    from storage import open_archive

    engine = open_archive(db_url)
    try:
        with pytest.raises(LockHeld) as caught:
            try_acquire(engine, "crawl", "cron:2")
        assert caught.value.holder == "victim:1"
        os.kill(holder_process.pid, signal.SIGKILL)
        holder_process.wait(timeout=30)
        if engine.dialect.name == "postgresql":
            # The server drops the advisory lock with the dead connection (give it a moment).
            with acquire(
                engine, "crawl", "cron:2", wait=True, poll_interval=0.1, heartbeat=False
            ) as held:
                assert held.owner == "cron:2"
        else:
            # The dead holder's lease runs for its ttl (an hour here): still held now …
            with pytest.raises(LockHeld):
                try_acquire(engine, "crawl", "cron:2")
            # … and free once it has expired.
            later = Clock(datetime.now(UTC) + timedelta(hours=1, minutes=1))
            try_acquire(engine, "crawl", "cron:2", clock=later).release()
    finally:
        engine.dispose()


def test_heartbeat_thread_renews(engine: Engine) -> None:
    with acquire(engine, "crawl", "beater", ttl=timedelta(seconds=0.3)) as held:
        first = lock_info(engine, "crawl")
        assert first is not None
        # Wait (bounded) for one heartbeat to move the expiry forward.
        for _ in range(200):
            info = lock_info(engine, "crawl")
            if info is not None and info.heartbeat_at > first.heartbeat_at:
                break
            held._stop.wait(0.05)
        else:
            pytest.fail("the heartbeat never renewed the lease")
        assert not held.lost
