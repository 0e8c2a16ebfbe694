"""The sources file: a good one parses into typed objects, a bad one names line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import CrawlConfig, load_config, parse_config
from scraper.errors import ConfigError

GOOD = """\
[crawl]
delay = 1.5
user_agent = "storyline/0.1 (+https://example.org/contact)"
max_bytes = 5000000
obey_robots = true

[[source]]
name = "example"
feeds = ["https://Example.com/feed/"]
sitemaps = ["https://example.com/sitemap.xml"]
pages = ["https://example.com/news/"]
include = ['/news/[a-z0-9-]+-[0-9]+$']
exclude = ['/tag/']

[[source]]
name = "other"
pages = ["https://other.example/world/"]
hosts = ["other.example", "*.cdn.other.example"]
"""


def test_good_file_parses(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text(GOOD)
    config = load_config(path)
    assert config.crawl.delay == 1.5
    assert config.crawl.max_bytes == 5_000_000
    assert config.crawl.concurrency == CrawlConfig().concurrency
    first, second = config.sources
    assert first.name == "example"
    assert first.feeds == ("https://example.com/feed/",)
    assert first.seeds[0] == ("https://example.com/feed/", "feed")
    assert first.accepts_article("https://example.com/news/big-story-12")
    assert not first.accepts_article("https://example.com/tag/news/big-story-12")
    assert not first.accepts_article("https://elsewhere.org/news/big-story-12")
    assert second.accepts_article("https://img.cdn.other.example/x")
    assert config.seed_hosts == {"example.com", "other.example"}
    settings = config.fetch_settings()
    assert settings.user_agent.startswith("storyline/0.1")
    assert settings.allow_private_hosts == {"example.com", "other.example"}


def test_defaults_without_crawl_table() -> None:
    config = parse_config('[[source]]\nname = "a"\nfeeds = ["http://a.example/rss"]\n')
    assert config.crawl == CrawlConfig()
    assert config.crawl.obey_robots is True
    assert config.crawl.delay >= 1.0


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "sources.toml")
    return info.value


def test_unknown_key_names_line_and_key_with_a_hint() -> None:
    text = GOOD.replace(
        'pages = ["https://other.example/world/"]',
        'pages = ["https://other.example/world/"]\nfeds = []',
    )
    err = error_of(text)
    assert err.line == 18
    assert err.key == "feds"
    assert str(err).startswith("sources.toml:18: source[1].feds: unknown key 'feds'")
    assert "did you mean 'feeds'" in str(err)


def test_wrong_type_in_crawl_table() -> None:
    err = error_of(
        '[crawl]\nuser_agent = "x"\ndelay = "fast"\n[[source]]\nname="a"\npages=["http://a.example/"]\n'
    )
    assert err.line == 3 and err.key == "delay"
    assert "not a duration: 'fast'" in str(err)


def test_unknown_crawl_key() -> None:
    err = error_of(
        '[crawl]\n\n\nconcurency = 4\n[[source]]\nname="a"\npages=["http://a.example/"]\n'
    )
    assert err.line == 4 and "did you mean 'concurrency'" in str(err)


def test_syntax_error_has_line() -> None:
    err = error_of('[crawl]\ndelay = 1.0\n[[source]\nname = "a"\n')
    assert err.line == 3
    assert str(err).startswith("sources.toml:3:")


@pytest.mark.parametrize(
    ("snippet", "key", "fragment"),
    [
        ('name = "a"\nfeeds = ["not a url"]', "feeds", "not an absolute http(s) URL"),
        (
            'name = "a"\npages = ["http://a.example/"]\ninclude = ["(unclosed"]',
            "include",
            "bad regular expression",
        ),
        ('name = "a"', "name", "at least one of feeds, sitemaps or pages"),
        ('pages = ["http://a.example/"]', "name", "needs a non-empty name"),
        ('name = "a"\nfeeds = "http://a.example/rss"\nhosts = [1, 2]', "hosts", "list of strings"),
        (
            'name = "a"\npages = ["http://a.example/"]\nrobots_sitemaps = "yes"',
            "robots_sitemaps",
            "true or false",
        ),
    ],
)
def test_bad_source_values(snippet: str, key: str, fragment: str) -> None:
    err = error_of("[crawl]\ndelay = 1\n\n[[source]]\n" + snippet + "\n")
    assert err.key == key
    assert fragment in str(err)
    assert err.line is not None and err.line >= 4


def test_negative_and_zero_numbers_are_refused() -> None:
    assert "negative" in str(
        error_of('[crawl]\ndelay = -1\n[[source]]\nname="a"\npages=["http://a.example/"]\n')
    )
    assert "greater than 0" in str(
        error_of('[crawl]\ndeadline = 0\n[[source]]\nname="a"\npages=["http://a.example/"]\n')
    )


def test_duplicate_source_names_point_at_the_second() -> None:
    text = '[[source]]\nname="a"\npages=["http://a.example/"]\n\n[[source]]\nname="a"\npages=["http://b.example/"]\n'
    err = error_of(text)
    assert err.line == 6 and "duplicate" in str(err)


def test_no_sources_is_an_error() -> None:
    assert "no [[source]]" in str(error_of("[crawl]\ndelay = 1\n"))


def test_unknown_top_level_table() -> None:
    err = error_of('[crawler]\ndelay = 1\n[[source]]\nname="a"\npages=["http://a.example/"]\n')
    assert err.key == "crawler" and "did you mean 'crawl'" in str(err)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such sources file"):
        load_config(tmp_path / "nope.toml")
