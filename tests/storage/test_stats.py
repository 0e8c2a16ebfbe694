"""Archive figures on both databases, checked against the rows each test writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from schedules.jobs import DISCOVER_PREFIX
from storage import FetchRecord, VersionFields, put_snapshot, record_fetch, record_page
from storage.models import Url
from storage.runs import RunKind, finish_run, start_run
from storage.stats import DISCOVERY_JOB_PREFIX, archive_stats, source_stats

NOW = datetime(2026, 6, 10, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
BODY = " ".join(["The harbour board met to discuss the repairs to the north pier."] * 5)


def page(headline: str, extra: str = "") -> VersionFields:
    return VersionFields(
        headline=headline,
        authors=(),
        published_at=None,
        modified_at=None,
        description=None,
        language="en",
        body=BODY + extra,
        extractor="test",
    )


def put(engine: Engine, url: str, at: datetime, source: str | None, extra: str = "") -> None:
    with Session(engine) as session, session.begin():
        snapshot = put_snapshot(
            session, f"<html>{url}{extra}{BODY}</html>".encode(), content_type="text/html", now=at
        )
        stored = record_page(
            session,
            url=url,
            fields=page(url, extra),
            fetched_at=at,
            snapshot_id=snapshot,
            source=source,
        )
        record_fetch(
            session,
            FetchRecord(
                url=url,
                started_at=at,
                status=200,
                outcome=stored.outcome,
                snapshot_id=snapshot,
                article_id=stored.article_id,
            ),
        )


def fail(engine: Engine, url: str, at: datetime, kind: str, outcome: str = "failed") -> None:
    with Session(engine) as session, session.begin():
        record_fetch(
            session,
            FetchRecord(url=url, started_at=at, status=404, error_kind=kind, outcome=outcome),
        )


def seed(engine: Engine, url: str, source: str, read_at: datetime) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Url(
                url=url,
                host="north.example",
                source=source,
                kind="feed",
                state="done",
                discovered_at=read_at,
                last_fetched_at=read_at,
            )
        )
        # a frontier row for an article URL of the source, so its failed fetch is its
        session.add(
            Url(
                url="https://north.example/missing",
                host="north.example",
                source=source,
                kind="article",
                state="failed",
                discovered_at=read_at,
            )
        )


def build(engine: Engine) -> None:
    """north: 2 articles (one with 3 versions) on 2 hosts; south: 1 article; no source: 1."""
    put(engine, "https://north.example/a", NOW - 3 * DAY, "north")
    put(engine, "https://north.example/a", NOW - 2 * DAY, "north", " Update: the pier reopened.")
    put(engine, "https://north.example/a", NOW - 1 * DAY, "north", " A third paragraph.")
    put(engine, "https://www.north.example/b", NOW - 1 * DAY, "north")
    put(engine, "https://south.example/c", NOW - 40 * DAY, "south")  # outside a 30-day window
    put(engine, "https://else.example/d", NOW, None)
    seed(engine, "https://north.example/feed.xml", "north", NOW - 2 * DAY)
    fail(engine, "https://north.example/missing", NOW - 1 * DAY, "http-status")
    fail(engine, "https://north.example/missing", NOW - 2 * DAY, "http-status")
    fail(engine, "https://north.example/missing", NOW - 50 * DAY, "timeout")  # outside
    with Session(engine) as session, session.begin():
        record_fetch(
            session,
            FetchRecord(
                url="https://north.example/a", started_at=NOW - DAY, status=200, outcome="thin"
            ),
        )
        record_fetch(
            session,
            FetchRecord(
                url="https://north.example/a",
                started_at=NOW - DAY,
                status=200,
                error_kind="extract",
                outcome="failed",
            ),
        )
    run = start_run(engine, RunKind.DISCOVERY, f"{DISCOVERY_JOB_PREFIX}north", NOW - 2 * DAY)
    finish_run(engine, run, NOW - 2 * DAY + timedelta(minutes=5))


def test_the_prefix_is_the_schedulers() -> None:
    assert DISCOVERY_JOB_PREFIX == DISCOVER_PREFIX


def test_totals_change_rate_and_storage(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        stats = archive_stats(session, days=30, now=NOW)
    assert (stats.articles, stats.versions, stats.sources, stats.hosts) == (4, 6, 2, 4)
    assert stats.changed_articles == 1 and stats.change_rate == 0.25
    assert stats.storage.snapshots == 6
    raw = sum(
        len(f"<html>{u}{x}{BODY}</html>".encode())
        for u, x in [
            ("https://north.example/a", ""),
            ("https://north.example/a", " Update: the pier reopened."),
            ("https://north.example/a", " A third paragraph."),
            ("https://www.north.example/b", ""),
            ("https://south.example/c", ""),
            ("https://else.example/d", ""),
        ]
    )
    assert stats.storage.snapshot_bytes_raw == raw
    assert 0 < stats.storage.snapshot_bytes_stored < raw  # zstd
    assert stats.storage.database_bytes and stats.storage.database_bytes > raw // 4


def test_per_day_in_the_window(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        stats = archive_stats(session, days=7, now=NOW)
    assert stats.window_start == date(2026, 6, 4)
    assert stats.per_day[0].day == date(2026, 6, 4)
    assert len(stats.per_day) == 7
    by_day = {d.day: (d.articles, d.versions) for d in stats.per_day}
    assert by_day[date(2026, 6, 7)] == (1, 1)  # a first seen
    assert by_day[date(2026, 6, 8)] == (0, 1)  # a's second version
    assert by_day[date(2026, 6, 9)] == (1, 2)  # a's third, b
    assert by_day[date(2026, 6, 10)] == (1, 1)  # d
    assert sum(a for a, _ in by_day.values()) == 3  # c was first seen 40 days ago


def test_fetch_health_in_the_window(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        stats = archive_stats(session, days=30, now=NOW)
    health = stats.health
    # 5 stored pages in the window + 2 failures (the 50-day-old one is outside) + thin + extract
    assert health.fetches == 9
    assert health.failures == {"extract": 1, "http-status": 2}
    assert health.failed == 3
    assert health.thin_pages == 1 and health.extraction_errors == 1
    assert health.last_fetch_at == NOW


def test_source_stats(engine: Engine) -> None:
    build(engine)
    with Session(engine) as session:
        sources = source_stats(session, days=30, now=NOW)
    assert [s.source for s in sources] == ["north", "south", None]
    north, south, none = sources
    assert north.hosts == ("north.example", "www.north.example")
    assert (north.articles, north.versions, north.changed_articles) == (2, 4, 1)
    assert north.last_discovery_at == NOW - 2 * DAY and north.last_discovery_exit == 0
    assert north.last_seed_read_at == NOW - 2 * DAY
    assert north.health.failures == {"extract": 1, "http-status": 2}
    assert north.health.thin_pages == 1 and north.health.extraction_errors == 1
    assert north.health.fetches == 8
    assert sum(d.versions for d in north.per_day) == 4
    assert (south.articles, south.versions) == (1, 1)
    assert south.health.fetches == 0  # its one fetch is 40 days old
    assert south.last_discovery_at is None and south.last_seed_read_at is None
    assert sum(d.articles for d in south.per_day) == 0
    assert (none.articles, none.hosts, none.health.fetches) == (1, ("else.example",), 1)


def test_an_empty_archive(engine: Engine) -> None:
    with Session(engine) as session:
        stats = archive_stats(session, days=3, now=NOW)
    assert (stats.articles, stats.versions, stats.change_rate) == (0, 0, 0.0)
    assert stats.per_source == () and len(stats.per_day) == 3
    assert stats.health.fetches == 0 and stats.storage.snapshots == 0
