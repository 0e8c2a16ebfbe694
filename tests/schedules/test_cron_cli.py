"""``storyline crawl`` in cron mode: the run lock, --wait, quiet output, --json, revisits."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from schedules.jobs import CRAWL_LOCK
from storage.articles import get_article
from storage.locks import acquire
from storyline.cli import cli
from tests.schedules.site import NewsSite, Story, config_text


def _crawl(db_url: str, config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "crawl", "--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cron_crawl_lock_quiet_json_and_revisit_all(
    engine: Engine, db_url: str, site: NewsSite, tmp_path: Path
) -> None:
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs"))
    config = tmp_path / "herald.toml"
    config.write_text(config_text(site))

    with acquire(engine, CRAWL_LOCK, "cron@host-a:4242", heartbeat=False):
        code, out, err = _crawl(db_url, config)
    assert code == 75
    assert "another crawl is running" in err and "cron@host-a:4242" in err
    assert site.server.paths() == []

    # Not on a terminal and nothing failed: nothing on stdout (cron mails nothing).
    code, out, err = _crawl(db_url, config)
    assert (code, out) == (0, "")
    with Session(engine) as session:
        assert get_article(session, site.url("bridge-closes")).next_revisit_at is not None

    # --revisit-all: the known article is fetched again at once, conditionally (304).
    site.server.clear_log()
    code, out, _ = _crawl(db_url, config, "--json", "--revisit-all")
    assert code == 0
    summary = json.loads(out)
    assert summary["not_modified"] == 1 and summary["new_articles"] == 0
    assert summary["revisits_queued"] == 1
    assert site.server.requests("/news/bridge-closes")[0].headers.get("if-none-match")
