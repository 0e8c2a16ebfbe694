"""Articles, their aliases and versions: finding them and recording a fetched page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.changelog import change_kinds, encode_kinds
from storage.changes import classify_change
from storage.errors import ArticleNotFound, VersionNotFound
from storage.models import Alias, Article, Version
from storage.states import Outcome
from storage.versioning import (
    VersionFields,
    changed_fields,
    fingerprint,
    is_thin,
    makes_new_version,
)


@dataclass(frozen=True)
class StoreResult:
    """What recording one page did to the archive."""

    outcome: Outcome
    article_id: int | None
    url: str
    version: int | None
    changed: tuple[str, ...] = ()
    #: the article's previous canonical URL, when this page moved it (a redirect, a new
    #: ``rel=canonical``)
    moved_from: str | None = None


# The per-page look-ups, built once: constructing a SQLAlchemy statement costs several times
# what SQLite takes to answer it (about 0.25 ms against 0.1 ms here), and a crawl runs these
# for every page. They are constants (parameters are bound at execution), not state.
_FIND_ARTICLE = (
    select(Article)
    .where(
        or_(
            Article.url == bindparam("url"),
            Article.id
            == select(Alias.article_id).where(Alias.url == bindparam("url")).scalar_subquery(),
        )
    )
    .limit(1)
)
_LATEST_VERSION = (
    select(Version)
    .where(Version.article_id == bindparam("article_id"))
    .order_by(Version.number.desc())
    .limit(1)
)


def find_article(session: Session, url: str) -> Article | None:
    """The article stored under ``url`` itself or under an alias of it (one query)."""
    return session.scalar(_FIND_ARTICLE, {"url": url})


def get_article(session: Session, url: str) -> Article:
    article = find_article(session, url)
    if article is None:
        raise ArticleNotFound(f"no article is archived at {url}")
    return article


def version_fields(version: Version) -> VersionFields:
    """The comparable fields of a stored version."""
    return VersionFields(
        headline=version.headline,
        authors=tuple(version.authors or ()),
        published_at=version.published,
        modified_at=version.modified,
        description=version.description,
        language=version.language,
        body=version.body,
        extractor=version.extractor,
    )


def latest_version(session: Session, article_id: int) -> Version | None:
    return session.scalar(_LATEST_VERSION, {"article_id": article_id})


def get_version(session: Session, article: Article, number: int) -> Version:
    query = select(Version).where(Version.article_id == article.id, Version.number == number)
    version = session.scalar(query)
    if version is None:
        raise VersionNotFound(f"{article.url} has no version {number}")
    return version


def list_versions(session: Session, article: Article) -> list[Version]:
    query = select(Version).where(Version.article_id == article.id).order_by(Version.number)
    return list(session.scalars(query))


def add_aliases(session: Session, article: Article, urls: Iterable[str], now: datetime) -> None:
    """Map more URLs to ``article``; a URL already mapped elsewhere keeps its first owner."""
    for url in set(urls):
        if url == article.url:
            continue
        if session.get(Alias, url) is not None:
            continue
        if session.scalar(select(Article.id).where(Article.url == url)) is not None:
            continue
        session.add(Alias(url=url, article_id=article.id, created_at=now))
    session.flush()


def find_any_article(session: Session, urls: Iterable[str]) -> Article | None:
    """The article of the first of ``urls`` that is archived (as itself or as an alias)."""
    for candidate in urls:
        found = find_article(session, candidate)
        if found is not None:
            return found
    return None


def move_article(session: Session, article: Article, url: str, now: datetime) -> str | None:
    """Make ``url`` the article's canonical URL and its old one an alias; return the old one.

    Only a URL the archive does not know yet moves an article (the target of a new redirect,
    a newly declared ``rel=canonical``): a known alias served directly is a variant, and a
    URL that is another article's own is never merged into this one.
    """
    old = article.url
    if url == old or session.get(Alias, url) is not None:
        return None
    if session.scalar(select(Article.id).where(Article.url == url)) is not None:
        return None
    article.url = url
    article.host = urlsplit(url).hostname or ""
    session.add(Alias(url=old, article_id=article.id, created_at=now))
    session.flush()
    return old


@dataclass(frozen=True)
class Stored:
    """What the archive holds for a fetched page's URLs: the article filed under them (row-
    locked for the caller's transaction) and its latest version, or None for either.

    Found once per page by :func:`find_stored`: the pipeline compares against ``previous``
    before it writes, and hands the same object to :func:`record_page`.
    """

    article: Article | None
    previous: Version | None

    @cached_property
    def previous_fields(self) -> VersionFields | None:
        """``previous`` as comparable fields (made once: comparing them is not free)."""
        return version_fields(self.previous) if self.previous is not None else None


def find_stored(session: Session, url: str, aliases: Iterable[str] = ()) -> Stored:
    """The article stored under ``url`` or one of its ``aliases`` (locked), and its latest version."""
    article = find_any_article(session, (url, *(a for a in aliases if a != url)))
    if article is None:
        return Stored(None, None)
    _lock(session, article)
    return Stored(article, latest_version(session, article.id))


def _lock(session: Session, article: Article) -> None:
    """Row-lock the article for this transaction (SQLite's BEGIN IMMEDIATE already holds the write lock)."""
    if session.get_bind().dialect.name != "sqlite":
        session.refresh(article, with_for_update=True)


def _create(session: Session, url: str, source: str | None, now: datetime) -> tuple[Article, bool]:
    """A new article for ``url``, or the one a concurrent worker created first."""
    article = Article(
        url=url,
        host=urlsplit(url).hostname or "",
        source=source,
        first_seen_at=now,
        last_seen_at=now,
        last_changed_at=now,
        current_version=0,
    )
    try:
        with session.begin_nested():
            session.add(article)
    except IntegrityError:
        existing = find_article(session, url)
        if existing is None:
            raise
        _lock(session, existing)
        return existing, False
    return article, True


def record_page(
    session: Session,
    *,
    url: str,
    fields: VersionFields,
    fetched_at: datetime,
    snapshot_id: int | None,
    aliases: Iterable[str] = (),
    source: str | None = None,
    baseline: VersionFields | None = None,
    stored: Stored | None = None,
) -> StoreResult:
    """Record one extracted page: a new article, a new version, an unchanged re-fetch, or thin.

    ``baseline`` is the previous version re-extracted with the current extractor, when the
    extractor changed since it was stored; comparing like with like keeps an extractor upgrade
    from making a false version. A thin page never replaces a good version, and never starts
    an article. ``stored`` is what :func:`find_stored` found for these URLs in this
    transaction, when the caller has looked already (it is looked up otherwise).
    """
    aliases = tuple(a for a in aliases if a != url)
    if stored is None:
        stored = find_stored(session, url, aliases)
    existing, previous = stored.article, stored.previous
    previous_fields = stored.previous_fields
    if is_thin(fields, previous_fields):
        return StoreResult(Outcome.THIN, existing.id if existing else None, url, None)

    moved_from = None
    if existing is not None:
        article, created = existing, False
        moved_from = move_article(session, article, url, fetched_at)
    else:
        article, created = _create(session, url, source, fetched_at)
        if not created:
            previous = latest_version(session, article.id)
            previous_fields = version_fields(previous) if previous else None
    add_aliases(session, article, aliases, fetched_at)
    article.last_seen_at = max(article.last_seen_at, fetched_at)
    compare_to = baseline or previous_fields
    if (
        previous is not None
        and compare_to is not None
        and not makes_new_version(compare_to, fields)
    ):
        session.flush()
        return StoreResult(
            Outcome.UNCHANGED, article.id, article.url, previous.number, moved_from=moved_from
        )

    changed = changed_fields(compare_to, fields) if compare_to else ()
    changes = classify_change(compare_to, fields) if compare_to else {}
    if moved_from is not None:
        changes["moved"] = {"from": moved_from, "to": article.url}
        changes["kinds"] = [*changes.get("kinds", []), "moved"]
    number = (previous.number if previous else 0) + 1
    version = Version(
        article_id=article.id,
        number=number,
        fetched_at=fetched_at,
        snapshot_id=snapshot_id,
        headline=fields.headline,
        authors=list(fields.authors),
        description=fields.description,
        language=fields.language,
        body=fields.body,
        word_count=fields.word_count,
        fingerprint=fingerprint(fields),
        changed_fields=list(changed),
        changes=changes,
        kinds=encode_kinds(change_kinds(number, changes, changed)),
        extractor=fields.extractor,
    )
    version.published = fields.published_at
    version.modified = fields.modified_at
    session.add(version)
    article.current_version = number
    article.last_changed_at = fetched_at
    session.flush()
    outcome = Outcome.NEW_ARTICLE if created or previous is None else Outcome.NEW_VERSION
    return StoreResult(outcome, article.id, article.url, number, changed, moved_from)
