"""The archive's tables as typed SQLAlchemy models (the Alembic migrations are the truth)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import PageTime, UTCDateTime, join_page_time, split_page_time

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A named set of seeds, as last seen in a sources file."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Host(Base):
    """Politeness state of one host, kept between runs and shared by workers."""

    __tablename__ = "host"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    robots_txt: Mapped[str | None] = mapped_column(Text)
    robots_status: Mapped[int | None]
    robots_fetched_at: Mapped[datetime | None]
    crawl_delay: Mapped[float | None] = mapped_column(Float)
    next_request_at: Mapped[datetime | None]
    backoff_until: Mapped[datetime | None]
    backoff_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    consecutive_failures: Mapped[int] = mapped_column(default=0)


class Url(Base):
    """The frontier: every URL we know, what became of it, and who holds its lease."""

    __tablename__ = "url"
    __table_args__ = (
        Index("ix_url_due", "state", "next_fetch_at"),
        # The claim query's path: one host's waiting URLs, best priority first, then oldest
        # (partial: done URLs, the bulk of an old archive, are not in it). Migration 0010.
        Index(
            "ix_url_claim",
            "host",
            text("priority DESC"),
            "id",
            postgresql_where=text("state = 'new'"),
            sqlite_where=text("state = 'new'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="article")
    state: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[int] = mapped_column(default=0)
    discovered_at: Mapped[datetime]
    next_fetch_at: Mapped[datetime | None]
    last_fetched_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    lastmod_hint: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None]
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))


class Snapshot(Base):
    """A raw response body, zstd-compressed, stored once per SHA-256 of its bytes."""

    __tablename__ = "snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    compression: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    content_type: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class Fetch(Base):
    """One HTTP attempt, successful or not."""

    __tablename__ = "fetch"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    final_url: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(index=True)
    duration_ms: Mapped[float | None] = mapped_column(Float)
    status: Mapped[int | None]
    size: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(200))
    error_kind: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshot.id"))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="SET NULL"), index=True
    )
    #: the response's status line: "HTTP/1.1" and the reason phrase as sent (None before 0007)
    http_version: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    #: headers in order, duplicates kept, as zstd-compressed JSON [[name, value], …] with one
    #: character per byte (latin-1); None: not recorded (fetches stored before 0007)
    response_headers: Mapped[bytes | None] = mapped_column(LargeBinary)
    request_headers: Mapped[bytes | None] = mapped_column(LargeBinary)


class Article(Base):
    """One story, keyed by its canonical URL; aliases map other URLs to it."""

    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    last_changed_at: Mapped[datetime]
    current_version: Mapped[int] = mapped_column(default=0)
    revisit_step: Mapped[int] = mapped_column(default=0)
    next_revisit_at: Mapped[datetime | None] = mapped_column(index=True)

    versions: Mapped[list[Version]] = relationship(
        back_populates="article", order_by="Version.number", cascade="all, delete-orphan"
    )
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )


class Alias(Base):
    """Another URL (redirect source, non-canonical link) of an article."""

    __tablename__ = "alias"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]

    article: Mapped[Article] = relationship(back_populates="aliases")


class Version(Base):
    """What a reader saw of an article at one time; a new row only when that changed."""

    __tablename__ = "version"
    __table_args__ = (
        UniqueConstraint("article_id", "number"),
        # the changes feed: newest first, paged by (fetched_at, id); it also holds what the
        # feed filters on, so a filter is checked in the index without reading the row (and
        # its body)
        Index("ix_version_fetched", "fetched_at", "id", "article_id", "number", "kinds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    fetched_at: Mapped[datetime]
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshot.id"))
    headline: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[Any]] = mapped_column(default=list)
    #: the UTC instant; the page's stated offset and a day-only value are kept beside it
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    changed_fields: Mapped[list[Any]] = mapped_column(default=list)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: the kinds of change, comma-separated :class:`storage.states.ChangeKind` values
    #: (``storage.changelog.change_kinds``); filtered on by the changes feed
    kinds: Mapped[str] = mapped_column(String(200), default="", server_default="")
    extractor: Mapped[str] = mapped_column(String(60))
    published_offset: Mapped[int | None]
    published_day: Mapped[date | None]
    modified_offset: Mapped[int | None]
    modified_day: Mapped[date | None]

    article: Mapped[Article] = relationship(back_populates="versions")

    @property
    def published(self) -> PageTime | None:
        """The publication time as the page stated it (its offset), or only a day."""
        return join_page_time(self.published_at, self.published_offset, self.published_day)

    @published.setter
    def published(self, value: PageTime | None) -> None:
        stored = split_page_time(value)
        self.published_at, self.published_offset = stored.instant, stored.offset
        self.published_day = stored.day

    @property
    def modified(self) -> PageTime | None:
        """The modification time as the page stated it (its offset), or only a day."""
        return join_page_time(self.modified_at, self.modified_offset, self.modified_day)

    @modified.setter
    def modified(self, value: PageTime | None) -> None:
        stored = split_page_time(value)
        self.modified_at, self.modified_offset = stored.instant, stored.offset
        self.modified_day = stored.day


class BoilerplateLine(Base):
    """A line seen on many pages of one host: template, not story."""

    __tablename__ = "boilerplate_line"
    __table_args__ = (UniqueConstraint("host", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(default=0)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class HostProfile(Base):
    """How many distinct pages of a host the boilerplate learner has seen."""

    __tablename__ = "host_profile"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    pages_seen: Mapped[int] = mapped_column(default=0)
    #: Digest of the learned line keys last applied to the host's stored versions.
    learned_digest: Mapped[str | None] = mapped_column(String(64))


class BoilerplateCorrection(Base):
    """A stored version corrected in place after its host's learned boilerplate changed."""

    __tablename__ = "boilerplate_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int]
    corrected_at: Mapped[datetime]
    old_extractor: Mapped[str] = mapped_column(String(60))
    new_extractor: Mapped[str] = mapped_column(String(60))
    lines_removed: Mapped[int]
    removed: Mapped[list[Any]] = mapped_column(default=list)


class RunLock(Base):
    """A named lease held by one running process; it expires if its holder dies."""

    __tablename__ = "run_lock"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class Run(Base):
    """One run of a command or scheduler job: what it did and how it ended (issue 10)."""

    __tablename__ = "run"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: crawl, discovery, revisit-sweep, housekeeping, fetch (a :class:`storage.runs.RunKind`)
    kind: Mapped[str] = mapped_column(String(40))
    #: the scheduler job id or source name the run belongs to, if any
    job: Mapped[str | None] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    #: the process's exit status (0 done, …; see the README); None while running
    exit_code: Mapped[int | None]
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    failures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: canonical URLs of the articles that got a new article or a new version
    changed: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """The outbox: one message about one version for one notify target (issue 13).

    Written when a crawl makes the version, marked sent when the target took it; a failed
    send stays pending and is retried on the next run, until ``attempts`` reaches the
    configured limit (then ``failed``). ``target`` is a digest of the Apprise URL, so no
    secret of it is stored; ``target_label`` is its scheme and host, for people.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("version_id", "target"),
        Index("ix_notification_due", "state", "target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(64))
    target_label: Mapped[str] = mapped_column(String(200))
    #: a :class:`storage.states.NotifyState`
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


__all__ = [
    "Alias",
    "Article",
    "Base",
    "BoilerplateLine",
    "Fetch",
    "Host",
    "HostProfile",
    "Notification",
    "Run",
    "RunLock",
    "Snapshot",
    "Source",
    "Url",
    "Version",
]


class Worker(Base):
    """One ``storyline worker`` process: who, where, how far, and when it last said so."""

    __tablename__ = "worker"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: the frontier's lease owner of this process (``host:pid:nonce``)
    owner: Mapped[str] = mapped_column(String(300))
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    state: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime] = mapped_column(index=True)
    stopped_at: Mapped[datetime | None]
    #: heartbeat period in seconds: a row silent for three of them is stale
    interval: Mapped[float] = mapped_column(Float)
    claimed: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
