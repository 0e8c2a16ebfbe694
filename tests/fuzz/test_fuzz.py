"""Bounded fuzzing in CI: each target gets a fixed number of derandomized examples.

Deterministic (``derandomize``), no deadline (CI machines are slow and shared), and small
enough to take seconds; ``bench/fuzz.py`` runs the same targets for longer, at random.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.targets import TARGETS

EXAMPLES = {"canonicalize": 400, "resolve": 300, "discover": 200, "extract": 40}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz(name: str) -> None:
    strategy, check = TARGETS[name]

    @settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(value: Any) -> None:
        check(value)

    run()
