"""One error policy for every command (issue 10, item 2): one handler, one line on
stderr, the documented exit statuses, quiet broken pipes, ``postgres://`` URLs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from storyline.cli import cli
from storyline.exits import EXIT_BROKEN_PIPE, EXIT_NOT_FOUND, EXIT_USAGE
from tests.conftest import postgres_admin_url
from tests.httpserver import HTTPTestServer
from tests.pages import DEFAULT_PARAGRAPHS, article_page

CLI = (sys.executable, "-c", "from storyline.cli import main; main()")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("storyline: error: ")
    return lines[0]


@pytest.fixture
def site():
    with HTTPTestServer("127.0.0.4") as server:
        yield server


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("crawl", "--bogus"), "No such option '--bogus'. (try 'storyline crawl --help')"),
        (("nonsense",), "No such command 'nonsense'. (try 'storyline --help')"),
        (("schedule", "list", "--wrong"), "(try 'storyline schedule list --help')"),
        (
            ("crawl", "-v"),
            "-v is a global option: put it before the command, as in 'storyline -v crawl'",
        ),
        (("diff", "https://a.example/x", "--from", "0"), "'--from': 0 is not in the range x>=1"),
        (("history",), "Missing argument 'URL'. (try 'storyline history --help')"),
    ],
)
def test_usage_errors_are_one_line_with_a_hint(args: tuple[str, ...], fragment: str) -> None:
    result = invoke(*args)
    assert result.exit_code == EXIT_USAGE
    assert fragment in one_line(result)


def test_not_found_has_its_own_status_and_db_goes_after_the_command_too(
    sqlite_url: str, site: HTTPTestServer
) -> None:
    url = site.url("/news/ferry-1")
    site.add("/news/ferry-1", article_page())
    assert invoke("fetch", url, "--db", sqlite_url).exit_code == 0
    missing = invoke("history", "https://a.example/never", "--db", sqlite_url)
    assert missing.exit_code == EXIT_NOT_FOUND
    assert "no article is archived at https://a.example/never" in one_line(missing)
    only_one = invoke("--db", sqlite_url, "diff", url)
    assert only_one.exit_code == EXIT_NOT_FOUND
    assert "version 1 has no earlier version to compare with (the article has 1)" in one_line(
        only_one
    )
    site.add("/news/ferry-1", article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "More.")))
    assert invoke("--db", sqlite_url, "fetch", url).exit_code == 0
    two = invoke("--db", sqlite_url, "diff", url, "--from", "1", "--to", "2")
    assert two.exit_code == 0 and "version 1 → 2" in two.stdout
    no_third = invoke("--db", sqlite_url, "diff", url, "--to", "3")
    assert no_third.exit_code == EXIT_NOT_FOUND


def test_a_closed_pipe_ends_quietly(sqlite_url: str, site: HTTPTestServer) -> None:
    for n in range(3):
        site.add(f"/news/s-{n}", article_page(headline=f"Story {n}"))
        assert invoke("--db", sqlite_url, "fetch", site.url(f"/news/s-{n}")).exit_code == 0
    child = subprocess.Popen(
        [*CLI, "--db", sqlite_url, "export", "--all-versions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert err == ""


def test_postgres_scheme_is_postgresql(tmp_path: Path) -> None:
    admin = postgres_admin_url()
    if not admin:
        pytest.skip("set STORYLINE_TEST_POSTGRES_URL to run the PostgreSQL tests")
    url = make_url(admin).set(drivername="postgres").render_as_string(hide_password=False)
    assert url.startswith("postgres://")
    result = invoke("--db", url, "runs", "--since", "1s")
    assert result.exit_code == 0, result.stderr
