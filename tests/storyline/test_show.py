"""``storyline show``: fields, text, JSON lineage, and the raw page byte-identical to what a
loopback server sent (both databases)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner, Result
from sqlalchemy import update
from sqlalchemy.orm import Session

from storage import open_archive
from storage.models import Fetch, Snapshot
from storyline.cli import EXIT_NOT_FOUND, cli
from tests.corpus_site import SENT, serve_corpus
from tests.httpserver import HTTPTestServer, Route
from tests.pages import DEFAULT_PARAGRAPHS, article_page


@pytest.fixture
def site() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.3") as server:
        serve_corpus(server)
        yield server


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def fetch(db_url: str, site: HTTPTestServer, *paths: str) -> None:
    result = run(db_url, "fetch", *(site.url(p) for p in paths))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("path", ["/news/ferry", "/news/gzipped", "/news/cafe"])
def test_raw_is_byte_identical_to_what_the_server_sent(
    db_url: str, site: HTTPTestServer, path: str
) -> None:
    fetch(db_url, site, path)
    result = run(db_url, "show", "--raw", site.url(path))
    assert result.exit_code == 0, result.stderr
    # the entity body as sent, before the gzip Content-Encoding of /news/gzipped
    assert result.stdout_bytes == SENT[path]
    if path == "/news/cafe":
        with pytest.raises(UnicodeDecodeError):
            result.stdout_bytes.decode("utf-8")


def test_raw_of_an_earlier_version_and_versions_that_do_not_exist(
    db_url: str, site: HTTPTestServer
) -> None:
    fetch(db_url, site, "/news/ferry")
    changed = article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20.")).encode()
    site.add("/news/ferry", Route(body=changed))
    fetch(db_url, site, "/news/ferry")
    url = site.url("/news/ferry")
    assert run(db_url, "show", "--raw", url).stdout_bytes == changed
    assert run(db_url, "show", "--raw", "--version", "1", url).stdout_bytes == SENT["/news/ferry"]
    missing = run(db_url, "show", "--version", "3", url)
    assert missing.exit_code == EXIT_NOT_FOUND
    assert "has no version 3" in missing.stderr
    unknown = run(db_url, "show", site.url("/news/never"))
    assert unknown.exit_code == EXIT_NOT_FOUND
    assert "no article is archived" in unknown.stderr


def test_text_and_default_view(db_url: str, site: HTTPTestServer) -> None:
    fetch(db_url, site, "/news/cafe")
    url = site.url("/news/cafe")
    text = run(db_url, "show", "--text", url)
    assert text.exit_code == 0
    assert "Ørjan Sæther runs the café by the quay, he said." in text.stdout
    assert DEFAULT_PARAGRAPHS[0] in text.stdout
    view = run(db_url, "show", url).stdout
    assert "headline: Café owners fear the ferry's end" in view
    assert "version 1 of 1" in view
    assert f"raw page: {len(SENT['/news/cafe'])} bytes" in view
    assert "HTTP/1.1 200 OK" in view


def test_json_has_fields_and_lineage(db_url: str, site: HTTPTestServer) -> None:
    fetch(db_url, site, "/news/headers")
    url = site.url("/news/headers")
    record = json.loads(run(db_url, "show", "--json", url).stdout)
    assert record["url"] == url
    assert record["headline"] == "Harbour dredging starts in May"
    assert record["snapshot"]["sha256"] == hashlib.sha256(SENT["/news/headers"]).hexdigest()
    lineage = record["fetch"]
    assert lineage["final_url"] == url and lineage["status"] == 200
    headers = {name.lower(): value for name, value in lineage["response_headers"]}
    assert headers["x-story-desk"] == "harbour"
    assert headers["etag"] == '"h1"'
    assert lineage["warc_record_id"].startswith("<urn:uuid:")


def test_raw_refuses_a_damaged_snapshot_and_writes_nothing(
    db_url: str, site: HTTPTestServer
) -> None:
    fetch(db_url, site, "/news/ferry")
    engine = open_archive(db_url)
    try:
        with Session(engine) as session, session.begin():
            other = b"<html>not what was received</html>"
            session.execute(
                update(Snapshot).values(
                    data=zstandard.ZstdCompressor().compress(other), size=len(other)
                )
            )
    finally:
        engine.dispose()
    result = run(db_url, "show", "--raw", site.url("/news/ferry"))
    assert result.exit_code != 0
    assert result.stdout_bytes == b""
    assert "does not match its stored SHA-256" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_is_read_only_and_options_exclude_each_other(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'none.db'}"
    result = run(db, "show", "http://example.org/a")
    assert result.exit_code != 0
    assert not (tmp_path / "none.db").exists()
    both = run(db, "show", "--raw", "--json", "http://example.org/a")
    assert both.exit_code == 2 and "choose one of" in both.stderr


def test_a_fetch_stored_before_headers_were_kept_says_so(db_url: str, site: HTTPTestServer) -> None:
    fetch(db_url, site, "/news/ferry")
    engine = open_archive(db_url)
    try:
        with Session(engine) as session, session.begin():
            session.execute(
                update(Fetch).values(
                    response_headers=None, request_headers=None, http_version=None, reason=None
                )
            )
    finally:
        engine.dispose()
    url = site.url("/news/ferry")
    lineage = json.loads(run(db_url, "show", "--json", url).stdout)["fetch"]
    assert lineage["headers_recorded"] is False
    assert lineage["response_headers"] is None and lineage["request_headers"] is None
    assert lineage["status"] == 200
    assert "response headers: not recorded" in run(db_url, "show", url).stdout
    assert run(db_url, "show", "--raw", url).stdout_bytes == SENT["/news/ferry"]
