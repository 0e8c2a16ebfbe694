"""How fast the web app answers on a large SQLite archive (issue 13's speed targets).

Builds (once, with bulk inserts) an archive of ``--versions`` versions (default 100,000),
one article with 200 versions and one with two 10,000-word versions, then times requests
to the app in process (httpx over ASGI, no socket): the changes page (first page, a kind
filter, a source filter, its Atom feed, its JSON), the 200-version article page and the
diff of the two 10,000-word versions. Reports the median wall time and the median CPU
time (``time.process_time``) of ``--rounds`` requests each (default 7).

    uv run python bench/web.py [--db bench-web.db] [--versions 100000] [--rounds 7]

Targets: changes page and 200-version article < 200 ms; the 10,000-word diff < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

import storage
from storage.changelog import encode_kinds
from storage.models import Article, Version
from storage.states import ChangeKind
from storyline.web.app import create_app
from storyline.web.settings import WebSettings
from tests.newssite import WORDS

KIND_SETS = (
    [ChangeKind.BODY],
    [ChangeKind.HEADLINE, ChangeKind.BODY],
    [ChangeKind.DATES],
    [ChangeKind.BODY, ChangeKind.CORRECTION],
    [ChangeKind.BYLINE],
)
START = datetime(2026, 1, 1, tzinfo=UTC)


def _body(rng: random.Random, words: int) -> str:
    paragraphs = []
    left = words
    while left > 0:
        n = min(left, rng.randint(40, 90))
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        left -= n
    return "\n\n".join(paragraphs)


def _version_row(
    article_id: int, number: int, at: datetime, body: str, kinds: list[ChangeKind], words: int
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if number > 1:
        changes = {
            "kinds": [str(k) for k in kinds],
            "body": {"words_added": 12, "words_removed": 3, "share": 0.05},
        }
        if ChangeKind.CORRECTION in kinds:
            changes["kinds"].append("correction")
            changes["notes"] = [{"kind": "correction", "text": "Correction: a figure was wrong."}]
    return {
        "article_id": article_id,
        "number": number,
        "fetched_at": at,
        "headline": f"Headline {article_id} v{number}",
        "authors": ["A. Writer"],
        "body": body,
        "word_count": words,
        "fingerprint": f"{article_id}-{number}",
        "changed_fields": ["body"] if number > 1 else [],
        "changes": changes,
        "extractor": "bench",
        "kinds": encode_kinds(kinds if number > 1 else [ChangeKind.NEW]),
    }


def build(engine: Engine, versions: int) -> dict[str, int]:
    """Fill an empty archive; returns the ids of the long-lived and the long article."""
    rng = random.Random(13)
    per_article = 5
    articles = versions // per_article
    body = _body(rng, 300)  # ~2 KB, shared: realistic row size, quick to make
    with Session(engine) as session, session.begin():
        session.execute(
            insert(Article),
            [
                {
                    "url": f"https://news{i % 20}.example/story-{i}",
                    "host": f"news{i % 20}.example",
                    "source": f"source-{i % 20}",
                    "first_seen_at": START + timedelta(minutes=i),
                    "last_seen_at": START + timedelta(minutes=i),
                    "last_changed_at": START + timedelta(minutes=i),
                    "current_version": per_article,
                }
                for i in range(articles + 2)
            ],
        )
        first_id = session.scalar(select(func.min(Article.id)))
        assert first_id is not None
        batch: list[dict[str, Any]] = []
        for index in range(articles):
            for number in range(1, per_article + 1):
                at = START + timedelta(minutes=index, hours=number * 24)
                kinds = KIND_SETS[(index + number) % len(KIND_SETS)]
                batch.append(_version_row(first_id + index, number, at, body, kinds, 300))
            if len(batch) >= 5000:
                session.execute(insert(Version), batch)
                batch = []
        long_lived = first_id + articles
        for number in range(1, 201):
            at = START + timedelta(hours=number)
            batch.append(_version_row(long_lived, number, at, body, [ChangeKind.BODY], 300))
        session.execute(insert(Version), batch)
        long_article = first_id + articles + 1
        old = _body(rng, 10_000)
        paragraphs = old.split("\n\n")
        paragraphs[40] = _body(rng, 60)
        paragraphs.insert(90, _body(rng, 50))
        paragraphs[120] = paragraphs[120].replace("river", "lake", 3)
        new = "\n\n".join(paragraphs)
        session.execute(
            insert(Version),
            [
                _version_row(long_article, 1, START, old, [], 10_000),
                _version_row(
                    long_article, 2, START + timedelta(hours=1), new, KIND_SETS[0], 10_000
                ),
            ],
        )
    return {"long_lived": long_lived, "long_article": long_article}


def time_requests(app: Any, path: str, rounds: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of ``rounds`` requests (after one warm-up)."""

    async def run() -> tuple[list[float], list[float], int]:
        transport = httpx.ASGITransport(app=app)
        walls, cpus = [], []
        size = 0
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            warm = await client.get(path)
            assert warm.status_code == 200, (path, warm.status_code, warm.text[:300])
            for _ in range(rounds):
                wall, cpu = time.perf_counter(), time.process_time()
                response = await client.get(path)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                size = len(response.content)
        return walls, cpus, size

    walls, cpus, size = asyncio.run(run())
    return statistics.median(walls), statistics.median(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench-web.db", type=Path)
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    fresh = not args.db.exists()
    writer = storage.open_archive(url)
    if fresh:
        began = time.perf_counter()
        ids = build(writer, args.versions)
        print(f"built {args.db} in {time.perf_counter() - began:.1f} s")
    else:
        with Session(writer) as session:
            top = session.scalar(select(func.max(Article.id)))
        assert top is not None
        ids = {"long_lived": top - 1, "long_article": top}
    writer.dispose()
    reader = storage.open_archive(url, readonly=True)
    with Session(reader) as session:
        total = session.scalar(select(func.count(Version.id)))
    app = create_app(WebSettings(), reader)
    paths = {
        "changes page": "/",
        "changes, kind=correction": "/?kind=correction",
        "changes, source=source-3": "/?source=source-3",
        "changes, page 2 (cursor)": None,
        "changes JSON": "/api/changes",
        "changes Atom feed": "/feeds/changes.atom",
        "article, 200 versions": f"/articles/{ids['long_lived']}",
        "diff, 10,000-word versions": f"/articles/{ids['long_article']}/diff?from=1&to=2",
        "diff JSON, 10,000 words": f"/api/articles/{ids['long_article']}/diff?from=1&to=2",
        "diff side by side, whole": f"/articles/{ids['long_article']}/diff?view=side&full=1",
    }

    async def second_page() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            return str((await client.get("/api/changes")).json()["next"])

    paths["changes, page 2 (cursor)"] = asyncio.run(second_page())
    print(f"archive: {total:,} versions; {args.rounds} requests each, in process (ASGI)")
    print(f"{'request':<30} {'median ms':>10} {'CPU ms':>8} {'bytes':>10}")
    for name, path in paths.items():
        assert path is not None
        wall, cpu, size = time_requests(app, path, args.rounds)
        print(f"{name:<30} {wall:>10.1f} {cpu:>8.1f} {size:>10,}")
    reader.dispose()


if __name__ == "__main__":
    main()
