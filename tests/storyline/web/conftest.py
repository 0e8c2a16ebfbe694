"""Fixtures of the web tests: one crawled archive per database for the whole session."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from storage import open_archive
from storyline.web.app import create_app
from storyline.web.settings import WebSettings
from tests.conftest import postgres_admin_url
from tests.storyline.web.archive import Built, build_archive


@dataclass(frozen=True)
class Served:
    """A crawled archive, opened read-only as ``storyline serve`` opens it, and its app."""

    url: str
    engine: Engine
    app: Starlette
    built: Built


def get(app: Starlette, path: str, method: str = "GET") -> httpx.Response:
    """One request to the app in process (httpx over ASGI, no socket)."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path)

    return asyncio.run(call())


def _postgres(name: str) -> tuple[str, Engine]:
    admin = postgres_admin_url()
    if not admin:
        pytest.skip("set STORYLINE_TEST_POSTGRES_URL to run the PostgreSQL tests")
    admin_engine = create_engine(
        make_url(admin).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = (
        make_url(admin)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )
    return url, admin_engine


class Archives:
    """The crawled archives of this session, built once per database and dropped at the end."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp = tmp_path_factory
        self.built: dict[str, Served] = {}
        self.cleanup: list[Callable[[], None]] = []

    def get(self, kind: str) -> Served:
        if kind not in self.built:
            self.built[kind] = self._build(kind)
        return self.built[kind]

    def _build(self, kind: str) -> Served:
        if kind == "sqlite":
            url = f"sqlite:///{self.tmp.mktemp('web') / 'archive.db'}"
        else:
            name = f"storyline_web_{uuid.uuid4().hex[:12]}"
            url, admin_engine = _postgres(name)

            def drop() -> None:
                with admin_engine.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin_engine.dispose()

            self.cleanup.append(drop)
        writer = open_archive(url)
        try:
            built = build_archive(writer)
        finally:
            writer.dispose()
        reader = open_archive(url, readonly=True)
        self.cleanup.insert(0, reader.dispose)
        return Served(url, reader, create_app(WebSettings(), reader), built)


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archives]:
    found = Archives(tmp_path_factory)
    yield found
    for step in found.cleanup:
        step()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(request: pytest.FixtureRequest, archives: Archives) -> Served:
    """The crawled archive on each database, opened read-only as ``storyline serve`` does."""
    return archives.get(str(request.param))


@pytest.fixture(scope="session")
def sqlite_served(archives: Archives) -> Served:
    """The crawled SQLite archive alone (the browser tests: the pages are the same)."""
    return archives.get("sqlite")


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $STORYLINE_TEST_ARTIFACTS, else test-artifacts/ in the checkout."""
    import os

    named = os.environ.get("STORYLINE_TEST_ARTIFACTS")
    folder = Path(named) if named else Path(__file__).resolve().parents[3] / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
