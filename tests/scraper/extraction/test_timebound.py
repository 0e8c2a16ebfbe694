"""The wall-clock bound on one extraction (:mod:`scraper.extraction.timebound`): outside
the main thread no signal can interrupt, so the bound is checked between stages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from scraper.errors import ExtractionTimeout
from scraper.extraction import extract
from scraper.extraction.timebound import Deadline, time_bound

PAGE = (
    "<html><head><title>Night ferry</title></head><body><h1>Night ferry</h1>"
    + "<p>The night ferry crossed the bay in calm water with forty people aboard.</p>" * 5
    + "</body></html>"
)


def in_a_thread(work: Callable[[], object]) -> BaseException | None:
    """Run ``work`` in a worker thread; what it raised, if anything."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed back to the test
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return raised[0] if raised else None


def test_a_deadline_that_has_passed_raises_at_the_next_check() -> None:
    Deadline(time.monotonic() + 60, 60.0).check("parse")  # not yet: nothing happens
    with pytest.raises(ExtractionTimeout, match=r"exceeded 0\.5s \(at parse\)"):
        Deadline(time.monotonic() - 1, 0.5, "https://news.example/a").check("parse")


def test_in_a_worker_thread_the_bound_is_checked_between_stages() -> None:
    def bounded() -> None:
        with time_bound(0.01) as deadline:
            time.sleep(0.03)
            deadline.check("content")

    assert isinstance(in_a_thread(bounded), ExtractionTimeout)


def test_an_extraction_in_a_worker_thread_is_still_bounded() -> None:
    raised = in_a_thread(lambda: extract(PAGE, "https://news.example/a", timeout=1e-9))
    assert isinstance(raised, ExtractionTimeout)
    # with time to spare, the same page extracts in a thread
    assert in_a_thread(lambda: extract(PAGE, "https://news.example/a", timeout=60)) is None
