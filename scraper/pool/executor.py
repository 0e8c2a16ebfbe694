"""The pool's processes: started from a forkserver, and replaced when one is killed.

:func:`extraction_pool` makes the :class:`ExtractionPool` the crawler submits to; its
workers are set up by :func:`_worker_init`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scraper.allocator import limit_malloc_arenas
from scraper.pool.archiving import ArchiveJob, archive_batch_in_worker, record_overrun_in_worker
from scraper.pool.clocks import _SLOT, OVERRUN_AFTER, PageClocks
from storage.locks import pid_gone

logger = logging.getLogger(__name__)


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
