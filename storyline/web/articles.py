"""The Article page: every version on a timeline, URL moves and every URL the story is known by."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.changelog import decode_kinds
from storage.errors import ArticleNotFound
from storage.models import Alias, Article, Version
from storyline.render_changes import summarise_changes
from storyline.web.app import Web
from storyline.web.changes import diff_path, iso
from storyline.web.safety import http_url


def load_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise ArticleNotFound(f"no article {article_id} in this archive")
    return article


def article_data(web: Web, article_id: int) -> dict[str, Any]:
    """The article, its versions (without bodies: a timeline needs counts, not text)."""
    with Session(web.engine) as session:
        article = load_article(session, article_id)
        rows = session.execute(
            select(
                Version.number,
                Version.fetched_at,
                Version.headline,
                Version.authors,
                Version.word_count,
                Version.kinds,
                Version.changes,
            )
            .where(Version.article_id == article_id)
            .order_by(Version.number)
        ).all()
        aliases = session.execute(
            select(Alias.url, Alias.created_at)
            .where(Alias.article_id == article_id)
            .order_by(Alias.created_at, Alias.url)
        ).all()
    versions = []
    moves = []
    for row in rows:
        body = (row.changes or {}).get("body") or {}
        versions.append(
            {
                "version": row.number,
                "fetched_at": iso(row.fetched_at),
                "headline": row.headline,
                "authors": [str(a) for a in row.authors or ()],
                "word_count": row.word_count,
                "kinds": [str(k) for k in decode_kinds(row.kinds)],
                "summary": summarise_changes(row.changes),
                "words_added": int(body.get("words_added", 0)),
                "words_removed": int(body.get("words_removed", 0)),
                "notes": list((row.changes or {}).get("notes", [])),
                "diff_path": diff_path(article.id, row.number),
            }
        )
        moved = (row.changes or {}).get("moved")
        if moved:
            moves.append(
                {
                    "version": row.number,
                    "fetched_at": iso(row.fetched_at),
                    "from": str(moved.get("from", "")),
                    "to": str(moved.get("to", "")),
                }
            )
    latest = versions[-1] if versions else None
    return {
        "id": article.id,
        "url": article.url,
        "live_link": http_url(article.url),
        "source": article.source,
        "host": article.host,
        "headline": latest["headline"] if latest else None,
        "first_seen_at": iso(article.first_seen_at),
        "last_seen_at": iso(article.last_seen_at),
        "last_changed_at": iso(article.last_changed_at),
        "current_version": article.current_version,
        "versions": list(reversed(versions)),
        "moves": moves,
        "urls": [{"url": article.url, "since": iso(article.first_seen_at), "canonical": True}]
        + [{"url": a.url, "since": iso(a.created_at), "canonical": False} for a in aliases],
        "feed": f"/feeds/articles/{article.id}.atom",
    }


def routes(web: Web) -> list[Route]:
    def article_page(request: Request) -> Response:
        data = article_data(web, int(request.path_params["article_id"]))
        return web.page(request, "article.html", data)

    return [Route("/articles/{article_id:int}", article_page, name="article")]
