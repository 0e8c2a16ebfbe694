"""One page through the archive: fetch → extract → compare → store, each a small stage.

The crawl loop and ``storyline fetch`` both use these stages; each can be called alone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper import errors
from scraper.fetched import FetchResult, FetchSettings, utcnow
from scraper.urls import canonicalize
from storage import (
    FetchRecord,
    StoreResult,
    VersionFields,
    boilerplate,
    find_any_article,
    put_snapshot,
    read_snapshot,
    record_fetch,
    record_page,
    snapshot_digest,
)
from storage.articles import Stored, find_stored
from storage.states import Outcome
from storage.versioning import makes_new_version

if TYPE_CHECKING:
    from scraper.extraction import Extraction

# The extractor (and recleaning, which runs it) is imported where it is used: the crawl's
# main process and the command line import this module, and only extraction workers (and
# ``extract``/``fetch``) need the extractor and its parsers loaded.

log = logging.getLogger(__name__)


class Extractor(Protocol):
    """Turns a page into an Extraction; ``boilerplate_keys`` are the host's learned lines.

    :func:`scraper.extraction.extract_in_worker` is one, and is picklable for process pools.
    """

    def __call__(
        self, html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /
    ) -> Extraction: ...


@dataclass
class Lessons:
    """Boilerplate lessons and backward corrections of several pages, written together.

    Concurrent writers (the crawl's pool workers on PostgreSQL) each store a batch of pages
    in one transaction; learning lines row by row as each page is stored locked a host's
    ``host_profile`` and ``boilerplate_line`` rows in whatever order the pages came, and two
    batches over the same hosts deadlocked. Written last, host by host in sorted order (each
    host's profile row before its lines, then the corrections that the lines now learned
    call for), the locks are always taken in one order.
    """

    pending: list[tuple[str, tuple[tuple[str, str], ...], datetime]] = field(default_factory=list)
    stored: list[tuple[str, int, frozenset[str] | None, datetime]] = field(default_factory=list)

    def add(self, host: str, lines: tuple[tuple[str, str], ...], seen_at: datetime) -> None:
        self.pending.append((host, lines, seen_at))

    def reclean(
        self, host: str, article_id: int, used_keys: frozenset[str] | None, now: datetime
    ) -> None:
        """Check ``article_id`` (and its host) against the learned lines once they are written."""
        self.stored.append((host, article_id, used_keys, now))

    def write(self, session: Session, extractor: Extractor) -> None:
        """Record every pending lesson and correction, hosts in sorted order, and forget them.

        A host's first stored page is checked in full (:func:`~scraper.recleaning.apply_learned`:
        it also re-cleans the whole host when its learned lines changed). Its other pages need
        a check of their own only when they were extracted with other lines than those learned
        now; a page extracted with exactly those has nothing to correct, so the two or three
        statements of its check are skipped (one read of the learned lines per host instead).
        """
        from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
        from scraper.recleaning import apply_learned

        hosts = sorted({lesson[0] for lesson in self.pending} | {s[0] for s in self.stored})
        for host in hosts:
            for _, lines, seen_at in (p for p in self.pending if p[0] == host):
                boilerplate.record_page(session, host, lines, seen_at)
            pages = [s for s in self.stored if s[0] == host]
            learned: frozenset[str] | None = None
            for index, (_, article_id, used_keys, now) in enumerate(pages):
                if index:
                    if learned is None:
                        learned = boilerplate.learned_keys(
                            session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE
                        )
                    if (used_keys or frozenset()) == learned:
                        continue
                apply_learned(
                    session, host, extractor, now=now, used_keys=used_keys, article_id=article_id
                )
        self.pending.clear()
        self.stored.clear()


@dataclass(frozen=True)
class PageOutcome:
    """What happened to one URL, for the command line and the crawl summary."""

    url: str
    outcome: Outcome
    article_url: str | None
    version: int | None
    changed: tuple[str, ...]
    headline: str | None = None
    article_id: int | None = None


def to_fields(extraction: Extraction) -> VersionFields:
    """The archive's view of an extraction."""
    return VersionFields(
        headline=extraction.headline,
        authors=tuple(extraction.authors),
        published_at=extraction.published_at,
        modified_at=extraction.modified_at,
        description=extraction.description,
        language=extraction.language,
        body=extraction.body,
        extractor=extraction.extractor,
    )


def article_urls(result: FetchResult, extraction: Extraction | None) -> tuple[str, tuple[str, ...]]:
    """The canonical URL of a fetched page and the other URLs that lead to it.

    ``rel=canonical`` is honoured only on the host that served the page, so a hostile page
    cannot file itself under another site's article.
    """
    final = canonicalize(result.final_url)
    canonical = final
    declared = extraction.canonical_url if extraction else None
    if declared:
        try:
            candidate = canonicalize(declared)
        except ValueError:
            candidate = None
        if candidate and _same_site(candidate, final):
            canonical = candidate
    others = {canonicalize(u) for u in (result.url, *result.redirects, result.final_url)}
    others.discard(canonical)
    return canonical, tuple(sorted(others))


def _same_site(a: str, b: str) -> bool:
    def bare(url: str) -> str:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.")

    return bare(a) == bare(b)


def baseline_for(
    session: Session,
    stored: Stored,
    body: bytes,
    fields: VersionFields,
    extractor: Extractor,
    boilerplate_keys: frozenset[str] | None = None,
) -> VersionFields | None:
    """What the previous version looks like to the extractor we run now, when that matters.

    Comparing like with like: identical bytes are unchanged whatever the extractor says, and
    before a difference makes a version the previous snapshot is re-extracted with today's
    extractor (and today's learned boilerplate), so an upgrade never makes a false version.
    That re-extraction runs only for a page whose fields differ from its previous version's
    (a first fetch or an unchanged re-fetch never pays for it); it runs even when the stored
    version names today's extractor, because the host's learned boilerplate may have grown
    since, and the extractor's name does not record that.
    """
    article, previous, previous_fields = stored.article, stored.previous, stored.previous_fields
    if article is None or previous is None or previous_fields is None:
        return None
    if previous.snapshot_id is None or not makes_new_version(previous_fields, fields):
        return None
    if snapshot_digest(session, previous.snapshot_id) == hashlib.sha256(body).hexdigest():
        return fields
    html = read_snapshot(session, previous.snapshot_id)
    try:
        return to_fields(extractor(html, article.url, boilerplate_keys))
    except errors.ExtractionError:
        log.warning("could not re-extract version %s of %s", previous.number, article.url)
        return None


def store(
    session: Session,
    result: FetchResult,
    extraction: Extraction,
    *,
    extractor: Extractor,
    source: str | None = None,
    boilerplate_keys: frozenset[str] | None = None,
    lessons: Lessons | None = None,
    urls: tuple[str, tuple[str, ...]] | None = None,
) -> PageOutcome:
    """Compare and store one fetched, extracted page, and log the fetch, in the caller's transaction.

    A new article also teaches the host's boilerplate learner its lines: a line becomes
    boilerplate because many *different* stories carry it, so re-fetches and aliases don't
    count. With ``lessons`` the lines are collected there, for the caller to write once its
    batch is stored (see :class:`Lessons`); without, they are written at once. ``urls`` is
    :func:`article_urls` of this page, when the caller has it already.

    The article and its latest version are looked up once, before anything is written, and
    handed to :func:`~storage.record_page`.
    """
    url, aliases = urls if urls is not None else article_urls(result, extraction)
    fields = to_fields(extraction)
    found = find_stored(session, url, aliases)
    baseline = baseline_for(session, found, result.body, fields, extractor, boilerplate_keys)
    snapshot_id = put_snapshot(
        session, result.body, content_type=result.content_type, now=result.started_at
    )
    stored: StoreResult = record_page(
        session,
        url=url,
        fields=fields,
        fetched_at=result.started_at,
        snapshot_id=snapshot_id,
        aliases=aliases,
        source=source,
        baseline=baseline,
        stored=found,
    )
    record_fetch(
        session,
        fetch_record(
            result, outcome=stored.outcome, snapshot_id=snapshot_id, article_id=stored.article_id
        ),
    )
    host = urlsplit(stored.url).hostname or ""
    batch = lessons if lessons is not None else Lessons()
    if stored.outcome == Outcome.NEW_ARTICLE:
        from scraper.extraction import boilerplate_candidates

        batch.add(host, tuple(boilerplate_candidates(extraction)), result.started_at)
    if stored.outcome in (Outcome.NEW_ARTICLE, Outcome.NEW_VERSION) and stored.article_id:
        # learned lines apply backwards: earlier versions of the host, and this one if it
        # was extracted before the newest lines were learned, are corrected in place
        batch.reclean(host, stored.article_id, boilerplate_keys, result.started_at)
    if lessons is None:
        batch.write(session, extractor)
    return PageOutcome(
        url=result.url,
        outcome=stored.outcome,
        article_url=stored.url if stored.article_id else None,
        version=stored.version,
        changed=stored.changed,
        headline=extraction.headline,
        article_id=stored.article_id,
    )


def learned_boilerplate(session: Session, url: str) -> frozenset[str]:
    """The keys of the lines learned as boilerplate on ``url``'s host."""
    from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE

    host = urlsplit(url).hostname or ""
    return boilerplate.learned_keys(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)


def mark_not_modified(session: Session, result: FetchResult) -> PageOutcome:
    """A 304: the article was seen again unchanged."""
    url = canonicalize(result.final_url)
    article = find_any_article(session, (url, canonicalize(result.url)))
    article_id = None
    version = None
    if article is not None:
        article.last_seen_at = max(article.last_seen_at, result.started_at)
        article_id, version = article.id, article.current_version
    record_fetch(session, fetch_record(result, outcome=Outcome.NOT_MODIFIED, article_id=article_id))
    return PageOutcome(
        result.url,
        Outcome.NOT_MODIFIED,
        article.url if article else None,
        version,
        (),
        article_id=article_id,
    )


def fetch_record(
    result: FetchResult,
    *,
    outcome: str | None,
    snapshot_id: int | None = None,
    article_id: int | None = None,
) -> FetchRecord:
    return FetchRecord(
        url=result.url,
        final_url=result.final_url,
        started_at=result.started_at,
        status=result.status,
        duration_ms=result.elapsed * 1000,
        size=len(result.body),
        content_type=result.content_type,
        outcome=outcome,
        snapshot_id=snapshot_id,
        article_id=article_id,
        http_version=result.http_version,
        reason=result.reason,
        response_headers=result.raw_headers,
        request_headers=result.request_headers,
    )


def failure_record(url: str, exc: errors.ScraperError, started_at: datetime) -> FetchRecord:
    """A failed attempt, with the error's stable kind and message."""
    return FetchRecord(
        url=url,
        started_at=started_at,
        status=getattr(exc, "status", None),
        content_type=getattr(exc, "content_type", None),
        error_kind=getattr(exc, "kind", "error"),
        error=exc.message,
        outcome=Outcome.FAILED,
    )


def record_extraction_failure(
    engine: Engine, result: FetchResult, exc: errors.ExtractionError
) -> None:
    """Keep a page that failed extraction: its snapshot, and a failed fetch row saying why."""
    with Session(engine) as session, session.begin():
        snapshot_id = put_snapshot(
            session, result.body, content_type=result.content_type, now=result.started_at
        )
        record = fetch_record(result, outcome=Outcome.FAILED, snapshot_id=snapshot_id)
        record_fetch(session, replace(record, error_kind="extract", error=exc.message))


def archive_url(
    engine: Engine,
    url: str,
    *,
    settings: FetchSettings,
    extractor: Extractor,
    source: str | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> PageOutcome:
    """Fetch, extract and store one URL; a failure is logged in the fetch table and re-raised.

    Nothing is written half: the page's snapshot, version and fetch row share one transaction.
    """
    # Imported here: the crawler's extraction workers import this module and need no HTTP client.
    from scraper.fetcher import fetch_once

    started = clock()
    try:
        result = fetch_once(url, settings)
    except errors.FetchError as exc:
        with Session(engine) as session, session.begin():
            record_fetch(session, failure_record(url, exc, started))
        raise
    with Session(engine) as session:
        keys = learned_boilerplate(session, result.final_url)
    try:
        extraction = extractor(result.body, result.final_url, keys)
    except errors.ExtractionError as exc:
        record_extraction_failure(engine, result, exc)
        raise
    with Session(engine) as session, session.begin():
        return store(
            session, result, extraction, extractor=extractor, source=source, boilerplate_keys=keys
        )
