"""Learned boilerplate applied backwards: correcting a host's stored versions in place.

A host's template lines are learned only after several of its articles were stored, so
the first articles of a site keep them. When the set of learned lines changes, every stored
version of the host that still carries one of them is re-extracted from its own snapshot
with the lines now learned, and its body is corrected in place: same version number, same
snapshot, the extractor that produced it recorded, and a correction logged
(``storage.boilerplate.corrections``). Nothing here ever makes a new version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from scraper import errors
from scraper.extraction import Extraction, line_key
from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
from storage import boilerplate, read_snapshot

log = logging.getLogger(__name__)

#: ``(html, url, learned keys) -> Extraction``; ``scraper.pipeline.Extractor`` is one.
Reextract = Callable[[bytes, str, frozenset[str] | None], Extraction]


@dataclass(frozen=True)
class Recleaned:
    """What one application of the learned lines did to a host's archive."""

    host: str
    checked: int
    corrected: int


def _carries(body: str, keys: frozenset[str]) -> bool:
    return any(line_key(p) in keys for p in body.split("\n\n") if p.strip())


def apply_learned(
    session: Session,
    host: str,
    extractor: Reextract,
    *,
    now: datetime,
    used_keys: frozenset[str] | None = None,
    article_id: int | None = None,
) -> Recleaned:
    """Correct the stored versions of ``host`` that carry a line learned since they were made.

    All of the host's versions are checked when its learned lines changed since the last
    call; otherwise only ``article_id``'s, and only if it was extracted with ``used_keys``
    other than the lines learned now (a crawler caches the keys for a few seconds).
    """
    applied = boilerplate.applied_digest(session, host)  # locks the host's profile first
    keys = boilerplate.learned_keys(session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE)
    digest = boilerplate.learned_digest(keys)
    if digest != applied:
        scope: int | None = None
        boilerplate.mark_applied(session, host, digest)
    elif article_id is not None and (used_keys or frozenset()) != keys:
        scope = article_id
    else:
        return Recleaned(host, 0, 0)
    if not keys:
        return Recleaned(host, 0, 0)
    checked = corrected = 0
    for version, url in list(boilerplate.host_versions(session, host, article_id=scope)):
        if not _carries(version.body, keys) or version.snapshot_id is None:
            continue
        checked += 1
        try:
            extraction = extractor(read_snapshot(session, version.snapshot_id), url, keys)
        except errors.ExtractionError as exc:
            log.warning("could not re-extract version %s of %s: %s", version.number, url, exc)
            continue
        if extraction.body.split() == version.body.split():
            continue
        kept = {p.strip() for p in extraction.body.split("\n\n")}
        removed = [p for p in version.body.split("\n\n") if p.strip() and p.strip() not in kept]
        boilerplate.correct_version(
            session,
            version,
            host,
            body=extraction.body,
            extractor=extraction.extractor,
            removed=removed,
            corrected_at=now,
        )
        corrected += 1
    if corrected:
        log.info("corrected %d stored versions of %s with its learned boilerplate", corrected, host)
    return Recleaned(host, checked, corrected)
