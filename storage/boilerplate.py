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

Learning applies backwards: :func:`applied_digest` / :func:`mark_applied` remember which set
of learned lines the host's stored versions were last cleaned with, and
:func:`correct_version` rewrites one version's body in place (same number, same snapshot),
logging a :class:`~storage.models.BoilerplateCorrection` that :func:`corrections` lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.articles import version_fields
from storage.models import Article, BoilerplateCorrection, BoilerplateLine, HostProfile, Version
from storage.versioning import fingerprint

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
    session.execute(
        update(HostProfile)
        .where(HostProfile.host == host)
        .values(pages_seen=0, learned_digest=None)
    )


def learned_digest(keys: Iterable[str]) -> str:
    """A digest of a set of learned line keys (order-free); what :func:`mark_applied` stores."""
    return hashlib.sha256("\n".join(sorted(set(keys))).encode("ascii")).hexdigest()


def applied_digest(session: Session, host: str) -> str | None:
    """The digest of the learned lines the host's stored versions were last cleaned with.

    The host's profile row stays locked until the caller's transaction ends (PostgreSQL), so
    concurrent writers correct one host's versions one after another, never crosswise.
    """
    return session.scalar(
        select(HostProfile.learned_digest).where(HostProfile.host == host).with_for_update()
    )


def mark_applied(session: Session, host: str, digest: str) -> None:
    """Record that the host's stored versions are clean of the lines with ``digest``."""
    session.execute(
        update(HostProfile).where(HostProfile.host == host).values(learned_digest=digest)
    )


def host_versions(
    session: Session, host: str, *, article_id: int | None = None
) -> Iterator[tuple[Version, str]]:
    """Every stored version of ``host`` (or of one of its articles) with its article's URL."""
    query = (
        select(Version, Article.url)
        .join(Article, Article.id == Version.article_id)
        .where(Article.host == host, Version.snapshot_id.is_not(None))
        .order_by(Version.article_id, Version.number)
    )
    if article_id is not None:
        query = query.where(Article.id == article_id)
    for row in session.execute(query):
        yield row.Version, row.url


@dataclass(frozen=True)
class Correction:
    """One version corrected in place, and the lines taken out of it."""

    host: str
    url: str
    version: int
    corrected_at: datetime
    old_extractor: str
    new_extractor: str
    removed: tuple[str, ...]


def correct_version(
    session: Session,
    version: Version,
    host: str,
    *,
    body: str,
    extractor: str,
    removed: Iterable[str],
    corrected_at: datetime,
) -> None:
    """Rewrite ``version``'s body in place (number and snapshot unchanged) and log it."""
    removed_lines = list(removed)
    old_extractor = version.extractor
    fields = replace(version_fields(version), body=body, extractor=extractor)
    version.body = body
    version.word_count = fields.word_count
    version.extractor = extractor
    version.fingerprint = fingerprint(fields)
    session.add(
        BoilerplateCorrection(
            host=host,
            article_id=version.article_id,
            version_number=version.number,
            corrected_at=corrected_at,
            old_extractor=old_extractor,
            new_extractor=extractor,
            lines_removed=len(removed_lines),
            removed=[line[:500] for line in removed_lines[:50]],
        )
    )
    session.flush()


def corrections(session: Session, host: str, *, limit: int = 100) -> list[Correction]:
    """The latest corrections made to ``host``'s stored versions, newest first."""
    rows = session.execute(
        select(BoilerplateCorrection, Article.url)
        .join(Article, Article.id == BoilerplateCorrection.article_id)
        .where(BoilerplateCorrection.host == host)
        .order_by(BoilerplateCorrection.corrected_at.desc(), BoilerplateCorrection.id.desc())
        .limit(limit)
    )
    return [
        Correction(
            host=row.BoilerplateCorrection.host,
            url=row.url,
            version=row.BoilerplateCorrection.version_number,
            corrected_at=row.BoilerplateCorrection.corrected_at,
            old_extractor=row.BoilerplateCorrection.old_extractor,
            new_extractor=row.BoilerplateCorrection.new_extractor,
            removed=tuple(row.BoilerplateCorrection.removed or ()),
        )
        for row in rows
    ]
