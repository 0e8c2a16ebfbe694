"""Issue 9, a record you can trust: crawls through loopback sites on both databases.

The crawl summary names the articles that changed; dates keep what the page stated.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.fetched import utcnow
from storage import find_article, list_versions, open_archive
from storage.models import Version
from storage.states import Outcome
from storyline.cli import cli as storyline_cli
from tests import newssite as ns
from tests.httpserver import Handler, HTTPTestServer, Request, Route
from tests.scraper.conftest import ServerFactory
from tests.scraper.test_crawl import article_count, crawl, crawl_toml, publish, source_toml


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


def _crawl_one(
    db_url: str, site: HTTPTestServer, article: ns.Article, executor: Executor
) -> Version:
    """Crawl a section page linking ``article`` and return the one version stored."""
    site.add("/news/", ns.section([article.path]))
    text = crawl_toml(source_toml("s", pages=[site.url("/news/")], include=["/news/story-"]))
    engine = open_archive(db_url)
    try:
        assert crawl(text, engine, executor).new_articles == 1
        with Session(engine) as session:
            found = find_article(session, site.url(article.path))
            assert found is not None
            [version] = list_versions(session, found)
        return version
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("stated", "expected"),
    [("2019-11-19T10:02:00-05:00", STATED), ("2019-11-19", date(2019, 11, 19))],
    ids=["offset", "day"],
)
def test_a_stated_date_survives_the_crawl_the_history_and_the_export(
    stated: str,
    expected: date,
    db_url: str,
    server_factory: ServerFactory,
    extraction_executor: Executor,
) -> None:
    """An instant keeps the page's -05:00; a value that is only a day stays a day."""
    site = server_factory()
    article = _page_stating(site, stated)
    version = _crawl_one(db_url, site, article, extraction_executor)
    assert version.published == expected and type(version.published) is type(expected)
    if isinstance(expected, datetime):
        assert version.published_at == datetime(2019, 11, 19, 15, 2, tzinfo=UTC)
        assert version.published.utcoffset() == timedelta(hours=-5)  # type: ignore[union-attr]
    else:
        assert version.published_at is None, "no time was invented"

    history = json.loads(cli(db_url, "history", "--json", site.url(article.path)))
    assert history["versions"][0]["published_at"] == stated
    [record] = [json.loads(line) for line in cli(db_url, "export").splitlines()]
    assert record["published_at"] == stated


def cli(db_url: str, *args: str) -> str:
    result = CliRunner().invoke(storyline_cli, ["--db", db_url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


# -- one notion of text (issue 9 item 4) -----------------------------------------------

STAMP = "Updated 2 hours ago"
NEW_PARAGRAPH = "The council will vote on the harbour budget again next Tuesday evening."
LATER_PARAGRAPH = "Residents may send written comments to the clerk until Monday."


def _revise(site: HTTPTestServer, article: ns.Article, *paragraphs: str) -> None:
    """Serve a new edition of ``article`` and tell the sitemap it changed just now."""
    edition = replace(article, paragraphs=(*article.paragraphs, *paragraphs))
    site.add(article.path, Route(ns.article_html(edition, site.origin)))
    site.add("/sitemap.xml", ns.urlset([(site.url(article.path), utcnow())]))


def test_noise_is_in_no_diff_and_every_count_agrees(
    db_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    [article] = publish(site, 1)
    site.add("/sitemap.xml", ns.urlset([(site.url(article.path), article.published)]))
    text = crawl_toml(source_toml("s", sitemaps=[site.url("/sitemap.xml")], include=["/news/"]))
    url = site.url(article.path)
    engine = open_archive(db_url)
    try:
        crawl(text, engine, extraction_executor)
        _revise(site, article, STAMP)  # a relative stamp alone makes no version
        assert crawl(text, engine, extraction_executor).new_versions == 0
        _revise(site, article, STAMP, NEW_PARAGRAPH)
        assert crawl(text, engine, extraction_executor).new_versions == 1
        _revise(site, article, STAMP, NEW_PARAGRAPH, LATER_PARAGRAPH)
        assert crawl(text, engine, extraction_executor).new_versions == 1
    finally:
        engine.dispose()

    history = json.loads(cli(db_url, "history", "--json", url))["versions"]
    assert [v["version"] for v in history] == [1, 2, 3]
    exported = [json.loads(line) for line in cli(db_url, "export", "--all-versions").splitlines()]
    added = len(NEW_PARAGRAPH.split())

    diff = json.loads(cli(db_url, "diff", "--json", url, "--to", "2"))
    inserted = " ".join(s["text"] for s in diff["body"] if s["op"] == "insert")
    assert inserted.strip() == NEW_PARAGRAPH, "the stamp is noise: no diff shows it"
    assert "ago" not in " ".join(s["text"] for s in diff["body"])
    assert (diff["words_added"], diff["words_removed"]) == (added, 0)
    stored = history[1]["changes"]["body"]
    assert (stored["words_added"], stored["words_removed"]) == (added, 0)
    assert diff["changes"]["body"] == stored
    # Word counts: history, export and the stored summary count the same words.
    assert history[1]["words"] == history[0]["words"] + added == stored["words_after"]
    assert [r["word_count"] for r in exported] == [v["words"] for v in history]
    shown = cli(db_url, "diff", "--no-color", url, "--to", "2")
    assert f"+{added}/−0 words" in shown and f"body: +{added} / -0 words" in shown
    assert "{+" + NEW_PARAGRAPH + "+}" in shown and "ago" not in shown
    assert f"+{added}/−0 words" in cli(db_url, "history", url)

    # diff --from 1 --to 3 summarises 1 → 3, not the stored 2 → 3.
    both = added + len(LATER_PARAGRAPH.split())
    span = json.loads(cli(db_url, "diff", "--json", url, "--from", "1", "--to", "3"))
    assert (span["words_added"], span["changes"]["body"]["words_added"]) == (both, both)
    assert f"+{both}/−0 words" in cli(db_url, "diff", "--no-color", url, "--from", "1", "--to", "3")


# -- discovery through unchanged parents (issue 9 item 1) ------------------------------


def conditional(body: str, content_type: str = "application/xml") -> Handler:
    """A resource with an ETag that answers a matching If-None-Match with 304."""
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:16]}"'

    def answer(request: Request) -> Route:
        if request.headers.get("if-none-match") == etag:
            return Route(status=304, body=b"", content_type=None, headers={"ETag": etag})
        return Route(body, content_type=content_type, headers={"ETag": etag})

    return answer


def test_a_child_sitemap_is_read_behind_an_unchanged_index(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    articles = publish(site, 2)
    index = ns.sitemap_index([(site.url("/sitemap-news.xml"), articles[0].published)])
    site.add("/sitemap.xml", conditional(index))
    first_child = ns.urlset([(site.url(articles[0].path), articles[0].published)])
    site.add("/sitemap-news.xml", conditional(first_child))
    text = crawl_toml(source_toml("s", sitemaps=[site.url("/sitemap.xml")], include=["/news/"]))
    assert crawl(text, engine, extraction_executor).new_articles == 1

    # The child gains a story; the index is byte-identical (same lastmod) and answers 304.
    grown = ns.urlset([(site.url(a.path), a.published) for a in articles])
    site.add("/sitemap-news.xml", conditional(grown))
    second = crawl(text, engine, extraction_executor)
    assert [r.headers.get("if-none-match") is not None for r in site.requests("/sitemap.xml")] == [
        False,
        True,
    ]
    assert second.new_articles == 1
    assert site.count(articles[1].path) == 1

    # Nothing changed anywhere: both sitemaps answer 304, no article is downloaded again.
    third = crawl(text, engine, extraction_executor)
    assert third.new_articles == 0 and site.count(articles[0].path) == 1
    assert [r.headers.get("if-none-match") is not None for r in site.requests("/sitemap-news.xml")][
        -1
    ]

    # The child's newer <lastmod> for a known article makes that article due.
    site.add(
        "/sitemap-news.xml",
        conditional(
            ns.urlset([(site.url(articles[0].path), utcnow()), (site.url(articles[1].path), None)])
        ),
    )
    crawl(text, engine, extraction_executor)
    assert site.count(articles[0].path) == 2 and site.count(articles[1].path) == 1


def test_page_two_of_a_section_is_read_behind_an_unchanged_page_one(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    articles = publish(site, 3)
    page_one = ns.section([articles[0].path, "/news/?page=2"])
    site.add("/news/", conditional(page_one, "text/html"))
    site.add("/news/?page=2", conditional(ns.section([articles[1].path]), "text/html"))
    text = crawl_toml(
        source_toml(
            "s", pages=[site.url("/news/")], include=["/news/story-"], follow=[r"\?page=\d+$"]
        )
    )
    assert crawl(text, engine, extraction_executor).new_articles == 2

    site.add(
        "/news/?page=2", conditional(ns.section([articles[1].path, articles[2].path]), "text/html")
    )
    second = crawl(text, engine, extraction_executor)
    assert site.requests("/news/")[-1].headers.get("if-none-match") is not None
    assert second.new_articles == 1 and site.count(articles[2].path) == 1


# -- moved stories stay one story (issue 9 item 2) -------------------------------------


def test_a_slug_move_with_a_headline_edit_stays_one_article(
    db_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    old = ns.make_article("/news/story-harbour-vote", 1)
    site.add(old.path, Route(ns.article_html(old, site.origin)))
    site.add("/sitemap.xml", ns.urlset([(site.url(old.path), old.published)]))
    text = crawl_toml(source_toml("s", sitemaps=[site.url("/sitemap.xml")], include=["/news/"]))
    engine = open_archive(db_url)
    try:
        crawl(text, engine, extraction_executor)
        # The slug changes with the headline; the old URL answers 301 to the new one.
        moved = replace(
            old, path="/news/story-harbour-vote-delayed", headline="Harbour vote delayed"
        )
        site.add(moved.path, Route(ns.article_html(moved, site.origin)))
        site.add(old.path, Route(status=301, headers={"Location": moved.path}))
        site.add("/sitemap.xml", ns.urlset([(site.url(old.path), utcnow())]))
        second = crawl(text, engine, extraction_executor)
        assert second.new_versions == 1 and second.new_articles == 0
        # A later discovery of the new URL finds the same article: no second one.
        site.add("/sitemap.xml", ns.urlset([(site.url(moved.path), utcnow())]))
        crawl(text, engine, extraction_executor)
        with Session(engine) as session:
            article = find_article(session, site.url(moved.path))
            assert article is not None and article.url == site.url(moved.path)
            assert find_article(session, site.url(old.path)) is article
        assert article_count(engine) == 1
    finally:
        engine.dispose()

    for url in (site.url(old.path), site.url(moved.path)):
        history = json.loads(cli(db_url, "history", "--json", url))
        assert history["url"] == site.url(moved.path)
        assert [v["version"] for v in history["versions"]] == [1, 2]
        assert history["versions"][1]["changes"]["moved"]["from"] == site.url(old.path)
        assert site.url(old.path) in [a["url"] for a in history["aliases"]]
        assert "headline" in history["versions"][1]["changed"]
    shown = cli(db_url, "history", site.url(old.path))
    assert f"moved from {site.url(old.path)}" in shown
    assert f"also at {site.url(old.path)} (since " in shown
    assert json.loads(cli(db_url, "diff", "--json", site.url(old.path)))["to"] == 2


def test_amp_and_print_variants_are_downloaded_once_ever(
    db_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    [article] = publish(site, 1)
    page = ns.article_html(article, site.origin)  # declares rel=canonical to the article
    site.add(article.path + "/amp", Route(page))
    site.add(article.path + "?print=1", Route(page))
    links = [article.path + "/amp", article.path + "?print=1", article.path]
    site.add("/news/", ns.section(links))
    text = crawl_toml(source_toml("s", pages=[site.url("/news/")], include=["/news/story-"]))
    engine = open_archive(db_url)
    try:
        for _ in range(3):
            crawl(text, engine, extraction_executor)
        assert article_count(engine) == 1
        with Session(engine) as session:
            found = find_article(session, site.url(article.path + "/amp"))
            assert found is not None and found.url == site.url(article.path)
            assert find_article(session, site.url(article.path + "?print=1")) is not None
    finally:
        engine.dispose()
    downloads = site.count(article.path + "/amp") + site.count(article.path + "?print=1")
    assert downloads <= 2, f"variants downloaded {downloads} times in three crawls"
    assert site.count(article.path) <= 1


def test_a_printed_local_time_with_a_zone_becomes_its_instant(
    db_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    """No machine-readable date at all: only the printed line with a zone abbreviation."""
    site = server_factory()
    article = ns.make_article("/news/story-0", 0)
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article.paragraphs)
    site.add(
        article.path,
        Route(
            f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{article.headline}</title></head><body><main><article>
<h1>{article.headline}</h1>
<p class="byline">By {article.author}</p>
<p class="dateline">Published 10:02 AM EST Nov 19, 2019</p>
{paragraphs}
</article></main></body></html>"""
        ),
    )
    version = _crawl_one(db_url, site, article, extraction_executor)
    assert version.published == datetime(2019, 11, 19, 15, 2, tzinfo=UTC)
    assert version.published is not None and version.published.utcoffset() == EST.utcoffset(None)
    [record] = [json.loads(line) for line in cli(db_url, "export").splitlines()]
    assert record["published_at"] == "2019-11-19T10:02:00-05:00"
