"""``storyline demo``: archive a bundled news site on loopback, change it, archive again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

import storage
from scraper.fetcher import FetchSettings
from scraper.pipeline import archive_url
from storyline.demo_server import SiteServer
from storyline.demo_site import ARTICLES, edited, site_pages
from storyline.render import diff_text

DEMO_HOST = "127.0.0.1"


def run_demo(workdir: Path, *, echo: Callable[[str], None] = print) -> Path:
    """Run the whole demo in ``workdir`` (recreated) and return the database path."""
    from storyline.cli import default_extractor

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    db_path = workdir / "demo.db"
    engine = storage.open_archive(f"sqlite:///{db_path}")
    settings = FetchSettings(
        user_agent="storyline-demo/0.1 (+local)", allow_private_hosts=frozenset({DEMO_HOST})
    )
    try:
        with SiteServer(DEMO_HOST) as site:
            site.pages = site_pages(ARTICLES, site.origin)
            urls = [site.origin + a.path + "?utm_source=demo" for a in ARTICLES]
            echo(f"Serving {len(ARTICLES)} articles of the demo site at {site.origin}")
            echo("\n== First crawl ==")
            for url in urls:
                outcome = archive_url(
                    engine, url, settings=settings, extractor=default_extractor, source="demo"
                )
                echo(f"  {outcome.outcome:<12} {outcome.article_url}")
            echo("\n== The newsroom edits one article; second crawl ==")
            site.pages = site_pages(edited(ARTICLES), site.origin)
            for url in urls:
                outcome = archive_url(
                    engine, url, settings=settings, extractor=default_extractor, source="demo"
                )
                extra = f" (changed: {', '.join(outcome.changed)})" if outcome.changed else ""
                echo(f"  {outcome.outcome:<12} {outcome.article_url}{extra}")
            changed_url = site.origin + ARTICLES[0].path
        with Session(engine) as session:
            article = storage.get_article(session, changed_url)
            echo(f"\n== History of {article.url} ==")
            for version in storage.list_versions(session, article):
                changed = ", ".join(version.changed_fields) or "first version"
                echo(
                    f"  v{version.number}  {version.fetched_at.isoformat()}  {version.word_count:>4} words  {changed}"
                )
            echo("\n== Diff v1 → v2 ==")
            diff = storage.diff_versions(
                storage.version_fields(storage.get_version(session, article, 1)),
                storage.version_fields(storage.get_version(session, article, 2)),
            )
            echo(diff_text(diff, color=False))
    finally:
        engine.dispose()
    echo(f"\nArchive: {db_path}  (try: uv run storyline --db sqlite:///{db_path} export)")
    return db_path
