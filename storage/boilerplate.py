"""Learned per-host boilerplate: recording lines seen on a host's articles, reading them back.

The extractor (``scraper.extraction``) turns each new article into a set of candidate
lines, ``(key, sample text)`` pairs where ``key`` is the SHA-256 of the normalised line.
:func:`record_page` counts, per host, on how many distinct articles each line was seen
(``boilerplate_line.pages``) and how many articles the host has had
(``host_profile.pages_seen``). :func:`learned_keys` returns the lines that crossed the
threshold, for the next extraction; :func:`explain` lists them with their evidence.

This module knows nothing of extraction: thresholds are passed in (the extractor's
defaults are ``scraper.extraction.boilerplate.MIN_PAGES`` and ``MIN_SHARE``). Every
function works inside the caller's session and transaction.

Call :func:`record_page` once per *distinct article* of a host (its first version), never
per re-fetch or per alias: a line is boilerplate because many different stories carry it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import BoilerplateLine, HostProfile

#: Rows per multi-row INSERT (keeps SQLite under its bound-parameter limit).
_CHUNK = 200


@dataclass(frozen=True)
class LearnedLine:
    """One learned line and why: seen on ``pages`` of the host's ``pages_seen`` articles."""

    key: str
    text: str
    pages: int
    pages_seen: int
    first_seen: datetime
    last_seen: datetime

    @property
    def share(self) -> float:
        return self.pages / self.pages_seen if self.pages_seen else 0.0

    @property
    def reason(self) -> str:
        return f"seen on {self.pages} of {self.pages_seen} articles ({self.share:.0%})"


def _insert_for(session: Session) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return pg_insert
    if name == "sqlite":
        return sqlite_insert
    return None


def record_page(
    session: Session, host: str, lines: Iterable[tuple[str, str]], seen_at: datetime
) -> int:
    """Count one more article of ``host`` and each of its candidate ``lines``.

    ``lines`` are ``(key, sample text)`` pairs (duplicates are counted once). Returns the
    number of distinct lines recorded.
    """
    unique = dict(lines)
    insert = _insert_for(session)
    _bump_profile(session, host, insert)
    items = sorted(unique.items())
    if insert is None:
        for key, text in items:
            row = session.scalars(
                select(BoilerplateLine).where(
                    BoilerplateLine.host == host, BoilerplateLine.key == key
                )
            ).one_or_none()
            if row is None:
                session.add(
                    BoilerplateLine(
                        host=host,
                        key=key,
                        text=text,
                        pages=1,
                        first_seen=seen_at,
                        last_seen=seen_at,
                    )
                )
            else:
                row.pages += 1
                row.last_seen = max(row.last_seen, seen_at)
        session.flush()
        return len(items)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        statement = insert(BoilerplateLine).values(
            [
                {
                    "host": host,
                    "key": key,
                    "text": text,
                    "pages": 1,
                    "first_seen": seen_at,
                    "last_seen": seen_at,
                }
                for key, text in chunk
            ]
        )
        statement = statement.on_conflict_do_update(
            index_elements=[BoilerplateLine.host, BoilerplateLine.key],
            set_={
                "pages": BoilerplateLine.pages + 1,
                "last_seen": func.max(BoilerplateLine.last_seen, statement.excluded.last_seen)
                if session.get_bind().dialect.name == "sqlite"
                else func.greatest(BoilerplateLine.last_seen, statement.excluded.last_seen),
            },
        )
        session.execute(statement)
    return len(items)


def _bump_profile(session: Session, host: str, insert: Any) -> None:
    if insert is None:
        profile = session.get(HostProfile, host)
        if profile is None:
            session.add(HostProfile(host=host, pages_seen=1))
        else:
            profile.pages_seen += 1
        session.flush()
        return
    statement = insert(HostProfile).values(host=host, pages_seen=1)
    statement = statement.on_conflict_do_update(
        index_elements=[HostProfile.host], set_={"pages_seen": HostProfile.pages_seen + 1}
    )
    session.execute(statement)


def pages_seen(session: Session, host: str) -> int:
    """How many distinct articles of ``host`` have been recorded."""
    value = session.scalar(select(HostProfile.pages_seen).where(HostProfile.host == host))
    return int(value or 0)


def line_counts(session: Session, host: str) -> tuple[int, dict[str, int]]:
    """``(pages_seen, {key: pages})`` for every recorded line of ``host``."""
    rows = session.execute(
        select(BoilerplateLine.key, BoilerplateLine.pages).where(BoilerplateLine.host == host)
    )
    return pages_seen(session, host), {key: pages for key, pages in rows}


def _floor(session: Session, host: str, min_pages: int, min_share: float) -> tuple[int, float]:
    seen = pages_seen(session, host)
    return seen, max(float(min_pages), min_share * seen)


def learned_keys(
    session: Session, host: str, *, min_pages: int, min_share: float
) -> frozenset[str]:
    """Keys of lines seen on ``>= min_pages`` articles and ``>= min_share`` of the host's."""
    _, floor = _floor(session, host, min_pages, min_share)
    rows = session.scalars(
        select(BoilerplateLine.key).where(
            BoilerplateLine.host == host, BoilerplateLine.pages >= floor
        )
    )
    return frozenset(rows)


def explain(session: Session, host: str, *, min_pages: int, min_share: float) -> list[LearnedLine]:
    """The learned lines of ``host`` with their evidence, most frequent first."""
    seen, floor = _floor(session, host, min_pages, min_share)
    rows = session.scalars(
        select(BoilerplateLine)
        .where(BoilerplateLine.host == host, BoilerplateLine.pages >= floor)
        .order_by(BoilerplateLine.pages.desc(), BoilerplateLine.text)
    )
    return [
        LearnedLine(row.key, row.text, row.pages, seen, row.first_seen, row.last_seen)
        for row in rows
    ]


def prune(
    session: Session, *, seen_before: datetime, max_pages: int = 1, host: str | None = None
) -> int:
    """Delete lines seen on at most ``max_pages`` articles and not since ``seen_before``.

    Article text recorded as a candidate stays at one page forever; pruning keeps the table
    to the lines that recur. Returns the number of rows deleted.
    """
    statement = delete(BoilerplateLine).where(
        BoilerplateLine.pages <= max_pages, BoilerplateLine.last_seen < seen_before
    )
    if host is not None:
        statement = statement.where(BoilerplateLine.host == host)
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def forget_host(session: Session, host: str) -> None:
    """Drop everything learned for ``host`` (after a redesign of the site, say)."""
    session.execute(delete(BoilerplateLine).where(BoilerplateLine.host == host))
    session.execute(update(HostProfile).where(HostProfile.host == host).values(pages_seen=0))
