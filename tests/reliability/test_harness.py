"""The harness measures what it claims: memory of the child and its children, time, exit."""

from __future__ import annotations

import pytest

from tests.reliability.harness import MIB, Run, run_python

ALLOCATE = "import sys, time; block = bytearray(int(sys.argv[1]) * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.2)"


def test_peak_rss_sees_an_allocation() -> None:
    small = run_python(ALLOCATE, "1")
    big = run_python(ALLOCATE, "200")
    small.assert_clean()
    big.assert_clean()
    assert big.peak_rss - small.peak_rss > 180 * MIB
    assert big.peak_tree_rss - small.peak_tree_rss > 150 * MIB


def test_peak_tree_rss_sums_children() -> None:
    code = (
        "import subprocess, sys\n"
        "procs = [subprocess.Popen([sys.executable, '-c', sys.argv[1], '120']) for _ in range(2)]\n"
        "[p.wait() for p in procs]\n"
    )
    run = run_python(code, ALLOCATE.replace("0.2", "1.0"))
    run.assert_clean()
    assert run.peak_rss >= 120 * MIB  # the largest single process
    assert run.peak_tree_rss >= 230 * MIB  # both children at once


def test_timeout_kills_the_whole_group() -> None:
    code = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    run = run_python(code, timeout=1.0)
    assert run.timed_out and run.elapsed < 10
    with pytest.raises(AssertionError, match="killed"):
        run.assert_clean()


def test_assert_clean_catches_a_traceback_and_a_wrong_status() -> None:
    run: Run = run_python("raise SystemExit(3)")
    run.assert_clean(exit_code=3)
    with pytest.raises(AssertionError, match="exit 3"):
        run.assert_clean(exit_code=0)
    crashed = run_python("1/0")
    with pytest.raises(AssertionError):
        crashed.assert_clean(exit_code=1)
    assert "ZeroDivisionError" in crashed.stderr
