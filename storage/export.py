"""Corpus export: one record per article (or per version) in a stable, documented shape."""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

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


#: A CSV cell starting with one of these is a formula to a spreadsheet (Excel, LibreOffice,
#: Google Sheets): ``=HYPERLINK(…)`` in a scraped headline would run when the file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: text that a spreadsheet would read as a formula
    gets a leading apostrophe (OWASP's advice), which spreadsheets show as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_jsonl(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """Write one JSON object per line; returns how many."""
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """Write a header and one row per record (lists joined, formula-like cells escaped)."""
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    count = 0
    for record in records:
        record["authors"] = "; ".join(record["authors"])
        record["changed_fields"] = ",".join(record["changed_fields"])
        writer.writerow({name: csv_cell(value) for name, value in record.items()})
        count += 1
    return count


@contextlib.contextmanager
def output_file(target: Path) -> Iterator[IO[str]]:
    """Write to ``TARGET.part`` and rename it to ``target`` when the block ends normally.

    On any exit by an exception, Ctrl-C (KeyboardInterrupt) included, the partial file is
    removed and whatever ``target`` held before is left untouched.
    """
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
