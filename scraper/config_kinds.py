"""The kinds of value a sources-file key holds, each checking and converting its TOML value.

A config field declares its kind with :func:`setting` (or :func:`required`); the parser in
:mod:`scraper.config` calls it on the key's value. A kind raises ValueError with the reason,
or :class:`Nested` for a key inside a table-valued setting.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.urls import InvalidURL, canonicalize
from storage.revisits import RevisitPolicy, parse_duration
from storage.states import ChangeKind


class Nested(ValueError):
    """A problem with ``key`` inside a table-valued setting (the error points at it)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def unknown_key(key: str, known: Iterable[str], what: str = "key") -> str:
    names = tuple(known)
    close = difflib.get_close_matches(key, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {key!r}{hint}; known: {', '.join(names)}"


class Kind:
    """How one key's TOML value is checked and converted; raises ValueError with the reason."""

    def __call__(self, value: Any) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Seconds(Kind):
    """A duration: a number of seconds, or a string with a unit (``"90s"``, ``"10m"``, ``"6h"``)."""

    zero_ok: bool = False

    def __call__(self, value: Any) -> float:
        if not isinstance(value, int | float | str) or isinstance(value, bool):
            raise ValueError(f'must be seconds or a duration like "10m", not {value!r}')
        if isinstance(value, int | float) and value <= 0:
            if value == 0 and self.zero_ok:
                return 0.0
            raise ValueError(
                f"must not be negative, got {value!r}"
                if value < 0 or self.zero_ok
                else f"must be greater than 0, got {value!r}"
            )
        if self.zero_ok and value in ("0", "0s"):
            return 0.0
        return parse_duration(value).total_seconds()


@dataclass(frozen=True)
class Integer(Kind):
    minimum: int = 0
    maximum: int | None = None

    def __call__(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be an integer, not {value!r}")
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            top = f" and at most {self.maximum}" if self.maximum is not None else ""
            raise ValueError(f"must be at least {self.minimum}{top}, got {value!r}")
        return value


@dataclass(frozen=True)
class Flag(Kind):
    def __call__(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {value!r}")
        return value


@dataclass(frozen=True)
class Text(Kind):
    empty_hint: str = "must not be empty"

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {value!r}")
        if not value.strip():
            raise ValueError(self.empty_hint)
        return value.strip()


@dataclass(frozen=True)
class TimeZone(Kind):
    def __call__(self, value: Any) -> str:
        name = Text('must be a time zone name like "Europe/Berlin"')(value)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f'unknown time zone {name!r}: use an IANA name like "Europe/Berlin" or "UTC"'
            ) from None
        return name


@dataclass(frozen=True)
class Strings(Kind):
    """A list of strings (a single string is a list of one); blanks dropped."""

    def __call__(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        return tuple(v.strip() for v in value if v.strip())


@dataclass(frozen=True)
class Urls(Strings):
    """Seed URLs: absolute http(s), canonicalised, duplicates dropped."""

    def __call__(self, value: Any) -> tuple[str, ...]:
        seeds = []
        for url in super().__call__(value):
            try:
                seeds.append(canonicalize(url))
            except InvalidURL:
                raise ValueError(f"{url!r} is not an absolute http(s) URL") from None
        return tuple(dict.fromkeys(seeds))


@dataclass(frozen=True)
class Patterns(Strings):
    """Regular expressions, compiled once here so a bad one is a config error."""

    def __call__(self, value: Any) -> tuple[str, ...]:
        patterns = super().__call__(value)
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return patterns


@dataclass(frozen=True)
class Cron(Kind):
    """A five-field cron expression (minute hour day month weekday)."""

    def __call__(self, value: Any) -> str:
        from apscheduler.triggers.cron import CronTrigger

        if not isinstance(value, str) or len(value.split()) != 5:
            raise ValueError('must be a cron expression with five fields, e.g. "*/30 * * * *"')
        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"bad cron expression {value!r}: {exc}") from None
        return " ".join(value.split())


@dataclass(frozen=True)
class NotifyUrls(Strings):
    """Apprise URLs (``json://host/path``, ``mailto://…``, ``slack://…``): ``scheme://…``.

    Only their form is checked here (Apprise itself is loaded when a message is sent, and
    says then whether it knows the service); duplicates are dropped.
    """

    def __call__(self, value: Any) -> tuple[str, ...]:
        urls = super().__call__(value)
        for url in urls:
            if not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", url, re.IGNORECASE):
                raise ValueError(
                    'must be Apprise URLs like "json://127.0.0.1:8999/hook" or '
                    f'"mailto://user:password@example.org", not {url!r}'
                )
        return tuple(dict.fromkeys(urls))


@dataclass(frozen=True)
class ChangeKinds(Kind):
    """Kinds of change (``headline``, ``byline``, ``body``, ``correction``, …)."""

    def __call__(self, value: Any) -> frozenset[ChangeKind]:
        known = [str(kind) for kind in ChangeKind]
        kinds = set()
        for name in Strings()(value):
            if name not in known:
                raise ValueError(unknown_key(name, known, "kind of change"))
            kinds.add(ChangeKind(name))
        return frozenset(kinds)


@dataclass(frozen=True)
class Revisit(Kind):
    """``revisit = { after = ["1h", "6h", "1d"] }`` or a ``[revisit]`` table."""

    def __call__(self, value: Any) -> RevisitPolicy | None:
        if not isinstance(value, dict):
            raise ValueError('must be a table: revisit = { after = ["1h", "1d"] }')
        unknown = [k for k in value if k != "after"]
        if unknown:
            raise Nested(unknown[0], unknown_key(unknown[0], ("after",)))
        if "after" not in value:
            return None
        after = value["after"]
        if not isinstance(after, list) or not all(isinstance(v, str | int | float) for v in after):
            raise Nested("after", 'must be a list of durations like ["1h", "6h", "1d"]')
        try:
            return RevisitPolicy.parse(after)
        except ValueError as exc:
            raise Nested("after", str(exc)) from None


def setting(default: Any, kind: Kind, doc: str = "") -> Any:
    """A config field: its default and the :class:`Kind` that checks the TOML value."""
    return field(default=default, metadata={"kind": kind, "doc": doc})


def required(kind: Kind) -> Any:
    return field(metadata={"kind": kind, "required": True})
