"""The Sources page: per source its last discovery, fetches and failures, volume and health."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.models import Article, Fetch, Url, Version
from storage.states import Outcome
from storyline.web.app import Web
from storyline.web.changes import iso
from storyline.web.params import integer

NO_SOURCE = "(none)"


def _stats(session: Session, days: int, now: datetime) -> list[dict[str, Any]]:
    """One dict per source (articles with no source under "(none)")."""
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "hosts": set(),
            "articles": 0,
            "versions": 0,
            "last_discovery_at": None,
            "last_fetch_at": None,
            "fetches": 0,
            "failures": Counter(),
            "thin_pages": 0,
            "extraction_errors": 0,
            "per_day": Counter(),
            "new_per_day": Counter(),
        }
    )
    for counted in session.execute(
        select(
            Article.source,
            func.count(func.distinct(Article.id)).label("articles"),
            func.count(Version.id).label("versions"),
        )
        .join(Version, Version.article_id == Article.id)
        .group_by(Article.source)
    ):
        rows[counted.source or NO_SOURCE].update(
            articles=counted.articles, versions=counted.versions
        )
    for found in session.execute(
        select(Url.source, Url.host, func.max(Url.discovered_at).label("last")).group_by(
            Url.source, Url.host
        )
    ):
        item = rows[found.source or NO_SOURCE]
        item["hosts"].add(found.host)
        if item["last_discovery_at"] is None or found.last > item["last_discovery_at"]:
            item["last_discovery_at"] = found.last
    for fetched in session.execute(
        select(
            Url.source,
            Fetch.error_kind,
            Fetch.outcome,
            func.count(Fetch.id).label("n"),
            func.max(Fetch.started_at).label("last"),
        )
        .join(Url, Url.url == Fetch.url)
        .group_by(Url.source, Fetch.error_kind, Fetch.outcome)
    ):
        item = rows[fetched.source or NO_SOURCE]
        item["fetches"] += fetched.n
        if item["last_fetch_at"] is None or fetched.last > item["last_fetch_at"]:
            item["last_fetch_at"] = fetched.last
        if fetched.error_kind:
            item["failures"][fetched.error_kind] += fetched.n
        if fetched.error_kind == "extract":
            item["extraction_errors"] += fetched.n
        if fetched.outcome == Outcome.THIN:
            item["thin_pages"] += fetched.n
    since = now - timedelta(days=days)
    for dated in session.execute(
        select(Article.source, Version.fetched_at, Version.number)
        .join(Article, Article.id == Version.article_id)
        .where(Version.fetched_at >= since)
    ):
        item = rows[dated.source or NO_SOURCE]
        day = dated.fetched_at.astimezone(UTC).date().isoformat()
        item["per_day"][day] += 1
        if dated.number == 1:
            item["new_per_day"][day] += 1
    shown = []
    for name in sorted(rows, key=lambda n: (n == NO_SOURCE, n)):
        item = rows[name]
        shown.append(
            {
                "name": name,
                "hosts": sorted(item["hosts"]),
                "articles": item["articles"],
                "versions": item["versions"],
                "last_discovery_at": iso(item["last_discovery_at"]),
                "last_fetch_at": iso(item["last_fetch_at"]),
                "fetches": item["fetches"],
                "failures": dict(sorted(item["failures"].items())),
                "thin_pages": item["thin_pages"],
                "extraction_errors": item["extraction_errors"],
                "per_day": [
                    {"day": day, "articles": item["new_per_day"][day], "versions": n}
                    for day, n in sorted(item["per_day"].items(), reverse=True)
                ],
            }
        )
    return shown


def sources_data(web: Web, days: int, now: datetime | None = None) -> dict[str, Any]:
    with Session(web.engine) as session:
        found = _stats(session, days, now or datetime.now(UTC))
    return {"days": days, "sources": found}


def routes(web: Web) -> list[Route]:
    def sources_page(request: Request) -> Response:
        days = integer(request.query_params, "days", 14) or 14
        return web.page(request, "sources.html", sources_data(web, min(days, 366)))

    return [Route("/sources", sources_page, name="sources")]
