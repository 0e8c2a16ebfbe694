"""robots.txt policies, fetched from a real loopback server."""

from __future__ import annotations

import asyncio

from scraper.fetcher import Fetcher, FetchSettings
from scraper.robots import RobotsPolicy, fetch_robots
from tests.httpserver import HTTPTestServer, Route

UA = "storyline/0.1 (+https://example.org/contact)"

ROBOTS = """\
User-agent: storyline
Disallow: /private/
Crawl-delay: 2.5

User-agent: *
Disallow: /

Sitemap: https://example.com/sitemap.xml
Sitemap: https://example.com/news-sitemap.xml
"""


def fetch_policy(server: HTTPTestServer) -> RobotsPolicy:
    async def run() -> RobotsPolicy:
        settings = FetchSettings(
            user_agent=UA, allow_private_hosts=frozenset({server.host}), deadline=5
        )
        async with Fetcher(settings) as fetcher:
            return await fetch_robots(fetcher, server.origin)

    return asyncio.run(run())


def test_rules_for_our_agent() -> None:
    policy = RobotsPolicy.from_answer(200, ROBOTS)
    assert policy.allows("https://example.com/news/a", UA)
    assert not policy.allows("https://example.com/private/a", UA)
    assert not policy.allows("https://example.com/news/a", "OtherBot/1.0")
    assert policy.crawl_delay(UA) == 2.5
    assert policy.sitemaps == (
        "https://example.com/sitemap.xml",
        "https://example.com/news-sitemap.xml",
    )
    assert not policy.unreachable


def test_request_rate_is_a_crawl_delay() -> None:
    policy = RobotsPolicy.from_answer(200, "User-agent: *\nRequest-rate: 1/4\n")
    assert policy.crawl_delay(UA) == 4.0


def test_fetched_from_server(http_server: HTTPTestServer) -> None:
    http_server.add("/robots.txt", Route(ROBOTS, content_type="text/plain"))
    policy = fetch_policy(http_server)
    assert policy.status == 200
    assert not policy.allows(http_server.url("/private/x"), UA)
    assert policy.allows(http_server.url("/public"), UA)


def test_missing_robots_allows_all(http_server: HTTPTestServer) -> None:
    policy = fetch_policy(http_server)  # the server answers 404
    assert policy.status == 404
    assert policy.allows(http_server.url("/anything"), UA)
    assert not policy.unreachable


def test_forbidden_robots_allows_all(http_server: HTTPTestServer) -> None:
    http_server.add("/robots.txt", Route(status=403))
    assert fetch_policy(http_server).allows(http_server.url("/x"), UA)


def test_server_error_means_fetch_nothing(http_server: HTTPTestServer) -> None:
    http_server.add("/robots.txt", Route(status=503, headers={"Retry-After": "60"}))
    policy = fetch_policy(http_server)
    assert policy.unreachable
    assert not policy.allows(http_server.url("/x"), UA)


def test_unreachable_host_means_fetch_nothing() -> None:
    policy = asyncio.run(_unreachable())
    assert policy.status is None and policy.unreachable


async def _unreachable() -> RobotsPolicy:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings = FetchSettings(
        user_agent=UA, allow_private_hosts=frozenset({"127.0.0.2"}), deadline=5
    )
    async with Fetcher(settings) as fetcher:
        return await fetch_robots(fetcher, f"http://127.0.0.2:{port}")


def test_html_home_page_served_as_robots_is_ignored(http_server: HTTPTestServer) -> None:
    http_server.add("/robots.txt", "<!DOCTYPE html><html><body>Disallow: /</body></html>")
    assert fetch_policy(http_server).allows(http_server.url("/x"), UA)
