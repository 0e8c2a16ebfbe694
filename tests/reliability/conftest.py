"""Fixtures of the reliability suite: hostile loopback servers, archive files, baselines.

Every case runs storyline in a child process (:mod:`tests.reliability.harness`) against real
servers on 127.0.0.x and asserts what an operator relies on: the exit status, a bounded time,
bounded memory, no traceback, and nothing already stored lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, loopback_servers
from tests.reliability.harness import Run, run_cli, sqlite_url

ServerFactory = Callable[..., HTTPTestServer]

#: 127.0.0.x numbers the suite's servers use; other suites start at 2, so collisions on a
#: port are impossible anyway (port 0), this only keeps logs readable.
_FIRST_HOST = 20


@pytest.fixture
def hostile_server() -> Iterator[ServerFactory]:
    """Start servers on distinct loopback hosts (127.0.0.20, .21, …); stopped at teardown."""
    with loopback_servers(_FIRST_HOST) as make:
        yield make


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Path of the SQLite archive file a case writes (created by the CLI on first use)."""
    return tmp_path / "archive.db"


@pytest.fixture
def archive_url(archive: Path) -> str:
    return sqlite_url(archive)


@pytest.fixture(scope="session")
def baseline_fetch_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """``storyline fetch`` of a 404: the memory baseline of a fetch that stores nothing.

    Peak-memory bounds are stated *above* this baseline, so they hold whatever the
    interpreter and libraries weigh on the machine.
    """
    db = tmp_path_factory.mktemp("baseline") / "archive.db"
    with HTTPTestServer("127.0.0.19") as server:
        run = run_cli(["--db", sqlite_url(db), "fetch", server.url("/missing")], timeout=60)
    run.assert_clean(exit_code=1)
    yield run
