"""WARC out: a crawl of a loopback site written as WARC/1.1 that warcio's own checker and
indexer accept, with payloads identical to the stored snapshots (both databases)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from scraper.extraction import extract_in_worker
from scraper.fetched import FetchSettings
from scraper.pipeline import archive_url
from storage.errors import StorageError
from storage.models import Fetch, Snapshot, Version
from storage.warc import write_warc
from storage.warc_ids import warc_record_id
from tests.corpus_site import SENT, serve_corpus
from tests.httpserver import HTTPTestServer, Route
from tests.pages import DEFAULT_PARAGRAPHS, article_page

SETTINGS = FetchSettings(user_agent="storyline-tests", allow_private_hosts=frozenset({"127.0.0.2"}))


@pytest.fixture
def site() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.2") as server:
        serve_corpus(server)
        yield server


def crawl(engine: Engine, site: HTTPTestServer) -> None:
    for path in SENT:
        archive_url(engine, site.url(path), settings=SETTINGS, extractor=extract_in_worker)
    # a second version of one article: two fetches behind two versions of it
    site.add(
        "/news/ferry",
        Route(body=article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20."))),
    )
    archive_url(engine, site.url("/news/ferry"), settings=SETTINGS, extractor=extract_in_worker)


def export(engine: Engine, path: Path) -> list[int]:
    with Session(engine) as session:
        ids = list(session.scalars(select(Version.id).order_by(Version.id)))
    with path.open("wb") as out:
        write_warc(engine, ids, out)
    return ids


def warcio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", *args], capture_output=True, text=True, check=False
    )


def stored_snapshots(engine: Engine) -> dict[str, bytes]:
    """sha256 -> body, decompressed here (not by the code under test)."""
    with Session(engine) as session:
        rows = session.scalars(select(Snapshot)).all()
        return {
            row.sha256: zstandard.ZstdDecompressor().decompress(row.data, max_output_size=row.size)
            for row in rows
        }


def test_export_passes_warcio_check_and_index_and_payloads_are_the_snapshots(
    engine: Engine, site: HTTPTestServer, tmp_path: Path
) -> None:
    crawl(engine, site)
    path = tmp_path / "out.warc.gz"
    ids = export(engine, path)
    assert len(ids) == 5

    check = warcio("check", "-v", str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "failed" not in check.stdout
    # every record carries digests that were verified: warcinfo, 5 fetches x 2, 5 metadata
    assert check.stdout.count("digest pass") == 1 + 5 * 2 + 5

    index = warcio("index", "-f", "warc-type,warc-target-uri,offset", str(path))
    assert index.returncode == 0, index.stderr
    types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    assert types.count("warcinfo") == 1
    assert types.count("request") == types.count("response") == 5
    assert types.count("metadata") == 5

    snapshots = stored_snapshots(engine)
    responses: dict[str, bytes] = {}
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            body = record.content_stream().read()
            digest = hashlib.sha256(body).hexdigest()
            assert digest in snapshots and snapshots[digest] == body
            sha1 = "sha1:" + base64.b32encode(hashlib.sha1(snapshots[digest]).digest()).decode()
            assert record.rec_headers.get_header("WARC-Payload-Digest") == sha1
            responses[record.rec_headers.get_header("WARC-Target-URI")] = body
    # the decoded entity bodies the server sent, byte for byte (gzip and ISO-8859-1 included)
    for path_ in ("/news/gzipped", "/news/cafe", "/news/headers"):
        assert responses[site.url(path_)] == SENT[path_]
    assert b"\xe9" in responses[site.url("/news/cafe")]


def test_records_link_request_response_and_metadata(
    engine: Engine, site: HTTPTestServer, tmp_path: Path
) -> None:
    crawl(engine, site)
    path = tmp_path / "out.warc.gz"
    export(engine, path)
    with Session(engine) as session:
        fetches = {f.final_url: f for f in session.scalars(select(Fetch).order_by(Fetch.id))}
        gz_fetch = fetches[site.url("/news/gzipped")]
        gz_id = gz_fetch.id
        gz_time = gz_fetch.started_at
    records: dict[str, str] = {}
    metadata = []
    concurrent: list[str] = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            rid = record.rec_headers.get_header("WARC-Record-ID")
            records[rid] = record.rec_type
            if record.rec_type == "request":
                concurrent.append(record.rec_headers.get_header("WARC-Concurrent-To"))
            if record.rec_type == "response":
                http = record.http_headers
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if uri == site.url("/news/headers"):
                    assert http.get_header("X-Story-Desk") == "harbour"
                if uri == site.url("/news/gzipped"):
                    assert rid == warc_record_id(gz_id)
                    assert http.get_header("Content-Encoding") is None
                    assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
                    assert http.get_header("Content-Length") == str(len(SENT["/news/gzipped"]))
                    date = record.rec_headers.get_header("WARC-Date")
                    assert date.startswith(gz_time.strftime("%Y-%m-%dT%H:%M:%S"))
            if record.rec_type == "metadata":
                refers = record.rec_headers.get_header("WARC-Refers-To")
                assert records[refers] == "response"
                metadata.append(json.loads(record.content_stream().read()))
    assert len(concurrent) == 5 and all(records[rid] == "response" for rid in concurrent)
    by_version = {(m["url"].rsplit("/", 1)[-1], m["version"]): m for m in metadata}
    second = by_version[("ferry", 2)]
    assert second["changed_fields"] == ["body"]
    assert second["headline"] == "Council votes to close the old ferry terminal"
    assert second["headers_recorded"] is True
    assert by_version[("cafe", 1)]["headline"] == "Café owners fear the ferry's end"


def test_fetches_stored_before_headers_were_kept_get_no_invented_headers(
    engine: Engine, site: HTTPTestServer, tmp_path: Path
) -> None:
    crawl(engine, site)
    with Session(engine) as session, session.begin():
        # what a fetch stored before migration 0007 looks like
        session.execute(
            update(Fetch).values(
                response_headers=None, request_headers=None, http_version=None, reason=None
            )
        )
    path = tmp_path / "old.warc.gz"
    export(engine, path)
    assert warcio("check", str(path)).returncode == 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                names = [name.lower() for name, _ in record.http_headers.headers]
                assert names == ["content-type", "content-length"]
                assert record.http_headers.get_statuscode() == "200"
            if record.rec_type == "request":
                assert record.http_headers.headers == []
            if record.rec_type == "metadata":
                assert json.loads(record.content_stream().read())["headers_recorded"] is False


def test_records_are_gzipped_one_member_each(
    engine: Engine, site: HTTPTestServer, tmp_path: Path
) -> None:
    crawl(engine, site)
    path = tmp_path / "out.warc.gz"
    export(engine, path)
    data = path.read_bytes()
    members = 0
    while data:
        decompressor = zlib.decompressobj(31)
        head = decompressor.decompress(data)
        assert head.startswith(b"WARC/1.1\r\n")
        data = decompressor.unused_data
        members += 1
    assert members == 1 + 5 * 3
    assert gzip.decompress(path.read_bytes()).count(b"WARC/1.1\r\n") == members


def test_a_version_asked_twice_writes_its_fetch_once_and_a_damaged_body_is_refused(
    engine: Engine, site: HTTPTestServer, tmp_path: Path
) -> None:
    crawl(engine, site)
    with Session(engine) as session:
        ids = list(session.scalars(select(Version.id).order_by(Version.id)))
    with (tmp_path / "twice.warc.gz").open("wb") as out:
        summary = write_warc(engine, [*ids, ids[0]], out)
    assert (summary.versions, summary.fetches, summary.skipped) == (6, 5, 0)
    assert summary.records == 1 + 5 * 2 + 6
    with Session(engine) as session, session.begin():
        other = b"<html>something else</html>"
        session.execute(
            update(Snapshot)
            .where(Snapshot.id == session.scalar(select(Snapshot.id).limit(1)))
            .values(data=zstandard.ZstdCompressor().compress(other), size=len(other))
        )
    with (tmp_path / "bad.warc.gz").open("wb") as out, pytest.raises(StorageError, match="damaged"):
        write_warc(engine, ids, out)
