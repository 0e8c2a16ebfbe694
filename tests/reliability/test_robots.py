"""robots.txt from hostile or unusual servers: oversized files, IPv6-literal hosts."""

from __future__ import annotations

from pathlib import Path

from tests.httpserver import HTTPTestServer, Route
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import MIB, integrity_ok, run_cli, sqlite_url
from tests.reliability.site import ROBOTS_ALLOW_ALL, crawl_config, serve_articles, serve_feed


def _crawl(tmp_path: Path, feed: str, **crawl: object) -> tuple[str, Path]:
    db = tmp_path / "archive.db"
    config = crawl_config(
        tmp_path / "sources.toml", f'[[source]]\nname = "site"\nfeeds = ["{feed}"]', **crawl
    )
    run = run_cli(["--db", sqlite_url(db), "crawl", "--json", "--config", str(config)], timeout=180)
    run.assert_clean(exit_code=0, within=120)
    assert integrity_ok(db)
    return run.stdout, db


def test_robots_txt_over_the_body_cap_is_obeyed_from_its_first_500_kib(
    hostile_server: ServerFactory, tmp_path: Path
) -> None:
    site = hostile_server()
    rules = "User-agent: *\nDisallow: /private/\n"
    padding = "# " + "x" * 98 + "\n"
    site.add(
        "/robots.txt",
        Route(body=rules + padding * (12 * MIB // len(padding)), content_type="text/plain"),
    )
    paths = ["/private/secret-story", "/news/open-story"]
    serve_articles(site, paths)
    feed = serve_feed(site, paths)
    _crawl(tmp_path, feed, max_bytes=10 * MIB)
    assert site.count("/news/open-story") == 1
    assert site.count("/private/secret-story") == 0


def test_a_site_on_an_ipv6_literal_host_is_crawled(tmp_path: Path) -> None:
    with HTTPTestServer("::1") as site:
        site.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))
        paths = ["/news/first-story", "/news/second-story"]
        serve_articles(site, paths)
        feed = serve_feed(site, paths)
        out, _ = _crawl(tmp_path, feed)
        assert site.count("/robots.txt") == 1
        assert site.count("/news/first-story") == 1 and site.count("/news/second-story") == 1
    assert '"new_articles": 2' in out
