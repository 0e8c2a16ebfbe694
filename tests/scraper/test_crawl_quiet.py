"""A short crawl is quiet: nothing it leaves running is reported as an error when the
event loop closes (cron mails every line on stderr)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scraper.config import parse_config
from scraper.crawl import run_crawl
from storage import open_archive
from tests.httpserver import HTTPTestServer


def test_a_crawl_that_ends_before_its_pool_warms_up_logs_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = open_archive(f"sqlite:///{tmp_path / 'a.db'}")
    release = threading.Event()
    pool = ThreadPoolExecutor(1)
    pool.submit(release.wait, 30)  # the pool's one worker is busy: the warm-up waits
    with HTTPTestServer("127.0.0.5") as site:  # every path answers 404: a crawl of one fetch
        config = parse_config(
            f"[crawl]\ndelay = 0\nobey_robots = false\nmax_wait = 0\n"
            f'[[source]]\nname = "t"\npages = ["{site.url("/news/")}"]\n'
        )
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            summary = run_crawl(config, engine, executor=pool, handle_signals=False)
    release.set()
    pool.shutdown(wait=True)
    engine.dispose()
    assert summary.failures == 1  # the 404 seed: the crawl ran, and ended
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []
