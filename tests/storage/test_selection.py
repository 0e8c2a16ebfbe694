"""Selections on both databases: every filter takes what it should and leaves the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from storage import VersionFields, record_page
from storage.selection import (
    Selection,
    TimeField,
    count_versions,
    iter_version_ids,
    iter_versions,
)

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
PARAGRAPHS = (
    "The harbour authority said on Monday that the north pier will close for repairs in May.",
    "Fishing boats will use the south quay while the work goes on, the authority said.",
    "The repairs are expected to take six weeks and cost more than a million.",
)


def page(
    headline: str,
    *,
    language: str | None = "en",
    published: datetime | date | None = None,
    extra: str = "",
) -> VersionFields:
    return VersionFields(
        headline=headline,
        authors=("Ana Ruiz",),
        published_at=published,
        modified_at=None,
        description=None,
        language=language,
        body="\n\n".join((*PARAGRAPHS, extra) if extra else PARAGRAPHS),
        extractor="test",
    )


def put(engine: Engine, url: str, fields: VersionFields, at: datetime, source: str | None) -> None:
    with Session(engine) as session, session.begin():
        record_page(session, url=url, fields=fields, fetched_at=at, snapshot_id=None, source=source)


@pytest.fixture
def archive(engine: Engine) -> Engine:
    """Four articles: on two hosts, in two sources, three languages, one with two versions."""
    put(engine, "https://north.example/a", page("A", published=T0), T0, "north")
    put(
        engine,
        "https://north.example/b",
        page("B", language="de", published=date(2026, 4, 3)),
        T0 + timedelta(days=2),
        "north",
    )
    put(
        engine,
        "https://south.example/c",
        page("C", language="en-GB", published=T0 + timedelta(days=5)),
        T0 + timedelta(days=5),
        "south",
    )
    put(engine, "https://south.example/d", page("D", language=None), T0 + timedelta(days=1), None)
    # a second version of A, fetched on day 7
    put(
        engine,
        "https://north.example/a",
        page("A (updated)", published=T0, extra="Correction: the pier is the north one."),
        T0 + timedelta(days=7),
        "north",
    )
    return engine


def taken(engine: Engine, selection: Selection) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = [(r.url.rsplit("/", 1)[1], r.version) for r in iter_versions(session, selection)]
        assert count_versions(session, selection) == len(rows)
        assert len(list(iter_version_ids(session, selection))) == len(rows)
    return rows


def test_latest_versions_by_default_every_version_on_request(archive: Engine) -> None:
    assert taken(archive, Selection()) == [("a", 2), ("b", 1), ("c", 1), ("d", 1)]
    assert taken(archive, Selection(all_versions=True)) == [
        ("a", 1),
        ("a", 2),
        ("b", 1),
        ("c", 1),
        ("d", 1),
    ]


def test_source_filter(archive: Engine) -> None:
    assert taken(archive, Selection(sources=("south",))) == [("c", 1)]
    assert taken(archive, Selection(sources=("north", "south"))) == [("a", 2), ("b", 1), ("c", 1)]
    assert taken(archive, Selection(sources=("nowhere",))) == []


def test_host_filter(archive: Engine) -> None:
    assert taken(archive, Selection(hosts=("south.example",))) == [("c", 1), ("d", 1)]
    assert taken(archive, Selection(hosts=("SOUTH.example",))) == [("c", 1), ("d", 1)]


def test_language_filter_takes_regional_variants(archive: Engine) -> None:
    assert taken(archive, Selection(languages=("en",))) == [("a", 2), ("c", 1)]
    assert taken(archive, Selection(languages=("de",))) == [("b", 1)]
    assert taken(archive, Selection(languages=("en-gb",))) == [("c", 1)]


def test_changed_only(archive: Engine) -> None:
    assert taken(archive, Selection(changed_only=True)) == [("a", 2)]
    assert taken(archive, Selection(changed_only=True, all_versions=True)) == [("a", 1), ("a", 2)]


def test_since_until_on_the_fetch_time(archive: Engine) -> None:
    since, until = T0 + timedelta(days=1), T0 + timedelta(days=5)
    assert taken(archive, Selection(since=since, all_versions=True)) == [
        ("a", 2),
        ("b", 1),
        ("c", 1),
        ("d", 1),
    ]
    # until is exclusive: c was fetched exactly at day 5
    assert taken(archive, Selection(since=since, until=until, all_versions=True)) == [
        ("b", 1),
        ("d", 1),
    ]
    # latest only: a's latest version was fetched on day 7, outside the range
    assert taken(archive, Selection(until=until)) == [("b", 1), ("d", 1)]


def test_since_until_on_first_seen(archive: Engine) -> None:
    since = T0 + timedelta(hours=1)
    # a was first seen at T0: its second version (fetched on day 7) is not taken
    assert taken(archive, Selection(since=since, time=TimeField.FIRST_SEEN)) == [
        ("b", 1),
        ("c", 1),
        ("d", 1),
    ]
    assert taken(archive, Selection(until=since, time=TimeField.FIRST_SEEN)) == [("a", 2)]


def test_since_until_on_the_published_time_keeps_days_as_days(archive: Engine) -> None:
    """b states only a day (April 3): a range that touches any part of that day takes it;
    d states nothing and is never in a publication range."""
    published = TimeField.PUBLISHED
    assert taken(archive, Selection(since=T0 + timedelta(hours=1), time=published)) == [
        ("b", 1),
        ("c", 1),
    ]
    april_3_evening = datetime(2026, 4, 3, 20, 0, tzinfo=UTC)
    assert taken(archive, Selection(since=april_3_evening, time=published)) == [
        ("b", 1),
        ("c", 1),
    ]
    april_4 = datetime(2026, 4, 4, tzinfo=UTC)
    assert taken(archive, Selection(since=april_4, time=published)) == [("c", 1)]
    assert taken(archive, Selection(until=april_4, time=published)) == [("a", 2), ("b", 1)]
    assert taken(archive, Selection(until=datetime(2026, 4, 3, tzinfo=UTC), time=published)) == [
        ("a", 2)
    ]


def test_filters_combine(archive: Engine) -> None:
    chosen = Selection(
        sources=("north",), languages=("en",), all_versions=True, since=T0 + timedelta(days=3)
    )
    assert taken(archive, chosen) == [("a", 2)]


def test_rows_carry_their_lineage(archive: Engine) -> None:
    with Session(archive) as session:
        first, second = (
            r for r in iter_versions(session, Selection(all_versions=True)) if r.url.endswith("/a")
        )
    assert (first.previous_version, second.previous_version) == (None, 1)
    assert first.article_id == second.article_id
    assert first.change_kinds == [] and first.words_added is None
    assert "correction" in second.change_kinds and "headline" in second.change_kinds
    assert second.notes == ["Correction: the pier is the north one."]
    assert second.words_added == 7 and second.words_removed == 0
    assert second.published == T0 and second.published_day is None


@pytest.mark.postgres
def test_postgres_streams_through_a_server_side_cursor(postgres_url: str) -> None:
    """yield_per with stream_results: psycopg reads through a named cursor, batch by batch,
    instead of loading the result into the client."""
    from storage import open_archive

    engine = open_archive(postgres_url)
    for i in range(5):
        put(engine, f"https://north.example/{i}", page(f"H{i}"), T0, "north")
    with Session(engine) as session:
        rows = iter_versions(session, Selection(), batch_size=2)
        next(rows)
        cursors = session.execute(text("SELECT count(*) FROM pg_cursors")).scalar_one()
        assert cursors >= 1
        assert len(list(rows)) == 4
    engine.dispose()
