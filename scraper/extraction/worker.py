"""A process-pool entry point: picklable arguments, periodic cache resets.

trafilatura (and htmldate, courlan, justext under it) keeps LRU caches that grow about
1 MB per page and is not thread-safe, so the crawler runs extraction in a process pool.
:func:`extract_in_worker` resets those caches every :data:`RESET_EVERY` calls *in the
calling process*; the call counter is the one piece of process state this package keeps.
"""

from __future__ import annotations

import itertools
import logging

from scraper.allocator import release_free_memory
from scraper.extraction.boilerplate import LearnedBoilerplate
from scraper.extraction.extractor import extract
from scraper.extraction.result import Extraction

#: Reset trafilatura's caches after this many extractions in one process.
RESET_EVERY = 100

# per-process call counter (a fresh count in each forked or spawned worker)
_CALLS = itertools.count(1)


def reset_caches() -> None:
    """Release trafilatura's, htmldate's and courlan's caches (and run the GC), then hand
    the freed heap pages back to the system (:func:`scraper.allocator.release_free_memory`).

    htmldate also tries to clear caches inside charset_normalizer, whose compiled builds
    have none, and logs that at ERROR on every call; nothing failed for us, and an operator
    reading a cron mail must not see an error for it, so that one logger is hushed meanwhile.
    """
    from trafilatura.meta import reset_caches as reset

    noisy = logging.getLogger("htmldate.meta")
    level = noisy.level
    noisy.setLevel(logging.CRITICAL)
    try:
        reset()
    finally:
        noisy.setLevel(level)
    release_free_memory()


def extract_in_worker(
    html: bytes,
    url: str,
    boilerplate_keys: frozenset[str] | None = None,
    timeout: float = 10.0,
) -> Extraction:
    """:func:`~scraper.extraction.extract` for a worker process; resets caches periodically.

    Errors (:class:`~scraper.errors.ExtractionError`, ``ExtractionTimeout``) propagate to
    the parent, where they pickle with their message and URL.
    """
    learned = LearnedBoilerplate(boilerplate_keys) if boilerplate_keys else None
    try:
        return extract(html, url, boilerplate=learned, timeout=timeout)
    finally:
        if next(_CALLS) % RESET_EVERY == 0:
            reset_caches()
