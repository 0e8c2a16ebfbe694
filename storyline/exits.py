"""Exit statuses of every ``storyline`` command, and which exception ends in which.

The table :data:`EXIT_CODES` is the whole policy: the one handler in ``storyline.cli_app``
looks an exception (or, for a wrapper, the exception it was raised from) up here. A package
that adds an exception class needs no entry when its base class already maps right.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError, PendingRollbackError

from scraper.errors import ConfigError, ScraperError
from storage.errors import (
    ArticleNotFound,
    LockHeld,
    SearchQueryError,
    StorageError,
    VersionNotFound,
)

EXIT_OK = 0
EXIT_FAILED = 1  # the work ran and something in it failed (a fetch, an extraction)
EXIT_USAGE = 2  # a wrong command line (click's own code) or a bad config file
EXIT_DATABASE = 3  # the database could not be opened or used
EXIT_NOT_FOUND = 4  # no such article or version in the archive
EXIT_LOCKED = 75  # EX_TEMPFAIL: another crawl or scheduler holds the archive's run lock
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130: stopped by Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143: stopped by SIGTERM
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # 141: the reader went away (``| head``); no message

#: Most specific first; the first class an exception (or its cause) is an instance of wins.
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (LockHeld, EXIT_LOCKED),
    (ArticleNotFound, EXIT_NOT_FOUND),
    (VersionNotFound, EXIT_NOT_FOUND),
    (SearchQueryError, EXIT_USAGE),
    (StorageError, EXIT_DATABASE),
    (PendingRollbackError, EXIT_DATABASE),
    (DBAPIError, EXIT_DATABASE),
    (ConfigError, EXIT_USAGE),
    (ScraperError, EXIT_FAILED),
    (OSError, EXIT_FAILED),
)


class CommandFailed(Exception):
    """Raised by a command to end with ``code`` and one line; the handler prints it."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def classify(exc: BaseException) -> tuple[BaseException, int] | None:
    """The exception that decides the exit status (``exc`` or a cause) and that status."""
    if isinstance(exc, CommandFailed):
        return exc, exc.code
    for candidate in causes(exc):
        for kind, code in EXIT_CODES:
            if isinstance(candidate, kind):
                return candidate, code
    return None
