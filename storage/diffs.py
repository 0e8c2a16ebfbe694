"""Differences between two versions: field changes and a word-level body diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from storage.text import PARAGRAPH_BREAK, comparable_paragraphs, fold_text, words
from storage.types import page_time_iso, page_time_key
from storage.versioning import VersionFields, normalise_authors

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Segment:
    """A run of body words that are the same in both, only in the new, or only in the old."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionDiff:
    fields: tuple[FieldChange, ...]
    body: tuple[Segment, ...]

    @property
    def words_added(self) -> int:
        return sum(len(words(s.text)) for s in self.body if s.op == "insert")

    @property
    def words_removed(self) -> int:
        return sum(len(words(s.text)) for s in self.body if s.op == "delete")


def _tokens(body: str) -> list[str]:
    """The comparable body's words, with each paragraph break a token of its own."""
    tokens: list[str] = []
    for paragraph in comparable_paragraphs(body):
        if tokens:
            tokens.append(PARAGRAPH_BREAK)
        tokens.extend(words(paragraph))
    return tokens


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return text.replace(" \n\n ", "\n\n").replace("\n\n ", "\n\n").replace(" \n\n", "\n\n")


def body_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff of the comparable bodies (:mod:`storage.text`: no relative stamps);
    paragraph breaks are tokens of their own so they survive."""
    a, b = _tokens(old), _tokens(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", _join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", _join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", _join(b[j1:j2])))
    return tuple(segments)


def diff_versions(old: VersionFields, new: VersionFields) -> VersionDiff:
    """Headline, byline, date and description changes plus the body diff."""
    changes: list[FieldChange] = []
    if fold_text(old.headline) != fold_text(new.headline):
        changes.append(FieldChange("headline", old.headline or "", new.headline or ""))
    if normalise_authors(old.authors) != normalise_authors(new.authors):
        changes.append(FieldChange("authors", ", ".join(old.authors), ", ".join(new.authors)))
    for name in ("published_at", "modified_at"):
        a, b = getattr(old, name), getattr(new, name)
        if page_time_key(a) != page_time_key(b):
            changes.append(FieldChange(name, page_time_iso(a) or "", page_time_iso(b) or ""))
    if fold_text(old.description) != fold_text(new.description):
        changes.append(FieldChange("description", old.description or "", new.description or ""))
    return VersionDiff(tuple(changes), body_diff(old.body, new.body))
