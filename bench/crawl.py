"""Crawl throughput: storyline's crawler beside Scrapy, on one generated site, in one run.

    uv run --group bench python bench/crawl.py                 # 2,000 pages on 4 hosts
    uv run --group bench python bench/crawl.py --pages 20000   # the full-size run
    uv run --group bench python bench/crawl.py --only ours     # skip Scrapy

A separate process serves a generated news site on 127.0.0.21, .22, … (each a "host" with
its own sitemap); article pages are 50–150 KB like real ones (scripts, styles, a mega-menu,
related links around a 6–10 paragraph story). The pages are generated once, before either
crawler starts, and served from memory: a real site is a remote static server, so what the
local one costs in CPU is an artefact of testing on one machine, and it is kept small (the
table shows it per crawler). Each crawler then runs in its own process, at delay 0, one
connection per host, obeying robots.txt, with the *same* extraction function
(``extract_in_worker``) and the same archive writes (``scraper.pipeline.store`` into a
fresh SQLite file, committed in batches). We report pages archived per second, CPU seconds
per page (the crawler's main process, and its children: the forkserver and the extraction
workers), and peak memory: the crawler's main process and the whole process tree (sampled
from /proc every 0.5 s).

    uv run --group bench python bench/crawl.py --rounds 3           # medians of 3 rounds
    uv run --group bench python bench/crawl.py --rounds 3 --load    # with a busy loop beside

``--load`` runs one CPU-bound process (a Python busy loop) for the whole of both crawls, as
another program on the machine would: a crawler that only wins by using the second core
loses that lead when the core is taken. ``--rounds`` alternates the two crawlers and reports
medians, since the figures of one round on a shared machine vary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl_site import serve  # noqa: E402
from bench.proc_stats import busy_loop, cpu_seconds, measure  # noqa: E402

# -- the crawlers ----------------------------------------------------------------------


def run_ours(origins: list[str], db: str, workers: int) -> dict[str, Any]:
    from scraper.config import parse_config
    from scraper.crawl import run_crawl
    from storage import open_archive

    sources = "".join(
        f'[[source]]\nname = "h{i}"\nsitemaps = ["{origin}/sitemap.xml"]\ninclude = ["/news/"]\n\n'
        for i, origin in enumerate(origins)
    )
    text = (
        f'[crawl]\ndelay = 0\nuser_agent = "storyline-bench/1 (+https://example.org)"\n'
        f"concurrency = {len(origins)}\nworkers = {workers}\nmax_wait = 5\n\n" + sources
    )
    engine = open_archive(f"sqlite:///{db}")
    if os.environ.get("BENCH_DEBUG"):
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(relativeCreated)7d %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)
    started = time.monotonic()
    summary = run_crawl(parse_config(text), engine, handle_signals=False)
    elapsed = time.monotonic() - started
    return {
        "archived": summary.new_articles,
        "crawl_seconds": elapsed,
        "failed": dict(summary.failed),
    }


def run_scrapy(origins: list[str], db: str) -> dict[str, Any]:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider
    from sqlalchemy.orm import Session

    from scraper.extraction.worker import extract_in_worker
    from scraper.fetched import FetchResult, media_type, utcnow
    from scraper.pipeline import store
    from storage import open_archive

    engine = open_archive(f"sqlite:///{db}")
    counts = {"archived": 0, "failed": 0}

    class Spider(SitemapSpider):
        name = "bench"
        sitemap_urls = tuple(f"{origin}/sitemap.xml" for origin in origins)

        def parse(self, response: Any) -> Any:
            started = utcnow()
            kind, charset = media_type(response.headers.get("Content-Type", b"").decode())
            result = FetchResult(
                url=response.url,
                final_url=response.url,
                status=response.status,
                headers={k.decode().lower(): v[0].decode() for k, v in response.headers.items()},
                body=response.body,
                content_type=kind,
                charset=charset,
                started_at=started,
            )
            try:
                extraction = extract_in_worker(response.body, response.url)
            except Exception:
                counts["failed"] += 1
                return
            yield {"result": result, "extraction": extraction}

    class StorePipeline:
        """The same archive writes as the crawler, committed in batches of 200."""

        def open_spider(self) -> None:
            self.pending: list[Any] = []

        def process_item(self, item: Any) -> Any:
            self.pending.append(item)
            if len(self.pending) >= 200:
                self.flush()
            return None

        def close_spider(self) -> None:
            self.flush()

        def flush(self) -> None:
            with Session(engine) as session, session.begin():
                for item in self.pending:
                    outcome = store(
                        session, item["result"], item["extraction"], extractor=extract_in_worker
                    )
                    if outcome.outcome == "new-article":
                        counts["archived"] += 1
            self.pending = []

    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "DOWNLOAD_DELAY": 0,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "USER_AGENT": "storyline-bench/1 (+https://example.org)",
            "ITEM_PIPELINES": {StorePipeline: 100},
            "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        }
    )
    assert scrapy.__version__
    started = time.monotonic()
    process.crawl(Spider)
    process.start()
    elapsed = time.monotonic() - started
    return {"archived": counts["archived"], "crawl_seconds": elapsed, "failed": counts["failed"]}


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over rounds of one crawler's figures, with pages/s and CPU s/page per round."""
    for r in rows:
        archived = max(1, r["archived"])
        r["pages_per_s"] = r["archived"] / r["crawl_seconds"] if r["crawl_seconds"] else 0.0
        r["cpu_ms_per_page"] = r["cpu_seconds"] / archived * 1000
        r["parent_ms_per_page"] = r["parent_cpu_seconds"] / archived * 1000
        r["children_ms_per_page"] = r["children_cpu_seconds"] / archived * 1000
    keys = [
        "archived",
        "crawl_seconds",
        "pages_per_s",
        "wall_seconds",
        "cpu_seconds",
        "cpu_ms_per_page",
        "parent_ms_per_page",
        "children_ms_per_page",
        "peak_main_mb",
        "peak_tree_mb",
        "server_cpu_seconds",
    ]
    return {k: _median(rows, k) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "mode", nargs="?", default="bench", choices=["bench", "serve", "ours", "scrapy"]
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument(
        "--workers", type=int, default=0, help="extraction processes (0: one per CPU)"
    )
    parser.add_argument("--only", choices=["ours", "scrapy"])
    parser.add_argument("--rounds", type=int, default=1, help="rounds to take medians of")
    parser.add_argument(
        "--load", action="store_true", help="run a one-core busy loop beside both crawlers"
    )
    parser.add_argument("--origins", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.mode == "serve":
        serve(args.hosts, args.pages)
        return
    if args.mode in ("ours", "scrapy"):
        origins = json.loads(args.origins)
        result = (
            run_ours(origins, args.db, args.workers)
            if args.mode == "ours"
            else run_scrapy(origins, args.db)
        )
        print(json.dumps(result), flush=True)
        return

    server = subprocess.Popen(
        [sys.executable, __file__, "serve", "--pages", str(args.pages), "--hosts", str(args.hosts)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    origins = server.stdout.readline().strip()
    names = [n for n in ("ours", "scrapy") if not args.only or n == args.only]
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    load = busy_loop() if args.load else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for round_ in range(args.rounds):
                for name in names:
                    db = os.path.join(tmp, f"{name}-{round_}.db")
                    command = [
                        sys.executable,
                        __file__,
                        name,
                        "--origins",
                        origins,
                        "--db",
                        db,
                        "--workers",
                        str(args.workers),
                    ]
                    server_cpu = cpu_seconds(server.pid)
                    result = measure(command)
                    result["server_cpu_seconds"] = cpu_seconds(server.pid) - server_cpu
                    runs[name].append(result)
                    print(f"{name}: {json.dumps(result)}", file=sys.stderr, flush=True)
    finally:
        if load is not None:
            load.kill()
            load.wait()
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)

    loaded = ", one more CPU-bound process running (--load)" if args.load else ""
    print(
        f"\n{args.pages} pages on {args.hosts} hosts, {os.cpu_count()} CPUs, delay 0, one "
        f"connection per host{loaded}; medians of {args.rounds} round(s); load average "
        f"{os.getloadavg()[0]:.1f} at the end\n"
    )
    header = (
        f"{'crawler':<10}{'archived':>9}{'crawl s':>9}{'pages/s':>9}{'CPU s':>8}"
        f"{'CPU ms/page':>12}{'parent':>8}{'children':>9}{'main MB':>9}{'tree MB':>9}"
        f"{'server CPU s':>14}"
    )
    print(header)
    print("-" * len(header))
    medians = {name: summarise(rows) for name, rows in runs.items()}
    for name, m in medians.items():
        print(
            f"{name:<10}{m['archived']:>9.0f}{m['crawl_seconds']:>9.1f}{m['pages_per_s']:>9.1f}"
            f"{m['cpu_seconds']:>8.1f}{m['cpu_ms_per_page']:>12.1f}{m['parent_ms_per_page']:>8.1f}"
            f"{m['children_ms_per_page']:>9.1f}{m['peak_main_mb']:>9.0f}{m['peak_tree_mb']:>9.0f}"
            f"{m['server_cpu_seconds']:>14.1f}"
        )
    if "ours" in medians and medians.get("scrapy", {}).get("pages_per_s"):
        ours, scrapy = medians["ours"], medians["scrapy"]
        print(
            f"\nstoryline / Scrapy pages per second: {ours['pages_per_s'] / scrapy['pages_per_s']:.2f}x"
            f"; CPU seconds per page: {ours['cpu_ms_per_page'] / scrapy['cpu_ms_per_page']:.2f}x"
        )
    if args.rounds > 1:
        for name, rows in runs.items():
            rates = ", ".join(f"{r['pages_per_s']:.1f}" for r in rows)
            cpus = ", ".join(f"{r['cpu_ms_per_page']:.1f}" for r in rows)
            print(f"{name}: pages/s by round {rates}; CPU ms/page by round {cpus}")


if __name__ == "__main__":
    main()
