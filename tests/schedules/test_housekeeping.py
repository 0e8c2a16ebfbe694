"""Housekeeping: stale leases and locks go, one-off boilerplate candidates are forgotten."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from schedules.jobs import BOILERPLATE_FORGET_AFTER, JobContext, housekeeping
from scraper.config import parse_config
from storage import boilerplate
from storage.models import BoilerplateLine
from tests.schedules.conftest import WalkingClock


def test_housekeeping_forgets_old_one_off_boilerplate_candidates(
    engine: Engine, clock: WalkingClock
) -> None:
    start = clock()
    with Session(engine) as session, session.begin():
        for n in range(3):
            lines = [
                ("template", "Follow the harbour desk"),
                (f"own-{n}", f"A line of article {n}"),
            ]
            boilerplate.record_page(session, "news.example", lines, start)
    clock.advance(BOILERPLATE_FORGET_AFTER + timedelta(days=1))
    with Session(engine) as session, session.begin():
        boilerplate.record_page(session, "news.example", [("fresh", "A line seen today")], clock())
    config = parse_config('[[source]]\nname = "x"\nfeeds = ["https://news.example/feed"]\n')
    result = housekeeping(JobContext(engine=engine, config=config, clock=clock))
    assert result["boilerplate_pruned"] == 3
    with Session(engine) as session:
        kept = set(session.scalars(select(BoilerplateLine.key)))
    assert kept == {"template", "fresh"}
