"""Fixtures for the scheduler tests: a loopback news site, a walking clock, a job context."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from schedules.jobs import JobContext, crawl_until_stopped
from scraper.config import Config, parse_config
from scraper.extraction.worker import extract_in_worker
from tests.httpserver import HTTPTestServer
from tests.schedules.site import NewsSite, config_text

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


class WalkingClock:
    """A clock tests move by hand: a week of revisits passes in milliseconds."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> WalkingClock:
    return WalkingClock()


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with HTTPTestServer("127.0.0.2") as server:
        yield NewsSite(server)


@pytest.fixture
def extraction_pool() -> Iterator[ThreadPoolExecutor]:
    """Extraction in one thread (the crawler's process pool is for speed, not needed here)."""
    pool = ThreadPoolExecutor(1)
    yield pool
    pool.shutdown(wait=True)


def site_config(site: NewsSite, **kw: str) -> Config:
    return parse_config(config_text(site, **kw), "herald.toml")


@pytest.fixture
def make_context(
    engine: Engine, clock: WalkingClock, extraction_pool: ThreadPoolExecutor
) -> functools.partial[JobContext]:
    crawl = functools.partial(
        crawl_until_stopped, executor=extraction_pool, extractor=extract_in_worker
    )
    return functools.partial(JobContext, engine, crawl=crawl, clock=clock)
