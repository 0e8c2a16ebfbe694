"""Issue 9, a record you can trust: crawls through loopback sites on both databases.

The crawl summary names the articles that changed; dates keep what the page stated.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.fetched import utcnow
from storage import find_article, list_versions, open_archive
from storage.states import Outcome
from storyline.cli import cli as storyline_cli
from tests import newssite as ns
from tests.httpserver import HTTPTestServer, Route
from tests.scraper.conftest import ServerFactory
from tests.scraper.test_crawl import crawl, crawl_toml, publish, source_toml


def test_the_summary_names_the_articles_that_are_new_or_changed(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    articles = publish(site, 3)
    site.add("/sitemap.xml", ns.urlset([(site.url(a.path), a.published) for a in articles]))
    text = crawl_toml(
        source_toml("s", sitemaps=[site.url("/sitemap.xml")], include=["/news/story-"])
    )

    first = crawl(text, engine, extraction_executor)
    assert first.new_articles == 3
    assert sorted(c.url for c in first.changed) == sorted(site.url(a.path) for a in articles)
    assert {(c.outcome, c.version, c.changes) for c in first.changed} == {
        (Outcome.NEW_ARTICLE, 1, ())
    }
    with Session(engine) as session:
        for change in first.changed:
            article = find_article(session, change.url)
            assert article is not None and article.id == change.article_id

    edited = replace(articles[1], headline=articles[1].headline + " (corrected)")
    site.add(edited.path, Route(ns.article_html(edited, site.origin)))
    lastmod = {a.path: a.published for a in articles} | {edited.path: utcnow()}
    site.add("/sitemap.xml", ns.urlset([(site.url(p), when) for p, when in lastmod.items()]))
    second = crawl(text, engine, extraction_executor)
    assert second.new_versions == 1
    [change] = second.changed
    assert change.url == site.url(edited.path)
    assert (change.outcome, change.version, change.changes) == (
        Outcome.NEW_VERSION,
        2,
        ("headline",),
    )
    assert second.as_dict()["changed"] == [
        {
            "url": change.url,
            "article_id": change.article_id,
            "version": 2,
            "outcome": "new-version",
            "changes": ["headline"],
        }
    ]


# -- honest dates (issue 9 item 3, the storage side) -----------------------------------


EST = timezone(timedelta(hours=-5))
STATED = datetime(2019, 11, 19, 10, 2, tzinfo=EST)


def _page_stating(site: HTTPTestServer, stated: str) -> ns.Article:
    """An article published 19 November 2019 whose machine-readable dates all say ``stated``."""
    article = ns.make_article("/news/story-0", 0, when=STATED)
    page = ns.article_html(article, site.origin).replace(STATED.isoformat(), stated)
    site.add(article.path, Route(page))
    return article


def test_a_stated_offset_survives_the_crawl_the_history_and_the_export(
    db_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    article = _page_stating(site, "2019-11-19T10:02:00-05:00")
    site.add("/news/", ns.section([article.path]))
    text = crawl_toml(source_toml("s", pages=[site.url("/news/")], include=["/news/story-"]))
    engine = open_archive(db_url)
    try:
        assert crawl(text, engine, extraction_executor).new_articles == 1
        with Session(engine) as session:
            found = find_article(session, site.url(article.path))
            assert found is not None
            [version] = list_versions(session, found)
        assert version.published == datetime(2019, 11, 19, 15, 2, tzinfo=UTC)
        assert version.published is not None
        assert version.published.utcoffset() == timedelta(hours=-5)
    finally:
        engine.dispose()

    history = json.loads(cli(db_url, "history", "--json", site.url(article.path)))
    assert history["versions"][0]["published_at"] == "2019-11-19T10:02:00-05:00"
    [record] = [json.loads(line) for line in cli(db_url, "export").splitlines()]
    assert record["published_at"] == "2019-11-19T10:02:00-05:00"


def cli(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(storyline_cli, ["--db", db_url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output
