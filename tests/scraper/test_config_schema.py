"""The declared schema: durations read one way everywhere, limits checked at load, and
every error at the line that caused it (sub-tables, dotted keys, unknown tables)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from scraper.config import CrawlConfig, ScheduleConfig, SourceConfig, parse_config
from scraper.config_lines import KeyLines
from scraper.errors import ConfigError

SOURCE = '[[source]]\nname = "a"\npages = ["http://a.example/"]\n'


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "s.toml")
    return info.value


@pytest.mark.parametrize("value", ["600", "600.0", '"600"', '"600.0"', '"10m"', '"600s"'])
@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("schedule", "revisit_every"),
        ("schedule", "housekeeping_every"),
        ("schedule", "misfire_grace"),
        ("crawl", "robots_ttl"),
        ("crawl", "deadline"),
        ("crawl", "max_backoff"),
    ],
)
def test_a_duration_reads_the_same_in_every_table(table: str, key: str, value: str) -> None:
    config = parse_config(f"[{table}]\n{key} = {value}\n{SOURCE}")
    assert getattr(getattr(config, table), key) == 600.0


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("delay = nan", "not a duration"),
        ("deadline = nan", "not a duration"),
        ("deadline = inf", "not a duration"),
        ("max_wait = -inf", "negative"),
        ('robots_ttl = "1e15s"', "not a duration"),
        ("lease_seconds = 1e15", "at most 3650d"),
        ("concurrency = 0", "at least 1"),
        ("max_redirects = 1000", "at most 100"),
    ],
)
def test_nan_inf_and_ranges_are_refused_at_load(line: str, fragment: str) -> None:
    err = error_of(f"# settings\n[crawl]\n{line}\n{SOURCE}")
    assert fragment in str(err)
    assert err.line == 3
    assert str(err).startswith(f"s.toml:3: crawl.{line.split()[0]}: ")


def test_an_unknown_time_zone_is_refused_with_its_line() -> None:
    err = error_of(f'{SOURCE}\n[schedule]\nrevisit_batch = 10\ntimezone = "Mars/Phobos"\n')
    assert err.line == 7
    assert "unknown time zone 'Mars/Phobos'" in str(err)
    config = parse_config(f'{SOURCE}[schedule]\ntimezone = "Europe/Berlin"\n')
    assert config.schedule.timezone == "Europe/Berlin"


def test_errors_in_a_source_revisit_subtable_name_its_line() -> None:
    text = (
        '[[source]]\nname = "a"\npages = ["http://a.example/"]\n\n'
        '[[source]]\nname = "b"\npages = ["http://b.example/"]\n'
        '\n[source.revisit]\nafter = ["1h", "soon"]\n'
    )
    err = error_of(text)
    assert err.line == 10
    assert str(err).startswith("s.toml:10: source[1].revisit.after: ")
    assert "soon" in str(err)


def test_errors_in_dotted_keys_name_their_line() -> None:
    text = '[[source]]\nname = "a"\npages = ["http://a.example/"]\nrevisit.after = ["2h", "1h"]\n'
    err = error_of(text)
    assert err.line == 4
    assert "increasing" in str(err)
    unknown = error_of(
        '[[source]]\nname = "a"\npages = ["http://a.example/"]\nrevisit.every = ["1h"]\n'
    )
    assert unknown.line == 4 and "unknown key 'every'" in str(unknown)


def test_an_unknown_top_level_table_names_its_line() -> None:
    err = error_of(f"{SOURCE}\n[crawler]\ndelay = 1\n")
    assert err.line == 5
    assert str(err).startswith("s.toml:5: crawler: unknown table 'crawler' (did you mean 'crawl'?)")


def test_a_key_after_a_multiline_array_is_found() -> None:
    text = '[[source]]\nname = "a"\npages = [\n  "http://a.example/",\n  "http://a.example/x",\n]\nfollow = ["("]\n'
    err = error_of(text)
    assert err.line == 7 and "bad regular expression" in str(err)


def test_the_known_keys_are_the_declared_fields() -> None:
    """One declaration: the unknown-key message lists exactly the dataclass's settings."""
    for cls, table in ((CrawlConfig, "crawl"), (ScheduleConfig, "schedule")):
        err = error_of(f"[{table}]\nnonsense = 1\n{SOURCE}")
        listed = str(err).split("known: ", 1)[1].split(", ")
        assert listed == [f.name for f in fields(cls)]
    err = error_of('[[source]]\nname = "a"\npages = ["http://a.example/"]\nnonsense = 1\n')
    listed = str(err).split("known: ", 1)[1].split(", ")
    assert listed == [f.name for f in fields(SourceConfig) if not f.name.endswith("_filter")]


def test_key_lines_map_headers_arrays_and_inline_tables() -> None:
    lines = KeyLines(
        "[crawl]\ndelay = 1\n\n[[source]]\nname = 'a'\nrevisit = { after = ['1h'] }\n"
        "[[source]]\nname = 'b'\n[source.revisit]\nafter = ['2h']\n"
    )
    assert lines.line(("crawl", "delay")) == 2
    assert lines.line(("source", 0, "revisit", "after")) == 6
    assert lines.line(("source", 1, "name")) == 8
    assert lines.line(("source", 1, "revisit", "after")) == 10
    assert lines.line(("source", 1, "unknown")) == 7
