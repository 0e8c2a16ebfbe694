"""The daemon in-process: restarts keep one copy of each job, a missed run is caught up
once, and crawls never overlap."""

from __future__ import annotations

import functools
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from schedules.jobs import CRAWL_LOCK, JobContext, cron_crawl, discover_source
from schedules.runner import Runner, job_store, plan_jobs, stored_jobs
from scraper.config import parse_config
from storage.errors import LockHeld
from storage.locks import acquire, lock_info
from tests.schedules.conftest import site_config
from tests.schedules.site import NewsSite, Story, config_text

CRON = 'schedule = "*/30 * * * *"'


def _start_and_stop(runner: Runner) -> None:
    runner.run(handle_signals=False, on_started=lambda r: r.request_stop(), poll=0.05)


def test_restart_keeps_one_copy_of_each_job(
    engine: Engine, site: NewsSite, make_context: functools.partial[JobContext]
) -> None:
    config = site_config(site, source_extra=CRON)
    first = Runner(make_context(config))
    _start_and_stop(first)
    assert first.actions == {
        "discover:herald": "added",
        "revisit-sweep": "added",
        "housekeeping": "added",
    }
    jobs = {job.id: job for job in stored_jobs(engine)}
    assert sorted(jobs) == ["discover:herald", "housekeeping", "revisit-sweep"]
    assert jobs["discover:herald"].func == "schedules.runner:run_discovery"
    assert jobs["discover:herald"].kwargs == {"source": "herald"}

    second = Runner(make_context(config))
    _start_and_stop(second)
    assert set(second.actions.values()) == {"kept"}
    again = {job.id: job for job in stored_jobs(engine)}
    assert sorted(again) == sorted(jobs)
    assert again["discover:herald"].next_run_time == jobs["discover:herald"].next_run_time

    # A source loses its schedule: its job goes; a new cron expression replaces the job.
    third = Runner(make_context(site_config(site)))
    _start_and_stop(third)
    assert third.actions["discover:herald"] == "removed"
    assert sorted(j.id for j in stored_jobs(engine)) == ["housekeeping", "revisit-sweep"]
    fourth = Runner(make_context(site_config(site, source_extra='schedule = "0 * * * *"')))
    _start_and_stop(fourth)
    assert fourth.actions["discover:herald"] == "added"
    assert len(stored_jobs(engine)) == 3
    # The daemon released its lock on the way out.
    assert lock_info(engine, "scheduler") is None


def test_a_second_daemon_on_the_same_archive_is_refused(
    engine: Engine, site: NewsSite, make_context: functools.partial[JobContext]
) -> None:
    config = site_config(site, source_extra=CRON)
    refused: list[LockHeld] = []

    def start_another(runner: Runner) -> None:
        other = Runner(make_context(config, owner="second-daemon"))
        try:
            _start_and_stop(other)
        except LockHeld as exc:
            refused.append(exc)
        runner.request_stop()

    Runner(make_context(config, owner="first-daemon")).run(
        handle_signals=False, on_started=start_another, poll=0.05
    )
    assert len(refused) == 1 and refused[0].holder == "first-daemon"


def test_misfire_after_downtime_runs_once(
    engine: Engine, site: NewsSite, make_context: functools.partial[JobContext]
) -> None:
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs"))
    config = site_config(site, source_extra=CRON)
    _start_and_stop(Runner(make_context(config)))

    # The daemon was down for three hours: six */30 slots of the discovery job were missed.
    # (Edited in the store itself: a paused scheduler that shuts down may still process jobs.)
    store = job_store(engine)
    store.start(BackgroundScheduler(timezone=UTC), "default")
    job = store.lookup_job("discover:herald")
    job._modify(next_run_time=datetime.now(UTC) - timedelta(hours=3, minutes=1))
    store.update_job(job)
    store.shutdown()

    events: list[tuple[str, int]] = []
    done = threading.Event()

    def on_started(runner: Runner) -> None:
        assert runner.scheduler is not None

        def listener(event: JobEvent) -> None:
            if event.job_id == "discover:herald":
                events.append((event.job_id, event.code))
                done.set()

        runner.scheduler.add_listener(
            listener, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR
        )

        def stop_when_done() -> None:
            done.wait(120)  # bounded: if the job never runs, the assertions below fail
            runner.request_stop()

        threading.Thread(target=stop_when_done, daemon=True).start()

    runner = Runner(make_context(config))
    runner.run(handle_signals=False, on_started=on_started, poll=0.05)
    assert runner.actions["discover:herald"] == "kept"
    assert events == [("discover:herald", EVENT_JOB_EXECUTED)]
    assert site.server.count("/feed.xml") == 1  # one catch-up crawl, not six
    after = {job.id: job for job in stored_jobs(engine)}["discover:herald"]
    assert after.next_run_time is not None and after.next_run_time > datetime.now(UTC)


def test_a_job_skips_while_a_cron_crawl_holds_the_lock(
    engine: Engine, site: NewsSite, make_context: functools.partial[JobContext]
) -> None:
    site.add(Story("bridge-closes", "Harbour bridge to close for repairs"))
    ctx = make_context(site_config(site))
    with acquire(engine, CRAWL_LOCK, "cron@elsewhere:42", heartbeat=False):
        result = discover_source(ctx, "herald")
    assert "cron@elsewhere:42" in result["skipped"]
    assert site.server.paths() == []
    assert discover_source(ctx, "herald")["new_articles"] == 1


def test_two_overlapping_cron_crawls(
    engine: Engine, site: NewsSite, make_context: functools.partial[JobContext], tmp_path: Path
) -> None:
    """The second crawl is refused only while the first arms the frontier (the run lock);
    once the first is fetching, the second joins it: no page is fetched twice."""
    for n in range(4):
        site.add(Story(f"story-{n}", f"Story number {n} about the harbour bridge"))
    site.delay = 0.3
    config = parse_config(config_text(site), "herald.toml")
    first_ctx = make_context(config, owner="cron-run-1")
    results: dict[str, object] = {}
    first = threading.Thread(target=lambda: results.update(first=cron_crawl(first_ctx)))
    first.start()
    try:
        for _ in range(600):  # bounded wait until the first crawl is fetching articles
            if any(p.startswith("/news/") for p in site.server.paths()):
                break
            threading.Event().wait(0.05)
        # The first holds no lock while it fetches: the second arms, then finds every URL
        # leased to the first (it does not wait for another crawl's leases) and ends.
        assert lock_info(engine, CRAWL_LOCK) is None
        second = cron_crawl(make_context(config, owner="cron-run-2"))
        # A leader arming (holding the lock) refuses another, unless it waits.
        with (
            acquire(engine, CRAWL_LOCK, "cron-run-3", heartbeat=False),
            pytest.raises(LockHeld) as caught,
        ):
            cron_crawl(make_context(config, owner="cron-run-4"))
        assert caught.value.holder == "cron-run-3"
    finally:
        first.join(120)
    assert results["first"]["new_articles"] == 4  # type: ignore[index]
    assert second["new_articles"] == 0
    for n in range(4):
        assert site.server.count(f"/news/story-{n}") == 1
    assert plan_jobs(config)[0].id == "revisit-sweep"
