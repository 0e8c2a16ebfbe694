"""The crawl frontier in the ``url`` table: what we know, what is due, who holds it.

A URL's life: ``new`` (due at ``next_fetch_at``, or now when that is null) → ``leased``
(a worker claimed it until ``lease_expires_at``) → ``done`` or ``failed``, or back to
``new`` with a later ``next_fetch_at`` when a retry is due. A worker killed with SIGKILL
loses nothing: its leases expire (or are reclaimed at once when the dead worker was on this
machine) and the URLs are claimed again. Claims take ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL so many workers share one frontier; on SQLite the write transaction is already
exclusive (BEGIN IMMEDIATE) and a single ``UPDATE … RETURNING`` claims a batch.

All functions work in the caller's session and transaction; keep claim transactions short.

What we know (:mod:`~storage.frontier.known`), what is due (:mod:`~storage.frontier.due`),
who holds it (:mod:`~storage.frontier.leases`) and what became of a fetch
(:mod:`~storage.frontier.outcomes`) each have their module; the names are all here.
"""

from storage.frontier.due import due_hosts, next_due
from storage.frontier.known import (
    ARTICLE,
    DONE,
    FAILED,
    LEASED,
    NEW,
    STATES,
    NewUrl,
    add_urls,
    counts,
    failures,
    get,
    rearm_discovered,
)
from storage.frontier.leases import (
    Claimed,
    claim,
    expire_leases,
    heartbeat,
    reclaim_dead_local_leases,
    release,
    worker_id,
)
from storage.frontier.outcomes import Completion, complete, complete_many, fail, mark_seen

__all__ = [
    "ARTICLE",
    "DONE",
    "FAILED",
    "LEASED",
    "NEW",
    "STATES",
    "Claimed",
    "Completion",
    "NewUrl",
    "add_urls",
    "claim",
    "complete",
    "complete_many",
    "counts",
    "due_hosts",
    "expire_leases",
    "fail",
    "failures",
    "get",
    "heartbeat",
    "mark_seen",
    "next_due",
    "rearm_discovered",
    "reclaim_dead_local_leases",
    "release",
    "worker_id",
]
