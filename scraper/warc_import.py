"""WARC in: every HTML response in a WARC file, through the crawl's extraction and version rules.

Each ``response`` record with status 200 and an HTML body becomes a :class:`FetchResult`
(the record's ``WARC-Date`` as fetch time, its HTTP headers as the fetch's headers, the
headers of its ``request`` record when there is one) and is stored by
:func:`scraper.pipeline.store`, exactly as a fetched page. The HTTP header block is parsed
here from the record's bytes (warcio's parser re-decodes header text), and the body is
de-chunked and decoded by the fetcher's own bounded decoder.

Resumable: a record already imported (same URL, same time, same body) is counted and not
stored again, and the same content never makes a new version anyway. Broken input never
stops an import: a truncated or invalid record is counted and skipped, and reading goes on
at the next record found after it (:class:`_Reader`).
"""

from __future__ import annotations

import base64
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
from scraper.pipeline import Extractor, learned_boilerplate, record_extraction_failure, store
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
        reader = _Reader(fh, counts)
        for record in reader:
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
                reader.flag_invalid()
                counts.skipped_invalid += 1
                counts.problems.append(f"{rid}: {exc}")
                log.info("%s: skipped record %s: %s", path, rid, exc)
    if pending is not None:
        _store(engine, pending[1], counts, extractor, source)
    return counts


#: what reading a broken WARC may raise, from warcio, gzip and the file itself
READ_ERRORS = (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN = 1024 * 1024


class _Reader:
    """The records of one file, going on after a broken one where the next record starts.

    warcio stops at a record it cannot parse; then the file is searched onwards for the
    next gzip member that holds a WARC record (or, uncompressed, the next ``WARC/1.x`` line)
    and read from there. Each place the file broke counts as one invalid record, unless the
    record it broke in was counted already (``flag_invalid``).
    """

    def __init__(self, fh: IO[bytes], counts: ImportCounts) -> None:
        self.fh = fh
        self.counts = counts
        self._flagged = False
        self.gzipped = fh.read(3) == _GZIP_MAGIC
        fh.seek(0)

    def flag_invalid(self) -> None:
        """The record just yielded was counted invalid by its reader."""
        self._flagged = True

    def __iter__(self) -> Iterator[ArcWarcRecord]:
        start = 0
        resumed = False  # reading again after a break: failing at once is the same break
        while True:
            self.fh.seek(start)
            iterator = ArchiveIterator(self.fh, no_record_parse=True)
            broken_at = start  # where the record being read starts (after the last good one)
            try:
                for record in iterator:
                    self._flagged = False
                    resumed = False
                    yield record
                    offset = iterator.get_record_offset()
                    # a record found broken may have read on into the next: look again
                    # from its own start, not from where reading it stopped
                    broken_at = offset if self._flagged else offset + iterator.member_info[1]
                return
            except READ_ERRORS as exc:
                if not self._flagged and not resumed:
                    self.counts.records += 1
                    self.counts.skipped_invalid += 1
                    self.counts.problems.append(f"offset {broken_at}: {exc}")
                self._flagged = False
                found = self._next_start(self._past_blank(broken_at) + 1)
                if found is None:
                    return
                start, resumed = found, True

    def _past_blank(self, position: int) -> int:
        """``position`` moved past the blank lines that end an uncompressed record."""
        self.fh.seek(position)
        head = self.fh.read(64)
        return position + len(head) - len(head.lstrip(b"\r\n"))

    def _next_start(self, position: int) -> int | None:
        """Where the next readable record starts at or after ``position``, if anywhere."""
        needle = _GZIP_MAGIC if self.gzipped else b"WARC/1."
        while True:
            self.fh.seek(position)
            window = self.fh.read(_SCAN + 64)
            if not window:
                return None
            at = window.find(needle)
            while 0 <= at < _SCAN:
                if self._starts_record(window, at, position):
                    return position + at
                at = window.find(needle, at + 1)
            position += _SCAN

    def _starts_record(self, window: bytes, at: int, position: int) -> bool:
        if not self.gzipped:
            return window[at + 7 : at + 10] in (b"0\r\n", b"1\r\n")
        self.fh.seek(position + at)
        try:
            head = zlib.decompressobj(31).decompress(self.fh.read(4096), 16)
        except zlib.error:
            return False
        return head.startswith(b"WARC/")


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
    try:
        block = record.raw_stream.read(length + 1 if length else MAX_PAYLOAD + MAX_HEAD + 1)
    except READ_ERRORS as exc:
        raise _Invalid(f"unreadable: {exc}") from exc
    if length and len(block) < length:
        raise _Invalid(f"truncated: {len(block)} of {length} bytes")
    _check_block_digest(record.rec_headers.get_header("WARC-Block-Digest"), block)
    return block


def _check_block_digest(declared: str | None, block: bytes) -> None:
    """Compare ``WARC-Block-Digest`` (sha1/sha256, base32 or hex) with the block read.

    A record cut short in an uncompressed file reads on into the next record: its length
    still matches, its digest does not. Unknown algorithms and encodings are not checked.
    """
    if not declared or ":" not in declared:
        return
    algorithm, _, value = declared.strip().partition(":")
    algorithm = algorithm.lower().replace("-", "")
    if algorithm not in ("sha1", "sha256"):
        return
    digest = hashlib.new(algorithm, block).digest()
    value = value.strip()
    if len(value) == len(digest) * 2:
        matches = value.lower() == digest.hex()
    else:
        matches = value.upper().rstrip("=") == base64.b32encode(digest).decode().rstrip("=")
    if not matches:
        raise _Invalid("block digest does not match (damaged or cut short)")


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
    try:
        block = record.raw_stream.read(MAX_HEAD)
    except READ_ERRORS as exc:
        raise _Invalid(f"unreadable request: {exc}") from exc
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
            Fetch.url == result.url,  # indexed; an imported fetch has url == final_url
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
        record_extraction_failure(engine, result, exc)
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
