"""Shared fixtures: archives on a real SQLite file and on a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage import open_archive

POSTGRES_ENV = "STORYLINE_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """The server URL from the environment; on CI its absence is an error, not a skip."""
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI"):
        raise RuntimeError(f"{POSTGRES_ENV} must be set on CI: the PostgreSQL tests may not skip")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a brand-new, empty PostgreSQL database, dropped afterwards."""
    admin = postgres_admin_url()
    if not admin:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL tests")
    name = f"storyline_t_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(
        make_url(admin).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(admin)
            .set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated archive on both databases."""
    archive = open_archive(db_url)
    yield archive
    archive.dispose()
