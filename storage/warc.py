"""WARC out: the stored fetches behind versions, as WARC/1.1 written with warcio.

Per version: the ``request`` and ``response`` records of the fetch that made it (written
once per fetch) and a ``metadata`` record with what was extracted, all gzip-compressed
record by record after one ``warcinfo`` record. Record ids come from
:mod:`storage.warc_ids`, so other exports can name the response a text came from.

The response block is the stored status line, the stored headers (their bytes as received)
and the snapshot body exactly as stored. The fetcher stores the *decoded* entity body (its
Content-Encoding undone, no chunking), so the headers that described the transfer are kept
under ``X-Archive-Orig-`` names (pywb's convention) and a Content-Length of the stored body
is given: a WARC reader then reads the body as it is. Fetches stored before migration 0007
have no recorded headers: their block has only what is known (the status, and Content-Type
and length of the stored body) and the metadata record says ``"headers_recorded": false``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import metadata
from itertools import islice
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.errors import StorageError
from storage.fetches import Headers, request_headers, response_headers
from storage.models import Article, Fetch, Snapshot, Version
from storage.snapshots import snapshot_body
from storage.types import page_time_iso
from storage.warc_ids import behind_fetch_id, warc_metadata_id, warc_record_id, warc_request_id

#: Headers that describe how the body travelled, not the body we stored (decoded, whole).
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
ORIG_PREFIX = "X-Archive-Orig-"

#: versions read from the database at a time (memory stays bounded by this many bodies)
BATCH = 200
#: fetch ids remembered to write a fetch behind several versions once (a bounded window)
REMEMBERED = 100_000


@dataclass(frozen=True)
class WarcSummary:
    """What :func:`write_warc` wrote: versions described, fetches written, records, skips."""

    versions: int
    fetches: int
    records: int
    #: versions with no stored fetch or snapshot behind them (nothing faithful to write)
    skipped: int
    #: fetches written with no recorded headers (stored before migration 0007)
    without_headers: int


def payload_digest(body: bytes) -> str:
    """The ``WARC-Payload-Digest`` of a body, as warcio computes it (``sha1:`` + base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """A WARC/1.1 date: UTC, with microseconds when there are any."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def response_block(fetch: Fetch, body: bytes, content_type: str | None) -> tuple[bytes, bool]:
    """The HTTP response message of a stored fetch, and whether its headers were recorded."""
    headers = response_headers(fetch)
    status = fetch.status or 200
    if headers is None:
        # Not recorded: the status is known, the phrase is the standard one for it, and the
        # fetcher speaks HTTP/1.1 only; the headers say only what the stored body is.
        phrase = _standard_phrase(status)
        lines = [f"HTTP/1.1 {status} {phrase}".rstrip()]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body)}")
        return _block(lines, body), False
    version = fetch.http_version or "HTTP/1.1"
    reason = fetch.reason if fetch.reason is not None else _standard_phrase(status)
    lines = [f"{version} {status} {reason}".rstrip()]
    for name, value in _as_stored(headers, len(body)):
        lines.append(f"{name}: {value}")
    return _block(lines, body), True


def request_block(fetch: Fetch, url: str) -> bytes:
    """The HTTP request that got a stored fetch's response: always a GET of ``url``."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1"]
    for name, value in request_headers(fetch) or ():
        lines.append(f"{name}: {value}")
    return _block(lines, b"")


def _as_stored(headers: Headers, length: int) -> Iterator[tuple[str, str]]:
    """The recorded headers, with those about the transfer renamed and a true length added."""
    for name, value in headers:
        if name.lower() in TRANSFER_HEADERS:
            yield ORIG_PREFIX + name, value
        else:
            yield name, value
    yield "Content-Length", str(length)


def _standard_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _block(lines: list[str], body: bytes) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _software() -> str:
    try:
        return f"storyline/{metadata.version('storyline')}"
    except metadata.PackageNotFoundError:
        return "storyline"


class _Writer:
    """warcio's writer with records whose blocks we build byte for byte."""

    def __init__(self, out: BinaryIO) -> None:
        self.writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
        self.records = 0

    def warcinfo(self) -> None:
        info = {
            "software": _software(),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "storyline export: the fetches behind archived article versions",
        }
        self.writer.write_record(self.writer.create_warcinfo_record("", info))
        self.records += 1

    def write(
        self,
        rec_type: str,
        headers: list[tuple[str, str]],
        block: bytes,
        content_type: str,
        *,
        payload: bytes | None = None,
    ) -> None:
        """One record; digests are ours so warcio does not re-serialise the HTTP headers."""
        rec_headers = StatusAndHeaders("", [], protocol="WARC/1.1")
        rec_headers.add_header("WARC-Type", rec_type)
        for name, value in headers:
            rec_headers.add_header(name, value)
        rec_headers.add_header("WARC-Block-Digest", payload_digest(block))
        if payload is not None:
            rec_headers.add_header("WARC-Payload-Digest", payload_digest(payload))
        record = ArcWarcRecord(
            "warc", rec_type, rec_headers, io.BytesIO(block), None, content_type, len(block)
        )
        record.payload_length = len(block)
        self.writer.write_record(record)
        self.records += 1


def write_warc(engine: Engine, version_ids: Iterable[int], out: BinaryIO) -> WarcSummary:
    """Write the fetches behind ``version_ids`` (in that order) to ``out`` as WARC/1.1.

    Streams: versions are read :data:`BATCH` at a time (their compressed snapshots), one
    decoded body in memory at a time. A fetch behind several of the versions is written once
    (within the last :data:`REMEMBERED` fetches). A stored body whose SHA-256 no longer
    matches its snapshot's digest raises :class:`StorageError` (the archive is damaged).
    """
    writer = _Writer(out)
    writer.warcinfo()
    written: set[int] = set()
    versions = fetches = skipped = bare = 0
    ids = iter(version_ids)
    with Session(engine) as session:
        while chunk := list(islice(ids, BATCH)):
            for version, article, fetch, snapshot in _load(session, chunk):
                versions += 1
                if fetch is None or snapshot is None:
                    skipped += 1
                    continue
                if fetch.id not in written:
                    recorded = _write_fetch(writer, fetch, snapshot)
                    if len(written) >= REMEMBERED:
                        written.clear()  # memory stays bounded; repeats are rare and far apart
                    written.add(fetch.id)
                    fetches += 1
                    bare += 0 if recorded else 1
                else:
                    recorded = fetch.response_headers is not None
                _write_metadata(writer, version, article, fetch, snapshot, recorded)
            session.expunge_all()
    return WarcSummary(versions, fetches, writer.records, skipped, bare)


_Row = tuple[Version, Article, Fetch | None, Snapshot | None]


def _load(session: Session, chunk: list[int]) -> list[_Row]:
    """The versions of ``chunk`` in its order, each with its article, fetch and snapshot."""
    rows = session.execute(
        select(Version, Article, behind_fetch_id().label("fetch_id"))
        .join(Article, Version.article_id == Article.id)
        .where(Version.id.in_(chunk))
    ).all()
    fetch_ids = [row.fetch_id for row in rows if row.fetch_id is not None]
    fetches = {f.id: f for f in session.scalars(select(Fetch).where(Fetch.id.in_(fetch_ids)))}
    snapshot_ids = {row.Version.snapshot_id for row in rows} - {None}
    snapshots = {
        s.id: s for s in session.scalars(select(Snapshot).where(Snapshot.id.in_(snapshot_ids)))
    }
    by_id = {row.Version.id: row for row in rows}
    ordered: list[_Row] = []
    for version_id in chunk:
        row = by_id.get(version_id)
        if row is not None:
            version = row.Version
            snapshot = snapshots.get(version.snapshot_id) if version.snapshot_id else None
            ordered.append((version, row.Article, fetches.get(row.fetch_id), snapshot))
    return ordered


def _write_fetch(writer: _Writer, fetch: Fetch, snapshot: Snapshot) -> bool:
    body = snapshot_body(snapshot)
    if hashlib.sha256(body).hexdigest() != snapshot.sha256:
        raise StorageError(
            f"snapshot {snapshot.id} of {fetch.final_url or fetch.url} does not match its"
            f" SHA-256 {snapshot.sha256}: the archive is damaged"
        )
    uri = fetch.final_url or fetch.url
    date = warc_date(fetch.started_at)
    block, recorded = response_block(fetch, body, snapshot.content_type or fetch.content_type)
    response_id = warc_record_id(fetch.id)
    writer.write(
        "request",
        [
            ("WARC-Record-ID", warc_request_id(fetch.id)),
            ("WARC-Target-URI", uri),
            ("WARC-Date", date),
            ("WARC-Concurrent-To", response_id),
        ],
        request_block(fetch, uri),
        "application/http; msgtype=request",
        payload=b"",
    )
    writer.write(
        "response",
        [
            ("WARC-Record-ID", response_id),
            ("WARC-Target-URI", uri),
            ("WARC-Date", date),
            ("WARC-Concurrent-To", warc_request_id(fetch.id)),
        ],
        block,
        "application/http; msgtype=response",
        payload=body,
    )
    return recorded


def version_record(version: Version, article: Article) -> dict[str, Any]:
    """One version's stored fields as plain JSON values (the metadata record, ``show --json``)."""
    return {
        "url": article.url,
        "article_id": article.id,
        "version_id": version.id,
        "version": version.number,
        "fetched_at": version.fetched_at.isoformat(),
        "headline": version.headline,
        "authors": list(version.authors or []),
        "published_at": page_time_iso(version.published),
        "modified_at": page_time_iso(version.modified),
        "description": version.description,
        "language": version.language,
        "word_count": version.word_count,
        "changed_fields": list(version.changed_fields or []),
        "changes": version.changes or {},
        "extractor": version.extractor,
    }


def _write_metadata(
    writer: _Writer,
    version: Version,
    article: Article,
    fetch: Fetch,
    snapshot: Snapshot,
    recorded: bool,
) -> None:
    fields = {
        **version_record(version, article),
        "fetch_id": fetch.id,
        "snapshot_sha256": snapshot.sha256,
        "headers_recorded": recorded,
    }
    block = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
    writer.write(
        "metadata",
        [
            ("WARC-Record-ID", warc_metadata_id(version.id)),
            ("WARC-Target-URI", fetch.final_url or fetch.url),
            ("WARC-Date", warc_date(fetch.started_at)),
            ("WARC-Refers-To", warc_record_id(fetch.id)),
        ],
        block,
        "application/json",
    )
