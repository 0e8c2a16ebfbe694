"""Schema migrations run from code: storyline migrates a database on first use.

Alembic is imported inside the functions: it costs 12 MB, and the crawler's extraction
workers, which import :mod:`storage` to write pages, never migrate.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, column, inspect, select, table

from storage.engine import check_connection, describe
from storage.errors import SchemaTooNewError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision under storage/migrations/versions. A test compares it with Alembic's
#: own head, so a new migration that forgets to update it fails the tests.
SCHEMA_HEAD = "0006"

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
    """Migrate up to ``revision`` (default: the newest) in one transaction."""
    check_connection(engine)
    check_schema_known(engine)
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate down to ``revision`` (``"base"`` drops every table)."""
    check_connection(engine)
    check_schema_known(engine)
    _run(engine, "downgrade", revision)


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)
