"""A wall-clock bound on one extraction.

In the main thread of a process (the normal case: a process-pool worker or the CLI) a
``SIGALRM`` interval timer interrupts even a long C-level call once it returns to Python.
Elsewhere (a thread) no signal can be used, so the bound is cooperative: the caller
calls :meth:`Deadline.check` between stages.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType

from scraper.errors import ExtractionTimeout


@dataclass(frozen=True)
class Deadline:
    """The instant (``time.monotonic``) by which an extraction must be done."""

    at: float
    seconds: float
    url: str | None = None

    def check(self, stage: str = "") -> None:
        """Raise :class:`ExtractionTimeout` when the bound has passed."""
        if time.monotonic() > self.at:
            raise ExtractionTimeout(
                f"extraction exceeded {self.seconds:.1f}s{f' (at {stage})' if stage else ''}",
                url=self.url,
            )


#: Interval of repeated alarms once the bound has passed.
RETRY = 0.05


def _signals_usable() -> bool:
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextlib.contextmanager
def time_bound(seconds: float, url: str | None = None) -> Iterator[Deadline]:
    """Run the body under a time bound; raises :class:`ExtractionTimeout` when exceeded."""
    deadline = Deadline(time.monotonic() + seconds, seconds, url)
    if seconds <= 0 or not _signals_usable():
        yield deadline
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(f"extraction exceeded {seconds:.1f}s", url=url)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_timer = (0.0, 0.0)
    try:
        # after the first alarm, repeat every RETRY seconds: libraries that swallow exceptions
        # (trafilatura's fallbacks catch everything) get interrupted again until we are out.
        # Armed inside the try: a bound so short that it fires at once is still disarmed.
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, RETRY)
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:
            # an outer timer was running: give it back what is left of it
            left = max(previous_timer[0] - (time.monotonic() - (deadline.at - seconds)), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_timer[1])
