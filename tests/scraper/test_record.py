"""Issue 9, a record you can trust: crawls through loopback sites on both databases.

The crawl summary names the articles that changed; dates keep what the page stated.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import replace

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.fetched import utcnow
from storage import find_article
from storage.states import Outcome
from tests import newssite as ns
from tests.httpserver import Route
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
