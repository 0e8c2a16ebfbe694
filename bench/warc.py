"""WARC export rate: ``storage.warc.write_warc`` over a generated archive.

    uv run python bench/warc.py                          # 20,000 versions on SQLite
    uv run python bench/warc.py --versions 2000          # a quick run
    uv run python bench/warc.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

The archive is built through the storage layer's own writes (``record_page``,
``put_snapshot``, ``record_fetch`` with recorded headers), as a crawl would leave it:
articles with two versions each, every version its own ~10 KB page and fetch. The export
then runs ``--rounds`` times (default 3) into a file; we report the median versions per
second, CPU seconds (``time.process_time``: the export runs in this process) and the size
of the WARC. A PostgreSQL URL names a database that is emptied (all tables dropped) first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from storage import FetchRecord, open_archive, put_snapshot, record_fetch, record_page  # noqa: E402
from storage.migrate import downgrade  # noqa: E402
from storage.models import Version  # noqa: E402
from storage.versioning import VersionFields  # noqa: E402
from storage.warc import write_warc  # noqa: E402
from tests.pages import DEFAULT_PARAGRAPHS  # noqa: E402

#: the words of the test pages' paragraphs (shared vocabulary, one home)
WORDS = sorted({w.strip(".,").lower() for p in DEFAULT_PARAGRAPHS for w in p.split()})


def page(rng: random.Random, n: int, version: int) -> tuple[str, str, bytes]:
    headline = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" {n}"
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 60))).capitalize() + "."
        for _ in range(8 + version)
    ]
    body = "\n\n".join(paragraphs)
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{headline}</title></head>"
        f"<body><header><nav>{'<a href=/s>Section</a> ' * 40}</nav></header><article>"
        f"<h1>{headline}</h1>{''.join(f'<p>{p}</p>' for p in paragraphs)}</article>"
        "<footer>(c) Bench News</footer></body></html>"
    )
    return headline, body, html.encode("utf-8")


def build(engine: Engine, versions: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    articles = versions // 2
    headers = (
        ("Date", "Mon, 30 Nov 2026 10:00:00 GMT"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Cache-Control", "max-age=60"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
    )
    sent = (("Host", "bench.example"), ("User-Agent", "storyline-bench"))
    batch = 250
    for first in range(0, articles, batch):
        with Session(engine) as session, session.begin():
            for n in range(first, min(first + batch, articles)):
                url = f"https://bench.example/news/story-{n}"
                for number in (1, 2):
                    when = start + timedelta(minutes=n, hours=number)
                    headline, body, html = page(rng, n, number)
                    snapshot_id = put_snapshot(session, html, content_type="text/html", now=when)
                    stored = record_page(
                        session,
                        url=url,
                        fields=VersionFields(
                            headline=headline,
                            authors=("Bench Writer",),
                            published_at=None,
                            modified_at=None,
                            description=None,
                            language="en",
                            body=body,
                            extractor="bench",
                        ),
                        fetched_at=when,
                        snapshot_id=snapshot_id,
                        source="bench",
                    )
                    record_fetch(
                        session,
                        FetchRecord(
                            url=url,
                            final_url=url,
                            started_at=when,
                            status=200,
                            size=len(html),
                            content_type="text/html",
                            outcome=stored.outcome,
                            snapshot_id=snapshot_id,
                            article_id=stored.article_id,
                            http_version="HTTP/1.1",
                            reason="OK",
                            response_headers=headers,
                            request_headers=sent,
                        ),
                    )


def bench_import(warc: Path, db: Path) -> None:
    """``import-warc``'s library path over the exported file: a fresh import, then a re-run."""
    from scraper.extraction import extract_in_worker
    from scraper.warc_import import import_warc

    engine = open_archive(f"sqlite:///{db}")
    for label in ("import", "re-import"):
        wall, cpu = time.monotonic(), time.process_time()
        counts = import_warc(engine, warc, extractor=extract_in_worker)
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        pages = counts.imported + counts.already_imported
        print(
            f"  {label}: {counts.records} records, {counts.imported} imported"
            f" ({counts.new_articles} new articles, {counts.new_versions} new versions),"
            f" {counts.already_imported} already imported in {wall:.1f}s"
            f" ({pages / wall:,.0f} pages/s, CPU {cpu:.1f}s = {cpu / max(pages, 1) * 1000:.1f} ms/page)"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--import",
        dest="import_",
        action="store_true",
        help="then import the WARC into a fresh SQLite archive, twice (new, then resumed)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = open_archive(url)
        if args.db:
            downgrade(engine, "base")
            engine.dispose()
            engine = open_archive(url)
        t0 = time.monotonic()
        build(engine, args.versions)
        print(
            f"built {args.versions} versions in {time.monotonic() - t0:.1f}s ({url.split(':')[0]})"
        )
        with Session(engine) as session:
            ids = list(session.scalars(select(Version.id).order_by(Version.id)))
        rates, cpus, size = [], [], 0
        for _ in range(args.rounds):
            out = Path(tmp) / "out.warc.gz"
            wall, cpu = time.monotonic(), time.process_time()
            with out.open("wb") as fh:
                summary = write_warc(engine, ids, fh)
            wall, cpu = time.monotonic() - wall, time.process_time() - cpu
            size = out.stat().st_size
            rates.append(summary.versions / wall)
            cpus.append(cpu)
            print(
                f"  {summary.versions} versions, {summary.records} records in {wall:.1f}s"
                f" ({summary.versions / wall:,.0f} versions/s, CPU {cpu:.1f}s)"
            )
        engine.dispose()
        if args.import_:
            bench_import(Path(tmp) / "out.warc.gz", Path(tmp) / "import.db")
        print(
            f"median {statistics.median(rates):,.0f} versions/s, CPU {statistics.median(cpus):.1f}s"
            f" ({statistics.median(cpus) / len(ids) * 1000:.2f} ms/version),"
            f" WARC {size / 1e6:.0f} MB for {len(ids)} versions"
        )


if __name__ == "__main__":
    main()
