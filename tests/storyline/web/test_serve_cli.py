"""``storyline serve``: loopback by default, another address only with --allow-remote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.cli_serve import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com"])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_a_remote_address_needs_allow_remote(tmp_path: Path, host: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path / 'a.db'}", "serve", "--host", host]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("storyline: error: ")
    assert "--allow-remote" in lines[0] and "no authentication" in lines[0]
    assert not (tmp_path / "a.db").exists()  # nothing opened, nothing created


def test_no_archive_is_one_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "serve"])
    assert result.exit_code == 3
    assert "no archive at" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_allow_remote_warns_that_there_is_no_authentication(sqlite_url: str) -> None:
    """192.0.2.1 (TEST-NET-1) is on no interface here: the warning is printed, then the
    bind fails — nothing listens beyond loopback during the test."""
    from storage import open_archive

    open_archive(sqlite_url).dispose()
    program = Path(sys.executable).parent / "storyline"
    done = subprocess.run(
        [str(program), "--db", sqlite_url, "serve", "--host", "192.0.2.1", "--allow-remote"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "has no authentication" in done.stderr
    assert "behind a proxy" in done.stderr
    assert done.returncode != 0  # could not bind
