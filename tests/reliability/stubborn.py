"""An extractor whose parser the time bound's alarm cannot interrupt, for the overrun case.

It stands for one C call that never returns to Python (issue 15 item 8 met one in libxml2's
XPath): the bound is armed as :func:`scraper.extract` arms it, but SIGALRM is blocked while
the "parser" runs. Importable by the crawl's worker processes, so it lives in a module.
"""

from __future__ import annotations

import re
import signal
import time

from scraper.extraction import Extraction
from scraper.extraction.timebound import time_bound
from scraper.extraction.worker import extract_in_worker

#: A page carrying this marker makes the parser hang.
MARKER = "stubborn-parser"


def stubborn_extract(
    html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /
) -> Extraction:
    if MARKER.encode() in html:
        with time_bound(10.0, url):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
    return extract_in_worker(html, url, boilerplate_keys)


#: A page carrying this marker sends the parser into a catastrophic regex.
GREEDY_MARKER = "greedy-parser"


def greedy_extract(
    html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /
) -> Extraction:
    """A parser stuck in one C call that holds the GIL and never looks at signals.

    ``re`` holds the GIL while it matches, so no watchdog thread in the worker can run. It
    does check for signals (and another thread of the worker may take SIGALRM for it), so
    the alarm is ignored meanwhile, standing for a C call that never checks: only something
    outside the worker can end this page.
    """
    if GREEDY_MARKER.encode() in html:
        with time_bound(10.0, url):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            re.match(r"(a+)+$", "a" * 64 + "b")
    return extract_in_worker(html, url, boilerplate_keys)
