"""A host's request slot is taken and held in its row: one request at a time, a gap apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage import hosts

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _take(engine: Engine, now: datetime, hold: float = 60.0) -> datetime | None:
    with Session(engine) as session, session.begin():
        return hosts.take_slot(session, "h", now, hold)


def _finish(engine: Engine, now: datetime, gap: float) -> None:
    with Session(engine) as session, session.begin():
        hosts.finish_request(session, "h", now, gap, held=True)


def test_a_held_host_is_not_taken_again_until_a_gap_after_the_request(engine: Engine) -> None:
    assert _take(engine, T0) is None  # taken
    # Another worker, during the request: the host is held (up to the hold).
    assert _take(engine, at(0.5)) == at(60)
    _finish(engine, at(2), gap=1.5)  # the request took 2 s
    assert _take(engine, at(3)) == at(3.5)  # still within the gap after it ended
    assert _take(engine, at(3.5)) is None


def test_a_dead_holders_hold_expires(engine: Engine) -> None:
    assert _take(engine, T0, hold=10) is None
    assert _take(engine, at(9.9), hold=10) == at(10)
    assert _take(engine, at(10), hold=10) is None


def test_backoff_keeps_the_host(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        until = hosts.record_failure(session, "h", T0, base=5, maximum=60)
    assert _take(engine, at(1)) == until
    assert _take(engine, until) is None
