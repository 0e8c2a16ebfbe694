"""``storyline worker`` (fetch from the shared frontier) and ``storyline workers`` (who does).

``worker`` runs until SIGTERM/Ctrl-C (exit 0: fetched pages stored, unfetched leases handed
back), or with ``--once`` / ``--until-idle`` until there is nothing left to do. Exit status:
0 when it ran, 2 for a bad sources file or an SQLite archive (a worker needs PostgreSQL),
3 when the database failed under it (its leases expire; other workers take its URLs).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from scraper.config import Config
from storage.engine import parse_url
from storyline.cli_app import App, config_option, db_option, json_option, pass_app


@click.command("worker")
@config_option()
@click.option("--id", "worker_id", default=None, help="This worker's name (default: HOST:PID).")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Hosts fetched at once by this worker (default: [crawl] concurrency).",
)
@click.option("--once", "mode", flag_value="once", help="Fetch what is due now, then exit.")
@click.option(
    "--until-idle",
    "mode",
    flag_value="until-idle",
    help="Exit when nothing is due or held by another worker (default: run until stopped).",
)
@json_option("Print what the worker did as a JSON object when it ends.")
@db_option
@pass_app
def worker_command(
    app: App,
    config: Config,
    worker_id: str | None,
    concurrency: int | None,
    mode: str | None,
    as_json: bool,
) -> None:
    """Fetch, extract and store due URLs from the shared PostgreSQL frontier, beside other
    workers on any machine; seeds and revisits are armed by 'storyline crawl' or the
    scheduler. Stop it with SIGTERM or Ctrl-C: what it fetched is stored."""
    from scraper.worker import NotSharedArchive, WorkerMode, WorkerOptions, run_worker
    from storyline.cli_crawl import WORKER_PRELOAD

    url = parse_url(app.db_url)
    if url.get_backend_name() != "postgresql":
        # Refused before the archive is opened: no SQLite file is created for nothing.
        raise NotSharedArchive(
            "storyline worker needs a shared PostgreSQL archive (--db postgresql://…);"
            f" {url.render_as_string(hide_password=True)} is one machine's:"
            " run 'storyline crawl' on it"
        )
    options = WorkerOptions(
        worker_id=worker_id,
        concurrency=concurrency,
        mode=WorkerMode(mode) if mode else WorkerMode.FOREVER,
    )
    report = run_worker(config, app.engine(), options, preload=WORKER_PRELOAD)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, sort_keys=True, default=str))


def _age(then: datetime, now: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


@click.command("workers")
@json_option("Print the workers as a JSON list.")
@click.option("--all", "everything", is_flag=True, help="Also list workers that stopped.")
@db_option
@pass_app
def workers_command(app: App, as_json: bool, everything: bool) -> None:
    """List the crawl workers of this archive: id, host, pid, claimed, done, last heartbeat.

    A worker silent for three heartbeats is marked stale (killed, or its machine is gone);
    its leases expire and other workers take its URLs.
    """
    from sqlalchemy.orm import Session

    from storage.workers import list_workers

    now = datetime.now(UTC)
    with Session(app.reader()) as session:
        found = list_workers(session, now, everything=everything)
    if as_json:
        click.echo(json.dumps([w.as_dict() for w in found], indent=2))
        return
    if not found:
        click.echo("no workers")
        return
    click.echo(
        f"{'ID':<24} {'HOST':<20} {'PID':>7} {'STATE':<9} {'CLAIMED':>8} {'DONE':>8}  HEARTBEAT"
    )
    for w in found:
        state = "stale" if w.stale else w.state
        click.echo(
            f"{w.id:<24} {w.hostname:<20} {w.pid:>7} {state:<9} {w.claimed:>8} {w.done:>8}"
            f"  {_age(w.heartbeat_at, now)}"
        )
