"""An extractor whose parser the time bound's alarm cannot interrupt, for the overrun case.

It stands for one C call that never returns to Python (issue 15 item 8 met one in libxml2's
XPath): the bound is armed as :func:`scraper.extract` arms it, but SIGALRM is blocked while
the "parser" runs. Importable by the crawl's worker processes, so it lives in a module.
"""

from __future__ import annotations

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
