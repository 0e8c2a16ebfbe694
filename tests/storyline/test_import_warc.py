"""WARC in: a file made by warcio's own writer (not our exporter), imported with the right
counts, truncated and non-HTML records skipped, and a re-import that stores nothing twice."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.extraction import extract_in_worker
from scraper.warc_import import import_warc
from storage import open_archive
from storage.fetches import request_headers, response_headers
from storage.models import Article, Fetch, Version
from storyline.cli import EXIT_FAILED, cli
from tests.pages import DEFAULT_PARAGRAPHS, article_page

SITE = "https://news.example.org"
PAGE_A = article_page().encode("utf-8")
PAGE_A2 = article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20.")).encode()
PAGE_B = article_page(headline="Bridge tolls to stay until 2030").encode("utf-8")
PAGE_C = (
    article_page(headline="Café owners fear the ferry's end")
    .replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    .encode("latin-1")
)
PAGE_D = article_page(headline="Harbour dredging starts in May").encode("utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _date(day: int, hour: int = 9) -> str:
    return datetime(2026, 11, day, hour, 0, 0, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response(
    writer: WARCWriter,
    path: str,
    body: bytes,
    date: str,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    extra: list[tuple[str, str]] | None = None,
    encoding: str | None = None,
):
    payload = body
    headers = [("Content-Type", content_type), ("X-Served-By", "edge-7"), ("X-Served-By", "edge-9")]
    if encoding == "gzip":
        payload = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    headers += extra or []
    headers.append(("Content-Length", str(len(payload))))
    return writer.create_warc_record(
        SITE + path,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date},
    )


def make_warc(path: Path, *, compress: bool = True) -> None:
    """Eleven records: 5 good HTML responses (3 stories, one of them seen 3 times, changed once),
    a PNG, a 404, a warcinfo, a request, a metadata record, and a truncated last response."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress, warc_version="WARC/1.1")
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "warcio tests"}))
    first = _response(writer, "/news/ferry", PAGE_A, _date(1), extra=[("ETag", '"a1"')])
    request = writer.create_warc_record(
        SITE + "/news/ferry",
        "request",
        http_headers=StatusAndHeaders(
            "GET /news/ferry HTTP/1.1",
            [("Host", "news.example.org"), ("User-Agent", "crawler/1.0")],
            is_http_request=True,
        ),
    )
    writer.write_request_response_pair(request, first)
    writer.write_record(_response(writer, "/news/tolls", PAGE_B, _date(1, 10), encoding="gzip"))
    writer.write_record(
        _response(
            writer, "/news/cafe", PAGE_C, _date(1, 11), content_type="text/html; charset=iso-8859-1"
        )
    )
    writer.write_record(_response(writer, "/news/ferry", PAGE_A, _date(2)))
    writer.write_record(_response(writer, "/news/ferry", PAGE_A2, _date(3)))
    writer.write_record(
        _response(writer, "/img/ferry.png", PNG, _date(3), content_type="image/png")
    )
    writer.write_record(_response(writer, "/news/gone", PAGE_D, _date(3), status="404 Not Found"))
    writer.write_record(
        writer.create_warc_record(
            SITE + "/news/ferry",
            "metadata",
            payload=io.BytesIO(b"note: seen twice\r\n"),
            length=18,
            warc_content_type="application/warc-fields",
        )
    )
    last = io.BytesIO()
    tail = WARCWriter(last, gzip=compress, warc_version="WARC/1.1")
    tail.write_record(_response(tail, "/news/dredging", PAGE_D, _date(4)))
    cut = last.getvalue()
    path.write_bytes(out.getvalue() + cut[: len(cut) - 300])


EXPECTED = {
    "records": 11,
    "imported": 5,
    "new_articles": 3,
    "new_versions": 1,
    "unchanged": 1,
    "thin": 0,
    "already_imported": 0,
    "skipped_non_html": 2,
    "skipped_non_response": 3,
    "skipped_invalid": 1,
    "skipped_too_large": 0,
    "failed_extraction": 0,
}


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def counts_of(result: Result) -> dict[str, int]:
    total = json.loads(result.stdout)["total"]
    total.pop("problems")
    return total


def _versions(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Version)) or 0)


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_warcio_written_file_imports_with_the_right_counts_and_again_adds_nothing(
    db_url: str, tmp_path: Path, compress: bool
) -> None:
    warc = tmp_path / ("in.warc.gz" if compress else "in.warc")
    make_warc(warc, compress=compress)

    first = run(db_url, "import-warc", "--json", "--source", "cc", str(warc))
    assert first.exit_code == EXIT_FAILED  # the truncated record is reported, the rest stored
    assert counts_of(first) == EXPECTED

    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            articles = {a.url: a for a in session.scalars(select(Article))}
            assert set(articles) == {
                SITE + "/news/ferry",
                SITE + "/news/tolls",
                SITE + "/news/cafe",
            }
            ferry = articles[SITE + "/news/ferry"]
            assert ferry.source == "cc" and ferry.current_version == 2
            versions = session.scalars(
                select(Version).where(Version.article_id == ferry.id).order_by(Version.number)
            ).all()
            assert [v.fetched_at for v in versions] == [
                datetime(2026, 11, 1, 9, tzinfo=UTC),
                datetime(2026, 11, 3, 9, tzinfo=UTC),
            ]
            assert versions[1].changed_fields == ["body"]
            cafe = session.scalars(
                select(Version).where(Version.article_id == articles[SITE + "/news/cafe"].id)
            ).one()
            assert cafe.headline == "Café owners fear the ferry's end"
            tolls = session.scalars(
                select(Version).where(Version.article_id == articles[SITE + "/news/tolls"].id)
            ).one()
            assert tolls.headline == "Bridge tolls to stay until 2030"
            fetch = session.scalars(select(Fetch).order_by(Fetch.id)).first()
            assert fetch is not None
            assert (fetch.http_version, fetch.status, fetch.reason) == ("HTTP/1.1", 200, "OK")
            headers = response_headers(fetch)
            assert headers is not None
            assert [v for n, v in headers if n == "X-Served-By"] == ["edge-7", "edge-9"]
            assert ("ETag", '"a1"') in headers
            assert request_headers(fetch) == (
                ("Host", "news.example.org"),
                ("User-Agent", "crawler/1.0"),
            )
            fetches = session.scalar(select(func.count()).select_from(Fetch))
        versions_before = _versions(engine)
    finally:
        engine.dispose()

    again = run(db_url, "import-warc", "--json", str(warc))
    assert counts_of(again) == {
        **EXPECTED,
        "imported": 0,
        "new_articles": 0,
        "new_versions": 0,
        "unchanged": 0,
        "already_imported": 5,
    }
    engine = open_archive(db_url)
    try:
        assert _versions(engine) == versions_before == 4
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Fetch)) == fetches
    finally:
        engine.dispose()


def test_human_summary_names_the_counts(sqlite_url: str, tmp_path: Path) -> None:
    warc = tmp_path / "in.warc.gz"
    make_warc(warc)
    result = run(sqlite_url, "import-warc", str(warc))
    assert result.exit_code == EXIT_FAILED
    assert (
        f"{warc}: 11 records: 5 imported (3 new articles, 1 new versions, 1 unchanged),"
        " 0 already imported; skipped: 2 non-HTML, 3 not responses, 1 invalid, 0 too large"
    ) in result.stdout
    assert "invalid:" in result.stderr


def test_a_complete_file_imports_with_exit_0(sqlite_url: str, tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.0")
    writer.write_record(_response(writer, "/news/ferry", PAGE_A, _date(1)))
    warc = tmp_path / "ok.warc.gz"
    warc.write_bytes(out.getvalue())
    result = run(sqlite_url, "import-warc", str(warc))
    assert result.exit_code == 0, result.stderr
    assert "1 records: 1 imported (1 new articles" in result.stdout


def test_not_a_regular_file_is_refused_before_anything_is_written(
    sqlite_url: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.warc"
    os.mkfifo(fifo)
    result = run(sqlite_url, "import-warc", str(fifo))
    assert result.exit_code == EXIT_FAILED
    assert "not a regular file" in result.stderr
    folder = run(sqlite_url, "import-warc", str(tmp_path))
    assert "not a regular file" in folder.stderr
    missing = run(sqlite_url, "import-warc", str(tmp_path / "nope.warc"))
    assert missing.exit_code == EXIT_FAILED and "nope.warc" in missing.stderr
    assert not (tmp_path / "archive.db").exists()


def test_records_over_the_size_limit_are_skipped(engine: Engine, tmp_path: Path) -> None:
    warc = tmp_path / "in.warc.gz"
    make_warc(warc)
    counts = import_warc(engine, warc, extractor=extract_in_worker, max_payload=1000)
    assert counts.imported == 0
    assert counts.skipped_too_large == 5  # the five complete HTML pages are all > 1000 bytes
    assert _versions(engine) == 0


def test_chunked_bodies_are_dechunked_and_unknown_encodings_are_invalid(
    engine: Engine, tmp_path: Path
) -> None:
    compressed = gzip.compress(PAGE_B)
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(compressed[i : i + 500]), compressed[i : i + 500])
        for i in range(0, len(compressed), 500)
    )
    chunked += b"0\r\n\r\n"
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    for path, payload, headers in (
        (
            "/news/tolls",
            chunked,
            [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
        ),
        ("/news/brotli", b"\x0b\x02\x80hello\x03", [("Content-Encoding", "br")]),
    ):
        writer.write_record(
            writer.create_warc_record(
                SITE + path,
                "response",
                payload=io.BytesIO(payload),
                length=len(payload),
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": _date(5)},
            )
        )
    warc = tmp_path / "chunked.warc.gz"
    warc.write_bytes(out.getvalue())
    counts = import_warc(engine, warc, extractor=extract_in_worker)
    assert (counts.records, counts.new_articles, counts.skipped_invalid) == (2, 1, 1)
    assert "br" in counts.problems[0]
    with Session(engine) as session:
        version = session.scalars(select(Version)).one()
        assert version.headline == "Bridge tolls to stay until 2030"


def _member(path: str, page: bytes, *, compress: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress, warc_version="WARC/1.1")
    writer.write_record(_response(writer, path, page, _date(6)))
    return out.getvalue()


@pytest.mark.parametrize(
    ("compress", "damage"),
    [
        (True, "cut"),
        (True, "garbage"),
        (False, "cut"),
        (False, "garbage"),
        (False, "bad-version"),
    ],
)
def test_a_broken_record_in_the_middle_costs_only_itself(
    sqlite_url: str, tmp_path: Path, compress: bool, damage: str
) -> None:
    first = _member("/news/ferry", PAGE_A, compress=compress)
    broken = _member("/news/tolls", PAGE_B, compress=compress)
    last = _member("/news/dredging", PAGE_D, compress=compress)
    if damage == "cut":
        broken = broken[: len(broken) // 2]
    elif damage == "garbage":
        broken = b"garbage that is no record\r\n" * 3
    else:
        broken = broken.replace(b"WARC/1.1", b"WARX/9.9", 1)
    warc = tmp_path / "broken.warc"
    warc.write_bytes(first + broken + last)
    engine = open_archive(sqlite_url)
    try:
        counts = import_warc(engine, warc, extractor=extract_in_worker)
        assert (counts.imported, counts.new_articles, counts.skipped_invalid) == (2, 2, 1)
        with Session(engine) as session:
            urls = set(session.scalars(select(Article.url)))
        assert urls == {SITE + "/news/ferry", SITE + "/news/dredging"}
    finally:
        engine.dispose()


def test_our_own_export_imports_back_to_the_same_versions(engine: Engine, tmp_path: Path) -> None:
    """Round trip: crawl a loopback site, export WARC, import it into a fresh archive."""
    from scraper.fetched import FetchSettings
    from scraper.pipeline import archive_url
    from storage.warc import write_warc
    from tests.corpus_site import SENT, serve_corpus
    from tests.httpserver import HTTPTestServer

    settings = FetchSettings(allow_private_hosts=frozenset({"127.0.0.5"}))
    with HTTPTestServer("127.0.0.5") as site:
        serve_corpus(site)
        for path in SENT:
            archive_url(engine, site.url(path), settings=settings, extractor=extract_in_worker)
    with Session(engine) as session:
        ids = list(session.scalars(select(Version.id)))
        before = {
            (v.article.url, v.number): (v.headline, v.body, v.fetched_at)
            for v in session.scalars(select(Version))
        }
    warc = tmp_path / "ours.warc.gz"
    with warc.open("wb") as out:
        write_warc(engine, ids, out)
    copy = open_archive(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        counts = import_warc(copy, warc, extractor=extract_in_worker)
        assert (counts.new_articles, counts.skipped_invalid) == (len(SENT), 0)
        with Session(copy) as session:
            after = {
                (v.article.url, v.number): (v.headline, v.body, v.fetched_at)
                for v in session.scalars(select(Version))
            }
            fetch = session.scalars(select(Fetch)).first()
            assert fetch is not None and request_headers(fetch)  # the request record's
        assert after == before
    finally:
        copy.dispose()
