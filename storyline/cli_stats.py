"""``storyline stats``: what the archive holds, how it grows, how its fetching goes."""

from __future__ import annotations

from dataclasses import asdict

import click
from sqlalchemy.orm import Session

from storage.stats import ArchiveStats, SourceStats, archive_stats
from storyline.cli_app import App, db_option, json_option, pass_app
from storyline.render import dumps, iso


def _size(count: int | None) -> str:
    if count is None:
        return "?"
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover


def _failures(failures: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in failures.items()) or "none"


def _source_line(source: SourceStats) -> str:
    name = source.source if source.source is not None else "(no source)"
    discovery = iso(source.last_discovery_at) or iso(source.last_seed_read_at) or "never"
    return (
        f"  {name:<20} {source.articles:>8} {source.versions:>9} {source.health.fetches:>8}"
        f" {source.health.failed:>7} {source.health.thin_pages:>5}"
        f" {source.health.extraction_errors:>8}  {discovery}"
    )


def _text(stats: ArchiveStats) -> list[str]:
    storage = stats.storage
    ratio = (
        f" ({storage.snapshot_bytes_raw / storage.snapshot_bytes_stored:.1f}x)"
        if storage.snapshot_bytes_stored
        else ""
    )
    lines = [
        f"articles {stats.articles}, versions {stats.versions}, sources {stats.sources},"
        f" hosts {stats.hosts}",
        f"changed: {stats.changed_articles} articles have 2+ versions"
        f" (change rate {stats.change_rate:.1%})",
        f"storage: database {_size(storage.database_bytes)}; {storage.snapshots} raw pages,"
        f" {_size(storage.snapshot_bytes_raw)} raw, {_size(storage.snapshot_bytes_stored)}"
        f" stored{ratio}",
        f"last {stats.days} days (since {stats.window_start}): {stats.health.fetches} fetches,"
        f" {stats.health.failed} failed ({_failures(stats.health.failures)}),"
        f" {stats.health.thin_pages} thin pages, {stats.health.extraction_errors}"
        " extraction errors",
        "",
        f"  {'source':<20} {'articles':>8} {'versions':>9} {'fetches':>8} {'failed':>7}"
        f" {'thin':>5} {'extract':>8}  last discovery",
        *(_source_line(s) for s in stats.per_source),
        "",
        f"  {'day':<10} {'articles':>8} {'versions':>9}",
        *(
            f"  {d.day.isoformat():<10} {d.articles:>8} {d.versions:>9}"
            for d in stats.per_day
            if d.articles or d.versions
        ),
    ]
    return lines


@click.command("stats")
@click.option(
    "--days",
    type=click.IntRange(min=1, max=3650),
    default=30,
    show_default=True,
    help="How many days the per-day figures and fetch health cover.",
)
@json_option("Print one JSON object.")
@db_option
@pass_app
def stats_command(app: App, days: int, as_json: bool) -> None:
    """Articles, versions, sources and hosts; growth per day and per source; change rate;
    fetch and extraction health; storage used."""
    with Session(app.reader()) as session:
        stats = archive_stats(session, days)
    if as_json:
        click.echo(dumps(asdict(stats)))
        return
    for line in _text(stats):
        click.echo(line)
