"""Every run recorded (issue 10, item 4): crawls and scheduler jobs leave a ``run`` row
with its end, counts, failures and the articles it changed; ``storyline runs`` and
``storyline schedule list`` show them."""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from schedules.jobs import JobContext, discover_source, housekeeping
from scraper.config import load_config
from storage.runs import list_runs
from storyline.cli import cli
from tests.schedules.conftest import WalkingClock, site_config
from tests.schedules.site import NewsSite, Story, config_text


def test_jobs_record_their_runs_and_name_what_changed(
    engine: Engine,
    db_url: str,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    tmp_path: Path,
) -> None:
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs"))
    site.add(Story("council-budget", "Council agrees next year's budget"))
    ctx = make_context(site_config(site))

    first = discover_source(ctx, "herald")
    assert sorted(c["url"] for c in first["changed"]) == sorted(
        [site.url("bridge-closes"), site.url("council-budget")]
    )
    clock.advance(timedelta(hours=2))
    site.edit("bridge-closes", headline="Harbour bridge closes for a month")
    second = discover_source(ctx, "herald")
    assert [c["url"] for c in second["changed"]] == [site.url("bridge-closes")]
    housekeeping(ctx)

    with Session(engine) as session:
        runs = list_runs(session)
    assert [(r.kind, r.job, r.exit_code) for r in runs] == [
        ("housekeeping", "housekeeping", 0),
        ("discovery", "discover:herald", 0),
        ("discovery", "discover:herald", 0),
    ]
    assert runs[1].changed == [site.url("bridge-closes")]
    assert runs[1].counts["new_versions"] == 1 and runs[2].counts["new_articles"] == 2
    assert all(r.finished_at is not None and r.finished_at >= r.started_at for r in runs)

    shown = CliRunner().invoke(cli, ["--db", db_url, "runs", "--json"])
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert [r["id"] for r in data] == [r.id for r in runs]
    assert data[1]["changed"] == [site.url("bridge-closes")]

    text = CliRunner().invoke(cli, ["--db", db_url, "runs"])
    assert "discovery discover:herald: exit 0; " in text.stdout
    assert f"    changed: {site.url('bridge-closes')}" in text.stdout

    config = tmp_path / "herald.toml"
    config.write_text(config_text(site, source_extra='schedule = "*/30 * * * *"'))
    listed = CliRunner().invoke(
        cli, ["--db", db_url, "schedule", "list", "--json", "--config", str(config)]
    )
    jobs = {j["id"]: j for j in json.loads(listed.stdout)["jobs"]}
    assert jobs["discover:herald"]["trigger"] == "*/30 * * * *"
    assert jobs["discover:herald"]["last_run"]["id"] == runs[1].id
    assert jobs["discover:herald"]["last_run"]["changed"] == 1
    assert jobs["housekeeping"]["last_run"]["id"] == runs[0].id
    assert jobs["revisit-sweep"]["last_run"] is None
    assert load_config(config).sources[0].schedule == "*/30 * * * *"


def test_runs_since_filters_by_age(db_url: str, engine: Engine) -> None:
    from datetime import UTC, datetime

    from storage.runs import RunKind, recorded

    with recorded(engine, RunKind.CRAWL, clock=lambda: datetime(2020, 1, 1, tzinfo=UTC)):
        pass
    with recorded(engine, RunKind.CRAWL) as run:
        run.exit_code = 143
    recent = CliRunner().invoke(cli, ["--db", db_url, "runs", "--since", "1d", "--json"])
    assert [r["exit"] for r in json.loads(recent.stdout)] == [143]
    every = CliRunner().invoke(cli, ["--db", db_url, "runs", "--since", "2019-12-31", "--json"])
    assert len(json.loads(every.stdout)) == 2
    bad = CliRunner().invoke(cli, ["--db", db_url, "runs", "--since", "soon"])
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
