"""When to fetch a known article again: the revisit policy and its repository functions.

Stories change most in their first hours and rarely after a week, so an article is revisited
at growing ages — by default 1h, 3h, 6h, 12h, 1d, 2d, 4d and 7d after it was first seen —
and then no more. A detected change starts the curve again from the first interval.

This lives in ``storage`` (not ``schedules``) because of the import direction
``storage ← scraper ← schedules``: the crawl loop in ``scraper`` must schedule the next
revisit right after storing a page, and it may not import ``schedules``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Article, Url
from storage.states import UrlKind, UrlState

DEFAULT_AFTER = ("1h", "3h", "6h", "12h", "1d", "2d", "4d", "7d")
#: how long an enqueued revisit waits for the crawl before it is enqueued again
REQUEUE_GUARD = timedelta(hours=1)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str | float) -> timedelta:
    """``"30m"``, ``"1h"``, ``"2d"``, ``"1w"``, ``"90s"``, or seconds (``600``, ``"600.0"``)
    → a positive timedelta. The one reading of a duration, for every key that takes one."""
    if isinstance(text, bool):
        raise ValueError(f"not a duration: {text!r}")
    if isinstance(text, int | float):
        seconds = float(text)
        if seconds != seconds or seconds in (float("inf"), float("-inf")):
            raise ValueError(f"not a duration: {text!r} (a finite number of seconds)")
        return _bounded(seconds, text)
    match = _DURATION.match(text)
    if not match:
        raise ValueError(
            f"not a duration: {text!r} (seconds, or a number and s, m, h, d or w, e.g. '6h')"
        )
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
    return _bounded(seconds, text)


#: Longer than any schedule needs, short enough that ``now + duration`` is a date.
MAX_DURATION = timedelta(days=3650)


def _bounded(seconds: float, text: object) -> timedelta:
    if seconds <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"a duration must be at most 3650d (ten years): {text!r}")
    return timedelta(seconds=seconds)


def format_duration(seconds: float) -> str:
    """The shortest exact form: ``600`` → ``10m``, ``90`` → ``90s``, ``86400`` → ``1d``."""
    for unit in ("w", "d", "h", "m"):
        size = _UNITS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@dataclass(frozen=True)
class RevisitPolicy:
    """Ages after first sight (or after the last change) at which an article is re-fetched.

    ``after`` must be strictly increasing. Each revisit is scheduled the difference of two
    neighbouring ages after the previous one, so a late revisit (downtime) shifts the rest
    instead of bunching them up.
    """

    after: tuple[timedelta, ...] = tuple(parse_duration(d) for d in DEFAULT_AFTER)

    def __post_init__(self) -> None:
        if any(b <= a for a, b in zip(self.after, self.after[1:], strict=False)):
            raise ValueError("revisit ages must be strictly increasing")
        if any(a <= timedelta(0) for a in self.after):
            raise ValueError("revisit ages must be positive")

    @classmethod
    def parse(cls, after: Iterable[str]) -> RevisitPolicy:
        """From the sources file's ``[revisit] after = ["1h", "6h", "1d"]``; [] means never."""
        return cls(tuple(parse_duration(text) for text in after))

    def gap(self, step: int) -> timedelta | None:
        """Time from revisit ``step`` (1-based; 0 = first sight) to the next, or None when done."""
        if step >= len(self.after):
            return None
        return self.after[step] - (self.after[step - 1] if step > 0 else timedelta(0))

    def next_revisit(self, step: int, changed: bool, now: datetime) -> tuple[int, datetime | None]:
        """The step reached and when to revisit next (None: no more revisits).

        ``step`` is how many intervals have been used so far (0 for an article never
        scheduled); a change resets it, bringing the next revisit as close as the first.
        """
        if changed:
            step = 0
        gap = self.gap(step)
        if gap is None:
            return step, None
        return step + 1, now + gap


@dataclass(frozen=True)
class DueArticle:
    """An article to revisit, with what a conditional GET needs."""

    article_id: int
    url: str
    source: str | None
    step: int
    due_at: datetime
    etag: str | None
    last_modified: str | None


def schedule_after_fetch(
    session: Session, article_id: int, now: datetime, changed: bool, policy: RevisitPolicy
) -> datetime | None:
    """Set the article's next revisit after a fetch (new article, new version, unchanged, thin).

    Call it with ``changed=True`` for a new article or a new version; an unchanged page,
    a 304 or a thin page is ``changed=False``. Returns the new ``next_revisit_at``.
    """
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article with id {article_id}")
    article.revisit_step, article.next_revisit_at = policy.next_revisit(
        article.revisit_step, changed, now
    )
    session.flush()
    return article.next_revisit_at


def record_not_modified(
    session: Session, article_id: int, now: datetime, policy: RevisitPolicy
) -> datetime | None:
    """A 304 on revisit: the article was seen unchanged now; schedule the next revisit."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article with id {article_id}")
    article.last_seen_at = max(article.last_seen_at, now)
    return schedule_after_fetch(session, article_id, now, False, policy)


def defer_revisit(session: Session, article_id: int, now: datetime, delay: timedelta) -> datetime:
    """A revisit failed (network, 5xx): try again after ``delay`` without advancing the step."""
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article with id {article_id}")
    article.next_revisit_at = now + delay
    session.flush()
    return article.next_revisit_at


def due_articles(
    session: Session, now: datetime, limit: int = 100, *, sources: Sequence[str] | None = None
) -> list[DueArticle]:
    """Articles whose revisit is due, the longest overdue first, with their ETag/Last-Modified."""
    query = (
        select(
            Article.id,
            Article.url,
            Article.source,
            Article.revisit_step,
            Article.next_revisit_at,
            Url.etag,
            Url.last_modified,
        )
        .outerjoin(Url, Url.url == Article.url)
        .where(Article.next_revisit_at.is_not(None), Article.next_revisit_at <= now)
        .order_by(Article.next_revisit_at, Article.id)
        .limit(limit)
    )
    if sources is not None:
        query = query.where(Article.source.in_(list(sources)))
    return [
        DueArticle(row[0], row[1], row[2], row[3], row[4] or now, row[5], row[6])
        for row in session.execute(query)
    ]


def enqueue_due(
    session: Session,
    now: datetime,
    *,
    limit: int = 1000,
    retry_after: timedelta = REQUEUE_GUARD,
    sources: Sequence[str] | None = None,
) -> int:
    """Put due articles back on the crawl frontier, due now; return how many.

    The crawl loop then fetches them like any URL — politely, with a conditional GET from
    the frontier row's ETag/Last-Modified — and calls :func:`schedule_after_fetch`. Until it
    does, the article's next revisit is pushed ``retry_after`` ahead, so a revisit that fails
    for good is tried again later instead of on every sweep. A URL already waiting or leased
    is left alone; an article fetched without the frontier (``storyline fetch``) gets a row.
    """
    due = due_articles(session, now, limit, sources=sources)
    for item in due:
        row = session.scalar(select(Url).where(Url.url == item.url))
        if row is None:
            session.add(
                Url(
                    url=item.url,
                    host=urlsplit(item.url).hostname or "",
                    source=item.source,
                    kind=UrlKind.ARTICLE,
                    state=UrlState.NEW,
                    discovered_at=now,
                    next_fetch_at=now,
                    article_id=item.article_id,
                )
            )
        elif row.state in (UrlState.DONE, UrlState.FAILED):
            row.state, row.next_fetch_at, row.attempts = UrlState.NEW, now, 0
            row.article_id = row.article_id or item.article_id
        article = session.get(Article, item.article_id)
        if article is not None:
            article.next_revisit_at = now + retry_after
    session.flush()
    return len(due)


def settle_fetched(
    session: Session,
    marker: datetime,
    since: datetime,
    policy_for: Callable[[str | None], RevisitPolicy],
) -> int:
    """After a crawl: schedule the next revisit of articles :func:`enqueue_due` queued.

    ``marker`` is the ``next_revisit_at`` that ``enqueue_due`` left on them (its ``now`` plus
    ``retry_after``). An article still carrying it that was seen (fetched: new version,
    unchanged or 304) at or after ``since`` was revisited by a crawl that did not schedule
    it: its next revisit follows the policy from that fetch, a change (``last_changed_at``
    at or after ``since``) restarting the curve. A thin page or a failed fetch leaves the
    marker: the article is queued again after ``retry_after``.
    Articles the crawl loop already scheduled no longer carry the marker and are left alone,
    so calling this is harmless either way. An article that got a new version since
    ``since`` without being queued (a sitemap ``lastmod`` or feed date re-armed it) has its
    curve restarted from that change.
    """
    rows = session.scalars(
        select(Article).where(Article.next_revisit_at == marker, Article.last_seen_at >= since)
    ).all()
    for article in rows:
        changed = article.last_changed_at >= since
        article.revisit_step, article.next_revisit_at = policy_for(article.source).next_revisit(
            article.revisit_step, changed, article.last_seen_at
        )
    # Changed since, though not through a queued revisit (a sitemap/feed hint re-armed it):
    # a change restarts the curve from the change. Idempotent: it depends on the change only.
    changed_rows = session.scalars(
        select(Article).where(
            Article.last_changed_at >= since,
            Article.current_version > 1,
            or_(Article.next_revisit_at.is_(None), Article.next_revisit_at != marker),
        )
    ).all()
    for article in changed_rows:
        article.revisit_step, article.next_revisit_at = policy_for(article.source).next_revisit(
            article.revisit_step, True, article.last_changed_at
        )
    session.flush()
    return len(rows) + len(changed_rows)


def schedule_unscheduled(
    session: Session, now: datetime, policy_for: Callable[[str | None], RevisitPolicy]
) -> int:
    """Give every article that never had a revisit scheduled its first one.

    A safety net for articles stored by a path that did not call :func:`schedule_after_fetch`
    (an older crawl, an import): the first revisit is counted from when it was last changed.
    """
    rows = session.scalars(
        select(Article).where(Article.revisit_step == 0, Article.next_revisit_at.is_(None))
    ).all()
    for article in rows:
        step, when = policy_for(article.source).next_revisit(0, True, article.last_changed_at)
        article.revisit_step, article.next_revisit_at = step, when
    session.flush()
    return len(rows)


def count_due(session: Session, now: datetime) -> int:
    """How many articles are due for a revisit at ``now``."""
    query = select(func.count()).where(
        Article.next_revisit_at.is_not(None), Article.next_revisit_at <= now
    )
    return int(session.scalar(query) or 0)


def mark_all_due(session: Session, now: datetime) -> int:
    """``crawl --revisit-all``: every known article is due now, even finished ones."""
    result = session.execute(update(Article).values(next_revisit_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def note_modified_hint(session: Session, url: str, modified: datetime, now: datetime) -> bool:
    """A sitemap lastmod, a feed's updated time or a page's modified date for ``url``.

    When it is newer than our last fetch of the article, the article is due now (even when
    its revisits had ended). Returns True when that made it due.
    """
    article = session.scalar(select(Article).where(Article.url == url))
    if article is None or modified <= article.last_seen_at:
        return False
    if article.next_revisit_at is not None and article.next_revisit_at <= now:
        return False
    article.next_revisit_at = now
    session.flush()
    return True


def mark_hinted_due(session: Session, now: datetime) -> int:
    """Set-based form of :func:`note_modified_hint` over the frontier's ``lastmod_hint``.

    Every article whose frontier row carries a hint newer than its last fetch becomes due now.
    """
    hinted = (
        select(Url.id)
        .where(
            Url.url == Article.url,
            Url.lastmod_hint.is_not(None),
            Url.lastmod_hint > Article.last_seen_at,
        )
        .exists()
    )
    statement = (
        update(Article)
        .where(
            hinted,
            or_(Article.next_revisit_at.is_(None), Article.next_revisit_at > now),
        )
        .values(next_revisit_at=now)
    )
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


__all__ = [
    "DEFAULT_AFTER",
    "DueArticle",
    "RevisitPolicy",
    "count_due",
    "defer_revisit",
    "due_articles",
    "enqueue_due",
    "mark_all_due",
    "mark_hinted_due",
    "note_modified_hint",
    "parse_duration",
    "record_not_modified",
    "schedule_after_fetch",
    "schedule_unscheduled",
    "settle_fetched",
]
