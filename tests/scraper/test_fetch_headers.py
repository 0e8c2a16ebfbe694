"""The fetch record keeps the exchange: status line, headers in order with duplicates, the
headers we sent, and old archives migrate with their fetches intact (both databases)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, column, insert, select, table
from sqlalchemy.orm import Session

from scraper.extraction import extract_in_worker
from scraper.fetched import FetchResult, FetchSettings
from scraper.fetcher import Fetcher
from scraper.pipeline import archive_url
from storage import create_archive_engine, open_archive
from storage.fetches import request_headers, response_headers
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Fetch
from tests.pages import article_page

SETTINGS = FetchSettings(user_agent="storyline-tests", allow_private_hosts=frozenset({"*"}))


class RawServer:
    """Answers every request on 127.0.0.4 with the same bytes, exactly as given."""

    def __init__(self, head: bytes, body: bytes) -> None:
        self.response = head.replace(b"{length}", str(len(body)).encode()) + body
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.4", 0))
        self.sock.listen(8)
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.4:{self.sock.getsockname()[1]}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data)
                conn.sendall(self.response)

    def close(self) -> None:
        self.sock.close()


BODY = article_page().encode("utf-8")
HEAD = (
    b"HTTP/1.1 200 Fine Thanks\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"X-Trace: first\r\n"
    b"Set-Cookie: a=1\r\n"
    b"Set-Cookie: b=2\r\n"
    b"X-Label: caf\xe9\r\n"
    b'ETag: "v1"\r\n'
    b"Content-Length: {length}\r\n"
    b"Connection: close\r\n\r\n"
)
SENT = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("X-Trace", "first"),
    ("Set-Cookie", "a=1"),
    ("Set-Cookie", "b=2"),
    ("X-Label", "caf\xe9"),
    ("ETag", '"v1"'),
    ("Content-Length", str(len(BODY))),
    ("Connection", "close"),
]


@pytest.fixture
def raw_site() -> Iterator[RawServer]:
    server = RawServer(HEAD, BODY)
    yield server
    server.close()


def _fetch(url: str, **kw: object) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(SETTINGS) as fetcher:
            return await fetcher.fetch(url, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


def _lower(pairs: object) -> list[tuple[str, str]]:
    assert isinstance(pairs, tuple)
    return [(name.lower(), value) for name, value in pairs]


def test_fetch_result_keeps_status_line_headers_in_order_and_what_was_sent(
    raw_site: RawServer,
) -> None:
    result = _fetch(raw_site.url("/a"), etag='"v0"', last_modified="Mon, 30 Nov 2026 10:00:00 GMT")
    assert (result.http_version, result.status, result.reason) == ("HTTP/1.1", 200, "Fine Thanks")
    # names may be folded to lower case by the HTTP parser; values and order are exact
    assert _lower(result.raw_headers) == [(n.lower(), v) for n, v in SENT]
    sent = dict(_lower(result.request_headers))
    assert sent["if-none-match"] == '"v0"'
    assert sent["if-modified-since"] == "Mon, 30 Nov 2026 10:00:00 GMT"
    assert sent["user-agent"] == "storyline-tests"
    # what the server received is what we say we sent
    received = raw_site.requests[0].decode("latin-1").split("\r\n")[1:]
    received_pairs = [tuple(line.split(": ", 1)) for line in received if line]
    assert [(n.lower(), v) for n, v in received_pairs] == _lower(result.request_headers)


def test_stored_fetch_has_the_headers_with_duplicates(engine: Engine, raw_site: RawServer) -> None:
    outcome = archive_url(
        engine, raw_site.url("/news/one"), settings=SETTINGS, extractor=extract_in_worker
    )
    assert outcome.outcome == "new-article"
    with Session(engine) as session:
        fetch = session.scalars(select(Fetch)).one()
        assert (fetch.http_version, fetch.status, fetch.reason) == ("HTTP/1.1", 200, "Fine Thanks")
        assert fetch.final_url == raw_site.url("/news/one")
        stored = _lower(response_headers(fetch))
        assert stored == [(n.lower(), v) for n, v in SENT]
        assert [v for n, v in stored if n == "set-cookie"] == ["a=1", "b=2"]
        assert ("x-label", "caf\xe9") in stored  # the byte 0xE9, not re-encoded
        assert dict(_lower(request_headers(fetch)))["user-agent"] == "storyline-tests"


FETCH_0006 = table(
    "fetch",
    column("id"),
    column("url"),
    column("final_url"),
    column("host"),
    column("started_at"),
    column("status"),
    column("size"),
    column("content_type"),
    column("outcome"),
)


def test_a_0006_archive_keeps_its_fetches_and_reads_them_without_headers(db_url: str) -> None:
    old = create_archive_engine(db_url)
    upgrade(old, "0006")
    when = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with old.begin() as conn:
        conn.execute(
            insert(FETCH_0006),
            [
                {
                    "id": 7,
                    "url": "http://example.org/a",
                    "final_url": "http://example.org/a",
                    "host": "example.org",
                    "started_at": when.replace(tzinfo=None)
                    if old.dialect.name == "sqlite"
                    else when,
                    "status": 200,
                    "size": 1234,
                    "content_type": "text/html",
                    "outcome": "new-article",
                }
            ],
        )
    old.dispose()
    engine = open_archive(db_url)  # migrates to the head
    assert current_revision(engine) == head_revision()
    with Session(engine) as session:
        fetch = session.get(Fetch, 7)
        assert fetch is not None
        assert (fetch.url, fetch.status, fetch.size, fetch.outcome) == (
            "http://example.org/a",
            200,
            1234,
            "new-article",
        )
        assert fetch.http_version is None and fetch.reason is None
        assert response_headers(fetch) is None and request_headers(fetch) is None
    engine.dispose()
