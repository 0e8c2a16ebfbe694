"""Learned boilerplate applies backwards: a crawl leaves no learned line in any stored version."""

from __future__ import annotations

from concurrent.futures import Executor

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scraper.extraction import EXTRACTOR_VERSION, line_key
from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
from storage import boilerplate
from storage.models import Article, Version
from tests import newssite as ns
from tests.httpserver import HTTPTestServer, Route
from tests.scraper.conftest import ServerFactory
from tests.scraper.test_crawl import crawl, crawl_toml, source_toml

#: Per-site template lines printed inside every article body (not caught by any phrase list).
TEMPLATES = {
    0: (
        "Our reporters cover the valley from offices in Millbrook and Stonebridge",
        "Corrections to this page are handled by the standards desk on weekdays",
    ),
    1: (
        "The Harbour Ledger has been printed on the quay since the spring of its founding year",
        "Readers who spot an error may write to the night editor at the harbour office",
    ),
}
ARTICLES = 12


def template_site(server: HTTPTestServer, lines: tuple[str, ...], seed: int) -> list[str]:
    """``ARTICLES`` stories that end with the site's template ``lines``; their first paragraphs."""
    urls = []
    openings = []
    template = "\n".join(f"<p>{line}</p>" for line in lines)
    for i in range(ARTICLES):
        article = ns.make_article(f"/news/story-{i}", seed * 100 + i)
        body = "\n".join(f"<p>{p}</p>" for p in article.paragraphs)
        page = ns.article_html(article, server.origin).replace(body, body + "\n" + template)
        server.add(article.path, Route(page))
        urls.append((server.url(article.path), article.published))
        openings.append(article.paragraphs[0])
    server.add("/sitemap.xml", Route(ns.urlset(urls), content_type="application/xml"))
    return openings


def test_a_crawl_leaves_no_learned_line_in_any_stored_version(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    sites = [server_factory(), server_factory()]
    openings = [template_site(site, TEMPLATES[n], n + 1) for n, site in enumerate(sites)]
    sources = "\n".join(
        source_toml(f"site{n}", sitemaps=[site.url("/sitemap.xml")], include=["/news/story-"])
        for n, site in enumerate(sites)
    )
    summary = crawl(crawl_toml(sources), engine, extraction_executor)
    assert summary.new_articles == 2 * ARTICLES

    with Session(engine) as session:
        for n, site in enumerate(sites):
            host = site.netloc.split(":")[0]
            learned = boilerplate.explain(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)
            learned_keys = {line.key for line in learned}
            assert {line_key(t) for t in TEMPLATES[n]} <= learned_keys
            versions = session.scalars(
                select(Version).join(Article).where(Article.host == host)
            ).all()
            assert len(versions) == ARTICLES, "corrections never make a new version"
            for version in versions:
                assert version.number == 1
                for line in TEMPLATES[n]:
                    assert line not in version.body, f"version of article {version.article_id}"
            # the stories themselves are untouched
            assert sorted(v.body.split("\n\n")[0] for v in versions) == sorted(openings[n])
            corrected = boilerplate.corrections(session, host)
            # the articles stored before the lines were learned were corrected in place
            assert corrected, "the first articles were stored before anything was learned"
            for item in corrected:
                assert item.version == 1
                assert item.new_extractor == EXTRACTOR_VERSION
                assert set(TEMPLATES[n]) & set(item.removed)
