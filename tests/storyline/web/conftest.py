"""Fixtures of the web tests: one crawled archive per database for the whole session."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
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


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    admin_engine = None
    name = f"storyline_web_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'archive.db'}"
    else:
        url, admin_engine = _postgres(name)
    writer = open_archive(url)
    try:
        built = build_archive(writer)
    finally:
        writer.dispose()
    reader = open_archive(url, readonly=True)
    try:
        yield Served(url, reader, create_app(WebSettings(), reader), built)
    finally:
        reader.dispose()
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin_engine.dispose()


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $STORYLINE_TEST_ARTIFACTS, else test-artifacts/ in the checkout."""
    import os

    named = os.environ.get("STORYLINE_TEST_ARTIFACTS")
    folder = Path(named) if named else Path(__file__).resolve().parents[3] / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
