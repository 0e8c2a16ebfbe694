"""``storyline runs``: what the crawls and scheduler jobs did, from the ``run`` table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy.orm import Session

from storage.models import Run
from storage.revisits import parse_duration
from storage.runs import list_runs
from storyline.cli_app import App, db_option, json_option, pass_app
from storyline.render import dumps, iso


class SinceType(click.ParamType):
    """``--since 1d`` (an age, as everywhere a duration is taken) or an ISO 8601 time."""

    name = "AGE|TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.now(UTC) - parse_duration(str(value))
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is neither an age like 1d nor an ISO 8601 time", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_dict(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "job": run.job,
        "host": run.host,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "exit": run.exit_code,
        "counts": run.counts or {},
        "failures": run.failures or {},
        "changed": list(run.changed or []),
        "error": run.error,
    }


@click.command("runs")
@click.option("--since", type=SinceType(), help="Only runs started since (e.g. 1d, or a time).")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many."
)
@json_option("Print a JSON array, newest first.")
@db_option
@pass_app
def runs_command(app: App, since: datetime | None, limit: int, as_json: bool) -> None:
    """List recent crawls and scheduler jobs: when, how they ended, what they changed."""
    with Session(app.reader()) as session:
        runs = [run_dict(run) for run in list_runs(session, since, limit)]
    if as_json:
        click.echo(dumps(runs))
        return
    if not runs:
        click.echo("no runs recorded" + (" in that time" if since else ""))
        return
    for run in runs:
        kind = run["kind"] + (f" {run['job']}" if run["job"] else "")
        end = "running (or killed)" if run["finished_at"] is None else f"exit {run['exit']}"
        counts = run["counts"]
        figures = ", ".join(
            f"{counts[k]} {k.replace('_', ' ')}"
            for k in ("fetched", "new_articles", "new_versions")
            if k in counts
        )
        failed = ", ".join(f"{n} {reason}" for reason, n in run["failures"].items())
        click.echo(
            f"#{run['id']} {run['started_at']} {kind}: {end}"
            + (f"; {figures}" if figures else "")
            + (f"; failed: {failed}" if failed else "")
            + (f"; {run['error']}" if run["error"] else "")
        )
        for url in run["changed"]:
            click.echo(f"    changed: {url}")
