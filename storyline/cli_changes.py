"""``storyline changes``: which stories changed, and how — the archive's changes feed.

Reads :func:`storage.changelog.list_changes` (the same query as the web app's changes
page), newest first: when, which source, what kinds of change, body words added/removed,
the URL and the headline now; a correction or update note that appeared is quoted below.
An article's first version is not a change: ``--new`` (or ``--kind new``) lists those too.
"""

from __future__ import annotations

from datetime import datetime

import click
from sqlalchemy.orm import Session

from storage.changelog import ChangeEntry, ChangeQuery, list_changes
from storage.states import ChangeKind
from storyline.cli_app import App, db_option, json_option, pass_app
from storyline.cli_runs import SinceType
from storyline.render import dumps
from storyline.render_changes import NOTE_LABELS


def _line(entry: ChangeEntry) -> str:
    when = entry.fetched_at.isoformat(timespec="seconds")
    kinds = ",".join(str(k) for k in entry.kinds) or "?"
    words = f"+{entry.words_added}/−{entry.words_removed}"
    headline = " ".join((entry.headline or "").split()) or "(no headline)"
    return f"{when}  {entry.source or '-'}  {kinds}  {words}  {entry.url}  {headline}"


@click.command("changes")
@click.option(
    "--since", type=SinceType(), help="Only versions made since (an age like 24h, or a time)."
)
@click.option("--until", type=SinceType(), help="Only versions made before (an age or a time).")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([str(k) for k in ChangeKind]),
    help="Only versions with this kind of change (repeatable; any of them).",
)
@click.option("--new", is_flag=True, help="Also list new articles (their first versions).")
@click.option("--headline", "text", metavar="TEXT", help="Only headlines containing TEXT.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many."
)
@json_option("Print a JSON array, newest first.")
@db_option
@pass_app
def changes_command(
    app: App,
    since: datetime | None,
    until: datetime | None,
    sources: tuple[str, ...],
    kinds: tuple[str, ...],
    new: bool,
    text: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List the versions made since a time, newest first: when, source, kinds of change,
    words +added/−removed, URL and headline."""
    query = ChangeQuery(
        since=since,
        until=until,
        sources=frozenset(sources),
        kinds=frozenset(ChangeKind(k) for k in kinds),
        new=new,
        text=text,
        limit=limit,
    )
    with Session(app.reader()) as session:
        entries = list_changes(session, query)
    if as_json:
        click.echo(dumps([entry.as_dict() for entry in entries]))
        return
    if not entries:
        click.echo("no changes" + (" in that time" if since or until else ""))
        return
    for entry in entries:
        click.echo(_line(entry))
        for note in entry.notes:
            click.echo(f"    {NOTE_LABELS.get(note.kind, 'note')}: “{note.text}”")
