"""Corpus export: one record per article (or per version) in a stable, documented shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, Version
from storage.types import page_time_iso

EXPORT_FIELDS = (
    "url",
    "version",
    "fetched_at",
    "headline",
    "authors",
    "published_at",
    "modified_at",
    "description",
    "language",
    "body",
    "word_count",
    "source",
    "host",
    "first_seen_at",
    "last_seen_at",
    "changed_fields",
    "extractor",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def iter_records(
    session: Session, *, all_versions: bool = False, batch_size: int = 500
) -> Iterator[dict[str, Any]]:
    """Yield export records ordered by article then version, streaming in batches."""
    query = select(Version, Article).join(Article, Version.article_id == Article.id)
    if not all_versions:
        query = query.where(Version.number == Article.current_version)
    query = query.order_by(Article.id, Version.number).execution_options(yield_per=batch_size)
    for row in session.execute(query):
        version, article = row.Version, row.Article
        yield {
            "url": article.url,
            "version": version.number,
            "fetched_at": _iso(version.fetched_at),
            "headline": version.headline,
            "authors": list(version.authors or []),
            "published_at": page_time_iso(version.published),
            "modified_at": page_time_iso(version.modified),
            "description": version.description,
            "language": version.language,
            "body": version.body,
            "word_count": version.word_count,
            "source": article.source,
            "host": article.host,
            "first_seen_at": _iso(article.first_seen_at),
            "last_seen_at": _iso(article.last_seen_at),
            "changed_fields": list(version.changed_fields or []),
            "extractor": version.extractor,
        }
