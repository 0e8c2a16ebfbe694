"""Issue 15 items 13, 14 and 19 through the real CLI in a child process: a wrong config,
a crawl killed with SIGKILL, a read-only archive. Each ends with the documented exit
status and at most one line on stderr — never a traceback — and loses nothing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, Route
from tests.newssite import section
from tests.pages import article_page

CLI = (sys.executable, "-c", "from storyline.cli import main; main()")
UA = "storyline-test/1 (+https://example.org/contact)"


def storyline(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def assert_one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The exit status, and stderr one ``storyline: error:`` line without a traceback."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("storyline: error: ")
    return lines[0]


@pytest.fixture
def site() -> Iterator[HTTPTestServer]:
    server = HTTPTestServer("127.0.0.31")
    server.add("/news/", section(["/news/story-1"]))
    server.add("/news/story-1", article_page(headline="A ferry story"))
    with server:
        yield server


def config_text(site: HTTPTestServer, crawl: str = "") -> str:
    delay = "" if "delay" in crawl else "delay = 0"
    return (
        f'[crawl]\nuser_agent = "{UA}"\nmax_wait = 0\n{delay}\n{crawl}\n'
        f'[[source]]\nname = "t"\npages = ["{site.url("/news/")}"]\n'
        "include = ['/news/story-[0-9]+$']\n"
    )


# -- item 13: a wrong config is refused at load, with FILE:LINE ------------------------


@pytest.mark.parametrize(
    ("setting", "line"), [("delay = nan", 5), ("deadline = nan", 5), ("deadline = inf", 5)]
)
def test_nan_and_inf_settings_are_refused_before_any_work(
    tmp_path: Path, site: HTTPTestServer, setting: str, line: int
) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text(config_text(site, setting))
    result = storyline("--db", f"sqlite:///{tmp_path / 'a.db'}", "crawl", cwd=tmp_path)
    message = assert_one_line(result, 2)
    assert message.startswith(f"storyline: error: storyline.toml:{line}: crawl.")
    assert "not a duration" in message
    assert site.paths() == [] and not (tmp_path / "a.db").exists()


def test_a_bad_time_zone_ends_schedule_run_in_one_line(
    tmp_path: Path, site: HTTPTestServer
) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text(config_text(site) + '\n[schedule]\ntimezone = "Mars/Phobos"\n')
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for args in (("schedule", "run"), ("schedule", "list", "--config", "storyline.toml")):
        result = storyline("--db", db, *args, cwd=tmp_path)
        message = assert_one_line(result, 2)
        assert "storyline.toml:12: schedule.timezone: unknown time zone 'Mars/Phobos'" in message


def test_an_unknown_top_level_table_names_file_and_line(
    tmp_path: Path, site: HTTPTestServer
) -> None:
    (tmp_path / "storyline.toml").write_text(config_text(site) + "\n[sources]\nname = 'x'\n")
    result = storyline("crawl", cwd=tmp_path)
    message = assert_one_line(result, 2)
    assert message.startswith("storyline: error: storyline.toml:11: sources: unknown table")


def test_a_huge_crawl_delay_is_capped_not_an_error_every_run(
    tmp_path: Path, site: HTTPTestServer
) -> None:
    site.add("/robots.txt", Route("User-agent: *\nCrawl-delay: 1e15\n", content_type="text/plain"))
    (tmp_path / "storyline.toml").write_text(config_text(site))
    db = f"sqlite:///{tmp_path / 'a.db'}"
    for _ in range(2):
        result = storyline("--db", db, "crawl", "--json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "Overflow" not in result.stderr
    # robots.txt was read both times; its (capped) delay keeps the pages for later runs.
    assert site.count("/robots.txt") >= 1


# -- item 14: a crawl lock whose holder was SIGKILLed on this machine -------------------

HOLD_LOCK = """
import sys, time
from storage import open_archive
from storage.locks import acquire
engine = open_archive(sys.argv[1])
with acquire(engine, "crawl"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_lock_left_by_a_killed_crawl_is_taken_over_at_once(
    tmp_path: Path, site: HTTPTestServer
) -> None:
    (tmp_path / "storyline.toml").write_text(config_text(site))
    db = f"sqlite:///{tmp_path / 'a.db'}"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, db], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        blocked = storyline("--db", db, "crawl", cwd=tmp_path)
        assert blocked.returncode == 75  # a live holder still blocks
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            holder.kill()
    started = time.monotonic()
    result = storyline("--db", db, "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # not the two-minute lease
    assert site.count("/news/story-1") == 1


# -- item 19: a read-only archive is read, never written -------------------------------


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable, for root too (``chattr +i``), then restore them."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    done: list[Path] = []
    try:
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a file read-only for root here (chattr +i)")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], check=False)


def test_a_read_only_archive_can_be_exported_and_read(tmp_path: Path, site: HTTPTestServer) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    archive = folder / "a.db"
    db = f"sqlite:///{archive}"
    stored = storyline("--db", db, "fetch", site.url("/news/story-1"), cwd=tmp_path)
    assert stored.returncode == 0, stored.stderr
    for extra in folder.glob("a.db-*"):  # a clean shutdown leaves only the file itself
        assert extra.stat().st_size == 0 or extra.name.endswith("-wal")
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    names = sorted(p.name for p in folder.iterdir())
    with read_only(archive, folder):
        exported = storyline("--db", db, "export", cwd=tmp_path)
        history = storyline("--db", db, "history", site.url("/news/story-1"), cwd=tmp_path)
        runs = storyline("--db", db, "runs", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert '"headline": "A ferry story"' in exported.stdout
    assert history.returncode == 0, history.stderr
    assert runs.returncode == 0, runs.stderr
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == names


def test_reading_commands_never_create_a_database(tmp_path: Path) -> None:
    for args in (
        ("history", "https://news.example/a"),
        ("export",),
        ("runs",),
        ("schedule", "list"),
    ):
        result = storyline(*args, cwd=tmp_path)
        message = assert_one_line(result, 3)
        assert "no archive at storyline.db" in message and "sqlite:///storyline.db" in message
    assert list(tmp_path.iterdir()) == []
