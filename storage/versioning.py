"""What a version is: normalised fields, their fingerprint, and which of them changed.

Pure functions, no database: the pipeline and the tests call them directly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from storage.text import comparable_body, fold_text, words
from storage.types import PageTime, page_time_key

# Fields whose change makes a new version; the others are recorded when they differ.
VERSIONED_FIELDS = ("headline", "authors", "body", "published_at")
RECORDED_FIELDS = (*VERSIONED_FIELDS, "modified_at", "description", "language")

THIN_MIN_WORDS = 25
THIN_SHARE_OF_PREVIOUS = 0.25
THIN_PREVIOUS_MIN_WORDS = 120


@dataclass(frozen=True)
class VersionFields:
    """The fields of one extraction that the archive keeps, independent of the extractor."""

    headline: str | None
    authors: tuple[str, ...]
    #: as the page stated it: an instant with its offset, or only a day
    published_at: PageTime | None
    modified_at: PageTime | None
    description: str | None
    language: str | None
    body: str
    extractor: str

    @property
    def word_count(self) -> int:
        """Words of the body as comparison sees it (``storage.text.word_count``)."""
        return len(words(self.comparable_body))

    # Cached on the instance (frozen, so they never go stale): storing one page reads the
    # comparable body up to four times (thin check, word count, fingerprint, comparison),
    # and it costs about as much as a database statement for a long article.
    @cached_property
    def comparable_body(self) -> str:
        """The body as comparison and counting see it (``storage.text.comparable_body``)."""
        return comparable_body(self.body)

    @cached_property
    def normalised(self) -> Mapping[str, object]:
        """The comparable form of every recorded field (see :func:`normalised`); read only."""
        return {
            "headline": fold_text(self.headline),
            "authors": tuple(normalise_authors(self.authors)),
            "body": self.comparable_body,
            "published_at": page_time_key(self.published_at),
            "modified_at": page_time_key(self.modified_at),
            "description": fold_text(self.description),
            "language": (self.language or "").lower(),
        }


def normalise_authors(authors: Sequence[str]) -> tuple[str, ...]:
    """Names folded and compared without regard to case or order."""
    return tuple(sorted({fold_text(a).casefold() for a in authors if fold_text(a)}))


def normalised(fields: VersionFields) -> Mapping[str, object]:
    """The comparable form of every recorded field (computed once per ``fields``)."""
    return fields.normalised


def fingerprint(fields: VersionFields) -> str:
    """SHA-256 of the normalised fields that make a version."""
    norm = normalised(fields)
    payload = json.dumps({k: norm[k] for k in VERSIONED_FIELDS}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def changed_fields(old: VersionFields, new: VersionFields) -> tuple[str, ...]:
    """Every recorded field whose normalised value differs, in a fixed order."""
    a, b = normalised(old), normalised(new)
    return tuple(name for name in RECORDED_FIELDS if a[name] != b[name])


def makes_new_version(old: VersionFields, new: VersionFields) -> bool:
    """True when a reader would see a difference in headline, byline, body or published date."""
    return any(name in VERSIONED_FIELDS for name in changed_fields(old, new))


def is_thin(new: VersionFields, previous: VersionFields | None) -> bool:
    """A consent wall, a paywall teaser or an error page served with 200.

    Thin means almost no words at all, or a small share of a substantial previous version.
    """
    words = new.word_count
    if words < THIN_MIN_WORDS:
        return True
    if previous is None or previous.word_count < THIN_PREVIOUS_MIN_WORDS:
        return False
    return words < THIN_SHARE_OF_PREVIOUS * previous.word_count
