"""The Diff page: field changes on top, then the body word diff, inline or side by side."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.articles import get_version, version_fields
from storage.changes import Note, find_notes
from storage.diffs import diff_versions
from storage.models import Version
from storage.versioning import VersionFields
from storyline.web.app import BadRequest, Web
from storyline.web.articles import load_article
from storyline.web.changes import iso
from storyline.web.params import integer
from storyline.web.safety import http_url
from storyline.web.worddiff import DiffLimits, Paragraph, Row, diff_bodies

FIELD_LABELS = {
    "headline": "Headline",
    "authors": "Byline",
    "published_at": "Published",
    "modified_at": "Modified",
    "description": "Description",
}
VIEWS = ("inline", "side")


def _field_changes(old: VersionFields, new: VersionFields) -> list[dict[str, str]]:
    """Headline, byline, dates and description (the body is diffed separately, bounded)."""
    fields = diff_versions(replace(old, body=""), replace(new, body="")).fields
    return [
        {"name": c.name, "label": FIELD_LABELS.get(c.name, c.name), "old": c.old, "new": c.new}
        for c in fields
    ]


def _paragraphs(paragraphs: tuple[Paragraph, ...], notes: set[str]) -> list[dict[str, Any]]:
    shown = []
    for paragraph in paragraphs:
        text = " ".join(s.text for s in paragraph if s.op != "delete")
        shown.append(
            {
                "note": text in notes,
                "spans": [{"op": s.op, "text": s.text} for s in paragraph],
            }
        )
    return shown


def _row(row: Row, notes: set[str]) -> dict[str, Any]:
    return {
        "op": row.op,
        "skipped": row.skipped,
        "gap_at": row.gap_at,
        "coarse": row.coarse,
        "old": _paragraphs(row.old, set()),
        "new": _paragraphs(row.new, notes),
        "inline": _paragraphs(row.inline, notes),
    }


def _new_notes(
    old: VersionFields,
    new: VersionFields,
    old_changed: tuple[str, ...],
    new_changed: tuple[str, ...],
) -> list[Note]:
    """Correction/update notes in ``new`` that ``old`` did not have, as
    :func:`storage.changes.classify_change` finds them; only changed paragraphs are read
    (an unchanged paragraph is in both versions, so it cannot be a note that appeared)."""
    seen = {n.text.casefold() for n in find_notes(replace(old, body="\n\n".join(old_changed)))}
    found = find_notes(replace(new, body="\n\n".join(new_changed)))
    return [n for n in found if n.text.casefold() not in seen]


def _pick(session: Session, article_id: int, params: Any) -> tuple[int, int, list[dict[str, Any]]]:
    """The two version numbers (default: the latest and the one before) and all versions."""
    numbers = session.execute(
        select(Version.number, Version.fetched_at)
        .where(Version.article_id == article_id)
        .order_by(Version.number)
    ).all()
    if not numbers:
        raise BadRequest(f"article {article_id} has no versions")
    last = numbers[-1].number
    to = integer(params, "to", last)
    start = integer(params, "from", max(1, (to or last) - 1))
    assert to is not None and start is not None
    choices = [{"number": n.number, "fetched_at": iso(n.fetched_at)} for n in numbers]
    return start, to, choices


def diff_data(web: Web, article_id: int, params: Any, *, full: bool = False) -> dict[str, Any]:
    """What changed between two versions of an article (any two, either order)."""
    settings = web.settings
    with Session(web.engine) as session:
        article = load_article(session, article_id)
        start, to, choices = _pick(session, article_id, params)
        old_version = get_version(session, article, start)
        new_version = get_version(session, article, to)
        old, new = version_fields(old_version), version_fields(new_version)
        versions = {
            "from": {"number": start, "fetched_at": iso(old_version.fetched_at)},
            "to": {"number": to, "fetched_at": iso(new_version.fetched_at)},
        }
        url, source = article.url, article.source
    limits = DiffLimits(
        exact_tokens=settings.diff_exact_tokens,
        max_tokens=settings.diff_max_tokens,
        shown_chars=settings.diff_shown_chars,
        context=None if full else settings.context_paragraphs,
    )
    body = diff_bodies(old.body, new.body, limits)
    notes = _new_notes(old, new, body.old_changed, body.new_changed)
    note_texts = {n.text for n in notes}
    base = {"from": start, "to": to}
    return {
        "article": {
            "id": article_id,
            "url": url,
            "live_link": http_url(url),
            "source": source,
            "path": f"/articles/{article_id}",
        },
        **versions,
        "headline": new.headline,
        "fields": _field_changes(old, new),
        "notes": [{"kind": n.kind, "text": n.text} for n in notes],
        "body": {
            "changed": body.changed,
            "words_added": body.words_added,
            "words_removed": body.words_removed,
            "coarse": body.coarse,
            "truncated": body.truncated,
            "full": full,
            "rows": [_row(row, note_texts) for row in body.rows],
        },
        "choices": choices,
        "links": {
            view: f"/articles/{article_id}/diff?"
            + urlencode({**base, "view": view, **({"full": "1"} if full else {})})
            for view in VIEWS
        }
        | {
            "full": f"/articles/{article_id}/diff?" + urlencode({**base, "full": "1"}),
            "context": f"/articles/{article_id}/diff?" + urlencode(base),
        },
    }


def view_of(params: Any) -> str:
    view = params.get("view") or "inline"
    if view not in VIEWS:
        raise BadRequest(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    return str(view)


def routes(web: Web) -> list[Route]:
    def diff_page(request: Request) -> Response:
        params = request.query_params
        view = view_of(params)
        data = diff_data(
            web, int(request.path_params["article_id"]), params, full=params.get("full") == "1"
        )
        data["view"] = view
        return web.page(request, "diff.html", data)

    return [Route("/articles/{article_id:int}/diff", diff_page, name="diff")]
