"""Corpus export: one record per version in a stable, documented shape (JSONL, CSV, Parquet).

The rows come from :mod:`storage.selection`; each record carries the version's lineage
(article, previous version, what changed, the raw page's SHA-256, the fetch and its WARC
record id). JSONL and CSV keep the fields of earlier releases in their order and add the
lineage after them; Parquet has typed columns (see :func:`parquet_schema`).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from sqlalchemy.orm import Session

from storage.selection import Selection, VersionRow, iter_versions
from storage.types import page_time_iso
from storage.warc_ids import warc_record_id

if TYPE_CHECKING:
    import pyarrow as pa

#: The fields of earlier releases, in their order, then the lineage.
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
    "article_id",
    "previous_version",
    "change_kinds",
    "notes",
    "words_added",
    "words_removed",
    "snapshot_sha256",
    "fetch_id",
    "warc_record_id",
)

#: Rows per Parquet row group (and per batch held in memory while writing).
ROW_GROUP_SIZE = 10_000


def parquet_schema() -> pa.Schema:
    """The Parquet columns. A page time is three columns: the UTC instant, the offset the
    page stated (minutes east of UTC) and, for a page that gave only a day, that day (a
    date, never an invented midnight). pyarrow is imported here, not by every importer of
    :mod:`storage` (the crawler's extraction workers)."""
    import pyarrow as pa

    time = pa.timestamp("us", tz="UTC")
    texts = pa.list_(pa.string())
    return pa.schema(
        [
            ("url", pa.string()),
            ("version", pa.int64()),
            ("fetched_at", time),
            ("headline", pa.string()),
            ("authors", texts),
            ("published_at", time),
            ("published_offset_minutes", pa.int64()),
            ("published_day", pa.date32()),
            ("modified_at", time),
            ("modified_offset_minutes", pa.int64()),
            ("modified_day", pa.date32()),
            ("description", pa.string()),
            ("language", pa.string()),
            ("body", pa.string()),
            ("word_count", pa.int64()),
            ("source", pa.string()),
            ("host", pa.string()),
            ("first_seen_at", time),
            ("last_seen_at", time),
            ("changed_fields", texts),
            ("extractor", pa.string()),
            ("article_id", pa.int64()),
            ("previous_version", pa.int64()),
            ("change_kinds", texts),
            ("notes", texts),
            ("words_added", pa.int64()),
            ("words_removed", pa.int64()),
            ("snapshot_sha256", pa.string()),
            ("fetch_id", pa.int64()),
            ("warc_record_id", pa.string()),
        ]
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def record(row: VersionRow) -> dict[str, Any]:
    """A version as a JSON-ready record with the fields of :data:`EXPORT_FIELDS`."""
    return {
        "url": row.url,
        "version": row.version,
        "fetched_at": _iso(row.fetched_at),
        "headline": row.headline,
        "authors": list(row.authors),
        "published_at": page_time_iso(row.published),
        "modified_at": page_time_iso(row.modified),
        "description": row.description,
        "language": row.language,
        "body": row.body,
        "word_count": row.word_count,
        "source": row.source,
        "host": row.host,
        "first_seen_at": _iso(row.first_seen_at),
        "last_seen_at": _iso(row.last_seen_at),
        "changed_fields": list(row.changed_fields),
        "extractor": row.extractor,
        "article_id": row.article_id,
        "previous_version": row.previous_version,
        "change_kinds": list(row.change_kinds),
        "notes": list(row.notes),
        "words_added": row.words_added,
        "words_removed": row.words_removed,
        "snapshot_sha256": row.snapshot_sha256,
        "fetch_id": row.fetch_id,
        "warc_record_id": warc_record_id(row.fetch_id) if row.fetch_id is not None else None,
    }


def iter_records(
    session: Session, selection: Selection | None = None, *, all_versions: bool = False
) -> Iterator[dict[str, Any]]:
    """Export records ordered by article then version, streamed (see :func:`iter_versions`)."""
    chosen = selection if selection is not None else Selection(all_versions=all_versions)
    return (record(row) for row in iter_versions(session, chosen))


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
    for item in records:
        handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


#: CSV joins a list: authors with "; " (names hold commas), the rest with ",".
_CSV_JOIN = {"authors": "; ", "changed_fields": ",", "change_kinds": ",", "notes": " | "}


def write_csv(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """Write a header and one row per record (lists joined, formula-like cells escaped)."""
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    count = 0
    for item in records:
        for name, joiner in _CSV_JOIN.items():
            item[name] = joiner.join(item[name])
        writer.writerow({name: csv_cell(value) for name, value in item.items()})
        count += 1
    return count


def _parquet_columns(rows: list[VersionRow]) -> dict[str, list[Any]]:
    return {
        "url": [r.url for r in rows],
        "version": [r.version for r in rows],
        "fetched_at": [r.fetched_at for r in rows],
        "headline": [r.headline for r in rows],
        "authors": [r.authors for r in rows],
        "published_at": [r.published_at for r in rows],
        "published_offset_minutes": [r.published_offset for r in rows],
        "published_day": [r.published_day for r in rows],
        "modified_at": [r.modified_at for r in rows],
        "modified_offset_minutes": [r.modified_offset for r in rows],
        "modified_day": [r.modified_day for r in rows],
        "description": [r.description for r in rows],
        "language": [r.language for r in rows],
        "body": [r.body for r in rows],
        "word_count": [r.word_count for r in rows],
        "source": [r.source for r in rows],
        "host": [r.host for r in rows],
        "first_seen_at": [r.first_seen_at for r in rows],
        "last_seen_at": [r.last_seen_at for r in rows],
        "changed_fields": [r.changed_fields for r in rows],
        "extractor": [r.extractor for r in rows],
        "article_id": [r.article_id for r in rows],
        "previous_version": [r.previous_version for r in rows],
        "change_kinds": [r.change_kinds for r in rows],
        "notes": [r.notes for r in rows],
        "words_added": [r.words_added for r in rows],
        "words_removed": [r.words_removed for r in rows],
        "snapshot_sha256": [r.snapshot_sha256 for r in rows],
        "fetch_id": [r.fetch_id for r in rows],
        "warc_record_id": [
            warc_record_id(r.fetch_id) if r.fetch_id is not None else None for r in rows
        ],
    }


def write_parquet(
    rows: Iterable[VersionRow],
    sink: BinaryIO,
    *,
    row_group_size: int = ROW_GROUP_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``rows`` as Parquet (zstd), one row group per ``row_group_size`` rows.

    Incremental: at most one row group is held in memory; the file's footer is written at
    the end, so a stream cut short is not a readable file (``output_file`` removes it).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()

    def table(batch: list[VersionRow]) -> pa.Table:
        return pa.Table.from_pydict(_parquet_columns(batch), schema=schema)

    count = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        batch: list[VersionRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= row_group_size:
                writer.write_table(table(batch), row_group_size=row_group_size)
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
                batch = []
        if batch or count == 0:
            writer.write_table(table(batch), row_group_size=row_group_size)
            count += len(batch)
            if progress is not None:
                progress(len(batch))
    return count


@contextlib.contextmanager
def output_file(target: Path, *, binary: bool = False) -> Iterator[Any]:
    """Write to ``TARGET.part`` and rename it to ``target`` when the block ends normally.

    On any exit by an exception, Ctrl-C (KeyboardInterrupt) included, the partial file is
    removed and whatever ``target`` held before is left untouched.
    """
    partial = target.with_name(target.name + ".part")
    try:
        if binary:
            with partial.open("wb") as raw:
                yield raw
        else:
            with partial.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
