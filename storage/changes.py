"""What kind of change a new version is: headline, byline, dates, body, a correction note.

Stored as JSON on ``version.changes`` so the CLI and the web page can say "headline changed,
correction added" without re-diffing. Pure functions, no database.

The classification compares the *normalised* fields (:mod:`storage.versioning`), so noise
that never makes a version ("updated 5 minutes ago", white space) never shows up here either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storage.diffs import body_diff
from storage.text import comparable_body, fold_text, word_count, words
from storage.types import page_time_iso, page_time_key
from storage.versioning import VersionFields

# A note kind and the patterns that find it, searched in each paragraph of the body (and
# the description). Anchored patterns must start the paragraph: "Update:" is a note,
# "the update: ..." in running text is not. Data, not code: add languages here.
NOTE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("correction", r"^\s*\W{0,3}\s*corrections?\s*[:\-–—]"),
    ("correction", r"\ban earlier version of this (?:article|story|report|post|piece)\b"),
    ("correction", r"\bthis (?:article|story|report|post) (?:has been|was) corrected\b"),
    ("correction", r"^\s*\W{0,3}\s*korrektur(?:hinweis)?\s*[:\-–—]"),
    ("correction", r"\bin einer früheren version dieses (?:artikels|textes|beitrags)\b"),
    ("correction", r"\b(?:dieser|der) (?:artikel|text|beitrag) wurde korrigiert\b"),
    ("update", r"^\s*\W{0,3}\s*(?:update|updated)\s*(?:\(|[:\-–—])"),
    ("update", r"\bthis (?:article|story|report|post) (?:has been|was) updated\b"),
    ("update", r"^\s*\W{0,3}\s*aktualisierung\s*[:\-–—]"),
    ("update", r"\b(?:dieser|der) (?:artikel|text|beitrag) wurde aktualisiert\b"),
    ("editors-note", r"^\s*\W{0,3}\s*editor['’]?s['’]? note\b"),
    ("editors-note", r"^\s*\W{0,3}\s*anmerkung der redaktion\b"),
)

NOTE_TEXT_LIMIT = 300

_NOTES = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in NOTE_PATTERNS)


@dataclass(frozen=True)
class Note:
    """A correction, update or editor's note found in one paragraph."""

    kind: str
    text: str


def find_notes(fields: VersionFields) -> tuple[Note, ...]:
    """Every paragraph of the body (or the description) that is a correction/update note."""
    paragraphs = [*comparable_body(fields.body).split("\n\n"), fold_text(fields.description)]
    notes: list[Note] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        for kind, pattern in _NOTES:
            if pattern.search(paragraph):
                notes.append(Note(kind, paragraph))
                break
    return tuple(notes)


def _names(authors: tuple[str, ...]) -> dict[str, str]:
    """Folded, case-insensitive key → the name as printed (first spelling wins)."""
    names: dict[str, str] = {}
    for author in authors:
        shown = fold_text(author)
        if shown:
            names.setdefault(shown.casefold(), shown)
    return names


def body_change(old: str, new: str) -> dict[str, Any] | None:
    """Words added and removed and the share of the text changed, or None when equal.

    Counted from the same word diff ``storyline diff`` shows, so the numbers agree.
    """
    segments = body_diff(old, new)
    if all(s.op == "equal" for s in segments):
        return None
    added = sum(len(words(s.text)) for s in segments if s.op == "insert")
    removed = sum(len(words(s.text)) for s in segments if s.op == "delete")
    before, after = word_count(old), word_count(new)
    total = before + after
    share = (added + removed) / total if total else 0.0
    return {
        "words_added": added,
        "words_removed": removed,
        "words_before": before,
        "words_after": after,
        "share": round(share, 4),
    }


def classify_change(old: VersionFields, new: VersionFields) -> dict[str, Any]:
    """A JSON-serialisable description of how ``new`` differs from ``old``.

    Keys appear only when that part changed: ``headline`` (old/new), ``byline``
    (added/removed names), ``dates`` (per date field, old/new ISO 8601 with the stated offset, or a day), ``body``
    (see :func:`body_change`), ``notes`` (correction/update notes that appeared). ``kinds``
    lists what changed, in that order, for a one-line summary.
    """
    result: dict[str, Any] = {}
    kinds: list[str] = []

    if fold_text(old.headline) != fold_text(new.headline):
        result["headline"] = {"old": old.headline, "new": new.headline}
        kinds.append("headline")

    before, after = _names(old.authors), _names(new.authors)
    if before.keys() != after.keys():
        result["byline"] = {
            "added": [after[k] for k in after if k not in before],
            "removed": [before[k] for k in before if k not in after],
        }
        kinds.append("byline")

    dates: dict[str, dict[str, str | None]] = {}
    for name in ("published_at", "modified_at"):
        was, now = getattr(old, name), getattr(new, name)
        if page_time_key(was) != page_time_key(now):
            dates[name] = {"old": page_time_iso(was), "new": page_time_iso(now)}
    if dates:
        result["dates"] = dates
        kinds.append("dates")

    body = body_change(old.body, new.body)
    if body is not None:
        result["body"] = body
        kinds.append("body")

    seen = {note.text.casefold() for note in find_notes(old)}
    appeared = [note for note in find_notes(new) if note.text.casefold() not in seen]
    if appeared:
        result["notes"] = [
            {"kind": note.kind, "text": note.text[:NOTE_TEXT_LIMIT]} for note in appeared
        ]
        for kind in dict.fromkeys(note.kind for note in appeared):
            kinds.append(kind)

    result["kinds"] = kinds
    return result
