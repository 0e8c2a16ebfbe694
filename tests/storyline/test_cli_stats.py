"""``storyline stats`` after real fetches from a loopback site: counts the test can see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result

from storyline.cli import cli
from tests.httpserver import HTTPTestServer, Route
from tests.pages import DEFAULT_PARAGRAPHS, article_page


@pytest.fixture
def site() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.3") as server:
        yield server


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def test_stats_counts_what_was_fetched(db_url: str, site: HTTPTestServer) -> None:
    site.add("/news/ferry", article_page())
    site.add("/news/library", article_page(headline="Library reopens after the flood"))
    site.add("/news/teaser", article_page(paragraphs=("Subscribe to read more.",)))
    site.add("/news/gone", Route(status=404, body=b"not here"))
    for path in ("/news/ferry", "/news/library", "/news/teaser", "/news/gone"):
        run(db_url, "fetch", "--source", "coast", site.url(path))
    site.add("/news/ferry", article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "A new paragraph.")))
    assert run(db_url, "fetch", site.url("/news/ferry")).exit_code == 0

    result = run(db_url, "stats", "--json", "--days", "2")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (stats["articles"], stats["versions"], stats["sources"], stats["hosts"]) == (2, 3, 1, 1)
    assert stats["changed_articles"] == 1 and stats["change_rate"] == 0.5
    health = stats["health"]
    assert health["fetches"] == 5
    assert health["failures"] == {"http-status": 1}
    assert health["thin_pages"] == 1
    today = datetime.now(UTC).date().isoformat()
    assert stats["per_day"][-1]["day"] == today and len(stats["per_day"]) == 2
    # summed over the two days, so a run across midnight UTC counts the same
    assert sum(d["articles"] for d in stats["per_day"]) == 2
    assert sum(d["versions"] for d in stats["per_day"]) == 3
    coast, unknown = stats["per_source"]
    assert coast["source"] == "coast" and coast["articles"] == 2
    assert coast["health"]["fetches"] == 3
    # `fetch --source` files articles under the source, but a fetch that made no article
    # (the 404, the thin page) is not in the frontier: its source is not known
    assert unknown["source"] is None and unknown["articles"] == 0
    assert unknown["health"]["fetches"] == 2 and unknown["health"]["thin_pages"] == 1
    # every page body received is kept: ferry twice, library, and the thin teaser
    assert stats["storage"]["snapshots"] == 4
    text = run(db_url, "stats")
    assert text.exit_code == 0
    assert "articles 2, versions 3, sources 1, hosts 1" in text.stdout
    assert "coast" in text.stdout
