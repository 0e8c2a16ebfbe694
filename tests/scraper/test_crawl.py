"""The crawler end to end: real sites on 127.0.0.x, real databases, real extraction.

Each test builds a small news site on one or more loopback "hosts", writes a sources file,
crawls it and checks what the servers saw (their request logs) and what the archive holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Executor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from scraper.config import parse_config
from scraper.crawl import run_crawl
from scraper.fetched import utcnow
from scraper.summary import CrawlSummary
from scraper.urls import canonicalize
from storage import find_article, frontier, hosts, open_archive
from storage.models import Article, Url
from storyline.cli import cli
from tests import newssite as ns
from tests.httpserver import HTTPTestServer, Request, Route, gzip_bomb
from tests.scraper.conftest import ServerFactory

UA = "storyline-test/1 (+https://example.org/contact)"
EPSILON = 0.005  # clock granularity between two requests' arrival stamps


def crawl_toml(sources: str, **crawl: object) -> str:
    settings: dict[str, object] = {
        "delay": 0,
        "user_agent": UA,
        "max_wait": 5,
        "backoff": 0.2,
        "deadline": 5,
        "read_timeout": 3,
        "connect_timeout": 2,
    }
    settings.update(crawl)
    lines = ["[crawl]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    return "\n".join(lines) + "\n\n" + sources


def source_toml(name: str, **lists: Iterable[str]) -> str:
    lines = ["[[source]]", f'name = "{name}"']
    for key, values in lists.items():
        lines.append(f"{key} = [{', '.join(json.dumps(v) for v in values)}]")
    return "\n".join(lines) + "\n"


def crawl(text: str, engine: Engine, executor: Executor, **kw: Any) -> CrawlSummary:
    return run_crawl(
        parse_config(text, "test.toml"), engine, handle_signals=False, executor=executor, **kw
    )


def publish(
    server: HTTPTestServer, count: int, *, start: int = 0, **route: Any
) -> list[ns.Article]:
    articles = [ns.make_article(f"/news/story-{i}", i) for i in range(start, start + count)]
    for article in articles:
        server.add(article.path, Route(ns.article_html(article, server.origin), **route))
    return articles


def article_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def stored_urls(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(Article.url)))


def states(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return frontier.counts(session)


def assert_polite(server: HTTPTestServer, gap: float) -> None:
    gaps = server.gaps()
    assert gaps, "expected several requests"
    assert min(gaps) >= gap - EPSILON, f"requests {min(gaps):.3f}s apart, configured {gap}s"


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterable[Engine]:
    engine = open_archive(sqlite_url)
    yield engine
    engine.dispose()


INCLUDE = r"/news/story-[0-9]+$"


# -- discovery, duplicates, scope, robots (both databases) ----------------------------


def test_crawl_archives_each_article_once_within_scope_and_robots(
    engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    elsewhere = server_factory()
    articles = publish(site, 6)
    publish(elsewhere, 1, start=7)
    url = site.url
    site.add(
        "/robots.txt", Route("User-agent: *\nDisallow: /news/story-5\n", content_type="text/plain")
    )
    site.add(
        "/feed.xml",
        Route(
            ns.rss(
                [
                    (url("/news/story-0"), "a", articles[0].published),
                    (
                        url("/news/story-1?utm_source=rss&utm_medium=feed"),
                        "b",
                        articles[1].published,
                    ),
                    (url("/news/story-2#comments"), "c", articles[2].published),
                ],
                site.origin,
            ),
            content_type="application/rss+xml",
        ),
    )
    site.add(
        "/sitemap.xml",
        Route(
            ns.urlset([(url(f"/news/story-{i}"), articles[i].published) for i in (1, 2, 3, 4)]),
            content_type="application/xml",
        ),
    )
    site.add(
        "/news/",
        ns.section(
            [f"/news/story-{i}" for i in range(6)]
            + [
                "/news/story-1?fbclid=abc",
                "/tag/story-9",
                elsewhere.url("/news/story-7"),
                "HTTP://" + site.netloc.upper() + "/news/story-3",
            ]
        ),
    )
    text = crawl_toml(
        source_toml(
            "herald",
            feeds=[url("/feed.xml")],
            sitemaps=[url("/sitemap.xml")],
            pages=[url("/news/")],
            include=[INCLUDE],
            exclude=["/tag/"],
        )
    )
    summary = crawl(text, engine, extraction_executor)

    for i in range(5):
        assert site.count(f"/news/story-{i}") == 1, (
            f"story-{i} downloaded {site.count(f'/news/story-{i}')} times"
        )
    assert site.count("/news/story-5") == 0, "robots.txt disallowed it"
    assert site.count("/tag/story-9") == 0
    assert elsewhere.requests() == [], "another host is out of the source's scope"
    assert summary.new_articles == 5
    assert summary.failed == {"robots": 1}
    assert summary.seeds_read == 3
    assert not summary.all_failed
    assert stored_urls(engine) == {canonicalize(url(f"/news/story-{i}")) for i in range(5)}
    assert states(engine) == {"new": 0, "leased": 0, "done": 8, "failed": 1}
    with Session(engine) as session:
        row = frontier.get(session, canonicalize(url("/news/story-0")))
        assert row is not None and row.article_id is not None and row.last_status == 200

    # The next crawl reads the seeds again but downloads no article a second time.
    again = crawl(text, engine, extraction_executor)
    for i in range(5):
        assert site.count(f"/news/story-{i}") == 1
    assert site.count("/feed.xml") == 2
    assert again.new_articles == 0 and again.found == 0
    assert article_count(engine) == 5


def _redirecting_site(site: HTTPTestServer, in_feed: str, in_sitemap: str) -> str:
    """Two articles; /old/story-1 redirects to /news/story-1. The feed (read first) links
    ``in_feed``, the sitemap ``in_sitemap`` and story-0. Returns the sources file."""
    publish(site, 2)
    site.add("/old/story-1", Route(status=301, headers={"Location": "/news/story-1"}))
    when = ns.datetime(2024, 1, 2, tzinfo=ns.UTC)
    site.add("/feed.xml", Route(ns.rss([(site.url(in_feed), "x", when)], site.origin)))
    site.add(
        "/sitemap.xml",
        Route(ns.urlset([(site.url(in_sitemap), None), (site.url("/news/story-0"), None)])),
    )
    return crawl_toml(
        source_toml(
            "s",
            feeds=[site.url("/feed.xml")],
            sitemaps=[site.url("/sitemap.xml")],
            include=["/(news|old)/story-"],
        )
    )


@pytest.mark.parametrize(
    ("in_feed", "in_sitemap"),
    [
        ("/old/story-1", "/news/story-1"),  # the redirect first, then the article's own URL
        ("/news/story-1", "/old/story-1"),  # the article first, then a link redirecting to it
    ],
)
def test_a_redirect_is_an_alias_and_no_article_is_downloaded_twice(
    sqlite_engine: Engine,
    http_server: HTTPTestServer,
    extraction_executor: Executor,
    in_feed: str,
    in_sitemap: str,
) -> None:
    site = http_server
    summary = crawl(
        _redirecting_site(site, in_feed, in_sitemap), sqlite_engine, extraction_executor
    )
    assert site.count("/old/story-1") == 1
    assert site.count("/news/story-1") == 1, "the article was downloaded twice"
    assert summary.new_articles == 2 and summary.duplicates == 1
    with Session(sqlite_engine) as session:
        via_alias = find_article(session, canonicalize(site.url("/old/story-1")))
        assert via_alias is not None and via_alias.url == canonicalize(site.url("/news/story-1"))
        row = frontier.get(session, canonicalize(site.url("/old/story-1")))
        assert row is not None and row.state == "done" and row.article_id == via_alias.id
    assert states(sqlite_engine)["leased"] == 0


def test_rel_canonical_files_the_page_under_its_canonical_url(
    sqlite_engine: Engine, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    site = http_server
    article = ns.make_article("/amp/story-2", 2, canonical=site.url("/news/story-2"))
    site.add("/amp/story-2", ns.article_html(article, site.origin))
    site.add("/news/", ns.section(["/amp/story-2"]))
    text = crawl_toml(source_toml("s", pages=[site.url("/news/")], include=["/amp/story-"]))
    crawl(text, sqlite_engine, extraction_executor)
    assert stored_urls(sqlite_engine) == {canonicalize(site.url("/news/story-2"))}
    with Session(sqlite_engine) as session:
        assert find_article(session, canonicalize(site.url("/amp/story-2"))) is not None


# -- politeness -------------------------------------------------------------------------


def test_gap_between_requests_to_one_host_is_kept(
    sqlite_engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    a, b = server_factory(), server_factory()
    publish(a, 6)
    publish(b, 4)
    b.add("/robots.txt", Route("User-agent: *\nCrawl-delay: 0.5\n", content_type="text/plain"))
    a.add("/news/", ns.section([f"/news/story-{i}" for i in range(6)]))
    b.add("/news/", ns.section([f"/news/story-{i}" for i in range(4)]))
    text = crawl_toml(
        source_toml("a", pages=[a.url("/news/")], include=[INCLUDE])
        + source_toml("b", pages=[b.url("/news/")], include=[INCLUDE]),
        delay=0.25,
    )
    summary = crawl(text, sqlite_engine, extraction_executor)
    assert summary.new_articles == 10
    assert len(a.requests()) == 8  # robots.txt, the section page, six articles
    assert_polite(a, 0.25)
    assert_polite(b, 0.5)  # its crawl-delay is larger than ours
    assert [r.headers["user-agent"] for r in a.requests()] == [UA] * 8


def test_503_with_retry_after_is_waited_for_then_fetched(
    sqlite_engine: Engine, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    site = http_server
    publish(site, 2)
    page = site.routes["/news/story-0"]
    calls: list[float] = []

    def busy_once(request: Request) -> Route:
        calls.append(request.at)
        if len(calls) == 1:
            return Route(status=503, headers={"Retry-After": "1"}, body="busy")
        assert isinstance(page, Route)
        return page

    site.add("/news/story-0", busy_once)
    site.add(
        "/sitemap.xml",
        ns.urlset([(site.url("/news/story-0"), None), (site.url("/news/story-1"), None)]),
    )
    text = crawl_toml(source_toml("s", sitemaps=[site.url("/sitemap.xml")]), backoff=0.1)
    summary = crawl(text, sqlite_engine, extraction_executor)
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 1.0 - EPSILON
    # nothing at all was asked of the host during its Retry-After
    after_503 = [r.at for r in site.requests() if r.at > calls[0]]
    assert min(after_503) >= calls[0] + 1.0 - EPSILON
    assert summary.retries == 1 and summary.new_articles == 2 and not summary.failed
    with Session(sqlite_engine) as session:
        state = hosts.get_host(session, site.netloc)
        assert state is not None and state.consecutive_failures == 0


def test_backoff_is_remembered_by_the_next_crawl(
    sqlite_engine: Engine, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    site = http_server
    site.add("/news/story-0", Route(status=503, headers={"Retry-After": "120"}))
    site.add("/sitemap.xml", ns.urlset([(site.url("/news/story-0"), None)]))
    text = crawl_toml(source_toml("s", sitemaps=[site.url("/sitemap.xml")]), max_wait=1)
    first = crawl(text, sqlite_engine, extraction_executor)
    assert first.retries == 1 and first.pending == 1
    with Session(sqlite_engine) as session:
        state = hosts.get_host(session, site.netloc)
        assert state is not None and state.backoff_until is not None
        assert state.backoff_until - utcnow() > timedelta(seconds=100)
    seen = len(site.requests())
    second = crawl(text, sqlite_engine, extraction_executor)
    assert len(site.requests()) == seen, "the host asked us to wait two minutes"
    assert second.fetched == 0 and second.pending == 2  # the article, and the re-armed sitemap


def test_robots_server_error_means_nothing_is_fetched(
    sqlite_engine: Engine, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    site = http_server
    publish(site, 2)
    site.add("/robots.txt", Route(status=503))
    site.add("/news/", ns.section(["/news/story-0", "/news/story-1"]))
    text = crawl_toml(source_toml("s", pages=[site.url("/news/")]), max_wait=0.5, backoff=0.2)
    summary = crawl(text, sqlite_engine, extraction_executor)
    assert {r.path for r in site.requests()} == {"/robots.txt"}
    assert summary.fetched == 0 and summary.all_failed
    assert states(sqlite_engine)["new"] == 1  # the section page waits for the next crawl


# -- bad servers and errors -------------------------------------------------------------


def test_bad_pages_are_recorded_by_reason_and_the_crawl_goes_on(
    sqlite_engine: Engine, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    site = server_factory()
    private = server_factory()
    private.add("/secret", "<html><body>internal</body></html>")
    publish(site, 1)
    site.add(
        "/news/story-bomb",
        Route(body=gzip_bomb(64 * 1024 * 1024), headers={"Content-Encoding": "gzip"}),
    )
    site.add(
        "/news/story-drip", Route(body="<html>" + "x" * 400 + "</html>", drip=0.05, drip_size=1)
    )
    site.add("/news/story-pdf", Route(body=b"%PDF-1.7", content_type="application/pdf"))
    site.add("/news/story-gone", Route(status=404))
    site.add("/news/story-broken", Route(status=500))
    site.add("/news/story-sneaky", Route(status=302, headers={"Location": private.url("/secret")}))
    paths = [
        "story-0",
        "story-bomb",
        "story-drip",
        "story-pdf",
        "story-gone",
        "story-broken",
        "story-sneaky",
    ]
    site.add("/sitemap.xml", ns.urlset([(site.url(f"/news/{p}"), None) for p in paths]))
    text = crawl_toml(
        source_toml("s", sitemaps=[site.url("/sitemap.xml")]),
        max_bytes=1024 * 1024,
        deadline=1.0,
        max_attempts=2,
        backoff=0.1,
    )
    summary = crawl(text, sqlite_engine, extraction_executor)
    assert summary.new_articles == 1
    assert summary.failed == {
        "too-large": 1,
        "timeout": 1,
        "not-html": 1,
        "http-404": 1,
        "http-500": 1,
        "blocked-address": 1,
    }
    assert site.count("/news/story-gone") == 1, "a 404 is never retried"
    assert site.count("/news/story-broken") == 2, "a 500 is retried up to max_attempts"
    assert site.count("/news/story-drip") == 2
    assert private.requests() == [], "a redirect to a private address of another host is refused"
    with Session(sqlite_engine) as session:
        errors = dict(
            session.execute(select(Url.url, Url.last_error).where(Url.state == "failed")).all()
        )
    assert errors[canonicalize(site.url("/news/story-pdf"))].startswith("not-html")


def test_every_fetch_failing_is_reported(
    sqlite_engine: Engine, extraction_executor: Executor
) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    port = sock.getsockname()[1]
    sock.close()
    text = crawl_toml(
        source_toml("s", feeds=[f"http://127.0.0.2:{port}/feed"]),
        max_wait=0.5,
        max_attempts=1,
        obey_robots=False,
    )
    summary = crawl(text, sqlite_engine, extraction_executor)
    assert summary.all_failed
    assert summary.failed == {"connect": 1}


# -- interruption and resumption --------------------------------------------------------

CRAWL_SCRIPT = """
import sys
from scraper.config import load_config
from scraper.crawl import run_crawl
from storage import open_archive

if __name__ == "__main__":
    summary = run_crawl(load_config(sys.argv[1]), open_archive(sys.argv[2]))
    print(summary.paragraph(), flush=True)
"""


def _start_crawl_process(tmp_path: Path, text: str, db_url: str) -> subprocess.Popen[str]:
    config = tmp_path / "sources.toml"
    config.write_text(text)
    script = tmp_path / "crawl_once.py"
    script.write_text(CRAWL_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen(
        [sys.executable, str(script), str(config), db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def _kill_all(process: subprocess.Popen[str]) -> None:
    """SIGKILL the crawl and everything it started (its forkserver and extraction workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _wait_for_articles(
    engine: Engine, at_least: int, process: subprocess.Popen[str], timeout: float = 90
) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if article_count(engine) >= at_least:
            return
        if process.poll() is not None:
            raise AssertionError(f"crawl ended early: {process.communicate()}")
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"no {at_least} articles within {timeout}s: {process.communicate()}")


def _slow_site(server: HTTPTestServer, count: int) -> str:
    publish(server, count, delay=0.15)
    server.add(
        "/sitemap.xml", ns.urlset([(server.url(f"/news/story-{i}"), None) for i in range(count)])
    )
    return crawl_toml(source_toml("slow", sitemaps=[server.url("/sitemap.xml")]), concurrency=1)


def test_crawl_killed_with_sigkill_resumes_without_refetching(
    tmp_path: Path, sqlite_url: str, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    count = 30
    text = _slow_site(http_server, count)
    engine = open_archive(sqlite_url)
    process = _start_crawl_process(tmp_path, text, sqlite_url)
    try:
        _wait_for_articles(engine, 5, process)
    finally:
        _kill_all(process)
    before = stored_urls(engine)
    assert 5 <= len(before) < count
    assert states(engine)["leased"] > 0, "the killed crawl held leases"

    summary = crawl(text, engine, extraction_executor)
    assert article_count(engine) == count
    for url in before:
        path = url.split(http_server.netloc, 1)[1]
        assert http_server.count(path) == 1, (
            f"{path} was archived before the kill and fetched again"
        )
    for i in range(count):
        assert http_server.count(f"/news/story-{i}") <= 2
    assert summary.new_articles == count - len(before)
    assert states(engine)["leased"] == 0
    engine.dispose()


def test_sigterm_stops_cleanly_and_hands_leases_back(
    tmp_path: Path, sqlite_url: str, http_server: HTTPTestServer, extraction_executor: Executor
) -> None:
    count = 30
    text = _slow_site(http_server, count)
    engine = open_archive(sqlite_url)
    process = _start_crawl_process(tmp_path, text, sqlite_url)

    def fetched() -> set[str]:
        return {r.path for r in http_server.requests() if r.path.startswith("/news/story-")}

    end = time.monotonic() + 90
    while len(fetched()) < 5 and time.monotonic() < end and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        _kill_all(process)  # nothing should be left, but never leak processes
    assert process.returncode == 0, err
    assert "interrupted" in out
    assert states(engine)["leased"] == 0, "unfetched URLs were handed back"
    before = fetched()
    assert 5 <= len(before) < count
    # Every page it had fetched was archived; at most the one request in flight when the
    # signal came was abandoned, and handed back with the rest.
    stored = stored_urls(engine)
    requested = {canonicalize(http_server.url(p)) for p in before}
    assert stored <= requested and len(requested - stored) <= 1
    crawl(text, engine, extraction_executor)
    assert article_count(engine) == count
    for url in stored:
        assert http_server.count(url.split(http_server.netloc, 1)[1]) == 1
    engine.dispose()


# -- several workers on one PostgreSQL frontier -----------------------------------------


@pytest.mark.postgres
def test_two_workers_share_a_postgres_frontier_politely(
    postgres_url: str, server_factory: ServerFactory, extraction_executor: Executor
) -> None:
    a, b = server_factory(), server_factory()
    for server in (a, b):
        publish(server, 12)
        server.add(
            "/sitemap.xml", ns.urlset([(server.url(f"/news/story-{i}"), None) for i in range(12)])
        )
    text = crawl_toml(
        source_toml("a", sitemaps=[a.url("/sitemap.xml")])
        + source_toml("b", sitemaps=[b.url("/sitemap.xml")]),
        delay=0.15,
    )
    engine = open_archive(postgres_url)
    summaries: list[CrawlSummary] = []
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        barrier.wait()
        summaries.append(crawl(text, engine, extraction_executor, owner=f"test-{name}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(summaries) == 2
    for server in (a, b):
        for i in range(12):
            assert server.count(f"/news/story-{i}") == 1
        assert_polite(server, 0.15)
    assert sum(s.new_articles for s in summaries) == 24
    assert article_count(engine) == 24
    engine.dispose()


# -- the command ------------------------------------------------------------------------


def invoke(db_url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", db_url, "crawl", *args])


def test_command_runs_and_summarises(
    tmp_path: Path, sqlite_url: str, http_server: HTTPTestServer
) -> None:
    publish(http_server, 2)
    http_server.add("/news/", ns.section(["/news/story-0", "/news/story-1"]))
    config = tmp_path / "storyline.toml"
    config.write_text(
        crawl_toml(
            source_toml("s", pages=[http_server.url("/news/")], include=[INCLUDE]), workers=1
        )
    )
    result = invoke(sqlite_url, "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.output == ""  # quiet under cron when all went well
    engine = open_archive(sqlite_url)
    assert article_count(engine) == 2
    engine.dispose()
    result = invoke(sqlite_url, "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["new_articles"] == 0 and data["seeds_read"] == 1 and data["failed"] == {}


def test_command_bad_config_names_line_and_key(tmp_path: Path, sqlite_url: str) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text(
        '[crawl]\ndelay = 1\n\n[[source]]\nname = "x"\nfeedz = ["http://a.example/"]\n'
    )
    result = invoke(sqlite_url, "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:6: source[0].feedz: unknown key 'feedz'" in result.output


def test_command_without_database_fails(tmp_path: Path) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text(crawl_toml(source_toml("s", pages=["http://127.0.0.2:9/"])))
    result = invoke(f"sqlite:///{tmp_path}/missing/dir/x.db", "--config", str(config))
    assert result.exit_code == 3
    assert "does not exist" in result.output


def test_command_when_every_fetch_fails(tmp_path: Path, sqlite_url: str) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = tmp_path / "storyline.toml"
    config.write_text(
        crawl_toml(
            source_toml("s", pages=[f"http://127.0.0.2:{port}/"]),
            max_attempts=1,
            obey_robots=False,
            workers=1,
        )
    )
    result = invoke(sqlite_url, "--config", str(config))
    assert result.exit_code == 1
    assert "every fetch failed" in result.output


def test_recent_set_forgets_the_oldest_beyond_its_size() -> None:
    from scraper.crawl import _RecentSet

    recent = _RecentSet(size=3)
    for url in ("http://a/1", "http://a/2", "http://a/1", "http://a/3", "http://a/4"):
        recent.add(url)
    assert "http://a/1" not in recent
    assert all(u in recent for u in ("http://a/2", "http://a/3", "http://a/4"))
    assert "http://a/5" not in recent
