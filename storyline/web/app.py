"""The app factory: routes of every page, the read-only guard and the security headers.

Every page has a JSON twin under ``/api`` built by the same function (see
:mod:`storyline.web.api`), so what a page shows and what a script reads never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.errors import ArticleNotFound, SearchQueryError, VersionNotFound
from storyline.web.safety import SECURITY_HEADERS, http_url
from storyline.web.settings import WebSettings

HERE = Path(__file__).resolve().parent
READ_METHODS = frozenset({"GET", "HEAD"})


class BadRequest(ValueError):
    """A query parameter the app cannot use (a page that is not a number, a bad date)."""


@dataclass(frozen=True)
class Web:
    """What every route needs: the settings, the archive and the templates."""

    settings: WebSettings
    engine: Engine
    templates: Jinja2Templates

    def page(
        self, request: Request, name: str, data: dict[str, Any], status: int = 200
    ) -> Response:
        return self.templates.TemplateResponse(
            request, name, {"data": data, "settings": self.settings}, status_code=status
        )


class SafeJSON(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` …: the same data, and no
    browser or proxy that sniffs it can ever see markup in it."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


class ReadOnlyHeaders:
    """ASGI middleware: only GET and HEAD, and the security headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in dict(SECURITY_HEADERS)
                ]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        if scope["method"] not in READ_METHODS:
            response = PlainTextResponse(
                "read-only: only GET and HEAD", status_code=405, headers={"Allow": "GET, HEAD"}
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


class ArchiveApp(Starlette):
    """Starlette with :class:`ReadOnlyHeaders` outside everything, its 500 page included."""

    def build_middleware_stack(self) -> ASGIApp:
        return ReadOnlyHeaders(super().build_middleware_stack())


def _templates(settings: WebSettings) -> Jinja2Templates:
    from storyline.render_changes import summarise_changes

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = http_url
    env.filters["summary"] = summarise_changes
    return Jinja2Templates(env=env)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(web: Web) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            status, message = exc.status_code, str(exc.detail)
        elif isinstance(exc, ArticleNotFound | VersionNotFound):
            status, message = 404, str(exc)
        else:
            status, message = 400, str(exc)
        if _wants_json(request):
            return SafeJSON({"error": message, "status": status}, status_code=status)
        return web.page(request, "error.html", {"status": status, "message": message}, status)

    return handle


def create_app(settings: WebSettings, engine: Engine) -> Starlette:
    """The read-only web app over the archive behind ``engine``."""
    from storyline.web import api, articles, changes, diffs, feeds, search, sources

    web = Web(settings, engine, _templates(settings))
    routes: list[BaseRoute] = [
        *changes.routes(web),
        *articles.routes(web),
        *diffs.routes(web),
        *sources.routes(web),
        *search.routes(web),
        *feeds.routes(web),
        *api.routes(web),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handler = _error(web)
    return ArchiveApp(
        routes=routes,
        exception_handlers={
            HTTPException: handler,
            ArticleNotFound: handler,
            VersionNotFound: handler,
            BadRequest: handler,
            SearchQueryError: handler,
        },
    )
