"""The ``storyline`` command line: the only place exceptions become messages and exit codes."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
from sqlalchemy.orm import Session

import storage
from storage.changes import classify_change
from storyline.cli_app import (
    App,
    StorylineGroup,
    configure_logging,
    db_option,
    global_db_option,
    json_option,
    pass_app,
)
from storyline.cli_changes import changes_command
from storyline.cli_crawl import crawl_command
from storyline.cli_export import export_command
from storyline.cli_import import import_warc_command
from storyline.cli_runs import runs_command
from storyline.cli_schedule import schedule_group
from storyline.cli_search import search_command
from storyline.cli_serve import serve_command
from storyline.cli_show import show_command
from storyline.cli_stats import stats_command
from storyline.cli_worker import worker_command, workers_command
from storyline.exits import (
    EXIT_DATABASE,
    EXIT_FAILED,
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    CommandFailed,
)
from storyline.render import diff_text, dumps, iso
from storyline.render_changes import describe_changes, summarise_changes

if TYPE_CHECKING:
    from scraper.extraction import Extraction
    from scraper.fetched import FetchSettings
    from scraper.pipeline import PageOutcome

# Commands import what only they need (the extractor, the HTTP client) inside their
# functions: every start of the program imports this module, and most commands (``runs``,
# ``history``, ``--help``) read the archive or print and need neither
# (tests/storyline/test_cli_imports.py).


def default_extractor(
    html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /
) -> Extraction:
    """In-process extraction with the host's learned boilerplate (see scraper.pipeline.Extractor)."""
    from scraper.extraction import extract_in_worker

    return extract_in_worker(html, url, boilerplate_keys)


@click.group(
    "storyline", cls=StorylineGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@global_db_option
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="storyline")
@click.pass_context
def cli(ctx: click.Context, db_url: str, verbose: int) -> None:
    """Find, fetch and archive news articles, keeping every version.

    \b
    Exit status: 0 done; 1 some of the work failed; 2 a wrong command line or
    config file; 3 the database could not be opened or used; 4 no such article
    or version; 75 another crawl or scheduler holds the archive; 130/143
    interrupted by Ctrl-C/SIGTERM; 141 stdout's reader went away.
    """
    configure_logging(verbose)
    app = App(db_url=db_url, verbose=verbose)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _fetch_settings(user_agent: str | None, urls: tuple[str, ...]) -> FetchSettings:
    """Settings for URLs named on the command line: the user chose those hosts, even private ones."""
    from scraper.fetched import FetchSettings

    hosts = frozenset(h for h in (urlsplit(u).hostname for u in urls) if h)
    if user_agent:
        return FetchSettings(user_agent=user_agent, allow_private_hosts=hosts)
    return FetchSettings(allow_private_hosts=hosts)


def _extraction_dict(result: Extraction) -> dict[str, Any]:
    return {
        "url": result.canonical_url,
        "headline": result.headline,
        "authors": list(result.authors),
        "organisation": result.organisation,
        "published_at": iso(result.published_at),
        "modified_at": iso(result.modified_at),
        "description": result.description,
        "language": result.language,
        "body": result.body,
        "word_count": result.word_count,
        "extractor": result.extractor,
        "provenance": [p._asdict() for p in result.provenance],
    }


@cli.command("extract")
@click.argument("source")
@click.option("--url", help="The page's own URL, when SOURCE is a file.")
@json_option("Print one JSON object.")
@click.option("--user-agent", help="User-Agent to send when SOURCE is a URL.")
def extract_command(source: str, url: str | None, as_json: bool, user_agent: str | None) -> None:
    """Extract the article from a URL or an HTML file; nothing is stored."""
    from scraper.extraction import extract
    from scraper.fetcher import fetch_once

    if source.startswith(("http://", "https://")):
        fetched = fetch_once(source, _fetch_settings(user_agent, (source,)))
        result = extract(fetched.body, url or fetched.final_url)
    else:
        path = Path(source)
        if not path.is_file():
            raise click.BadParameter(
                f"{source} is neither an http(s) URL nor a file", param_hint="SOURCE"
            )
        result = extract(path.read_bytes(), url)
    if as_json:
        click.echo(dumps(_extraction_dict(result)))
        return
    click.echo(f"headline:  {result.headline or ''}")
    click.echo(f"authors:   {', '.join(result.authors)}")
    if result.organisation:
        click.echo(f"by:        {result.organisation}")
    click.echo(f"published: {iso(result.published_at) or ''}")
    click.echo(f"modified:  {iso(result.modified_at) or ''}")
    click.echo(f"language:  {result.language or ''}")
    click.echo(f"words:     {result.word_count}")
    click.echo("")
    click.echo(result.body)


def _describe_outcome(outcome: PageOutcome) -> str:
    if outcome.outcome == "new-article":
        return f"new article (version 1): {outcome.headline or ''}"
    if outcome.outcome == "new-version":
        return f"new version {outcome.version} (changed: {', '.join(outcome.changed)})"
    if outcome.outcome == "unchanged":
        return f"unchanged (version {outcome.version})"
    if outcome.outcome == "thin":
        return "page extracted to almost nothing: recorded, not stored as a version"
    return outcome.outcome


@cli.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@json_option("One JSON object per URL.")
@click.option("--user-agent", help="User-Agent to send (default: storyline's own).")
@click.option("--source", help="Source name to file new articles under.")
@db_option
@pass_app
def fetch_command(
    app: App, urls: tuple[str, ...], as_json: bool, user_agent: str | None, source: str | None
) -> None:
    """Fetch URLs, extract them and store what changed."""
    from scraper.errors import ScraperError
    from scraper.pipeline import archive_url

    engine = app.engine()
    settings = _fetch_settings(user_agent, urls)
    failed = 0
    for url in urls:
        try:
            outcome = archive_url(
                engine, url, settings=settings, extractor=default_extractor, source=source
            )
        except ScraperError as exc:
            failed += 1
            if as_json:
                click.echo(
                    dumps(
                        {
                            "url": url,
                            "outcome": "failed",
                            "error": str(exc),
                            "kind": getattr(exc, "kind", "error"),
                        }
                    )
                )
            click.echo(f"storyline: error: {exc}", err=True)  # one URL failed; the rest go on
            continue
        if as_json:
            click.echo(
                dumps(
                    {
                        "url": url,
                        "article": outcome.article_url,
                        "outcome": outcome.outcome,
                        "version": outcome.version,
                        "changed": list(outcome.changed),
                    }
                )
            )
        else:
            click.echo(f"{url}: {_describe_outcome(outcome)}")
    if failed:
        raise CommandFailed("", EXIT_FAILED)  # each failed URL has had its line


@cli.command("history")
@click.argument("url")
@json_option("Print a JSON object.")
@db_option
@pass_app
def history_command(app: App, url: str, as_json: bool) -> None:
    """List an article's versions: number, fetched time, changed fields, word count."""
    with Session(app.reader()) as session:
        article = storage.get_article(session, _lookup_url(url))
        versions = storage.list_versions(session, article)
        rows: list[dict[str, Any]] = [
            {
                "version": v.number,
                "fetched_at": iso(v.fetched_at),
                "changed": list(v.changed_fields or []),
                "changes": v.changes or {},
                "words": v.word_count,
                "headline": v.headline,
                "published_at": iso(v.published),
                "modified_at": iso(v.modified),
            }
            for v in versions
        ]
        aliases = [
            {"url": a.url, "since": iso(a.created_at)}
            for a in sorted(article.aliases, key=lambda a: (a.created_at, a.url))
        ]
        if as_json:
            click.echo(
                dumps(
                    {
                        "url": article.url,
                        "first_seen_at": iso(article.first_seen_at),
                        "last_seen_at": iso(article.last_seen_at),
                        "aliases": aliases,
                        "versions": rows,
                    }
                )
            )
            return
        click.echo(f"{article.url}")
        click.echo(
            f"first seen {iso(article.first_seen_at)}, last seen {iso(article.last_seen_at)}"
        )
        for alias in aliases:
            click.echo(f"also at {alias['url']} (since {alias['since']})")
        click.echo(f"{'ver':>3}  {'fetched at':<25}  {'words':>6}  changed")
        for row in rows:
            changed = summarise_changes(row["changes"]) or ", ".join(row["changed"])
            changed = changed or ("first version" if row["version"] == 1 else "")
            click.echo(
                f"{row['version']:>3}  {row['fetched_at']:<25}  {row['words']:>6}  {changed}"
            )


def _lookup_url(url: str) -> str:
    """Archive look-ups use the canonical form, so pasted URLs with tracking junk still match."""
    from scraper.urls import canonicalize

    try:
        return canonicalize(url)
    except ValueError:
        return url


@cli.command("diff")
@click.argument("url")
@click.option(
    "--from",
    "from_",
    type=click.IntRange(min=1),
    help="Older version number (default: the one before --to).",
)
@click.option(
    "--to", type=click.IntRange(min=1), help="Newer version number (default: the latest)."
)
@click.option(
    "--color/--no-color", default=None, help="Colour the output (default: when on a terminal)."
)
@click.option("--full", is_flag=True, help="Show the whole body, not only changed paragraphs.")
@json_option("Print the diff as JSON.")
@db_option
@pass_app
def diff_command(
    app: App,
    url: str,
    from_: int | None,
    to: int | None,
    color: bool | None,
    full: bool,
    as_json: bool,
) -> None:
    """Show what changed between two versions of an article."""
    with Session(app.reader()) as session:
        article = storage.get_article(session, _lookup_url(url))
        newer = to or article.current_version
        older = from_ if from_ is not None else newer - 1
        if older < 1:
            raise storage.VersionNotFound(
                f"{article.url}: version {newer} has no earlier version to compare with"
                f" (the article has {article.current_version})"
            )
        old = storage.version_fields(storage.get_version(session, article, older))
        new = storage.version_fields(storage.get_version(session, article, newer))
        diff = storage.diff_versions(old, new)
        # Classified here, not read from the newer version: that one describes newer-1 → newer.
        changes = classify_change(old, new)
        if as_json:
            click.echo(
                dumps(
                    {
                        "url": article.url,
                        "from": older,
                        "to": newer,
                        "fields": [
                            {"name": c.name, "old": c.old, "new": c.new} for c in diff.fields
                        ],
                        "body": [{"op": s.op, "text": s.text} for s in diff.body],
                        "words_added": diff.words_added,
                        "words_removed": diff.words_removed,
                        "changes": changes,
                    }
                )
            )
            return
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(f"{article.url}: version {older} → {newer}")
        for line in describe_changes(changes):
            click.echo(line)
        click.echo(
            diff_text(diff, color=use_color, context_paragraphs=None if full else 1),
            color=use_color,
        )


@cli.command("boilerplate")
@click.argument("host")
@json_option("Print a JSON array.")
@click.option(
    "--forget", is_flag=True, help="Drop what was learned for HOST (after a site redesign)."
)
@click.option(
    "--corrections",
    is_flag=True,
    help="List the stored versions of HOST corrected in place with what was learned.",
)
@db_option
@pass_app
def boilerplate_command(
    app: App, host: str, as_json: bool, forget: bool, corrections: bool
) -> None:
    """List the lines learned as boilerplate for HOST, and why each was learned."""
    from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
    from storage import boilerplate

    host = host.lower()
    if corrections:
        with Session(app.engine()) as session:
            fixed = boilerplate.corrections(session, host)
        if as_json:
            click.echo(dumps([asdict(c) for c in fixed]))
            return
        click.echo(f"{host}: {len(fixed)} stored versions corrected in place (newest first)")
        for c in fixed:
            click.echo(
                f"  {c.corrected_at:%Y-%m-%d %H:%M} {c.url} v{c.version} ({c.new_extractor})"
            )
            for text in c.removed:
                click.echo(f"      - {text}")
        return
    if forget:
        with Session(app.engine()) as session, session.begin():
            boilerplate.forget_host(session, host)
        click.echo(f"forgot the boilerplate learned for {host}", err=True)
        return
    with Session(app.reader()) as session:
        lines = boilerplate.explain(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)
        seen = boilerplate.pages_seen(session, host)
    if as_json:
        click.echo(
            dumps(
                [
                    {
                        "text": ln.text,
                        "pages": ln.pages,
                        "pages_seen": ln.pages_seen,
                        "reason": ln.reason,
                        "first_seen": ln.first_seen,
                        "last_seen": ln.last_seen,
                    }
                    for ln in lines
                ]
            )
        )
        return
    click.echo(
        f"{host}: {len(lines)} lines learned from {seen} articles "
        f"(a line needs {MIN_PAGES}+ articles and {MIN_SHARE:.0%} of the host's)"
    )
    for line in lines:
        click.echo(f"  {line.reason:<36}  {line.text}")


@cli.command("demo")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    default="storyline-demo",
    show_default=True,
    help="Folder for the demo's database (recreated each run).",
)
def demo_command(workdir: str) -> None:
    """Serve a small bundled news site on loopback, archive it, change it, archive again."""
    from storyline.demo import run_demo

    run_demo(Path(workdir), echo=click.echo)


cli.add_command(crawl_command)
cli.add_command(export_command)
cli.add_command(runs_command)
cli.add_command(schedule_group)
cli.add_command(import_warc_command)
cli.add_command(show_command)
cli.add_command(search_command)
cli.add_command(stats_command)
cli.add_command(changes_command)
cli.add_command(serve_command)
cli.add_command(worker_command)
cli.add_command(workers_command)

__all__ = ["EXIT_DATABASE", "EXIT_FAILED", "EXIT_NOT_FOUND", "EXIT_USAGE", "cli", "main"]


def main() -> None:
    """The ``storyline`` entry point: the one place an exception becomes a message and a status."""
    cli(prog_name="storyline")
