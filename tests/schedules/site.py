"""A small news site whose stories tests can edit, served on loopback with ETags.

Each story page carries noise a reader ignores — an "Updated N minutes ago" line and a
rotating "related stories" box — so tests can tell noise from change. Article pages answer
a matching ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime

from tests.httpserver import HTTPTestServer, Request, Route

PARAGRAPHS = (
    "The city council voted on Tuesday evening to close the old harbour bridge for repairs "
    "that engineers have described as long overdue and increasingly urgent.",
    "Traffic will be diverted through the eastern ring road for at least six months, the "
    "council said in a statement published after the meeting ended late at night.",
    "Shop owners near the bridge warned that the closure would cost them customers during "
    "the busy summer season and asked the council for help with their rents.",
    "Engineers found corrosion in the steel supports during an inspection in the spring and "
    "recommended that heavy lorries be kept off the bridge with immediate effect.",
)


@dataclass(frozen=True)
class Story:
    slug: str
    headline: str
    authors: tuple[str, ...] = ("Anna Berg",)
    paragraphs: tuple[str, ...] = PARAGRAPHS
    published: datetime = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    note: str | None = None  # a correction/update note at the end of the story
    minutes_ago: int = 5  # "Updated 5 minutes ago": noise
    related: tuple[str, ...] = ("Weather: rain all week", "Football: derby tonight")  # noise
    modified: datetime | None = None  # the sitemap's <lastmod>

    @property
    def path(self) -> str:
        return f"/news/{self.slug}"


@dataclass
class NewsSite:
    """Stories served by ``server``; ``edit`` changes one atomically."""

    server: HTTPTestServer
    stories: dict[str, Story] = field(default_factory=dict)
    #: seconds each article page takes to answer (a slow site, for mid-crawl tests)
    delay: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server.add("/feed.xml", self._feed)
        self.server.add("/sitemap.xml", self._sitemap)

    def add(self, story: Story) -> None:
        with self._lock:
            self.stories[story.slug] = story
        self.server.add(story.path, lambda request, slug=story.slug: self._page(request, slug))

    def edit(self, slug: str, **changes: object) -> None:
        with self._lock:
            self.stories[slug] = replace(self.stories[slug], **changes)  # type: ignore[arg-type]

    def url(self, slug: str) -> str:
        return self.server.url(f"/news/{slug}")

    @property
    def feed_url(self) -> str:
        return self.server.url("/feed.xml")

    def _feed(self, _request: Request) -> Route:
        with self._lock:
            stories = list(self.stories.values())
        items = "".join(
            f"<item><title>{html.escape(s.headline)}</title><link>{self.server.url(s.path)}</link>"
            f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate></item>"
            for s in stories
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Herald</title><link>{self.server.origin}/</link>{items}</channel></rss>"
        )
        return Route(body=body, content_type="application/rss+xml; charset=utf-8")

    @property
    def sitemap_url(self) -> str:
        return self.server.url("/sitemap.xml")

    def _sitemap(self, _request: Request) -> Route:
        with self._lock:
            stories = list(self.stories.values())
        urls = "".join(
            f"<url><loc>{self.server.url(s.path)}</loc>"
            + (f"<lastmod>{s.modified.isoformat()}</lastmod>" if s.modified else "")
            + "</url>"
            for s in stories
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        return Route(body=body, content_type="application/xml")

    def _page(self, request: Request, slug: str) -> Route:
        with self._lock:
            story = self.stories[slug]
        body = render(story, self.server.origin)
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Route(status=304, body=b"", content_type=None, headers={"ETag": etag})
        return Route(body=body, headers={"ETag": etag}, delay=self.delay)


def render(story: Story, origin: str) -> str:
    esc = html.escape
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.headline,
            "author": [{"@type": "Person", "name": name} for name in story.authors],
            "datePublished": story.published.isoformat(),
        }
    )
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)
    note = f'<p class="correction"><em>{esc(story.note)}</em></p>' if story.note else ""
    related = "".join(
        f'<li><a href="/news/other-{i}">{esc(t)}</a></li>' for i, t in enumerate(story.related)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(story.headline)} | The Herald</title>
<link rel="canonical" href="{origin}{story.path}">
<meta property="og:title" content="{esc(story.headline)}">
<meta name="author" content="{esc(", ".join(story.authors))}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><a href="/">The Herald</a><nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><article>
<h1>{esc(story.headline)}</h1>
<p class="byline">By {esc(" and ".join(story.authors))}</p>
<p class="updated">Updated {story.minutes_ago} minutes ago</p>
{paragraphs}
{note}
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright The Herald. All rights reserved.</p></footer>
</body></html>"""


def config_text(site: NewsSite, *, extra: str = "", source_extra: str = "") -> str:
    """A sources file for the site: no delay, no robots, revisits at 1h, 3h, 6h."""
    return f"""
[crawl]
delay = 0
obey_robots = false
max_wait = 0
workers = 1

[revisit]
after = ["1h", "3h", "6h"]
{extra}
[[source]]
name = "herald"
feeds = ["{site.feed_url}"]
{source_extra}
"""
