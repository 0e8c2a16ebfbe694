"""``storyline crawl``: run the crawler over the sources file, for people and for cron.

On a terminal it shows a progress bar and ends with a one-paragraph summary on stdout;
off a terminal (cron) it prints the summary only when something failed, or a JSON object
with ``--json``. Warnings and errors go to stderr, so a cron job mails them. One crawl per
archive at a time arms the seeds and the due revisits (the ``crawl`` run lock, held for
that step and for settling the revisits afterwards); the fetching runs outside it, beside
``storyline worker`` processes and other crawls, the frontier's leases keeping every URL to
one fetcher. Exit status: 0 when the crawl ran, 1 when every fetch failed, 2 for a bad
sources file, 3 when the database cannot be used, 75 when another crawl is arming (without
--wait),
130/143 when Ctrl-C/SIGTERM stopped it. Every crawl is recorded in the ``run`` table.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from dataclasses import replace

import click

from schedules.jobs import arm_crawl, leading, settle_revisits
from schedules.notify import notify_crawl
from scraper.config import Config
from scraper.crawl import CrawlSummary, run_crawl
from scraper.fetched import utcnow
from scraper.roles import ARMED
from scraper.summary import name_changed
from storage.locks import default_owner
from storage.runs import RunKind, recorded
from storyline.cli_app import App, config_option, db_option, json_option, pass_app
from storyline.exits import EXIT_FAILED, EXIT_OK, CommandFailed, classify

logger = logging.getLogger("storyline.crawl")

#: Imported by the extraction pool's forkserver: multiprocessing re-runs the ``storyline``
#: script (and so imports this package) in every worker; imported once, it is shared.
WORKER_PRELOAD = ("storyline.cli",)


class _ProgressBar:
    """A rich progress bar on stderr: pages fetched out of URLs known so far."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]crawl"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("crawl", total=None, detail="")

    def __enter__(self) -> _ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, summary: CrawlSummary) -> None:
        done = summary.fetched + summary.failures
        detail = (
            f"{summary.new_articles} new, {summary.new_versions} changed, {summary.failures} failed"
        )
        total = max(done, summary.found)
        self._progress.update(self._task, completed=done, total=total or None, detail=detail)


@click.command("crawl")
@config_option()
@json_option("Print the summary as a JSON object.")
@click.option(
    "--max-pages", type=click.IntRange(min=1), default=None, help="Stop after this many fetches."
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when stderr is a terminal).",
)
@click.option(
    "--wait",
    is_flag=True,
    help="If another crawl is arming seeds and revisits, wait for it (a short step).",
)
@click.option("--revisit-all", is_flag=True, help="Make every known article due for a revisit.")
@db_option
@pass_app
def crawl_command(
    app: App,
    config: Config,
    as_json: bool,
    max_pages: int | None,
    progress: bool | None,
    wait: bool,
    revisit_all: bool,
) -> None:
    """Find, fetch and archive new articles from the sources in the config file.

    Interrupt it at any time (Ctrl-C, SIGTERM): what was fetched is kept, and the next
    crawl carries on where this one stopped; the exit status is then 130 or 143.
    """
    if max_pages is not None:
        config = replace(config, crawl=replace(config.crawl, max_pages=max_pages))
    engine = app.engine()
    show_progress = progress if progress is not None else (sys.stderr.isatty() and not as_json)
    # Issue 14: one leader at a time arms seeds and due revisits (the run lock); the
    # fetching is shared with any workers and other crawls, so it runs outside the lock.
    owner = default_owner()
    with leading(engine, owner, wait=wait):
        prep = arm_crawl(engine, config, utcnow(), revisit_all=revisit_all)
    with recorded(engine, RunKind.CRAWL, exit_for=exit_status) as run:
        if show_progress:
            with _ProgressBar() as bar:
                summary = run_crawl(
                    config, engine, progress=bar.update, preload=WORKER_PRELOAD, role=ARMED
                )
        else:
            summary = run_crawl(config, engine, preload=WORKER_PRELOAD, role=ARMED)
        with leading(engine, owner, wait=True):
            settle_revisits(engine, config, prep, utcnow())
        run.counts = {**summary.as_dict(), "revisits_queued": prep.queued}
        run.failures = dict(summary.failed)
        run.changed = [item.url for item in summary.changed]
        run.exit_code = _exit_code(summary)
        # Issue 13: a message per changed article; a failing notifier never fails the crawl.
        made = [(item.article_id, item.version) for item in summary.changed]
        notified = notify_crawl(
            engine, config.notify, made, utcnow(), deliver_now=summary.stop_signal is None
        )
        if config.notify.urls:
            run.counts.update({f"notify_{k}": v for k, v in notified.as_dict().items()})
    if as_json:
        data = {
            **summary.as_dict(),
            "revisits_queued": prep.queued,
            "run": run.id,
        }
        if config.notify.urls:
            data["notifications"] = notified.as_dict()
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    elif sys.stdout.isatty() or summary.failures or summary.all_failed or summary.interrupted:
        # Quiet under cron (no terminal) unless something failed: cron mails any output.
        click.echo(summary.paragraph())
        if summary.new_versions:
            click.echo("Changed: " + name_changed(c.as_dict() for c in summary.changed))
    if summary.stop_signal is not None:
        name = signal.Signals(summary.stop_signal).name
        raise CommandFailed(
            f"interrupted by {name}: what was fetched is stored; the next crawl carries on",
            run.exit_code,
        )
    if summary.all_failed:
        raise CommandFailed(
            "every fetch failed: check the network, the seeds and the log above", EXIT_FAILED
        )


def _exit_code(summary: CrawlSummary) -> int:
    if summary.stop_signal is not None:
        return 128 + summary.stop_signal
    return EXIT_FAILED if summary.all_failed else EXIT_OK


def exit_status(exc: BaseException) -> int:
    """The exit status an exception ends a command with (for the run record)."""
    found = classify(exc)
    return found[1] if found else EXIT_FAILED
