"""``storyline schedule run`` as a real process: SIGTERM in the middle of a crawl loses nothing."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from schedules.jobs import JobContext, cron_crawl
from storage.articles import get_article
from storage.models import RunLock, Url
from storage.revisits import mark_all_due
from tests.schedules.site import NewsSite, Story, config_text

ROOT = Path(__file__).resolve().parents[2]
STORIES = 6


def _versions(engine: Engine, site: NewsSite) -> dict[str, int]:
    with Session(engine) as session:
        return {slug: get_article(session, site.url(slug)).current_version for slug in site.stories}


def test_sigterm_mid_crawl_loses_nothing(
    engine: Engine,
    db_url: str,
    site: NewsSite,
    make_context: functools.partial[JobContext],
    tmp_path: Path,
) -> None:
    for n in range(STORIES):
        site.add(Story(f"story-{n}", f"Story number {n} about the harbour bridge"))
    text = config_text(
        site,
        extra='[schedule]\nrevisit_every = "1s"\n',
        source_extra='schedule = "0 0 1 1 *"',
    )
    path = tmp_path / "herald.toml"
    path.write_text(text)
    from scraper.config import load_config

    config = load_config(path)
    real = make_context(config, clock=lambda: datetime.now(UTC))
    assert cron_crawl(real)["new_articles"] == STORIES

    # Every story changes; all are due for a revisit; the site becomes slow.
    for n in range(STORIES):
        site.edit(f"story-{n}", headline=f"Story number {n}: the bridge closes for a year")
    with Session(engine) as session, session.begin():
        mark_all_due(session, datetime.now(UTC))
    site.delay = 0.4
    site.server.clear_log()

    env = {**os.environ, "STORYLINE_DB": db_url}
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyline.cli import main; main()",
            "schedule",
            "run",
            "--config",
            str(path),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(1200):  # bounded: until the daemon's crawl has fetched a story or two
            if sum(p.startswith("/news/") for p in site.server.paths()) >= 2:
                break
            if daemon.poll() is not None:
                break
            threading.Event().wait(0.05)
        assert daemon.poll() is None, daemon.stderr.read() if daemon.stderr else ""
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=120)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    assert daemon.returncode == 0, err
    assert "received SIGTERM" in err
    assert "scheduler stopped" in err
    # One line per job, not one per HTTP request or scheduler wake-up (issue 10).
    assert " httpx: " not in err and " apscheduler" not in err
    assert "Traceback" not in err

    # Nothing is left leased or locked; each story is either revisited or due again.
    with Session(engine) as session:
        states = dict(
            session.execute(select(Url.url, Url.state).where(Url.kind == "article")).all()
        )
        assert session.scalars(select(RunLock.name)).all() == []
    assert "leased" not in states.values()
    versions = _versions(engine, site)
    for slug, version in versions.items():
        assert version == 2 or states[site.url(slug)] == "new", (slug, version, states)
    assert 2 in versions.values()

    # The next crawl carries on: every story ends with its second version, none fetched twice.
    site.delay = 0.0
    site.server.clear_log()
    cron_crawl(real)
    assert set(_versions(engine, site).values()) == {2}
    for slug, version in versions.items():
        if version == 2:
            assert site.server.count(f"/news/{slug}") == 0
