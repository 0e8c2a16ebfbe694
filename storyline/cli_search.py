"""``storyline search QUERY``: full text over the archive's headlines and bodies."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from sqlalchemy.orm import Session

from storage.search import SNIPPET_END, SNIPPET_START, SearchHit, search
from storyline.cli_app import App, db_option, json_option, pass_app
from storyline.cli_runs import SinceType
from storyline.render import dumps, iso


def hit_dict(hit: SearchHit) -> dict[str, object]:
    """A hit for ``--json``: the snippet as plain text and the words it matched beside it,
    so nothing in it needs unescaping."""
    return {
        "url": hit.url,
        "article_id": hit.article_id,
        "version": hit.version,
        "headline": hit.headline,
        "fetched_at": iso(hit.fetched_at),
        "source": hit.source,
        "rank": hit.rank,
        "snippet": plain_snippet(hit.snippet),
        "matches": matched_words(hit.snippet),
    }


def plain_snippet(snippet: str) -> str:
    return snippet.replace(SNIPPET_START, "").replace(SNIPPET_END, "")


def matched_words(snippet: str) -> list[str]:
    """The words the index matched, in the order the snippet shows them."""
    return [part.split(SNIPPET_END, 1)[0] for part in snippet.split(SNIPPET_START)[1:]]


def shown_snippet(snippet: str, *, color: bool) -> str:
    """Matches in bold yellow on a terminal, between ``**`` in a pipe."""
    start, end = ("\x1b[1;33m", "\x1b[0m") if color else ("**", "**")
    return " ".join(snippet.replace(SNIPPET_START, start).replace(SNIPPET_END, end).split())


@click.command("search")
@click.argument("query")
@click.option("--source", help="Only articles of this source.")
@click.option(
    "--since", type=SinceType(), help="Only versions fetched since (an age like 7d, or a time)."
)
@click.option(
    "--all-versions",
    is_flag=True,
    help="Search every version, not only the latest of each article.",
)
@click.option(
    "--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True,
    help="At most this many hits.",
)  # fmt: skip
@json_option("Print a JSON array, best match first.")
@db_option
@pass_app
def search_command(
    app: App,
    query: str,
    source: str | None,
    since: datetime | None,
    all_versions: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Find articles by words in their headline or body.

    \b
    QUERY: words (all must occur), "a phrase", prefix*, -excluded, a OR b.
    """
    with Session(app.reader()) as session:
        hits = search(
            session, query, source=source, since=since, all_versions=all_versions, limit=limit
        )
    if as_json:
        click.echo(dumps([hit_dict(h) for h in hits]))
        return
    if not hits:
        click.echo("no matches", err=True)
        return
    color = sys.stdout.isatty()
    for hit in hits:
        title = click.style(hit.headline or "(no headline)", bold=True) if color else hit.headline
        click.echo(f"{title}  (v{hit.version}, {iso(hit.fetched_at)})", color=color)
        click.echo(f"  {hit.url}")
        click.echo(f"  {shown_snippet(hit.snippet, color=color)}", color=color)
