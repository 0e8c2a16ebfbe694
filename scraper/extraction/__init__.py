"""Turning an HTML page into an article: body text, headline, authors, dates."""

from scraper.extraction.result import Extraction

__all__ = ["Extraction"]
