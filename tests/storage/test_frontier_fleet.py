"""The frontier for many workers: which hosts are due, and leases that outlive a dead worker."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from storage import frontier, hosts
from storage.frontier import NewUrl
from storage.models import Url

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_due_hosts_agree_with_the_rows_on_a_random_frontier(engine: Engine) -> None:
    """Best due priority first, then by name; hosts backing off or excluded left out."""
    rng = random.Random(14)
    names = [f"h{n:02d}.example" for n in range(40)]
    rows = []
    for i in range(600):
        host = rng.choice(names)
        rows.append(NewUrl(f"http://{host}/{i}", host, priority=rng.choice((0, 0, 0, 50, 80, 100))))
    with Session(engine) as session, session.begin():
        frontier.add_urls(session, rows, T0)
        for url in session.scalars(Url.__table__.select().with_only_columns(Url.id)).all():
            roll = rng.random()
            values: dict[str, object] = {}
            if roll < 0.3:
                values = {"state": "done"}
            elif roll < 0.4:
                values = {"state": "leased", "lease_owner": "w", "lease_expires_at": T0}
            elif roll < 0.55:
                values = {"next_fetch_at": T0 + timedelta(minutes=rng.choice((-5, 5)))}
            if values:
                session.execute(update(Url).where(Url.id == url).values(**values))
        for name in rng.sample(names, 4):
            hosts.record_failure(session, name, T0, base=60, maximum=60)
    with Session(engine) as session:
        table = session.execute(
            Url.__table__.select().with_only_columns(
                Url.host, Url.state, Url.priority, Url.next_fetch_at
            )
        ).all()
        backing_off = {
            h.host
            for h in (hosts.get_host(session, n) for n in names)
            if h is not None and h.backoff_until is not None and h.backoff_until > T0
        }
        best: dict[str, int] = {}
        for host, state, priority, next_fetch_at in table:
            if state != "new" or host in backing_off:
                continue
            if next_fetch_at is not None and next_fetch_at > T0:
                continue
            best[host] = max(best.get(host, priority), priority)
        expected = sorted(best, key=lambda h: (-best[h], h))
        assert backing_off and len(expected) > 10
        assert frontier.due_hosts(session, T0, limit=100) == expected
        assert frontier.due_hosts(session, T0, limit=5) == expected[:5]
        skip = expected[:3]
        assert frontier.due_hosts(session, T0, limit=5, exclude=skip) == expected[3:8]


def test_a_worker_waiting_for_leases_sees_them_come_due(engine: Engine) -> None:
    """A lease held by another owner counts as work still to come, at its expiry."""
    with Session(engine) as session, session.begin():
        frontier.add_urls(session, [NewUrl("http://a.example/1", "a.example")], T0)
        (claimed,) = frontier.claim(session, "dead:1:x", T0, lease_seconds=30, limit=1)
    with Session(engine) as session, session.begin():
        assert frontier.next_due(session, T0) is None
        expiry = T0 + timedelta(seconds=30)
        assert frontier.next_due(session, T0, leases_of_others="live:2:y") == expiry
        assert frontier.next_due(session, T0, leases_of_others="dead:1:x") is None
        assert frontier.expire_leases(session, expiry + timedelta(seconds=1)) == 1
        again = frontier.claim(
            session, "live:2:y", expiry + timedelta(seconds=1), lease_seconds=30, limit=1
        )
    assert [c.id for c in again] == [claimed.id]
