"""What one crawl did: counts for people and cron mail, and the articles that changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scraper.fetched import utcnow
from storage.states import Outcome


@dataclass(frozen=True)
class ChangedArticle:
    """An article that was new, or got a new version, in this crawl."""

    url: str
    article_id: int
    version: int
    outcome: Outcome
    #: the recorded fields whose value changed (empty for a new article)
    changes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "article_id": self.article_id,
            "version": self.version,
            "outcome": str(self.outcome),
            "changes": list(self.changes),
        }


@dataclass
class CrawlSummary:
    """What one crawl did; ``paragraph()`` is the closing note for people and cron mail."""

    started_at: datetime
    finished_at: datetime | None = None
    found: int = 0
    fetched: int = 0
    seeds_read: int = 0
    new_articles: int = 0
    new_versions: int = 0
    unchanged: int = 0
    not_modified: int = 0
    thin: int = 0
    duplicates: int = 0
    #: links refused before they reached the frontier (too long a URL or host name)
    refused_links: int = 0
    retries: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    pending: int = 0
    interrupted: bool = False
    #: the signal (SIGINT, SIGTERM) that stopped the crawl, if one did
    stop_signal: int | None = None
    frontier: dict[str, int] = field(default_factory=dict)
    #: the articles that were new or got a new version, in the order they were stored
    changed: list[ChangedArticle] = field(default_factory=list)

    @property
    def articles_fetched(self) -> int:
        return (
            self.new_articles + self.new_versions + self.unchanged + self.not_modified + self.thin
        )

    @property
    def failures(self) -> int:
        return sum(self.failed.values())

    @property
    def all_failed(self) -> bool:
        """Nothing could be fetched at all, and something was tried: the crawl did not run."""
        return self.fetched == 0 and (self.failures > 0 or self.retries > 0)

    @property
    def elapsed(self) -> float:
        end = self.finished_at or utcnow()
        return (end - self.started_at).total_seconds()

    def count(self, outcome: Outcome | str) -> None:
        """Count one stored page by its outcome."""
        if outcome == Outcome.NEW_ARTICLE:
            self.new_articles += 1
        elif outcome == Outcome.NEW_VERSION:
            self.new_versions += 1
        elif outcome == Outcome.UNCHANGED:
            self.unchanged += 1
        elif outcome == Outcome.THIN:
            self.thin += 1
        elif outcome == Outcome.NOT_MODIFIED:
            self.not_modified += 1

    def paragraph(self) -> str:
        failed = (
            ", ".join(f"{n} {reason}" for reason, n in self.failed.most_common())
            if self.failed
            else "none"
        )
        state = "interrupted" if self.interrupted else "finished"
        text = (
            f"Crawl {state} in {self.elapsed:.1f}s: {self.found} new URLs found, "
            f"{self.fetched} pages fetched ({self.seeds_read} feeds/sitemaps/section pages, "
            f"{self.articles_fetched} articles); {self.new_articles} new articles, "
            f"{self.new_versions} new versions, {self.unchanged} unchanged, "
            f"{self.not_modified} not modified, {self.thin} too thin to keep; "
            f"failed: {failed}."
        )
        if self.refused_links:
            text += f" {self.refused_links} links refused (URL or host name too long)."
        if self.retries:
            text += f" {self.retries} failed {'fetch' if self.retries == 1 else 'fetches'}"
            text += " will be retried."
        if self.pending:
            text += f" {self.pending} URLs wait for the next crawl."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "elapsed_seconds": round(self.elapsed, 3),
            "found": self.found,
            "fetched": self.fetched,
            "seeds_read": self.seeds_read,
            "articles_fetched": self.articles_fetched,
            "new_articles": self.new_articles,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "not_modified": self.not_modified,
            "thin": self.thin,
            "duplicates": self.duplicates,
            "refused_links": self.refused_links,
            "retries": self.retries,
            "failed": dict(self.failed),
            "pending": self.pending,
            "interrupted": self.interrupted,
            "frontier": dict(self.frontier),
            "changed": [c.as_dict() for c in self.changed],
        }


#: at most this many changed articles named in a log line or a cron mail
NAMED_LIMIT = 20


def name_changed(changed: Iterable[Mapping[str, Any]], limit: int = NAMED_LIMIT) -> str:
    """The articles that got a new version, named: ``URL (headline, body), …``, then how many
    new articles (``ChangedArticle.as_dict()`` items); "none" when nothing changed."""
    items = list(changed)
    versions = [c for c in items if c.get("outcome") == Outcome.NEW_VERSION]
    new = len(items) - len(versions)
    named = [
        f"{c['url']} ({', '.join(c.get('changes') or ()) or 'changed'})" for c in versions[:limit]
    ]
    if len(versions) > limit:
        named.append(f"and {len(versions) - limit} more")
    text = ", ".join(named) if named else "none"
    if new:
        text += f"; {new} new article{'s' if new != 1 else ''}"
    return text
