"""Notifications (issue 13, item 4): real crawls of a loopback site, real Apprise ``json://``
messages to a loopback webhook receiver that records every POST.

One message per changed article, none for unchanged or new ones; the [notify] filters;
a failing receiver (500, then down) never fails the crawl, keeps the outbox pending and is
retried on the next run; attempts are bounded; no secret of the URL reaches the log.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from schedules.jobs import JobContext, discover_source, revisit_sweep
from schedules.notify import deliver, notify_crawl, target_label
from scraper.config import parse_config
from scraper.errors import ConfigError
from storage.models import Notification
from storage.runs import list_runs
from storage.states import ChangeKind
from tests.httpserver import HTTPTestServer
from tests.schedules.conftest import WalkingClock
from tests.schedules.site import NewsSite, Story, config_text

H = timedelta(hours=1)
NOTE = "Correction: An earlier version of this article misstated how long the bridge will close."


class Receiver:
    """A webhook on loopback: records each POSTed JSON body; answers ``status``."""

    def __init__(self, host: str = "127.0.0.4") -> None:
        self.host = host
        self.status = 200
        #: seconds each answer takes (a slow service)
        self.delay = 0.0
        self.posts: list[dict[str, Any]] = []
        self.port = 0
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                owner.posts.append(json.loads(self.rfile.read(length) or b"{}"))
                time.sleep(owner.delay)
                self.send_response(owner.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self, secret: str = "") -> str:
        auth = f"editor:{secret}@" if secret else ""
        return f"json://{auth}{self.host}:{self.port}/hooks/{secret or 'desk'}"

    def titles(self) -> list[str]:
        return sorted(post["title"] for post in self.posts)


def running_receiver() -> Iterator[Receiver]:
    """A started :class:`Receiver`, stopped afterwards (the body of a fixture)."""
    hook = Receiver()
    hook.start()
    yield hook
    hook.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from running_receiver()


def notify_config(site: NewsSite, notify: str, *, extra_source: str = "") -> Any:
    text = config_text(site, extra=f"[notify]\n{notify}\n") + extra_source
    return parse_config(text, "herald.toml")


def three_stories(site: NewsSite) -> tuple[str, str, str]:
    site.add(Story("bridge", "Harbour bridge to close for repairs"))
    site.add(Story("budget", "Council agrees next year's budget"))
    site.add(Story("tram", "Tram drivers walk out over pay"))
    return site.url("bridge"), site.url("budget"), site.url("tram")


def outbox(engine: Engine) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Notification.state, Notification.attempts).order_by(Notification.id)
        )
        return [(row.state, row.attempts) for row in rows]


def test_one_message_per_changed_article_and_none_for_the_rest(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bridge, budget, _tram = three_stories(site)
    ctx = make_context(notify_config(site, f'urls = ["{receiver.url()}"]'))

    first = discover_source(ctx, "herald")
    assert first["new_articles"] == 3
    assert receiver.posts == []  # new articles are not changes
    assert first["notifications"]["queued"] == 0

    site.edit("bridge", headline="Harbour bridge closes for nine months")
    site.edit("budget", note=NOTE)
    site.edit("tram", minutes_ago=45)  # noise: no version, no message
    clock.advance(H)
    with caplog.at_level(logging.INFO, logger="schedules.jobs"):
        second = revisit_sweep(ctx)
    assert second["new_versions"] == 2 and second["unchanged"] == 1
    assert receiver.titles() == [
        "Changed: Council agrees next year's budget",
        "Changed: Harbour bridge closes for nine months",
    ]
    by_title = {post["title"]: post["message"] for post in receiver.posts}
    headline = by_title["Changed: Harbour bridge closes for nine months"].splitlines()
    assert headline[1] == bridge and headline[2] == "headline"
    correction = by_title["Changed: Council agrees next year's budget"]
    assert budget in correction.splitlines()
    assert f"correction note: “{NOTE}”" in correction.splitlines()
    assert second["notifications"] == {
        "queued": 2,
        "sent": 2,
        "failed": 0,
        "gave_up": 0,
        "pending": 0,
    }
    assert outbox(engine) == [("sent", 1), ("sent", 1)]

    # The daemon's log line names the articles that changed, and how.
    done = [r.getMessage() for r in caplog.records if "revisit sweep done" in r.getMessage()]
    assert len(done) == 1
    assert f"changed: {bridge} (headline" in done[0] and budget in done[0]
    with Session(engine) as session:
        assert list_runs(session)[0].counts["notify_sent"] == 2

    # Nothing new: nothing sent again (the outbox remembers what went).
    clock.advance(3 * H)
    revisit_sweep(ctx)
    assert len(receiver.posts) == 2


def test_filters_by_kind_and_source_and_new_on_request(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
) -> None:
    three_stories(site)
    with HTTPTestServer("127.0.0.3") as server:
        gazette = NewsSite(server)
        gazette.add(Story("ferry", "Ferry timetable cut for winter"))
        second_source = f'\n[[source]]\nname = "gazette"\nfeeds = ["{gazette.feed_url}"]\n'
        url = receiver.url()
        kinds = make_context(
            notify_config(
                site, f'urls = ["{url}"]\nkinds = ["correction", "new"]', extra_source=second_source
            )
        )
        discover_source(kinds, "herald")
        discover_source(kinds, "gazette")
        # kinds = ["new", …]: the four new articles each get a message
        assert receiver.titles() == [
            "New: Council agrees next year's budget",
            "New: Ferry timetable cut for winter",
            "New: Harbour bridge to close for repairs",
            "New: Tram drivers walk out over pay",
        ]
        receiver.posts.clear()

        site.edit("bridge", headline="Harbour bridge closes for nine months")
        site.edit("budget", note=NOTE)
        clock.advance(H)
        revisit_sweep(kinds)
        assert receiver.titles() == ["Changed: Council agrees next year's budget"]
        receiver.posts.clear()

        sources = make_context(
            notify_config(
                site, f'urls = ["{url}"]\nsources = ["gazette"]', extra_source=second_source
            )
        )
        site.edit("tram", headline="Tram drivers end their strike")
        gazette.edit("ferry", headline="Ferry timetable restored")
        clock.advance(3 * H)
        revisit_sweep(sources)
        assert receiver.titles() == ["Changed: Ferry timetable restored"]


def test_a_failing_receiver_never_fails_the_crawl_and_is_retried_next_run(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bridge, _budget, _tram = three_stories(site)
    secret = "s3cretT0ken"
    ctx = make_context(notify_config(site, f'urls = ["{receiver.url(secret)}"]\nattempts = 4'))
    discover_source(ctx, "herald")

    receiver.status = 500
    site.edit("bridge", headline="Harbour bridge closes for nine months")
    clock.advance(H)
    with caplog.at_level(logging.INFO):
        result = revisit_sweep(ctx)
    assert result["new_versions"] == 1
    assert result["notifications"]["failed"] == 1 and result["notifications"]["pending"] == 1
    assert len(receiver.posts) == 1  # tried once
    assert outbox(engine) == [("pending", 1)]
    with Session(engine) as session:
        assert list_runs(session)[0].exit_code == 0
        error = session.scalar(select(Notification.last_error))
    assert error is not None and "error=500" in error
    warned = [r.getMessage() for r in caplog.records if r.name == "schedules.notify"]
    assert len(warned) == 1 and len(warned[0].splitlines()) == 1
    assert warned[0].startswith(f"notify json://127.0.0.4:{receiver.port}: not delivered")
    assert "attempt 1 of 4" in warned[0]
    assert secret not in caplog.text and secret not in error

    # The receiver is down: still pending, a second attempt counted.
    receiver.stop()
    clock.advance(H)
    revisit_sweep(ctx)
    assert outbox(engine) == [("pending", 2)]

    # Back up: the next run delivers the change, once.
    receiver.status = 200
    receiver.start()
    receiver.posts.clear()
    clock.advance(H)
    revisit_sweep(ctx)
    assert [post["title"] for post in receiver.posts] == [
        "Changed: Harbour bridge closes for nine months"
    ]
    assert bridge in receiver.posts[0]["message"]
    assert outbox(engine) == [("sent", 3)]


def test_attempts_are_bounded_and_counted(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
) -> None:
    three_stories(site)
    config = notify_config(site, f'urls = ["{receiver.url()}"]\nattempts = 2')
    ctx = make_context(config)
    discover_source(ctx, "herald")
    receiver.status = 503
    site.edit("bridge", headline="Harbour bridge closes for nine months")
    clock.advance(H)
    first = revisit_sweep(ctx)
    assert first["notifications"]["gave_up"] == 0
    second = deliver(engine, config.notify, clock())
    assert (second.failed, second.gave_up, second.pending) == (1, 1, 0)
    assert outbox(engine) == [("failed", 2)]
    receiver.status = 200
    assert deliver(engine, config.notify, clock()).sent == 0  # given up stays given up
    assert len(receiver.posts) == 2


def test_target_label_never_shows_secrets() -> None:
    assert target_label("json://user:pw@hooks.example.org:8443/a/b?x=1") == (
        "json://hooks.example.org:8443"
    )
    assert target_label("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ") == "slack://…"
    assert target_label("tgram://123456789:ABCdefGhI/12345") == "tgram://…"
    assert target_label("mailto://localhost") == "mailto://localhost"


def test_a_stopped_crawl_only_queues(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
) -> None:
    """A crawl stopped by a signal queues its messages and sends them after the next crawl."""
    three_stories(site)
    ctx = make_context(parse_config(config_text(site), "herald.toml"))  # no [notify] yet
    discover_source(ctx, "herald")
    site.edit("tram", headline="Tram drivers end their strike")
    clock.advance(H)
    result = revisit_sweep(ctx)
    made = [(c["article_id"], c["version"]) for c in result["changed"]]
    assert len(made) == 1 and "notifications" not in result

    settings = notify_config(site, f'urls = ["{receiver.url()}"]').notify
    stopped = notify_crawl(engine, settings, made, clock(), deliver_now=False)
    assert (stopped.queued, stopped.sent, stopped.pending) == (1, 0, 1)
    assert receiver.posts == [] and outbox(engine) == [("pending", 0)]
    again = notify_crawl(engine, settings, made, clock())  # the same versions: not queued twice
    assert (again.queued, again.sent, again.pending) == (0, 1, 0)
    assert [post["title"] for post in receiver.posts] == ["Changed: Tram drivers end their strike"]


@pytest.fixture
def queued(
    engine: Engine,
    site: NewsSite,
    clock: WalkingClock,
    make_context: functools.partial[JobContext],
    receiver: Receiver,
) -> Any:
    """Two changed articles, their messages queued (crawl stopped), none sent; the settings."""
    three_stories(site)
    ctx = make_context(parse_config(config_text(site), "herald.toml"))
    settings = notify_config(site, f'urls = ["{receiver.url()}"]').notify
    discover_source(ctx, "herald")
    site.edit("bridge", headline="Harbour bridge closes for nine months")
    site.edit("tram", headline="Tram drivers end their strike")
    clock.advance(H)
    result = revisit_sweep(ctx)
    made = [(c["article_id"], c["version"]) for c in result["changed"]]
    assert notify_crawl(engine, settings, made, clock(), deliver_now=False).queued == 2
    return settings


def test_two_crawls_delivering_at_once_send_each_message_once(
    engine: Engine, clock: WalkingClock, receiver: Receiver, queued: Any
) -> None:
    settings = queued
    receiver.delay = 0.3
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: deliver(engine, settings, clock()), range(2)))
    assert sum(r.sent for r in reports) == 2
    assert receiver.titles() == [
        "Changed: Harbour bridge closes for nine months",
        "Changed: Tram drivers end their strike",
    ]
    assert outbox(engine) == [("sent", 1), ("sent", 1)]


def test_a_sender_that_died_mid_send_is_retried_after_its_lease(
    engine: Engine, clock: WalkingClock, receiver: Receiver, queued: Any
) -> None:
    settings = queued
    with Session(engine) as session, session.begin():  # as a killed sender leaves them
        session.execute(
            update(Notification).values(state="sending", attempts=1, last_attempt_at=clock())
        )
    assert deliver(engine, settings, clock() + timedelta(minutes=1)).sent == 0
    assert receiver.posts == []
    later = deliver(engine, settings, clock() + timedelta(minutes=16))
    assert later.sent == 2 and len(receiver.posts) == 2
    assert outbox(engine) == [("sent", 2), ("sent", 2)]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ('urls = ["hooks.example.org/x"]', "herald.toml:3: notify.urls: must be Apprise URLs"),
        ('kinds = ["headlines"]', "notify.kinds: unknown kind of change 'headlines'"),
        ('sources = ["heral"]', "notify.sources: unknown source 'heral' (did you mean 'herald'?)"),
        ("attempts = 0", "notify.attempts: must be at least 1"),
        ("colour = 1", "notify.colour: unknown key 'colour'"),
    ],
)
def test_a_wrong_notify_table_names_line_and_key(snippet: str, message: str) -> None:
    text = f'\n[notify]\n{snippet}\n[[source]]\nname = "herald"\nfeeds = ["http://127.0.0.2/f"]\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "herald.toml")
    assert message in str(caught.value)


def test_notify_defaults_and_values() -> None:
    config = parse_config('[[source]]\nname = "herald"\nfeeds = ["http://127.0.0.2/f"]\n')
    assert config.notify.urls == () and config.notify.attempts == 5
    text = (
        '[notify]\nurls = ["json://127.0.0.4:8999/hook", "json://127.0.0.4:8999/hook"]\n'
        'kinds = ["correction"]\ntimeout = "3s"\n'
        '[[source]]\nname = "herald"\nfeeds = ["http://127.0.0.2/f"]\n'
    )
    notify = parse_config(text).notify
    assert notify.urls == ("json://127.0.0.4:8999/hook",)
    assert notify.kinds == frozenset({ChangeKind.CORRECTION}) and notify.timeout == 3.0
