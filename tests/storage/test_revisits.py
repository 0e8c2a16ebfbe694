"""The revisit policy, pure and through the archive on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.articles import get_article, record_page
from storage.models import Url
from storage.revisits import (
    REQUEUE_GUARD,
    RevisitPolicy,
    count_due,
    defer_revisit,
    due_articles,
    enqueue_due,
    mark_all_due,
    mark_hinted_due,
    note_modified_hint,
    parse_duration,
    record_not_modified,
    schedule_after_fetch,
    schedule_unscheduled,
    settle_fetched,
)
from storage.versioning import VersionFields

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)
BODY = " ".join(f"word{i}" for i in range(200))
FIELDS = VersionFields("Headline", ("A. Writer",), T0, None, None, "en", BODY, "test-1")


def test_parse_duration() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("1h") == H
    assert parse_duration("2d") == 2 * D
    assert parse_duration(" 1.5h ") == timedelta(minutes=90)
    assert parse_duration("1w") == 7 * D
    assert parse_duration("5") == timedelta(seconds=5)
    assert parse_duration(600) == timedelta(minutes=10)
    for bad in ("", "h", "-1h", "0m", "1y", float("nan"), 0):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_default_policy_walks_the_ages_then_stops() -> None:
    policy = RevisitPolicy()
    step, when = policy.next_revisit(0, False, T0)
    ages = []
    while when is not None:
        ages.append(when - T0)
        step, when = policy.next_revisit(step, False, when)
    assert ages == [H, 3 * H, 6 * H, 12 * H, D, 2 * D, 4 * D, 7 * D]
    assert step == 8


def test_a_change_brings_the_next_revisit_closer() -> None:
    policy = RevisitPolicy.parse(["1h", "6h", "1d"])
    assert policy.next_revisit(2, False, T0) == (3, T0 + 18 * H)
    assert policy.next_revisit(2, True, T0) == (1, T0 + H)
    assert policy.next_revisit(3, False, T0) == (3, None)
    assert policy.next_revisit(3, True, T0) == (1, T0 + H)


def test_policy_rejects_bad_ages() -> None:
    with pytest.raises(ValueError):
        RevisitPolicy.parse(["6h", "1h"])
    assert RevisitPolicy.parse([]).next_revisit(0, True, T0) == (0, None)


def _store(
    engine: Engine, url: str, fields: VersionFields, now: datetime, policy: RevisitPolicy
) -> str:
    with Session(engine) as session, session.begin():
        result = record_page(session, url=url, fields=fields, fetched_at=now, snapshot_id=None)
        assert result.article_id is not None
        changed = result.outcome in ("new-article", "new-version")
        schedule_after_fetch(session, result.article_id, now, changed, policy)
        return result.outcome


def test_a_week_of_revisits_with_one_change(engine: Engine) -> None:
    """Walk the clock from one due time to the next; the headline changes at the 12h visit."""
    policy = RevisitPolicy()
    url = "https://news.example/story-1"
    assert _store(engine, url, FIELDS, T0, policy) == "new-article"
    visits: list[tuple[timedelta, str]] = []
    fields = FIELDS
    for _ in range(20):
        with Session(engine) as session:
            article = get_article(session, url)
            when = article.next_revisit_at
        if when is None:
            break
        with Session(engine) as session:
            assert [d.url for d in due_articles(session, when - timedelta(seconds=1))] == []
            assert [d.url for d in due_articles(session, when)] == [url]
        if when - T0 == 12 * H:
            fields = replace(FIELDS, headline="Headline, corrected")
        visits.append((when - T0, _store(engine, url, fields, when, policy)))
    assert visits == [
        (H, "unchanged"),
        (3 * H, "unchanged"),
        (6 * H, "unchanged"),
        (12 * H, "new-version"),
        (13 * H, "unchanged"),  # the change restarted the curve
        (15 * H, "unchanged"),
        (18 * H, "unchanged"),
        (24 * H, "unchanged"),
        (36 * H, "unchanged"),
        (60 * H, "unchanged"),
        (108 * H, "unchanged"),
        (180 * H, "unchanged"),
    ]
    with Session(engine) as session:
        article = get_article(session, url)
        assert article.next_revisit_at is None
        assert article.current_version == 2


def test_due_articles_order_limit_and_conditional_headers(engine: Engine) -> None:
    policy = RevisitPolicy.parse(["1h"])
    for n in range(3):
        _store(engine, f"https://news.example/s-{n}", FIELDS, T0 + n * timedelta(minutes=1), policy)
    with Session(engine) as session, session.begin():
        session.add(
            Url(
                url="https://news.example/s-1",
                host="news.example",
                discovered_at=T0,
                etag='"abc"',
                last_modified="Mon, 02 Mar 2026 06:00:00 GMT",
            )
        )
    with Session(engine) as session:
        due = due_articles(session, T0 + 2 * H, limit=2)
        assert [d.url for d in due] == ["https://news.example/s-0", "https://news.example/s-1"]
        assert (due[1].etag, due[1].last_modified) == ('"abc"', "Mon, 02 Mar 2026 06:00:00 GMT")
        assert due[0].etag is None
        assert count_due(session, T0 + 2 * H) == 3
        assert count_due(session, T0) == 0


def test_not_modified_and_deferred(engine: Engine) -> None:
    policy = RevisitPolicy.parse(["1h", "3h"])
    url = "https://news.example/s"
    _store(engine, url, FIELDS, T0, policy)
    with Session(engine) as session, session.begin():
        article = get_article(session, url)
        when = record_not_modified(session, article.id, T0 + H, policy)
        assert when == T0 + 3 * H
        assert article.last_seen_at == T0 + H
        assert defer_revisit(session, article.id, T0 + 3 * H, timedelta(minutes=30)) == (
            T0 + 3 * H + timedelta(minutes=30)
        )
        assert article.revisit_step == 2


def test_revisit_all_and_hints(engine: Engine) -> None:
    policy = RevisitPolicy.parse(["1h"])
    for n in range(3):
        _store(engine, f"https://news.example/h-{n}", FIELDS, T0, policy)
        _store(engine, f"https://news.example/h-{n}", FIELDS, T0 + H, policy)  # revisits done
    later = T0 + 10 * D
    with Session(engine) as session, session.begin():
        assert count_due(session, later) == 0
        # A sitemap lastmod older than our last fetch is no news; a newer one is.
        assert not note_modified_hint(session, "https://news.example/h-0", T0, later)
        assert note_modified_hint(session, "https://news.example/h-0", T0 + 2 * H, later)
        assert not note_modified_hint(session, "https://news.example/unknown", later, later)
        session.add_all(
            [
                Url(
                    url="https://news.example/h-1",
                    host="news.example",
                    discovered_at=T0,
                    lastmod_hint=T0 + 5 * D,
                ),
                Url(
                    url="https://news.example/h-2",
                    host="news.example",
                    discovered_at=T0,
                    lastmod_hint=T0,
                ),
            ]
        )
        session.flush()
        assert mark_hinted_due(session, later) == 1
    with Session(engine) as session, session.begin():
        assert {d.url for d in due_articles(session, later)} == {
            "https://news.example/h-0",
            "https://news.example/h-1",
        }
        assert mark_all_due(session, later) == 3
    with Session(engine) as session:
        assert count_due(session, later) == 3


def test_enqueue_due_puts_revisits_on_the_frontier(engine: Engine) -> None:
    policy = RevisitPolicy.parse(["1h", "2h"])
    _store(engine, "https://news.example/q-0", FIELDS, T0, policy)  # fetched via `fetch`: no row
    _store(engine, "https://news.example/q-1", FIELDS, T0, policy)
    _store(engine, "https://news.example/q-2", FIELDS, T0 + 5 * H, policy)  # not due yet
    with Session(engine) as session, session.begin():
        session.add(
            Url(
                url="https://news.example/q-1",
                host="news.example",
                discovered_at=T0,
                state="done",
                attempts=2,
                etag='"e1"',
                last_fetched_at=T0,
            )
        )
    now = T0 + 2 * H
    with Session(engine) as session, session.begin():
        assert enqueue_due(session, now) == 2
    with Session(engine) as session, session.begin():
        rows = {u.url: u for u in session.query(Url).order_by(Url.url)}
        assert set(rows) == {"https://news.example/q-0", "https://news.example/q-1"}
        for row in rows.values():
            assert (row.state, row.next_fetch_at, row.attempts) == ("new", now, 0)
            assert row.article_id is not None
        assert rows["https://news.example/q-1"].etag == '"e1"'  # kept for the conditional GET
        # Not enqueued twice while waiting for the crawl.
        assert enqueue_due(session, now) == 0
        assert count_due(session, now + REQUEUE_GUARD) == 2


def test_schedule_unscheduled_is_a_safety_net(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        record_page(
            session, url="https://news.example/u", fields=FIELDS, fetched_at=T0, snapshot_id=None
        )
    policy = RevisitPolicy.parse(["2h", "1d"])
    with Session(engine) as session, session.begin():
        assert schedule_unscheduled(session, T0 + 10 * H, lambda source: policy) == 1
        article = get_article(session, "https://news.example/u")
        assert (article.revisit_step, article.next_revisit_at) == (1, T0 + 2 * H)
        assert schedule_unscheduled(session, T0 + 10 * H, lambda source: policy) == 0


def test_settle_fetched_after_a_crawl(engine: Engine) -> None:
    """Queued revisits get their next time from the fetch; a hinted change restarts the curve."""
    policy = RevisitPolicy.parse(["1h", "3h", "6h"])
    for name in ("queued", "hinted"):
        _store(engine, f"https://news.example/{name}", FIELDS, T0, policy)
    now = T0 + 2 * H
    with Session(engine) as session, session.begin():
        session.add_all(
            [
                Url(
                    url="https://news.example/queued",
                    host="news.example",
                    discovered_at=T0,
                    state="done",
                    last_fetched_at=T0,
                ),
                Url(
                    url="https://news.example/hinted",
                    host="news.example",
                    discovered_at=T0,
                    state="done",
                    last_fetched_at=T0,
                ),
            ]
        )
        session.flush()
        # Only "queued" is due at +2h ("hinted" got a later revisit by hand).
        get_article(session, "https://news.example/hinted").next_revisit_at = T0 + 5 * H
        assert enqueue_due(session, now) == 1
    marker = now + REQUEUE_GUARD
    # The crawl: "queued" is fetched unchanged; "hinted" was re-armed by a sitemap and changed.
    fetched = now + timedelta(minutes=1)
    with Session(engine) as session, session.begin():
        for url in ("https://news.example/queued", "https://news.example/hinted"):
            row = session.query(Url).filter_by(url=url).one()
            row.state, row.last_fetched_at = "done", fetched
        record_page(
            session,
            url="https://news.example/queued",
            fields=FIELDS,
            fetched_at=fetched,
            snapshot_id=None,
        )
        record_page(
            session,
            url="https://news.example/hinted",
            fields=replace(FIELDS, headline="Changed"),
            fetched_at=fetched,
            snapshot_id=None,
        )
    with Session(engine) as session, session.begin():
        assert settle_fetched(session, marker, now, lambda source: policy) == 2
        queued = get_article(session, "https://news.example/queued")
        hinted = get_article(session, "https://news.example/hinted")
        assert (queued.revisit_step, queued.next_revisit_at) == (2, fetched + 2 * H)
        assert (hinted.revisit_step, hinted.next_revisit_at) == (1, fetched + H)
    with Session(engine) as session, session.begin():
        # Again: the queued one no longer carries the marker; the hinted one comes out the same.
        assert settle_fetched(session, marker, now, lambda source: policy) == 1
        hinted = get_article(session, "https://news.example/hinted")
        assert (hinted.revisit_step, hinted.next_revisit_at) == (1, fetched + H)
