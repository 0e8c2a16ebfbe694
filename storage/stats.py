"""Figures about the archive: what it holds, how it grows, how healthy its fetching is.

:func:`archive_stats` is what ``storyline stats`` prints; :func:`source_stats` is the per
source part, also read by the web UI's Sources page. Totals cover the whole archive; the
per-day series and the fetch figures (failures, thin pages, extraction errors) cover the
last ``days`` days, since the fetch log may be pruned by housekeeping. Days are UTC days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select, text
from sqlalchemy.orm import Session, aliased

from storage.models import Article, Fetch, Run, Snapshot, Url, Version
from storage.runs import RunKind
from storage.states import Outcome, UrlKind

#: The scheduler's discovery job of a source is named this plus the source's name
#: (``schedules.jobs.DISCOVER_PREFIX``; storage may not import schedules, a test compares).
DISCOVERY_JOB_PREFIX = "discover:"
#: ``fetch.error_kind`` of a page fetched but not extracted (the crawler's and ``fetch``'s).
EXTRACTION_ERROR_KINDS = ("extract", "extract-timeout")


@dataclass(frozen=True)
class DayCount:
    """One UTC day: articles first seen, and versions fetched, that day."""

    day: date
    articles: int = 0
    versions: int = 0


@dataclass(frozen=True)
class FetchHealth:
    """Fetches in the window: how many, how many failed and why, thin pages, extraction errors."""

    fetches: int = 0
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    thin_pages: int = 0
    extraction_errors: int = 0
    last_fetch_at: datetime | None = None


@dataclass(frozen=True)
class SourceStats:
    """One source (None: articles fetched without one, e.g. by ``storyline fetch URL``)."""

    source: str | None
    hosts: tuple[str, ...]
    articles: int
    versions: int
    changed_articles: int
    #: the latest discovery run of the source (the scheduler's job; see storage.runs)
    last_discovery_at: datetime | None
    last_discovery_exit: int | None
    #: the latest time one of its seeds (feed, sitemap, section page) was read, by any run
    last_seed_read_at: datetime | None
    health: FetchHealth
    per_day: tuple[DayCount, ...]


@dataclass(frozen=True)
class StorageUsed:
    """Bytes on disk: the database, and the raw pages before and after compression."""

    database_bytes: int | None
    snapshots: int
    snapshot_bytes_raw: int
    snapshot_bytes_stored: int


@dataclass(frozen=True)
class ArchiveStats:
    """The whole archive (see the module's docstring for which figures are windowed)."""

    articles: int
    versions: int
    sources: int
    hosts: int
    #: articles with two or more versions, and their share of all articles
    changed_articles: int
    change_rate: float
    days: int
    window_start: date
    per_day: tuple[DayCount, ...]
    per_source: tuple[SourceStats, ...]
    health: FetchHealth
    storage: StorageUsed


def _utc_day(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column)  # stored as UTC text
    return func.date(func.timezone("UTC", column))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _window(now: datetime | None, days: int) -> tuple[date, datetime]:
    moment = now or datetime.now(UTC)
    first = (moment.astimezone(UTC) - timedelta(days=days - 1)).date()
    return first, datetime(first.year, first.month, first.day, tzinfo=UTC)


def _per_day(
    session: Session, first: date, start: datetime, days: int
) -> dict[Any, tuple[DayCount, ...]]:
    """Articles first seen and versions fetched on each of the ``days`` days since
    ``start``, by source (a source with nothing in the window is not a key)."""
    counts: dict[Any, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    new_day = _utc_day(session, Article.first_seen_at).label("day")
    articles = (
        select(Article.source, new_day, func.count())
        .where(Article.first_seen_at >= start)
        .group_by(Article.source, new_day)
    )
    fetched_day = _utc_day(session, Version.fetched_at).label("day")
    versions = (
        select(Article.source, fetched_day, func.count())
        .select_from(Version)
        .join(Article, Article.id == Version.article_id)
        .where(Version.fetched_at >= start)
        .group_by(Article.source, fetched_day)
    )
    for index, query in enumerate((articles, versions)):
        for row in session.execute(query):
            counts[row[0]][_as_date(row[1])][index] += row[2]
    every_day = [first + timedelta(days=i) for i in range(days)]
    return {
        name: tuple(DayCount(d, *by_day[d]) if d in by_day else DayCount(d) for d in every_day)
        for name, by_day in counts.items()
    }


def _fetch_health(session: Session, start: datetime) -> dict[Any, FetchHealth]:
    """Fetch figures since ``start`` by source: the frontier URL's, else the article's the
    fetch stored into, else the article's at that URL (a failed re-fetch of a known page)."""
    at_url = aliased(Article)
    source = func.coalesce(Url.source, Article.source, at_url.source).label("source")
    query = (
        select(
            source,
            Fetch.outcome,
            Fetch.error_kind,
            func.count().label("n"),
            func.max(Fetch.started_at).label("last"),
        )
        .select_from(Fetch)
        .outerjoin(Url, Url.url == Fetch.url)
        .outerjoin(Article, Article.id == Fetch.article_id)
        .outerjoin(at_url, at_url.url == Fetch.url)
        .where(Fetch.started_at >= start)
        .group_by(source, Fetch.outcome, Fetch.error_kind)
    )
    tallies: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"fetches": 0, "failed": 0, "failures": {}, "thin": 0, "extract": 0, "last": None}
    )
    for row in session.execute(query).mappings():
        tally = tallies[row["source"]]
        tally["fetches"] += row["n"]
        if row["outcome"] == Outcome.FAILED or row["error_kind"]:
            tally["failed"] += row["n"]
            kind = row["error_kind"] or "error"
            tally["failures"][kind] = tally["failures"].get(kind, 0) + row["n"]
        if row["outcome"] == Outcome.THIN:
            tally["thin"] += row["n"]
        if row["error_kind"] in EXTRACTION_ERROR_KINDS:
            tally["extract"] += row["n"]
        last = row["last"]
        if last is not None and (tally["last"] is None or last > tally["last"]):
            tally["last"] = last
    return {
        name: FetchHealth(
            t["fetches"], t["failed"], dict(sorted(t["failures"].items())), t["thin"], t["extract"],
            _aware(t["last"]),
        )
        for name, t in tallies.items()
    }  # fmt: skip


def _aware(value: Any) -> datetime | None:
    """``max()`` over a UTC column comes back as text or naive on SQLite: make it a UTC time."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _merge(healths: list[FetchHealth]) -> FetchHealth:
    failures: dict[str, int] = defaultdict(int)
    for health in healths:
        for kind, n in health.failures.items():
            failures[kind] += n
    lasts = [h.last_fetch_at for h in healths if h.last_fetch_at is not None]
    return FetchHealth(
        fetches=sum(h.fetches for h in healths),
        failed=sum(h.failed for h in healths),
        failures=dict(sorted(failures.items())),
        thin_pages=sum(h.thin_pages for h in healths),
        extraction_errors=sum(h.extraction_errors for h in healths),
        last_fetch_at=max(lasts) if lasts else None,
    )


def source_stats(
    session: Session, days: int = 30, *, now: datetime | None = None
) -> list[SourceStats]:
    """Per source: size, hosts, discovery, fetch health and growth over the last ``days`` days.

    Sorted by name, the articles without a source (None) last. A source appears when it has
    articles or fetches.
    """
    first, start = _window(now, days)
    sizes = {
        row.source: row
        for row in session.execute(
            select(
                Article.source,
                func.count().label("articles"),
                func.count().filter(Article.current_version >= 2).label("changed"),
            ).group_by(Article.source)
        )
    }
    version_counts = {
        row[0]: row[1]
        for row in session.execute(
            select(Article.source, func.count(Version.id))
            .select_from(Version)
            .join(Article, Article.id == Version.article_id)
            .group_by(Article.source)
        )
    }
    hosts: dict[Any, list[str]] = defaultdict(list)
    for row in session.execute(
        select(Article.source, Article.host).distinct().order_by(Article.source, Article.host)
    ):
        hosts[row.source].append(row.host)
    runs: dict[str, tuple[datetime, int | None]] = {}
    latest_run = (
        select(func.max(Run.id))
        .where(Run.kind == RunKind.DISCOVERY, Run.job.like(f"{DISCOVERY_JOB_PREFIX}%"))
        .group_by(Run.job)
    )
    for latest in session.scalars(select(Run).where(Run.id.in_(latest_run))):
        runs[str(latest.job)[len(DISCOVERY_JOB_PREFIX) :]] = (latest.started_at, latest.exit_code)
    seeds = {
        row[0]: _aware(row[1])
        for row in session.execute(
            select(Url.source, func.max(Url.last_fetched_at))
            .where(Url.kind != UrlKind.ARTICLE)
            .group_by(Url.source)
        )
    }
    health = _fetch_health(session, start)
    per_day = _per_day(session, first, start, days)
    quiet = tuple(DayCount(first + timedelta(days=i)) for i in range(days))
    names = sorted(set(sizes) | set(health), key=lambda s: (s is None, s or ""))
    result = []
    for name in names:
        size = sizes.get(name)
        run = runs.get(name) if name is not None else None
        result.append(
            SourceStats(
                source=name,
                hosts=tuple(hosts.get(name, ())),
                articles=int(size.articles) if size else 0,
                versions=int(version_counts.get(name, 0)),
                changed_articles=int(size.changed) if size else 0,
                last_discovery_at=run[0] if run else None,
                last_discovery_exit=run[1] if run else None,
                last_seed_read_at=seeds.get(name),
                health=health.get(name, FetchHealth()),
                per_day=per_day.get(name, quiet),
            )
        )
    return result


def storage_used(session: Session) -> StorageUsed:
    """The database's size and the snapshots' bytes, raw and as stored (zstd)."""
    if session.get_bind().dialect.name == "sqlite":
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        size = session.execute(text("PRAGMA page_size")).scalar_one()
        database: int | None = int(pages) * int(size)
    else:
        database = int(
            session.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        )
    row = session.execute(
        select(
            func.count(Snapshot.id),
            func.coalesce(func.sum(Snapshot.size), 0),
            func.coalesce(func.sum(func.length(Snapshot.data)), 0),
        )
    ).one()
    return StorageUsed(database, int(row[0]), int(row[1]), int(row[2]))


def archive_stats(session: Session, days: int = 30, *, now: datetime | None = None) -> ArchiveStats:
    """Totals, growth per day and per source, change rate, fetch health and storage used."""
    first, _start = _window(now, days)
    per_source = source_stats(session, days, now=now)
    totals = session.execute(
        select(
            func.count(Article.id),
            select(func.count(Version.id)).scalar_subquery(),
            func.count(distinct(Article.source)),
            func.count(distinct(Article.host)),
            func.count().filter(Article.current_version >= 2),
        )
    ).one()
    articles, versions, sources, hosts, changed = (int(v) for v in totals)
    every_day = [first + timedelta(days=i) for i in range(days)]
    per_day = tuple(
        DayCount(
            d,
            sum(s.per_day[i].articles for s in per_source),
            sum(s.per_day[i].versions for s in per_source),
        )
        for i, d in enumerate(every_day)
    )
    return ArchiveStats(
        articles=articles,
        versions=versions,
        sources=sources,
        hosts=hosts,
        changed_articles=changed,
        change_rate=round(changed / articles, 4) if articles else 0.0,
        days=days,
        window_start=first,
        per_day=per_day,
        per_source=tuple(per_source),
        health=_merge([s.health for s in per_source]),
        storage=storage_used(session),
    )
