"""The CLI's skeleton: the global state, the one error handler, and the shared options.

Adding a command: write a ``@click.command`` function in a ``storyline/cli_*.py`` module,
take the archive with ``@pass_app`` (``app.engine()`` to write, ``app.reader()`` to only
read), use :func:`json_option`, :func:`config_option` and :func:`db_option` for those
options, raise library exceptions freely (see ``storyline.exits.EXIT_CODES``) or
:class:`~storyline.exits.CommandFailed` for a command's own failure, and register the
command on the group in ``storyline.cli``. Never catch exceptions to print them.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, PendingRollbackError

import storage
from scraper.config import Config, load_config
from storage.engine import first_line, parse_url
from storage.errors import LockHeld
from storyline.exits import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandFailed,
    classify,
)

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("storyline")

#: Loggers of libraries that talk at INFO about every request or job; WARNING unless -v.
NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "apscheduler",
    "trafilatura",
    "htmldate",
    "charset_normalizer",
)

#: Options that belong to the group, not to a command: a hint says where they go.
GLOBAL_OPTIONS = ("-v", "--verbose")


@dataclass
class App:
    """What the global options decided, handed to every command through ``ctx.obj``."""

    db_url: str
    verbose: int = 0
    _engine: Engine | None = field(default=None, repr=False)
    _reader: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        """The archive for writing: created and migrated on first use."""
        if self._engine is None:
            self._engine = storage.open_archive(self.db_url)
        return self._engine

    def reader(self) -> Engine:
        """The archive for reading only: never creates a file, never writes."""
        if self._engine is not None:
            return self._engine
        if self._reader is None:
            self._reader = storage.open_archive(self.db_url, readonly=True)
        return self._reader

    def close(self) -> None:
        for engine in (self._engine, self._reader):
            if engine is not None:
                engine.dispose()


pass_app = click.make_pass_decorator(App)


def configure_logging(verbose: int) -> None:
    """WARNING by default, -v INFO, -vv DEBUG. Other libraries' loggers (a line per HTTP
    request, per scheduler wake-up) stay at WARNING unless -v, also when a command raises
    the root level itself (``schedule run`` logs its jobs at INFO)."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING if verbose == 0 else logging.NOTSET)
    # Apprise warns about each message it could not send; schedules.notify says so once,
    # with that reason and without the URL's secrets (issue 13). Shown with -v. A filter on
    # the output, not a level: Apprise reads the reason back from its own logger.
    for handler in logging.getLogger().handlers:
        for stale in [f for f in handler.filters if isinstance(f, _QuietApprise)]:
            handler.removeFilter(stale)
        if verbose == 0:
            handler.addFilter(_QuietApprise())
    overlap = logging.getLogger("apscheduler.scheduler")
    for old in [f for f in overlap.filters if isinstance(f, _SkipOverlapWarnings)]:
        overlap.removeFilter(old)
    if verbose == 0:
        overlap.addFilter(_SkipOverlapWarnings())


class _QuietApprise(logging.Filter):
    """Apprise's own warnings stay out of the output (``schedules.notify`` reports them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith("apprise") and record.levelno < logging.ERROR)


class _SkipOverlapWarnings(logging.Filter):
    """A job still running when its next time comes is skipped by design (jobs never
    overlap, see the README); APScheduler warns about it every time. Shown with -v."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


# -- shared options ---------------------------------------------------------------------


def json_option(help: str = "Print JSON instead of text.") -> Callable[[F], F]:
    """``--json``, passed to the command as ``as_json``."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def config_option(
    *, required: bool = True, help: str = "The sources file (TOML) naming what to crawl."
) -> Callable[[F], F]:
    """``--config FILE``, loaded and checked before the command runs: the command gets a
    :class:`~scraper.config.Config` (or None when not ``required`` and not given) as
    ``config``; a wrong file ends the command with its ``FILE:LINE`` message and status 2."""

    def load(ctx: click.Context, param: click.Parameter, value: str | None) -> Config | None:
        return load_config(value) if value is not None else None

    return click.option(
        "--config",
        "config",
        default="storyline.toml" if required else None,
        show_default=required,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        callback=load,
        help=help,
    )


def db_option(func: F) -> F:
    """``--db URL`` (env ``STORYLINE_DB``) on the group, and accepted after a command too."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            app = ctx.find_object(App)
            if app is not None:
                app.db_url = value

    return click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=remember,
        help="Database URL (as the global --db; sqlite:///FILE or postgresql://…).",
    )(func)


def global_db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        metavar="URL",
        envvar="STORYLINE_DB",
        default=storage.DEFAULT_URL,
        show_default=True,
        help="Database URL: sqlite:///FILE or postgresql://USER@HOST/DB (env STORYLINE_DB).",
    )(func)


# -- the one error handler --------------------------------------------------------------


def _shown(url: str) -> str:
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except storage.StorageError:
        return url


def error(message: str) -> None:
    click.echo(f"storyline: error: {message}", err=True)


def _usage_line(exc: click.UsageError, prog: str) -> str:
    """Click's usage block as one line: the message and where to look."""
    message = exc.format_message()
    ctx = exc.ctx
    path = ctx.command_path if ctx is not None else prog
    hint = f"try '{path} --help'"
    if isinstance(exc, click.NoSuchOption) and exc.option_name in GLOBAL_OPTIONS:
        command = ctx.info_name if ctx is not None else "COMMAND"
        hint = (
            f"{exc.option_name} is a global option: put it before the command,"
            f" as in '{prog} {exc.option_name} {command}'"
        )
    return f"{message} ({hint})"


#: What a held run lock means, by lock name (``storage.locks`` knows locks, not commands).
LOCK_MESSAGES = {
    "crawl": "another crawl is running: {}; try later or use --wait",
    "scheduler": "another scheduler runs on this archive: {}",
}


def _message(exc: BaseException) -> str:
    if isinstance(exc, LockHeld):
        return LOCK_MESSAGES.get(exc.name, "{}").format(exc)
    if isinstance(exc, CommandFailed):
        return str(exc)
    if isinstance(exc, PendingRollbackError):
        return "a database operation failed and the connection could not go on (was it lost?)"
    if isinstance(exc, DBAPIError):
        return f"database error: {first_line(exc)}"
    if isinstance(exc, OSError) and not str(exc.args[0] if exc.args else ""):
        return type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _quiet_broken_pipe() -> int:
    """The reader of stdout went away: say nothing, and keep Python's exit flush quiet too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


class PipeClosed(Exception):
    """stdout's reader went away; raised instead of BrokenPipeError so click leaves it to us."""


class StorylineGroup(click.Group):
    """The top-level group: its ``main`` is the one error handler of every command."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        prog = prog_name or "storyline"

        def run() -> Any:
            return super(StorylineGroup, self).main(
                args, prog, complete_var, standalone_mode=False, **extra
            )

        code = run_command_line(run, prog)
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise PipeClosed() from exc
        except Exception as exc:
            # A full disk or a read-only archive says so, wherever the write was refused
            # (arming the frontier, the run record), not as a generic database error.
            fatal = storage.unwritable(exc)
            app = ctx.find_object(App)
            if fatal is not None and fatal is not exc:
                if app is not None:
                    fatal.database = _shown(app.db_url)
                raise fatal from exc
            # Say which database was looked at ("no article is archived at URL" alone is
            # ambiguous when STORYLINE_DB or a default file chose the archive).
            if isinstance(exc, storage.StorageError) and exc.database is None and app is not None:
                exc.database = _shown(app.db_url)
            raise


def run_command_line(run: Callable[[], Any], prog: str) -> int:
    """Run a command line and turn whatever ends it into one line on stderr and a status."""
    try:
        result = run()
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        error(_usage_line(exc, prog))
        return exc.exit_code
    except click.Abort:
        click.echo("", err=True)
        error("interrupted")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        error(exc.format_message())
        return exc.exit_code
    except (BrokenPipeError, PipeClosed):
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            return _quiet_broken_pipe()
        found = classify(exc)
        if found is None:
            raise  # a bug: the traceback is the report
        cause, code = found
        log.debug("command failed", exc_info=exc)
        message = _message(cause)
        if message:  # a command that already reported its failures ends with an empty one
            error(message)
        return code
    return result if isinstance(result, int) else 0


__all__ = [
    "EXIT_FAILED",
    "EXIT_USAGE",
    "App",
    "StorylineGroup",
    "config_option",
    "configure_logging",
    "db_option",
    "global_db_option",
    "json_option",
    "pass_app",
]
