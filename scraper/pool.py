"""The process pool the crawler extracts (and reads seeds) in.

trafilatura is not thread-safe and grows caches, so extraction runs in worker processes
that are recycled now and then. Workers are forked from a *forkserver* (never from the
threaded crawler itself) that has imported the extraction code and run one warm-up
extraction, so each worker starts with dateparser's locale tables and trafilatura's
models already loaded (several seconds of work otherwise paid by each worker's first
page, and counted against that page's extraction time bound). The warm-up page has a date
htmldate cannot place, so dateparser loads all its locales once, here (several seconds),
rather than inside some worker's first hard page.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor

from scraper.discovery import Discovery, discover

#: pages a worker extracts before it is replaced by a fresh one
TASKS_PER_WORKER = 2000

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
    """Run one extraction so lazy imports and caches are loaded (errors are harmless)."""
    from scraper.extraction.worker import extract_in_worker

    # A warm-up failure only costs the first real page some time.
    with contextlib.suppress(Exception):
        extract_in_worker(WARM_UP_PAGE, "http://warm-up.invalid/article", None, 120.0)
    with contextlib.suppress(Exception):
        # The slow path: free text that only dateparser's every-locale search can read.
        from dateparser.date import DateDataParser

        DateDataParser().get_date_data("By Ada Lovelace, 01 January 2999")


def discover_in_worker(body: bytes, url: str, kind: str) -> Discovery:
    """:func:`scraper.discovery.discover` for a worker process."""
    return discover(body, url, kind)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def extraction_pool(workers: int = 0) -> ProcessPoolExecutor:
    """A process pool for extraction and discovery (``workers`` 0: one per CPU)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper._warm_preload"])
    return ProcessPoolExecutor(
        max_workers=workers or None,
        mp_context=context,
        initializer=_worker_init,
        max_tasks_per_child=TASKS_PER_WORKER,
    )
