"""``storyline export`` against hostile archive content and an impatient user."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from storage import VersionFields, open_archive, record_page
from tests.reliability.harness import CLI, run_cli

WHEN = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _store(url: str, *, count: int, headline: str, body: str, authors: tuple[str, ...]) -> None:
    engine = open_archive(url)
    try:
        with Session(engine) as session, session.begin():
            for i in range(count):
                fields = VersionFields(
                    headline=headline,
                    authors=authors,
                    published_at=WHEN,
                    modified_at=None,
                    description=headline,
                    language="en",
                    body=f"{body} {i}",
                    extractor="test",
                )
                record_page(
                    session,
                    url=f"https://news.example/story-{i}",
                    fields=fields,
                    fetched_at=WHEN,
                    snapshot_id=None,
                )
    finally:
        engine.dispose()


FORMULAS = ('=HYPERLINK("https://evil.example","click")', "+1+2", "-2+3", "@SUM(A1:A2)")


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(archive_url: str) -> None:
    """Issue 15 item 18: cells starting with = + - @ were written as they are (formula
    injection). They get a leading apostrophe; other text is written unchanged."""
    body = " ".join(["The council met on Tuesday to talk about the harbour."] * 6)
    for i, formula in enumerate(FORMULAS):
        engine = open_archive(archive_url)
        with Session(engine) as session, session.begin():
            record_page(
                session,
                url=f"https://news.example/formula-{i}",
                fields=VersionFields(
                    headline=formula,
                    authors=(formula,),
                    published_at=WHEN,
                    modified_at=None,
                    description="Plain text stays plain",
                    language="en",
                    body=f"{formula} {body}",
                    extractor="test",
                ),
                fetched_at=WHEN,
                snapshot_id=None,
            )
        engine.dispose()

    run = run_cli(["--db", archive_url, "export", "--format", "csv"], timeout=60)

    run.assert_clean(exit_code=0, within=45)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [row["headline"] for row in rows] == [f"'{f}" for f in FORMULAS]
    assert [row["authors"] for row in rows] == [f"'{f}" for f in FORMULAS]
    assert all(row["body"].startswith("'") for row in rows)
    assert {row["description"] for row in rows} == {"Plain text stays plain"}
    # nothing else in the file starts a formula
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_export_interrupted_by_ctrl_c_leaves_no_part_file(archive_url: str, tmp_path: Path) -> None:
    """Issue 15 item 10: Ctrl-C during ``export -o FILE`` left FILE.part behind. Now the
    partial file is removed, the previous FILE is untouched, and there is no traceback."""
    body = " ".join(f"word{n}" for n in range(20_000))  # ~150 KB a record: a slow export
    _store(archive_url, count=300, headline="A long story", body=body, authors=("Ana Lima",))
    target = tmp_path / "corpus.jsonl"
    target.write_text("the previous export\n")
    partial = tmp_path / "corpus.jsonl.part"

    child = subprocess.Popen(
        [*CLI, "--db", archive_url, "export", "--all-versions", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (partial.exists() and partial.stat().st_size > 0):
            assert child.poll() is None, "export ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    assert child.returncode != 0
    assert "Traceback" not in out + err, err
    assert not partial.exists()
    assert target.read_text() == "the previous export\n"
    assert [n for n in os.listdir(tmp_path) if not n.startswith("archive.db")] == [target.name]
