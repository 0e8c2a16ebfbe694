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
