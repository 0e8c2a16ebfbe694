"""``storyline schedule list`` and the exit status of a second ``schedule run``."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine

from schedules.jobs import JobContext
from schedules.runner import SCHEDULER_LOCK, Runner
from storage.locks import acquire
from storyline.cli import cli
from tests.schedules.site import NewsSite, config_text


def test_schedule_list_and_a_refused_second_daemon(
    engine: Engine,
    db_url: str,
    site: NewsSite,
    tmp_path: Path,
    make_context: functools.partial[JobContext],
) -> None:
    path = tmp_path / "herald.toml"
    path.write_text(config_text(site, source_extra='schedule = "*/30 * * * *"'))
    runner = CliRunner()

    before = runner.invoke(cli, ["--db", db_url, "schedule", "list", "--config", str(path)])
    assert before.exit_code == 0, before.output
    assert "discover:herald" in before.stdout and "(not stored yet)" in before.stdout

    from scraper.config import load_config

    Runner(make_context(load_config(path))).run(
        handle_signals=False, on_started=lambda r: r.request_stop(), poll=0.05
    )
    listed = runner.invoke(cli, ["--db", db_url, "schedule", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert sorted(j["id"] for j in data["jobs"]) == [
        "discover:herald",
        "housekeeping",
        "revisit-sweep",
    ]
    assert all(j["next_run_at"] != "-" for j in data["jobs"])
    assert data["scheduler"] == {"running": False, "owner": None}

    with acquire(engine, SCHEDULER_LOCK, "daemon@host-a:77", heartbeat=False):
        second = runner.invoke(cli, ["--db", db_url, "schedule", "run", "--config", str(path)])
        shown = runner.invoke(cli, ["--db", db_url, "schedule", "list"])
    assert second.exit_code == 75
    assert "another scheduler runs on this archive" in second.stderr
    assert "daemon@host-a:77" in second.stderr
    assert "scheduler: running (daemon@host-a:77)" in shown.stdout
