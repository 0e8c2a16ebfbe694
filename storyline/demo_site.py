"""The bundled demo news site: a few articles, a section page, a feed and a sitemap.

Pages are built from data so the demo can change an article between two crawls.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import datetime

SITE_NAME = "The Harbour Gazette"


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    section: str
    headline: str
    authors: tuple[str, ...]
    published: str  # ISO 8601 with offset
    description: str
    paragraphs: tuple[str, ...]
    modified: str | None = None

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.slug}"


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        slug="harbour-bridge-reopens-after-repairs-1041",
        section="news",
        headline="Harbour bridge reopens after eight months of repairs",
        authors=("Maria Lindqvist",),
        published="2026-11-02T07:30:00+01:00",
        description="The old swing bridge carries traffic again, three weeks later than planned.",
        paragraphs=(
            "The swing bridge across the inner harbour reopened to traffic on Monday morning, "
            "eight months after engineers closed it to replace corroded steel in its central span.",
            "The council had promised a reopening in October, but the delivery of the new bearings "
            "from a foundry in the north was delayed twice, the works manager told reporters at the site.",
            "About eleven thousand vehicles crossed the bridge each day before the closure. During the "
            "works, buses were diverted through the industrial estate, adding up to twenty minutes to "
            "journeys from the western districts.",
            "Shopkeepers on Quay Street, who said their takings fell by a third while the bridge was shut, "
            "welcomed the news but asked the council to reconsider the parking charges introduced in spring.",
            "The final bill for the repairs is expected to be published at the council meeting in December.",
        ),
    ),
    DemoArticle(
        slug="fishing-fleet-quota-talks-stall-1042",
        section="news",
        headline="Fishing fleet quota talks stall over cod allowance",
        authors=("Tomas Berg", "Anna Nilsson"),
        published="2026-11-03T16:05:00+01:00",
        description="Negotiators failed to agree on next year's cod allowance for the coastal fleet.",
        paragraphs=(
            "Talks on next year's catch limits for the coastal fleet broke up without agreement on "
            "Tuesday evening after negotiators failed to settle the allowance for cod.",
            "Skippers' representatives argued that the stock had recovered enough to justify a modest "
            "increase, while the fisheries agency pointed to survey data showing fewer young fish.",
            "\u201cWe cannot plan a season on a number that changes every week,\u201d said the chair of the "
            "skippers' association, who added that several boats were already for sale.",
            "A further round of talks is scheduled for the end of the month.",
        ),
    ),
    DemoArticle(
        slug="lighthouse-museum-wins-heritage-grant-1043",
        section="culture",
        headline="Lighthouse museum wins heritage grant for new archive",
        authors=("Jonas Ek",),
        published="2026-11-04T09:00:00+01:00",
        description="The grant will pay for a climate-controlled room for the keepers' logbooks.",
        paragraphs=(
            "The lighthouse museum on the northern point has been awarded a heritage grant to build "
            "a climate-controlled archive for the logbooks kept by generations of lighthouse keepers.",
            "The logbooks, some more than a century old, record weather, shipping and the daily routines "
            "of the families who lived at the light until it was automated.",
            "Volunteers have already scanned about a fifth of the pages, and the museum plans to publish "
            "the transcriptions online once the archive room is finished next summer.",
        ),
    ),
)


def _page(title: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a>
<nav><a href="/news/">News</a> <a href="/culture/">Culture</a> <a href="/about">About us</a></nav></header>
{main}
<footer class="site-footer"><p>&copy; 2026 {SITE_NAME}. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> · <a href="/contact">Contact</a></p></footer>
</body></html>"""


def article_html(article: DemoArticle) -> str:
    authors_ld = ", ".join(f'{{"@type": "Person", "name": "{a}"}}' for a in article.authors)
    modified = article.modified or article.published
    byline = " and ".join(
        f'<a rel="author" href="/authors/{a.lower().replace(" ", "-")}">{html.escape(a)}</a>'
        for a in article.authors
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    main = f"""<main><article>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{html.escape(article.headline)}", "datePublished": "{article.published}",
 "dateModified": "{modified}", "author": [{authors_ld}],
 "publisher": {{"@type": "Organization", "name": "{SITE_NAME}"}}}}</script>
<h1>{html.escape(article.headline)}</h1>
<p class="byline">By {byline} · <time datetime="{article.published}">{article.published[:10]}</time></p>
{body}
</article>
<aside class="related"><h2>Most read</h2><ul>
<li><a href="/news/harbour-bridge-reopens-after-repairs-1041">Harbour bridge reopens</a></li>
<li><a href="/culture/lighthouse-museum-wins-heritage-grant-1043">Lighthouse museum grant</a></li></ul></aside>
</main>"""
    page = _page(article.headline, main)
    canonical = f'<link rel="canonical" href="{{origin}}{article.path}">'
    description = f'<meta name="description" content="{html.escape(article.description)}">'
    og = f'<meta property="og:title" content="{html.escape(article.headline)}"><meta property="og:type" content="article">'
    return page.replace("</title>", f"</title>\n{canonical}\n{description}\n{og}", 1)


def section_html(section: str, articles: tuple[DemoArticle, ...]) -> str:
    items = "\n".join(
        f'<li><a href="{a.path}?utm_source=section&amp;utm_medium=web">{html.escape(a.headline)}</a></li>'
        for a in articles
        if a.section == section
    )
    return _page(section.title(), f"<main><h1>{section.title()}</h1><ul>{items}</ul></main>")


def feed_xml(articles: tuple[DemoArticle, ...]) -> str:
    items = "\n".join(
        f"<item><title>{html.escape(a.headline)}</title><link>{{origin}}{a.path}</link>"
        f"<pubDate>{_rfc822(a.published)}</pubDate></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{{origin}}/</link>{items}</channel></rss>"
    )


def sitemap_xml(articles: tuple[DemoArticle, ...]) -> str:
    urls = "\n".join(
        f"<url><loc>{{origin}}{a.path}</loc><lastmod>{a.modified or a.published}</lastmod></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def _rfc822(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%a, %d %b %Y %H:%M:%S %z")


def site_pages(articles: tuple[DemoArticle, ...], origin: str) -> dict[str, tuple[str, bytes]]:
    """Every path of the site with its content type and body, links pointing at ``origin``."""
    pages: dict[str, tuple[str, str]] = {
        "/robots.txt": (
            "text/plain",
            f"User-agent: *\nDisallow: /private/\nSitemap: {origin}/sitemap.xml\n",
        ),
        "/feed.xml": ("application/rss+xml", feed_xml(articles)),
        "/sitemap.xml": ("application/xml", sitemap_xml(articles)),
        "/news/": ("text/html", section_html("news", articles)),
        "/culture/": ("text/html", section_html("culture", articles)),
    }
    for article in articles:
        pages[article.path] = ("text/html", article_html(article))
    return {
        path: (ctype + "; charset=utf-8", body.replace("{origin}", origin).encode("utf-8"))
        for path, (ctype, body) in pages.items()
    }


def edited(articles: tuple[DemoArticle, ...]) -> tuple[DemoArticle, ...]:
    """The site after the newsroom's edit: a new headline, a correction and a new paragraph."""
    first = articles[0]
    changed = replace(
        first,
        headline="Harbour bridge reopens three weeks late after eight months of repairs",
        modified="2026-11-02T13:10:00+01:00",
        paragraphs=(
            *first.paragraphs[:2],
            first.paragraphs[2].replace("eleven thousand", "twelve thousand"),
            *first.paragraphs[3:],
            "Correction: an earlier version of this article gave the wrong number of daily crossings.",
        ),
    )
    return (changed, *articles[1:])
