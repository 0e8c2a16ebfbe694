"""An archive for the web tests, made by real crawls of a loopback site, plus hostile rows.

The site is the demo's (storyline.demo_site) with two more articles whose headline, byline
and body carry script tags and event-handler attributes. It is crawled, edited (the demo's
edit plus a hostile one), and crawled again, as ``storyline demo`` does. What a crawler
never writes but an archive may still hold (an import, an older storyline) is then added
with the models: an author name with markup (the extractor drops those), ``javascript:``
and ``data:`` URLs as an article URL and as aliases, and an article of two versions with a
5 MB body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from schedules.jobs import prepare_revisits, settle_revisits
from scraper.config import parse_config
from scraper.crawl import run_crawl
from scraper.fetched import utcnow
from storage.changelog import encode_kinds
from storage.models import Alias, Article, Version
from storage.states import ChangeKind
from storyline.cli_crawl import WORKER_PRELOAD
from storyline.demo import demo_sources
from storyline.demo_server import SiteServer
from storyline.demo_site import ARTICLES, DemoArticle, edited, site_pages

SCRIPT = "<script>window.__pwned = 1</script>"
ONERROR = '<img src=x onerror="window.__pwned = 2">'

HOSTILE = DemoArticle(
    slug="council-vote-on-harbour-tax-2001",
    section="news",
    headline=f"Council vote {SCRIPT} on harbour tax",
    authors=("Eve Mallory",),
    published="2026-11-05T10:00:00+01:00",
    description="A vote on the harbour tax.",
    paragraphs=(
        f"The council voted on the harbour tax {ONERROR} late on Thursday evening after a long debate.",
        f"Opponents said the tax would hurt small boat owners {SCRIPT} and the fishing co-operative.",
        "The measure passed by a narrow margin and takes effect in the new year, officials said.",
    ),
)

#: the hostile article after its edit: a new hostile headline, byline and paragraph
HOSTILE_EDITED = replace(
    HOSTILE,
    headline=f"Council passes harbour tax {ONERROR}",
    authors=("Eve Mallory", "Mallory Onerror"),
    modified="2026-11-05T15:00:00+01:00",
    paragraphs=(
        *HOSTILE.paragraphs,
        f"Correction: an earlier version {SCRIPT} of this article misstated the margin of the vote.",
    ),
)

HOSTILE_AUTHOR = 'Eve <img src=x onerror="window.__pwned = 6">'
#: where the hostile article moves in the second crawl (its page names a new canonical URL)
MOVED_PATH = "/news/council-passes-harbour-tax-2001"
JS_URL = "javascript:window.__pwned=3//news/x"
DATA_URL = "data:text/html,<script>window.__pwned=4</script>"
BIG_WORDS = 800_000  # about 5 MB of body


@dataclass(frozen=True)
class Built:
    """What the tests look for in the archive."""

    edited_id: int  # the demo's edited article (v1 → v2: headline, body, correction)
    hostile_id: int  # the hostile article (v1 → v2)
    js_id: int  # an article whose URL is javascript:, with a data: alias
    big_id: int  # two versions with 5 MB bodies
    origin: str


def _crawl(engine: Engine, config: object) -> None:
    run_crawl(config, engine, handle_signals=False, preload=WORKER_PRELOAD)  # type: ignore[arg-type]


def build_archive(engine: Engine) -> Built:
    """Crawl the site twice (with an edit between) and add the rows a crawl cannot make."""
    first = (*ARTICLES, HOSTILE)
    with SiteServer("127.0.0.2") as site:
        site.pages = site_pages(first, site.origin)
        config = parse_config(demo_sources(site.origin), "web test sources")
        _crawl(engine, config)
        site.pages = site_pages((*edited(ARTICLES), HOSTILE_EDITED), site.origin)
        _move(site.pages, HOSTILE.path, MOVED_PATH, site.origin)
        prep = prepare_revisits(engine, config, utcnow(), revisit_all=True)
        _crawl(engine, config)
        settle_revisits(engine, config, prep, utcnow())
        origin = site.origin
    with Session(engine) as session, session.begin():
        edited_id = session.scalar(
            select(Article.id).where(Article.url == origin + ARTICLES[0].path)
        )
        hostile_id = session.scalar(select(Article.id).where(Article.url == origin + MOVED_PATH))
        assert edited_id is not None and hostile_id is not None
        # the extractor drops author names with markup; an import or an older archive may not
        session.execute(
            update(Version)
            .where(Version.article_id == hostile_id, Version.number == 2)
            .values(authors=[*HOSTILE_EDITED.authors, HOSTILE_AUTHOR])
        )
        js_id = _js_article(session, origin)
        big_id = _big_article(session)
    return Built(edited_id, hostile_id, js_id, big_id, origin)


def _move(pages: dict[str, tuple[str, bytes]], path: str, to: str, origin: str) -> None:
    """The page at ``path`` now names ``to`` as its canonical URL and is served there too."""
    ctype, body = pages[path]
    old = f'<link rel="canonical" href="{origin}{path}">'.encode()
    assert old in body
    moved = body.replace(old, f'<link rel="canonical" href="{origin}{to}">'.encode())
    pages[path] = pages[to] = (ctype, moved)


def _js_article(session: Session, origin: str) -> int:
    """The third demo article, its URL replaced by a javascript: one, with hostile aliases."""
    url = origin + ARTICLES[2].path
    article_id = session.scalar(select(Article.id).where(Article.url == url))
    assert article_id is not None
    session.execute(update(Article).where(Article.id == article_id).values(url=JS_URL))
    now = datetime.now(UTC)
    session.add_all(
        [
            Alias(url=DATA_URL, article_id=article_id, created_at=now),
            Alias(url=" javascript:window.__pwned=5", article_id=article_id, created_at=now),
        ]
    )
    return article_id


def _big_article(session: Session) -> int:
    """Two versions of 5 MB each, differing in one word near the end."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    words = [f"w{i % 997}" for i in range(BIG_WORDS)]
    old = " ".join(words)
    words[-10] = "CHANGED"
    new = " ".join(words)
    article = Article(
        url="https://big.example/news/a-very-long-story-1",
        host="big.example",
        source="demo",
        first_seen_at=now,
        last_seen_at=now,
        last_changed_at=now,
        current_version=2,
    )
    session.add(article)
    session.flush()
    for number, body in ((1, old), (2, new)):
        version = Version(
            article_id=article.id,
            number=number,
            fetched_at=now + timedelta(seconds=number),
            headline="A very long story",
            authors=["Long Writer"],
            body=body,
            word_count=BIG_WORDS,
            fingerprint=f"big{number}",
            changed_fields=["body"] if number == 2 else [],
            changes={"kinds": ["body"], "body": {"words_added": 1, "words_removed": 1}}
            if number == 2
            else {},
            extractor="test",
        )
        version.kinds = encode_kinds([ChangeKind.BODY] if number == 2 else [ChangeKind.NEW])
        session.add(version)
    session.flush()
    return article.id
