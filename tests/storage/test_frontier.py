"""The frontier and host politeness state, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage import frontier, hosts
from storage.frontier import DONE, FAILED, LEASED, NEW, NewUrl
from storage.models import Url

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def add(
    engine: Engine, *urls: str, kind: str = "article", host: str = "a.example", **kw: object
) -> int:
    with Session(engine) as session, session.begin():
        return frontier.add_urls(
            session,
            [NewUrl(u, host, kind=kind, **kw) for u in urls],
            T0,  # type: ignore[arg-type]
        )


def claim(
    engine: Engine, owner: str = "w1", now: datetime = T0, limit: int = 10, **kw: object
) -> list[frontier.Claimed]:
    with Session(engine) as session, session.begin():
        return frontier.claim(session, owner, now, lease_seconds=60, limit=limit, **kw)  # type: ignore[arg-type]


def state_of(engine: Engine, url: str) -> Url:
    with Session(engine) as session:
        row = frontier.get(session, url)
        assert row is not None
        session.expunge(row)
        return row


def test_add_dedupes_by_url(engine: Engine) -> None:
    assert add(engine, "http://a.example/1", "http://a.example/2", "http://a.example/1") == 2
    assert add(engine, "http://a.example/2", "http://a.example/3") == 1
    with Session(engine) as session:
        assert frontier.counts(session) == {NEW: 3, LEASED: 0, DONE: 0, FAILED: 0}


def test_claim_leases_once_and_counts_attempts(engine: Engine) -> None:
    add(engine, *(f"http://a.example/{i}" for i in range(5)))
    first = claim(engine, limit=3)
    assert [c.url for c in first] == [f"http://a.example/{i}" for i in range(3)]
    assert all(c.attempts == 1 for c in first)
    second = claim(engine, owner="w2", limit=10)
    assert {c.url for c in second} == {"http://a.example/3", "http://a.example/4"}
    assert claim(engine, owner="w3") == []
    row = state_of(engine, first[0].url)
    assert row.state == LEASED and row.lease_owner == "w1" and row.lease_expires_at == at(60)


def test_priority_first(engine: Engine) -> None:
    add(engine, "http://a.example/article")
    add(engine, "http://a.example/feed", kind="feed", priority=10)
    assert [c.kind for c in claim(engine)] == ["feed", "article"]


def test_complete_fail_and_retry(engine: Engine) -> None:
    add(engine, "http://a.example/ok", "http://a.example/gone", "http://a.example/busy")
    claimed = {c.url: c for c in claim(engine)}
    with Session(engine) as session, session.begin():
        frontier.complete(
            session,
            claimed["http://a.example/ok"].id,
            at(1),
            status=200,
            etag='"e"',
            last_modified="x",
            article_id=None,
        )
        frontier.fail(
            session,
            claimed["http://a.example/gone"].id,
            at(1),
            error="http-status: HTTP 404",
            status=404,
        )
        frontier.fail(
            session,
            claimed["http://a.example/busy"].id,
            at(1),
            error="http-status: HTTP 503",
            status=503,
            retry_at=at(30),
        )
    ok = state_of(engine, "http://a.example/ok")
    assert (
        ok.state == DONE
        and ok.etag == '"e"'
        and ok.lease_owner is None
        and ok.last_fetched_at == at(1)
    )
    assert state_of(engine, "http://a.example/gone").state == FAILED
    assert claim(engine, now=at(29)) == []
    retried = claim(engine, now=at(30))
    assert [c.url for c in retried] == ["http://a.example/busy"]
    assert retried[0].attempts == 2 and retried[0].etag is None
    with Session(engine) as session:
        assert frontier.failures(session) == {"http-status": 1}


def test_expired_leases_come_back(engine: Engine) -> None:
    add(engine, "http://a.example/x")
    assert len(claim(engine)) == 1
    with Session(engine) as session, session.begin():
        assert frontier.expire_leases(session, at(59)) == 0
        assert frontier.expire_leases(session, at(61)) == 1
    again = claim(engine, owner="w2", now=at(61))
    assert [c.attempts for c in again] == [2]


def test_heartbeat_extends_and_release_gives_attempt_back(engine: Engine) -> None:
    add(engine, "http://a.example/x", "http://a.example/y")
    claim(engine)
    with Session(engine) as session, session.begin():
        assert frontier.heartbeat(session, "w1", at(50), 60) == 2
        assert frontier.expire_leases(session, at(100)) == 0
        assert frontier.release(session, "other") == 0
        assert frontier.release(session, "w1") == 2
    again = claim(engine, owner="w2", now=at(1))
    assert sorted(c.attempts for c in again) == [1, 1]


def test_host_in_backoff_is_not_claimed(engine: Engine) -> None:
    add(engine, "http://a.example/x")
    add(engine, "http://b.example/y", host="b.example")
    with Session(engine) as session, session.begin():
        until = hosts.record_failure(session, "a.example", T0, base=5, maximum=100, retry_after=20)
        assert until == at(20)
        assert frontier.due_hosts(session, T0, limit=10) == ["b.example"]
        assert frontier.next_due(session, T0) == at(20)
    assert [c.host for c in claim(engine)] == ["b.example"]
    assert [c.host for c in claim(engine, now=at(21))] == ["a.example"]


def test_backoff_doubles_and_resets(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        waits = [
            (hosts.record_failure(session, "h", T0, base=2, maximum=10) - T0).total_seconds()
            for _ in range(5)
        ]
        assert waits == [2, 4, 8, 10, 10]
        hosts.record_success(session, "h")
        state = hosts.get_host(session, "h")
        assert state is not None and state.consecutive_failures == 0 and state.backoff_until is None


def test_robots_are_remembered(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        hosts.save_robots(
            session,
            "h",
            status=200,
            text="User-agent: *\nDisallow: /x",
            fetched_at=T0,
            crawl_delay=2.0,
        )
    with Session(engine) as session:
        state = hosts.get_host(session, "h")
        assert state is not None and state.robots_status == 200 and state.crawl_delay == 2.0
        assert state.robots_fetched_at == T0


def test_seeds_are_rearmed_once_per_crawl_articles_are_not(engine: Engine) -> None:
    add(engine, "http://a.example/feed", kind="feed")
    add(engine, "http://a.example/story")
    claimed = claim(engine)
    with Session(engine) as session, session.begin():
        for c in claimed:
            frontier.complete(session, c.id, at(1), status=200)
    with Session(engine) as session, session.begin():
        items = [
            NewUrl("http://a.example/feed", "a.example", kind="feed"),
            NewUrl("http://a.example/story", "a.example"),
        ]
        # the same crawl (started at 0) does not re-read its feed
        assert frontier.add_urls(session, items, at(2), rearm_before=T0) == 0
    assert state_of(engine, "http://a.example/feed").state == DONE
    with Session(engine) as session, session.begin():
        frontier.add_urls(session, items, at(100), rearm_before=at(100))
    assert state_of(engine, "http://a.example/feed").state == NEW
    assert state_of(engine, "http://a.example/story").state == DONE
    # an article whose sitemap lastmod is newer than its last fetch is due again
    with Session(engine) as session, session.begin():
        frontier.add_urls(
            session, [NewUrl("http://a.example/story", "a.example", lastmod_hint=at(50))], at(100)
        )
    assert state_of(engine, "http://a.example/story").state == NEW


def test_mark_seen_closes_aliases(engine: Engine) -> None:
    add(engine, "http://a.example/alias", "http://a.example/other")
    with Session(engine) as session, session.begin():
        assert frontier.mark_seen(session, ["http://a.example/alias"], T0, article_id=None) == 1
    assert [c.url for c in claim(engine)] == ["http://a.example/other"]


def test_dead_local_workers_leases_are_reclaimed(engine: Engine) -> None:
    add(engine, "http://a.example/x", "http://a.example/y")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_owner = f"thismachine:{dead.stdout.strip()}:abc"
    live_owner = "thismachine:1:def"  # pid 1 is alive
    claim(engine, owner=dead_owner, limit=1)
    claim(engine, owner=live_owner, limit=1)
    with Session(engine) as session, session.begin():
        assert frontier.reclaim_dead_local_leases(session, hostname="thismachine") == 1
    # the killed attempt still counts, so a page that kills its worker runs out of attempts
    assert [(c.url, c.attempts) for c in claim(engine, owner="w3")] == [("http://a.example/x", 2)]


def test_concurrent_claims_never_overlap(engine: Engine) -> None:
    add(engine, *(f"http://a.example/{i}" for i in range(200)))
    results: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def worker(name: str) -> None:
        barrier.wait()
        got: list[int] = []
        while True:
            batch = claim(engine, owner=name, limit=7)
            if not batch:
                break
            got.extend(c.id for c in batch)
        results[name] = got

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for ids in results.values() for i in ids]
    assert len(every) == 200 == len(set(every))
    with Session(engine) as session:
        owners = set(session.scalars(select(Url.lease_owner)))
    assert owners <= {"w0", "w1", "w2", "w3"}
