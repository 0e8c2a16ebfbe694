"""One host's URLs, fetched politely: claims, robots.txt, the host's turn, the request, and
what a failed fetch leaves (a retry, a backoff, or a failure for good).
"""

from __future__ import annotations

import asyncio
import logging

from scraper import errors
from scraper.crawl.pages import PageHandling
from scraper.discovery import ARTICLE
from scraper.fetched import FetchScope
from scraper.fetcher import ANY_TYPE, HTML_TYPES
from scraper.pipeline import failure_record
from scraper.pool import failure_reason
from scraper.robots import ALLOW_ALL, RobotsPolicy, fetch_robots
from scraper.roles import SEED_PRIORITY
from scraper.urls import host_key, origin_of, try_canonicalize
from storage.frontier import Claimed, NewUrl
from storage.states import UrlKind

logger = logging.getLogger(__name__)

#: URLs one host task leases at a time at most (kept alive by the heartbeat)
CLAIM_BATCH = 50


def is_retryable(exc: errors.FetchError) -> bool:
    """5xx, 429, timeouts, refused connections and broken answers may work later; 404 never."""
    if isinstance(exc, errors.HTTPStatusError):
        return exc.retryable
    return isinstance(exc, errors.ConnectError | errors.TimeoutError_ | errors.ProtocolError)


_NO_SOURCE_SCOPE = FetchScope()


class HostFetching(PageHandling):
    """One task per host fetches its due URLs one at a time and hands each page on."""

    async def _host_worker(self, host: str) -> None:
        """Fetch ``host``'s due URLs one at a time, politely, until none are left."""
        batch: list[Claimed] = []
        try:
            while not self._stop.is_set():
                if not batch:
                    batch = await asyncio.to_thread(self._claim, host, self._claim_size(host))
                    if not batch:
                        return
                item = batch.pop(0)
                carry_on = await self._handle(item, batch)
                if not carry_on:
                    return
                if self.crawl.max_pages and self._fetch_count >= self.crawl.max_pages:
                    logger.info("reached max_pages=%d", self.crawl.max_pages)
                    self._stop.set()
        finally:
            if batch:
                ids = [c.id for c in batch]
                await asyncio.shield(asyncio.to_thread(self._release, ids, None))

    def _claim_size(self, host: str) -> int:
        """How many of ``host``'s URLs to lease at once: no more than a third of a lease can
        fetch at the host's gap, so other processes sharing the frontier find work and a
        killed process strands little; at most :data:`CLAIM_BATCH`."""
        per_lease = self.crawl.lease_seconds / (3 * max(self.politeness.gap(host), 0.05))
        return max(1, min(CLAIM_BATCH, int(per_lease)))

    async def _handle(self, item: Claimed, rest: list[Claimed]) -> bool:
        """Fetch and dispatch one URL; False when the host must be left alone for now."""
        if item.kind == ARTICLE and item.url in self._seen:
            self.summary.duplicates += 1
            await self._writer.put(
                self._complete_op(item, None, note="duplicate of a fetched article")
            )
            return True
        scope = self._scope(item)
        policy = await self._robots(item.host, item.url, scope)
        if policy.unreachable and self.crawl.obey_robots:
            until = await asyncio.to_thread(self.politeness.failed, item.host, None)
            ids = [item.id] + [c.id for c in rest]
            rest.clear()
            await asyncio.to_thread(self._release, ids, until)
            self.summary.retries += 1
            return False
        if self.crawl.obey_robots and not policy.allows(item.url, self.crawl.user_agent):
            logger.info("robots.txt disallows %s", item.url)
            self.summary.failed["robots"] += 1
            await self._writer.put(
                self._fail_op(item, "robots: disallowed by robots.txt", None, None)
            )
            return True
        if not await self._wait_turn(item.host, [item, *rest]):
            rest.clear()
            return False
        gap = self.politeness.gap(item.host)
        held = self.politeness.holds(gap)
        accept = HTML_TYPES if item.kind == ARTICLE else ANY_TYPE
        try:
            self._fetch_count += 1
            result = await self._fetcher.fetch(
                item.url,
                etag=item.etag,
                last_modified=item.last_modified,
                accept=accept,
                stop_at=self._fetched_article if item.kind == ARTICLE else None,
                scope=scope,
            )
        except errors.FetchError as exc:
            if held:
                await asyncio.to_thread(self.politeness.finished, item.host, gap)
            return await self._fetch_failed(item, exc, rest)
        except BaseException:  # stopped mid-request: free the host for other crawlers now
            if held:
                await asyncio.shield(asyncio.to_thread(self.politeness.finished, item.host, gap))
            raise
        if held:
            await asyncio.to_thread(self.politeness.finished, item.host, gap)
        if self.politeness.is_failing(item.host):
            await asyncio.to_thread(self.politeness.succeeded, item.host)
        if result.redirect_only:
            await self._redirected_to_fetched(item, result)
            return True
        self.summary.fetched += 1
        logger.debug("fetched %s in %.3fs (%d bytes)", item.url, result.elapsed, len(result.body))
        for url in (item.url, *result.redirects, result.final_url):
            canonical = try_canonicalize(url)
            if canonical:
                self._seen.add(canonical)
        if item.kind == ARTICLE:
            await self._article(item, result)
        else:
            await self._seed(item, result)
        self._report()
        return True

    def _fetched_article(self, url: str) -> bool:
        canonical = try_canonicalize(url)
        return canonical is not None and canonical in self._seen

    async def _wait_turn(self, host: str, items: list[Claimed]) -> bool:
        """Wait until ``host`` is free and take it; hand the URLs back if that is too far off.

        Taken in the host's row right before the request (and held until it finished), so
        the gap holds across crawl processes, not only inside this one.
        """
        gap = self.politeness.gap(host)
        if not self.politeness.holds(gap):
            slot = self.politeness.backoff_until(host) or self._clock()
            wait = (slot - self._clock()).total_seconds()
            if wait > self.crawl.max_wait:
                await asyncio.to_thread(self._release, [c.id for c in items], slot)
                return False
            if wait > 0:
                await self._sleep(wait)
            return True
        waited = 0.0
        while True:
            free_at = await asyncio.to_thread(self.politeness.take, host, gap)
            if free_at is None:
                return True
            wait = (free_at - self._clock()).total_seconds()
            if waited + wait > self.crawl.max_wait:
                await asyncio.to_thread(self._release, [c.id for c in items], free_at)
                return False
            wait = max(wait, 0.005)
            waited += wait
            await self._sleep(wait)

    def _scope(self, item: Claimed) -> FetchScope:
        """Where fetches for ``item``'s source may go; a URL of no configured source may
        not reach private addresses, and its redirects may go to any public host."""
        return self._scopes.get(item.source or "", _NO_SOURCE_SCOPE)

    async def _robots(self, host: str, url: str, scope: FetchScope) -> RobotsPolicy:
        if not self.crawl.obey_robots:
            return ALLOW_ALL
        known = self.politeness.robots_in_memory(host)
        if known is not None:
            return known
        lock = self._robots_locks.setdefault(host, asyncio.Lock())
        async with lock:
            policy = await asyncio.to_thread(self.politeness.cached_robots, host)
            if policy is not None:
                return policy
            if not await self._wait_turn(host, []):
                return RobotsPolicy.from_answer(None, None)
            gap = self.politeness.gap(host)
            try:
                policy = await fetch_robots(self._fetcher, origin_of(url), scope.private_hosts)
            except errors.BlockedAddressError:
                # The page fetch is refused with its own reason; not remembered, since
                # another source may be allowed this host's private address.
                await asyncio.to_thread(self.politeness.finished, host, gap)
                return ALLOW_ALL
            except BaseException:
                await asyncio.shield(asyncio.to_thread(self.politeness.finished, host, gap))
                raise
            await asyncio.to_thread(self.politeness.remember_robots, host, policy)
            # The gap after robots.txt is already the host's own crawl-delay, if it has one.
            await asyncio.to_thread(
                self.politeness.finished, host, max(gap, self.politeness.gap(host))
            )
            if policy.sitemaps and not policy.unreachable:
                await self._robots_sitemaps(host, policy.sitemaps)
            return policy

    async def _robots_sitemaps(self, host: str, sitemaps: tuple[str, ...]) -> None:
        wanted: list[NewUrl] = []
        for source in self.config.sources:
            if not source.robots_sitemaps:
                continue
            if not any(host_key(u) == host for u, _ in source.seeds):
                continue
            for sitemap in sitemaps:
                canonical = try_canonicalize(sitemap)
                if canonical and canonical in source.scope:
                    wanted.append(
                        NewUrl(
                            canonical,
                            host_key(canonical),
                            kind=UrlKind.SITEMAP,
                            source=source.name,
                            priority=SEED_PRIORITY[UrlKind.SITEMAP],
                        )
                    )
        if wanted:
            await self._writer.put(self._add_op(wanted))

    async def _fetch_failed(
        self, item: Claimed, exc: errors.FetchError, rest: list[Claimed]
    ) -> bool:
        reason = failure_reason(exc)
        started = self._clock()
        record = failure_record(item.url, exc, started)
        message = f"{reason}: {exc.message}"
        if is_retryable(exc):
            retry_after = getattr(exc, "retry_after", None)
            until = await asyncio.to_thread(self.politeness.failed, item.host, retry_after)
            if item.attempts < self.crawl.max_attempts:
                self.summary.retries += 1
                logger.info("will retry %s after %s (%s)", item.url, until.isoformat(), message)
                await self._writer.put(self._fail_op(item, message, exc.status, until, record))
            else:
                self.summary.failed[reason] += 1
                logger.warning(
                    "giving up on %s after %d attempts: %s", item.url, item.attempts, message
                )
                await self._writer.put(self._fail_op(item, message, exc.status, None, record))
            if rest:
                await asyncio.to_thread(self._release, [c.id for c in rest], until)
                rest.clear()
            self._report()
            return False
        self.summary.failed[reason] += 1
        logger.warning("failed %s: %s", item.url, message)
        await self._writer.put(self._fail_op(item, message, exc.status, None, record))
        self._report()
        return True
