"""The search box: until the archive has full-text search, headlines that contain the words."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.changelog import ChangeQuery, list_changes
from storyline.web.app import Web

HOW = "Headlines that contain these words (the newest version of each article)."
MARK_START, MARK_END = "\x02", "\x03"


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    """A snippet with match markers as parts to show (escaped by the template), marked or not."""
    parts: list[dict[str, Any]] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_START)
        if start < 0:
            parts.append({"text": rest, "match": False})
            break
        end = rest.find(MARK_END, start)
        end = len(rest) if end < 0 else end
        if start:
            parts.append({"text": rest[:start], "match": False})
        parts.append({"text": rest[start + 1 : end], "match": True})
        rest = rest[end + 1 :]
    return [p for p in parts if p["text"]]


def search_data(web: Web, query: str) -> dict[str, Any]:
    hits: list[dict[str, Any]] = []
    text = query.strip()
    if text:
        seen: set[int] = set()
        with Session(web.engine) as session:
            found = list_changes(
                session, ChangeQuery(text=text, new=True, limit=web.settings.search_limit * 4)
            )
        for change in found:
            if change.article_id in seen:
                continue
            seen.add(change.article_id)
            hits.append(
                {
                    "article_id": change.article_id,
                    "version": change.number,
                    "url": change.url,
                    "headline": change.headline,
                    "source": change.source,
                    "fetched_at": change.fetched_at.isoformat(),
                    "snippet": [],
                    "article_path": f"/articles/{change.article_id}",
                }
            )
    return {"query": query, "how": HOW, "hits": hits[: web.settings.search_limit]}


def routes(web: Web) -> list[Route]:
    def search_page(request: Request) -> Response:
        query = request.query_params.get("q") or ""
        data = search_data(web, query)
        return web.templates.TemplateResponse(
            request, "search.html", {"data": data, "settings": web.settings, "search_text": query}
        )

    return [Route("/search", search_page, name="search")]
