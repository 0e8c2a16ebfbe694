"""The search box: the archive's full-text search (:func:`storage.search.search`).

Matches in a snippet come back between two control characters; the snippet is split at
them into parts the template escapes and marks, so a match never becomes markup of its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.search import SNIPPET_END, SNIPPET_START, search
from storyline.web.app import Web

HOW = (
    "Words in headlines and bodies (the newest version of each article): "
    '"a phrase", prefix*, -without, OR.'
)


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    """A snippet with match marks as parts to show (escaped by the template), marked or not."""
    parts: list[dict[str, Any]] = []
    rest = snippet
    while rest:
        start = rest.find(SNIPPET_START)
        if start < 0:
            parts.append({"text": rest, "match": False})
            break
        end = rest.find(SNIPPET_END, start)
        end = len(rest) if end < 0 else end
        parts.append({"text": rest[:start], "match": False})
        parts.append({"text": rest[start + 1 : end], "match": True})
        rest = rest[end + 1 :]
    return [p for p in parts if p["text"]]


def search_data(web: Web, query: str, source: str | None = None) -> dict[str, Any]:
    hits: list[dict[str, Any]] = []
    if query.strip():
        with Session(web.engine) as session:
            found = search(session, query, source=source, limit=web.settings.search_limit)
        hits = [
            {
                "article_id": hit.article_id,
                "version": hit.version,
                "url": hit.url,
                "headline": hit.headline,
                "source": hit.source,
                "fetched_at": hit.fetched_at.isoformat(),
                "rank": hit.rank,
                "snippet": snippet_parts(hit.snippet),
                "article_path": f"/articles/{hit.article_id}",
            }
            for hit in found
        ]
    return {"query": query, "source": source, "how": HOW, "hits": hits}


def routes(web: Web) -> list[Route]:
    def search_page(request: Request) -> Response:
        query = request.query_params.get("q") or ""
        data = search_data(web, query, request.query_params.get("source") or None)
        return web.templates.TemplateResponse(
            request, "search.html", {"data": data, "settings": web.settings, "search_text": query}
        )

    return [Route("/search", search_page, name="search")]
