"""The value extraction produces: one article's fields, typed and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from scraper.extraction.dates import day_of


class Provenance(NamedTuple):
    """Where one field's value came from: the field, its source (``"jsonld"``, ``"label"``,
    ``"header"`` …) and what was read there (the text parsed, or how the value was made)."""

    field: str
    source: str
    note: str


@dataclass(frozen=True)
class Extraction:
    """What a reader sees of one page.

    ``body`` holds paragraphs separated by one blank line. ``published_at`` and
    ``modified_at`` are what the page stated: a timezone-aware ``datetime`` in the page's own
    fixed UTC offset (UTC only when the page said UTC), a ``date`` when the page gives only a
    day, or None; never an invented time or offset. ``organisation`` names the organisation
    credited when no person is (never in ``authors``). ``provenance`` says which source each
    field came from and what was read there.
    ``extractor`` names the code that produced it (``"storyline-<version>"``) so the archive
    can tell an extractor upgrade from a change of the article.

    ``learnable_lines`` (added field) are the body lines as they were before learned
    per-host boilerplate was removed: what the archive records to learn boilerplate from
    (see :func:`scraper.extraction.boilerplate_candidates`). Not part of what a reader sees.
    """

    headline: str | None
    authors: tuple[str, ...]
    published_at: datetime | date | None
    modified_at: datetime | date | None
    description: str | None
    language: str | None
    body: str
    canonical_url: str | None = None
    site_name: str | None = None
    extractor: str = "storyline-0"
    notes: tuple[str, ...] = field(default_factory=tuple)
    organisation: str | None = None
    provenance: tuple[Provenance, ...] = field(default_factory=tuple)
    learnable_lines: tuple[str, ...] = field(default_factory=tuple, compare=False, repr=False)

    @property
    def published_day(self) -> date | None:
        """The calendar day the page states for publication (in its own offset)."""
        return _day(self.published_at)

    @property
    def modified_day(self) -> date | None:
        """The calendar day the page states for the last change (in its own offset)."""
        return _day(self.modified_at)

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


def _day(value: datetime | date | None) -> date | None:
    return None if value is None else day_of(value)
