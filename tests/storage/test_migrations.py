"""Migrations go up and down on both databases; bad databases get one clear error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage import (
    DatabaseUnavailable,
    DatabaseURLError,
    NotADatabaseError,
    SchemaTooNewError,
    create_archive_engine,
    current_revision,
    downgrade,
    head_revision,
    open_archive,
    upgrade,
)
from storage.models import Base

ARCHIVE_TABLES = set(Base.metadata.tables)


def test_migrations_go_up_and_down_and_up_again(db_url: str) -> None:
    engine = create_archive_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= ARCHIVE_TABLES

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not ARCHIVE_TABLES & set(inspect(engine).get_table_names())

    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= ARCHIVE_TABLES
    engine.dispose()


def test_schema_matches_models_after_upgrade(db_url: str) -> None:
    """The migrations and the models describe the same tables and columns."""
    engine = open_archive(db_url)
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    engine.dispose()


def test_open_archive_creates_sqlite_file_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    engine = open_archive(f"sqlite:///{path}")
    assert path.exists()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["not a url", "mysql://root@localhost/test", "sqlite://", "sqlite:///:memory:"],
)
def test_bad_database_urls_are_refused(url: str) -> None:
    with pytest.raises(DatabaseURLError):
        open_archive(url)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseURLError, match="does not exist"):
        open_archive(f"sqlite:///{tmp_path}/nowhere/archive.db")


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError):
        open_archive(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_unreachable_postgres_server_is_one_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable):
        open_archive("postgresql://postgres@127.0.0.1:1/test")


def test_newer_schema_than_the_code_knows_is_refused(db_url: str) -> None:
    engine = open_archive(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fffffffffff9'"))
    engine.dispose()
    with pytest.raises(SchemaTooNewError, match="fffffffffff9"):
        open_archive(db_url)


def test_sqlite_reader_open_during_write_does_not_lock(tmp_path: Path) -> None:
    """WAL: a reader holding an open read transaction never makes a writer fail."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engine = open_archive(url)
    raw = sqlite3.connect(tmp_path / "a.db", timeout=0.1)
    raw.execute("BEGIN")
    assert raw.execute("SELECT count(*) FROM article").fetchone() == (0,)
    with engine.begin() as conn:  # BEGIN IMMEDIATE while the reader is open
        conn.execute(
            text(
                "INSERT INTO host (host, backoff_seconds, consecutive_failures) "
                "VALUES ('example.org', 0, 0)"
            )
        )
    assert raw.execute("SELECT count(*) FROM host").fetchone() == (0,)  # snapshot isolation
    raw.execute("COMMIT")
    assert raw.execute("SELECT count(*) FROM host").fetchone() == (1,)
    raw.close()
    engine.dispose()


def test_schema_head_constant_is_alembics_head(db_url: str) -> None:
    from storage.migrate import SCHEMA_HEAD, stored_revision

    assert head_revision() == SCHEMA_HEAD
    engine = create_archive_engine(db_url)
    assert stored_revision(engine) is None
    upgrade(engine)
    assert stored_revision(engine) == current_revision(engine) == SCHEMA_HEAD


def test_an_up_to_date_archive_opens_without_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_archive(url)
    script = (
        "import sys; from storage import open_archive; "
        f"open_archive({url!r}); print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"
