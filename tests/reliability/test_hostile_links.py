"""One hostile link must not cost a seed its other articles (issue 15, item 3).

A 3,000-character URL passes PostgreSQL's btree limit on the unique index of ``url.url``,
and a 270-character host name is longer than ``url.host`` holds; both used to abort the
seed's whole batch of links, in this crawl and every later one.
"""

from __future__ import annotations

import random
from concurrent.futures import Executor
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.urls import canonicalize
from storage import frontier
from storage.frontier import NewUrl
from tests import newssite as ns
from tests.scraper import conftest as scraper_fixtures
from tests.scraper.conftest import ServerFactory
from tests.scraper.test_crawl import crawl, crawl_toml, publish, source_toml, stored_urls

# the loopback sites and the warm extraction pool of the crawler tests
server_factory = scraper_fixtures.server_factory
extraction_executor = scraper_fixtures.extraction_executor

LONG_PATH = "/news/story-" + random.Random(3).randbytes(1500).hex()
LONG_HOST = ".".join(["h" * 52] * 5) + ".example"  # 272 characters


def test_a_hostile_link_costs_only_itself(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    articles = publish(site, 3)
    links = [
        articles[0].path,
        LONG_PATH,
        f"http://{LONG_HOST}/news/story-9",
        articles[1].path,
        articles[2].path,
    ]
    site.add("/news/", ns.section(links))
    text = crawl_toml(
        source_toml(
            "s",
            pages=[site.url("/news/")],
            include=["/news/story-"],
            hosts=[site.netloc.split(":")[0], "*.example"],
        )
    )

    summary = crawl(text, engine, extraction_executor)

    assert stored_urls(engine) == {canonicalize(site.url(a.path)) for a in articles}
    assert summary.new_articles == 3
    assert summary.refused_links == 2
    assert "2 links refused" in summary.paragraph()
    with Session(engine) as session:
        seed = frontier.get(session, canonicalize(site.url("/news/")))
        assert seed is not None and seed.state == frontier.DONE
    assert site.count(LONG_PATH) == 0

    again = crawl(text, engine, extraction_executor)
    assert again.refused_links == 2 and again.failures == 0
    assert site.count("/news/") == 2


def test_a_row_the_database_refuses_does_not_abort_the_others(engine: Engine) -> None:
    """Below the URL validation: the frontier itself skips a row its index cannot hold."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    urls = [f"http://a.example/news/{i}" for i in range(3)]
    # Incompressible: PostgreSQL compresses index entries, and "yyy…" would fit.
    hostile = "http://a.example/" + random.Random(9).randbytes(1600).hex()
    with Session(engine) as session, session.begin():
        added = frontier.add_urls(
            session,
            [
                NewUrl(urls[0], "a.example"),
                NewUrl(hostile, "a.example"),
                NewUrl(urls[1], "a.example"),
                NewUrl(urls[2], "a.example"),
            ],
            now,
        )
    with Session(engine) as session:
        for url in urls:
            assert frontier.get(session, url) is not None
    refused = engine.dialect.name == "postgresql"  # SQLite's index holds any length
    assert added == (3 if refused else 4)
    with Session(engine) as session:
        assert (frontier.get(session, hostile) is None) == refused
