"""The one call the edges make: open the archive at a URL, migrated and ready."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.engine import check_connection, create_archive_engine
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
        engine = create_archive_engine(url, readonly=True)
        check_connection(engine)
        if stored_revision(engine) == SCHEMA_HEAD:
            return engine
        engine.dispose()
        open_archive(url, migrate=migrate).dispose()
        engine = create_archive_engine(url, readonly=True)
        check_connection(engine)
        return engine
    engine = create_archive_engine(url)
    check_connection(engine)
    if stored_revision(engine) == SCHEMA_HEAD:
        return engine  # the usual case, decided without importing Alembic (12 MB, 0.3 s)
    check_schema_known(engine)
    if migrate and current_revision(engine) != head_revision():
        upgrade(engine)
    return engine
