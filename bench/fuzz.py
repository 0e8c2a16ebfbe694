"""The long fuzz run: every target of tests/fuzz for a time budget, at random.

CI runs a fixed, derandomized handful of examples per target (tests/fuzz/test_fuzz.py);
this runs each target for ``--seconds`` with fresh random input and reports examples per
second and the first failure found (shrunk), with the input to paste into a regression
test. Exit status 1 when any target failed.

    uv run python bench/fuzz.py                    # 60 s per target
    uv run python bench/fuzz.py --seconds 600 extract
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.targets import TARGETS


def run_target(name: str, seconds: float, batch: int = 50) -> tuple[int, float, str | None]:
    """Fuzz one target for about ``seconds``: (examples, elapsed, failure or None).

    Runs batches of ``batch`` examples, each from a fresh random seed, until the time is up.
    """
    strategy, check = TARGETS[name]
    count = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:

        @seed(random.getrandbits(64))
        @settings(
            max_examples=batch,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(value: Any) -> None:
            nonlocal count
            count += 1
            check(value)

        try:
            run()
        except Exception:
            return count, time.monotonic() - started, traceback.format_exc(limit=-8)
    return count, time.monotonic() - started, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"default: all of {', '.join(sorted(TARGETS))}")
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget per target")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # hypothesis warns about the size of failing inputs' repr
    logging.disable(logging.WARNING)  # the parsers log what they skip; we want the verdicts
    names = args.targets or sorted(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    failed = 0
    for name in names:
        count, elapsed, failure = run_target(name, args.seconds)
        rate = count / elapsed if elapsed else 0.0
        print(
            f"{name:14s} {count:8d} examples in {elapsed:6.1f}s ({rate:7.1f}/s)  {'FAILED' if failure else 'ok'}"
        )
        if failure:
            failed += 1
            print(failure)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
