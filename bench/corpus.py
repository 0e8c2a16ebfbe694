"""The researchers' corpus at scale: export rate and memory, search latency, on a big archive.

    uv run python bench/corpus.py --versions 20000            # while developing
    uv run python bench/corpus.py --versions 1000000          # the full-size run (once)
    uv run python bench/corpus.py --versions 1000000 --only sqlite --skip-search

An archive of N versions is generated once per database with bulk inserts through the real
schema (migrations, FTS5 triggers; on PostgreSQL the GIN index is dropped during the load
and built after it) and cached: the SQLite file under ``/work/wt/benchdata/`` (override with
``--data``), the PostgreSQL database as ``storyline_bench_<N>`` on the server named by
``STORYLINE_TEST_POSTGRES_URL``. Generation is not measured.

Text is realistic in shape: words drawn from a 50,000-word vocabulary with a Zipf
distribution (s = 1.07), bodies of 150–300 words in paragraphs, headlines of 6–11 words,
4 sources on 4 hosts, 1–6 versions per article (a later version changes a paragraph and
sometimes adds a correction note), publication times with offsets, some only a day. Each
version has its fetch row and a (small) snapshot row, so the lineage columns are real joins.

Measured:
- **export**: ``storyline export --all-versions --format jsonl|parquet --output -`` in a
  child process (stdout to /dev/null): versions per second (wall), CPU seconds (user+sys of
  the child, from ``wait4``), peak RSS of the child. Median of ``--rounds`` runs.
- **search**: ``storage.search.search`` in this process, 50 common terms (Zipf ranks 20–200)
  and 50 rare ones (ranks 5,000–40,000), latest versions, limit 20: median and p95 latency
  per round, and the median of the rounds; CPU seconds per query.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, Table, create_engine, func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.corpus_data import CHUNK, Text, rows  # noqa: E402
from storage import open_archive  # noqa: E402
from storage.models import Article, Fetch, Snapshot, Version  # noqa: E402
from storage.search import PG_TRIGGER, pg_backfill, search  # noqa: E402

DEFAULT_DATA = Path("/work/wt/benchdata")


def load(engine: Engine, total: int) -> None:
    """Bulk-insert ``total`` versions (and their articles, snapshots, fetches)."""
    tables = {"article": Article, "snapshot": Snapshot, "version": Version, "fetch": Fetch}
    done = 0
    began = time.perf_counter()
    for chunk in rows(total):
        with engine.begin() as conn:
            for name in ("article", "snapshot", "version", "fetch"):
                if chunk[name]:
                    conn.execute(insert(cast(Table, tables[name].__table__)), chunk[name])
        done += len(chunk["version"])
        if done % 50_000 < CHUNK:
            rate = done / (time.perf_counter() - began)
            print(f"  generated {done:,} versions ({rate:,.0f}/s)", file=sys.stderr, flush=True)


def sqlite_archive(data: Path, total: int) -> str:
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"corpus-{total}.db"
    url = f"sqlite:///{path}"
    if path.exists() and _count(url) == total:
        return url
    for leftover in data.glob(f"corpus-{total}.db*"):
        leftover.unlink()
    partial = data / f"corpus-{total}.db.part"
    engine = open_archive(f"sqlite:///{partial}")
    print(f"generating {total:,} versions into {path}", file=sys.stderr)
    load(engine, total)
    raw = engine.raw_connection()  # outside a transaction: checkpoint and ANALYZE need none
    try:
        raw.driver_connection.execute("ANALYZE")  # type: ignore[union-attr]
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
    engine.dispose()
    partial.rename(path)
    return url


def postgres_archive(admin: str, total: int) -> str:
    name = f"storyline_bench_{total}"
    base = make_url(admin).set(drivername="postgresql+psycopg")
    url = base.set(database=name).render_as_string(hide_password=False)
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
    if exists and _count(url) == total and _has_table(url, "version_search"):
        server.dispose()
        return url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    engine = open_archive(url)
    print(f"generating {total:,} versions into PostgreSQL {name}", file=sys.stderr)
    with engine.begin() as conn:  # index once after the load, not row by row
        conn.execute(text(f"ALTER TABLE version DISABLE TRIGGER {PG_TRIGGER}"))
        conn.execute(text("DROP INDEX ix_version_search"))
    load(engine, total)
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text(pg_backfill()))
        conn.execute(text("CREATE INDEX ix_version_search ON version_search USING gin (document)"))
        conn.execute(text(f"ALTER TABLE version ENABLE TRIGGER {PG_TRIGGER}"))
    print(f"  search index built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return url


def _has_table(url: str, name: str) -> bool:
    engine = create_engine(url)
    try:
        return inspect(engine).has_table(name)
    finally:
        engine.dispose()


def _count(url: str) -> int:
    try:
        engine = open_archive(url, migrate=False)
    except Exception:
        return -1
    with Session(engine) as session:
        found = int(session.scalar(select(func.count()).select_from(Version)) or 0)
    engine.dispose()
    return found


# -- measuring --------------------------------------------------------------------------


def export_once(url: str, fmt: str) -> dict[str, float]:
    """One export in a child process: wall seconds, CPU seconds, peak RSS (MB)."""
    code = "from storyline.cli import main; main()"
    args = [sys.executable, "-c", code, "--db", url, "export", "--all-versions"]
    args += ["--format", fmt, "--output", "-"]
    began = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        raise RuntimeError(
            f"export {fmt} failed: {child.stderr.read().decode() if child.stderr else ''}"
        )
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def bench_export(url: str, total: int, rounds: int) -> dict[str, dict[str, float]]:
    result = {}
    for fmt in ("jsonl", "parquet"):
        runs = [export_once(url, fmt) for _ in range(rounds)]
        wall = statistics.median(r["wall"] for r in runs)
        result[fmt] = {
            "versions_per_s": total / wall,
            "wall_s": wall,
            "cpu_s": statistics.median(r["cpu"] for r in runs),
            "peak_rss_mb": max(r["rss_mb"] for r in runs),
            "runs": len(runs),
        }
        print(f"  export {fmt}: {result[fmt]}", file=sys.stderr, flush=True)
    return result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_search(url: str, rounds: int) -> dict[str, dict[str, float]]:
    vocabulary = Text(7).words
    rng = random.Random(11)
    terms = {
        "common": rng.sample(vocabulary[20:200], 50),
        "rare": rng.sample(vocabulary[5_000:40_000], 50),
    }
    engine = open_archive(url, readonly=url.startswith("sqlite"))
    result = {}
    with Session(engine) as session:
        search(session, terms["common"][0])  # warm the cache once
        for kind, queries in terms.items():
            medians, p95s, cpus, hits = [], [], [], []
            for _ in range(rounds):
                latencies = []
                cpu0 = time.process_time()
                for query in queries:
                    began = time.perf_counter()
                    found = search(session, query)
                    latencies.append((time.perf_counter() - began) * 1000)
                    hits.append(len(found))
                cpus.append((time.process_time() - cpu0) / len(queries))
                medians.append(statistics.median(latencies))
                p95s.append(_p95(latencies))
            result[kind] = {
                "median_ms": statistics.median(medians),
                "p95_ms": statistics.median(p95s),
                "cpu_ms_per_query": statistics.median(cpus) * 1000,
                "mean_hits": statistics.mean(hits),
                "rounds": rounds,
            }
            print(f"  search {kind}: {result[kind]}", file=sys.stderr, flush=True)
    engine.dispose()
    return result


def bench_stats(url: str) -> dict[str, float]:
    """One ``archive_stats`` over the whole archive (what ``storyline stats`` runs)."""
    from storage.stats import archive_stats

    engine = open_archive(url, readonly=url.startswith("sqlite"))
    with Session(engine) as session:
        began, cpu = time.perf_counter(), time.process_time()
        archive_stats(session, days=30)
        result = {"wall_s": time.perf_counter() - began, "cpu_s": time.process_time() - cpu}
    engine.dispose()
    print(f"  stats: {result}", file=sys.stderr, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    options = parser.parse_args()

    archives = {}
    if options.only in (None, "sqlite"):
        archives["sqlite"] = sqlite_archive(options.data, options.versions)
    admin = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
    if options.only in (None, "postgres"):
        if admin:
            archives["postgres"] = postgres_archive(admin, options.versions)
        else:
            print("STORYLINE_TEST_POSTGRES_URL unset: PostgreSQL skipped", file=sys.stderr)
    figures: dict[str, Any] = {"versions": options.versions, "when": date.today().isoformat()}
    for name, url in archives.items():
        print(f"{name}:", file=sys.stderr)
        open_archive(url).dispose()  # a cache made by an older schema migrates here, unmeasured
        figures[name] = {}
        if not options.skip_export:
            figures[name]["export"] = bench_export(url, options.versions, options.rounds)
        if not options.skip_search:
            figures[name]["search"] = bench_search(url, options.rounds)
            figures[name]["stats"] = bench_stats(url)
    print_table(figures)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


def print_table(figures: dict[str, Any]) -> None:
    print(f"\n{figures['versions']:,} versions, medians of the runs")
    print(f"{'database':<9} {'what':<15} {'rate/latency':>22} {'CPU':>14} {'peak RSS':>9}")
    for name in ("sqlite", "postgres"):
        for fmt, row in figures.get(name, {}).get("export", {}).items():
            print(
                f"{name:<9} {'export ' + fmt:<15} {row['versions_per_s']:>15,.0f} ver/s"
                f" {row['cpu_s']:>12.1f} s {row['peak_rss_mb']:>6.0f} MB"
            )
        for kind, row in figures.get(name, {}).get("search", {}).items():
            print(
                f"{name:<9} {'search ' + kind:<15} {row['median_ms']:>7.1f} / {row['p95_ms']:>6.1f} ms p95"
                f" {row['cpu_ms_per_query']:>9.1f} ms/q {'':>9}  ({row['mean_hits']:.1f} hits)"
            )
        stats = figures.get(name, {}).get("stats")
        if stats:
            print(f"{name:<9} {'stats':<15} {stats['wall_s']:>19.1f} s {stats['cpu_s']:>12.1f} s")


if __name__ == "__main__":
    main()
