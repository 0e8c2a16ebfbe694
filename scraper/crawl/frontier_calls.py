"""The crawler's calls on the frontier: reads and claims (run in a thread), and the
operations that complete, fail or add URLs (run by the writer, in its batched transactions).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scraper.crawl.state import CrawlerState
from scraper.fetched import FetchResult
from scraper.pipeline import fetch_record
from scraper.writer import Op
from storage import find_article, frontier, record_fetch
from storage.frontier import Claimed, NewUrl

logger = logging.getLogger(__name__)


class FrontierCalls(CrawlerState):
    """What is due, claims and hand-backs, and the writer's operations on the frontier."""

    def _due_hosts(self, limit: int) -> list[str]:
        with Session(self.engine) as session:
            return frontier.due_hosts(
                session, self._clock(), limit=limit, exclude=tuple(self._active)
            )

    def _next_due(self) -> datetime | None:
        if not self.role.wait_for_leases:
            with Session(self.engine) as session:
                return frontier.next_due(session, self._clock())
        with Session(self.engine) as session, session.begin():
            now = self._clock()
            if frontier.expire_leases(session, now):
                logger.info("took back the expired leases of a worker that stopped beating")
            return frontier.next_due(session, now, leases_of_others=self.owner)

    def _claim(self, host: str, limit: int) -> list[Claimed]:
        t0 = time.monotonic()
        try:
            return self._claim_batch(host, limit)
        finally:
            logger.debug("claimed for %s in %.3fs", host, time.monotonic() - t0)

    def _claim_batch(self, host: str, limit: int) -> list[Claimed]:
        with Session(self.engine) as session, session.begin():
            claimed = frontier.claim(
                session,
                self.owner,
                self._clock(),
                lease_seconds=self.crawl.lease_seconds,
                limit=limit,
                host=host,
            )
        self.claimed += len(claimed)
        return claimed

    def _release(self, ids: Collection[int], due_at: datetime | None) -> None:
        if not ids:
            return
        with Session(self.engine) as session, session.begin():
            frontier.release(session, self.owner, ids, due_at=due_at)

    def _add_op(self, wanted: list[NewUrl]) -> Op:
        def op(session: Session) -> None:
            self.summary.found += frontier.add_urls(
                session, wanted, self._clock(), rearm_before=self._rearm_before
            )

        return op

    def _complete_op(
        self,
        item: Claimed,
        result: FetchResult | None,
        *,
        note: str | None = None,
        outcome: str | None = None,
        article_url: str | None = None,
    ) -> Op:
        def op(session: Session) -> None:
            if result is not None and outcome is not None:
                record_fetch(session, fetch_record(result, outcome=outcome))
            article_id = None
            if article_url:
                article = find_article(session, article_url)
                article_id = article.id if article is not None else None
            frontier.complete(
                session,
                item.id,
                self._clock(),
                status=result.status if result is not None else None,
                etag=result.etag if result is not None else None,
                last_modified=result.last_modified if result is not None else None,
                article_id=article_id,
                note=note,
            )

        return op

    def _fail_op(
        self,
        item: Claimed,
        message: str,
        status: int | None,
        retry_at: datetime | None,
        record: Any = None,
    ) -> Op:
        def op(session: Session) -> None:
            if record is not None:
                record_fetch(session, record)
            frontier.fail(
                session, item.id, self._clock(), error=message, status=status, retry_at=retry_at
            )

        return op
