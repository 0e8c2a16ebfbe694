"""The changes feed's query (``storage.changelog.list_changes``) over a large archive.

Builds an archive of ``--articles`` articles with ``--versions`` versions each (rows written
in bulk, kinds spread as a crawl would make them), then times the queries the changes page
and ``storyline changes`` make: the newest page, a kind filter, a rare source, a headline
text filter, a deep page by cursor and by offset, and the full count. Prints the median of
``--repeat`` runs per query, in milliseconds.

    uv run python bench/changes_feed.py                       # 20,000 × 5 = 100,000 versions, SQLite
    uv run python bench/changes_feed.py --db postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from storage import open_archive
from storage.changelog import ChangeCursor, ChangeQuery, count_changes, list_changes
from storage.models import Article, Version
from storage.states import ChangeKind

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = [
    "headline",
    "body",
    "body",
    "body",
    "byline",
    "dates",
    "body,correction",
    "headline,body",
    "note",
]
SOURCES = [f"source-{i}" for i in range(20)] + ["rare"]


def build(engine: Engine, articles: int, versions: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    body = " ".join(["word"] * 400)
    with Session(engine) as session, session.begin():
        rows = []
        for i in range(articles):
            source = "rare" if i % 1000 == 0 else rng.choice(SOURCES[:-1])
            seen = T0 + timedelta(minutes=i)
            rows.append(
                {
                    "id": i + 1,
                    "url": f"https://{source}.example/news/{i}",
                    "host": f"{source}.example",
                    "source": source,
                    "first_seen_at": seen,
                    "last_seen_at": seen,
                    "last_changed_at": seen,
                    "current_version": versions,
                    "revisit_step": 0,
                }
            )
        session.execute(insert(Article), rows)
    batch: list[dict[str, object]] = []
    version_id = 0
    for i in range(articles):
        for number in range(1, versions + 1):
            version_id += 1
            kinds = "new" if number == 1 else rng.choice(KINDS)
            words = rng.randint(0, 40)
            changes = (
                {"kinds": kinds.split(","), "body": {"words_added": words, "words_removed": 3}}
                if number > 1
                else {}
            )
            batch.append(
                {
                    "id": version_id,
                    "article_id": i + 1,
                    "number": number,
                    "fetched_at": T0
                    + timedelta(minutes=i, hours=6 * (number - 1))
                    + timedelta(seconds=rng.randint(0, 3000)),
                    "headline": f"Story {i} about the harbour bridge, take {number}",
                    "authors": ["Anna Berg"],
                    "body": body,
                    "word_count": 400,
                    "fingerprint": f"{version_id:064x}",
                    "changed_fields": [],
                    "changes": changes,
                    "kinds": kinds,
                    "extractor": "bench",
                }
            )
            if len(batch) >= 5000:
                with Session(engine) as session, session.begin():
                    session.execute(insert(Version), batch)
                batch = []
    if batch:
        with Session(engine) as session, session.begin():
            session.execute(insert(Version), batch)


def timed(engine: Engine, repeat: int, work: Callable[[Session], object]) -> float:
    times = []
    for _ in range(repeat):
        with Session(engine) as session:
            start = time.perf_counter()
            work(session)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = open_archive(url)
        started = time.perf_counter()
        build(engine, args.articles, args.versions)
        with engine.begin() as conn:  # fresh statistics, as autovacuum/ANALYZE would leave
            conn.exec_driver_sql("ANALYZE")
        built = time.perf_counter() - started
        total = args.articles * args.versions
        print(f"{engine.dialect.name}: {total:,} versions built in {built:.1f}s")
        with Session(engine) as session:
            deep = list_changes(session, ChangeQuery(limit=50, offset=5000))[-1].cursor
        queries: dict[str, Callable[[Session], object]] = {
            "newest 50 changes": lambda s: list_changes(s, ChangeQuery()),
            "newest 50, with new articles": lambda s: list_changes(s, ChangeQuery(new=True)),
            "kind correction": lambda s: list_changes(
                s, ChangeQuery(kinds=frozenset({ChangeKind.CORRECTION}))
            ),
            "kind headline + byline": lambda s: list_changes(
                s, ChangeQuery(kinds=frozenset({ChangeKind.HEADLINE, ChangeKind.BYLINE}))
            ),
            "rare source (0.1% of articles)": lambda s: list_changes(
                s, ChangeQuery(sources=frozenset({"rare"}))
            ),
            "headline text": lambda s: list_changes(s, ChangeQuery(text="Story 1999 ")),
            "last 7 days window": lambda s: list_changes(
                s,
                ChangeQuery(since=T0 + timedelta(days=7), until=T0 + timedelta(days=14)),
            ),
            "page 101 by cursor": lambda s: list_changes(
                s, ChangeQuery(before=ChangeCursor.parse(deep.token()))
            ),
            "page 101 by offset": lambda s: list_changes(s, ChangeQuery(offset=5000)),
            "count all changes": lambda s: count_changes(s, ChangeQuery()),
        }
        print(f"{'query':<34} {'median ms':>10}")
        for name, work in queries.items():
            print(f"{name:<34} {timed(engine, args.repeat, work):>10.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
