"""Opening a database: URL checks, SQLite connection settings, and migration on first use."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from storage.errors import (
    ArchiveMissing,
    DatabaseUnavailable,
    DatabaseURLError,
    NotADatabaseError,
    StorageError,
)

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///storyline.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def parse_url(url: str) -> URL:
    """Parse a database URL, accepting plain ``postgresql://`` as psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgres" or parsed.drivername.startswith("postgres+"):
        # What Heroku, Render, Supabase and others hand out: SQLAlchemy knows only "postgresql".
        parsed = parsed.set(drivername="postgresql" + parsed.drivername[len("postgres") :])
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseURLError(
            f"unsupported database {backend!r}: use sqlite:///FILE or postgresql://…",
            database=parsed.render_as_string(hide_password=True),
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise DatabaseURLError("an archive needs a SQLite file: use sqlite:///path/to/file.db")
    return parsed


#: per connection: a writer gets WAL, foreign keys and normal sync; a reader is query-only
_SQLITE_PRAGMAS = ("journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL")
_SQLITE_READONLY_PRAGMAS = ("query_only = ON",)


def _set_pragma(cursor: sqlite3.Cursor, pragma: str) -> None:
    """Run ``PRAGMA pragma``, waiting out another process that holds the lock.

    Switching a new file to WAL needs it to itself, and SQLite answers "database is locked"
    at once, without its busy handler, while another process is creating the same new
    archive: several commands started together on a new file. The wait is bounded by the
    busy timeout, as any other lock wait is.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute(f"PRAGMA {pragma}")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine, *, readonly: bool = False) -> None:
    """A busy timeout per connection, and BEGIN IMMEDIATE for writes (SQLAlchemy's recipe).

    pysqlite defers BEGIN until the first write, which lets two writers deadlock into
    "database is locked"; taking the write lock up front makes the second one wait instead.
    A read-only engine sets nothing that writes (no journal mode) and begins plainly.
    """
    pragmas = _SQLITE_READONLY_PRAGMAS if readonly else _SQLITE_PRAGMAS

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            for pragma in pragmas:
                _set_pragma(cursor, pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if readonly or conn.get_execution_options().get("storyline_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_archive_engine(
    url: str, *, echo: bool = False, readonly: bool = False, immutable: bool = False
) -> Engine:
    """Create an engine for ``url`` without touching the schema.

    ``readonly``: an SQLite file is opened read-only (``mode=ro``), so a missing file is an
    error (:class:`ArchiveMissing`) rather than a new empty database, and a file the user
    may only read can still be read.
    """
    parsed = parse_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        if path.parent and not path.parent.exists():
            raise DatabaseURLError(f"folder {path.parent} does not exist", database=shown)
        if path.exists() and path.is_file():
            _check_sqlite_header(path, shown)
        elif readonly:
            raise ArchiveMissing(
                f"no archive at {path}: nothing was created; name one with --db"
                " or run `storyline crawl` or `storyline fetch` first",
                database=shown,
            )
        if readonly:
            # immutable: the file and its folder cannot be written by anyone here, so
            # SQLite cannot make the WAL index (-shm) it needs to read; see open_archive.
            options = "mode=ro&immutable=1" if immutable else "mode=ro"
            uri = f"file:{quote(str(path.resolve()))}?{options}&uri=true"
            engine = create_engine(f"sqlite:///{uri}", echo=echo, poolclass=NullPool)
            _configure_sqlite(engine, readonly=True)
            return engine
        engine = create_engine(parsed, echo=echo, poolclass=NullPool)
        _configure_sqlite(engine)
    else:
        engine = create_engine(
            parsed,
            echo=echo,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10, "application_name": "storyline"},
        )
    return engine


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL)."""
    parsed = parse_url(url)
    return Path(str(parsed.database)) if parsed.get_backend_name() == "sqlite" else None


def _check_sqlite_header(path: Path, shown: str) -> None:
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise NotADatabaseError(f"{path} is not an SQLite database", database=shown)


def describe(engine: Engine) -> str:
    """The engine's URL with any password hidden, for messages."""
    return engine.url.render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Connect once, turning driver errors into one clear StorageError."""
    try:
        with engine.connect() as conn:
            inspect(conn).get_table_names()
    except OperationalError as exc:
        raise DatabaseUnavailable(first_line(exc.orig), database=describe(engine)) from exc
    except DatabaseError as exc:
        if isinstance(exc.orig, sqlite3.DatabaseError):
            raise NotADatabaseError(first_line(exc.orig), database=describe(engine)) from exc
        raise StorageError(first_line(exc.orig), database=describe(engine)) from exc


def first_line(exc: BaseException | None) -> str:
    """An error's first line — a driver error's own (``.orig``), without SQL or links."""
    if exc is None:
        return "unknown database error"
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
