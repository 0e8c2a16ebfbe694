"""Schema migrations run from code: storyline migrates a database on first use.

Alembic is imported inside the functions: it costs 12 MB, and the crawler's extraction
workers, which import :mod:`storage` to write pages, never migrate.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, column, inspect, select, table, text

from storage.engine import check_connection, describe
from storage.errors import SchemaTooNewError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision under storage/migrations/versions. A test compares it with Alembic's
#: own head, so a new migration that forgets to update it fails the tests.

SCHEMA_HEAD = "0010"

_VERSION_TABLE = table("alembic_version", column("version_num"))


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read without Alembic (None: no schema yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        found = conn.execute(select(_VERSION_TABLE.c.version_num)).scalars().all()
    return found[0] if len(found) == 1 else None


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations, whatever the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema_known(engine: Engine) -> None:
    """Refuse a database whose schema revision this code does not know (a newer storyline's)."""
    current = current_revision(engine)
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise SchemaTooNewError(
            f"the database schema is at revision {current}, which this storyline does not know "
            f"(newest known: {head_revision()}); upgrade storyline",
            database=describe(engine),
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up to ``revision`` (default: the newest) in one transaction.

    Several processes may open a new archive at once (two cron jobs, a crawl and the
    scheduler): the migration runs under a database-wide lock, and whoever waited for it
    finds the schema already migrated and does nothing.
    """
    check_connection(engine)
    check_schema_known(engine)
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate down to ``revision`` (``"base"`` drops every table)."""
    check_connection(engine)
    check_schema_known(engine)
    _run(engine, "downgrade", revision)


#: The advisory lock key of migrations on PostgreSQL (a fixed 64-bit number: "storyline-schema").
MIGRATION_LOCK_KEY = int.from_bytes(b"stl-schm", "big", signed=True)


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        _lock_schema(conn)
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)


def _lock_schema(conn: Connection) -> None:
    """Take the database-wide migration lock for the rest of ``conn``'s transaction.

    PostgreSQL: a transaction-level advisory lock, so a second process waits here, then sees
    the first one's committed schema (Alembic reads the revision after this point). SQLite:
    the engine opens every write transaction with ``BEGIN IMMEDIATE``, which already holds
    the database's write lock; the check makes sure nothing changed that.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is None or not getattr(raw, "in_transaction", False):
            raise RuntimeError("a SQLite migration must run inside BEGIN IMMEDIATE")
