"""What storing a page costs in statements, and that the cheaper paths store the same thing.

Counted at the database driver (SQLAlchemy's ``before_cursor_execute``), on both databases:
storing a page looks its article up once (it was twice: the comparison with the previous
version and the write each looked), and a batch of crawled pages completes its URLs in the
frontier with one statement, leaving the rows exactly as one ``complete`` per URL does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from scraper.extraction import extract_in_worker
from scraper.fetched import FetchResult
from scraper.pipeline import store
from storage import frontier, list_versions
from storage.articles import find_article
from storage.models import Article, Url
from tests.pages import DEFAULT_PARAGRAPHS, article_page

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
URL = "https://news.example/ferry-1"
ARTICLE_LOOKUP = re.compile(r"\bFROM article\b", re.IGNORECASE)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement ``engine`` sends while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _looks_up_article(sql: str) -> bool:
    """A SELECT from the article table (PostgreSQL's row lock, ``FOR UPDATE``, is no look-up)."""
    text = sql.strip().upper()
    return (
        text.startswith("SELECT") and bool(ARTICLE_LOOKUP.search(sql)) and "FOR UPDATE" not in text
    )


def fetched(body: bytes, at: datetime) -> FetchResult:
    return FetchResult(
        url=URL,
        final_url=URL,
        status=200,
        headers={},
        body=body,
        content_type="text/html",
        charset="utf-8",
        started_at=at,
    )


def store_page(engine: Engine, body: bytes, at: datetime) -> tuple[str, list[str]]:
    result = fetched(body, at)
    extraction = extract_in_worker(body, URL)
    with statements(engine) as seen, Session(engine) as session, session.begin():
        outcome = store(session, result, extraction, extractor=extract_in_worker)
    return outcome.outcome, seen


def test_a_page_looks_its_article_up_once(engine: Engine) -> None:
    first = article_page().encode()
    changed = article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20.")).encode()
    pages = [
        (first, "new-article"),
        (first, "unchanged"),  # the same bytes again
        (changed, "new-version"),
        (changed, "unchanged"),
    ]
    for step, (body, expected) in enumerate(pages):
        outcome, seen = store_page(engine, body, T0 + timedelta(hours=step))
        assert outcome == expected
        lookups = [s for s in seen if _looks_up_article(s)]
        assert len(lookups) == 1, (expected, lookups)
    with Session(engine) as session:
        article = find_article(session, URL)
        assert article is not None
        assert [v.number for v in list_versions(session, article)] == [1, 2]


def _urls(engine: Engine, names: list[str]) -> list[int]:
    with Session(engine) as session, session.begin():
        frontier.add_urls(session, [frontier.NewUrl(u, "news.example") for u in names], T0)
        return [session.scalar(select(Url.id).where(Url.url == u)) for u in names]  # type: ignore[misc]


COLUMNS = (
    "state",
    "last_fetched_at",
    "last_status",
    "last_error",
    "next_fetch_at",
    "lease_owner",
    "lease_expires_at",
    "etag",
    "last_modified",
    "article_id",
)


def _rows(engine: Engine, ids: list[int]) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        rows = []
        for url_id in ids:
            url = session.get(Url, url_id)
            assert url is not None
            rows.append(tuple(getattr(url, c) for c in COLUMNS))
        return rows


def test_complete_many_leaves_the_rows_as_complete_does(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        article = Article(
            url="https://news.example/a",
            host="news.example",
            first_seen_at=T0,
            last_seen_at=T0,
            last_changed_at=T0,
            current_version=0,
        )
        session.add(article)
        session.flush()
        article_id = article.id
    at = T0 + timedelta(minutes=5)
    cases = [
        {"status": 200},
        {"status": 200, "etag": '"v1"', "last_modified": "Wed, 01 May 2024 08:00:00 GMT"},
        {"status": 200, "article_id": article_id},
        {"status": 200, "note": "thin page: not archived", "etag": '"v2"'},
    ]
    one = _urls(engine, [f"https://news.example/one-{i}" for i in range(len(cases))])
    many = _urls(engine, [f"https://news.example/many-{i}" for i in range(len(cases))])
    with Session(engine) as session, session.begin():  # leased, with an etag to keep or replace
        for url_id in one + many:
            url = session.get(Url, url_id)
            assert url is not None
            url.state, url.lease_owner, url.etag = frontier.LEASED, "w1", '"old"'
    with Session(engine) as session, session.begin():
        for url_id, kw in zip(one, cases, strict=True):
            frontier.complete(session, url_id, at, **kw)  # type: ignore[arg-type]
    with statements(engine) as seen, Session(engine) as session, session.begin():
        frontier.complete_many(
            session,
            [
                frontier.Completion(url_id, at, **kw)  # type: ignore[arg-type]
                for url_id, kw in zip(many, cases, strict=True)
            ],
        )
    assert _rows(engine, many) == _rows(engine, one)
    assert _rows(engine, one)[0][0] == frontier.DONE
    assert _rows(engine, one)[0][7] == '"old"'  # no validators given: the old etag stays
    updates = [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
    # one statement per set of columns written (plain, with validators, with an article id)
    assert len(updates) == 3
