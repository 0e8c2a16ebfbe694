"""Parsing and validating publication dates, without inventing anything.

A parsed value is one of: an aware ``datetime`` whose tzinfo is the fixed offset the text
stated (UTC only when it said UTC, GMT or Z; a zone named by abbreviation or name is
turned into its offset on that day), a naive ``datetime`` when the text gave a time but no
zone (the caller decides: it may match another source's stated instant, else only its day
is known), or a ``date`` when the text gave only a day. Nothing before :data:`EARLIEST` or
after ``now`` is plausible. The URL often carries the publication day (``/2019/08/02/``):
a weak signal used to confirm or, failing all else, supply a day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.extraction.phrases import MONTH_FIRST_ZONES, MONTHS, PUBLISHED_LABELS, TIME_ZONES
from scraper.extraction.text import alternation

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

#: A time zone abbreviation or name of :data:`TIME_ZONES`, or a numeric offset; case
#: sensitive, so that words ("et", "est") are not zones.
_ZONE = (
    r"(?P<zone>(?:UTC|GMT)\s?[+-]\d{1,2}(?::?\d\d)?|[+-][01]\d:?[0-5]\d|"
    + alternation(TIME_ZONES)
    + r")(?![\w+-])"
)
_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-6]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|z|[+-][01]\d(?::?[0-5]\d)?|" + _ZONE.replace("?P<zone>", "?:") + r")?)?"
)
_DMY = re.compile(r"\b(?P<d>[0-3]?\d)\.\s?(?P<m>[01]?\d)\.\s?(?P<y>(?:19|20)\d\d)\b")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)(?:[/_-](?P<d>[0-3]?\d))?(?=[/_.-]|$)"
    r"|[/_-](?P<y2>(?:19|20)\d\d)(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=[/_.-]|$)"
)

#: A printed clock time with a zone ("11:47 AM EST", "14.30 Uhr MEZ", "9:15 a.m. ET").
_CLOCK_ZONE = re.compile(
    r"(?<![\d:.])(?P<H>[012]?\d)[:.h](?P<M>[0-5]\d)(?::[0-5]\d)?(?!\d)"
    r"\s*(?P<ampm>[aApP]\.?\s?[mM]\.?(?![a-zA-Z]))?(?:\s*(?:Uhr|h)\b)?\s*,?\s*\(?" + _ZONE
)
#: How far from a printed day a clock time may stand to be that day's time.
_CLOCK_REACH = 40

#: A date, a time or both, as parsed (see the module docstring).
Stamp = datetime | date


def day_of(value: Stamp) -> date:
    """The calendar day a value states: a datetime's day in its own offset, or the date."""
    return value.date() if isinstance(value, datetime) else value


def is_day(value: Stamp) -> bool:
    """Only a day, no time."""
    return not isinstance(value, datetime)


def parse_datetime(value: str | None) -> Stamp | None:
    """Parse a machine-readable date (ISO 8601, RFC 2822, "09.06.2016"); see the module
    docstring for what comes back."""
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
            return day
        try:
            clock = time(int(match["H"]), int(match["M"]), min(int(match["S"] or 0), 59))
        except ValueError:
            return day
        local = datetime.combine(day, clock)
        return _in_zone(local, match["tz"]) if match["tz"] else local
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        # RFC 2822 "-0000" and unknown zones parse as naive: the zone is not known
        return parsed
    match = _DMY.search(value)
    if match:
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    return None


def parse_stated(value: str | None) -> Stamp | None:
    """A date of structured data (meta, JSON-LD, microdata): machine-readable
    (:func:`parse_datetime`), else a day written for people ("07 أكتوبر 2020 - 12:09",
    "March 8, 2015")."""
    found = parse_datetime(value)
    if found is None and value and len(value) <= 80:
        found = first_shown_date(value)
    return found


def _offset(label: str, local: datetime) -> timedelta | None:
    """The UTC offset a zone label stands for at the local time ``local``, or None."""
    label = label.strip()
    if label in ("Z", "z"):
        return timedelta()
    named = TIME_ZONES.get(label)
    if named is not None:
        if isinstance(named, timedelta):
            return named
        try:
            return ZoneInfo(named).utcoffset(local)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    numeric = re.fullmatch(r"(?:UTC|GMT)?\s?([+-])(\d{1,2}):?(\d\d)?", label)
    if numeric is None:
        return None
    hours, minutes = int(numeric[2]), int(numeric[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if numeric[1] == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes)


def _in_zone(local: datetime, label: str) -> datetime:
    """``local`` (naive) in the zone ``label`` states, with that fixed offset; naive still
    when the label is no zone we know."""
    offset = _offset(label, local)
    if offset is None:
        return local
    return local.replace(tzinfo=timezone(offset) if offset else UTC)


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


def plausible(value: Stamp, now: datetime) -> bool:
    """Not before :data:`EARLIEST` and not after ``now`` (a day: not after ``now``'s day; a
    time without a zone: compared as if it were UTC)."""
    if not isinstance(value, datetime):
        return EARLIEST.date() <= value <= now.date()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return EARLIEST <= value <= now


#: Every month name of :data:`MONTHS`, longest first: the alternation the patterns below use.
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_SHOWN_DATE = (
    r"(?:(?P<d1>[0-3]?\d)\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>(?:19|20)?\d\d)(?!\d)"
    rf"|(?P<d2>[0-3]?\d)\.?\s+(?:de\s+)?(?P<n2>{_MONTH_NAMES})\.?(?:\s*/\s*(?:{_MONTH_NAMES}))?"
    r"\s+(?:de\s+)?(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<n3>{_MONTH_NAMES})\.?\s+(?P<d3>[0-3]?\d),?\s+(?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)(?P<s4>[-/.])(?P<m4>[01]?\d)(?P=s4)(?P<d4>[0-3]?\d)(?![\d.]\d)"
    r"|(?P<y5>(?:19|20)\d\d)\s*[年년]\s*(?P<m5>[01]?\d)\s*[月월]\s*(?P<d5>[0-3]?\d)\s*[日일]"
    r"|(?P<a6>[0-3]?\d)/(?P<b6>[0-3]?\d)/(?P<y6>(?:19|20)\d\d)(?!\d))"
)
#: A clock time (and zone) printed between a label and its day ("Published 11:47 AM EST
#: Feb 3, 2021").
_CLOCK_BEFORE = (
    r"(?:[012]?\d[:.][0-5]\d\s*(?:[ap]\.?\s?m\.?)?\s*(?:[a-z]{1,5}(?:[+-]\d{1,2})?\s*)?[,|]?\s+)?"
)
_LABELLED = re.compile(
    r"(?:^|[^\w])(?:"
    + alternation(PUBLISHED_LABELS)
    + r")\s*:?\s*"
    + _CLOCK_BEFORE
    + r"(?:[^\W\d_]{2,10}\.?,?\s+)?"
    + _SHOWN_DATE,
    re.IGNORECASE,
)


#: Not inside a word or a number; a CJK character may stand right before ("公開日2020年...").
_SHOWN = re.compile(
    r"(?<!(?![\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])[\w.])" + _SHOWN_DATE, re.IGNORECASE
)


def _month_first(text: str, match: re.Match[str]) -> bool:
    """A clock time in a zone of the United States stands beside the date ``match`` found
    in ``text`` ("05/03/2024 10:00 AM EDT"): its numeric date is written month first."""
    window = text[max(0, match.start() - _CLOCK_REACH) : match.end() + _CLOCK_REACH]
    return any(clock["zone"] in MONTH_FIRST_ZONES for clock in _CLOCK_ZONE.finditer(window))


def _day_of(match: re.Match[str], text: str = "") -> date | None:
    """The day a match of :data:`_SHOWN_DATE` in ``text`` names: numeric dates day first
    ("04.07.2016"), year first ("2016-07-04", "2016/7/4", "2016年7月4日"); a slashed
    "04/07/2016" only when its order shows (one part above 12, or a zone of the United
    States beside it: month first), else None: "07/04" is April or July."""
    if match["y6"]:
        first, second = int(match["a6"]), int(match["b6"])
        if first > 12 and second > 12:
            return None  # no date at all
        if first > 12 or second > 12:
            day, month = (first, second) if first > 12 else (second, first)
        elif _month_first(text, match):
            day, month = second, first
        else:
            return None  # ambiguous
        try:
            return date(int(match["y6"]), month, day)
        except ValueError:
            return None
    if match["y5"]:
        year, month, day = match["y5"], int(match["m5"]), int(match["d5"])
    elif match["d1"]:
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


def _printed(text: str, match: re.Match[str], day: date) -> Stamp:
    """The printed day of ``match``, as an instant when a clock time with a zone stands
    next to it ("11:47 AM EST Feb 3, 2021", "03.02.2021, 14:30 Uhr MEZ"); a day otherwise
    (a time without a zone says nothing about the instant)."""
    day_at = min(match.start(g) for g in ("d1", "d2", "n3", "y4", "y5", "a6") if match[g])
    start = max(0, day_at - _CLOCK_REACH)
    window = text[start : match.end() + _CLOCK_REACH]
    date_at, date_end = day_at - start, match.end() - start
    best: tuple[int, re.Match[str]] | None = None
    for clock in _CLOCK_ZONE.finditer(window):
        if date_at <= clock.start() < date_end:
            continue  # inside the date itself
        distance = abs(clock.start() - date_at)
        if best is None or distance < best[0]:
            best = (distance, clock)
    if best is None:
        return day
    clock = best[1]
    hour, minute = int(clock["H"]), int(clock["M"])
    ampm = (clock["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return day
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23:
        return day
    local = datetime.combine(day, time(hour, minute))
    instant = _in_zone(local, clock["zone"])
    return instant if instant.tzinfo is not None else day


def _shown(text: str, *, short_years: bool = False) -> Iterator[tuple[re.Match[str], date]]:
    """Every full day written out in ``text`` with its match; two-digit years ("11.10.16")
    only with ``short_years``."""
    for match in _SHOWN.finditer(text):
        if match["y1"] and len(match["y1"]) == 2 and not short_years:
            continue  # "1.2.23" is too often a version or a score
        day = _day_of(match, text)
        if day is not None:
            yield match, day


def misread_days(text: str) -> set[date]:
    """The days a day-first reading takes from the slashed dates ``text`` prints month
    first (beside a zone of the United States): 5 March from "05/03/2024 10:00 AM EDT"."""
    days: set[date] = set()
    for match in _SHOWN.finditer(text):
        ambiguous = match["y6"] and max(int(match["a6"]), int(match["b6"])) <= 12
        if ambiguous and _month_first(text, match):
            try:
                days.add(date(int(match["y6"]), int(match["b6"]), int(match["a6"])))
            except ValueError:
                continue
    return days


def shown_days(text: str) -> list[date]:
    """Every full day written out in ``text`` (four-digit years)."""
    return [day for _, day in _shown(text)]


def opening_date(text: str, within: int = 25) -> Stamp | None:
    """The day a text opens with, as a dateline does ("(21. November 2022) The ...",
    "BERLIN, 3 March 2021 – ..."): written out within its first ``within`` characters."""
    match = _SHOWN.search(text, 0, within + 40)
    if match is None or match.start() > within:
        return None
    day = _day_of(match, text)
    return _printed(text, match, day) if day is not None else None


def without_dates(text: str) -> str:
    """``text`` with every day written out in it removed."""
    return _SHOWN.sub(" ", text)


def is_numeric_date(text: str) -> bool:
    """The whole of ``text`` is a day-first numeric date ("11.10.16", "04.07.2016")."""
    match = _SHOWN.fullmatch(text)
    return match is not None and match["d1"] is not None


def first_shown_date(text: str, *, short_years: bool = False) -> Stamp | None:
    """The first full day written out in ``text`` ("04.07.2016", "8 March 2015"), day first
    for numeric dates, with its time when a clock time and zone stand beside it; a last
    resort when a page has no other date. Two-digit years ("11.10.16") only with
    ``short_years``."""
    return next((stamp for _, stamp in shown_dates(text, short_years=short_years)), None)


def shown_dates(text: str, *, short_years: bool = False) -> Iterator[tuple[int, Stamp]]:
    """Every full day written out in ``text`` (as :func:`first_shown_date` reads one) with
    where it starts."""
    for match, day in _shown(text, short_years=short_years):
        yield match.start(), _printed(text, match, day)


def labelled_date(text: str) -> Stamp | None:
    """The first day printed after a publication label ("Erschienen am: 21.06.2017",
    "Published: 3 March 2020", "Published 11:47 AM EST Feb 3, 2021"), day first for
    numeric dates, with its time when a clock time and zone stand beside it."""
    for match in _LABELLED.finditer(text):
        day = _day_of(match, text)
        if day is not None:
            return _printed(text, match, day)
    return None
