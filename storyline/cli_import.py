"""``storyline import-warc``: HTML responses from WARC files, stored as a crawl would store them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from storyline.cli_app import App, db_option, json_option, pass_app
from storyline.exits import EXIT_FAILED, CommandFailed
from storyline.render import dumps

if TYPE_CHECKING:
    from scraper.warc_import import ImportCounts


def describe(counts: ImportCounts) -> str:
    """One line of figures for a file or the total."""
    line = (
        f"{counts.records} records: {counts.imported} imported ({counts.new_articles} new"
        f" articles, {counts.new_versions} new versions, {counts.unchanged} unchanged"
        + (f", {counts.thin} thin" if counts.thin else "")
        + f"), {counts.already_imported} already imported; skipped: {counts.skipped_non_html}"
        f" non-HTML, {counts.skipped_non_response} not responses,"
        f" {counts.skipped_invalid} invalid, {counts.skipped_too_large} too large"
    )
    if counts.failed_extraction:
        line += f"; {counts.failed_extraction} failed extraction"
    return line


@click.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", help="Source name to file new articles under.")
@json_option("Print a JSON object: counts per file and in total.")
@db_option
@pass_app
def import_warc_command(
    app: App, files: tuple[Path, ...], source: str | None, as_json: bool
) -> None:
    """Import the HTML pages of WARC files (gzip or not) as archived fetches.

    Every status-200 HTML response goes through the same extraction and version rules as a
    crawl, with the record's WARC-Date as its fetch time. Running it again on the same file
    stores nothing twice. Exit status 1 when a record was invalid or failed extraction (the
    rest is imported).
    """
    # imported here: the extractor and warcio load only for this command (issue 14: lazy CLI)
    from scraper.extraction import extract_in_worker
    from scraper.warc_import import ImportCounts, check_input, import_warc

    for path in files:
        check_input(path)  # every file is checked before anything is written
    engine = app.engine()
    total = ImportCounts()
    reports = []
    for path in files:
        counts = import_warc(engine, path, extractor=extract_in_worker, source=source)
        total.add(counts)
        reports.append({"file": str(path), **counts.as_dict()})
        if not as_json:
            click.echo(f"{path}: {describe(counts)}")
            for problem in counts.problems[:20]:
                click.echo(f"  invalid: {problem}", err=True)
    if as_json:
        click.echo(dumps({"files": reports, "total": total.as_dict()}))
    elif len(files) > 1:
        click.echo(f"total: {describe(total)}")
    if total.skipped_invalid or total.failed_extraction:
        raise CommandFailed("", EXIT_FAILED)  # the figures above say what
