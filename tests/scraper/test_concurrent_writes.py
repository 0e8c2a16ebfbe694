"""Extraction workers writing at once: no page is lost to a deadlock (issue 9, item 5).

Several pool workers store their batches in concurrent transactions on PostgreSQL. Each new
article teaches its host's boilerplate learner (``host_profile``, ``boilerplate_line``), so
two batches holding pages of the same hosts in different orders used to lock those rows in
different orders: a deadlock, and PostgreSQL aborted one batch's page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from scraper.extraction import Extraction
from scraper.fetched import FetchResult
from scraper.pool import ArchiveDone, ArchiveJob, archive_batch_in_worker
from storage import open_archive
from storage.models import Article, HostProfile
from storage.transient import is_transient

HOSTS = tuple(f"h{i}.example" for i in range(4))
TEMPLATE = tuple(f"Shared template line {i} of the site, seen on every page" for i in range(12))
ROUNDS = 20


@dataclass(frozen=True)
class Prepared:
    """An extractor that returns what was prepared for each URL (extraction is not under
    test here, and trafilatura must not run in threads)."""

    pages: dict[str, Extraction]

    def __call__(self, html: bytes, url: str, keys: frozenset[str] | None = None, /) -> Extraction:
        return self.pages[url]


def page(host: str, name: str) -> tuple[FetchResult, Extraction]:
    url = f"http://{host}/news/{name}"
    body = "\n\n".join(
        f"Paragraph {i} of story {name} on {host} tells the reader what happened at the harbour."
        for i in range(6)
    )
    result = FetchResult(url, url, 200, {}, body.encode(), "text/html", "utf-8")
    extraction = Extraction(
        headline=f"Story {name}",
        authors=(),
        published_at=None,
        modified_at=None,
        description=None,
        language="en",
        body=body,
        learnable_lines=(*TEMPLATE, f"Only on {name}"),
    )
    return result, extraction


def test_concurrent_batches_over_the_same_hosts_lose_no_page(engine: Engine) -> None:
    db_url = engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(2)
    done: dict[int, list[ArchiveDone]] = {0: [], 1: []}

    def worker(me: int) -> None:
        order = HOSTS if me == 0 else HOSTS[::-1]
        for round_ in range(ROUNDS):
            pages = [page(host, f"w{me}-r{round_}") for host in order]
            extractor = Prepared({r.url: e for r, e in pages})
            jobs = [ArchiveJob(db_url, 0, r, "s", extractor) for r, _ in pages]
            barrier.wait(timeout=60)
            done[me].extend(archive_batch_in_worker(jobs))

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    lost = [d for d in (*done[0], *done[1]) if d.outcome != "new-article"]
    assert lost == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2 * ROUNDS * 4
        rows = session.execute(select(HostProfile.host, HostProfile.pages_seen))
        seen = {host: pages for host, pages in rows}
    assert seen == dict.fromkeys(HOSTS, 2 * ROUNDS)


def test_a_real_deadlock_is_recognised_as_worth_retrying(postgres_url: str) -> None:
    """Two transactions lock two rows in opposite orders; PostgreSQL aborts one of them."""
    engine = open_archive(postgres_url)
    with engine.begin() as conn:
        conn.execute(
            insert(HostProfile), [{"host": "a", "pages_seen": 0}, {"host": "b", "pages_seen": 0}]
        )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def bump(first: str, second: str) -> None:
        try:
            with engine.begin() as conn:
                for host in (first, second):
                    conn.execute(
                        update(HostProfile)
                        .where(HostProfile.host == host)
                        .values(pages_seen=HostProfile.pages_seen + 1)
                    )
                    if host == first:
                        barrier.wait(timeout=30)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert len(errors) == 1
    assert is_transient(errors[0])
    assert not is_transient(ValueError("not a database error"))
