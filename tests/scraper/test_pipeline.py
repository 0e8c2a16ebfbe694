"""One page through fetch → extract → compare → store, against a real server, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scraper.errors import ExtractionError, HTTPStatusError
from scraper.extraction import extract_in_worker
from scraper.fetched import FetchSettings
from scraper.pipeline import archive_url
from storage import find_article, list_versions
from storage.models import Alias, Fetch
from tests.httpserver import HTTPTestServer, Route
from tests.pages import DEFAULT_PARAGRAPHS, article_page

SETTINGS = FetchSettings(user_agent="storyline-tests", allow_private_hosts=frozenset({"127.0.0.2"}))


def extractor(html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /):
    return extract_in_worker(html, url, boilerplate_keys)


def archive(engine: Engine, url: str):
    return archive_url(engine, url, settings=SETTINGS, extractor=extractor)


@pytest.fixture
def site():
    with HTTPTestServer("127.0.0.2") as server:
        yield server


def test_same_page_twice_is_one_version_and_edits_make_more(
    engine: Engine, site: HTTPTestServer
) -> None:
    site.add("/news/ferry-1", article_page())
    url = site.url("/news/ferry-1")
    assert archive(engine, url).outcome == "new-article"
    assert archive(engine, url).outcome == "unchanged"

    site.add(
        "/news/ferry-1", article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20."))
    )
    body = archive(engine, url)
    assert (body.outcome, body.version, body.changed) == ("new-version", 2, ("body",))

    site.add(
        "/news/ferry-1",
        article_page(
            headline="Ferry terminal to close",
            paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20."),
        ),
    )
    headline = archive(engine, url)
    assert (headline.version, headline.changed) == (3, ("headline",))

    site.add(
        "/news/ferry-1",
        article_page(
            headline="Ferry terminal to close",
            authors=("Karin Holm", "Erik Sand"),
            paragraphs=(*DEFAULT_PARAGRAPHS, "The vote was 31 to 20."),
        ),
    )
    byline = archive(engine, url)
    assert (byline.version, byline.changed) == (4, ("authors",))

    with Session(engine) as session:
        article = find_article(session, url)
        assert article is not None
        versions = list_versions(session, article)
        assert [v.number for v in versions] == [1, 2, 3, 4]
        assert versions[-1].authors == ["Karin Holm", "Erik Sand"]
        fetches = session.scalars(select(Fetch).order_by(Fetch.id)).all()
        assert [f.outcome for f in fetches] == [
            "new-article",
            "unchanged",
            "new-version",
            "new-version",
            "new-version",
        ]
        assert all(f.status == 200 and f.snapshot_id for f in fetches)


def test_redirect_and_tracking_parameters_lead_to_one_article(
    engine: Engine, site: HTTPTestServer
) -> None:
    site.add("/news/ferry-1", article_page())
    site.add("/p/1", Route(status=301, headers={"Location": "/news/ferry-1"}))
    first = archive(engine, site.url("/p/1"))
    assert first.outcome == "new-article"
    assert first.article_url == site.url("/news/ferry-1")
    assert (
        archive(engine, site.url("/news/ferry-1?utm_source=x&utm_medium=y#top")).outcome
        == "unchanged"
    )
    with Session(engine) as session:
        aliases = session.scalars(select(Alias.url)).all()
        assert site.url("/p/1") in aliases
        assert find_article(session, site.url("/p/1")) is not None


def test_rel_canonical_on_the_same_host_is_honoured(engine: Engine, site: HTTPTestServer) -> None:
    site.add("/amp/ferry-1", article_page(canonical=site.url("/news/ferry-1")))
    outcome = archive(engine, site.url("/amp/ferry-1"))
    assert outcome.article_url == site.url("/news/ferry-1")


def test_canonical_pointing_at_another_host_is_ignored(
    engine: Engine, site: HTTPTestServer
) -> None:
    site.add("/news/ferry-1", article_page(canonical="https://elsewhere.example/stolen"))
    outcome = archive(engine, site.url("/news/ferry-1"))
    assert outcome.article_url == site.url("/news/ferry-1")


def test_failures_are_logged_and_leave_versions_intact(
    engine: Engine, site: HTTPTestServer
) -> None:
    site.add("/news/ferry-1", article_page())
    url = site.url("/news/ferry-1")
    archive(engine, url)
    site.add("/news/ferry-1", Route(status=500, body="oops"))
    with pytest.raises(HTTPStatusError):
        archive(engine, url)
    site.add("/news/ferry-1", Route(body=b"\x00\x01\x02\xff" * 500, content_type="text/html"))
    with pytest.raises(ExtractionError):
        archive(engine, url)
    with Session(engine) as session:
        article = find_article(session, url)
        assert article is not None and len(list_versions(session, article)) == 1
        failed = session.scalars(
            select(Fetch).where(Fetch.outcome == "failed").order_by(Fetch.id)
        ).all()
        assert [(f.status, f.error_kind) for f in failed] == [
            (500, "http-status"),
            (200, "extract"),
        ]


def upgraded_extractor(html: bytes, url: str, boilerplate_keys: frozenset[str] | None = None, /):
    """Stands in for a newer extractor that also keeps a line the old one dropped."""
    from dataclasses import replace

    result = extract_in_worker(html, url, boilerplate_keys)
    return replace(
        result, body=result.body + "\n\nA line only the new extractor keeps.", extractor="upgraded"
    )


def test_extractor_upgrade_never_makes_a_false_version(
    engine: Engine, site: HTTPTestServer
) -> None:
    site.add("/news/ferry-1", article_page())
    url = site.url("/news/ferry-1")
    assert archive(engine, url).outcome == "new-article"

    def archive_upgraded():
        return archive_url(engine, url, settings=SETTINGS, extractor=upgraded_extractor)

    assert archive_upgraded().outcome == "unchanged"  # same bytes
    site.add(
        "/news/ferry-1", article_page(extra_head='<meta name="x-request-id" content="abc123">')
    )
    assert archive_upgraded().outcome == "unchanged"  # other bytes, same article
    site.add(
        "/news/ferry-1", article_page(paragraphs=(*DEFAULT_PARAGRAPHS, "A real new paragraph."))
    )
    real = archive_upgraded()
    assert (real.outcome, real.changed) == ("new-version", ("body",))


PROMO = "Get the North Coast briefing in your inbox every weekday morning."


def story(n: int) -> str:
    paragraphs = [
        f"Story number {n} begins with a sentence of its own about the {n}th council meeting of the year.",
        f"The mayor said the {n}th budget line would be reviewed, and that the harbour fees stay frozen.",
        PROMO,
        f"Residents asked about item {n} on the agenda, which concerns the repair of the north quay.",
        f"A decision on the {n}th proposal is expected next week after a public consultation closes.",
    ]
    return article_page(headline=f"Council meeting number {n}", paragraphs=paragraphs)


def test_host_boilerplate_is_learned_without_making_false_versions(
    engine: Engine, site: HTTPTestServer
) -> None:
    for n in range(1, 9):
        site.add(f"/news/story-{n}", story(n))
        assert archive(engine, site.url(f"/news/story-{n}")).outcome == "new-article"
    with Session(engine) as session:
        first = find_article(session, site.url("/news/story-1"))
        assert first is not None
        # learned with the fifth article and applied backwards: corrected in place
        versions = list_versions(session, first)
        assert len(versions) == 1 and PROMO not in versions[0].body
        assert "Story number 1 begins" in versions[0].body
        from storage import boilerplate

        learned = boilerplate.explain(session, "127.0.0.2", min_pages=5, min_share=0.05)
        assert [line.text for line in learned if PROMO in line.text]
        unique = "Story number 3 begins with a sentence of its own about the 3th council meeting"
        assert not [line for line in learned if unique in line.text]

    site.add("/news/story-9", story(9))
    archive(engine, site.url("/news/story-9"))
    with Session(engine) as session:
        ninth = find_article(session, site.url("/news/story-9"))
        assert ninth is not None
        body = list_versions(session, ninth)[0].body
        assert PROMO not in body
        assert "Story number 9 begins" in body
    # Older articles stored with the line: what the extractor learned is no change of the story.
    assert archive(engine, site.url("/news/story-1")).outcome == "unchanged"
