"""Fixtures for scraper tests: loopback HTTP servers on distinct 127.0.0.x hosts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor

import pytest

from scraper.pool import extraction_pool
from tests.httpserver import HTTPTestServer, loopback_servers

ServerFactory = Callable[..., HTTPTestServer]


@pytest.fixture
def server_factory() -> Iterator[ServerFactory]:
    """Start servers on 127.0.0.2, 127.0.0.3, … (one "host" each); all stopped at teardown."""
    with loopback_servers(2) as make:
        yield make


@pytest.fixture
def http_server(server_factory: ServerFactory) -> HTTPTestServer:
    """One loopback server on 127.0.0.2."""
    return server_factory()


@pytest.fixture(scope="session")
def extraction_executor() -> Iterator[Executor]:
    """One warm extraction pool for every crawl in the session (workers start slowly)."""
    pool = extraction_pool(2)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)
