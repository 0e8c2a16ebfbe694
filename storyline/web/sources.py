"""The Sources page: per source its last discovery, fetches and failures, volume and health.

The figures are :func:`storage.stats.source_stats` (what ``storyline stats`` prints per
source); this module only shapes them for the page and its JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.stats import SourceStats, source_stats
from storyline.web.app import Web
from storyline.web.changes import iso
from storyline.web.params import integer

NO_SOURCE = "(none)"
MAX_DAYS = 366


def _shown(stats: SourceStats) -> dict[str, Any]:
    health = stats.health
    return {
        "name": stats.source or NO_SOURCE,
        "source": stats.source,
        "hosts": list(stats.hosts),
        "articles": stats.articles,
        "versions": stats.versions,
        "changed_articles": stats.changed_articles,
        "last_discovery_at": iso(stats.last_discovery_at),
        "last_discovery_exit": stats.last_discovery_exit,
        "last_seed_read_at": iso(stats.last_seed_read_at),
        "last_fetch_at": iso(health.last_fetch_at),
        "fetches": health.fetches,
        "failed": health.failed,
        "failures": dict(sorted(health.failures.items())),
        "thin_pages": health.thin_pages,
        "extraction_errors": health.extraction_errors,
        "per_day": [
            {"day": d.day.isoformat(), "articles": d.articles, "versions": d.versions}
            for d in reversed(stats.per_day)
        ],
    }


def sources_data(web: Web, days: int, now: datetime | None = None) -> dict[str, Any]:
    with Session(web.engine) as session:
        found = source_stats(session, days, now=now)
    return {"days": days, "sources": [_shown(s) for s in found]}


def days_param(request: Request) -> int:
    return min(integer(request.query_params, "days", 14) or 14, MAX_DAYS)


def routes(web: Web) -> list[Route]:
    def sources_page(request: Request) -> Response:
        return web.page(request, "sources.html", sources_data(web, days_param(request)))

    return [Route("/sources", sources_page, name="sources")]
