"""The changes feed: the versions made in a time window, newest first, filtered in SQL.

``storyline changes``, the web app's changes page and its Atom feeds, and the notifications
read the archive through :func:`list_changes`. What changed is not re-diffed here: each
version's kinds of change are stored on ``version.kinds`` when it is written (from the
classification :func:`storage.changes.classify_change` made, see :func:`change_kinds`), so
a filter by kind is a condition in SQL and a page over 100,000 versions reads one index
(``ix_version_fetched``) from its newest end. Words added/removed and the notes come from
the same stored classification ``storyline history`` prints, so the numbers agree.

An article's first version is kind ``new``: a new article is not a change, so the feed
leaves first versions out unless asked (``ChangeQuery(new=True)`` or a ``new`` kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Article, Version
from storage.states import ChangeKind

KIND_SEPARATOR = ","

#: The kinds ``storage.changes.classify_change`` records (``changes["kinds"]``) → ours.
_CLASSIFIED: Mapping[str, ChangeKind] = {
    "headline": ChangeKind.HEADLINE,
    "byline": ChangeKind.BYLINE,
    "dates": ChangeKind.DATES,
    "body": ChangeKind.BODY,
    "correction": ChangeKind.CORRECTION,
    "update": ChangeKind.NOTE,
    "editors-note": ChangeKind.NOTE,
    "moved": ChangeKind.URL,
}

#: The recorded fields (``version.changed_fields``) that make a version → ours; a fallback
#: for a version whose classification names nothing (its body differed only in punctuation).
_FIELDS: Mapping[str, ChangeKind] = {
    "headline": ChangeKind.HEADLINE,
    "authors": ChangeKind.BYLINE,
    "body": ChangeKind.BODY,
    "published_at": ChangeKind.DATES,
    "modified_at": ChangeKind.DATES,
}


def change_kinds(
    number: int, changes: Mapping[str, Any] | None, changed_fields: Iterable[str] = ()
) -> tuple[ChangeKind, ...]:
    """The kinds of change of version ``number``, in :class:`ChangeKind` order.

    The first version is ``new``; a later one has the kinds its stored classification
    names, plus those of its changed fields.
    """
    if number <= 1:
        return (ChangeKind.NEW,)
    found = {_CLASSIFIED[k] for k in (changes or {}).get("kinds", []) if k in _CLASSIFIED}
    found |= {_FIELDS[name] for name in changed_fields if name in _FIELDS}
    return tuple(kind for kind in ChangeKind if kind in found)


def encode_kinds(kinds: Iterable[ChangeKind]) -> str:
    """The ``version.kinds`` column's text: ``"headline,body"``."""
    return KIND_SEPARATOR.join(str(kind) for kind in kinds)


def decode_kinds(text: str | None) -> tuple[ChangeKind, ...]:
    """The kinds stored in ``version.kinds``; unknown words (a newer storyline's) are skipped."""
    known = {str(kind) for kind in ChangeKind}
    return tuple(ChangeKind(w) for w in (text or "").split(KIND_SEPARATOR) if w in known)


@dataclass(frozen=True)
class ChangeCursor:
    """A position in the feed: entries strictly older than this version come next."""

    fetched_at: datetime
    version_id: int

    def token(self) -> str:
        """URL-safe text for a "next page" link: ``20261201T031500123456Z-42``."""
        return f"{self.fetched_at.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{self.version_id}"

    @classmethod
    def parse(cls, token: str) -> ChangeCursor:
        """Read :meth:`token`'s text back; ValueError for anything else."""
        stamp, _, number = token.strip().partition("-")
        try:
            when = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            version_id = int(number)
        except ValueError:
            raise ValueError(f"not a changes cursor: {token!r}") from None
        return cls(when, version_id)


@dataclass(frozen=True)
class ChangeQuery:
    """Which versions the feed lists; every filter is a condition in SQL.

    ``since`` is inclusive, ``until`` exclusive. ``kinds`` empty means every kind of change
    (first versions only with ``new``); given, a version with any of them is listed (a
    ``new`` among them lists first versions). ``text`` keeps versions whose headline
    contains it (case-insensitive). Page with ``limit``/``offset`` or, for deep pages,
    ``before`` (the :attr:`ChangeEntry.cursor` of the last entry shown).
    """

    since: datetime | None = None
    until: datetime | None = None
    sources: frozenset[str] = frozenset()
    kinds: frozenset[ChangeKind] = frozenset()
    new: bool = False
    text: str | None = None
    article_id: int | None = None
    #: only these versions (by ``version.id``): what one crawl made
    versions: frozenset[int] | None = None
    limit: int = 50
    offset: int = 0
    before: ChangeCursor | None = None

    def __post_init__(self) -> None:
        if self.limit < 1 or self.offset < 0:
            raise ValueError(f"limit must be positive and offset not negative: {self!r}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware: {value!r}")
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "kinds", frozenset(ChangeKind(k) for k in self.kinds))
        if self.versions is not None:
            object.__setattr__(self, "versions", frozenset(self.versions))


@dataclass(frozen=True)
class ChangeNote:
    """A correction, update or editor's note that appeared in a version."""

    kind: str
    text: str


@dataclass(frozen=True)
class ChangeEntry:
    """One version in the feed: where, when, what it says now and how it changed."""

    version_id: int
    article_id: int
    number: int
    #: the version it changed from (None for an article's first version)
    previous: int | None
    fetched_at: datetime
    source: str | None
    url: str
    headline: str | None
    kinds: tuple[ChangeKind, ...]
    #: body words added and removed (a first version: all its words added)
    words_added: int
    words_removed: int
    notes: tuple[ChangeNote, ...] = ()
    #: the stored classification (``version.changes``) for renderers: headline old/new,
    #: byline names added/removed, dates, body share, the move
    changes: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cursor(self) -> ChangeCursor:
        return ChangeCursor(self.fetched_at, self.version_id)

    @property
    def correction(self) -> str | None:
        """The text of the first correction note that appeared, if any."""
        return next((n.text for n in self.notes if n.kind == "correction"), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (times ISO 8601 in UTC)."""
        return {
            "version_id": self.version_id,
            "article_id": self.article_id,
            "version": self.number,
            "previous": self.previous,
            "fetched_at": self.fetched_at.isoformat(),
            "source": self.source,
            "url": self.url,
            "headline": self.headline,
            "kinds": [str(k) for k in self.kinds],
            "words_added": self.words_added,
            "words_removed": self.words_removed,
            "correction": self.correction,
            "notes": [{"kind": n.kind, "text": n.text} for n in self.notes],
        }


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_kind(kind: ChangeKind) -> ColumnElement[bool]:
    """``kind`` is one of the comma-separated words of ``version.kinds``.

    Written as conditions on the column itself (not on an expression of it), so PostgreSQL
    estimates them from the column's statistics and walks the feed's index when matches are
    common enough, instead of guessing "very rare" and scanning the table.
    """
    sep = KIND_SEPARATOR
    return or_(
        Version.kinds == str(kind),
        Version.kinds.like(f"{kind}{sep}%"),
        Version.kinds.like(f"%{sep}{kind}"),
        Version.kinds.like(f"%{sep}{kind}{sep}%"),
    )


def _filtered(stmt: Select[Any], query: ChangeQuery) -> Select[Any]:
    if query.since is not None:
        stmt = stmt.where(Version.fetched_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(Version.fetched_at < query.until)
    if query.sources:
        # by article id, so the filter is checked in the feed's index, not per joined row
        chosen = select(Article.id).where(Article.source.in_(sorted(query.sources)))
        stmt = stmt.where(Version.article_id.in_(chosen))
    if query.article_id is not None:
        stmt = stmt.where(Version.article_id == query.article_id)
    if query.versions is not None:
        stmt = stmt.where(Version.id.in_(sorted(query.versions)))
    if query.kinds:
        stmt = stmt.where(or_(*(_has_kind(kind) for kind in sorted(query.kinds))))
    elif not query.new:
        stmt = stmt.where(Version.number > 1)
    if query.text and query.text.strip():
        pattern = f"%{_like_escaped(query.text.strip().lower())}%"
        stmt = stmt.where(func.lower(Version.headline).like(pattern, escape="\\"))
    return stmt


def _entries() -> Select[Any]:
    """The columns an entry is made of (never the body): a version joined to its article."""
    return select(
        Version.id,
        Version.article_id,
        Version.number,
        Version.fetched_at,
        Version.headline,
        Version.kinds,
        Version.changes,
        Version.word_count,
        Article.url,
        Article.source,
    ).join(Article, Article.id == Version.article_id)


def list_changes(session: Session, query: ChangeQuery) -> list[ChangeEntry]:
    """The versions ``query`` selects, newest first (by fetch time, then id)."""
    stmt = _filtered(_entries(), query)
    if query.before is not None:
        at, last = query.before.fetched_at, query.before.version_id
        stmt = stmt.where(
            or_(Version.fetched_at < at, and_(Version.fetched_at == at, Version.id < last))
        )
    stmt = stmt.order_by(Version.fetched_at.desc(), Version.id.desc())
    stmt = stmt.limit(query.limit).offset(query.offset)
    return [_entry(row._mapping) for row in session.execute(stmt)]


def count_changes(session: Session, query: ChangeQuery) -> int:
    """How many versions ``query`` selects in all (ignoring its paging); a full count."""
    stmt = select(func.count(Version.id)).join(Article, Article.id == Version.article_id)
    return int(session.scalar(_filtered(stmt, query)) or 0)


def version_ids(session: Session, made: Iterable[tuple[int, int]]) -> list[int]:
    """The ids of versions given as (article id, version number) pairs, as a crawl names them."""
    wanted = set(made)
    if not wanted:
        return []
    stmt = select(Version.id, Version.article_id, Version.number).where(
        Version.article_id.in_(sorted({article for article, _ in wanted}))
    )
    return [row.id for row in session.execute(stmt) if (row.article_id, row.number) in wanted]


def _entry(row: RowMapping) -> ChangeEntry:
    changes: Mapping[str, Any] = row["changes"] or {}
    number = int(row["number"])
    kinds = decode_kinds(row["kinds"])
    body = changes.get("body") or {}
    if number <= 1:
        added, removed = int(row["word_count"]), 0
    else:
        added, removed = int(body.get("words_added", 0)), int(body.get("words_removed", 0))
    notes = tuple(
        ChangeNote(str(note.get("kind", "")), str(note.get("text", "")))
        for note in changes.get("notes", [])
    )
    return ChangeEntry(
        version_id=int(row["id"]),
        article_id=int(row["article_id"]),
        number=number,
        previous=number - 1 if number > 1 else None,
        fetched_at=row["fetched_at"],
        source=row["source"],
        url=row["url"],
        headline=row["headline"],
        kinds=kinds,
        words_added=added,
        words_removed=removed,
        notes=notes,
        changes=changes,
    )


__all__ = [
    "ChangeCursor",
    "ChangeEntry",
    "ChangeNote",
    "ChangeQuery",
    "change_kinds",
    "count_changes",
    "decode_kinds",
    "encode_kinds",
    "list_changes",
    "version_ids",
]
