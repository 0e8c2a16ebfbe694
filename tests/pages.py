"""Small, realistic article pages for tests, built from parts so a test can change one."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

DEFAULT_PARAGRAPHS = (
    "The city council voted on Tuesday to close the old ferry terminal at the end of the year, "
    "ending more than a century of crossings from the north quay.",
    "Councillors said the terminal needed repairs that would cost more than a new pier, and that "
    "passenger numbers had fallen by half since the bridge opened.",
    "Residents of the islands, who depend on the ferry for shopping and school, protested outside "
    "the town hall before the vote and promised to appeal the decision.",
    "The council said a smaller boat would run from the marina twice a day while a long-term "
    "solution is studied, and that fares would not rise before spring.",
)


def article_page(
    *,
    headline: str = "Council votes to close the old ferry terminal",
    authors: Sequence[str] = ("Karin Holm",),
    paragraphs: Sequence[str] = DEFAULT_PARAGRAPHS,
    published: str = "2026-10-20T09:15:00+02:00",
    site: str = "North Coast News",
    canonical: str | None = None,
    extra_head: str = "",
) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": published,
        "author": [{"@type": "Person", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": site},
    }
    byline = " and ".join(html.escape(a) for a in authors)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(headline)} | {site}</title>{link}{extra_head}
<script type="application/ld+json">{json.dumps(ld)}</script></head>
<body><header><a href="/">{site}</a><nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><article><h1>{html.escape(headline)}</h1>
<p class="byline">By {byline}</p>
{body}
</article></main>
<footer><p>&copy; {site}</p><a href="/privacy">Privacy</a></footer></body></html>"""
