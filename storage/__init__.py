"""Persistence for storyline: the schema, opening databases, and the archive's repository functions."""

from storage.articles import (
    StoreResult,
    find_any_article,
    find_article,
    get_article,
    get_version,
    latest_version,
    list_versions,
    record_page,
    version_fields,
)
from storage.database import open_archive
from storage.diffs import FieldChange, Segment, VersionDiff, body_diff, diff_versions
from storage.engine import DEFAULT_URL, create_archive_engine, describe
from storage.errors import (
    ArchiveMissing,
    ArchiveUnwritable,
    ArticleNotFound,
    DatabaseUnavailable,
    DatabaseURLError,
    NotADatabaseError,
    SchemaTooNewError,
    StorageError,
    VersionNotFound,
    unwritable,
)
from storage.export import EXPORT_FIELDS, iter_records, output_file, write_csv, write_jsonl
from storage.fetches import FetchRecord, record_fetch
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.snapshots import put_snapshot, read_snapshot, snapshot_digest
from storage.versioning import VersionFields, changed_fields, fingerprint, is_thin

__all__ = [
    "DEFAULT_URL",
    "EXPORT_FIELDS",
    "ArchiveMissing",
    "ArchiveUnwritable",
    "ArticleNotFound",
    "DatabaseURLError",
    "DatabaseUnavailable",
    "FetchRecord",
    "FieldChange",
    "NotADatabaseError",
    "SchemaTooNewError",
    "Segment",
    "StorageError",
    "StoreResult",
    "VersionDiff",
    "VersionFields",
    "VersionNotFound",
    "body_diff",
    "changed_fields",
    "create_archive_engine",
    "current_revision",
    "describe",
    "diff_versions",
    "downgrade",
    "find_any_article",
    "find_article",
    "fingerprint",
    "get_article",
    "get_version",
    "head_revision",
    "is_thin",
    "iter_records",
    "latest_version",
    "list_versions",
    "open_archive",
    "output_file",
    "put_snapshot",
    "read_snapshot",
    "record_fetch",
    "record_page",
    "snapshot_digest",
    "unwritable",
    "upgrade",
    "version_fields",
    "write_csv",
    "write_jsonl",
]
