"""``storyline schedule run`` (the daemon, in the foreground) and ``storyline schedule list``.

Exit status: 0 after a clean stop (SIGTERM, Ctrl-C), 2 for a bad sources file, 3 when the
database cannot be used, 75 (EX_TEMPFAIL) when another scheduler already runs on the archive.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import storage
from schedules.jobs import JobContext, crawl_until_stopped
from schedules.runner import SCHEDULER_LOCK, Runner, plan_jobs, stored_jobs
from scraper.allocator import limit_malloc_arenas
from scraper.config import Config, load_config
from scraper.errors import ConfigError
from storage.errors import LockHeld
from storage.locks import lock_info
from storage.models import Article
from storage.revisits import count_due
from storyline.cli_crawl import WORKER_PRELOAD
from storyline.exits import EXIT_DATABASE, EXIT_LOCKED, EXIT_USAGE, fail

log = logging.getLogger("storyline.schedule")


def _config(path: str) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def _engine(ctx: click.Context) -> Engine:
    obj: Any = ctx.obj
    try:
        if hasattr(obj, "engine"):
            return obj.engine()
        return storage.open_archive(obj.db_url)
    except storage.StorageError as exc:
        fail(str(exc), EXIT_DATABASE)


_CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    default="storyline.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The sources file (TOML): sources, their schedules, revisit ages.",
)


@click.group("schedule")
def schedule_group() -> None:
    """Keep the archive current unattended: the scheduler daemon and its jobs."""


@schedule_group.command("run")
@_CONFIG_OPTION
@click.option("--quiet", is_flag=True, help="Log warnings and errors only.")
@click.pass_context
def run_command(ctx: click.Context, config_path: str, quiet: bool) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C.

    Each source with a ``schedule = "*/30 * * * *"`` is discovered on that cron expression;
    due revisits are swept every ``[schedule] revisit_every``; leases and locks are tidied
    every ``housekeeping_every``. Stopping lets pages in flight be stored; the rest go back
    to the frontier.
    """
    config = _config(config_path)
    engine = _engine(ctx)
    if not quiet and logging.getLogger().getEffectiveLevel() > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)
    limit_malloc_arenas()  # a long-running process: see scraper.allocator
    crawl = functools.partial(crawl_until_stopped, preload=WORKER_PRELOAD)
    runner = Runner(JobContext(engine, config, crawl=crawl))
    try:
        runner.run()
    except LockHeld as exc:
        fail(f"another scheduler runs on this archive: {exc}", EXIT_LOCKED)
    except storage.StorageError as exc:
        fail(str(exc), EXIT_DATABASE)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


@schedule_group.command("list")
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also show jobs this sources file asks for that are not stored yet.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_context
def list_command(ctx: click.Context, config_path: str | None, as_json: bool) -> None:
    """Show the scheduler's jobs and their next run times, and the revisits due."""
    engine = _engine(ctx)
    config = _config(config_path) if config_path else None
    stored = {job.id: job for job in stored_jobs(engine)}
    planned = {spec.id: spec for spec in plan_jobs(config)} if config else {}
    rows: list[dict[str, str]] = []
    for job_id in [*stored, *(i for i in planned if i not in stored)]:
        job = stored.get(job_id)
        spec = planned.get(job_id)
        state = "stored" if job else "not stored yet"
        if job and config and spec is None:
            state = "stored, not in config"
        rows.append(
            {
                "id": job_id,
                "trigger": job.trigger if job else spec.trigger_text if spec else "",
                "next_run_at": (_iso(job.next_run_time) if job else None) or "-",
                "state": state,
            }
        )
    now = datetime.now(UTC)
    with Session(engine) as session:
        due = count_due(session, now)
        next_revisit = session.scalar(
            select(func.min(Article.next_revisit_at)).where(Article.next_revisit_at > now)
        )
    holder = lock_info(engine, SCHEDULER_LOCK)
    running = holder is not None and holder.expires_at > now
    owner = holder.owner if running and holder else None
    summary: dict[str, Any] = {
        "jobs": rows,
        "scheduler": {"running": running, "owner": owner},
        "revisits_due_now": due,
        "next_revisit_at": _iso(next_revisit),
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    if not rows:
        click.echo("no jobs stored: start the scheduler with `storyline schedule run`")
    else:
        width = max(len(r["id"]) for r in rows)
        click.echo(f"{'job':<{width}}  {'next run (UTC)':<25}  trigger")
        for r in rows:
            when = r["next_run_at"]
            note = "" if r["state"] == "stored" else f"  ({r['state']})"
            click.echo(f"{r['id']:<{width}}  {when:<25}  {r['trigger']}{note}")
    who = f"running ({owner})" if running else "not running"
    click.echo(f"scheduler: {who}")
    click.echo(f"revisits due now: {due}; next one at {summary['next_revisit_at'] or '-'}")
