"""The crawl loop: claim due URLs, fetch them politely, read seeds for links, archive articles.

Shape of one crawl::

    seeds → frontier (url table) ─claim─▶ one task per host ─fetch─▶ seed? discover links ─┐
                ▲                         (robots, gap, backoff)      article? extract in  │
                └──────────────── writer (batched transactions) ◀──── the process pool ◀──┘

* Hosts are fetched concurrently (``concurrency`` at a time), each by one task, so a host
  never sees two connections from this process; the gap between its requests is reserved
  in the ``host`` table, so several workers on several machines keep it too.
* Extraction runs in a process pool (trafilatura is not thread-safe); a host task hands the
  body over and goes on fetching, with a bound on pages waiting for extraction.
* Every result is written by one writer in batched transactions; a page's version, its
  fetch row and its frontier state commit together. Until then its URL stays leased.
* Stopping (Ctrl-C, SIGTERM, ``max_pages``) stops claiming, lets pages already fetched be
  stored, then hands unfetched leases back. A SIGKILL loses at most the open batch: those
  URLs are still leased, and the next crawl on this machine reclaims them at once (dead pid)
  or after the lease runs out elsewhere. The next crawl carries on where this one stopped.

:class:`Crawler` is built in layers, one module each, every layer using only those below it:
its state and how it stops (:mod:`~scraper.crawl.state`), its calls on the frontier
(:mod:`~scraper.crawl.frontier_calls`), what becomes of a fetched page
(:mod:`~scraper.crawl.pages`), fetching one host's URLs (:mod:`~scraper.crawl.hosts`), and
the run itself with the entry points (:mod:`~scraper.crawl.crawler`).
"""

from scraper.crawl.crawler import Crawler, crawl, run_crawl, stop_on_signals
from scraper.crawl.frontier_calls import FrontierCalls
from scraper.crawl.hosts import CLAIM_BATCH, HostFetching, is_retryable
from scraper.crawl.pages import (
    ARCHIVE_BATCH,
    ARCHIVE_LINGER,
    ARTICLE_PRIORITY,
    FOLLOWED_PAGE_PRIORITY,
    PageHandling,
)
from scraper.crawl.state import CrawlerState
from scraper.crawl.state import _RecentSet as _RecentSet  # the tests reach it here
from scraper.summary import CrawlSummary

__all__ = [
    "ARCHIVE_BATCH",
    "ARCHIVE_LINGER",
    "ARTICLE_PRIORITY",
    "CLAIM_BATCH",
    "FOLLOWED_PAGE_PRIORITY",
    "CrawlSummary",
    "Crawler",
    "CrawlerState",
    "FrontierCalls",
    "HostFetching",
    "PageHandling",
    "crawl",
    "is_retryable",
    "run_crawl",
    "stop_on_signals",
]
