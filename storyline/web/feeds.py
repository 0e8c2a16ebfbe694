"""Atom feeds of changes (RFC 4287): all, per source, per article.

Built with lxml, so every document is well-formed whatever the archive holds; characters
XML forbids are replaced first (:func:`storyline.web.safety.xml_text`). Entry ids are
``urn:uuid:`` names derived from the version (article id, number, fetch time), so a reader
sees each change once however often it polls, and times are RFC 3339 in UTC.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storage.changelog import ChangeEntry, list_changes
from storyline.render_changes import NOTE_LABELS, summarise_changes
from storyline.web.app import Web
from storyline.web.articles import load_article
from storyline.web.changes import change_query, diff_path
from storyline.web.params import ChangeFilters, change_filters
from storyline.web.safety import http_url, xml_text

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def entry_id(change: ChangeEntry) -> str:
    """The same id for the same version on every poll (and on every host the app runs on)."""
    name = f"storyline:version:{change.article_id}:{change.number}:{rfc3339(change.fetched_at)}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def feed_id(kind: str, key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"storyline:feed:{kind}:{key}").urn


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = xml_text(text)
    return element


def _link(parent: etree._Element, href: str, rel: str, media: str | None = None) -> None:
    attrs = {"rel": rel, "href": xml_text(href)}
    if media:
        attrs["type"] = media
    etree.SubElement(parent, f"{{{ATOM}}}link", attrs)


def _summary(change: ChangeEntry) -> str:
    lines = [summarise_changes(change.changes) or ("first version" if change.number == 1 else "")]
    lines.append(change.url)
    for note in change.notes:
        lines.append(f"{NOTE_LABELS.get(note.kind, 'note')}: {note.text}")
    return "\n".join(line for line in lines if line)


def render_feed(
    *,
    title: str,
    identity: str,
    self_url: str,
    page_url: str,
    base: str,
    changes: Sequence[ChangeEntry],
) -> bytes:
    """An Atom feed document of ``changes`` (newest first)."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _text(feed, "id", identity)
    _text(feed, "title", title)
    newest = max((c.fetched_at for c in changes), default=EPOCH)
    _text(feed, "updated", rfc3339(newest))
    _link(feed, self_url, "self", "application/atom+xml")
    _link(feed, page_url, "alternate", "text/html")
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "storyline")
    _text(feed, "generator", "storyline")
    for change in changes:
        item = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", entry_id(change))
        kinds = ", ".join(str(k) for k in change.kinds)
        headline = change.headline or change.url
        _text(item, "title", f"{headline} ({kinds})" if kinds else headline)
        _text(item, "updated", rfc3339(change.fetched_at))
        target = diff_path(change.article_id, change.number) or f"/articles/{change.article_id}"
        _link(item, base + target, "alternate", "text/html")
        live = http_url(change.url)
        if live:
            _link(item, live, "related", "text/html")
        _text(item, "summary", _summary(change), type="text")
        for kind in change.kinds:
            etree.SubElement(item, f"{{{ATOM}}}category", {"term": str(kind)})
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8"))


def _describe(filters: ChangeFilters) -> str:
    parts = []
    if filters.source:
        parts.append(f"in {filters.source}")
    if filters.kind:
        parts.append(f"of kind {filters.kind}")
    return " ".join(parts)


def routes(web: Web) -> list[Route]:
    size = web.settings.feed_size

    def atom(request: Request, body: bytes) -> Response:
        return Response(body, media_type=MEDIA_TYPE)

    def base_of(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def changes_feed(request: Request, filters: ChangeFilters) -> Response:
        with Session(web.engine) as session:
            found = list_changes(session, change_query(filters, size))
        query = request.url.query
        described = _describe(filters)
        key = "&".join(f"{k}={v}" for k, v in sorted(filters.query().items()))
        body = render_feed(
            title=f"{web.settings.title}: changes" + (f" {described}" if described else ""),
            identity=feed_id("changes", key),
            self_url=str(request.url),
            page_url=base_of(request) + "/" + (f"?{query}" if query else ""),
            base=base_of(request),
            changes=found,
        )
        return atom(request, body)

    def all_changes(request: Request) -> Response:
        return changes_feed(request, change_filters(request.query_params))

    def source_changes(request: Request) -> Response:
        filters = change_filters(request.query_params)
        source = str(request.path_params["source"])
        return changes_feed(request, ChangeFilters(**{**_fields(filters), "source": source}))

    def article_changes(request: Request) -> Response:
        article_id = int(request.path_params["article_id"])
        filters = ChangeFilters(new=True, article_id=article_id)
        with Session(web.engine) as session:
            article = load_article(session, article_id)
            url = article.url
            found = list_changes(session, change_query(filters, size))
        headline = found[0].headline if found and found[0].headline else url
        body = render_feed(
            title=f"{web.settings.title}: {headline}",
            identity=feed_id("article", str(article_id)),
            self_url=str(request.url),
            page_url=f"{base_of(request)}/articles/{article_id}",
            base=base_of(request),
            changes=found,
        )
        return atom(request, body)

    return [
        Route("/feeds/changes.atom", all_changes, name="feed-changes"),
        Route("/feeds/sources/{source}.atom", source_changes, name="feed-source"),
        Route("/feeds/articles/{article_id:int}.atom", article_changes, name="feed-article"),
    ]


def _fields(filters: ChangeFilters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in filters.__dataclass_fields__}
