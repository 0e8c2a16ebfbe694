"""The JSON behind every page: ``/api`` + the page's path, same query parameters, same data.

One scheme, documented in the README: ``/api/changes``, ``/api/articles/{id}``,
``/api/articles/{id}/diff?from=&to=``, ``/api/sources``, ``/api/search?q=``. Each returns
what the page's template was given, built by the same function.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storyline.web.app import SafeJSON, Web
from storyline.web.articles import article_data
from storyline.web.changes import changes_data
from storyline.web.diffs import diff_data
from storyline.web.params import change_filters
from storyline.web.search import search_data
from storyline.web.sources import days_param, sources_data


def routes(web: Web) -> list[Route]:
    def changes(request: Request) -> Response:
        filters = change_filters(request.query_params)
        return SafeJSON(changes_data(web, filters, request.query_params.get("before")))

    def article(request: Request) -> Response:
        return SafeJSON(article_data(web, int(request.path_params["article_id"])))

    def diff(request: Request) -> Response:
        params = request.query_params
        data = diff_data(
            web, int(request.path_params["article_id"]), params, full=params.get("full") == "1"
        )
        return SafeJSON(data)

    def sources(request: Request) -> Response:
        return SafeJSON(sources_data(web, days_param(request)))

    def search(request: Request) -> Response:
        params = request.query_params
        return SafeJSON(search_data(web, params.get("q") or "", params.get("source") or None))

    return [
        Route("/api/changes", changes),
        Route("/api/articles/{article_id:int}", article),
        Route("/api/articles/{article_id:int}/diff", diff),
        Route("/api/sources", sources),
        Route("/api/search", search),
    ]
