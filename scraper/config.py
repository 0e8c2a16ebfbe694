"""The sources file (TOML): parsed once, at the edge, into frozen typed objects.

The schema is declared once, on the dataclasses: each field that is a TOML key carries the
:class:`Kind` that checks and converts its value (durations, integers with their range,
time zones, URLs, regular expressions, cron expressions: :mod:`scraper.config_kinds`), so
the known keys, their types and their limits have one home. A wrong file gets one error
naming the file, the line and the key: tomllib reports syntax errors with a line;
:mod:`scraper.config_lines` finds the line of every other key, in sub-tables and dotted
keys too.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import Field, dataclass, field, fields
from pathlib import Path as FilePath
from typing import Any, TypeVar

from scraper.config_kinds import (
    ChangeKinds,
    Cron,
    Flag,
    Integer,
    Kind,
    Nested,
    NotifyUrls,
    Patterns,
    Revisit,
    Seconds,
    Strings,
    Text,
    TimeZone,
    Urls,
    required,
    setting,
    unknown_key,
)
from scraper.config_lines import KeyLines, Path
from scraper.errors import ConfigError
from scraper.fetched import FetchSettings
from scraper.urls import Scope, UrlFilter, host_of
from storage.revisits import RevisitPolicy
from storage.states import ChangeKind

T = TypeVar("T")

DEFAULT_USER_AGENT = "storyline/0.1 (+https://github.com/storyline-archive/storyline)"
SEED_KINDS = ("feeds", "sitemaps", "pages")


# -- the schema: each setting's kind and limits, declared once on its field ---------------


@dataclass(frozen=True)
class CrawlConfig:
    """The ``[crawl]`` table: politeness, limits and speed for the whole crawl (seconds)."""

    delay: float = setting(1.0, Seconds(zero_ok=True))
    user_agent: str = setting(
        DEFAULT_USER_AGENT, Text("must not be empty: say who you are and how to reach you")
    )
    obey_robots: bool = setting(True, Flag())
    connect_timeout: float = setting(10.0, Seconds())
    read_timeout: float = setting(20.0, Seconds())
    deadline: float = setting(60.0, Seconds())
    max_bytes: int = setting(10 * 1024 * 1024, Integer(minimum=1))
    max_redirects: int = setting(5, Integer(minimum=0, maximum=100))
    #: hosts fetched at the same time (each host gets one connection)
    concurrency: int = setting(16, Integer(minimum=1, maximum=10_000))
    #: extraction processes; 0 means one per CPU
    workers: int = setting(0, Integer(minimum=0, maximum=1024))
    #: a worker still extracting one page after this long is killed from the crawler's
    #: process, and the page failed as ``extract-timeout`` (it backs the 10 s bound of
    #: extraction itself, which a parser stuck in one C call does not notice)
    kill_extraction_after: float = setting(20.0, Seconds())
    #: attempts at one URL before it is marked failed (5xx, 429, timeouts, connect errors)
    max_attempts: int = setting(4, Integer(minimum=1, maximum=1000))
    #: first retry delay in seconds; doubles per consecutive failure of a host
    backoff: float = setting(5.0, Seconds(zero_ok=True))
    max_backoff: float = setting(3600.0, Seconds(zero_ok=True))
    #: a crawl waits at most this long for retries that come due, then leaves them for the next
    max_wait: float = setting(60.0, Seconds(zero_ok=True))
    #: how long a claimed URL stays leased to this worker without a heartbeat
    lease_seconds: float = setting(300.0, Seconds())
    #: stop after this many page fetches (0 = no limit)
    max_pages: int = setting(0, Integer(minimum=0))
    #: how long a robots.txt is trusted before it is fetched again
    robots_ttl: float = setting(86400.0, Seconds(zero_ok=True))
    #: seeds (feeds, sitemaps, pages) are fetched again when older than this (seconds)
    seed_interval: float = setting(0.0, Seconds(zero_ok=True))

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

    name: str = required(Text('every source needs a non-empty name = "..."'))
    feeds: tuple[str, ...] = setting((), Urls())
    sitemaps: tuple[str, ...] = setting((), Urls())
    pages: tuple[str, ...] = setting((), Urls())
    include: tuple[str, ...] = setting((), Patterns())
    exclude: tuple[str, ...] = setting((), Patterns())
    #: hosts the source may fetch from; default: the hosts of its seeds
    hosts: tuple[str, ...] = setting((), Strings())
    #: also read the Sitemap: lines of the seed hosts' robots.txt
    robots_sitemaps: bool = setting(False, Flag())
    #: extra query parameters to drop when canonicalising this source's URLs
    strip_params: tuple[str, ...] = setting((), Strings())
    #: follow links from section pages to further section pages matching these patterns
    follow: tuple[str, ...] = setting((), Patterns())
    #: this source's revisit ages (``revisit = { after = [...] }``); None: the file's
    revisit: RevisitPolicy | None = setting(None, Revisit())  # noqa: RUF009
    #: cron expression for this source's discovery in ``storyline schedule run``
    schedule: str | None = setting(None, Cron())
    url_filter: UrlFilter = field(default_factory=UrlFilter, compare=False, repr=False)
    follow_filter: UrlFilter = field(default_factory=UrlFilter, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The filters follow from the patterns; built here so every SourceConfig has them.
        if not self.url_filter.include and not self.url_filter.exclude:
            include = tuple(re.compile(p) for p in self.include)
            exclude = tuple(re.compile(p) for p in self.exclude)
            object.__setattr__(self, "url_filter", UrlFilter(include, exclude))
            follow = tuple(re.compile(p) for p in self.follow)
            object.__setattr__(self, "follow_filter", UrlFilter(follow, exclude))

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
    """The ``[schedule]`` table of ``storyline schedule run`` (durations in seconds)."""

    #: how often the revisit sweep runs
    revisit_every: float = setting(600.0, Seconds())
    #: how often leases, locks and the like are tidied
    housekeeping_every: float = setting(3600.0, Seconds())
    #: a run missed by less than this (daemon down, machine asleep) still runs once
    misfire_grace: float = setting(86400.0, Seconds())
    #: at most this many due articles per sweep
    revisit_batch: int = setting(500, Integer(minimum=1))
    #: time zone of the sources' cron expressions
    timezone: str = setting("UTC", TimeZone())


@dataclass(frozen=True)
class NotifyConfig:
    """The ``[notify]`` table: where to send a message about each changed article (issue 13).

    ``sources`` and ``kinds`` narrow what is sent (empty: every source, every kind of
    change; a new article only when ``kinds`` names ``new``). A message not delivered is
    tried again after later crawls, at most ``attempts`` times in all.
    """

    urls: tuple[str, ...] = setting((), NotifyUrls())
    sources: tuple[str, ...] = setting((), Strings())
    kinds: frozenset[ChangeKind] = setting(frozenset(), ChangeKinds())
    #: connect and read timeout of one message, each (Apprise's ``cto``/``rto``)
    timeout: float = setting(10.0, Seconds())
    #: tries per message before it is marked failed
    attempts: int = setting(5, Integer(minimum=1, maximum=1000))
    #: at most this long spent sending after one crawl; the rest waits for the next
    budget: float = setting(60.0, Seconds())


@dataclass(frozen=True)
class Config:
    crawl: CrawlConfig
    sources: tuple[SourceConfig, ...]
    path: str = "<string>"
    #: issue 5: the file-wide ``[revisit] after`` ages
    revisit: RevisitPolicy = field(default_factory=RevisitPolicy)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)

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


# -- parsing: the declared schema applied to the TOML data --------------------------


def _keys(cls: type) -> dict[str, Field[Any]]:
    """The TOML keys of a config class: its fields that declare a :class:`Kind`."""
    return {f.name: f for f in fields(cls) if "kind" in f.metadata}


_TABLES = ("crawl", "source", "revisit", "schedule", "notify")


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = KeyLines(text)

    def error(self, message: str, at: Path = ()) -> ConfigError:
        line = self.lines.line(at) if at else None
        where = f"{self.path}:{line}" if line else self.path
        shown = ""
        for part in at:
            shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else part)
        prefix = f"{where}: {shown}: " if shown else f"{where}: "
        key = next((p for p in reversed(at) if isinstance(p, str)), None)
        return ConfigError(prefix + message, path=self.path, line=line, key=key)

    def build(self, cls: type[T], data: Any, at: Path) -> T:
        """An instance of ``cls`` from a TOML table, each key checked by its field's Kind."""
        if not isinstance(data, dict):
            raise self.error(f"must be a table ([{'.'.join(map(str, at))}])", at)
        declared = _keys(cls)
        values: dict[str, Any] = {}
        for key, raw in data.items():
            spec = declared.get(key)
            if spec is None:
                raise self.error(unknown_key(key, declared), (*at, key))
            try:
                values[key] = spec.metadata["kind"](raw)
            except Nested as exc:
                raise self.error(str(exc), (*at, key, exc.key)) from None
            except ValueError as exc:
                raise self.error(str(exc), (*at, key)) from None
        for name, spec in declared.items():
            if spec.metadata.get("required") and name not in values:
                try:
                    spec.metadata["kind"]("")  # its message for an empty value says what to write
                except ValueError as exc:
                    raise self.error(str(exc), (*at, name)) from None
                raise self.error(f"{name} is required", (*at, name))
        return cls(**values)

    def parse(self) -> Config:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) if match else None
            where = f"{self.path}:{line}" if line else self.path
            raise ConfigError(f"{where}: not valid TOML: {exc}", path=self.path, line=line) from exc
        for key in data:
            if key not in _TABLES:
                raise self.error(unknown_key(key, _TABLES, "table"), (key,))
        crawl = self.build(CrawlConfig, data.get("crawl", {}), ("crawl",))
        sources_data = data.get("source", [])
        if not isinstance(sources_data, list):
            raise self.error("must be an array of tables: write [[source]]", ("source",))
        if not sources_data:
            raise self.error("no [[source]] tables: name at least one source to crawl")
        sources: list[SourceConfig] = []
        for index, item in enumerate(sources_data):
            source = self.build(SourceConfig, item, ("source", index))
            if not source.seeds:
                raise self.error(
                    "a source needs at least one of feeds, sitemaps or pages",
                    ("source", index, "name"),
                )
            if any(source.name == other.name for other in sources):
                raise self.error(
                    f"duplicate source name {source.name!r}", ("source", index, "name")
                )
            sources.append(source)
        revisit = RevisitPolicy()
        if "revisit" in data:
            try:
                revisit = Revisit()(data["revisit"]) or revisit
            except Nested as exc:
                raise self.error(str(exc), ("revisit", exc.key)) from None
            except ValueError as exc:
                raise self.error(str(exc), ("revisit",)) from None
        return Config(
            crawl=crawl,
            sources=tuple(sources),
            path=self.path,
            revisit=revisit,
            schedule=self.build(ScheduleConfig, data.get("schedule", {}), ("schedule",)),
            notify=self.notify(data.get("notify", {}), sources),
        )

    def notify(self, data: Any, sources: list[SourceConfig]) -> NotifyConfig:
        """The ``[notify]`` table; its ``sources`` must name sources of this file."""
        notify = self.build(NotifyConfig, data, ("notify",))
        names = [source.name for source in sources]
        for name in notify.sources:
            if name not in names:
                raise self.error(unknown_key(name, names, "source"), ("notify", "sources"))
        return notify


def parse_config(text: str, path: str = "<string>") -> Config:
    """Parse sources-file text; raises :class:`ConfigError` naming the line and key."""
    return _Parser(text, path).parse()


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and parse a sources file."""
    shown = str(path)
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such sources file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read: {exc}", path=shown) from exc
    return parse_config(text, shown)


__all__ = [
    "DEFAULT_USER_AGENT",
    "SEED_KINDS",
    "ChangeKinds",
    "Config",
    "CrawlConfig",
    "Cron",
    "Flag",
    "Integer",
    "Kind",
    "Nested",
    "NotifyConfig",
    "NotifyUrls",
    "Patterns",
    "Revisit",
    "ScheduleConfig",
    "Seconds",
    "SourceConfig",
    "Strings",
    "Text",
    "TimeZone",
    "Urls",
    "load_config",
    "parse_config",
    "required",
    "setting",
    "unknown_key",
]
