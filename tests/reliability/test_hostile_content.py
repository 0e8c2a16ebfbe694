"""Hostile *content* through a whole crawl: one odd article or feed item never costs the others.

Each case serves a feed of ordinary stories plus one hostile thing on loopback, crawls it
with the real CLI in a child process, and checks the exit status, a bounded time, no
traceback, every ordinary story archived, and the SQLite file intact.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.httpserver import HTTPTestServer, Route
from tests.reliability.harness import integrity_ok, run_cli, write_config
from tests.schedules.site import PARAGRAPHS, NewsSite, Story, config_text

ORDINARY = ("harbour-bridge", "ferry-fares", "school-roof")


def _archived(db: Path) -> dict[str, int]:
    """Stored articles by URL path → word count of their current version."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT article.url AS url, version.word_count AS words FROM article "
            "JOIN version ON version.article_id = article.id "
            "AND version.number = article.current_version"
        ).fetchall()
    finally:
        conn.close()
    return {url.split("/", 3)[3]: words for url, words in rows}


def _site(server: HTTPTestServer) -> NewsSite:
    site = NewsSite(server)
    for slug in ORDINARY:
        site.add(Story(slug, f"Story about the {slug.replace('-', ' ')}"))
    return site


def test_control_character_references_do_not_empty_an_article(
    hostile_server, archive: Path, archive_url: str, tmp_path: Path
) -> None:
    """Issue 15 item 12: ``&#8;`` and ``&#x1b;`` inside one paragraph made the whole article
    extract to nothing ("thin", not archived). They are dropped like the literal characters."""
    site = _site(hostile_server())
    odd = list(PARAGRAPHS)
    odd[1] = odd[1][:40] + "\b" + odd[1][40:90] + "\x1b" + odd[1][90:]
    site.add(Story("control-chars", "Council approves the harbour budget", paragraphs=tuple(odd)))
    # The page carries the characters as references (what a hostile CMS emits).
    plain = site.server.routes[Story("control-chars", "").path]
    site.server.add(
        Story("control-chars", "").path,
        lambda request: _as_references(plain(request)),
    )
    config = write_config(tmp_path / "sources.toml", config_text(site))

    run = run_cli(["--db", archive_url, "crawl", "--config", str(config)], timeout=120)

    run.assert_clean(exit_code=0, within=90)
    stored = _archived(archive)
    assert set(stored) == {f"news/{slug}" for slug in (*ORDINARY, "control-chars")}, run.describe()
    # the odd article keeps its text: as many words as its ordinary neighbours (±2)
    assert abs(stored["news/control-chars"] - stored["news/harbour-bridge"]) <= 2
    assert integrity_ok(archive)


def _as_references(route: Route) -> Route:
    body = route.body.decode() if isinstance(route.body, bytes) else route.body
    assert "\b" in body and "\x1b" in body
    return Route(
        body=body.replace("\b", "&#8;").replace("\x1b", "&#x1b;"),
        headers=route.headers,
    )


def _entity_bomb_feed(site: NewsSite) -> str:
    """An RSS feed whose DTD declares a billion-laughs entity, used in the middle item."""
    levels = ['<!ENTITY l0 "laugh">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    items = [
        f"<item><title>{slug}</title><link>{site.url(slug)}</link></item>" for slug in ORDINARY
    ]
    items.insert(1, f"<item><title>Ha &l9;</title><link>{site.url('laughs')}</link></item>")
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n{chr(10).join(levels)}\n]>\n'
        f'<rss version="2.0"><channel><title>Herald</title><link>{site.server.origin}/</link>'
        f"{''.join(items)}</channel></rss>"
    )


def test_a_feed_with_an_entity_bomb_keeps_its_ordinary_items(
    hostile_server, archive: Path, archive_url: str, tmp_path: Path
) -> None:
    """Issue 15 item 17: the XML parser stops at the bomb (entity amplification limit), and
    every item after it was lost. The feed is read again without its DTD: items kept."""
    site = _site(hostile_server())
    site.add(Story("laughs", "The bomb's own item is an ordinary story"))
    site.server.add(
        "/bomb.xml",
        Route(body=_entity_bomb_feed(site), content_type="application/rss+xml; charset=utf-8"),
    )
    text = config_text(site).replace(site.feed_url, site.server.url("/bomb.xml"))
    config = write_config(tmp_path / "sources.toml", text)

    run = run_cli(["--db", archive_url, "crawl", "--config", str(config)], timeout=120)

    run.assert_clean(exit_code=0, within=90)
    assert set(_archived(archive)) == {f"news/{s}" for s in (*ORDINARY, "laughs")}, run.describe()
    assert run.peak_rss < 1024 * 1024 * 1024  # the bomb was never expanded
    assert integrity_ok(archive)
