"""The Changes page: the newest versions across the archive, filtered and paged."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.changelog import ChangeCursor, ChangeEntry, ChangeQuery, list_changes
from storage.models import Article, Source
from storage.states import ChangeKind
from storyline.render_changes import summarise_changes
from storyline.web.app import BadRequest, Web
from storyline.web.params import KINDS, ChangeFilters, change_filters


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def diff_path(article_id: int, number: int) -> str | None:
    if number < 2:
        return None
    return f"/articles/{article_id}/diff?" + urlencode({"from": number - 1, "to": number})


def entry(change: ChangeEntry) -> dict[str, Any]:
    """One change as the page, the feed and the JSON show it."""
    return {
        **change.as_dict(),
        "summary": summarise_changes(change.changes)
        or ("first version" if change.number == 1 else ""),
        "article_path": f"/articles/{change.article_id}",
        "diff_path": diff_path(change.article_id, change.number),
    }


def change_query(filters: ChangeFilters, limit: int, before: str | None = None) -> ChangeQuery:
    """The storage query for ``filters`` (``before``: a cursor token from a "next" link)."""
    try:
        cursor = ChangeCursor.parse(before) if before else None
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return ChangeQuery(
        since=filters.since,
        until=filters.until,
        sources=frozenset({filters.source} if filters.source else ()),
        kinds=frozenset({ChangeKind(filters.kind)} if filters.kind else ()),
        new=filters.new,
        text=filters.text,
        article_id=filters.article_id,
        limit=limit,
        before=cursor,
    )


def source_names(session: Session) -> list[str]:
    known = set(session.scalars(select(Source.name)))
    known |= {s for s in session.scalars(select(Article.source).distinct()) if s}
    return sorted(known)


def changes_data(web: Web, filters: ChangeFilters, before: str | None) -> dict[str, Any]:
    """The changes page's content: entries, the filters and a link to the next page."""
    size = web.settings.page_size
    with Session(web.engine) as session:
        found = list_changes(session, change_query(filters, size + 1, before))
        sources = source_names(session)
    base = filters.query()
    shown = found[:size]
    more = len(found) > size
    return {
        "entries": [entry(change) for change in shown],
        "filters": {
            "source": filters.source,
            "kind": filters.kind,
            "since": filters.since_text,
            "until": filters.until_text,
            "new": filters.new,
            "text": filters.text,
        },
        "first": "/" + ("?" + urlencode(base) if base else "") if before else None,
        "next": "/?" + urlencode({**base, "before": shown[-1].cursor.token()}) if more else None,
        "kinds": list(KINDS),
        "sources": sources,
        "feed": "/feeds/changes.atom" + ("?" + urlencode(base) if base else ""),
    }


def routes(web: Web) -> list[Route]:
    def changes_page(request: Request) -> Response:
        filters = change_filters(request.query_params)
        data = changes_data(web, filters, request.query_params.get("before"))
        return web.page(request, "changes.html", data)

    return [Route("/", changes_page, name="changes")]
