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

The pool's processes (:mod:`~scraper.pool.executor`), the bound on one page
(:mod:`~scraper.pool.clocks`), archiving in a worker (:mod:`~scraper.pool.archiving`) and
the extractor with its warm-up (:mod:`~scraper.pool.extractor`) each have their module;
the names are all here.
"""

from scraper.pool.archiving import (
    WRITE_ATTEMPTS,
    ArchiveDone,
    ArchiveJob,
    archive_batch_in_worker,
    failure_reason,
    record_overrun_in_worker,
)
from scraper.pool.clocks import EXIT_OVERRUN, KILL_GRACE, OVERRUN_AFTER, PageClocks
from scraper.pool.executor import ExtractionPool, extraction_pool
from scraper.pool.extractor import WARM_UP_PAGE, extract_page, warm_up

__all__ = [
    "EXIT_OVERRUN",
    "KILL_GRACE",
    "OVERRUN_AFTER",
    "WARM_UP_PAGE",
    "WRITE_ATTEMPTS",
    "ArchiveDone",
    "ArchiveJob",
    "ExtractionPool",
    "PageClocks",
    "archive_batch_in_worker",
    "extract_page",
    "extraction_pool",
    "failure_reason",
    "record_overrun_in_worker",
    "warm_up",
]
