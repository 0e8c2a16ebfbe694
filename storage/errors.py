"""The storage package's exceptions; each names the database (without its password)."""

from __future__ import annotations

from datetime import datetime


class StorageError(Exception):
    """Base class of everything the storage package raises."""

    def __init__(self, message: str, *, database: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.database = database

    def __str__(self) -> str:
        return f"{self.message} ({self.database})" if self.database else self.message


class DatabaseURLError(StorageError):
    """The database URL cannot be parsed or names a backend we do not support."""


class DatabaseUnavailable(StorageError):
    """The database server cannot be reached or refused the connection."""


class ArchiveMissing(StorageError):
    """A command that only reads was pointed at an SQLite file that does not exist."""


class NotADatabaseError(StorageError):
    """The SQLite file exists but is not an SQLite database."""


class SchemaTooNewError(StorageError):
    """The database was migrated by a newer storyline than this one."""


class ArticleNotFound(StorageError):
    """No article is stored under that URL (or any alias of it)."""


class VersionNotFound(StorageError):
    """The article has no version with that number."""


class SearchQueryError(StorageError):
    """A search query that cannot be run (a lone operator, an unbalanced quote, no words)."""

    def __init__(self, message: str, *, query: str, database: str | None = None) -> None:
        super().__init__(f"bad search query {query!r}: {message}", database=database)
        self.query = query


class LockHeld(StorageError):
    """A run lock is held by another process; says who holds it and since when (issue 5)."""

    def __init__(
        self,
        message: str,
        *,
        name: str,
        holder: str | None = None,
        acquired_at: datetime | None = None,
        expires_at: datetime | None = None,
        database: str | None = None,
    ) -> None:
        super().__init__(message, database=database)
        self.name = name
        self.holder = holder
        self.acquired_at = acquired_at
        self.expires_at = expires_at


class ArchiveUnwritable(StorageError):
    """The database refuses every write — disk full, a read-only file, mount or server, an
    I/O error — so retrying cannot help: the run stops, keeping what it already stored."""


#: SQLite primary result codes of a write that cannot succeed by trying again
#: (SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL).
_SQLITE_UNWRITABLE = {8: "read-only", 10: "I/O error", 13: "disk full"}
#: PostgreSQL SQLSTATEs of the same (read_only_sql_transaction, disk_full, io_error).
_PG_UNWRITABLE = {"25006": "read-only", "53100": "disk full", "58030": "I/O error"}


def unwritable(exc: BaseException, database: str | None = None) -> ArchiveUnwritable | None:
    """``exc`` as an :class:`ArchiveUnwritable` when it (or what it wraps) says the database
    can take no more writes; None for anything a retry might fix (locks, races, a dropped
    connection)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ArchiveUnwritable):
            return current
        code = getattr(current, "sqlite_errorcode", None)
        reason = _SQLITE_UNWRITABLE.get(code & 0xFF) if isinstance(code, int) else None
        reason = reason or _PG_UNWRITABLE.get(getattr(current, "sqlstate", None) or "")
        if reason is not None:
            detail = str(current).strip().splitlines()
            return ArchiveUnwritable(
                f"the archive cannot be written ({reason}): {detail[0] if detail else reason}",
                database=database,
            )
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None
