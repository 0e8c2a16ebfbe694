"""Exit statuses of every ``storyline`` command, and the one way a command fails."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

EXIT_FAILED = 1  # the work ran and something in it failed (a fetch, an extraction)
EXIT_USAGE = 2  # click's own code for a wrong command line; also a bad config file
EXIT_DATABASE = 3  # the database could not be opened or used
EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl or scheduler holds the archive's run lock


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    click.echo(f"storyline: error: {message}", err=True)
    sys.exit(code)
