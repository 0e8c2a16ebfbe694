"""A small news site for reliability cases: a feed, articles with enough text, robots.txt."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tests.httpserver import HTTPTestServer, Route
from tests.reliability.harness import write_config

ROBOTS_ALLOW_ALL = "User-agent: *\nAllow: /\n"


def article_html(title: str, words: int = 300) -> str:
    """An article page that extracts to a real article (headline and a long paragraph)."""
    text = " ".join(f"{title.split()[-1].lower()}{j}" for j in range(words))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}.</p></article></body></html>"
    )


def serve_feed(site: HTTPTestServer, paths: Iterable[str], feed: str = "/feed.xml") -> str:
    """Serve an RSS feed linking ``paths`` on ``site``; return its URL."""
    items = "".join(f"<item><title>t</title><link>{site.url(p)}</link></item>" for p in paths)
    site.add(
        feed,
        Route(body=f"<rss><channel>{items}</channel></rss>", content_type="application/rss+xml"),
    )
    return site.url(feed)


def serve_articles(site: HTTPTestServer, paths: Iterable[str]) -> None:
    for i, path in enumerate(paths):
        site.add(path, article_html(f"Story number {i}"))


def crawl_config(path: Path, sources: str, **crawl: object) -> Path:
    """A sources file: ``[crawl]`` from keywords (delay 0, one worker by default), then ``sources``."""
    settings = {"delay": 0, "workers": 1, **crawl}
    lines = "\n".join(
        f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in settings.items()
    )
    return write_config(path, f"[crawl]\n{lines}\n\n{sources}\n")
