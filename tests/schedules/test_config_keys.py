"""The sources file's revisit and schedule keys (parsed by scraper.config)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scraper.config import parse_config
from scraper.errors import ConfigError
from storage.revisits import RevisitPolicy

TEXT = """
[revisit]
after = ["1h", "6h", "1d"]

[schedule]
revisit_every = "5m"
misfire_grace = "2h"

[[source]]
name = "fast"
feeds = ["http://127.0.0.2:8000/feed.xml"]
schedule = "*/30 * * * *"
revisit = { after = ["30m", "2h"] }

[[source]]
name = "slow"
pages = ["http://127.0.0.3:8000/news/"]
"""


def test_revisit_and_schedule_keys() -> None:
    config = parse_config(TEXT, "sources.toml")
    assert config.revisit == RevisitPolicy.parse(["1h", "6h", "1d"])
    assert config.revisit_for("fast").after == (timedelta(minutes=30), timedelta(hours=2))
    assert config.revisit_for("slow") is config.revisit
    assert config.revisit_for(None) is config.revisit
    assert config.source("fast").schedule == "*/30 * * * *"
    assert config.source("slow").schedule is None
    assert config.schedule.revisit_every == 300
    assert config.schedule.misfire_grace == 7200
    assert config.schedule.housekeeping_every == 3600


def test_defaults_without_the_keys() -> None:
    config = parse_config('[[source]]\nname = "x"\nfeeds = ["http://127.0.0.2/f"]\n')
    assert config.revisit == RevisitPolicy()
    assert config.schedule.revisit_every == 600


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        (
            '[revisit]\nafter = ["6h", "1h"]\n',
            "sources.toml:2: revisit.after: revisit ages must be strictly increasing",
        ),
        ('[revisit]\nafter = ["soon"]\n', "sources.toml:2: revisit.after: not a duration"),
        ('[revisit]\nbefore = ["1h"]\n', "unknown key 'before'"),
        (
            '[schedule]\nrevisit_every = "fast"\n',
            "sources.toml:2: schedule.revisit_every: not a duration",
        ),
        ('[schedule]\nrevisit_evry = "5m"\n', "did you mean 'revisit_every'?"),
    ],
)
def test_bad_values_name_line_and_key(snippet: str, message: str) -> None:
    text = snippet + '[[source]]\nname = "x"\nfeeds = ["http://127.0.0.2/f"]\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.toml")
    assert message in str(caught.value)


def test_bad_cron_names_the_source_line() -> None:
    text = '[[source]]\nname = "x"\nfeeds = ["http://127.0.0.2/f"]\nschedule = "*/30 * * *"\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.toml")
    assert str(caught.value).startswith("sources.toml:4: source[0].schedule: must be a cron")
    text = text.replace('"*/30 * * *"', '"61 * * * *"')
    with pytest.raises(ConfigError, match="bad cron expression"):
        parse_config(text, "sources.toml")
