"""``storyline schedule run`` (the daemon, in the foreground) and ``storyline schedule list``.

Exit status: 0 after a clean stop (SIGTERM, Ctrl-C), 2 for a bad sources file, 3 when the
database cannot be used (also when it is lost under the daemon: a service manager restarts
it), 75 (EX_TEMPFAIL) when another scheduler already runs on the archive.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schedules.jobs import JobContext, crawl_until_stopped
from schedules.runner import SCHEDULER_LOCK, Runner, plan_jobs, stored_jobs
from scraper.allocator import limit_malloc_arenas
from scraper.config import Config
from storage.locks import lock_info
from storage.models import Article
from storage.revisits import count_due
from storage.runs import last_runs
from storyline.cli_app import App, config_option, db_option, json_option, pass_app
from storyline.cli_crawl import WORKER_PRELOAD

log = logging.getLogger("storyline.schedule")


@click.group("schedule")
def schedule_group() -> None:
    """Keep the archive current unattended: the scheduler daemon and its jobs."""


@schedule_group.command("run")
@config_option(help="The sources file (TOML): sources, their schedules, revisit ages.")
@click.option("--quiet", is_flag=True, help="Log warnings and errors only.")
@db_option
@pass_app
def run_command(app: App, config: Config, quiet: bool) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C.

    Each source with a ``schedule = "*/30 * * * *"`` is discovered on that cron expression;
    due revisits are swept every ``[schedule] revisit_every``; leases and locks are tidied
    every ``housekeeping_every``. Stopping lets pages in flight be stored; the rest go back
    to the frontier.
    """
    engine = app.engine()
    if not quiet and logging.getLogger().getEffectiveLevel() > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)
    limit_malloc_arenas()  # a long-running process: see scraper.allocator
    crawl = functools.partial(crawl_until_stopped, preload=WORKER_PRELOAD)
    Runner(JobContext(engine, config, crawl=crawl)).run()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


@schedule_group.command("list")
@config_option(
    required=False, help="Also show jobs this sources file asks for that are not stored yet."
)
@json_option("Print a JSON object.")
@db_option
@pass_app
def list_command(app: App, config: Config | None, as_json: bool) -> None:
    """Show the scheduler's jobs, their next and last runs, and the revisits due."""
    engine = app.reader()
    stored = {job.id: job for job in stored_jobs(engine)}
    planned = {spec.id: spec for spec in plan_jobs(config)} if config else {}
    with Session(engine) as session:
        last = {key: _run_brief(run) for key, run in last_runs(session).items()}
    rows: list[dict[str, Any]] = []
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
                "last_run": last.get(job_id),
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
        click.echo(f"{'job':<{width}}  {'next run (UTC)':<25}  {'trigger':<16}  last run")
        for r in rows:
            when = r["next_run_at"]
            note = "" if r["state"] == "stored" else f"  ({r['state']})"
            click.echo(
                f"{r['id']:<{width}}  {when:<25}  {r['trigger']:<16}  "
                f"{_last_text(r['last_run'])}{note}"
            )
    who = f"running ({owner})" if running else "not running"
    click.echo(f"scheduler: {who}")
    click.echo(f"revisits due now: {due}; next one at {summary['next_revisit_at'] or '-'}")


def _run_brief(run: Any) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "exit": run.exit_code,
        "changed": len(run.changed or []),
        "failed": sum((run.failures or {}).values()),
    }


def _last_text(last: dict[str, Any] | None) -> str:
    if last is None:
        return "never"
    if last["finished_at"] is None:
        return f"{last['started_at']} (running, or killed)"
    return (
        f"{last['started_at']} exit {last['exit']}, "
        f"{last['changed']} changed, {last['failed']} failed"
    )
