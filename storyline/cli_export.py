"""``storyline export``: a filtered corpus as JSONL, CSV, Parquet or WARC, streamed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import click
from sqlalchemy.orm import Session

from storage.export import iter_records, output_file, write_csv, write_jsonl, write_parquet
from storage.selection import (
    Selection,
    TimeField,
    VersionRow,
    count_versions,
    iter_version_ids,
    iter_versions,
)
from storyline.cli_app import App, db_option, pass_app
from storyline.cli_runs import SinceType
from storyline.exits import EXIT_USAGE, CommandFailed

FORMATS = ("jsonl", "csv", "parquet", "warc")
BINARY = ("parquet", "warc")


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; otherwise a step that does nothing."""
    if total is None:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("exporting", total=total)
        yield lambda n: bar.advance(task, n)


def _counted(rows: Iterator[Any], step: Callable[[int], None], every: int = 500) -> Iterator[Any]:
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending >= every:
            step(pending)
            pending = 0
    step(pending)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "--all-versions", is_flag=True, help="Every version, not only the latest of each article."
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--host", "hosts", multiple=True, help="Only articles on this host (repeatable).")
@click.option("--since", type=SinceType(), help="From this time (ISO time or day, or an age: 7d).")
@click.option("--until", type=SinceType(), help="Before this time (ISO time or day, or an age).")
@click.option(
    "--time",
    "time_field",
    type=click.Choice([t.value for t in TimeField]),
    default=TimeField.FETCHED.value,
    show_default=True,
    help="Which time --since/--until apply to.",
)
@click.option(
    "--language", "languages", multiple=True, help="Only this language, e.g. en (repeatable)."
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Only articles with two or more versions (with --all-versions: all their versions).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write; - or nothing: stdout.",
)
@db_option
@pass_app
def export_command(
    app: App,
    fmt: str,
    all_versions: bool,
    sources: tuple[str, ...],
    hosts: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    time_field: str,
    languages: tuple[str, ...],
    changed_only: bool,
    output: str | None,
) -> None:
    """Export the archive for a corpus: one record per article (or version), with lineage."""
    if since is not None and until is not None and since >= until:
        raise click.BadParameter("--since must be before --until", param_hint="--since")
    to_stdout = output in (None, "-")
    if to_stdout and fmt in BINARY and sys.stdout.isatty():
        raise CommandFailed(
            f"{fmt} is binary: name a file with --output or pipe it elsewhere", EXIT_USAGE
        )
    selection = Selection(
        sources=sources,
        hosts=hosts,
        since=since,
        until=until,
        time=TimeField(time_field),
        languages=languages,
        changed_only=changed_only,
        all_versions=all_versions,
    )
    engine = app.reader()
    with Session(engine) as session:
        total = count_versions(session, selection) if sys.stderr.isatty() else None
        with _progress(total) as step:
            if to_stdout:
                count = _write(fmt, session, selection, step, sys.stdout, app)
                sys.stdout.flush()
                return
            # FILE.part, renamed when complete and removed on any failure or Ctrl-C
            with output_file(Path(str(output)), binary=fmt in BINARY) as handle:
                count = _write(fmt, session, selection, step, handle, app)
    click.echo(f"wrote {count} {'records' if fmt != 'warc' else 'versions'} to {output}", err=True)


def _write(
    fmt: str,
    session: Session,
    selection: Selection,
    step: Callable[[int], None],
    handle: IO[Any],
    app: App,
) -> int:
    """Write the selection in ``fmt`` to ``handle`` (text, or binary for Parquet and WARC)."""
    binary = cast(BinaryIO, getattr(handle, "buffer", handle))
    if fmt == "parquet":
        rows: Iterator[VersionRow] = iter_versions(session, selection)
        return write_parquet(rows, binary, progress=step)
    if fmt == "warc":
        from storage.warc import write_warc

        ids = _counted(iter_version_ids(session, selection), step)
        return write_warc(app.reader(), ids, binary).versions
    records = _counted(iter_records(session, selection), step)
    return write_jsonl(records, handle) if fmt == "jsonl" else write_csv(records, handle)
