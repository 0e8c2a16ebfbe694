"""Many workers, one PostgreSQL archive: ``storyline worker`` beside a leader (issue 14).

Three worker processes and one ``storyline crawl`` (the leader: it arms the seeds) share a
frontier over a loopback site of three hosts. The server's request log (a monotonic time
per request) is the witness: every article is asked for once, and one host never sees two
requests closer than the configured gap (after the previous answer), whichever processes
sent them. A worker killed with SIGKILL loses nothing; one that loses the database exits 3;
one pointed at SQLite is refused.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import open_archive
from tests.conftest import postgres_admin_url
from tests.httpserver import HTTPTestServer, Route
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import CLI, Run, run_cli
from tests.reliability.site import ROBOTS_ALLOW_ALL, article_html, crawl_config

pytestmark = pytest.mark.postgres

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
DELAY = 0.2  # the configured gap between two requests to one host
ANSWER = 0.05  # seconds each article takes to answer
SLACK = 0.02  # the server timestamps arrivals from its own threads
#: seconds a lease lasts without a heartbeat (one every third of it). Long enough that a
#: heartbeat delayed by a loaded machine never lets a live worker's URL go to another (the
#: page would be fetched twice, though stored once); short where a worker is killed.
LEASE = 10
KILLED_LEASE = 3


@dataclass
class Site:
    servers: list[HTTPTestServer]
    articles: list[tuple[HTTPTestServer, str]]
    config: Path


def _site(
    make: ServerFactory,
    tmp_path: Path,
    per_host: int,
    *,
    lease: float = LEASE,
    concurrency: int = 16,
) -> Site:
    servers = [make(host=host) for host in HOSTS]
    articles: list[tuple[HTTPTestServer, str]] = []
    sources = []
    for h, server in enumerate(servers):
        server.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))
        paths = [f"/news/story-{h}-{i}.html" for i in range(per_host)]
        for i, path in enumerate(paths):
            body = article_html(f"Story number {h * 1000 + i}")
            server.add(path, Route(body=body, delay=ANSWER))
            articles.append((server, path))
        items = "".join(f"<item><title>t</title><link>{server.url(p)}</link></item>" for p in paths)
        server.add(
            "/feed.xml",
            Route(
                body=f"<rss><channel>{items}</channel></rss>", content_type="application/rss+xml"
            ),
        )
        sources.append(f'[[source]]\nname = "site{h}"\nfeeds = ["{server.url("/feed.xml")}"]\n')
    config = crawl_config(
        tmp_path / "sources.toml",
        "\n".join(sources),
        delay=DELAY,
        lease_seconds=lease,
        deadline=5,
        max_wait=30,
        concurrency=concurrency,
    )
    return Site(servers, articles, config)


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self, timeout: float = 60) -> tuple[int, str]:
        """SIGTERM, as systemd stops it; its exit status and output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        finally:
            self.kill()
        return code, self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the worker and its extraction processes: a machine gone at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(db: str, config: Path, name: str, *args: str) -> Worker:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*CLI, "--db", db, "worker", "--config", str(config), "--id", name, *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1"},
                start_new_session=True,
            )
        worker = Worker(name, process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def _sql(db: str, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


def _wait_for(what: str, check: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _complete(db: str, articles: int) -> bool:
    (open_urls,) = _sql(db, "SELECT count(*) FROM url WHERE state IN ('new', 'leased')")[0]
    (stored,) = _sql(db, "SELECT count(*) FROM article")[0]
    return open_urls == 0 and stored == articles


def _assert_archived_once(db: str, site: Site) -> None:
    """Every article stored, once, with one version; nothing left on the frontier."""
    urls = {server.url(path) for server, path in site.articles}
    stored = [row[0] for row in _sql(db, "SELECT url FROM article")]
    assert sorted(stored) == sorted(urls)
    (versions,) = _sql(db, "SELECT count(*) FROM version")[0]
    assert versions == len(urls)
    assert _sql(db, "SELECT count(*) FROM article WHERE current_version <> 1")[0] == (0,)
    doubled = _sql(
        db, "SELECT article_id, number FROM version GROUP BY article_id, number HAVING count(*) > 1"
    )
    assert doubled == []
    left = _sql(db, "SELECT url, state FROM url WHERE state NOT IN ('done')")
    assert left == []


def min_gaps(servers: list[HTTPTestServer]) -> dict[str, float]:
    """Per host: the shortest time from the end of one request (arrival + its answer
    delay) to the arrival of the next, over all processes' requests."""
    found: dict[str, float] = {}
    for server in servers:
        requests = sorted(server.requests(), key=lambda r: r.at)
        spacing = [
            after.at - before.at - (ANSWER if before.path.startswith("/news/") else 0.0)
            for before, after in itertools.pairwise(requests)
        ]
        found[server.host] = min(spacing) if spacing else float("inf")
    return found


def _assert_gap_held(site: Site) -> None:
    gaps = min_gaps(site.servers)
    print(f"min gap per host (configured {DELAY}s): {gaps}")
    assert all(gap >= DELAY - SLACK for gap in gaps.values()), (
        f"a host saw requests closer than the gap ({DELAY}s): {gaps}"
    )


def _leader(db: str, config: Path, runs: dict[str, Run]) -> threading.Thread:
    def lead() -> None:
        runs["leader"] = run_cli(["--db", db, "crawl", "--config", str(config)], timeout=240)

    thread = threading.Thread(target=lead)
    thread.start()
    return thread


def test_workers_first_then_the_leader_fetch_every_article_once_keeping_the_gap(
    postgres_url: str,
    hostile_server: ServerFactory,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    # The leader takes one host at a time: with one per seed it would lease every host's
    # articles the moment its feeds are read, before an idle worker's next look (a second
    # later), and on a loaded machine the workers were left nothing to do.
    site = _site(hostile_server, tmp_path, per_host=10, concurrency=1)
    open_archive(postgres_url).dispose()  # migrated once, before the processes race
    workers = [
        start_worker(postgres_url, site.config, f"w{n}", "--concurrency", "2") for n in (1, 2, 3)
    ]
    _wait_for(
        "three workers to register",
        lambda: _sql(postgres_url, "SELECT count(*) FROM worker")[0] == (3,),
    )
    leader = run_cli(["--db", postgres_url, "crawl", "--config", str(site.config)], timeout=240)
    leader.assert_clean(exit_code=0)
    _wait_for("the frontier to empty", lambda: _complete(postgres_url, len(site.articles)))

    listed = run_cli(["--db", postgres_url, "workers", "--json"])
    listed.assert_clean(exit_code=0)
    rows = json.loads(listed.stdout)
    assert sorted(w["id"] for w in rows) == ["w1", "w2", "w3"]
    assert all(w["state"] == "running" and not w["stale"] for w in rows)
    for worker in workers:
        code, output = worker.stop()
        assert code == 0, output
        assert "Traceback" not in output

    for server, path in site.articles:
        assert server.count(path) == 1, f"{server.url(path)} asked for {server.count(path)} times"
    _assert_archived_once(postgres_url, site)
    _assert_gap_held(site)
    done = {w["id"]: w["done"] for w in rows}
    fetched_by_workers = _sql(postgres_url, "SELECT sum(done) FROM worker")[0][0]
    assert isinstance(fetched_by_workers, int) and fetched_by_workers > 0, done
    stopped = json.loads(run_cli(["--db", postgres_url, "workers", "--json"]).stdout)
    assert stopped == []  # stopped workers are not listed (--all shows them)


def test_the_leader_first_then_workers_until_idle(
    postgres_url: str, hostile_server: ServerFactory, tmp_path: Path
) -> None:
    # One host at a time per process: the leader cannot take every host before the workers
    # start, so they share the crawl.
    site = _site(hostile_server, tmp_path, per_host=10, concurrency=1)
    open_archive(postgres_url).dispose()
    runs: dict[str, Run] = {}
    leader = _leader(postgres_url, site.config, runs)
    _wait_for(
        "the leader to arm the seeds",
        lambda: _sql(postgres_url, "SELECT count(*) FROM url")[0][0] != 0,  # type: ignore[index]
    )

    def work(name: str) -> None:
        runs[name] = run_cli(
            [
                "--db",
                postgres_url,
                "worker",
                "--config",
                str(site.config),
                "--id",
                name,
                "--until-idle",
                "--json",
            ],
            timeout=240,
        )

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in [leader, *threads]:
        thread.join()
    for run in runs.values():
        run.assert_clean(exit_code=0, within=200)
    for server, path in site.articles:
        assert server.count(path) == 1, f"{server.url(path)} asked for {server.count(path)} times"
    _assert_archived_once(postgres_url, site)
    _assert_gap_held(site)
    by_workers = sum(json.loads(runs[f"w{n}"].stdout)["fetched"] for n in (1, 2, 3))
    print(f"pages fetched by the workers: {by_workers} of {len(site.articles) + len(HOSTS)}")
    assert by_workers > 0


def test_a_worker_killed_mid_crawl_loses_nothing(
    postgres_url: str,
    hostile_server: ServerFactory,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    site = _site(hostile_server, tmp_path, per_host=15, lease=KILLED_LEASE)
    open_archive(postgres_url).dispose()
    doomed = start_worker(postgres_url, site.config, "w1")
    _wait_for(
        "w1 to register", lambda: _sql(postgres_url, "SELECT count(*) FROM worker")[0] == (1,)
    )
    runs: dict[str, Run] = {}
    leader = _leader(postgres_url, site.config, runs)
    held_by_w1 = (
        "SELECT count(*) FROM url JOIN worker ON url.lease_owner = worker.owner"
        " WHERE worker.id = 'w1' AND url.state = 'leased' AND url.kind = 'article'"
    )
    _wait_for("w1 to hold articles", lambda: _sql(postgres_url, held_by_w1)[0][0] != 0)  # type: ignore[index]
    doomed.kill()
    (orphaned,) = _sql(postgres_url, "SELECT count(*) FROM url WHERE state = 'leased'")[0]
    others = [start_worker(postgres_url, site.config, f"w{n}") for n in (2, 3)]
    leader.join()
    runs["leader"].assert_clean(exit_code=0)
    _wait_for("the frontier to empty", lambda: _complete(postgres_url, len(site.articles)))

    # The killed worker went silent: listed as stale once three heartbeats passed.
    def w1_stale() -> bool:
        listed = json.loads(run_cli(["--db", postgres_url, "workers", "--json"]).stdout)
        return any(w["id"] == "w1" and w["stale"] for w in listed)

    _wait_for("w1 to be listed as stale", w1_stale, timeout=30)
    for worker in others:
        code, output = worker.stop()
        assert code == 0, output
        assert "Traceback" not in output
    assert isinstance(orphaned, int) and orphaned > 0
    _assert_archived_once(postgres_url, site)
    _assert_gap_held(site)


def test_a_worker_on_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    config = crawl_config(
        tmp_path / "sources.toml", '[[source]]\nname = "s"\nfeeds = ["http://127.0.0.2/feed"]'
    )
    archive = tmp_path / "archive.db"
    run = run_cli(["--db", f"sqlite:///{archive}", "worker", "--config", str(config)])
    run.assert_clean(exit_code=2)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "PostgreSQL" in lines[0], run.stderr
    assert not archive.exists()


def test_a_worker_that_loses_the_database_exits_3(
    postgres_url: str,
    hostile_server: ServerFactory,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    site = _site(hostile_server, tmp_path, per_host=1)
    open_archive(postgres_url).dispose()
    worker = start_worker(postgres_url, site.config, "w1")
    _wait_for(
        "w1 to register", lambda: _sql(postgres_url, "SELECT count(*) FROM worker")[0] == (1,)
    )
    admin_url = postgres_admin_url()
    assert admin_url is not None
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = make_url(postgres_url).database
    try:
        with admin.connect() as conn:  # the server goes: connections cut, the database gone
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
    code = worker.process.wait(60)
    output = worker.log.read_text(errors="replace")
    assert code == 3, output
    assert "Traceback" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith("storyline: error:") and "lost the database" in last, output
