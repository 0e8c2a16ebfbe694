"""Politeness for a fleet: the ``host`` row decides for every worker, whichever engine asks.

Each "worker" here is an engine of its own (its own connections, as a process on another
machine would have); they race for one host at the same instant.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage import frontier, hosts, open_archive
from storage.frontier import NewUrl

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WORKERS = 6


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def fleet(engine: Engine, db_url: str) -> Iterator[list[Engine]]:
    """``WORKERS`` engines on the one archive (``engine`` migrated it)."""
    engines = [open_archive(db_url) for _ in range(WORKERS)]
    yield engines
    for other in engines:
        other.dispose()


def _race(fleet: list[Engine], now: datetime) -> list[datetime | None]:
    """Every engine asks for host ``h`` at the same instant; their answers."""
    barrier = threading.Barrier(len(fleet))
    answers: list[datetime | None] = []
    lock = threading.Lock()

    def race(worker: Engine) -> None:
        barrier.wait()
        with Session(worker) as session, session.begin():
            answer = hosts.take_slot(session, "h", now, 1.0, 5.0)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=race, args=(w,)) for w in fleet]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_of_workers_racing_for_a_free_host_exactly_one_takes_it(fleet: list[Engine]) -> None:
    with Session(fleet[0]) as session, session.begin():
        hosts.ensure_host(session, "h")
    for round_ in range(5):
        now = at(10 * round_)
        answers = _race(fleet, now)
        assert answers.count(None) == 1, f"round {round_}: {answers}"
        # The others are told to ask again (a gap from now), not at the hold's end.
        assert sorted({a for a in answers if a is not None}) == [now + timedelta(seconds=1)]
        with Session(fleet[0]) as session, session.begin():
            hosts.finish_request(session, "h", now + timedelta(seconds=2), 1.0, held=True)


def test_retry_after_seen_by_one_worker_binds_every_worker(fleet: list[Engine]) -> None:
    first, other = fleet[0], fleet[1]
    with Session(first) as session, session.begin():
        frontier.add_urls(session, [NewUrl("http://h/a", "h"), NewUrl("http://g/b", "g")], T0)
        until = hosts.record_failure(session, "h", T0, base=1.0, maximum=3600, retry_after=120)
    assert until == at(120)
    # Another worker (another engine) finds the host backing off: no slot, no claim.
    with Session(other) as session, session.begin():
        assert hosts.take_slot(session, "h", at(60), 1.0, 5.0) == at(120)
        assert frontier.due_hosts(session, at(60), limit=10) == ["g"]
        claimed = frontier.claim(session, "other:1:x", at(60), lease_seconds=30, limit=10)
        assert [c.url for c in claimed] == ["http://g/b"]
    with Session(other) as session, session.begin():
        assert hosts.take_slot(session, "h", at(120), 1.0, 5.0) is None
        claimed = frontier.claim(session, "other:1:x", at(120), lease_seconds=30, limit=10)
        assert [c.url for c in claimed] == ["http://h/a"]


def test_a_late_finish_does_not_cut_short_the_hold_of_the_next_worker(engine: Engine) -> None:
    """Worker A's hold lapsed (it overran) and B took the host: A's late finish must leave
    B's hold in place, or a third worker would send while B's request is in flight."""
    hold = 5.0
    with Session(engine) as session, session.begin():
        assert hosts.take_slot(session, "h", T0, 1.0, hold) is None  # A
    a_hold = hosts.hold_of(T0, hold)
    with Session(engine) as session, session.begin():
        assert hosts.take_slot(session, "h", at(6), 1.0, hold) is None  # B, after A's hold
    with Session(engine) as session, session.begin():
        hosts.finish_request(session, "h", at(6.5), 1.0, held=True, hold_until=a_hold)  # A, late
    with Session(engine) as session, session.begin():
        assert hosts.take_slot(session, "h", at(8), 1.0, hold) is not None  # B still holds
        hosts.finish_request(
            session, "h", at(9), 1.0, held=True, hold_until=hosts.hold_of(at(6), hold)
        )
    with Session(engine) as session, session.begin():
        assert hosts.take_slot(session, "h", at(10), 1.0, hold) is None
