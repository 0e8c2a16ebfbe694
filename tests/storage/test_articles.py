"""What a version is, on SQLite and PostgreSQL: the rules of DESIGN.md's "What a version is"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage import (
    VersionFields,
    find_article,
    list_versions,
    put_snapshot,
    read_snapshot,
    record_page,
)
from storage.models import Article, Snapshot, Version

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
BODY = "\n\n".join(
    f"Paragraph {i} of the story tells the reader something new about the harbour bridge works."
    for i in range(1, 12)
)


def fields(**changes: object) -> VersionFields:
    base: dict[str, object] = {
        "headline": "Harbour bridge reopens",
        "authors": ("Maria Lindqvist",),
        "published_at": datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
        "modified_at": None,
        "description": "The bridge is open.",
        "language": "en",
        "body": BODY,
        "extractor": "test-1",
    }
    base.update(changes)
    return VersionFields(**base)  # type: ignore[arg-type]


def store(
    engine: Engine,
    f: VersionFields,
    at: datetime,
    url: str = "https://news.example/a-1",
    **kw: object,
):
    with Session(engine) as session, session.begin():
        return record_page(session, url=url, fields=f, fetched_at=at, snapshot_id=None, **kw)  # type: ignore[arg-type]


def versions(engine: Engine, url: str = "https://news.example/a-1") -> list[Version]:
    with Session(engine) as session:
        article = find_article(session, url)
        assert article is not None
        return list_versions(session, article)


def test_first_fetch_makes_an_article_and_version_one(engine: Engine) -> None:
    result = store(engine, fields(), T0)
    assert (result.outcome, result.version, result.changed) == ("new-article", 1, ())
    [v1] = versions(engine)
    assert v1.headline == "Harbour bridge reopens"
    assert v1.authors == ["Maria Lindqvist"]
    assert v1.published_at == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert v1.extractor == "test-1"


def test_unchanged_refetch_only_updates_last_seen(engine: Engine) -> None:
    store(engine, fields(), T0)
    later = T0 + timedelta(hours=3)
    result = store(engine, fields(), later)
    assert result.outcome == "unchanged"
    assert len(versions(engine)) == 1
    with Session(engine) as session:
        article = session.scalars(select(Article)).one()
        assert article.last_seen_at == later
        assert article.last_changed_at == T0


def test_whitespace_and_relative_timestamps_make_no_version(engine: Engine) -> None:
    store(engine, fields(), T0)
    noisy = fields(
        headline="  Harbour   bridge reopens ",
        body=BODY.replace(". ", ".  ") + "\n\nUpdated 5 minutes ago",
    )
    assert store(engine, noisy, T0 + timedelta(hours=1)).outcome == "unchanged"
    assert len(versions(engine)) == 1


def test_each_kind_of_change_makes_a_version_with_the_right_changed_fields(engine: Engine) -> None:
    store(engine, fields(), T0)
    r2 = store(
        engine, fields(body=BODY + "\n\nA new paragraph was added."), T0 + timedelta(hours=1)
    )
    assert (r2.outcome, r2.version, r2.changed) == ("new-version", 2, ("body",))
    r3 = store(
        engine,
        fields(headline="Bridge reopens late", body=BODY + "\n\nA new paragraph was added."),
        T0 + timedelta(hours=2),
    )
    assert (r3.version, r3.changed) == (3, ("headline",))
    r4 = store(
        engine,
        fields(
            headline="Bridge reopens late",
            body=BODY + "\n\nA new paragraph was added.",
            authors=("Maria Lindqvist", "Tomas Berg"),
        ),
        T0 + timedelta(hours=3),
    )
    assert (r4.version, r4.changed) == (4, ("authors",))
    assert [v.changed_fields for v in versions(engine)] == [[], ["body"], ["headline"], ["authors"]]


def test_modified_date_alone_makes_no_version(engine: Engine) -> None:
    store(engine, fields(), T0)
    result = store(engine, fields(modified_at=T0 + timedelta(hours=5)), T0 + timedelta(hours=5))
    assert result.outcome == "unchanged"


def test_thin_page_never_replaces_a_good_version(engine: Engine) -> None:
    store(engine, fields(), T0)
    wall = fields(headline="Before you continue", body="We use cookies. Accept all to continue.")
    result = store(engine, wall, T0 + timedelta(hours=1))
    assert result.outcome == "thin"
    [v1] = versions(engine)
    assert v1.headline == "Harbour bridge reopens"


def test_paywall_teaser_is_thin_relative_to_the_previous_version(engine: Engine) -> None:
    store(engine, fields(), T0)
    teaser = fields(body=" ".join(BODY.split()[:30]) + " Subscribe to read more.")
    assert store(engine, teaser, T0 + timedelta(hours=1)).outcome == "thin"
    assert len(versions(engine)) == 1


def test_thin_first_fetch_creates_no_article(engine: Engine) -> None:
    result = store(engine, fields(body="Page not found."), T0)
    assert result.outcome == "thin"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_aliases_map_to_the_same_article(engine: Engine) -> None:
    store(engine, fields(), T0, aliases=("https://news.example/?p=1", "https://news.example/a-1"))
    result = store(engine, fields(), T0 + timedelta(hours=1), url="https://news.example/?p=1")
    assert result.outcome == "unchanged"
    assert result.url == "https://news.example/a-1"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1


def test_extractor_upgrade_compares_like_with_like(engine: Engine) -> None:
    """The new extractor's output differs from the stored v1, but not from v1 re-extracted."""
    store(engine, fields(), T0)
    upgraded = fields(body=BODY + "\n\nText the old extractor missed.", extractor="test-2")
    result = store(engine, upgraded, T0 + timedelta(hours=1), baseline=upgraded)
    assert result.outcome == "unchanged"
    result = store(
        engine,
        fields(body=BODY + "\n\nText the old extractor missed. And an edit.", extractor="test-2"),
        T0 + timedelta(hours=2),
        baseline=upgraded,
    )
    assert (result.outcome, result.changed) == ("new-version", ("body",))


def test_snapshots_are_stored_once_per_hash_and_read_back(engine: Engine) -> None:
    body = b"<html>" + b"x" * 5000 + b"</html>"
    with Session(engine) as session, session.begin():
        a = put_snapshot(session, body, content_type="text/html", now=T0)
        b = put_snapshot(session, body, content_type="text/html", now=T0)
        c = put_snapshot(session, body + b" ", content_type="text/html", now=T0)
    assert a == b != c
    with Session(engine) as session:
        assert read_snapshot(session, a) == body
        stored = session.get(Snapshot, a)
        assert stored is not None and len(stored.data) < len(body) // 10


def test_a_new_canonical_url_moves_the_article_and_keeps_the_old_one(engine: Engine) -> None:
    old, new = "https://news.example/a-1", "https://news.example/a-1-renamed"
    store(engine, fields(), T0, url=old)
    moved = store(
        engine, fields(headline="Renamed"), T0 + timedelta(hours=1), url=new, aliases=(old,)
    )
    assert (moved.outcome, moved.url, moved.moved_from) == ("new-version", new, old)
    [_, second] = versions(engine, new)
    assert second.changes["moved"] == {"from": old, "to": new}
    assert "moved" in second.changes["kinds"]
    with Session(engine) as session:
        assert find_article(session, old) is find_article(session, new)
    # The old URL, now an alias, declared canonical again by a stale copy: no move back.
    again = store(
        engine, fields(headline="Renamed"), T0 + timedelta(hours=2), url=old, aliases=(new,)
    )
    assert (again.outcome, again.url, again.moved_from) == ("unchanged", new, None)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
