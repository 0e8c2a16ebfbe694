"""What a version is: normalised fields, their fingerprint, and which of them changed.

Pure functions, no database: the pipeline and the tests call them directly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from storage.text import comparable_body, fold_text, word_count
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
        return word_count(self.body)


def normalise_authors(authors: Sequence[str]) -> tuple[str, ...]:
    """Names folded and compared without regard to case or order."""
    return tuple(sorted({fold_text(a).casefold() for a in authors if fold_text(a)}))


def normalised(fields: VersionFields) -> dict[str, object]:
    """The comparable form of every recorded field."""
    return {
        "headline": fold_text(fields.headline),
        "authors": list(normalise_authors(fields.authors)),
        "body": comparable_body(fields.body),
        "published_at": page_time_key(fields.published_at),
        "modified_at": page_time_key(fields.modified_at),
        "description": fold_text(fields.description),
        "language": (fields.language or "").lower(),
    }


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
