"""Several processes writing one SQLite archive at once never see "database is locked"."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage import VersionFields, open_archive, record_page
from storage.models import Article, Version

WORKERS = 3
PAGES = 20


def _writer(url: str, worker: int) -> None:
    engine = open_archive(url)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(PAGES):
        fields = VersionFields(
            headline=f"Story {worker}-{i}",
            authors=("A. Writer",),
            published_at=t0,
            modified_at=None,
            description=None,
            language="en",
            body=" ".join(f"word{j}" for j in range(60)) + f" worker {worker} page {i}",
            extractor="test",
        )
        with Session(engine) as session, session.begin():
            record_page(
                session,
                url=f"https://news.example/{worker}/{i}",
                fields=fields,
                fetched_at=t0 + timedelta(seconds=i),
                snapshot_id=None,
            )
    engine.dispose()


def test_concurrent_writer_processes_and_an_open_reader(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = open_archive(url)
    ctx = multiprocessing.get_context("spawn")
    with engine.connect().execution_options(storyline_readonly=True) as reader:
        reader.begin()
        reader.execute(text("SELECT count(*) FROM article")).scalar()
        procs = [ctx.Process(target=_writer, args=(url, w)) for w in range(WORKERS)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=120)
        assert [p.exitcode for p in procs] == [0] * WORKERS
        reader.rollback()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == WORKERS * PAGES
        assert session.scalar(select(func.count()).select_from(Version)) == WORKERS * PAGES
    engine.dispose()
