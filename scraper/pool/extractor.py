"""The extractor the pool's workers run, and the page that warms it up in the forkserver."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scraper.extraction import Extraction


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
