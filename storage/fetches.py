"""The fetch log: one row per HTTP attempt, whatever became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from storage.models import Fetch


@dataclass(frozen=True)
class FetchRecord:
    """What happened to one request; ``error_kind`` is a short stable class name."""

    url: str
    started_at: datetime
    status: int | None = None
    final_url: str | None = None
    duration_ms: float | None = None
    size: int | None = None
    content_type: str | None = None
    error_kind: str | None = None
    error: str | None = None
    outcome: str | None = None
    snapshot_id: int | None = None
    article_id: int | None = None


def record_fetch(session: Session, record: FetchRecord) -> int:
    """Append one attempt to the log and return its id."""
    row = Fetch(
        url=record.url,
        final_url=record.final_url,
        host=urlsplit(record.url).hostname or "",
        started_at=record.started_at,
        duration_ms=record.duration_ms,
        status=record.status,
        size=record.size,
        content_type=record.content_type,
        error_kind=record.error_kind,
        error=record.error,
        outcome=record.outcome,
        snapshot_id=record.snapshot_id,
        article_id=record.article_id,
    )
    session.add(row)
    session.flush()
    return row.id
