"""Many workers on one PostgreSQL archive: the crawl curve, statements per page, claims/s.

    uv run python bench/workers.py curve               # 1, 2, 4 worker processes (median of 3)
    uv run python bench/workers.py statements          # SQL statements and commits per page
    uv run python bench/workers.py claims --rows 1000000 [--rows 10000000]

``curve``: a generated news site (``bench/crawl.py serve``: 50–150 KB pages on 8 loopback
hosts) is archived by N ``storyline worker --until-idle`` processes (one extraction
process each) after a leader step armed the sitemaps, into a fresh PostgreSQL database.
Pages/s is articles archived over the wall time from the workers' start to the last one's
exit; CPU s/page sums every worker's process tree and, apart, the PostgreSQL server's
processes. On one 2-core machine the curve shows what more processes cost, not what more
machines would give.

``statements``: one crawl in this process (extraction in a thread) with a listener on every
SQLAlchemy engine counts the statements each page costs, by kind, and the commits.

``claims``: ``url`` filled with N rows by ``generate_series`` (1,000 hosts, one URL in five
waiting) in a database of its own (``storyline_bench``, dropped after); 8 processes claim
batches of one host's URLs for a fixed time, as crawl workers do (``frontier.claim``), and
``EXPLAIN (ANALYZE, BUFFERS)`` shows the claim's plan. The frontier's ``due_hosts`` query,
which a crawl loop runs when it looks for hosts, is timed too.

The server is ``--admin`` (default: ``$STORYLINE_TEST_POSTGRES_URL``); databases made here
are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.proc_stats import cpu_seconds, process_tree, read_proc  # noqa: E402

CLI = [sys.executable, "-c", "from storyline.cli import main; main()"]
CRAWL_BENCH = ROOT / "bench" / "crawl.py"


# -- databases -------------------------------------------------------------------------


def admin_url(given: str | None) -> str:
    url = given or os.environ.get("STORYLINE_TEST_POSTGRES_URL")
    if not url:
        sys.exit("name a PostgreSQL server with --admin or STORYLINE_TEST_POSTGRES_URL")
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@contextmanager
def database(admin: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server (dropped first if left over, and after)."""
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# -- CPU accounting (/proc) ------------------------------------------------------------


def backend_pids(admin: Engine, name: str) -> list[int]:
    """The server processes serving connections to database ``name`` now."""
    with admin.connect() as conn:
        rows = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        )
        return [int(row.pid) for row in rows]


def postgres_cpu() -> float:
    """CPU seconds of every running ``postgres`` process (the server on this machine)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and read_proc(f"/proc/{entry}/comm").strip() == "postgres":
            total += cpu_seconds(int(entry), reaped=True)
    return total


# -- the curve -------------------------------------------------------------------------


def start_site(pages: int, hosts: int) -> tuple[subprocess.Popen[str], list[str]]:
    server = subprocess.Popen(
        [sys.executable, str(CRAWL_BENCH), "serve", "--pages", str(pages), "--hosts", str(hosts)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())


def sources_file(folder: Path, origins: list[str], concurrency: int) -> Path:
    sources = "".join(
        f'[[source]]\nname = "h{i}"\nsitemaps = ["{o}/sitemap.xml"]\ninclude = ["/news/"]\n\n'
        for i, o in enumerate(origins)
    )
    path = folder / "sources.toml"
    path.write_text(
        f'[crawl]\ndelay = 0\nuser_agent = "storyline-bench/1 (+https://example.org)"\n'
        f"concurrency = {concurrency}\nworkers = 1\nmax_wait = 5\n\n{sources}"
    )
    return path


def one_run(admin: Engine, db: str, config: Path, workers: int) -> dict[str, float]:
    """Arm the seeds (the leader's step), then N workers until idle; measure them (and the
    server processes serving their database: other databases on the server are not ours)."""
    from schedules.jobs import arm_crawl
    from scraper.config import load_config
    from storage import open_archive

    engine = open_archive(db)
    arm_crawl(engine, load_config(str(config)), datetime.now(UTC))
    name = make_url(db).database or ""
    server: dict[int, float] = {}
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [*CLI, "--db", db, "worker", "--config", str(config), "--until-idle", "--id", f"w{n}"]
        )
        for n in range(workers)
    ]
    cpu: dict[int, float] = {}
    while any(p.poll() is None for p in procs):
        for proc in procs:
            for pid in process_tree(proc.pid):
                cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid, reaped=True))
        for pid in backend_pids(admin, name):
            server[pid] = max(server.get(pid, 0.0), cpu_seconds(pid, reaped=True))
        time.sleep(0.2)
    wall = time.monotonic() - started
    pg = sum(server.values())
    codes = [p.returncode for p in procs]
    with engine.connect() as conn:
        archived = conn.execute(text("SELECT count(*) FROM article")).scalar_one()
    engine.dispose()
    if any(codes):
        raise SystemExit(f"a worker failed: exit statuses {codes}")
    return {
        "archived": archived,
        "wall": wall,
        "pages_per_s": archived / wall,
        "cpu_per_page": sum(cpu.values()) / max(archived, 1),
        "pg_cpu_per_page": pg / max(archived, 1),
    }


def curve(admin: str, pages: int, hosts: int, counts: list[int], rounds: int) -> None:
    server, origins = start_site(pages, hosts)
    results: dict[int, list[dict[str, float]]] = {n: [] for n in counts}
    watcher = create_engine(admin, pool_size=1)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = sources_file(Path(tmp), origins, concurrency=hosts)
            for round_ in range(rounds):
                for n in counts:
                    with database(admin, "storyline_bench_workers") as db:
                        result = one_run(watcher, db, config, n)
                    results[n].append(result)
                    print(f"round {round_ + 1}, {n} workers: {json.dumps(result)}", file=sys.stderr)
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)
        watcher.dispose()
    print(f"\n{pages} pages on {hosts} hosts, {os.cpu_count()} CPUs, delay 0, medians of {rounds}")
    header = (
        f"{'workers':>8}{'pages/s':>10}{'x 1 worker':>12}{'CPU s/page':>12}{'PG CPU s/page':>15}"
    )
    print(header)
    print("-" * len(header))
    base = statistics.median(r["pages_per_s"] for r in results[counts[0]])
    for n in counts:
        rate = statistics.median(r["pages_per_s"] for r in results[n])
        cpu = statistics.median(r["cpu_per_page"] for r in results[n])
        pg = statistics.median(r["pg_cpu_per_page"] for r in results[n])
        print(f"{n:>8}{rate:>10.1f}{rate / base:>12.2f}{cpu:>12.4f}{pg:>15.4f}")


# -- statements per page ---------------------------------------------------------------


def _kind(statement: str) -> str:
    words = statement.split()
    verb = words[0].upper() if words else "?"
    table = "?"
    for marker in ("INTO", "UPDATE", "FROM"):
        if marker in (w.upper() for w in words):
            index = [w.upper() for w in words].index(marker)
            if index + 1 < len(words):
                table = words[index + 1].strip('"(')
                break
    return f"{verb} {table}"


def statements(admin: str, pages: int, hosts: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from scraper.config import parse_config
    from scraper.crawl import run_crawl
    from storage import open_archive

    server, origins = start_site(pages, hosts)
    counted: Counter[str] = Counter()
    commits = [0]
    lock = threading.Lock()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        with lock:
            counted[_kind(statement)] += 1

    def on_commit(conn: Any) -> None:
        with lock:
            commits[0] += 1

    try:
        with tempfile.TemporaryDirectory() as tmp, database(admin, "storyline_bench_sql") as db:
            config = parse_config(sources_file(Path(tmp), origins, hosts).read_text(), "bench")
            engine = open_archive(db)
            event.listen(Engine, "before_cursor_execute", on_execute)
            event.listen(Engine, "commit", on_commit)
            with ThreadPoolExecutor(1) as executor:
                summary = run_crawl(config, engine, handle_signals=False, executor=executor)
            event.remove(Engine, "before_cursor_execute", on_execute)
            event.remove(Engine, "commit", on_commit)
            engine.dispose()
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)
    archived = summary.new_articles
    total = sum(counted.values())
    print(f"\n{archived} articles archived ({pages} pages on {hosts} hosts), one crawl process")
    print(
        f"{total / archived:.2f} statements per page, {commits[0] / archived:.2f} commits per page"
    )
    for kind, n in counted.most_common(25):
        print(f"  {n / archived:8.3f}  {kind}")


# -- claims/s --------------------------------------------------------------------------

FILL = """
INSERT INTO url (url, host, source, kind, state, priority, discovered_at, attempts)
SELECT 'http://h' || (g % 1000) || '.example/news/' || g, 'h' || (g % 1000) || '.example',
       's' || (g % 1000), 'article', CASE WHEN (g / 1000) % 5 = 0 THEN 'new' ELSE 'done' END,
       0, now(), 0
FROM generate_series(1, :rows) AS g
"""


def fill(db: str, rows: int) -> float:
    """Migrate, then bulk-load ``rows`` URLs (indexes dropped during the load, rebuilt after)."""
    from storage import open_archive

    open_archive(db).dispose()
    engine = create_engine(db)
    started = time.monotonic()
    with engine.begin() as conn:
        indexes = [
            row.indexdef
            for row in conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'url'"
                    " AND indexname NOT IN ('pk_url', 'uq_url_url')"
                )
            )
        ]
        for definition in indexes:
            name = definition.split()[2] if "UNIQUE" not in definition else definition.split()[3]
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(text(FILL), {"rows": rows})
        for definition in indexes:
            conn.execute(text(definition))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE url"))
    engine.dispose()
    return time.monotonic() - started


def _claimer(db: str, seconds: float, batch: int, start: Any, out: Any) -> None:
    from sqlalchemy.orm import Session

    from storage import frontier

    engine = create_engine(db, pool_size=1)
    rng = random.Random(os.getpid())
    owner = f"bench:{os.getpid()}:x"
    start.wait()
    deadline = time.monotonic() + seconds
    transactions = urls = 0
    while time.monotonic() < deadline:
        host = f"h{rng.randrange(1000)}.example"
        with Session(engine) as session, session.begin():
            claimed = frontier.claim(
                session, owner, datetime.now(UTC), lease_seconds=300, limit=batch, host=host
            )
        transactions += 1
        urls += len(claimed)
    out.put((transactions, urls))
    engine.dispose()


def claim_rate(db: str, claimers: int, seconds: float, batch: int) -> tuple[float, float, float]:
    """Claim transactions/s, URLs claimed/s, and the server's CPU ms per claim."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_claimer, args=(db, seconds, batch, start, out)) for _ in range(claimers)
    ]
    for proc in procs:
        proc.start()
    time.sleep(1.0)  # every process connected and waiting
    pg_before = postgres_cpu()
    start.set()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    pg = postgres_cpu() - pg_before
    for proc in procs:
        proc.join()
    transactions = sum(t for t, _ in results)
    return (
        transactions / seconds,
        sum(u for _, u in results) / seconds,
        1000 * pg / max(transactions, 1),
    )


def explain_claim(db: str) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the claim the crawl runs (rolled back)."""
    from sqlalchemy.orm import Session

    from storage import frontier

    engine = create_engine(db)
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if statement.lstrip().startswith("WITH picked"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with Session(engine) as session, session.begin():
        frontier.claim(
            session, "bench:0:x", datetime.now(UTC), lease_seconds=300, limit=50, host="h7.example"
        )
        session.rollback()
    event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    with engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [row[0] for row in plan]
        conn.rollback()
    engine.dispose()
    return "\n".join(lines)


def time_due_hosts(db: str, rounds: int = 3) -> float:
    from sqlalchemy.orm import Session

    from storage import frontier

    engine = create_engine(db)
    times = []
    for _ in range(rounds):
        with Session(engine) as session:
            t0 = time.monotonic()
            frontier.due_hosts(session, datetime.now(UTC), limit=16)
            times.append(time.monotonic() - t0)
    engine.dispose()
    return statistics.median(times)


def claims(admin: str, sizes: list[int], claimers: int, seconds: float) -> None:
    rows_out = []
    for size in sizes:
        with database(admin, "storyline_bench") as db:
            loaded = fill(db, size)
            print(f"{size:,} rows loaded in {loaded:.0f}s", file=sys.stderr)
            plan = explain_claim(db)
            due = time_due_hosts(db)
            per_batch = claim_rate(db, claimers, seconds, 50)
            single = claim_rate(db, claimers, seconds, 1)
        rows_out.append((size, per_batch, single, due))
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the claim at {size:,} rows:\n{plan}\n")
    print(f"{claimers} concurrent claimers, {seconds:.0f} s each size; 1,000 hosts, 1 URL in 5 due")
    header = (
        f"{'URL rows':>12}{'claims/s (50)':>15}{'URLs/s (50)':>13}{'PG ms/claim':>13}"
        f"{'claims/s (1)':>14}{'PG ms/claim':>13}{'due_hosts s':>13}"
    )
    print(header)
    print("-" * len(header))
    for size, (tx50, urls50, pg50), (tx1, _, pg1), due in rows_out:
        print(
            f"{size:>12,}{tx50:>15.0f}{urls50:>13.0f}{pg50:>13.2f}"
            f"{tx1:>14.0f}{pg1:>13.2f}{due:>13.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["curve", "statements", "claims"])
    parser.add_argument("--admin", help="PostgreSQL server URL (a database on it)")
    parser.add_argument("--pages", type=int, default=1200)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--workers", default="1,2,4", help="worker counts for the curve")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, action="append", help="URL rows (repeatable)")
    parser.add_argument("--claimers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    admin = admin_url(args.admin)
    if args.mode == "curve":
        counts = [int(n) for n in args.workers.split(",")]
        curve(admin, args.pages, args.hosts, counts, args.rounds)
    elif args.mode == "statements":
        statements(admin, args.pages, args.hosts)
    else:
        claims(admin, args.rows or [1_000_000], args.claimers, args.seconds)


if __name__ == "__main__":
    main()
