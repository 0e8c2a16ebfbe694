"""``storyline demo``: archive a bundled news site on loopback, change it, archive again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

import storage
from schedules.jobs import prepare_revisits, settle_revisits
from scraper.config import parse_config
from scraper.crawl import CrawlSummary, run_crawl
from scraper.fetched import utcnow
from scraper.pool import ArchiveDone
from storage.runs import RunKind, recorded
from storyline.cli_crawl import WORKER_PRELOAD
from storyline.demo_server import SiteServer
from storyline.demo_site import ARTICLES, edited, site_pages
from storyline.render import diff_text
from storyline.render_changes import summarise_changes

DEMO_HOST = "127.0.0.1"


def demo_sources(origin: str) -> str:
    """The sources file the demo crawls: the bundled site's feed, sitemap and sections."""
    return f"""\
[crawl]
delay = 0
user_agent = "storyline-demo/0.1 (+local)"
max_wait = 5

[[source]]
name = "demo"
feeds = ["{origin}/feed.xml"]
sitemaps = ["{origin}/sitemap.xml"]
pages = ["{origin}/news/", "{origin}/culture/"]
include = ['/(news|culture)/[a-z0-9-]+-[0-9]+$']
"""


def _show(echo: Callable[[str], None]) -> Callable[[ArchiveDone], None]:
    def show(done: ArchiveDone) -> None:
        extra = f" (changed: {', '.join(done.changed)})" if done.changed else ""
        echo(f"  {done.outcome or 'failed':<12} {done.article_url or done.url}{extra}")

    return show


def run_demo(workdir: Path, *, echo: Callable[[str], None] = print) -> Path:
    """Run the whole demo in ``workdir`` (recreated) and return the database path."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    db_path = workdir / "demo.db"
    engine = storage.open_archive(f"sqlite:///{db_path}")
    try:
        with SiteServer(DEMO_HOST) as site:
            site.pages = site_pages(ARTICLES, site.origin)
            config = parse_config(demo_sources(site.origin), "demo sources")
            echo(f"Serving {len(ARTICLES)} articles of the demo site at {site.origin}")

            def crawl() -> CrawlSummary:
                with recorded(engine, RunKind.CRAWL, "demo") as run:  # `storyline runs` shows it
                    summary = run_crawl(
                        config,
                        engine,
                        handle_signals=False,
                        on_page=_show(echo),
                        preload=WORKER_PRELOAD,
                    )
                    run.counts = summary.as_dict()
                    run.failures = dict(summary.failed)
                    run.changed = [item.url for item in summary.changed]
                return summary

            echo("\n== First crawl (feed, sitemap, section pages) ==")
            summary = crawl()
            echo(f"  {summary.paragraph()}")
            echo("\n== The newsroom edits one article; second crawl ==")
            site.pages = site_pages(edited(ARTICLES), site.origin)
            prep = prepare_revisits(engine, config, utcnow(), revisit_all=True)
            summary = crawl()
            settle_revisits(engine, config, prep, utcnow())
            echo(f"  {summary.paragraph()}")
            changed_url = site.origin + ARTICLES[0].path
        with Session(engine) as session:
            article = storage.get_article(session, changed_url)
            echo(f"\n== History of {article.url} ==")
            for version in storage.list_versions(session, article):
                changed = summarise_changes(version.changes) or ", ".join(version.changed_fields)
                changed = changed or "first version"
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
