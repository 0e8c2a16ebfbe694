"""Notifications after a crawl: a message per changed article to each ``[notify]`` URL.

Through an outbox, the ``notification`` table: after a crawl, :func:`enqueue` writes a
pending row for each version it made that the ``[notify]`` filters select, per target URL;
:func:`deliver` then sends one message per article and target (about all its pending
versions, so at most one per article per crawl) and marks the rows sent — or counts a
failed attempt and leaves them pending for the next run, until ``attempts`` is used up
(then ``failed``). A failure never fails the crawl and never loses the change.

Sending happens outside any database transaction (SQLite's write lock is never held across
the network), with Apprise's connect/read timeouts and a time budget per run; a target
that fails is not tried again in the same run. Failures are logged in one line naming the
target by scheme and host only (:func:`target_label`): Apprise URLs carry passwords and
tokens. Apprise is imported only when there is something to send (it loads its plugins
then, which takes a second or two).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from scraper.config import NotifyConfig
from storage.changelog import ChangeEntry, ChangeQuery, list_changes, version_ids
from storage.models import Notification
from storage.states import ChangeKind, NotifyState

log = logging.getLogger(__name__)

#: longest title sent (chat services cut long ones anyway)
TITLE_LIMIT = 200
ERROR_LIMIT = 300
#: a row claimed for sending longer ago than this (or 4 × the timeout) is due again
SENDING_LEASE = timedelta(minutes=15)

NOTE_LABELS = {"correction": "correction note", "update": "update note"}


class NotifyFailed(Exception):
    """One message was not delivered; the text says why, without the URL's secrets."""


#: Sends one message: (Apprise URL, title, body, timeout in seconds); raises NotifyFailed.
Sender = Callable[[str, str, str, float], None]


def target_key(url: str) -> str:
    """The stored name of a target: SHA-256 of its URL (the URL itself is never stored)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def target_label(url: str) -> str:
    """``scheme://host`` for people and logs; the host only when it looks like one.

    Many Apprise services keep a token where a host would be (``slack://TOKEN/…``,
    ``discord://ID/TOKEN``): a "host" without a dot (and not ``localhost``) is shown as ``…``.
    User names, passwords, paths and queries are never shown.
    """
    parts = urlsplit(url)
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        host, port = "", None
    shown = host if host == "localhost" or ("." in host and not host.isdigit()) else "…"
    if shown != "…" and port:
        shown += f":{port}"
    return f"{parts.scheme}://{shown}"


def _with_timeouts(url: str, timeout: float) -> str:
    """The URL with Apprise's connect/read timeouts (``cto``/``rto``) unless it sets them."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = {name for name, _ in query}
    query += [(name, f"{timeout:g}") for name in ("cto", "rto") if name not in names]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _scrub(text: str, url: str) -> str:
    """``text`` with every secret-looking part of ``url`` (user, password, path, query) cut."""
    parts = urlsplit(url)
    secrets = [parts.username, parts.password, *parts.path.split("/")]
    secrets += [value for _, value in parse_qsl(parts.query)]
    if target_label(url).endswith("…"):  # a token where the host would be
        secrets.append(parts.hostname)
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "…")
    return " ".join(text.split())[:ERROR_LIMIT]


def send_apprise(url: str, title: str, body: str, timeout: float) -> None:
    """Send one message through Apprise; NotifyFailed with the reason when it did not go."""
    import apprise  # loads its plugins: only when there is something to send

    client = apprise.Apprise()
    try:
        if not client.add(_with_timeouts(url, timeout)):
            raise NotifyFailed("Apprise does not know this URL's service (check the URL)")
        result = client.notify(body=body, title=title, timeout=2 * timeout + 1)
    except NotifyFailed:
        raise
    except Exception as exc:  # a plugin's bug must not end the crawl
        raise NotifyFailed(_scrub(f"{type(exc).__name__}: {exc}", url)) from exc
    if not result:
        levels = logging.getLevelNamesMapping()
        said = [
            e.message
            for e in result.logs()
            if levels.get(str(e.level).upper(), 0) >= logging.WARNING
        ]
        status = getattr(getattr(result, "status", None), "name", "failed").lower()
        raise NotifyFailed(_scrub(said[-1] if said else status, url))


def message(entries: list[ChangeEntry]) -> tuple[str, str]:
    """Title and body about one article's new versions (newest first in ``entries``)."""
    newest = entries[0]
    kinds = [k for k in ChangeKind if any(k in e.kinds for e in entries)]
    headline = " ".join((newest.headline or "").split()) or newest.url
    changes = [e for e in entries if ChangeKind.NEW not in e.kinds]
    verb = "Changed" if changes else "New"
    title = f"{verb}: {headline}"
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    lines = [headline, newest.url]
    what = ", ".join(str(k) for k in kinds)
    if ChangeKind.BODY in kinds:
        added = sum(e.words_added for e in changes)
        removed = sum(e.words_removed for e in changes)
        what += f"; body +{added}/−{removed} words"
    lines.append(what)
    for entry in reversed(entries):
        for note in entry.notes:
            lines.append(f"{NOTE_LABELS.get(note.kind, 'note')}: “{note.text}”")
    source = f" ({newest.source})" if newest.source else ""
    lines.append(f"version {newest.number}{source}, {newest.fetched_at.isoformat()}")
    return title, "\n".join(lines)


@dataclass(frozen=True)
class NotifyReport:
    """What one crawl's notifications did (messages, and outbox rows still waiting)."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    #: outbox rows given up this run (their attempts used up)
    gave_up: int = 0
    #: outbox rows still waiting for a later run
    pending: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "queued": self.queued,
            "sent": self.sent,
            "failed": self.failed,
            "gave_up": self.gave_up,
            "pending": self.pending,
        }


def enqueue(
    engine: Engine, settings: NotifyConfig, made: Iterable[tuple[int, int]], now: datetime
) -> int:
    """Pending outbox rows for the versions a crawl made, (article id, number) pairs, that
    the ``[notify]`` filters select; returns how many rows were written."""
    made = list(made)
    if not settings.urls or not made:
        return 0
    written = 0
    with Session(engine) as session, session.begin():
        ids = version_ids(session, made)
        query = ChangeQuery(
            versions=frozenset(ids),
            sources=frozenset(settings.sources),
            kinds=settings.kinds,
            limit=max(len(ids), 1),
        )
        entries = list_changes(session, query) if ids else []
        chosen = [e.version_id for e in entries]
        have = {
            (row.version_id, row.target)
            for row in session.execute(
                select(Notification.version_id, Notification.target).where(
                    Notification.version_id.in_(chosen)
                )
            )
        }
        for entry in reversed(entries):  # oldest first: ids follow the order of changes
            for url in settings.urls:
                key = target_key(url)
                if (entry.version_id, key) in have:
                    continue
                session.add(
                    Notification(
                        version_id=entry.version_id,
                        article_id=entry.article_id,
                        target=key,
                        target_label=target_label(url),
                        state=NotifyState.PENDING,
                        attempts=0,
                        created_at=now,
                    )
                )
                written += 1
    return written


def deliver(
    engine: Engine,
    settings: NotifyConfig,
    now: datetime,
    *,
    send: Sender = send_apprise,
    clock: Callable[[], float] = time.monotonic,
) -> NotifyReport:
    """Send what the outbox holds for the configured targets; see the module's docstring."""
    targets = {target_key(url): url for url in settings.urls}
    if not targets:
        return NotifyReport()
    with Session(engine) as session:
        rows = session.execute(
            select(
                Notification.id,
                Notification.version_id,
                Notification.article_id,
                Notification.target,
                Notification.attempts,
            )
            .where(_due(settings, now), Notification.target.in_(sorted(targets)))
            .order_by(Notification.id)
        ).all()
        wanted = frozenset(row.version_id for row in rows)
        entries = {
            e.version_id: e
            for e in (
                list_changes(
                    session, ChangeQuery(versions=wanted, new=True, limit=max(len(wanted), 1))
                )
                if wanted
                else []
            )
        }
    groups: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for row in rows:
        groups.setdefault((row.target, row.article_id), []).append(
            (row.id, row.version_id, row.attempts)
        )

    started = clock()
    sent = failed = gave_up = 0
    down: set[str] = set()
    for (target, _article), group in groups.items():
        if target in down or clock() - started > settings.budget:
            continue
        about = sorted(
            (entries[v] for _, v, _ in group if v in entries),
            key=lambda e: (e.fetched_at, e.version_id),
            reverse=True,
        )
        if not about:
            continue
        claimed = _claim(engine, settings, group, now)
        about = [e for e in about if e.version_id in {v for _, v, _ in claimed}]
        if not about:
            continue  # another process is sending these
        title, body = message(about)
        url = targets[target]
        try:
            send(url, title, body, settings.timeout)
        except NotifyFailed as exc:
            error: str | None = str(exc) or "not delivered"
        else:
            error = None
        ids = [row_id for row_id, _, _ in claimed]
        attempts = max(tries for _, _, tries in claimed)
        final = error is not None and attempts >= settings.attempts
        _settle(engine, ids, error, final, now)
        if error is None:
            sent += 1
            continue
        failed += 1
        gave_up += len(ids) if final else 0
        down.add(target)
        if final:
            log.warning(
                "notify %s: not delivered (%s); given up after %d attempts",
                target_label(url),
                error,
                attempts,
            )
        else:
            log.warning(
                "notify %s: not delivered (%s); tried again after the next crawl "
                "(attempt %d of %d)",
                target_label(url),
                error,
                attempts,
                settings.attempts,
            )
    return NotifyReport(
        sent=sent, failed=failed, gave_up=gave_up, pending=pending_count(engine, settings)
    )


def _due(settings: NotifyConfig, now: datetime) -> ColumnElement[bool]:
    """Pending rows, and rows claimed by a sender so long ago that it must have died."""
    stale = now - max(SENDING_LEASE, timedelta(seconds=4 * settings.timeout))
    return or_(
        Notification.state == NotifyState.PENDING,
        and_(Notification.state == NotifyState.SENDING, Notification.last_attempt_at < stale),
    )


def _claim(
    engine: Engine, settings: NotifyConfig, group: list[tuple[int, int, int]], now: datetime
) -> list[tuple[int, int, int]]:
    """Mark the rows ``sending`` and count an attempt; the rows this run may send.

    The update is conditional on the row being as this run read it (still due, the same
    attempt count), so of two crawls delivering at once only one claims a row: a message
    goes once. A sender that dies leaves its rows ``sending``; they are due again after
    :data:`SENDING_LEASE`.
    """
    claimed = []
    with Session(engine) as session, session.begin():
        for row_id, version_id, tries in group:
            done = session.execute(
                update(Notification)
                .where(
                    Notification.id == row_id,
                    Notification.attempts == tries,
                    _due(settings, now),
                )
                .values(state=NotifyState.SENDING, attempts=tries + 1, last_attempt_at=now)
            )
            if done.rowcount:  # type: ignore[attr-defined]
                claimed.append((row_id, version_id, tries + 1))
    return claimed


def _settle(engine: Engine, ids: list[int], error: str | None, final: bool, now: datetime) -> None:
    """Mark claimed rows sent, or leave them pending with the error (failed when ``final``)."""
    if error is None:
        values: dict[str, object] = {"state": NotifyState.SENT, "sent_at": now, "last_error": None}
    else:
        state = NotifyState.FAILED if final else NotifyState.PENDING
        values = {"state": state, "last_error": error}
    with Session(engine) as session, session.begin():
        session.execute(update(Notification).where(Notification.id.in_(ids)).values(**values))


def pending_count(engine: Engine, settings: NotifyConfig) -> int:
    """Outbox rows waiting for the configured targets."""
    keys = sorted(target_key(url) for url in settings.urls)
    with Session(engine) as session:
        pending = session.scalar(
            select(func.count(Notification.id)).where(
                Notification.state == NotifyState.PENDING, Notification.target.in_(keys)
            )
        )
    return int(pending or 0)


def notify_crawl(
    engine: Engine,
    settings: NotifyConfig,
    made: Iterable[tuple[int, int]],
    now: datetime,
    *,
    send: Sender = send_apprise,
    deliver_now: bool = True,
) -> NotifyReport:
    """After a crawl: queue its versions (article id, number), then deliver the outbox.

    A crawl stopped by a signal only queues (``deliver_now=False``): the messages go after
    the next crawl, and stopping is not delayed by the network.
    """
    if not settings.urls:
        return NotifyReport()
    queued = enqueue(engine, settings, made, now)
    if not deliver_now:
        return NotifyReport(queued=queued, pending=pending_count(engine, settings))
    report = deliver(engine, settings, now, send=send)
    return NotifyReport(queued, report.sent, report.failed, report.gave_up, report.pending)


def notify_run(
    engine: Engine,
    settings: NotifyConfig,
    result: dict[str, Any],
    counts: dict[str, Any],
    now: datetime,
    *,
    deliver_now: bool = True,
) -> NotifyReport:
    """:func:`notify_crawl` for a crawl's result dict (its ``changed`` items); the report goes
    into ``result["notifications"]`` and, as ``notify_*``, into the run's ``counts``."""
    made = [(item["article_id"], item["version"]) for item in result.get("changed", [])]
    report = notify_crawl(engine, settings, made, now, deliver_now=deliver_now)
    if settings.urls:
        result["notifications"] = report.as_dict()
        counts.update({f"notify_{k}": v for k, v in report.as_dict().items()})
    return report


__all__ = [
    "NotifyFailed",
    "NotifyReport",
    "Sender",
    "deliver",
    "enqueue",
    "message",
    "notify_crawl",
    "notify_run",
    "pending_count",
    "send_apprise",
    "target_key",
    "target_label",
]
