"""Page times on SQLite and PostgreSQL: the stated offset kept, a day stays a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Engine, column, insert, select, table
from sqlalchemy.orm import Session

from storage import create_archive_engine, downgrade, iter_records, upgrade
from storage.types import UTCDateTime, join_page_time, page_time_key, split_page_time
from storage.versioning import changed_fields, fingerprint, makes_new_version
from tests.storage.test_articles import T0, fields, store, versions

EST = timezone(timedelta(hours=-5))
STATED = datetime(2019, 11, 19, 10, 2, tzinfo=EST)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))


def test_an_instant_keeps_its_stated_offset_and_a_day_stays_a_day(engine: Engine) -> None:
    store(engine, fields(published_at=STATED, modified_at=date(2019, 11, 20)), T0)

    [version] = versions(engine)
    assert version.published == STATED
    assert version.published.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]
    assert version.published_at == datetime(2019, 11, 19, 15, 2, tzinfo=UTC)
    assert version.modified == date(2019, 11, 20)
    assert type(version.modified) is date
    assert version.modified_at is None, "a day is not an instant: no time is invented"

    with Session(engine) as session:
        [record] = list(iter_records(session))
    assert record["published_at"] == "2019-11-19T10:02:00-05:00"
    assert record["modified_at"] == "2019-11-20"


def test_an_odd_offset_and_utc_round_trip(engine: Engine) -> None:
    nepal = datetime(2024, 3, 1, 6, 0, tzinfo=KATHMANDU)
    store(engine, fields(published_at=nepal, modified_at=datetime(2024, 3, 2, tzinfo=UTC)), T0)
    [version] = versions(engine)
    assert version.published is not None and version.published.isoformat() == (
        "2024-03-01T06:00:00+05:45"
    )
    assert version.modified is not None and version.modified.isoformat() == (
        "2024-03-02T00:00:00+00:00"
    )


def test_the_same_instant_in_another_offset_makes_no_version(engine: Engine) -> None:
    store(engine, fields(published_at=STATED), T0)
    same_instant = STATED.astimezone(UTC)
    assert store(engine, fields(published_at=same_instant), T0 + timedelta(hours=1)).outcome == (
        "unchanged"
    )
    moved = STATED + timedelta(hours=1)
    assert store(engine, fields(published_at=moved), T0 + timedelta(hours=2)).outcome == (
        "new-version"
    )
    newest = versions(engine)[-1]
    assert newest.changed_fields == ["published_at"]
    assert newest.changes["dates"] == {
        "published_at": {"old": "2019-11-19T10:02:00-05:00", "new": "2019-11-19T11:02:00-05:00"}
    }


def test_a_day_is_not_midnight_utc() -> None:
    day, midnight = (
        fields(published_at=date(2019, 11, 19)),
        fields(published_at=datetime(2019, 11, 19, tzinfo=UTC)),
    )
    assert page_time_key(date(2019, 11, 19)) == "2019-11-19"
    assert changed_fields(midnight, day) == ("published_at",)
    assert makes_new_version(midnight, day)
    # Instants compare as instants: the fingerprint of a stored UTC value is unchanged.
    assert fingerprint(fields(published_at=STATED)) == fingerprint(
        fields(published_at=STATED.astimezone(UTC))
    )


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        split_page_time(datetime(2019, 11, 19, 10, 2))
    assert join_page_time(None, None, None) is None


def test_an_archive_from_before_keeps_its_times(db_url: str) -> None:
    """Rows written by schema 0001 read back as the same instants (in UTC: the offset was
    never kept); going back down turns a day into midnight UTC, as 0001 stored it."""
    engine = create_archive_engine(db_url)
    upgrade(engine, "0001")
    article = table(
        "article",
        column("id"),
        column("url"),
        column("host"),
        column("first_seen_at", UTCDateTime()),
        column("last_seen_at", UTCDateTime()),
        column("last_changed_at", UTCDateTime()),
        column("current_version"),
        column("revisit_step"),
    )
    version = table(
        "version",
        column("article_id"),
        column("number"),
        column("fetched_at", UTCDateTime()),
        column("authors", JSON()),
        column("published_at", UTCDateTime()),
        column("body"),
        column("word_count"),
        column("fingerprint"),
        column("changed_fields", JSON()),
        column("changes", JSON()),
        column("extractor"),
    )
    with engine.begin() as conn:
        conn.execute(
            insert(article).values(
                id=1,
                url="https://news.example/a-1",
                host="news.example",
                first_seen_at=T0,
                last_seen_at=T0,
                last_changed_at=T0,
                current_version=1,
                revisit_step=0,
            )
        )
        conn.execute(
            insert(version).values(
                article_id=1,
                number=1,
                fetched_at=T0,
                authors=[],
                published_at=STATED,
                body="old",
                word_count=1,
                fingerprint="x",
                changed_fields=[],
                changes={},
                extractor="old",
            )
        )
    upgrade(engine)
    [old] = versions(engine)
    assert old.published == STATED and old.published.utcoffset() == timedelta(0)  # type: ignore[union-attr]

    store(engine, fields(published_at=date(2019, 11, 19)), T0 + timedelta(hours=1))
    assert versions(engine)[-1].published == date(2019, 11, 19)
    downgrade(engine, "0001")
    with engine.connect() as conn:
        stamps = conn.execute(select(version.c.published_at).order_by(version.c.number)).scalars()
        assert list(stamps) == [STATED, datetime(2019, 11, 19, tzinfo=UTC)]
    engine.dispose()


def test_a_version_corrected_in_place_keeps_its_day_and_counts_words_once(engine: Engine) -> None:
    """A learned-boilerplate correction rewrites the body only: the fingerprint still sees the
    day the page stated, and the word count is the one tokenizer's."""
    from storage.articles import version_fields
    from storage.boilerplate import correct_version
    from storage.models import Version
    from storage.text import word_count

    store(engine, fields(published_at=date(2019, 11, 19)), T0)
    body = "The ferry runs at dawn.\n\nUpdated 2 hours ago\n\nIt stops at three piers."
    with Session(engine) as session, session.begin():
        version = session.scalars(select(Version)).one()
        correct_version(
            session, version, "h", body=body, extractor="x-2", removed=["Share"], corrected_at=T0
        )
    [version] = versions(engine)
    assert version.published == date(2019, 11, 19)
    assert version.fingerprint == fingerprint(version_fields(version))
    assert version.word_count == word_count(body) == 10
