"""Turning an HTML page into an article: body text, headline, authors, dates.

The API (everything else in the package is internal)::

    from scraper.extraction import (
        extract, extract_in_worker, Extraction, LearnedBoilerplate,
        boilerplate_candidates, EXTRACTOR_VERSION,
    )

    # one page; bytes are decoded (BOM, <meta charset>, fallbacks), never crash on charset
    result = extract(html_bytes_or_str, url, boilerplate=learned, timeout=10.0)
    # raises ExtractionError (empty/binary/non-HTML) or ExtractionTimeout (scraper.errors);
    # an HTML page without article text gives a short or empty ``body``, not an error.
    # ``now=`` (keyword) sets the instant dates may not exceed (default: the current time).
    # ``result.notes`` explain the extraction: sources used ("headline:dom",
    # "published:jsonld"), rules applied ("dropped:caption=2", "merged-body-parts:1").

    # in a process pool (picklable arguments; resets trafilatura's caches every 100 calls)
    result = pool.submit(extract_in_worker, html_bytes, url, learned.keys or None).result()

Learning boilerplate per host (the pipeline's part; storage functions in
``storage/boilerplate.py``, thresholds in :mod:`scraper.extraction.boilerplate`)::

    from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
    keys = storage.boilerplate.learned_keys(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)
    result = extract(html, url, boilerplate=LearnedBoilerplate(keys, host))
    ... store the version ...
    # once per *new article* (not per re-fetch, not per alias), record its lines:
    storage.boilerplate.record_page(session, host, boilerplate_candidates(result), seen_at)
    # explain what was learned for a host, and why:
    storage.boilerplate.explain(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)
    # keep the table small: lines seen on one article only, not seen for a month
    storage.boilerplate.prune(session, seen_before=now - timedelta(days=30))

``boilerplate_candidates(result)`` returns ``frozenset[(key, sample_text)]`` of the page's
short body lines *before* learned lines were removed, so learned lines keep being counted.
"""

from scraper.extraction.boilerplate import (
    LearnedBoilerplate,
    candidates_from_lines,
    line_key,
)
from scraper.extraction.extractor import EXTRACTOR_VERSION, extract
from scraper.extraction.result import Extraction
from scraper.extraction.text import normalise_line
from scraper.extraction.worker import extract_in_worker, reset_caches


def boilerplate_candidates(extraction: Extraction) -> frozenset[tuple[str, str]]:
    """``(key, sample text)`` of the lines this page contributes to per-host learning."""
    return candidates_from_lines(extraction.learnable_lines)


__all__ = [
    "EXTRACTOR_VERSION",
    "Extraction",
    "LearnedBoilerplate",
    "boilerplate_candidates",
    "extract",
    "extract_in_worker",
    "line_key",
    "normalise_line",
    "reset_caches",
]
