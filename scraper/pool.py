"""The process pool where the crawler extracts and archives pages.

trafilatura is not thread-safe and grows caches, so extraction runs in worker processes,
which reset those caches every hundred pages. (Recycling workers with
``max_tasks_per_child`` is avoided: on Python 3.11 it can deadlock the pool.)

Workers are forked from a *forkserver* (never from the threaded crawler itself) that has
imported the extraction code and run a warm-up extraction, so each worker starts with
trafilatura's tables loaded and shares those pages with its siblings: seconds of work and
tens of megabytes that each worker would otherwise pay on its own.

Each worker also stores what it extracted (:func:`archive_batch_in_worker`), so the
archive's CPU work (the ORM, hashing, compression) is spread over the pool too.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import multiprocessing
import os
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper import errors
from scraper.allocator import limit_malloc_arenas
from scraper.fetched import FetchResult, utcnow
from scraper.pipeline import (
    Extractor,
    Lessons,
    article_urls,
    failure_record,
    learned_boilerplate,
    store,
)
from scraper.urls import canonicalize
from storage import frontier, record_fetch
from storage.engine import create_archive_engine, describe
from storage.errors import unwritable
from storage.locks import pid_gone
from storage.states import Outcome
from storage.transient import is_transient

if TYPE_CHECKING:
    from scraper.extraction import Extraction

logger = logging.getLogger(__name__)


def extract_page(
    html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /
) -> Extraction:
    """:func:`scraper.extraction.extract_in_worker`, imported on the first call.

    The default extractor of :class:`ArchiveJob` (picklable, like any module function): the
    crawl's main process, which only fetches and hands pages over, never loads the extractor.
    """
    from scraper.extraction.worker import extract_in_worker

    return extract_in_worker(html, url, boilerplate_keys)


WARM_UP_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Warm-up | Storyline</title><meta name="author" content="Ada Lovelace">
<meta property="article:published_time" content="2024-01-02T03:04:05+00:00"></head>
<body><header><a href="/">Storyline</a></header><main><article><h1>Warm-up</h1>
<p class="byline">By <span class="author">Ada Lovelace</span>,
<time datetime="2024-01-02T03:04:05+00:00">02 January 2024</time></p>
<p>This page exists so that every extraction worker loads its models and tables once,
before the first real page arrives and its time bound starts to run.</p>
<p>Updated Jan 3, 2024 at 10:15 am. Published 2.1.2024, 14:00 Uhr. Le 4 janvier 2024.</p>

</article><aside><ul><li><a href="/a">Related story</a></li></ul></aside></main>
<footer><p>Copyright Storyline. All rights reserved.</p></footer></body></html>"""


def warm_up() -> None:
    """Run one extraction so lazy imports and caches are loaded (errors are harmless).

    dateparser's every-locale tables (about 40 MB and 2 s) are *not* preloaded: htmldate
    reaches them only for a date in free text with no other signal, which none of the 347
    evaluation pages needed; a worker that meets such a page loads them then, well within
    the extraction time bound.
    """
    from scraper.extraction.worker import extract_in_worker

    # A warm-up failure only costs the first real page some time.
    with contextlib.suppress(Exception):
        extract_in_worker(WARM_UP_PAGE, "http://warm-up.invalid/article", None, 120.0)


def _worker_init(crawler_pid: int, clocks: PageClocks) -> None:
    limit_malloc_arenas()
    # Ctrl-C reaches the whole process group; only the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SLOT.claim(clocks)
    # Workers are the forkserver's children: if the crawler is killed (kill -9), leave too.
    threading.Thread(target=_exit_with, args=(crawler_pid, os.getppid()), daemon=True).start()


def _exit_with(crawler_pid: int, forkserver_pid: int) -> None:
    """Exit once the crawler is gone: dead, or a zombie its own parent has not reaped yet
    (a wrapper reading our shared output pipes to EOF would otherwise wait for us forever),
    or once the forkserver that forked us has gone (it leaves when the crawler dies)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != forkserver_pid or pid_gone(crawler_pid):
            os._exit(0)


def extraction_pool(
    workers: int = 0, preload: Sequence[str] = (), kill_after: float | None = None
) -> ExtractionPool:
    """A process pool for extraction and discovery (``workers`` 0: one per CPU).

    ``preload`` names modules for the forkserver to import before it forks the workers.
    multiprocessing re-runs the parent's main script in every worker, so a command-line
    entry point should name its own module here: imported once in the forkserver, its pages
    are shared by all workers instead of copied into each (about 13 MB per worker for
    ``storyline.cli``). A worker still extracting one page after ``kill_after`` seconds
    (default :data:`OVERRUN_AFTER`) is ended (see :class:`ExtractionPool`).
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*preload, "scraper._warm_preload"])
    slots = workers or os.cpu_count() or 1
    bound = OVERRUN_AFTER if kill_after is None else kill_after
    crawler_pid = os.getpid()

    def start() -> tuple[ProcessPoolExecutor, PageClocks]:
        clocks = PageClocks.create(context, slots, bound)
        pool = ProcessPoolExecutor(
            max_workers=slots,
            mp_context=context,
            initializer=_worker_init,
            initargs=(crawler_pid, clocks),
        )
        return pool, clocks

    return ExtractionPool(start)


#: A worker whose extraction has run this long has a parser the time bound's alarm cannot
#: interrupt (one C call that never returns to Python): it is ended, and its page is failed.
OVERRUN_AFTER = 20.0
#: The exit status of a worker that left for that reason on its own.
EXIT_OVERRUN = 70
#: The crawler's process kills a worker this long after its own watchdog should have left.
KILL_GRACE = 1.0


@dataclass(frozen=True)
class PageClocks:
    """When each worker of one pool started the page it is extracting, in shared memory.

    A slot per worker: its pid, and the ``time.monotonic()`` instant (one clock for all
    processes of the machine) its current page started, 0 while idle. Workers write their
    own slot, two stores per page; the crawler's process reads them all.
    """

    #: pids by slot (synchronised: a starting worker claims a free slot under its lock)
    pids: Any
    #: page start instants by slot (unsynchronised: each slot has one writer)
    started: Any
    #: seconds one page may run
    kill_after: float

    @classmethod
    def create(cls, context: Any, slots: int, kill_after: float) -> PageClocks:
        return cls(context.Array("q", slots), context.RawArray("d", slots), kill_after)

    def overrun(self, now: float) -> list[tuple[int, float]]:
        """(pid, start) of each worker whose page has run past the bound and its grace."""
        limit = self.kill_after + KILL_GRACE
        found = []
        for index, start in enumerate(self.started):
            if start and now - start > limit:
                found.append((self.pids[index], start))
        return found

    def still(self, pid: int, start: float) -> bool:
        """True while worker ``pid`` is on the page it started at ``start``."""
        for index, owner in enumerate(self.pids):
            if owner == pid:
                return bool(self.started[index] == start)
        return False


class _Slot:
    """This worker process's slot in its pool's :class:`PageClocks` (none outside a pool)."""

    def __init__(self) -> None:
        self.clocks: PageClocks | None = None
        self.index = -1

    def claim(self, clocks: PageClocks) -> None:
        with clocks.pids.get_lock():
            pids = clocks.pids.get_obj()
            for index, pid in enumerate(pids):
                if pid == 0:
                    pids[index] = os.getpid()
                    self.clocks, self.index = clocks, index
                    return


# per-process slot (set in each pool worker by its initializer)
_SLOT = _Slot()


class ExtractionPool(Executor):
    """A process pool that outlives a worker killed for overrunning the extraction bound.

    Each worker publishes when it started its current page (:class:`PageClocks`); a
    watcher thread here kills (SIGKILL) a worker whose page has run past the bound, which
    no parser can outrun: not even one C call that holds the GIL, which starves the
    worker's own watchdog thread and alarm.

    ``ProcessPoolExecutor`` breaks for good when one worker dies, failing every task in
    flight. Here a broken pool is replaced by a new one, and a batch it failed is run again
    page by page, so the page that overran is found (it breaks its pool again, alone) and
    recorded as ``extract-timeout``, while its neighbours are archived.
    """

    def __init__(self, start: Callable[[], tuple[ProcessPoolExecutor, PageClocks]]) -> None:
        self._start = start
        self._lock = threading.Lock()
        self._pool, self._clocks = start()
        self._closed = threading.Event()
        threading.Thread(target=self._watch, name="extraction-watch", daemon=True).start()

    def _watch(self) -> None:
        """Kill each worker whose page has run past its pool's bound (and the grace)."""
        while not self._closed.wait(min(0.5, self._clocks.kill_after / 4)):
            with self._lock:
                clocks = self._clocks
            for pid, start in clocks.overrun(time.monotonic()):
                if not clocks.still(pid, start):  # finished that page meanwhile
                    continue
                logger.error(
                    "an extraction worker (pid %d) ran one page past %.0fs: killing it",
                    pid,
                    clocks.kill_after,
                )
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        outer: Future[Any] = Future()
        self._run(outer, fn, args, kwargs)
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed.set()
        with self._lock:
            pool = self._pool
        pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is broken:
                logger.warning("an extraction worker died; starting a new pool")
                self._pool, self._clocks = self._start()
                broken.shutdown(wait=False)
            return self._pool

    def _run(
        self, outer: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...], kw: dict[str, Any]
    ) -> None:
        with self._lock:
            pool = self._pool
        try:
            try:
                inner = pool.submit(fn, *args, **kw)
            except BrokenProcessPool:
                pool = self._replace(pool)
                inner = pool.submit(fn, *args, **kw)
        except Exception as exc:  # shut down meanwhile
            outer.set_exception(exc)
            return
        inner.add_done_callback(functools.partial(self._settle, outer, pool, fn, args, kw))

    def _settle(
        self,
        outer: Future[Any],
        pool: ProcessPoolExecutor,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kw: dict[str, Any],
        inner: Future[Any],
    ) -> None:
        if inner.cancelled():
            outer.cancel()
            return
        exc = inner.exception()
        if not isinstance(exc, BrokenProcessPool) or fn is not archive_batch_in_worker:
            if exc is None:
                outer.set_result(inner.result())
            else:
                outer.set_exception(exc)
            return
        self._replace(pool)
        jobs: list[ArchiveJob] = args[0]
        if len(jobs) == 1:  # this page broke a pool on its own: it is the one that overran
            self._run(outer, record_overrun_in_worker, (jobs[0], self._clocks.kill_after), {})
            return
        parts: list[Future[Any]] = [Future() for _ in jobs]
        remaining = [len(parts)]
        lock = threading.Lock()

        def part_done(_: Future[Any]) -> None:
            with lock:
                remaining[0] -= 1
                if remaining[0]:
                    return
            for part in parts:
                if part.cancelled():
                    outer.cancel()
                    return
                if (error := part.exception()) is not None:
                    outer.set_exception(error)
                    return
            outer.set_result([done for part in parts for done in part.result()])

        for part, job in zip(parts, jobs, strict=True):
            part.add_done_callback(part_done)
            self._run(part, archive_batch_in_worker, ([job],), {})


@contextlib.contextmanager
def _overrun_guard(url: str) -> Iterator[None]:
    """In a pool worker: publish when this page started, for the crawler's process to kill
    the worker if it overruns; and leave on our own (logging the URL) when we still can."""
    clocks, index = _SLOT.clocks, _SLOT.index
    if clocks is None:  # not a pool worker: never end a caller's own process
        yield
        return
    timer = threading.Timer(clocks.kill_after, _overrun, args=(url, clocks.kill_after))
    timer.daemon = True
    clocks.started[index] = time.monotonic()
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        clocks.started[index] = 0.0


def _overrun(url: str, seconds: float) -> None:
    logger.error(
        "extraction of %s ran past %.0fs and cannot be interrupted: replacing this worker",
        url,
        seconds,
    )
    os._exit(EXIT_OVERRUN)


# -- archiving a fetched page in a worker ----------------------------------------------


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
