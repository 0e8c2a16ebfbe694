"""The crawl's writer: a write that loses a deadlock is applied again, not lost."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from scraper.writer import Writer
from storage import open_archive
from storage.models import HostProfile


def _bump(session_or_conn: object, host: str) -> None:
    session_or_conn.execute(  # type: ignore[attr-defined]
        update(HostProfile)
        .where(HostProfile.host == host)
        .values(pages_seen=HostProfile.pages_seen + 1)
    )


def test_a_write_that_loses_a_deadlock_is_applied_again(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scraper.writer")
    engine = open_archive(postgres_url)
    with engine.begin() as conn:
        conn.execute(insert(HostProfile), [{"host": h, "pages_seen": 0} for h in ("a", "b")])
    barrier = threading.Barrier(2)

    def first(session: Session) -> None:
        _bump(session, "a")

    calls: list[int] = []

    def second(session: Session) -> None:
        calls.append(1)
        if len(calls) == 1:
            barrier.wait(timeout=10)
        # This side notices the deadlock first, so the writer is the one PostgreSQL aborts.
        session.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
        _bump(session, "b")

    def other() -> None:
        with engine.begin() as conn:
            _bump(conn, "b")
            barrier.wait(timeout=10)
            _bump(conn, "a")

    async def run() -> None:
        writer = Writer(engine, interval=0.05)
        task = asyncio.create_task(writer.run())
        await writer.put(first)
        await writer.put(second)
        await writer.drain()
        task.cancel()

    thread = threading.Thread(target=other)
    thread.start()
    asyncio.run(run())
    thread.join(timeout=30)

    with Session(engine) as session:
        seen = dict(session.execute(select(HostProfile.host, HostProfile.pages_seen)).all())
    engine.dispose()
    assert seen == {"a": 2, "b": 2}, "both writers' updates landed"
    assert "lost a race" in caplog.text
    assert "could not store" not in caplog.text
    assert len(calls) == 2
