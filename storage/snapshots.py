"""Raw response bodies, zstd-compressed and stored once per content hash."""

from __future__ import annotations

import hashlib
from datetime import datetime

import zstandard
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import StorageError
from storage.models import Snapshot

# Level 3 compresses a 180 KB news page in ~1.2 ms at ratio ~5.1; level 9 takes ~3.9 ms for ~5.6.
ZSTD_LEVEL = 3


def put_snapshot(session: Session, body: bytes, *, content_type: str | None, now: datetime) -> int:
    """Store ``body`` unless an identical one is stored already; return its snapshot id."""
    digest = hashlib.sha256(body).hexdigest()
    existing = session.scalar(select(Snapshot.id).where(Snapshot.sha256 == digest))
    if existing is not None:
        return existing
    data = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    snapshot = Snapshot(
        sha256=digest,
        compression="zstd",
        size=len(body),
        content_type=content_type,
        data=data,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(snapshot)
    except IntegrityError:
        # Another worker stored the same bytes between our look-up and insert.
        found = session.scalar(select(Snapshot.id).where(Snapshot.sha256 == digest))
        if found is None:
            raise
        return found
    return snapshot.id


def read_snapshot(session: Session, snapshot_id: int) -> bytes:
    """The original bytes of a snapshot."""
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        raise StorageError(f"snapshot {snapshot_id} does not exist")
    return snapshot_body(snapshot)


def snapshot_body(snapshot: Snapshot) -> bytes:
    """The original bytes of a loaded snapshot row."""
    if snapshot.compression != "zstd":
        raise StorageError(
            f"snapshot {snapshot.id} uses unknown compression {snapshot.compression!r}"
        )
    return zstandard.ZstdDecompressor().decompress(snapshot.data, max_output_size=snapshot.size)


def snapshot_digest(session: Session, snapshot_id: int) -> str | None:
    """The SHA-256 of a stored body, without loading the body."""
    return session.scalar(select(Snapshot.sha256).where(Snapshot.id == snapshot_id))
