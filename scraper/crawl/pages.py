"""A fetched page: an article goes to the process pool in batches, a seed is read for links,
and a link that redirects to an article stored in this crawl becomes its alias.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from scraper.config import SourceConfig
from scraper.crawl.frontier_calls import FrontierCalls
from scraper.discovery import ARTICLE, PAGE, SITEMAP, Discovery, discover
from scraper.fetched import FetchResult
from scraper.pipeline import fetch_record, mark_not_modified
from scraper.pool import ArchiveDone, ArchiveJob, archive_batch_in_worker
from scraper.roles import SEED_PRIORITY
from scraper.summary import ChangedArticle
from scraper.urls import URLTooLong, canonicalize, host_key, try_canonicalize
from scraper.writer import Op
from storage import find_article, frontier, record_fetch
from storage.articles import add_aliases
from storage.frontier import Claimed, NewUrl
from storage.states import Outcome, UrlKind

logger = logging.getLogger(__name__)

FOLLOWED_PAGE_PRIORITY = 50
ARTICLE_PRIORITY = 0
#: pages a worker extracts and stores in one transaction, and how long a batch may wait
ARCHIVE_BATCH = 8
ARCHIVE_LINGER = 0.05


class PageHandling(FrontierCalls):
    """What becomes of a fetched page: archived, read for links, or recorded as an alias."""

    async def _article(self, item: Claimed, result: FetchResult) -> None:
        source = item.source
        if result.not_modified:
            self.summary.not_modified += 1

            def op(session: Session) -> None:
                outcome = mark_not_modified(session, result)
                self._complete_op(item, result, article_url=outcome.article_url)(session)
                if self._on_page is not None:
                    self._on_page(
                        ArchiveDone(
                            Outcome.NOT_MODIFIED, url=result.url, article_url=outcome.article_url
                        )
                    )

            await self._writer.put(op)
            return
        await self._slots.acquire()
        self._pending.append(ArchiveJob(self._db_url, item.id, result, source, self._extractor))
        if len(self._pending) >= ARCHIVE_BATCH:
            self._flush_pending()
        elif self._flush_timer is None:
            self._flush_timer = asyncio.get_running_loop().call_later(
                ARCHIVE_LINGER, self._flush_pending
            )

    def _flush_pending(self) -> None:
        """Hand the pages waiting for archiving to a worker as one batch."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        jobs, self._pending = self._pending, []
        if not jobs:
            return

        async def archive() -> None:
            try:
                try:
                    results: list[ArchiveDone] = await self._in_pool(archive_batch_in_worker, jobs)
                except Exception as exc:  # a crashed worker, or the database refused the write
                    if not self._stop_if_unwritable(exc):
                        logger.error("could not archive %d pages: %r", len(jobs), exc)
                    self.summary.failed["store"] += len(jobs)
                    return  # still leased: handed back at the end, fetched by the next crawl
                for job, done in zip(jobs, results, strict=True):
                    if done.reason == "store":
                        logger.error("could not store %s: %s", job.result.final_url, done.error)
                    self._count(done, job.result)
                    if done.outcome is not None:
                        await self._write_waiting_aliases(done)
            finally:
                for _ in jobs:
                    self._slots.release()

        task = asyncio.ensure_future(archive())
        self._extractions.add(task)
        task.add_done_callback(self._extractions.discard)

    def _count(self, done: ArchiveDone, result: FetchResult) -> None:
        if done.outcome is None:
            reason = done.reason or "extract"
            self.summary.failed[reason] += 1
            logger.warning("could not extract %s: %s", result.final_url, done.error)
            if self._on_page is not None:
                self._on_page(done)
            return
        logger.debug("archived %s: extract %.3fs, wait %.3fs, write %.3fs", done.url, *done.timings)
        self.summary.count(done.outcome)
        if (
            done.outcome in (Outcome.NEW_ARTICLE, Outcome.NEW_VERSION)
            and done.article_url
            and done.article_id is not None
            and done.version is not None
        ):
            self.summary.changed.append(
                ChangedArticle(
                    done.article_url,
                    done.article_id,
                    done.version,
                    Outcome(done.outcome),
                    done.changed,
                )
            )
        for url in (done.canonical, *done.aliases):
            if url:
                self._seen.add(url)
                self._stored.add(url)
        if self._on_page is not None:
            self._on_page(done)
        self._report()

    async def _in_pool(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn`` in the process pool; submitting from a thread, because starting the
        pool's workers (the first submit, and each recycle) blocks."""
        assert self._executor is not None
        if self._pool_started:
            future = self._executor.submit(fn, *args)
        else:
            future = await asyncio.to_thread(self._executor.submit, fn, *args)
            self._pool_started = True
        return await asyncio.wrap_future(future)

    async def _seed(self, item: Claimed, result: FetchResult) -> None:
        self.summary.seeds_read += 1
        source = self._sources.get(item.source or "")
        if result.not_modified or source is None:
            await self._writer.put(
                self._complete_op(
                    item,
                    result,
                    outcome=Outcome.NOT_MODIFIED if result.not_modified else Outcome.DISCOVERED,
                )
            )
            return
        try:
            # In a thread, not the pool: seeds come first, before the pool's workers are warm.
            found = await asyncio.to_thread(discover, result.body, result.final_url, item.kind)
        except Exception as exc:
            logger.error("could not read links from %s: %r", result.final_url, exc)
            found = Discovery("unknown", ())
        wanted = self._classify(source, found, result.final_url)
        logger.info(
            "%s %s: %d links, %d kept",
            found.format,
            result.final_url,
            len(found.links),
            len(wanted),
        )
        add = self._add_op(wanted)
        complete = self._complete_op(item, result, outcome=Outcome.DISCOVERED)

        def op(session: Session) -> None:
            complete(session)
            add(session)  # last: it counts what it found, and a lost race runs it again

        await self._writer.put(op)

    def _classify(self, source: SourceConfig, found: Discovery, seed: str) -> list[NewUrl]:
        """Which links become frontier URLs, and as what (scope and include/exclude apply).

        A link too long to be a real one is refused here, counted and logged with its seed.
        """
        wanted: list[NewUrl] = []
        for link in found.links:
            try:
                canonical = canonicalize(link.url, strip_params=source.strip_params)
            except URLTooLong as exc:
                self.summary.refused_links += 1
                logger.warning("refused a link on %s: %s", seed, exc)
                continue
            except ValueError:
                continue
            host = host_key(canonical)
            if link.kind == SITEMAP:
                if canonical in source.scope:
                    wanted.append(
                        NewUrl(
                            canonical,
                            host,
                            kind=UrlKind.SITEMAP,
                            source=source.name,
                            priority=SEED_PRIORITY[UrlKind.SITEMAP],
                            lastmod_hint=link.lastmod,
                        )
                    )
            elif source.accepts_article(canonical):
                wanted.append(
                    NewUrl(
                        canonical,
                        host,
                        kind=ARTICLE,
                        source=source.name,
                        priority=ARTICLE_PRIORITY,
                        lastmod_hint=link.lastmod,
                    )
                )
            elif link.kind == PAGE and source.follows_page(canonical):
                wanted.append(
                    NewUrl(
                        canonical,
                        host,
                        kind=PAGE,
                        source=source.name,
                        priority=FOLLOWED_PAGE_PRIORITY,
                    )
                )
        return wanted

    async def _redirected_to_fetched(self, item: Claimed, result: FetchResult) -> None:
        """A link that redirects to an article downloaded in this crawl: an alias, not a fetch.

        The alias is written once the article is stored; if it never is, the URL stays
        leased and is handed back for the next crawl.
        """
        self.summary.duplicates += 1
        target = try_canonicalize(result.final_url) or result.final_url
        logger.debug("%s redirects to %s, fetched in this crawl", item.url, target)
        if target in self._stored:
            await self._writer.put(self._alias_op(item, result, target))
        else:
            self._waiting_aliases.setdefault(target, []).append((item, result))

    async def _write_waiting_aliases(self, done: ArchiveDone) -> None:
        """Links that redirect to a page just stored become its aliases now."""
        for url in filter(None, (done.canonical, *done.aliases)):
            for waiting in self._waiting_aliases.pop(url, ()):
                await self._writer.put(self._alias_op(*waiting, url))

    def _alias_op(self, item: Claimed, result: FetchResult, target: str) -> Op:
        def op(session: Session) -> None:
            article = find_article(session, target)
            if article is None:
                return  # stays leased: handed back at the end of the crawl
            names = {try_canonicalize(u) for u in (item.url, *result.redirects)}
            add_aliases(
                session, article, {n for n in names if n and n != target}, result.started_at
            )
            record_fetch(
                session, fetch_record(result, outcome=Outcome.ALIAS, article_id=article.id)
            )
            frontier.complete(
                session,
                item.id,
                self._clock(),
                status=result.status,
                article_id=article.id,
                note=f"redirects to {target}, fetched in this crawl",
            )

        return op
