"""Revisits end to end: a real crawl of a loopback site, the clock walked by hand.

Covers conditional GET and 304, a headline change, a byline change, a correction note, and
noise ("Updated N minutes ago", a rotated related-stories box) that makes no version.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from schedules.jobs import JobContext, discover_source, revisit_sweep
from scraper.config import parse_config
from storage.articles import get_article, list_versions
from storage.models import Url
from tests.schedules.conftest import T0, WalkingClock, site_config
from tests.schedules.site import NewsSite, Story, config_text

H = timedelta(hours=1)
NOTE = "Correction: An earlier version of this article misstated how long the bridge will close."


def _next(engine: Engine, url: str) -> tuple[int, object]:
    with Session(engine) as session:
        article = get_article(session, url)
        return article.current_version, article.next_revisit_at


def test_a_day_of_revisits(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
) -> None:
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs"))
    site.add(Story("council-budget", "Council agrees next year's budget"))
    ctx = make_context(site_config(site))
    a, b = site.url("bridge-closes"), site.url("council-budget")

    first = discover_source(ctx, "herald")
    assert first["new_articles"] == 2
    assert _next(engine, a) == (1, T0 + H)
    assert _next(engine, b) == (1, T0 + H)

    # Nothing is due before the first revisit: the sweep fetches nothing.
    site.server.clear_log()
    clock.set(T0 + 30 * timedelta(minutes=1))
    assert revisit_sweep(ctx) == {"due": 0}
    assert site.server.paths() == []

    # +1h: both revisited with a conditional GET; the server answers 304.
    clock.set(T0 + H)
    result = revisit_sweep(ctx)
    assert (result["not_modified"], result["revisits_queued"]) == (2, 2)
    requests = site.server.requests("/news/bridge-closes")
    assert len(requests) == 1 and requests[0].headers.get("if-none-match")
    assert _next(engine, a) == (1, T0 + 3 * H)

    # The headline of one story changes; the other only shows noise.
    site.edit("bridge-closes", headline="Harbour bridge to close for nine months")
    site.edit("council-budget", minutes_ago=125, related=("Cinema: new films", "Tram strike"))
    clock.set(T0 + 3 * H)
    result = revisit_sweep(ctx)
    assert (result["new_versions"], result["unchanged"]) == (1, 1)
    assert _next(engine, a) == (2, T0 + 4 * H)  # a change restarts the curve: +1h
    assert _next(engine, b) == (1, T0 + 6 * H)  # noise is no change: 3h → 6h
    with Session(engine) as session:
        version = list_versions(session, get_article(session, a))[-1]
        assert version.changes["kinds"] == ["headline"]
        assert version.changes["headline"]["new"] == "Harbour bridge to close for nine months"

    # A second author and a correction note.
    site.edit("bridge-closes", authors=("Anna Berg", "Tom Lee"), note=NOTE)
    clock.set(T0 + 4 * H)
    result = revisit_sweep(ctx)
    assert result["new_versions"] == 1 and result["revisits_queued"] == 1
    with Session(engine) as session:
        changes = list_versions(session, get_article(session, a))[-1].changes
    assert "byline" in changes["kinds"] and "correction" in changes["kinds"]
    assert changes["byline"]["added"] == ["Tom Lee"]
    assert changes["notes"][0]["text"].startswith("Correction: An earlier version")

    # Walk on until both stories have had all their revisits; nothing more changes.
    visits = []
    for _ in range(10):
        times = [t for t in (_next(engine, a)[1], _next(engine, b)[1]) if t is not None]
        if not times:
            break
        clock.set(min(times))  # type: ignore[type-var]
        visits.append(clock.now - T0)
        revisit_sweep(ctx)
    assert visits == [5 * H, 6 * H, 7 * H, 10 * H]
    assert _next(engine, a) == (3, None)
    assert _next(engine, b) == (1, None)
    with Session(engine) as session:
        states = set(session.scalars(select(Url.state).where(Url.kind == "article")))
    assert states == {"done"}


def test_a_sitemap_lastmod_makes_an_article_due_before_its_revisit(
    engine: Engine,
    site: NewsSite,
    make_context: functools.partial[JobContext],
) -> None:
    """A newer <lastmod> than our last fetch: fetched at the next discovery, curve restarted."""
    now = datetime.now(UTC).replace(microsecond=0)
    clock = WalkingClock(now)
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs", modified=now))
    config = parse_config(
        config_text(site).replace(
            f'feeds = ["{site.feed_url}"]', f'sitemaps = ["{site.sitemap_url}"]'
        ),
        "herald.toml",
    )
    ctx = make_context(config, clock=clock)
    assert discover_source(ctx, "herald")["new_articles"] == 1
    url = site.url("bridge-closes")
    assert _next(engine, url) == (1, now + H)

    # Ten minutes later the story changes and the sitemap says so; the revisit is not due yet.
    clock.set(now + 10 * timedelta(minutes=1))
    site.edit(
        "bridge-closes",
        headline="Harbour bridge closed after inspection",
        modified=datetime.now(UTC) + timedelta(seconds=5),
    )
    site.server.clear_log()
    result = discover_source(ctx, "herald")
    assert result["new_versions"] == 1
    assert site.server.count("/news/bridge-closes") == 1
    version, when = _next(engine, url)
    assert version == 2
    assert when == clock.now + H  # the change restarted the curve from now
