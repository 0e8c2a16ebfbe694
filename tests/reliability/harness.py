"""Run storyline in a child process and measure what a hostile case did to it.

The reliability suite drives the real CLI (or a crawl script) in a subprocess so a bomb,
a hang or a crash shows as what an operator would see: the exit status, the output, the
time taken and the peak memory. One call does it all::

    run = run_cli(["--db", url, "crawl", str(config)], timeout=60)
    run.assert_clean(exit_code=0, within=30)        # status, time bound, no traceback
    assert run.peak_rss < baseline.peak_rss + 2 * cap
    assert integrity_ok(tmp_path / "archive.db")

``peak_rss`` is exact: the kernel's maximum resident set of the child or of any descendant
it reaped (``wait4``), in bytes. ``peak_tree_rss`` is sampled every few milliseconds from
/proc as the sum over the whole process tree (extraction workers included), so it can miss
a short spike but sees memory spread over several processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Run the CLI as the installed ``storyline`` script does.
CLI = (sys.executable, "-c", "from storyline.cli import main; main()")

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    """What one child process did."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    #: wall-clock seconds from start to exit (or to the kill on timeout)
    elapsed: float
    #: bytes: the largest resident set of the child or of any descendant it reaped
    peak_rss: int
    #: bytes: the largest sampled sum of resident sets over the process tree
    peak_tree_rss: int
    timed_out: bool = False
    samples: int = field(default=0, compare=False)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def assert_clean(
        self, *, exit_code: int | Sequence[int] = 0, within: float | None = None
    ) -> None:
        """Exit status as expected, finished in time, and no traceback anywhere in the output."""
        codes = (exit_code,) if isinstance(exit_code, int) else tuple(exit_code)
        assert not self.timed_out, f"killed after {self.elapsed:.1f}s: {self.describe()}"
        assert self.returncode in codes, (
            f"exit {self.returncode}, wanted {codes}: {self.describe()}"
        )
        assert "Traceback" not in self.output, f"a traceback: {self.describe()}"
        if within is not None:
            assert self.elapsed <= within, (
                f"took {self.elapsed:.1f}s > {within}s: {self.describe()}"
            )

    def describe(self) -> str:
        return (
            f"{' '.join(self.argv[3:] if self.argv[:3] == CLI else self.argv)}\n"
            f"--- stdout ---\n{self.stdout[-4000:]}\n--- stderr ---\n{self.stderr[-4000:]}"
        )


def run_cli(
    args: Sequence[str],
    *,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Run:
    """Run ``storyline ARGS`` in a child process (see :func:`run_process`)."""
    return run_process([*CLI, *args], timeout=timeout, env=env, cwd=cwd)


def run_python(
    code: str, *args: str, timeout: float = 120.0, env: Mapping[str, str] | None = None
) -> Run:
    """Run a Python snippet in a child process (``sys.argv[1:]`` are ``args``)."""
    return run_process([sys.executable, "-c", code, *args], timeout=timeout, env=env)


def run_process(
    argv: Sequence[str],
    *,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    sample_every: float = 0.005,
) -> Run:
    """Run ``argv`` in its own session, measuring time and memory; kill its group on timeout.

    The environment is this process's, plus ``env``; NO_COLOR and a wide terminal keep the
    output plain.
    """
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(mode="r") as report,
    ):
        started = time.monotonic()
        wrapper = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WRAPPER, report.name, *argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
        )
        peak_tree = 0
        samples = 0
        timed_out = False
        while wrapper.poll() is None:
            peak_tree = max(peak_tree, tree_rss(wrapper.pid, include_root=False))
            samples += 1
            if time.monotonic() - started > timeout:
                timed_out = True
                _kill_group(wrapper.pid)
                wrapper.wait()
                break
            time.sleep(sample_every)
        elapsed = time.monotonic() - started
        _kill_group(wrapper.pid)  # workers left behind by the child must not outlive the test
        returncode, peak = wrapper.returncode, 0
        written = report.read().split()
        if len(written) == 2:
            returncode, peak = int(written[0]), int(written[1]) * 1024
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(
        argv=tuple(argv),
        returncode=returncode,
        stdout=stdout,
        stderr=stderr,
        elapsed=elapsed,
        peak_rss=peak,
        peak_tree_rss=max(peak_tree, peak),
        timed_out=timed_out,
        samples=samples,
    )


#: A small interpreter between the test and the child: a forked child inherits its parent's
#: peak RSS in Linux's accounting, so the child must be forked from a small process, not from
#: pytest. It reports "exit-status max-rss-KiB" of the child (and the child's reaped
#: descendants) through the file named first.
_WRAPPER = """
import os, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as fh:
    fh.write(f"{code} {usage.ru_maxrss}")
sys.exit(code if code >= 0 else 128 - code)
"""


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def tree_rss(pid: int, *, include_root: bool = True) -> int:
    """Bytes resident in ``pid`` (unless not ``include_root``) and all its descendants now."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            if include_root or current != pid:
                with open(f"/proc/{current}/statm", "rb") as fh:
                    total += int(fh.read().split()[1]) * PAGE_SIZE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return total


def integrity_ok(path: str | Path) -> bool:
    """``PRAGMA integrity_check`` of an SQLite file says ``ok`` (opened read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return [tuple(r) for r in rows] == [("ok",)]


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{path}"


def write_config(path: Path, text: str) -> Path:
    """Write a sources file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


MIB = 1024 * 1024
