"""WARC in: every HTML response in a WARC file, through the crawl's extraction and version rules.

Each ``response`` record with status 200 and an HTML body becomes a :class:`FetchResult`
(the record's ``WARC-Date`` as fetch time, its HTTP headers as the fetch's headers, the
headers of its ``request`` record when there is one) and is stored by
:func:`scraper.pipeline.store`, exactly as a fetched page. The HTTP header block is parsed
here from the record's bytes (warcio's parser re-decodes header text), and the body is
de-chunked and decoded by the fetcher's own bounded decoder.

Resumable: a record already imported (same URL, same time, same body) is counted and not
stored again, and the same content never makes a new version anyway. Broken input never
stops an import: a truncated or invalid record is counted and skipped, and when the file
cannot be read past it the rest is counted as lost in one ``invalid``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from scraper import errors
from scraper.decoding import BoundedDecoder
from scraper.fetched import FetchResult, media_type
from scraper.fetcher import HTML_TYPES
from scraper.pipeline import Extractor, fetch_record, learned_boilerplate, store
from storage import FetchRecord, put_snapshot, record_fetch
from storage.fetches import Headers
from storage.models import Fetch, Snapshot
from storage.states import Outcome

log = logging.getLogger(__name__)

#: the largest decoded body (and raw record block) imported; larger ones are skipped
MAX_PAYLOAD = 50 * 1024 * 1024
#: the largest HTTP header block read from a record
MAX_HEAD = 256 * 1024


class WarcInputError(errors.ScraperError):
    """A WARC input that cannot be read at all (not a regular file, unreadable)."""


@dataclass
class ImportCounts:
    """What an import did, record by record; ``imported`` = stored as a fetch of a page."""

    records: int = 0
    imported: int = 0
    new_articles: int = 0
    new_versions: int = 0
    unchanged: int = 0
    thin: int = 0
    already_imported: int = 0
    skipped_non_html: int = 0
    skipped_non_response: int = 0
    skipped_invalid: int = 0
    skipped_too_large: int = 0
    failed_extraction: int = 0
    #: record ids (or offsets) of skipped invalid records, with why, for the report
    problems: list[str] = field(default_factory=list)

    def add(self, other: ImportCounts) -> None:
        for f in fields(self):
            if f.name == "problems":
                self.problems.extend(other.problems)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _Invalid(Exception):
    """One record that cannot be imported as it is (truncated, unparsable)."""


@dataclass(frozen=True)
class _Http:
    version: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


def check_input(path: Path) -> None:
    """Refuse what is not a regular, readable file (a FIFO, a device, a directory)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise WarcInputError(f"{path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise WarcInputError(f"{path}: not a regular file")
    if not os.access(path, os.R_OK):
        raise WarcInputError(f"{path}: not readable")


def import_warc(
    engine: Engine,
    path: Path,
    *,
    extractor: Extractor,
    source: str | None = None,
    max_payload: int = MAX_PAYLOAD,
) -> ImportCounts:
    """Import the HTML responses of one WARC file (gzip or not); see the module docstring.

    A page is stored once the next record has been read: a ``request`` record written just
    after its response (warcio's order) still gives that fetch its request headers.
    """
    check_input(path)
    counts = ImportCounts()
    requests: dict[str, Headers] = {}
    pending: tuple[str, FetchResult] | None = None
    with path.open("rb") as fh:
        for record in _records(fh, counts):
            counts.records += 1
            rid = record.rec_headers.get_header("WARC-Record-ID") or "?"
            try:
                if record.rec_type == "request":
                    counts.skipped_non_response += 1
                    target, sent = _request(record)
                    if pending is not None and target == pending[0]:
                        pending = (pending[0], replace(pending[1], request_headers=sent))
                    elif target and sent is not None:
                        if len(requests) > 1000:
                            requests.clear()
                        requests[target] = sent
                    continue
                if pending is not None:
                    _store(engine, pending[1], counts, extractor, source)
                    pending = None
                result = _response(record, counts, max_payload)
                if result is not None:
                    sent = requests.pop(rid, None)
                    pending = (rid, replace(result, request_headers=sent))
            except _Invalid as exc:
                counts.skipped_invalid += 1
                counts.problems.append(f"{rid}: {exc}")
                log.info("%s: skipped record %s: %s", path, rid, exc)
    if pending is not None:
        _store(engine, pending[1], counts, extractor, source)
    return counts


def _records(fh: IO[bytes], counts: ImportCounts) -> Iterator[ArcWarcRecord]:
    """The file's records; a file that cannot be read further ends with one invalid count."""
    iterator = ArchiveIterator(fh, no_record_parse=True)
    records = iter(iterator)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
            counts.records += 1
            counts.skipped_invalid += 1
            counts.problems.append(f"offset {iterator.offset}: cannot read on: {exc}")
            return
        yield record


def _response(record: ArcWarcRecord, counts: ImportCounts, max_payload: int) -> FetchResult | None:
    """The page in a ``response`` record, or None (counted) when it is not an HTML page."""
    if record.rec_type != "response":
        counts.skipped_non_response += 1
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if not uri.lower().startswith(("http://", "https://")):
        counts.skipped_non_html += 1  # dns:, whois: … responses are not pages
        return None
    length = record.length or 0
    if length > max_payload + MAX_HEAD:
        counts.skipped_too_large += 1
        return None
    block = _read_block(record, length)
    http, body_raw = _parse_http(block)
    kind_, charset = media_type(http.get("content-type"))
    if not kind_:
        kind_, charset = media_type(record.rec_headers.get_header("WARC-Identified-Payload-Type"))
    if http.status != 200 or kind_ not in HTML_TYPES:
        counts.skipped_non_html += 1
        return None
    body = _decode_body(http, body_raw, uri, max_payload)
    if body is None:
        counts.skipped_too_large += 1
        return None
    date = _warc_date(record.rec_headers.get_header("WARC-Date"))
    return FetchResult(
        url=uri,
        final_url=uri,
        status=http.status,
        headers={name.lower(): value for name, value in http.headers},
        body=body,
        content_type=kind_,
        charset=charset,
        started_at=date,
        http_version=http.version,
        reason=http.reason,
        raw_headers=http.headers,
    )


def _read_block(record: ArcWarcRecord, length: int) -> bytes:
    block = record.raw_stream.read(length + 1 if length else MAX_PAYLOAD + MAX_HEAD + 1)
    if length and len(block) < length:
        raise _Invalid(f"truncated: {len(block)} of {length} bytes")
    return block


def _latin1(raw: bytes) -> str:
    return raw.decode("latin-1")


def _parse_http(block: bytes) -> tuple[_Http, bytes]:
    """The status line and headers of an HTTP response block, kept as bytes (latin-1 text)."""
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0 or end > MAX_HEAD:
        end, sep = block.find(b"\n\n"), 2
    if end < 0 or end > MAX_HEAD:
        raise _Invalid("no end of the HTTP headers")
    lines = block[:end].replace(b"\r\n", b"\n").split(b"\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise _Invalid(f"not an HTTP status line: {_latin1(lines[0][:80])!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t") and headers:  # obsolete line folding
            folded, before = headers[-1]
            headers[-1] = (folded, before + " " + _latin1(line.strip()))
            continue
        raw_name, colon, raw_value = line.partition(b":")
        if not colon or not raw_name.strip():
            raise _Invalid(f"not an HTTP header line: {_latin1(line[:80])!r}")
        headers.append((_latin1(raw_name.strip()), _latin1(raw_value.strip())))
    reason = _latin1(parts[2]) if len(parts) > 2 else ""
    http = _Http(_latin1(parts[0]), int(parts[1]), reason, tuple(headers))
    return http, block[end + sep :]


def _decode_body(http: _Http, raw: bytes, uri: str, max_payload: int) -> bytes | None:
    """The entity body: de-chunked and decoded; None when it decodes past ``max_payload``."""
    if (http.get("transfer-encoding") or "").lower() == "chunked":
        try:
            raw = ChunkedDataReader(io.BytesIO(raw), raise_exceptions=True).read()
        except Exception as exc:
            raise _Invalid(f"broken chunked body: {exc}") from exc
    try:
        decoder = BoundedDecoder(http.get("content-encoding"), url=uri)
        pieces: list[bytes] = []
        total = 0
        for piece in decoder.decode(raw):
            total += len(piece)
            if total > max_payload:
                return None
            pieces.append(piece)
    except errors.FetchError as exc:
        raise _Invalid(exc.message) from exc
    return b"".join(pieces)


def _warc_date(value: str | None) -> datetime:
    if not value:
        raise _Invalid("no WARC-Date")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Invalid(f"bad WARC-Date {value!r}") from exc
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _request(record: ArcWarcRecord) -> tuple[str | None, Headers | None]:
    """The response a ``request`` record names (WARC-Concurrent-To) and the headers it sent."""
    target = record.rec_headers.get_header("WARC-Concurrent-To")
    if not target or (record.length or 0) > MAX_HEAD:
        return target, None
    block = record.raw_stream.read(MAX_HEAD)
    end = block.find(b"\r\n\r\n")
    if end < 0:
        return target, None
    pairs = []
    for line in block[:end].split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            pairs.append((_latin1(name.strip()), _latin1(value.strip())))
    return target, tuple(pairs)


def _already(session: Session, result: FetchResult) -> bool:
    digest = hashlib.sha256(result.body).hexdigest()
    found = session.scalar(
        select(Fetch.id)
        .join(Snapshot, Fetch.snapshot_id == Snapshot.id)
        .where(
            Fetch.final_url == result.final_url,
            Fetch.started_at == result.started_at,
            Snapshot.sha256 == digest,
        )
        .limit(1)
    )
    return found is not None


def _store(
    engine: Engine,
    result: FetchResult,
    counts: ImportCounts,
    extractor: Extractor,
    source: str | None,
) -> None:
    with Session(engine) as session:
        if _already(session, result):
            counts.already_imported += 1
            return
        keys = learned_boilerplate(session, result.final_url)
    try:
        extraction = extractor(result.body, result.final_url, keys)
    except errors.ExtractionError as exc:
        with Session(engine) as session, session.begin():
            snapshot_id = put_snapshot(
                session, result.body, content_type=result.content_type, now=result.started_at
            )
            record = fetch_record(result, outcome=Outcome.FAILED, snapshot_id=snapshot_id)
            record_fetch(session, _failed(record, exc))
        counts.failed_extraction += 1
        return
    with Session(engine) as session, session.begin():
        outcome = store(
            session, result, extraction, extractor=extractor, source=source, boilerplate_keys=keys
        )
    counts.imported += 1
    if outcome.outcome == Outcome.NEW_ARTICLE:
        counts.new_articles += 1
    elif outcome.outcome == Outcome.NEW_VERSION:
        counts.new_versions += 1
    elif outcome.outcome == Outcome.UNCHANGED:
        counts.unchanged += 1
    elif outcome.outcome == Outcome.THIN:
        counts.thin += 1


def _failed(record: FetchRecord, exc: errors.ExtractionError) -> FetchRecord:
    return replace(record, error_kind="extract", error=exc.message)
