"""``storyline show``: one stored version — its fields, its text, or the raw page it came from."""

from __future__ import annotations

import hashlib
import sys
from typing import Any

import click
from sqlalchemy.orm import Session

import storage
from storage.fetches import request_headers, response_headers
from storage.models import Article, Fetch, Snapshot, Version
from storage.warc_ids import fetch_behind, warc_record_id
from storyline.cli_app import App, db_option, pass_app
from storyline.exits import EXIT_NOT_FOUND, EXIT_USAGE, CommandFailed
from storyline.render import dumps, iso
from storyline.render_changes import summarise_changes


def _canonical(url: str) -> str:
    from scraper.urls import canonicalize

    try:
        return canonicalize(url)
    except ValueError:
        return url


def fetch_dict(fetch: Fetch | None) -> dict[str, Any] | None:
    """The lineage of a version: the fetch behind it, headers as [name, value] lists."""
    if fetch is None:
        return None
    received = response_headers(fetch)
    sent = request_headers(fetch)
    return {
        "id": fetch.id,
        "warc_record_id": warc_record_id(fetch.id),
        "url": fetch.url,
        "final_url": fetch.final_url,
        "started_at": iso(fetch.started_at),
        "status": fetch.status,
        "http_version": fetch.http_version,
        "reason": fetch.reason,
        "headers_recorded": received is not None,
        "response_headers": [list(pair) for pair in received] if received is not None else None,
        "request_headers": [list(pair) for pair in sent] if sent is not None else None,
    }


def version_dict(
    article: Article, version: Version, snapshot: Snapshot | None, fetch: Fetch | None
) -> dict[str, Any]:
    """Every stored field of one version, with where it came from."""
    from storage.warc import version_record  # warcio loads only when a version is shown

    return {
        **version_record(version, article),
        "source": article.source,
        "versions": article.current_version,
        "body": version.body,
        "snapshot": None
        if snapshot is None
        else {
            "sha256": snapshot.sha256,
            "size": snapshot.size,
            "content_type": snapshot.content_type,
        },
        "fetch": fetch_dict(fetch),
    }


def _human(record: dict[str, Any]) -> list[str]:
    lines = [
        record["url"],
        f"version {record['version']} of {record['versions']}, fetched {record['fetched_at']}",
        f"headline: {record['headline'] or ''}",
        f"authors: {'; '.join(record['authors']) or '-'}",
        f"published: {record['published_at'] or '-'}  modified: {record['modified_at'] or '-'}",
        f"language: {record['language'] or '-'}  words: {record['word_count']}"
        f"  extractor: {record['extractor']}",
    ]
    changed = summarise_changes(record["changes"]) or ", ".join(record["changed_fields"])
    lines.append(f"changed: {changed or ('first version' if record['version'] == 1 else '-')}")
    snapshot = record["snapshot"]
    if snapshot is not None:
        lines.append(
            f"raw page: {snapshot['size']} bytes, {snapshot['content_type'] or 'unknown type'},"
            f" sha256 {snapshot['sha256']}"
        )
    fetch = record["fetch"]
    if fetch is not None:
        status = " ".join(
            str(part) for part in (fetch["http_version"], fetch["status"], fetch["reason"]) if part
        )
        recorded = len(fetch["response_headers"]) if fetch["headers_recorded"] else "not recorded"
        lines.append(f"fetch #{fetch['id']}: {status} from {fetch['final_url'] or fetch['url']}")
        lines.append(f"response headers: {recorded}")
    return lines


@click.command("show")
@click.argument("url")
@click.option("--version", "number", type=click.IntRange(min=1), help="Version (default: latest).")
@click.option("--raw", is_flag=True, help="Write the raw page exactly as stored, as bytes.")
@click.option("--text", is_flag=True, help="Print the body text only.")
@click.option("--json", "as_json", is_flag=True, help="Print every field and its lineage as JSON.")
@db_option
@pass_app
def show_command(
    app: App, url: str, number: int | None, raw: bool, text: bool, as_json: bool
) -> None:
    """Show one version of an article: its fields, its text, or the raw page it came from.

    --raw writes the response body as received (the decoded entity body: after the
    Content-Encoding is undone) and checks it against its stored SHA-256 first.
    """
    if raw + text + as_json > 1:
        raise CommandFailed("choose one of --raw, --text and --json", EXIT_USAGE)
    with Session(app.reader()) as session:
        article = storage.get_article(session, _canonical(url))
        version = storage.get_version(session, article, number or article.current_version)
        if raw:
            _write_raw(session, article, version)
            return
        if text:
            click.echo(version.body)
            return
        snapshot = session.get(Snapshot, version.snapshot_id) if version.snapshot_id else None
        record = version_dict(article, version, snapshot, fetch_behind(session, version.id))
    if as_json:
        click.echo(dumps(record))
        return
    for line in _human(record):
        click.echo(line)


def _write_raw(session: Session, article: Article, version: Version) -> None:
    if version.snapshot_id is None:
        raise CommandFailed(
            f"{article.url}: version {version.number} has no stored raw page", EXIT_NOT_FOUND
        )
    body = storage.read_snapshot(session, version.snapshot_id)
    stored = storage.snapshot_digest(session, version.snapshot_id)
    actual = hashlib.sha256(body).hexdigest()
    if actual != stored:
        raise storage.StorageError(
            f"{article.url}: the raw page of version {version.number} does not match its"
            f" stored SHA-256 ({actual} != {stored}); nothing written"
        )
    sys.stdout.flush()
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
