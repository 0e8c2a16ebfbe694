"""``storyline crawl`` names what changed and sends the notifications (issue 13, items 1, 4):
``--json`` lists the changed articles, cron mode stays quiet on success but names them when
it speaks, and a failing webhook leaves the exit status alone and is retried next crawl."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from storyline.cli import cli
from tests.httpserver import HTTPTestServer, Route
from tests.schedules.site import NewsSite, Story, config_text
from tests.schedules.test_notify import Receiver, running_receiver

CLI = (sys.executable, "-c", "from storyline.cli import main; main()")


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with HTTPTestServer("127.0.0.2") as server:
        yield NewsSite(server)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from running_receiver()


def crawl(db_url: str, config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "crawl", "--config", str(config), "--revisit-all", *args]
    )
    return result.exit_code, result.stdout, result.stderr


def test_crawl_names_changes_and_notifies_through_failures(
    engine: Engine,
    db_url: str,
    site: NewsSite,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    site.add(Story("bridge", "Harbour bridge to close for repairs"))
    site.add(Story("budget", "Council agrees next year's budget"))
    config = tmp_path / "herald.toml"
    config.write_text(config_text(site, extra=f'[notify]\nurls = ["{receiver.url()}"]\n'))

    code, out, _ = crawl(db_url, config, "--json")
    first = json.loads(out)
    assert code == 0 and first["new_articles"] == 2
    assert sorted(c["url"] for c in first["changed"]) == [site.url("bridge"), site.url("budget")]
    assert first["notifications"]["queued"] == 0 and receiver.posts == []

    # A change, a receiver that fails, and a page that is gone (so cron mode speaks).
    site.edit("bridge", headline="Harbour bridge closes for nine months")
    site.add(Story("gone", "A story that was taken down"))
    site.server.add("/news/gone", Route(status=404))
    receiver.status = 500
    # as cron runs it: its own process, stdout and stderr not a terminal
    done = subprocess.run(
        [*CLI, "--db", db_url, "crawl", "--config", str(config), "--revisit-all"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    paragraph, changed = done.stdout.strip().splitlines()
    assert paragraph.startswith("Crawl finished") and "failed: 1" in paragraph
    assert changed == f"Changed: {site.url('bridge')} (headline)"
    # one line about it, with the service's reason (Apprise's own warning is left to -v)
    notify_lines = [line for line in done.stderr.splitlines() if "notif" in line.lower()]
    assert len(notify_lines) == 1, done.stderr
    assert f"notify json://127.0.0.4:{receiver.port}: not delivered" in notify_lines[0]
    assert "error=500" in notify_lines[0]
    assert len(receiver.posts) == 1

    # Cron mode, nothing failed: quiet; the pending message goes out now.
    receiver.status = 200
    receiver.posts.clear()
    code, out, _ = crawl(db_url, config)
    assert (code, out) == (0, "")
    assert [post["title"] for post in receiver.posts] == [
        "Changed: Harbour bridge closes for nine months"
    ]
    runs = json.loads(CliRunner().invoke(cli, ["--db", db_url, "runs", "--json"]).stdout)
    assert runs[0]["counts"]["notify_sent"] == 1 and runs[0]["counts"]["notify_pending"] == 0
    assert runs[1]["changed"] == [site.url("bridge")] and runs[1]["counts"]["notify_failed"] == 1
