"""A small loopback news site for the WARC and ``show`` tests: pages whose bytes matter.

One page is plain UTF-8, one is sent gzip-compressed, one is ISO-8859-1 (bytes that are not
UTF-8), and one carries a custom header sent twice. ``SENT`` holds the entity bodies exactly
as the server sends them (before any Content-Encoding), the bytes a faithful archive keeps.
"""

from __future__ import annotations

from tests.httpserver import HTTPTestServer, Route
from tests.pages import DEFAULT_PARAGRAPHS, article_page

LATIN1_PAGE = (
    article_page(
        headline="Café owners fear the ferry's end",
        paragraphs=(*DEFAULT_PARAGRAPHS[:3], "Ørjan Sæther runs the café by the quay, he said."),
    )
    .replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    .encode("latin-1")
)

SENT: dict[str, bytes] = {
    "/news/ferry": article_page().encode("utf-8"),
    "/news/gzipped": article_page(headline="Bridge tolls to stay until 2030").encode("utf-8"),
    "/news/cafe": LATIN1_PAGE,
    "/news/headers": article_page(headline="Harbour dredging starts in May").encode("utf-8"),
}


def serve_corpus(site: HTTPTestServer) -> None:
    """Put the pages of :data:`SENT` on ``site``."""
    site.add("/news/ferry", Route(body=SENT["/news/ferry"]))
    site.add("/news/gzipped", Route(body=SENT["/news/gzipped"], gzip=True))
    site.add(
        "/news/cafe",
        Route(body=SENT["/news/cafe"], content_type="text/html; charset=iso-8859-1"),
    )
    site.add(
        "/news/headers",
        Route(body=SENT["/news/headers"], headers={"X-Story-Desk": "harbour", "ETag": '"h1"'}),
    )
