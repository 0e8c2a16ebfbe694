"""The value extraction produces: one article's fields, typed and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Extraction:
    """What a reader sees of one page.

    ``body`` holds paragraphs separated by one blank line; datetimes are timezone-aware.
    ``extractor`` names the code that produced it (``"storyline-<version>"``) so the archive
    can tell an extractor upgrade from a change of the article.

    ``learnable_lines`` (added field) are the body lines as they were before learned
    per-host boilerplate was removed: what the archive records to learn boilerplate from
    (see :func:`scraper.extraction.boilerplate_candidates`). Not part of what a reader sees.
    """

    headline: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    modified_at: datetime | None
    description: str | None
    language: str | None
    body: str
    canonical_url: str | None = None
    site_name: str | None = None
    extractor: str = "storyline-0"
    notes: tuple[str, ...] = field(default_factory=tuple)
    learnable_lines: tuple[str, ...] = field(default_factory=tuple, compare=False, repr=False)

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]
