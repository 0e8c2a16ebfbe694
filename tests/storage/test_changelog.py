"""The changes feed (issue 13): versions in a window, newest first, each filter in SQL.

Versions are written by ``record_page`` (the crawl's own path) on SQLite and PostgreSQL;
every filter is checked against rows it must keep and rows it must drop.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from storage import create_archive_engine, downgrade, upgrade
from storage.articles import record_page
from storage.changelog import (
    ChangeCursor,
    ChangeQuery,
    change_kinds,
    count_changes,
    decode_kinds,
    list_changes,
    version_ids,
)
from storage.models import Version
from storage.states import ChangeKind
from storage.versioning import VersionFields
from tests.storage.test_changes import BODY

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def page(**kw: object) -> VersionFields:
    base = VersionFields(
        headline="Harbour bridge to close for repairs",
        authors=("Anna Berg",),
        published_at=T0,
        modified_at=None,
        description=None,
        language="en",
        body=BODY,
        extractor="test-1",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def store(engine: Engine, url: str, fields: VersionFields, when: datetime, source: str) -> None:
    with Session(engine) as session, session.begin():
        record_page(
            session, url=url, fields=fields, fetched_at=when, snapshot_id=None, source=source
        )


@pytest.fixture
def archive(engine: Engine) -> Engine:
    """Two sources; a headline change, a byline change, a correction, a body edit."""
    a, b, c = (
        "https://herald.example/news/bridge",
        "https://herald.example/news/budget",
        "https://gazette.example/story/tram",
    )
    store(engine, a, page(), T0, "herald")
    store(engine, b, page(headline="Council agrees budget"), T0, "herald")
    store(engine, c, page(headline="Tram strike talks"), T0, "gazette")
    # +1h: bridge headline; +2h: budget byline; +3h: tram correction; +4h: bridge body
    store(
        engine,
        a,
        page(headline="Harbour bridge closes for a year"),
        T0 + timedelta(hours=1),
        "herald",
    )
    store(
        engine,
        b,
        page(headline="Council agrees budget", authors=("Anna Berg", "Tom Lee")),
        T0 + timedelta(hours=2),
        "herald",
    )
    corrected = BODY + "\n\nCorrection: An earlier version of this story misnamed the union."
    store(
        engine,
        c,
        page(headline="Tram strike talks", body=corrected),
        T0 + timedelta(hours=3),
        "gazette",
    )
    longer = BODY + "\n\nThe mayor said the bridge would reopen in the spring of next year."
    store(
        engine,
        a,
        page(headline="Harbour bridge closes for a year", body=longer),
        T0 + timedelta(hours=4),
        "herald",
    )
    return engine


def listed(engine: Engine, **kw: object) -> list[tuple[str, int]]:
    with Session(engine) as session:
        entries = list_changes(session, ChangeQuery(**kw))  # type: ignore[arg-type]
    return [(e.url.rsplit("/", 1)[1], e.number) for e in entries]


def test_changes_are_newest_first_without_new_articles(archive: Engine) -> None:
    assert listed(archive) == [("bridge", 3), ("tram", 2), ("budget", 2), ("bridge", 2)]
    # first versions share their time: the later-stored (higher id) comes first
    assert listed(archive, new=True)[-3:] == [("tram", 1), ("budget", 1), ("bridge", 1)]
    assert len(listed(archive, new=True)) == 7


def test_each_entry_says_what_changed(archive: Engine) -> None:
    with Session(archive) as session:
        entries = {
            (e.url.rsplit("/", 1)[1], e.number): e for e in list_changes(session, ChangeQuery())
        }
    headline = entries[("bridge", 2)]
    assert headline.kinds == (ChangeKind.HEADLINE,)
    assert headline.headline == "Harbour bridge closes for a year"
    assert headline.previous == 1 and headline.source == "herald"
    assert headline.fetched_at == T0 + timedelta(hours=1)
    assert (headline.words_added, headline.words_removed) == (0, 0)
    assert entries[("budget", 2)].kinds == (ChangeKind.BYLINE,)
    assert entries[("budget", 2)].changes["byline"]["added"] == ["Tom Lee"]
    tram = entries[("tram", 2)]
    assert set(tram.kinds) == {ChangeKind.BODY, ChangeKind.CORRECTION}
    assert tram.correction is not None and tram.correction.startswith("Correction: An earlier")
    body = entries[("bridge", 3)]
    assert body.kinds == (ChangeKind.BODY,)
    assert (body.words_added, body.words_removed) == (13, 0)


def test_window_is_since_inclusive_until_exclusive(archive: Engine) -> None:
    h = timedelta(hours=1)
    assert listed(archive, since=T0 + 2 * h) == [("bridge", 3), ("tram", 2), ("budget", 2)]
    assert listed(archive, until=T0 + 2 * h) == [("bridge", 2)]
    assert listed(archive, since=T0 + 2 * h, until=T0 + 3 * h) == [("budget", 2)]
    assert listed(archive, since=T0 + 5 * h) == []


def test_source_filter(archive: Engine) -> None:
    assert listed(archive, sources={"gazette"}) == [("tram", 2)]
    assert listed(archive, sources={"gazette", "herald"}) == listed(archive)
    assert listed(archive, sources={"nobody"}) == []


def test_kind_filter(archive: Engine) -> None:
    assert listed(archive, kinds={ChangeKind.HEADLINE}) == [("bridge", 2)]
    assert listed(archive, kinds={ChangeKind.CORRECTION}) == [("tram", 2)]
    assert listed(archive, kinds={ChangeKind.BODY}) == [("bridge", 3), ("tram", 2)]
    assert listed(archive, kinds={ChangeKind.BYLINE, ChangeKind.HEADLINE}) == [
        ("budget", 2),
        ("bridge", 2),
    ]
    assert listed(archive, kinds={ChangeKind.DATES}) == []
    assert sorted(listed(archive, kinds={ChangeKind.NEW})) == [
        ("bridge", 1),
        ("budget", 1),
        ("tram", 1),
    ]


def test_headline_text_filter_is_case_insensitive_and_literal(archive: Engine) -> None:
    assert listed(archive, text="BRIDGE closes") == [("bridge", 3), ("bridge", 2)]
    assert listed(archive, text="%") == []
    assert listed(archive, text="budget", new=True) == [("budget", 2), ("budget", 1)]


def test_paging_by_offset_and_by_cursor_agree(archive: Engine) -> None:
    every = listed(archive, new=True)
    assert (
        listed(archive, new=True, limit=3)
        + listed(archive, new=True, limit=3, offset=3)
        + (listed(archive, new=True, limit=3, offset=6))
        == every
    )
    pages: list[tuple[str, int]] = []
    cursor: ChangeCursor | None = None
    with Session(archive) as session:
        while True:
            entries = list_changes(session, ChangeQuery(new=True, limit=2, before=cursor))
            if not entries:
                break
            pages += [(e.url.rsplit("/", 1)[1], e.number) for e in entries]
            cursor = ChangeCursor.parse(entries[-1].cursor.token())
        assert count_changes(session, ChangeQuery(new=True, limit=2)) == 7
        assert count_changes(session, ChangeQuery(kinds={ChangeKind.BODY})) == 2
    assert pages == every


def test_cursor_token_round_trip_and_refusal() -> None:
    cursor = ChangeCursor(datetime(2026, 3, 1, 8, 0, 5, 120, tzinfo=UTC), 42)
    assert ChangeCursor.parse(cursor.token()) == cursor
    for bad in ("", "yesterday", "20260301T080005000120Z-x"):
        with pytest.raises(ValueError):
            ChangeCursor.parse(bad)


def test_versions_named_by_a_crawl(archive: Engine) -> None:
    with Session(archive) as session:
        seconds = {
            row.id: row.article_id
            for row in session.execute(
                select(Version.id, Version.article_id).where(Version.number == 2)
            )
        }
        made = [(article, 2) for article in seconds.values()] + [(999, 1)]
        assert sorted(version_ids(session, made)) == sorted(seconds)
        assert version_ids(session, []) == []
        entries = list_changes(session, ChangeQuery(versions=frozenset(seconds), new=True))
        assert list_changes(session, ChangeQuery(versions=frozenset())) == []
    assert [e.url.rsplit("/", 1)[1] for e in entries] == ["tram", "budget", "bridge"]


def test_change_kinds_maps_the_stored_classification() -> None:
    assert change_kinds(1, {}) == (ChangeKind.NEW,)
    stored = {"kinds": ["body", "headline", "update", "moved", "correction"]}
    assert change_kinds(2, stored) == (
        ChangeKind.HEADLINE,
        ChangeKind.BODY,
        ChangeKind.CORRECTION,
        ChangeKind.NOTE,
        ChangeKind.URL,
    )
    assert change_kinds(3, {"kinds": []}, ["body", "modified_at"]) == (
        ChangeKind.BODY,
        ChangeKind.DATES,
    )
    assert decode_kinds("headline,someday,body") == (ChangeKind.HEADLINE, ChangeKind.BODY)


def test_migration_backfills_kinds_of_existing_versions(db_url: str) -> None:
    """An archive from before 0009 gets kinds for its stored versions, from their changes."""
    engine = create_archive_engine(db_url)
    upgrade(engine)
    store(engine, "https://herald.example/a", page(), T0, "herald")
    store(
        engine,
        "https://herald.example/a",
        page(headline="New headline"),
        T0 + timedelta(hours=1),
        "herald",
    )
    downgrade(engine, "0006")
    assert "kinds" not in {c["name"] for c in inspect(engine).get_columns("version")}
    upgrade(engine)
    with Session(engine) as session:
        stored = {r.number: r.kinds for r in session.execute(select(Version.number, Version.kinds))}
    assert stored == {1: "new", 2: "headline"}
    engine.dispose()
