"""Generated news sites for crawler tests and the benchmark: articles, feeds, sitemaps, sections.

Pages look like real news pages (head metadata, JSON-LD, navigation, a byline, several
paragraphs, related links, a footer), so the real extractor finds a real article in them.
``filler`` pads an article with extra paragraphs to reach realistic page sizes.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

_WORD_TEXT = (
    "council budget river harbour school teachers election minister report police station "
    "market prices energy winter storm rescue village hospital doctors patients railway line "
    "museum archive street festival mayor court judge appeal weather farmers harvest water "
    "bridge repairs tram union strike talks agreement residents survey funding library"
)
WORDS = tuple(_WORD_TEXT.split())


@dataclass(frozen=True)
class Article:
    path: str
    headline: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]
    canonical: str | None = None
    links: tuple[str, ...] = field(default_factory=tuple)


def sentence(rng: random.Random, words: int = 14) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def make_article(
    path: str, seed: int, *, paragraphs: int = 6, when: datetime | None = None, **kw: object
) -> Article:
    rng = random.Random(seed)
    headline = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {seed}"
    author = f"{rng.choice(['Anna', 'Ben', 'Chloe', 'Dev', 'Eva'])} {rng.choice(['Smith', 'Jones', 'Okafor', 'Berg'])}"
    published = when or datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=seed)
    return Article(
        path=path,
        headline=headline,
        author=author,
        published=published,
        paragraphs=tuple(paragraph(rng) for _ in range(paragraphs)),
        **kw,  # type: ignore[arg-type]
    )


def article_html(
    article: Article, origin: str, *, filler: int = 0, site: str = "The Example Herald"
) -> str:
    """A full news page; ``filler`` adds that many bytes of navigation/related boilerplate."""
    esc = html.escape
    canonical = article.canonical or origin + article.path
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.headline,
            "author": [{"@type": "Person", "name": article.author}],
            "datePublished": article.published.isoformat(),
        }
    )
    body = "\n".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    related = "".join(f'<li><a href="{esc(link)}">{esc(link)}</a></li>' for link in article.links)
    pad = ""
    if filler > 0:
        rng = random.Random(len(article.path) + filler)
        chunks = []
        size = 0
        n = 0
        while size < filler:
            item = f'<li class="nav-item"><a href="/topics/{rng.choice(WORDS)}-{n}">{esc(sentence(rng, 6))}</a></li>\n'
            chunks.append(item)
            size += len(item)
            n += 1
        pad = '<nav class="mega-menu"><ul>' + "".join(chunks) + "</ul></nav>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(article.headline)} | {esc(site)}</title>
<link rel="canonical" href="{esc(canonical)}">
<meta property="og:title" content="{esc(article.headline)}">
<meta name="author" content="{esc(article.author)}">
<meta property="article:published_time" content="{article.published.isoformat()}">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><a href="/">{esc(site)}</a>{pad}</header>
<main><article>
<h1>{esc(article.headline)}</h1>
<p class="byline">By <span class="author">{esc(article.author)}</span>,
<time datetime="{article.published.isoformat()}">{article.published:%d %B %Y}</time></p>
{body}
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright {esc(site)}. All rights reserved.</p></footer>
</body></html>"""


def rss(
    items: Iterable[tuple[str, str, datetime]], origin: str, title: str = "Example feed"
) -> str:
    parts = [
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>{format_datetime(d, usegmt=True)}</pubDate></item>"
        for u, t, d in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{origin}/</link>"
        + "".join(parts)
        + "</channel></rss>"
    )


def atom(items: Iterable[tuple[str, str, datetime]], origin: str) -> str:
    parts = [
        f'<entry><title>{html.escape(t)}</title><link rel="alternate" type="text/html" href="{html.escape(u)}"/>'
        f"<updated>{d.isoformat()}</updated><id>{html.escape(u)}</id></entry>"
        for u, t, d in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Example</title><id>{origin}/</id>" + "".join(parts) + "</feed>"
    )


def urlset(urls: Iterable[tuple[str, datetime | None]], *, news: bool = False) -> str:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    parts = []
    for url, when in urls:
        extra = f"<lastmod>{when.isoformat()}</lastmod>" if when and not news else ""
        if news and when:
            extra = (
                "<news:news><news:publication><news:name>Example</news:name><news:language>en"
                f"</news:language></news:publication><news:publication_date>{when.isoformat()}"
                "</news:publication_date><news:title>t</news:title></news:news>"
            )
        parts.append(f"<url><loc>{html.escape(url)}</loc>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        + ns
        + ">"
        + "".join(parts)
        + "</urlset>"
    )


def sitemap_index(sitemaps: Sequence[tuple[str, datetime | None]]) -> str:
    parts = [
        f"<sitemap><loc>{html.escape(u)}</loc>"
        + (f"<lastmod>{w.isoformat()}</lastmod>" if w else "")
        + "</sitemap>"
        for u, w in sitemaps
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(parts)
        + "</sitemapindex>"
    )


def section(links: Iterable[str], title: str = "News") -> str:
    items = "".join(f'<li><a href="{html.escape(u)}">{html.escape(u)}</a></li>' for u in links)
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul></body></html>"


def gz(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))
