"""Getting articles: fetching politely, extracting the article, the crawl loop.

``Extraction`` and ``extract`` are loaded on first use: importing any part of the package
(the command line, the crawl's main process, which only fetches) should not load the
extractor and its parsers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scraper.errors import ExtractionError, FetchError, ScraperError

if TYPE_CHECKING:
    from scraper.extraction import Extraction, extract

__all__ = ["Extraction", "ExtractionError", "FetchError", "ScraperError", "extract"]


def __getattr__(name: str) -> Any:
    if name in ("Extraction", "extract"):
        from scraper import extraction

        return getattr(extraction, name)
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")
