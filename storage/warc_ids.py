"""Deterministic WARC record ids for stored fetches, so every export can name the same record.

A JSONL, CSV or Parquet row names the WARC ``response`` record its text came from by
:func:`warc_record_id` of the fetch behind the version; ``storyline export --format warc``
writes that record under the same id. Ids are UUID 5 (name-based), so writing the WARC again
gives the same ids.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from storage.models import Fetch, Version

#: The namespace of storyline's record ids (a UUID 5 of a fixed name, never to change).
RECORD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://storyline.invalid/warc-record")


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, name)}>"


def warc_record_id(fetch_id: int) -> str:
    """The ``WARC-Record-ID`` of the ``response`` record of stored fetch ``fetch_id``."""
    return _record_id(f"fetch/{fetch_id}/response")


def warc_request_id(fetch_id: int) -> str:
    """The ``WARC-Record-ID`` of the ``request`` record of stored fetch ``fetch_id``."""
    return _record_id(f"fetch/{fetch_id}/request")


def warc_metadata_id(version_id: int) -> str:
    """The ``WARC-Record-ID`` of the ``metadata`` record describing version ``version_id``."""
    return _record_id(f"version/{version_id}/metadata")


def behind_fetch_id() -> ScalarSelect[int]:
    """A correlated subquery on :class:`Version`: the id of the fetch that made the version.

    That is the first fetch of the same article that got the version's snapshot at or after
    the version's fetch time (the version's own fetch has exactly that time; a later version
    with the same bytes as an earlier one finds its own fetch, not the earlier one's). None
    when no fetch row is stored for it. Use it as a column:
    ``select(Version.id, behind_fetch_id().label("fetch_id"))``.
    """
    return (
        select(Fetch.id)
        .where(
            Fetch.article_id == Version.article_id,
            Fetch.snapshot_id == Version.snapshot_id,
            Fetch.started_at >= Version.fetched_at,
        )
        .order_by(Fetch.started_at, Fetch.id)
        .limit(1)
        .correlate(Version)
        .scalar_subquery()
    )


def fetch_behind(session: Session, version_id: int) -> Fetch | None:
    """The stored fetch that made version ``version_id`` (see :func:`behind_fetch_id`)."""
    fetch_id = session.scalar(select(behind_fetch_id()).where(Version.id == version_id))
    return session.get(Fetch, fetch_id) if fetch_id is not None else None
