"""The archive fails under a running crawl: disk full, or the database made read-only.

Retrying a write that cannot succeed must not spin: the crawl stores what it can, stops, and
exits 3 with one clear line; the SQLite file stays intact; once the fault is gone the next
crawl starts at once (no stale run lock) and archives everything that was left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer
from tests.reliability.harness import CLI, Run, integrity_ok, run_cli, sqlite_url, write_config
from tests.reliability.sqlite_reads import count_articles
from tests.schedules.site import PARAGRAPHS, NewsSite, Story, config_text


def _site(server: HTTPTestServer, count: int, *, words: int = 0) -> NewsSite:
    site = NewsSite(server)
    for i in range(count):
        extra = (" ".join(f"w{i}x{j}" for j in range(words)),) if words else ()
        site.add(Story(f"story-{i}", f"Harbour story number {i}", paragraphs=extra + PARAGRAPHS))
    return site


@contextlib.contextmanager
def _small_filesystem(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``path``: a disk that really fills up (ENOSPC)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _crawl(db: Path, config: Path, timeout: float = 180) -> Run:
    return run_cli(["--db", sqlite_url(db), "crawl", "--config", str(config)], timeout=timeout)


def test_disk_full_ends_the_crawl_with_status_3_and_loses_nothing(
    hostile_server, tmp_path: Path
) -> None:
    """Issue 15 item 2: a full disk made a crawl spin on "database or disk is full" (or end
    0 with every page failed). Now the first refused write stops the crawl, exit 3."""
    site = _site(hostile_server(), 40, words=3000)  # ~25 KB of text a story: the disk fills
    config = write_config(tmp_path / "sources.toml", config_text(site))
    with _small_filesystem(tmp_path / "small", "460k") as small:
        db = small / "archive.db"

        run = _crawl(db, config)

        run.assert_clean(exit_code=3, within=150)
        assert "disk full" in run.stderr, run.describe()
        assert len(run.stderr.splitlines()) <= 5, run.describe()  # one line, not one a page
        assert integrity_ok(db)
        stored_before = count_articles(db)
        # "More disk": the archive moves to a roomy place and the next crawl finishes the job.
        roomy = tmp_path / "roomy"
        roomy.mkdir()
        for name in os.listdir(small):
            if name.startswith("archive.db"):
                shutil.copy2(small / name, roomy / name)
    db = roomy / "archive.db"

    again = _crawl(db, config)

    again.assert_clean(exit_code=0, within=150)
    assert count_articles(db) == 40 >= stored_before
    assert integrity_ok(db)


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable for new opens: ``chattr +i`` as root (who ignores modes)."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"chattr +i does not work here: {made.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_database_made_read_only_mid_crawl_stops_with_status_3(
    hostile_server, tmp_path: Path
) -> None:
    """Issue 15 item 9: exit 1, 241 lines of tracebacks and a lock row that blocked the next
    crawl for 2 minutes. Now: exit 3, a few lines, and the next crawl runs at once."""
    site = _site(hostile_server(), 80)  # more than one claim batch: URLs stay due meanwhile
    site.delay = 0.15
    config = write_config(tmp_path / "sources.toml", config_text(site))
    db = tmp_path / "archive.db"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [*CLI, "--db", sqlite_url(db), "crawl", "--config", str(config)],
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            started = time.monotonic()
            while count_articles(db) < 3:
                assert child.poll() is None, "the crawl ended before the fault"
                assert time.monotonic() - started < 120
                time.sleep(0.05)
            with _read_only(db):
                code = child.wait(timeout=120)
                elapsed = time.monotonic() - started
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode()
        output = out.read().decode() + stderr

    assert code == 3, output
    assert "Traceback" not in output, output
    assert "read-only" in stderr or "readonly" in stderr, output
    assert len(stderr.splitlines()) <= 6, output
    assert elapsed < 110
    assert integrity_ok(db)

    again = _crawl(db, config)  # not 75: the dead crawl's lock does not block it

    again.assert_clean(exit_code=0, within=150)
    assert count_articles(db) == 80
    assert integrity_ok(db)
