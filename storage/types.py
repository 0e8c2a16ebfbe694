"""Column types shared by the models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so naive values read from it are UTC by construction; naive
    values given to us are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                f"naive datetime {value!r}: storyline stores timezone-aware times only"
            )
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: A date as a page stated it: an instant with the page's own offset, or only a day.
PageTime = datetime | date


@dataclass(frozen=True)
class StoredPageTime:
    """A :data:`PageTime` as three columns: the UTC instant, the stated offset, or the day."""

    instant: datetime | None = None
    #: minutes east of UTC that the page stated (None: unknown, read back as UTC)
    offset: int | None = None
    day: date | None = None


def split_page_time(value: PageTime | None) -> StoredPageTime:
    """The columns that keep ``value`` whole on SQLite and PostgreSQL; naive times are refused."""
    if value is None:
        return StoredPageTime()
    if not isinstance(value, datetime):
        return StoredPageTime(day=value)
    stated = value.utcoffset()
    if stated is None:
        raise ValueError(f"naive datetime {value!r}: a page time needs the offset it stated")
    return StoredPageTime(value.astimezone(UTC), int(stated.total_seconds()) // 60, None)


def join_page_time(
    instant: datetime | None, offset: int | None, day: date | None
) -> PageTime | None:
    """The page time stored by :func:`split_page_time`, with its stated offset again."""
    if instant is not None:
        zone = UTC if not offset else timezone(timedelta(minutes=offset))
        return instant.astimezone(zone)
    return day


def page_time_key(value: PageTime | None) -> str:
    """The comparable form: the UTC instant to the second, or ``YYYY-MM-DD`` for a day.

    The stated offset is not part of it: the same instant written in another zone is the
    same date for a reader, and archives from before offsets were kept compare equal.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat()
    return value.isoformat()


def page_time_iso(value: PageTime | None) -> str | None:
    """ISO 8601 as the page stated it: the instant with its offset, or ``YYYY-MM-DD``."""
    return value.isoformat() if value is not None else None
