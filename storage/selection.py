"""Which versions an export (or any reader of a corpus) takes, streamed with their lineage.

A :class:`Selection` says which articles and versions; :func:`iter_versions` yields one
:class:`VersionRow` per version, ordered by article then version number, in batches read
through a server-side cursor on PostgreSQL (``yield_per``), so memory stays flat however
large the archive. Each row carries its lineage: the article, the version before it, what
changed (from the summary stored when the version was made, :mod:`storage.changes`), the
SHA-256 of the raw page it was extracted from, and the fetch that got that page.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Article, Snapshot, Version
from storage.types import PageTime, join_page_time
from storage.warc_ids import behind_fetch_id

#: Rows fetched from the database per round trip.
BATCH_SIZE = 2000


class TimeField(enum.StrEnum):
    """Which time ``since``/``until`` apply to."""

    FIRST_SEEN = "first-seen"  # when the archive first saw the article
    FETCHED = "fetched"  # when the version was fetched
    PUBLISHED = "published"  # the publication time the page stated


@dataclass(frozen=True)
class Selection:
    """Filters on the archive; every one given must hold (an empty tuple: no filter).

    ``since`` is inclusive, ``until`` exclusive. A publication date that is only a day is
    in the range when any part of that day (UTC) is. ``languages``: ``en`` also takes
    ``en-GB``. ``changed_only``: articles with at least two versions (with ``all_versions``,
    all of their versions, the first one included as what the changes are measured from).
    """

    sources: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    time: TimeField = TimeField.FETCHED
    languages: tuple[str, ...] = ()
    changed_only: bool = False
    all_versions: bool = False


class VersionRow(NamedTuple):
    """One version as an export writes it, with its lineage (fields by name; a tuple so a
    million of them are cheap to make)."""

    article_id: int
    version_id: int
    version: int
    url: str
    source: str | None
    host: str
    first_seen_at: datetime
    last_seen_at: datetime
    fetched_at: datetime
    headline: str | None
    authors: list[str]
    published_at: datetime | None
    published_offset: int | None
    published_day: date | None
    modified_at: datetime | None
    modified_offset: int | None
    modified_day: date | None
    description: str | None
    language: str | None
    body: str
    word_count: int
    changed_fields: list[str]
    changes: dict[str, Any]
    extractor: str
    snapshot_sha256: str | None
    fetch_id: int | None

    @property
    def published(self) -> PageTime | None:
        """The publication time as the page stated it (its offset), or only a day."""
        return join_page_time(self.published_at, self.published_offset, self.published_day)

    @property
    def modified(self) -> PageTime | None:
        return join_page_time(self.modified_at, self.modified_offset, self.modified_day)

    @property
    def previous_version(self) -> int | None:
        return self.version - 1 if self.version > 1 else None

    @property
    def change_kinds(self) -> list[str]:
        """What changed from the previous version (``headline``, ``body``, ``correction`` …)."""
        return list(self.changes.get("kinds") or ())

    @property
    def notes(self) -> list[str]:
        """Correction, update and editor's notes that appeared in this version."""
        return [str(n.get("text", "")) for n in self.changes.get("notes") or ()]

    @property
    def words_added(self) -> int | None:
        """Body words added since the previous version (None for a first version)."""
        if self.version == 1:
            return None
        return int((self.changes.get("body") or {}).get("words_added", 0))

    @property
    def words_removed(self) -> int | None:
        if self.version == 1:
            return None
        return int((self.changes.get("body") or {}).get("words_removed", 0))


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _published_in(since: datetime | None, until: datetime | None) -> Any:
    instant, day = [], []
    if since is not None:
        instant.append(Version.published_at >= since)
        day.append(Version.published_day >= _day(since))
    if until is not None:
        instant.append(Version.published_at < until)
        # the last day that overlaps [since, until)
        day.append(Version.published_day <= _day(until - timedelta(microseconds=1)))
    return or_(
        and_(Version.published_at.is_not(None), *instant),
        and_(Version.published_at.is_(None), Version.published_day.is_not(None), *day),
    )


def _language_in(languages: tuple[str, ...]) -> Any:
    folded = func.lower(Version.language)
    return or_(
        *(or_(folded == code.lower(), folded.like(f"{code.lower()}-%")) for code in languages)
    )


def selection_query(selection: Selection) -> Select[*tuple[Any, ...]]:
    """The rows of :func:`iter_versions` as one query (ordered by article, version)."""
    fetch_id = behind_fetch_id().label("fetch_id")
    query = (
        select(
            Version.article_id,
            Version.id.label("version_id"),
            Version.number,
            Article.url,
            Article.source,
            Article.host,
            Article.first_seen_at,
            Article.last_seen_at,
            Version.fetched_at,
            Version.headline,
            Version.authors,
            Version.published_at,
            Version.published_offset,
            Version.published_day,
            Version.modified_at,
            Version.modified_offset,
            Version.modified_day,
            Version.description,
            Version.language,
            Version.body,
            Version.word_count,
            Version.changed_fields,
            Version.changes,
            Version.extractor,
            Snapshot.sha256.label("snapshot_sha256"),
            fetch_id,
        )
        .join(Article, Article.id == Version.article_id)
        .outerjoin(Snapshot, Snapshot.id == Version.snapshot_id)
    )
    return _filtered(query, selection).order_by(Version.article_id, Version.number)


def version_ids_query(selection: Selection) -> Select[int]:
    """Only the ids of the selected versions, in the same order (for the WARC writer)."""
    query = select(Version.id).join(Article, Article.id == Version.article_id)
    return _filtered(query, selection).order_by(Version.article_id, Version.number)


def count_versions(session: Session, selection: Selection) -> int:
    """How many versions ``selection`` takes (for a progress bar)."""
    query = (
        select(func.count()).select_from(Version).join(Article, Article.id == Version.article_id)
    )
    return int(session.scalar(_filtered(query, selection)) or 0)


def _filtered(query: Any, selection: Selection) -> Any:
    if not selection.all_versions:
        query = query.where(Version.number == Article.current_version)
    if selection.changed_only:
        query = query.where(Article.current_version >= 2)
    if selection.sources:
        query = query.where(Article.source.in_(selection.sources))
    if selection.hosts:
        query = query.where(Article.host.in_([h.lower() for h in selection.hosts]))
    if selection.languages:
        query = query.where(_language_in(selection.languages))
    if selection.since is not None or selection.until is not None:
        query = query.where(_time_in(selection))
    return query


def _time_in(selection: Selection) -> Any:
    if selection.time == TimeField.PUBLISHED:
        return _published_in(selection.since, selection.until)
    column = Article.first_seen_at if selection.time == TimeField.FIRST_SEEN else Version.fetched_at
    conditions = []
    if selection.since is not None:
        conditions.append(column >= selection.since)
    if selection.until is not None:
        conditions.append(column < selection.until)
    return and_(*conditions)


def iter_version_ids(
    session: Session, selection: Selection, *, batch_size: int = BATCH_SIZE
) -> Iterator[int]:
    """Stream the ids of the selected versions (constant memory)."""
    query = version_ids_query(selection).execution_options(
        yield_per=batch_size, stream_results=True
    )
    yield from session.scalars(query)


def iter_versions(
    session: Session, selection: Selection, *, batch_size: int = BATCH_SIZE
) -> Iterator[VersionRow]:
    """Stream the selected versions in ``batch_size`` rows at a time (constant memory)."""
    query = selection_query(selection).execution_options(yield_per=batch_size, stream_results=True)
    for row in session.connection().execute(query):
        yield VersionRow(
            row.article_id,
            row.version_id,
            row.number,
            row.url,
            row.source,
            row.host,
            row.first_seen_at,
            row.last_seen_at,
            row.fetched_at,
            row.headline,
            row.authors or [],
            row.published_at,
            row.published_offset,
            row.published_day,
            row.modified_at,
            row.modified_offset,
            row.modified_day,
            row.description,
            row.language,
            row.body,
            row.word_count,
            row.changed_fields or [],
            row.changes or {},
            row.extractor,
            row.snapshot_sha256,
            row.fetch_id,
        )
