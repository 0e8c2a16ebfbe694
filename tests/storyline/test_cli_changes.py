"""``storyline changes`` (issue 13, item 1): which stories changed, over real crawls of two
loopback sites on SQLite and PostgreSQL; each filter keeps some entries and drops others."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from storyline.cli import cli
from tests.httpserver import HTTPTestServer
from tests.schedules.site import NewsSite, Story, config_text

CORRECTION = "Correction: An earlier version of this story misnamed the union."


@dataclass
class Desk:
    """Two sources (herald on 127.0.0.2, gazette on 127.0.0.3), crawled three times."""

    herald: NewsSite
    gazette: NewsSite
    db_url: str
    config: Path
    #: a moment between the second and the third crawl
    between: datetime

    def changes(self, *args: str) -> list[dict[str, Any]]:
        result = run(self.db_url, "changes", "--json", *args)
        assert result.exit_code == 0, result.stderr
        data: list[dict[str, Any]] = json.loads(result.stdout)
        return data

    def slugs(self, *args: str) -> list[str]:
        return [entry["url"].rsplit("/", 1)[1] for entry in self.changes(*args)]


def run(db_url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", db_url, *args])


def crawl(desk_db: str, config: Path) -> None:
    result = run(desk_db, "crawl", "--config", str(config), "--revisit-all")
    assert result.exit_code == 0, result.stderr


def _config(herald: NewsSite, gazette: NewsSite) -> str:
    return config_text(herald) + f'\n[[source]]\nname = "gazette"\nfeeds = ["{gazette.feed_url}"]\n'


@pytest.fixture
def desk(engine: Engine, db_url: str, tmp_path: Path) -> Iterator[Desk]:
    with HTTPTestServer("127.0.0.2") as one, HTTPTestServer("127.0.0.3") as two:
        herald, gazette = NewsSite(one), NewsSite(two)
        herald.add(Story("bridge", "Harbour bridge to close for repairs"))
        herald.add(Story("budget", "Council agrees next year's budget"))
        gazette.add(Story("tram", "Tram drivers walk out over pay"))
        config = tmp_path / "desk.toml"
        config.write_text(_config(herald, gazette))

        crawl(db_url, config)  # three new articles
        herald.edit("bridge", headline="Harbour bridge closes for a whole year")
        gazette.edit("tram", note=CORRECTION)
        herald.edit("budget", minutes_ago=40)  # noise only: no version
        crawl(db_url, config)
        time.sleep(0.05)
        between = datetime.now(UTC)
        time.sleep(0.05)
        herald.edit("budget", authors=("Anna Berg", "Tom Lee"))
        crawl(db_url, config)
        yield Desk(herald, gazette, db_url, config, between)


def test_changes_lists_versions_newest_first_with_what_changed(desk: Desk) -> None:
    entries = desk.changes()
    assert entries[0]["url"] == desk.herald.url("budget")
    assert sorted(e["url"].rsplit("/", 1)[1] for e in entries) == ["bridge", "budget", "tram"]
    times = [e["fetched_at"] for e in entries]
    assert times == sorted(times, reverse=True)
    by_slug = {e["url"].rsplit("/", 1)[1]: e for e in entries}
    assert by_slug["bridge"]["kinds"] == ["headline"]
    assert by_slug["bridge"]["headline"] == "Harbour bridge closes for a whole year"
    assert by_slug["bridge"]["source"] == "herald" and by_slug["tram"]["source"] == "gazette"
    assert by_slug["bridge"]["url"] == desk.herald.url("bridge")
    assert (by_slug["bridge"]["version"], by_slug["bridge"]["previous"]) == (2, 1)
    assert by_slug["budget"]["kinds"] == ["byline"]
    assert "correction" in by_slug["tram"]["kinds"]
    assert by_slug["tram"]["correction"] == CORRECTION
    assert by_slug["tram"]["words_added"] == 10 and by_slug["tram"]["words_removed"] == 0


def test_each_filter_keeps_and_drops(desk: Desk) -> None:
    assert desk.slugs("--source", "gazette") == ["tram"]
    assert sorted(desk.slugs("--source", "herald")) == ["bridge", "budget"]
    assert sorted(desk.slugs("--source", "herald", "--source", "gazette")) == [
        "bridge",
        "budget",
        "tram",
    ]
    assert desk.slugs("--kind", "headline") == ["bridge"]
    assert desk.slugs("--kind", "correction") == ["tram"]
    assert desk.slugs("--kind", "byline") == ["budget"]
    assert desk.slugs("--kind", "byline", "--kind", "correction") == ["budget", "tram"]
    assert desk.slugs("--kind", "dates") == []
    assert desk.slugs("--headline", "WHOLE YEAR") == ["bridge"]

    between = desk.between.isoformat()
    assert desk.slugs("--since", between) == ["budget"]
    assert sorted(desk.slugs("--until", between)) == ["bridge", "tram"]
    assert len(desk.slugs("--since", "1h")) == 3
    assert desk.slugs("--until", "2020-01-01") == []
    assert desk.slugs("--limit", "1") == ["budget"]

    with_new = desk.changes("--new")
    assert len(with_new) == 6
    assert sorted(e["url"].rsplit("/", 1)[1] for e in with_new if e["kinds"] == ["new"]) == [
        "bridge",
        "budget",
        "tram",
    ]
    assert sorted(desk.slugs("--kind", "new")) == ["bridge", "budget", "tram"]


def test_text_output_names_time_source_kinds_words_url_and_headline(desk: Desk) -> None:
    result = run(desk.db_url, "changes", "--source", "gazette")
    assert result.exit_code == 0, result.stderr
    first, note = result.stdout.splitlines()
    when, source, kinds, words, url, *headline = first.split()
    assert datetime.fromisoformat(when) < datetime.now(UTC)
    assert source == "gazette" and "correction" in kinds.split(",")
    assert words == "+10/−0" and url == desk.gazette.url("tram")
    assert " ".join(headline) == "Tram drivers walk out over pay"
    assert note == f"    correction note: “{CORRECTION}”"

    empty = run(desk.db_url, "changes", "--until", "2020-01-01")
    assert (empty.exit_code, empty.stdout) == (0, "no changes in that time\n")


def test_bad_input_is_one_line_and_exit_2(sqlite_url: str) -> None:
    for args in (["--kind", "weather"], ["--since", "soon"], ["--limit", "0"]):
        result = run(sqlite_url, "changes", *args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_changes_never_creates_an_archive(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    result = run(f"sqlite:///{missing}", "changes")
    assert result.exit_code != 0
    assert not missing.exists()
    assert len(result.stderr.strip().splitlines()) == 1
