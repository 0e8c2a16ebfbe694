"""``storyline export`` end to end: pages fetched from loopback hosts, exported with lineage."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from storage import open_archive
from storage.export import EXPORT_FIELDS
from storage.models import Fetch
from storage.warc_ids import warc_record_id
from storyline.cli import cli
from storyline.exits import EXIT_USAGE
from tests.httpserver import HTTPTestServer
from tests.pages import DEFAULT_PARAGRAPHS, article_page

#: The fields the README documented before lineage was added, in their order.
OLD_FIELDS = (
    "url",
    "version",
    "fetched_at",
    "headline",
    "authors",
    "published_at",
    "modified_at",
    "description",
    "language",
    "body",
    "word_count",
    "source",
    "host",
    "first_seen_at",
    "last_seen_at",
    "changed_fields",
    "extractor",
)
GERMAN = (
    "Der Wochenmarkt zieht im Frühjahr vom Rathausplatz an den Hafen, teilte die Stadt am"
    " Dienstag mit.",
    "Die Händler hatten sich seit Jahren mehr Platz gewünscht, sagte der Sprecher der Stadt.",
    "Am Hafen sollen die Stände künftig auch am Samstagnachmittag geöffnet bleiben dürfen.",
    "Anwohner befürchten mehr Verkehr, die Stadt will deshalb neue Parkplätze schaffen.",
)
CORRECTION = "Correction: an earlier version of this article gave the wrong year for the vote."


@pytest.fixture
def north() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.2") as server:
        yield server


@pytest.fixture
def south() -> Iterator[HTTPTestServer]:
    with HTTPTestServer("127.0.0.3") as server:
        yield server


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def lines(result: Result) -> list[dict]:  # type: ignore[type-arg]
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def archive(db_url: str, north: HTTPTestServer, south: HTTPTestServer) -> str:
    """Ferry (north, two versions: a correction), library (north), market (south, German)."""
    north.add("/news/ferry", article_page())
    north.add("/news/library", article_page(headline="Library reopens after the flood"))
    south.add(
        "/news/markt",
        article_page(headline="Der Markt zieht um", site="Süd", paragraphs=GERMAN).replace(
            'lang="en"', 'lang="de"'
        ),
    )
    for url, source in (
        (north.url("/news/ferry"), "north"),
        (north.url("/news/library"), "north"),
        (south.url("/news/markt"), "south"),
    ):
        assert run(db_url, "fetch", "--source", source, url).exit_code == 0
    north.add("/news/ferry", article_page(paragraphs=(*DEFAULT_PARAGRAPHS, CORRECTION)))
    assert run(db_url, "fetch", north.url("/news/ferry")).exit_code == 0
    return db_url


def test_records_keep_the_old_fields_and_carry_lineage(archive: str, north: HTTPTestServer) -> None:
    records = lines(run(archive, "export", "--all-versions"))
    assert tuple(records[0])[: len(OLD_FIELDS)] == OLD_FIELDS
    assert tuple(records[0]) == EXPORT_FIELDS
    ferry = [r for r in records if r["url"] == north.url("/news/ferry")]
    assert [(r["version"], r["previous_version"]) for r in ferry] == [(1, None), (2, 1)]
    v1, v2 = ferry
    # the change summary is the one history --json shows, not recomputed
    history = json.loads(run(archive, "history", north.url("/news/ferry"), "--json").stdout)
    assert v2["change_kinds"] == history["versions"][1]["changes"]["kinds"]
    assert "correction" in v2["change_kinds"]
    assert v2["notes"] == [CORRECTION]
    assert v2["words_added"] == history["versions"][1]["changes"]["body"]["words_added"] > 0
    # each version names the raw page it came from: the bytes the server sent
    for record, page in (
        (v1, article_page()),
        (v2, article_page(paragraphs=(*DEFAULT_PARAGRAPHS, CORRECTION))),
    ):
        assert record["snapshot_sha256"] == hashlib.sha256(page.encode()).hexdigest()
        assert record["warc_record_id"] == warc_record_id(record["fetch_id"])
    engine = open_archive(archive)
    with Session(engine) as session:
        fetch = session.scalars(select(Fetch).where(Fetch.id == v2["fetch_id"])).one()
        assert fetch.url == north.url("/news/ferry") and fetch.outcome == "new-version"
    engine.dispose()


def test_every_filter_on_the_command_line(
    archive: str, north: HTTPTestServer, south: HTTPTestServer
) -> None:
    def urls(*args: str) -> list[tuple[str, int]]:
        return [(r["url"].rsplit("/", 1)[1], r["version"]) for r in lines(run(archive, *args))]

    assert urls("export") == [("ferry", 2), ("library", 1), ("markt", 1)]
    assert urls("export", "--source", "south") == [("markt", 1)]
    assert urls("export", "--host", "127.0.0.2") == [("ferry", 2), ("library", 1)]
    assert urls("export", "--language", "de") == [("markt", 1)]
    assert urls("export", "--changed-only") == [("ferry", 2)]
    assert urls("export", "--changed-only", "--all-versions") == [("ferry", 1), ("ferry", 2)]
    assert urls("export", "--since", "2000-01-01", "--until", "2001-01-01") == []
    assert urls("export", "--since", "1h", "--time", "first-seen", "--host", "127.0.0.3") == [
        ("markt", 1)
    ]
    # the test page states 2026-10-20T09:15:00+02:00 as its publication time
    assert urls("export", "--time", "published", "--since", "2026-10-20T07:15:00Z") == [
        ("ferry", 2),
        ("library", 1),
        ("markt", 1),
    ]
    assert urls("export", "--time", "published", "--since", "2026-10-20T07:16:00Z") == []


def test_bad_filters_are_usage_errors(archive: str) -> None:
    bad = run(archive, "export", "--since", "yesterday-ish")
    assert bad.exit_code == EXIT_USAGE and "neither an age" in bad.stderr
    backwards = run(archive, "export", "--since", "2026-01-02", "--until", "2026-01-01")
    assert (
        backwards.exit_code == EXIT_USAGE and "--since must be before --until" in backwards.stderr
    )


def test_csv_adds_lineage_columns_after_the_old_ones(archive: str) -> None:
    result = run(archive, "export", "--format", "csv", "--all-versions", "--changed-only")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert rows[1]["previous_version"] == "1" and "correction" in rows[1]["change_kinds"]
    assert rows[0]["previous_version"] == ""


def test_parquet_to_stdout_and_to_a_file(archive: str, tmp_path: Path) -> None:
    piped = run(archive, "export", "--format", "parquet", "--output", "-", "--all-versions")
    assert piped.exit_code == 0, piped.stderr
    table = pq.read_table(io.BytesIO(piped.stdout_bytes))
    assert table.num_rows == 4
    out = tmp_path / "corpus.parquet"
    written = run(archive, "export", "--format", "parquet", "-o", str(out))
    assert written.exit_code == 0
    assert "wrote 3 records" in written.stderr
    assert pq.read_table(out).column("version").to_pylist() == [2, 1, 1]
    assert not (tmp_path / "corpus.parquet.part").exists()


def test_warc_export_names_the_records_the_other_exports_point_to(
    archive: str, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.warc.gz"
    result = run(archive, "export", "--format", "warc", "--source", "north", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    responses = {}
    with out.open("rb") as handle:
        for rec in ArchiveIterator(handle):
            if rec.rec_type == "response":
                body = rec.content_stream().read()
                responses[rec.rec_headers.get_header("WARC-Record-ID")] = body
    records = lines(run(archive, "export", "--source", "north"))
    assert len(records) == 2
    for record in records:
        body = responses[record["warc_record_id"]]
        assert hashlib.sha256(body).hexdigest() == record["snapshot_sha256"]


def _run_with_stderr(args: list[str], *, terminal: bool) -> bytes:
    """Run the real ``storyline`` with stderr on a pseudo-terminal (or a pipe); its bytes."""
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-c", "from storyline.cli import main; main()", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, timeout=120, check=True)
        return done.stderr
    primary, secondary = pty.openpty()
    try:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=secondary)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        assert child.wait(timeout=120) == 0
        return seen
    finally:
        os.close(primary)


def test_a_progress_bar_only_when_stderr_is_a_terminal(archive: str, tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    args = ["--db", archive, "export", "--all-versions", "-o", str(out)]
    on_terminal = _run_with_stderr(args, terminal=True)
    assert b"exporting" in on_terminal and b"\x1b[" in on_terminal
    in_pipe = _run_with_stderr(args, terminal=False)
    assert in_pipe.decode().strip() == f"wrote 4 records to {out}"


def test_binary_formats_are_refused_on_a_terminal(archive: str) -> None:
    """Parquet or WARC bytes would garble a terminal: refused with one line and status 2."""
    import os
    import pty
    import subprocess
    import sys

    CLI = (sys.executable, "-c", "from storyline.cli import main; main()")
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [*CLI, "--db", archive, "export", "--format", "parquet"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.decode().strip() == (
        "storyline: error: parquet is binary: name a file with --output or pipe it elsewhere"
    )
