"""Deciding when: the scheduler daemon's jobs and runner.

The revisit policy and the run locks live in ``storage`` (``storage.revisits``,
``storage.locks``) because the crawl loop in ``scraper`` needs them and may not import
this package.
"""

from schedules.jobs import (
    CRAWL_LOCK,
    CrawlFn,
    JobContext,
    RevisitPrep,
    arm_seeds,
    crawl_until_stopped,
    crawl_with_revisits,
    cron_crawl,
    discover_source,
    housekeeping,
    prepare_revisits,
    revisit_sweep,
    settle_revisits,
)
from schedules.runner import (
    HOUSEKEEPING_JOB,
    REVISIT_JOB,
    SCHEDULER_LOCK,
    ContextExecutor,
    JobSpec,
    Runner,
    StoredJob,
    build_scheduler,
    plan_jobs,
    stored_jobs,
    sync_jobs,
)

__all__ = [
    "CRAWL_LOCK",
    "HOUSEKEEPING_JOB",
    "REVISIT_JOB",
    "SCHEDULER_LOCK",
    "ContextExecutor",
    "CrawlFn",
    "JobContext",
    "JobSpec",
    "RevisitPrep",
    "Runner",
    "StoredJob",
    "arm_seeds",
    "build_scheduler",
    "crawl_until_stopped",
    "crawl_with_revisits",
    "cron_crawl",
    "discover_source",
    "housekeeping",
    "plan_jobs",
    "prepare_revisits",
    "revisit_sweep",
    "settle_revisits",
    "stored_jobs",
    "sync_jobs",
]
