"""First use of a new archive by several processes at once (two cron jobs, a crawl and the
scheduler started together): exactly one migrates, the others wait and find it done."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from storage.migrate import SCHEMA_HEAD, stored_revision

#: Each child imports everything first, says so, then waits for the go file, so that their
#: migrations start together (what two commands started by one cron line do, minus the
#: import jitter that makes the race rarer but not impossible).
OPEN_TOGETHER = """
import os, sys, time
import storage
from storage.migrate import head_revision
head_revision()
print("ready", flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
storage.open_archive(sys.argv[1]).dispose()
print("opened", flush=True)
"""

PROCESSES = 4


@pytest.mark.parametrize("trial", range(2))
def test_processes_opening_a_new_archive_together_all_succeed(
    db_url: str, tmp_path: Path, trial: int
) -> None:
    """Issue 15 item 7: on PostgreSQL two commands started together failed one with
    UniqueViolation on CREATE TABLE alembic_version (and SQLite gave "database is locked"):
    the first-use migration now runs under a database lock."""
    go = tmp_path / f"go-{trial}"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_TOGETHER, db_url, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        go.touch()
        started = time.monotonic()
        outputs = [child.communicate(timeout=120)[0] for child in children]
        elapsed = time.monotonic() - started
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()

    for child, output in zip(children, outputs, strict=True):
        assert child.returncode == 0, output
        assert "Traceback" not in output and output.strip() == "opened", output
    assert elapsed < 90  # generous: one migration, then the waiters' no-op checks
    engine = create_engine(db_url)
    try:
        assert stored_revision(engine) == SCHEMA_HEAD
        assert "article" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
