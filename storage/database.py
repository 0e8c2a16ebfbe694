"""The one call the edges make: open the archive at a URL, migrated and ready."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.engine import check_connection, create_archive_engine, sqlite_path
from storage.errors import DatabaseUnavailable
from storage.migrate import (
    SCHEMA_HEAD,
    check_schema_known,
    current_revision,
    head_revision,
    stored_revision,
    upgrade,
)


def open_archive(url: str, *, migrate: bool = True, readonly: bool = False) -> Engine:
    """Return an engine for ``url``, creating and migrating the schema when it is behind.

    Raises a StorageError subclass for a bad URL, an unreachable server, a file that is not
    SQLite, or a schema newer than this code. ``readonly`` (the commands that only read):
    an SQLite file is opened read-only and never created; a schema that is behind is
    migrated first through an ordinary connection, since reading it needs the new tables.
    """
    if readonly:
        engine = _open_readonly(url)
        if stored_revision(engine) == SCHEMA_HEAD:
            return engine
        engine.dispose()
        open_archive(url, migrate=migrate).dispose()
        return _open_readonly(url)
    engine = create_archive_engine(url)
    check_connection(engine)
    if stored_revision(engine) == SCHEMA_HEAD:
        return engine  # the usual case, decided without importing Alembic (12 MB, 0.3 s)
    check_schema_known(engine)
    if migrate and current_revision(engine) != head_revision():
        upgrade(engine)
    return engine


def _open_readonly(url: str) -> Engine:
    """Open read-only; a WAL archive in a folder nobody may write is opened immutable.

    Reading a WAL-mode file needs its ``-shm`` index, which SQLite cannot create in a
    read-only folder. When no ``-wal`` file holds unmerged pages (a clean last close
    leaves none), the file alone is the whole archive and ``immutable=1`` reads it as is.
    """
    engine = create_archive_engine(url, readonly=True)
    try:
        check_connection(engine)
    except DatabaseUnavailable:
        engine.dispose()
        path = sqlite_path(url)
        wal = path.with_name(path.name + "-wal") if path else None
        if path is None or (wal is not None and wal.exists() and wal.stat().st_size > 0):
            raise
        engine = create_archive_engine(url, readonly=True, immutable=True)
        check_connection(engine)
    return engine
