"""Revisits of articles whose server sends validators that are not plain ASCII.

Header bytes outside ASCII are legal (obs-text) and do occur; the validator must come back
byte for byte in the conditional GET, and never stop the article's revisits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.httpserver import Request, Route
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import integrity_ok, run_cli, sqlite_url
from tests.reliability.site import ROBOTS_ALLOW_ALL, article_html, crawl_config, serve_feed

# Header values as the test server sends them: each character is one byte (latin-1).
LATIN1_ETAG = '"caf\xe9-1"'
UTF8_ETAG = '"caf\xc3\xa9-2"'  # the UTF-8 bytes of "café"
ODD_DATE = "Mon, 01 D\xe9c 2026 00:00:00 GMT"


@pytest.mark.parametrize(
    ("header", "value", "request_header"),
    [
        ("ETag", LATIN1_ETAG, "if-none-match"),
        ("ETag", UTF8_ETAG, "if-none-match"),
        ("Last-Modified", ODD_DATE, "if-modified-since"),
    ],
)
def test_a_non_ascii_validator_comes_back_and_the_revisit_happens(
    hostile_server: ServerFactory, tmp_path: Path, header: str, value: str, request_header: str
) -> None:
    site = hostile_server()
    site.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))

    def story(request: Request) -> Route:
        if request.headers.get(request_header) == value:
            return Route(status=304, headers={header: value})
        return Route(body=article_html("Story with odd validators"), headers={header: value})

    site.add("/news/odd-validator", story)
    feed = serve_feed(site, ["/news/odd-validator"])
    config = crawl_config(
        tmp_path / "sources.toml", f'[[source]]\nname = "site"\nfeeds = ["{feed}"]'
    )
    db = tmp_path / "archive.db"
    args = ["--db", sqlite_url(db), "crawl", "--json", "--config", str(config)]
    first = run_cli(args)
    first.assert_clean(exit_code=0, within=90)
    assert json.loads(first.stdout)["new_articles"] == 1

    second = run_cli([*args, "--revisit-all"])
    second.assert_clean(exit_code=0, within=90)
    summary = json.loads(second.stdout)
    requests = site.requests("/news/odd-validator")
    assert len(requests) == 2
    assert requests[1].headers.get(request_header) == value
    assert summary["not_modified"] == 1, summary
    assert summary["failed"] == {}, summary
    assert integrity_ok(db)
