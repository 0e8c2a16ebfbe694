"""The archive's states and outcomes as StrEnums: one spelling each, stored as their values.

They are ``str`` subclasses, so rows written before these existed compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """What became of one fetched URL (the ``fetch.outcome`` column and crawl summaries)."""

    NEW_ARTICLE = "new-article"
    NEW_VERSION = "new-version"
    UNCHANGED = "unchanged"
    THIN = "thin"
    NOT_MODIFIED = "not-modified"
    DISCOVERED = "discovered"
    ALIAS = "alias"
    FAILED = "failed"


class UrlState(StrEnum):
    """Where a frontier URL is in its life (the ``url.state`` column)."""

    NEW = "new"
    LEASED = "leased"
    DONE = "done"
    FAILED = "failed"


class UrlKind(StrEnum):
    """What a frontier URL is read as: an article, or a seed of one kind (``url.kind``)."""

    ARTICLE = "article"
    FEED = "feed"
    SITEMAP = "sitemap"
    PAGE = "page"


class ChangeKind(StrEnum):
    """How a version differs from the one before it (``version.kinds``; ``storyline changes``).

    ``new`` marks an article's first version (a new article, not a change); ``correction``
    a correction note that appeared, ``note`` an update or editor's note; ``url`` a version
    written when the article also moved to a new canonical URL.
    """

    NEW = "new"
    HEADLINE = "headline"
    BYLINE = "byline"
    BODY = "body"
    CORRECTION = "correction"
    NOTE = "note"
    DATES = "dates"
    URL = "url"


class NotifyState(StrEnum):
    """Where one notification in the outbox is (the ``notification.state`` column)."""

    PENDING = "pending"
    #: claimed by a process that is sending it now (pending again if that one died)
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class WorkerState(StrEnum):
    """What a ``storyline worker`` process is doing (the ``worker.state`` column)."""

    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"
    #: it stopped because the database failed under it (exit status 3)
    LOST = "lost"
