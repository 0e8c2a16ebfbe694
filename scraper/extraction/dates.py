"""Parsing and validating publication dates.

Every date leaves here timezone-aware (naive values are taken as UTC), not before
:data:`EARLIEST`, and never after ``now``. The URL often carries the publication day
(``/2019/08/02/``); it is a weak signal used to confirm or, failing all else, supply a date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

from scraper.extraction.phrases import MONTHS, PUBLISHED_LABELS

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-6]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-][01]\d(?::?[0-5]\d)?)?)?"
)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)(?:[/_-](?P<d>[0-3]?\d))?(?=[/_.-]|$)"
    r"|[/_-](?P<y2>(?:19|20)\d\d)(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=[/_.-]|$)"
)
_DMY = re.compile(r"\b(?P<d>[0-3]?\d)\.\s?(?P<m>[01]?\d)\.\s?(?P<y>(?:19|20)\d\d)\b")


def parse_datetime(value: str | None) -> tuple[datetime, bool] | None:
    """Parse a machine-readable date; returns ``(aware datetime, had_time)`` or None."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > 80:
        return None
    match = _ISO.search(value)
    if match:
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
        if match["H"] is None:
            return datetime.combine(day, time(), UTC), False
        try:
            clock = time(int(match["H"]), int(match["M"]), min(int(match["S"] or 0), 59))
        except ValueError:
            return datetime.combine(day, time(), UTC), False
        return datetime.combine(day, clock, _tz(match["tz"])), True
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed, True
    match = _DMY.search(value)
    if match:
        try:
            return datetime(int(match["y"]), int(match["m"]), int(match["d"]), tzinfo=UTC), False
        except ValueError:
            return None
    return None


def _tz(label: str | None) -> timezone:
    if not label or label.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if label[0] == "-" else 1
    digits = label[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14:
        return UTC
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def date_from_url(url: str | None) -> date | None:
    """The publication day encoded in a URL path (``/2019/08/02/``, ``-20190802``)."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for match in _URL_DATE.finditer(path):
        year = match["y"] or match["y2"]
        month = match["m"] or match["m2"]
        day = match["d"] or match["d2"]
        if not day:
            continue
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def plausible(value: datetime, now: datetime) -> bool:
    """Not before :data:`EARLIEST` and not in the future."""
    return EARLIEST <= value <= now


_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_SHOWN_DATE = (
    r"(?:(?P<d1>[0-3]?\d)\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>(?:19|20)?\d\d)(?!\d)"
    rf"|(?P<d2>[0-3]?\d)\.?\s+(?:de\s+)?(?P<n2>{_MONTH_NAMES})\.?\s+(?:de\s+)?(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<n3>{_MONTH_NAMES})\.?\s+(?P<d3>[0-3]?\d),?\s+(?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d))"
)
_LABELLED = re.compile(
    r"(?:^|[^\w])(?:"
    + "|".join(re.escape(label) for label in sorted(PUBLISHED_LABELS, key=len, reverse=True))
    + r")\s*:?\s*(?:[^\W\d_]{2,10}\.?,?\s+)?"
    + _SHOWN_DATE,
    re.IGNORECASE,
)


_SHOWN = re.compile(r"(?<![\w.])" + _SHOWN_DATE, re.IGNORECASE)


def _day_of(match: re.Match[str]) -> date | None:
    if match["d1"]:
        year, month, day = match["y1"], int(match["m1"]), int(match["d1"])
    elif match["d2"]:
        year, month, day = match["y2"], MONTHS[match["n2"].lower()], int(match["d2"])
    elif match["d3"]:
        year, month, day = match["y3"], MONTHS[match["n3"].lower()], int(match["d3"])
    else:
        year, month, day = match["y4"], int(match["m4"]), int(match["d4"])
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(full_year, month, day)
    except ValueError:
        return None


def first_shown_date(text: str, *, short_years: bool = False) -> date | None:
    """The first full day written out in ``text`` ("06.12.2022", "7 April 2009"), day first
    for numeric dates; a last resort when a page has no other date. Two-digit years
    ("28.09.19") only with ``short_years``."""
    for match in _SHOWN.finditer(text):
        if match["y1"] and len(match["y1"]) == 2 and not short_years:
            continue  # "1.2.23" is too often a version or a score
        day = _day_of(match)
        if day is not None:
            return day
    return None


def labelled_date(text: str) -> date | None:
    """The first day printed after a publication label ("Erschienen am: 13.10.2021",
    "Published: 3 March 2020", "Veröffentlicht am Fr, 24. Januar 2020"), day first for
    numeric dates."""
    for match in _LABELLED.finditer(text):
        day = _day_of(match)
        if day is not None:
            return day
    return None
