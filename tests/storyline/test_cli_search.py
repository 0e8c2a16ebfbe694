"""``storyline search`` end to end: pages fetched from a loopback site, then found by words."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from storyline.cli import cli
from storyline.exits import EXIT_USAGE
from tests.httpserver import HTTPTestServer
from tests.pages import DEFAULT_PARAGRAPHS, article_page


@pytest.fixture
def site() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.3") as server:
        yield server


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def test_search_finds_fetched_pages_with_snippets(db_url: str, site: HTTPTestServer) -> None:
    site.add("/news/ferry", article_page())
    site.add(
        "/news/library",
        article_page(
            headline="Library reopens after the flood",
            paragraphs=(
                "The town library reopened on Monday after the spring flood damaged its archive.",
                *DEFAULT_PARAGRAPHS[1:],
            ),
        ),
    )
    for path in ("/news/ferry", "/news/library"):
        assert run(db_url, "fetch", site.url(path)).exit_code == 0

    found = run(db_url, "search", "flood", "--json")
    assert found.exit_code == 0, found.stderr
    (hit,) = json.loads(found.stdout)
    assert hit["url"] == site.url("/news/library")
    assert hit["headline"] == "Library reopens after the flood"
    assert hit["version"] == 1
    assert "flood" in [m.casefold() for m in hit["matches"]]
    assert "\x02" not in hit["snippet"]

    text = run(db_url, "search", "quay")
    assert text.exit_code == 0
    assert site.url("/news/ferry") in text.stdout
    assert "**quay**" in text.stdout.casefold()
    assert "library" not in text.stdout.casefold()


def test_search_all_versions_and_source(db_url: str, site: HTTPTestServer) -> None:
    site.add("/news/ferry", article_page())
    assert run(db_url, "fetch", "--source", "coast", site.url("/news/ferry")).exit_code == 0
    site.add(
        "/news/ferry",
        article_page(
            headline="Ferry terminal saved by a late vote",
            paragraphs=(*DEFAULT_PARAGRAPHS[1:], "A late vote saved the terminal."),
        ),
    )
    assert run(db_url, "fetch", site.url("/news/ferry")).exit_code == 0

    latest = json.loads(run(db_url, "search", "crossings", "--json").stdout)
    assert latest == []  # "crossings" was only in the first version's first paragraph
    every = json.loads(run(db_url, "search", "crossings", "--all-versions", "--json").stdout)
    assert [h["version"] for h in every] == [1]
    assert json.loads(run(db_url, "search", "saved", "--source", "coast", "--json").stdout)
    assert json.loads(run(db_url, "search", "saved", "--source", "inland", "--json").stdout) == []


def test_a_bad_query_is_one_line_and_exit_2(db_url: str, site: HTTPTestServer) -> None:
    site.add("/news/ferry", article_page())
    assert run(db_url, "fetch", site.url("/news/ferry")).exit_code == 0
    bad = run(db_url, "search", '"ferry terminal')
    assert bad.exit_code == EXIT_USAGE
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("storyline: error: bad search query '\"ferry terminal'")
    assert bad.stdout == ""
