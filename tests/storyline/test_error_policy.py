"""One error policy for every command (issue 10, item 2): one handler, one line on
stderr, the documented exit statuses, quiet broken pipes, ``postgres://`` URLs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

import storage
from storyline.cli import cli
from storyline.exits import EXIT_BROKEN_PIPE, EXIT_NOT_FOUND, EXIT_USAGE
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
    assert one_line(missing).endswith(f"({sqlite_url})")  # which archive was looked at
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


@pytest.mark.postgres
def test_postgres_scheme_is_postgresql(postgres_url: str) -> None:
    """``postgres://`` (Heroku's spelling) opens the same server as ``postgresql://``; a fresh
    database of its own, so a newer schema left in the shared one by another run cannot matter."""
    storage.open_archive(postgres_url).dispose()
    url = make_url(postgres_url).set(drivername="postgres").render_as_string(hide_password=False)
    assert url.startswith("postgres://")
    result = invoke("--db", url, "runs", "--since", "1s")
    assert result.exit_code == 0, result.stderr


def test_other_libraries_log_at_warning_unless_verbose() -> None:
    import logging

    from storyline.cli_app import NOISY_LOGGERS, configure_logging

    try:
        configure_logging(0)
        logging.getLogger().setLevel(logging.INFO)  # as `schedule run` does
        assert all(not logging.getLogger(n).isEnabledFor(logging.INFO) for n in NOISY_LOGGERS)
        configure_logging(1)
        assert all(logging.getLogger(n).isEnabledFor(logging.INFO) for n in NOISY_LOGGERS)
    finally:
        for name in NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)


SLOW_SITE_CONFIG = """
[crawl]
delay = 0
obey_robots = false
max_wait = 0
[[source]]
name = "t"
pages = ["{section}"]
include = ['/news/s-[0-9]+$']
"""


@pytest.mark.parametrize(("sig", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_an_interrupted_crawl_exits_128_plus_the_signal(
    tmp_path: Path, sig: str, code: int
) -> None:
    import signal
    import time

    from tests.httpserver import Route
    from tests.newssite import section

    with HTTPTestServer("127.0.0.6") as server:
        links = [f"/news/s-{n}" for n in range(40)]
        server.add("/news/", section(links))
        for link in links:
            server.add(link, Route(article_page(headline=link), delay=0.5))
        (tmp_path / "s.toml").write_text(SLOW_SITE_CONFIG.format(section=server.url("/news/")))
        child = subprocess.Popen(
            [*CLI, "--db", f"sqlite:///{tmp_path / 'a.db'}", "crawl", "--config", "s.toml"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(
                p.startswith("/news/s-") for p in server.paths()
            ):
                time.sleep(0.1)
            child.send_signal(getattr(signal, sig))
            out, err = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == code, err
    assert "Traceback" not in err
    assert f"storyline: error: interrupted by {sig}" in err
    assert "Crawl interrupted" in out


def test_extract_json_says_where_each_field_came_from(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_page(headline="A river rises", published="2026-10-20T09:15:00+02:00"))
    result = invoke("extract", str(page), "--url", "https://news.example/a", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["published_at"] == "2026-10-20T09:15:00+02:00"
    assert "organisation" in data
    fields = {p["field"] for p in data["provenance"]}
    assert "published_at" in fields
    assert all(set(p) == {"field", "source", "note"} for p in data["provenance"])
