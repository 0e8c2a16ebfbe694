"""Alembic environment: migrate the connection storyline hands us, or the URL given with -x db=."""

from __future__ import annotations

from alembic import context

from storage.engine import DEFAULT_URL, create_archive_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=lambda name, type_, _parent: (
            not (type_ == "table" and name is not None and name.startswith("apscheduler"))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db", DEFAULT_URL)
    engine = create_archive_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("storyline migrations run online only")
run_migrations_online()
