"""Two crawl processes on one PostgreSQL frontier keep the gap to a host between them.

Each process finishes a request before the next may start a gap later; across processes the
host's row in the database must give the same guarantee. Articles answer slowly here, so
a second process that takes its slot while the first one's request is still in flight
shows as two requests less than (answer time + gap) apart.
"""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path

import pytest

from scraper.crawl import CLAIM_BATCH
from storage import open_archive
from tests.httpserver import Route
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import Run, run_python
from tests.reliability.site import ROBOTS_ALLOW_ALL, crawl_config

# Both processes import everything, then start crawling together (startup under load can
# take longer than one process needs to work through its first claim).
CRAWL = """
import json, pathlib, sys, time
from scraper.config import load_config
from scraper.crawl import run_crawl
from storage import open_archive

config, engine = load_config(sys.argv[1]), open_archive(sys.argv[2])
ready = pathlib.Path(sys.argv[4])
(ready / sys.argv[3]).touch()
while len(list(ready.iterdir())) < 2:
    time.sleep(0.01)
summary = run_crawl(config, engine, owner=sys.argv[3])
print(json.dumps({"new_articles": summary.new_articles, "fetched": summary.fetched}))
"""

DELAY = 0.15
ANSWER = 0.1  # seconds each article takes to answer
SLACK = 0.02  # the test server timestamps arrivals from its own threads


@pytest.mark.postgres
def test_two_crawl_processes_keep_the_gap_to_one_host(
    postgres_url: str, hostile_server: ServerFactory, tmp_path: Path
) -> None:
    site = hostile_server()
    site.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))
    # More seeds on one host than one claim takes (CLAIM_BATCH), so both processes get some.
    pages = [f"/section/{i}/" for i in range(CLAIM_BATCH + 20)]
    for path in pages:
        site.add(path, Route(body="<html><body><p>a section</p></body></html>", delay=ANSWER))
    seeds = ", ".join(f'"{site.url(p)}"' for p in pages)
    config = crawl_config(
        tmp_path / "sources.toml", f'[[source]]\nname = "s"\npages = [{seeds}]', delay=DELAY
    )
    # Both processes first migrate the archive; do it once before they race.
    open_archive(postgres_url).dispose()

    ready = tmp_path / "ready"
    ready.mkdir()
    runs: dict[str, Run] = {}
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        barrier.wait()
        runs[name] = run_python(CRAWL, str(config), postgres_url, name, str(ready), timeout=240)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for run in runs.values():
        run.assert_clean(exit_code=0, within=200)
    fetched = [json.loads(r.stdout)["fetched"] for r in runs.values()]
    assert sum(fetched) == len(pages) and min(fetched) > 0, f"not shared: {fetched}"
    assert all(site.count(p) == 1 for p in pages)

    requests = sorted(site.requests(), key=lambda r: r.at)
    short = []
    for before, after in itertools.pairwise(requests):
        took = ANSWER if before.path.startswith("/section/") else 0.0
        gap = after.at - before.at
        if gap < took + DELAY - SLACK:
            short.append(f"{before.path} -> {after.path}: {gap:.3f}s")
    assert not short, f"requests closer than answer + delay ({ANSWER + DELAY}s): {short}"
