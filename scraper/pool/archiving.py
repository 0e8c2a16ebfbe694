"""Archiving fetched pages in a pool worker: extract a batch, then store it in one transaction.

Running the archive writes in the workers rather than in the crawler's process spreads
their CPU work (the ORM, hashing, compression) over the pool too.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper import errors
from scraper.fetched import FetchResult, utcnow
from scraper.pipeline import (
    Extractor,
    Lessons,
    article_urls,
    failure_record,
    learned_boilerplate,
    store,
)
from scraper.pool.clocks import _overrun_guard
from scraper.pool.extractor import extract_page
from scraper.urls import canonicalize
from storage import frontier, record_fetch
from storage.engine import create_archive_engine, describe
from storage.errors import unwritable
from storage.states import Outcome
from storage.transient import is_transient

if TYPE_CHECKING:
    from scraper.extraction import Extraction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchiveJob:
    """A fetched article page for a worker to extract and store (picklable)."""

    db_url: str
    url_id: int
    result: FetchResult
    source: str | None = None
    extractor: Extractor = extract_page


@dataclass(frozen=True)
class ArchiveDone:
    """What became of one page: its outcome and URLs, or why it could not be extracted."""

    outcome: str | None
    canonical: str | None = None
    aliases: tuple[str, ...] = ()
    reason: str | None = None
    error: str | None = None
    url: str | None = None
    article_url: str | None = None
    changed: tuple[str, ...] = ()
    article_id: int | None = None
    version: int | None = None
    #: seconds spent extracting, waiting for the write turn, and writing
    timings: tuple[float, float, float] = (0.0, 0.0, 0.0)


def failure_reason(exc: errors.ScraperError) -> str:
    """A short, stable reason for summaries: ``http-404``, ``timeout``, ``robots`` …"""
    if isinstance(exc, errors.HTTPStatusError) and exc.status is not None:
        return f"http-{exc.status}"
    if isinstance(exc, errors.ExtractionError):
        return "extract-timeout" if isinstance(exc, errors.ExtractionTimeout) else "extract"
    return getattr(exc, "kind", "error")


class _Engines:
    """This worker process's database engines, one per URL (created on first use).

    For SQLite, workers also take turns through an ``flock`` on a file beside the database:
    the kernel wakes the next writer the moment the lock is free, where SQLite's own busy
    handler would poll with growing sleeps while several workers queue for its write lock.
    """

    def __init__(self) -> None:
        self._engines: dict[str, tuple[Engine, int | None]] = {}
        self._keepers: list[Any] = []
        self._boilerplate: dict[tuple[str, str], tuple[float, frozenset[str]]] = {}

    def boilerplate(self, db_url: str, engine: Engine, url: str) -> frozenset[str]:
        """The host's learned boilerplate keys, re-read at most every 30 seconds."""
        key = (db_url, urlsplit(url).netloc)
        now = time.monotonic()
        cached = self._boilerplate.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        with Session(engine) as session:
            keys = learned_boilerplate(session, url)
        if len(self._boilerplate) > 10_000:
            self._boilerplate.clear()
        self._boilerplate[key] = (now + 30.0, keys)
        return keys

    def get(self, url: str) -> tuple[Engine, int | None]:
        found = self._engines.get(url)
        if found is None:
            if len(self._engines) > 8:
                self.close()
            engine = create_archive_engine(url)
            lock = None
            if engine.dialect.name == "sqlite" and engine.url.database:
                lock = os.open(f"{engine.url.database}.write-lock", os.O_RDWR | os.O_CREAT, 0o644)
                # An idle connection held open: closing the *last* connection to a WAL
                # database checkpoints and syncs it, which would happen after every page.
                self._keepers.append(engine.raw_connection())
            found = (engine, lock)
            self._engines[url] = found
        return found

    def close(self) -> None:
        for keeper in self._keepers:
            keeper.close()
        self._keepers.clear()
        for engine, lock in self._engines.values():
            engine.dispose()
            if lock is not None:
                os.close(lock)
        self._engines.clear()


@contextlib.contextmanager
def _write_turn(lock: int | None) -> Iterator[None]:
    if lock is None:
        yield
        return
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)


#: how often a batch that lost a deadlock or serialisation race is written again
WRITE_ATTEMPTS = 5

# per-process engine cache (each worker process has its own, created on first use)
_ENGINES = _Engines()


def archive_batch_in_worker(jobs: list[ArchiveJob]) -> list[ArchiveDone]:
    """Extract several fetched pages, then store them all in one transaction.

    Running the archive writes here rather than in the crawler's process spreads their CPU
    (the ORM, hashing, compression) over the pool; on PostgreSQL several workers write at
    once, on SQLite the write lock takes turns. Each page is stored in its own savepoint
    with its frontier state, so one bad page never undoes its neighbours; a page whose
    write fails stays leased and is fetched again by a later crawl.
    """
    if not jobs:
        return []
    engine, lock = _ENGINES.get(jobs[0].db_url)
    extracted: list[tuple[ArchiveJob, Extraction | errors.ScraperError, frozenset[str], float]] = []
    for job in jobs:
        t0 = time.monotonic()
        keys = _ENGINES.boilerplate(job.db_url, engine, job.result.final_url)
        try:
            with _overrun_guard(job.result.final_url):
                outcome: Extraction | errors.ScraperError = job.extractor(
                    job.result.body, job.result.final_url, keys
                )
        except errors.ScraperError as exc:
            outcome = exc
        extracted.append((job, outcome, keys, time.monotonic() - t0))
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            return _write_batch(engine, lock, extracted)
        except Exception as exc:
            fatal = unwritable(exc, describe(engine))
            if fatal is not None:
                # Disk full, read-only: no retry can help. Raised as our own error, which
                # pickles whole, so the crawler stops instead of retrying every page.
                raise fatal from None
            if not is_transient(exc) or attempt == WRITE_ATTEMPTS:
                raise
            # A deadlock or serialisation failure: the whole batch is run again, not lost.
            logger.info("batch of %d pages lost a race (%s); writing it again", len(jobs), exc)
            time.sleep(random.uniform(0.01, 0.1) * attempt)
    raise AssertionError("unreachable")


def _write_batch(
    engine: Engine,
    lock: int | None,
    extracted: list[tuple[ArchiveJob, Extraction | errors.ScraperError, frozenset[str], float]],
) -> list[ArchiveDone]:
    done: list[ArchiveDone] = []
    lessons = Lessons()
    completions: list[frontier.Completion] = []
    t1 = time.monotonic()
    with _write_turn(lock), Session(engine) as session, session.begin():
        t2 = time.monotonic()
        for job, extraction, keys, spent in extracted:
            t3 = time.monotonic()
            completion: frontier.Completion | None = None
            try:
                with session.begin_nested():
                    if isinstance(extraction, errors.ScraperError):
                        done.append(_record_failure(session, job, extraction))
                    else:
                        stored, completion = _store_page(session, job, extraction, keys, lessons)
                        done.append(stored)
                if completion is not None:  # its page is stored (the savepoint released)
                    completions.append(completion)
            except Exception as exc:  # this page only; its URL stays leased
                if is_transient(exc):
                    raise  # the transaction is lost: the caller writes the batch again
                if unwritable(exc) is not None:
                    raise  # nothing more can be written: the caller stops the crawl
                logger.exception("could not store %s", job.result.final_url)
                done.append(ArchiveDone(None, reason="store", error=repr(exc), url=job.result.url))
                continue
            timings = (spent, (t2 - t1) / len(extracted), time.monotonic() - t3)
            done[-1] = replace(done[-1], timings=timings)
        # The stored pages' URLs are done: one statement for the batch, in its transaction.
        frontier.complete_many(session, completions)
        if extracted:
            lessons.write(session, extracted[0][0].extractor)
    return done


def record_overrun_in_worker(job: ArchiveJob, seconds: float) -> list[ArchiveDone]:
    """Record ``job``'s page as an extraction timeout without extracting it again."""
    engine, lock = _ENGINES.get(job.db_url)
    exc = errors.ExtractionTimeout(
        f"extraction ran past {seconds:g}s; the worker was replaced", url=job.result.url
    )
    with _write_turn(lock), Session(engine) as session, session.begin():
        return [_record_failure(session, job, exc)]


def _record_failure(session: Session, job: ArchiveJob, exc: errors.ScraperError) -> ArchiveDone:
    result = job.result
    reason = failure_reason(exc)
    record_fetch(session, failure_record(result.final_url, exc, result.started_at))
    frontier.fail(
        session, job.url_id, utcnow(), error=f"{reason}: {exc.message}", status=result.status
    )
    return ArchiveDone(None, reason=reason, error=exc.message, url=result.url)


def _store_page(
    session: Session,
    job: ArchiveJob,
    extraction: Extraction,
    keys: frozenset[str],
    lessons: Lessons,
) -> tuple[ArchiveDone, frontier.Completion]:
    """Store one extracted page; the URL's completion is returned, for the batch to write."""
    result = job.result
    canonical, aliases = urls = article_urls(result, extraction)
    outcome = store(
        session,
        result,
        extraction,
        extractor=job.extractor,
        source=job.source,
        boilerplate_keys=keys,
        lessons=lessons,
        urls=urls,
    )
    article_id = outcome.article_id
    now = utcnow()
    # The fetched URL itself is completed below; only its other names need marking.
    fetched = canonicalize(result.url)
    others = [u for u in (canonical, *aliases) if u != fetched]
    if others:
        frontier.mark_seen(session, others, now, article_id=article_id)
    completion = frontier.Completion(
        job.url_id,
        now,
        status=result.status,
        etag=result.etag,
        last_modified=result.last_modified,
        article_id=article_id,
        note="thin page: not archived" if outcome.outcome == Outcome.THIN else None,
    )
    done = ArchiveDone(
        outcome.outcome,
        canonical,
        aliases,
        url=result.url,
        article_url=outcome.article_url,
        changed=tuple(outcome.changed),
        article_id=article_id,
        version=outcome.version,
    )
    return done, completion
