"""Schema migrations run from code: storyline migrates a database on first use."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.engine import check_connection, describe
from storage.errors import SchemaTooNewError


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations, whatever the working directory."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema_known(engine: Engine) -> None:
    """Refuse a database whose schema revision this code does not know (a newer storyline's)."""
    current = current_revision(engine)
    if current is None:
        return
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
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)
