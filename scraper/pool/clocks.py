"""When each pool worker started its current page, and the bound on one page.

A worker publishes the instant it started a page in shared memory (:class:`PageClocks`),
for the crawler's process to kill it once the page has run past the bound; where it still
can, the worker leaves on its own first (:func:`_overrun_guard`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


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
