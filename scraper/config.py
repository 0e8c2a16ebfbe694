"""The sources file (TOML): parsed once, at the edge, into frozen typed objects.

A wrong file gets one error that names the file, the line and the key: tomllib reports
syntax errors with a line; for unknown keys, wrong types and bad values we find the key's
line ourselves by scanning the text under its table header.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scraper.errors import ConfigError
from scraper.fetched import FetchSettings
from scraper.urls import InvalidURL, Scope, UrlFilter, canonicalize, host_of
from storage.revisits import RevisitPolicy, parse_duration

DEFAULT_USER_AGENT = "storyline/0.1 (+https://github.com/storyline-archive/storyline)"
SEED_KINDS = ("feeds", "sitemaps", "pages")


@dataclass(frozen=True)
class CrawlConfig:
    """The ``[crawl]`` table: politeness, limits and speed for the whole crawl."""

    delay: float = 1.0
    user_agent: str = DEFAULT_USER_AGENT
    obey_robots: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    #: hosts fetched at the same time (each host gets one connection)
    concurrency: int = 16
    #: extraction processes; 0 means one per CPU
    workers: int = 0
    #: attempts at one URL before it is marked failed (5xx, 429, timeouts, connect errors)
    max_attempts: int = 4
    #: first retry delay in seconds; doubles per consecutive failure of a host
    backoff: float = 5.0
    max_backoff: float = 3600.0
    #: a crawl waits at most this long for retries that come due, then leaves them for the next
    max_wait: float = 60.0
    #: how long a claimed URL stays leased to this worker without a heartbeat
    lease_seconds: float = 300.0
    #: stop after this many page fetches (0 = no limit)
    max_pages: int = 0
    #: how long a robots.txt is trusted before it is fetched again
    robots_ttl: float = 86400.0
    #: seeds (feeds, sitemaps, pages) are fetched again when older than this (seconds)
    seed_interval: float = 0.0

    def fetch_settings(self, allow_private_hosts: frozenset[str] = frozenset()) -> FetchSettings:
        return FetchSettings(
            user_agent=self.user_agent,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            deadline=self.deadline,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            allow_private_hosts=allow_private_hosts,
        )


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[source]]``: where to look for articles and which URLs count as articles."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: hosts the source may fetch from; default: the hosts of its seeds
    hosts: tuple[str, ...] = ()
    #: also read the Sitemap: lines of the seed hosts' robots.txt
    robots_sitemaps: bool = False
    #: extra query parameters to drop when canonicalising this source's URLs
    strip_params: tuple[str, ...] = ()
    #: follow links from section pages to further section pages matching these patterns
    follow: tuple[str, ...] = ()
    #: issue 5: this source's revisit ages (``[source.revisit] after``); None: the file's
    revisit: RevisitPolicy | None = None
    #: issue 5: cron expression for this source's discovery in ``storyline schedule run``
    schedule: str | None = None
    url_filter: UrlFilter = field(default_factory=UrlFilter, compare=False, repr=False)
    follow_filter: UrlFilter = field(default_factory=UrlFilter, compare=False, repr=False)

    @property
    def seeds(self) -> tuple[tuple[str, str], ...]:
        """(url, kind) for every seed; kind is ``feed``, ``sitemap`` or ``page``."""
        return (
            *((u, "feed") for u in self.feeds),
            *((u, "sitemap") for u in self.sitemaps),
            *((u, "page") for u in self.pages),
        )

    @property
    def seed_hosts(self) -> frozenset[str]:
        return frozenset(host_of(url) for url, _ in self.seeds)

    @property
    def scope(self) -> Scope:
        return Scope.of(self.hosts or self.seed_hosts)

    def accepts_article(self, url: str) -> bool:
        """In scope and matching include/exclude."""
        return url in self.scope and self.url_filter(url)

    def follows_page(self, url: str) -> bool:
        return bool(self.follow) and url in self.scope and self.follow_filter(url)


@dataclass(frozen=True)
class ScheduleConfig:
    """Issue 5: the ``[schedule]`` table of ``storyline schedule run`` (seconds)."""

    #: how often the revisit sweep runs
    revisit_every: float = 600.0
    #: how often leases, locks and the like are tidied
    housekeeping_every: float = 3600.0
    #: a run missed by less than this (daemon down, machine asleep) still runs once
    misfire_grace: float = 86400.0
    #: at most this many due articles per sweep
    revisit_batch: int = 500
    #: time zone of the sources' cron expressions
    timezone: str = "UTC"


@dataclass(frozen=True)
class Config:
    crawl: CrawlConfig
    sources: tuple[SourceConfig, ...]
    path: str = "<string>"
    #: issue 5: the file-wide ``[revisit] after`` ages
    revisit: RevisitPolicy = field(default_factory=RevisitPolicy)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)

    def revisit_for(self, source: str | None) -> RevisitPolicy:
        """The revisit policy of a source (its own, else the file's)."""
        for item in self.sources:
            if item.name == source and item.revisit is not None:
                return item.revisit
        return self.revisit

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    @property
    def seed_hosts(self) -> frozenset[str]:
        """Hosts named by seeds: the only ones whose private addresses may be fetched."""
        return frozenset().union(*(s.seed_hosts for s in self.sources))

    def fetch_settings(self) -> FetchSettings:
        return self.crawl.fetch_settings(self.seed_hosts)


# -- parsing ---------------------------------------------------------------------------

_TOP_KEYS = ("crawl", "source", "revisit", "schedule")
_TYPE_OF: dict[str, tuple[type, ...]] = {
    "float": (int, float),
    "int": (int,),
    "bool": (bool,),
    "str": (str,),
}
_CRAWL_TYPES = {f.name: _TYPE_OF[str(f.type)] for f in fields(CrawlConfig)}
_SOURCE_LIST_KEYS = (
    "feeds",
    "sitemaps",
    "pages",
    "include",
    "exclude",
    "hosts",
    "strip_params",
    "follow",
)
_SOURCE_KEYS = ("name", *_SOURCE_LIST_KEYS, "robots_sitemaps", "revisit", "schedule")


class _Locator:
    """Finds the line of a key inside ``[table]`` or the n-th ``[[table]]`` of TOML text."""

    _HEADER = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _table_span(self, table: str | None, index: int | None) -> tuple[int, int]:
        start, seen = 0, -1
        if table is not None:
            start = -1
            for number, line in enumerate(self.lines):
                match = self._HEADER.match(line)
                if match and match.group(2).strip("\"'") == table:
                    seen += 1
                    if index is None or seen == index:
                        start = number
                        break
            if start < 0:
                return 0, 0
        end = len(self.lines)
        for number in range(start + (1 if table is not None else 0), len(self.lines)):
            if self._HEADER.match(self.lines[number]):
                end = number
                break
        return start, end

    def line(
        self, table: str | None, key: str | None = None, index: int | None = None
    ) -> int | None:
        start, end = self._table_span(table, index)
        if key is None:
            return start + 1 if table is not None and end > start else None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start, end):
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1 if table is not None and end > start else None


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.locate = _Locator(text)

    def error(
        self,
        message: str,
        *,
        table: str | None = None,
        key: str | None = None,
        index: int | None = None,
    ) -> ConfigError:
        line = self.locate.line(table, key, index)
        where = f"{self.path}:{line}" if line else self.path
        qualified = ".".join(p for p in (table if index is None else f"{table}[{index}]", key) if p)
        prefix = f"{where}: {qualified}: " if qualified else f"{where}: "
        return ConfigError(prefix + message, path=self.path, line=line, key=key)

    def parse(self) -> Config:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) if match else None
            where = f"{self.path}:{line}" if line else self.path
            raise ConfigError(f"{where}: not valid TOML: {exc}", path=self.path, line=line) from exc
        for key in data:
            if key not in _TOP_KEYS:
                raise self.error(self._unknown(key, _TOP_KEYS, "top-level key"), key=key)
        crawl_data = data.get("crawl", {})
        if not isinstance(crawl_data, dict):
            raise self.error("must be a table ([crawl])", key="crawl")
        crawl = self._crawl(crawl_data)
        sources_data = data.get("source", [])
        if isinstance(sources_data, dict) or not isinstance(sources_data, list):
            raise self.error("must be an array of tables: write [[source]]", key="source")
        if not sources_data:
            raise self.error("no [[source]] tables: name at least one source to crawl")
        sources: list[SourceConfig] = []
        names: set[str] = set()
        for index, item in enumerate(sources_data):
            source = self._source(item, index)
            if source.name in names:
                raise self.error(
                    f"duplicate source name {source.name!r}",
                    table="source",
                    key="name",
                    index=index,
                )
            names.add(source.name)
            sources.append(source)
        return Config(
            crawl=crawl,
            sources=tuple(sources),
            path=self.path,
            revisit=self._revisit(data.get("revisit", {}), "revisit", None) or RevisitPolicy(),
            schedule=self._schedule(data.get("schedule", {})),
        )

    # -- revisits and schedules (issue 5) ------------------------------------------------

    def _revisit(self, raw: Any, table: str, index: int | None) -> RevisitPolicy | None:
        """``[revisit] after = ["1h", "6h", "1d"]`` (or a source's ``revisit`` table)."""
        key = "revisit" if index is not None else "after"
        where: dict[str, Any] = {"table": "source" if index is not None else table, "index": index}
        if not isinstance(raw, dict):
            raise self.error(
                'must be a table: revisit = { after = ["1h", "1d"] }', key=key, **where
            )
        unknown = [k for k in raw if k != "after"]
        if unknown:
            raise self.error(self._unknown(unknown[0], ("after",)), key=key, **where)
        if "after" not in raw:
            return None
        after = raw["after"]
        if not isinstance(after, list) or not all(isinstance(v, str) for v in after):
            raise self.error(
                'must be a list of durations like ["1h", "6h", "1d"]', key=key, **where
            )
        try:
            return RevisitPolicy.parse(after)
        except ValueError as exc:
            raise self.error(str(exc), key=key, **where) from None

    def _schedule(self, raw: Any) -> ScheduleConfig:
        if not isinstance(raw, dict):
            raise self.error("must be a table ([schedule])", key="schedule")
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key in ("revisit_every", "housekeeping_every", "misfire_grace"):
                try:
                    values[key] = parse_duration(str(value)).total_seconds()
                except ValueError as exc:
                    raise self.error(str(exc), table="schedule", key=key) from None
            elif key == "revisit_batch":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise self.error("must be a positive integer", table="schedule", key=key)
                values[key] = value
            elif key == "timezone":
                if not isinstance(value, str) or not value.strip():
                    raise self.error(
                        'must be a time zone name like "Europe/Berlin"', table="schedule", key=key
                    )
                values[key] = value.strip()
            else:
                known = (
                    "revisit_every",
                    "housekeeping_every",
                    "misfire_grace",
                    "revisit_batch",
                    "timezone",
                )
                raise self.error(self._unknown(key, known), table="schedule", key=key)
        return ScheduleConfig(**values)

    def _cron(self, raw: Any, index: int) -> str:
        """A five-field cron expression (minute hour day month weekday), checked."""
        from apscheduler.triggers.cron import CronTrigger

        if not isinstance(raw, str) or len(raw.split()) != 5:
            raise self.error(
                'must be a cron expression with five fields, e.g. "*/30 * * * *"',
                table="source",
                key="schedule",
                index=index,
            )
        try:
            CronTrigger.from_crontab(raw, timezone="UTC")
        except ValueError as exc:
            raise self.error(
                f"bad cron expression {raw!r}: {exc}", table="source", key="schedule", index=index
            ) from None
        return " ".join(raw.split())

    @staticmethod
    def _unknown(key: str, known: tuple[str, ...], what: str = "key") -> str:
        close = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {what} {key!r}{hint}; known keys: {', '.join(known)}"

    def _crawl(self, data: Mapping[str, Any]) -> CrawlConfig:
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in _CRAWL_TYPES:
                raise self.error(self._unknown(key, tuple(_CRAWL_TYPES)), table="crawl", key=key)
            wanted = _CRAWL_TYPES[key]
            if (isinstance(value, bool) and bool not in wanted) or not isinstance(value, wanted):
                kind = {bool: "true or false", int: "an integer", float: "a number"}.get(
                    wanted[-1], "a string"
                )
                raise self.error(f"must be {kind}, not {value!r}", table="crawl", key=key)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise self.error(f"must not be negative, got {value!r}", table="crawl", key=key)
            values[key] = float(value) if float in wanted else value  # type: ignore[arg-type]
        for key in (
            "connect_timeout",
            "read_timeout",
            "deadline",
            "max_bytes",
            "lease_seconds",
            "concurrency",
        ):
            if key in values and values[key] == 0:
                raise self.error("must be greater than 0", table="crawl", key=key)
        if "user_agent" in values and not values["user_agent"].strip():
            raise self.error(
                "must not be empty: say who you are and how to reach you",
                table="crawl",
                key="user_agent",
            )
        return CrawlConfig(**values)

    def _source(self, data: Any, index: int) -> SourceConfig:
        if not isinstance(data, dict):
            raise self.error("each [[source]] must be a table", table="source", index=index)
        for key in data:
            if key not in _SOURCE_KEYS:
                raise self.error(
                    self._unknown(key, _SOURCE_KEYS), table="source", key=key, index=index
                )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(
                'every source needs a non-empty name = "..."',
                table="source",
                key="name",
                index=index,
            )
        values: dict[str, Any] = {"name": name.strip()}
        for key in _SOURCE_LIST_KEYS:
            raw = data.get(key, [])
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                raise self.error("must be a list of strings", table="source", key=key, index=index)
            values[key] = tuple(v.strip() for v in raw if v.strip())
        if "robots_sitemaps" in data:
            if not isinstance(data["robots_sitemaps"], bool):
                raise self.error(
                    "must be true or false", table="source", key="robots_sitemaps", index=index
                )
            values["robots_sitemaps"] = data["robots_sitemaps"]
        for key in SEED_KINDS:
            seeds = []
            for url in values[key]:
                try:
                    seeds.append(canonicalize(url))
                except InvalidURL:
                    raise self.error(
                        f"{url!r} is not an absolute http(s) URL",
                        table="source",
                        key=key,
                        index=index,
                    ) from None
            values[key] = tuple(dict.fromkeys(seeds))
        if not any(values[k] for k in SEED_KINDS):
            raise self.error(
                "a source needs at least one of feeds, sitemaps or pages",
                table="source",
                key="name",
                index=index,
            )
        compiled: dict[str, list[re.Pattern[str]]] = {}
        for key in ("include", "exclude", "follow"):
            compiled[key] = []
            for pattern in values[key]:
                try:
                    compiled[key].append(re.compile(pattern))
                except re.error as exc:
                    raise self.error(
                        f"bad regular expression {pattern!r}: {exc}",
                        table="source",
                        key=key,
                        index=index,
                    ) from None
        if "revisit" in data:
            values["revisit"] = self._revisit(data["revisit"], "source", index)
        if "schedule" in data:
            values["schedule"] = self._cron(data["schedule"], index)
        return SourceConfig(
            **values,
            url_filter=UrlFilter(tuple(compiled["include"]), tuple(compiled["exclude"])),
            follow_filter=UrlFilter(tuple(compiled["follow"]), tuple(compiled["exclude"])),
        )


def parse_config(text: str, path: str = "<string>") -> Config:
    """Parse sources-file text; raises :class:`ConfigError` naming the line and key."""
    return _Parser(text, path).parse()


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and parse a sources file."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such sources file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read: {exc}", path=shown) from exc
    return parse_config(text, shown)
