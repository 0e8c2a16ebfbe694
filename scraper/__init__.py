"""Getting articles: fetching politely, extracting the article, the crawl loop."""

from scraper.errors import ExtractionError, FetchError, ScraperError
from scraper.extraction import Extraction, extract

__all__ = ["Extraction", "ExtractionError", "FetchError", "ScraperError", "extract"]
