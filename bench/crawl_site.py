"""The generated news site ``bench/crawl.py`` and ``bench/workers.py`` crawl: article pages
of 50–150 KB like real ones (scripts, styles, a mega-menu, related links around a 6–10
paragraph story), a sitemap per host, served from memory on 127.0.0.21, .22, …"""

from __future__ import annotations

import json
import random
import sys

WORDS = [
    "council",
    "budget",
    "river",
    "harbour",
    "school",
    "teachers",
    "election",
    "minister",
    "report",
    "police",
    "station",
    "market",
    "prices",
    "energy",
    "winter",
    "storm",
    "rescue",
    "village",
    "hospital",
    "doctors",
    "patients",
    "railway",
    "museum",
    "archive",
    "street",
    "festival",
    "mayor",
    "court",
    "judge",
    "appeal",
    "weather",
    "farmers",
    "harvest",
    "water",
    "bridge",
    "repairs",
    "tram",
    "union",
    "strike",
    "talks",
    "agreement",
    "residents",
    "survey",
    "funding",
    "library",
]
FIRST = ["Anna", "Ben", "Chloe", "Dev", "Eva", "Farid", "Greta", "Hugo"]
LAST = ["Smith", "Jones", "Okafor", "Berg", "Novak", "Silva", "Tanaka", "Weber"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def article_page(host: int, index: int) -> bytes:
    """One article page, 50–150 KB, deterministic from (host, index)."""
    rng = random.Random(host * 1_000_003 + index)
    headline = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" ({index})"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    day = 1 + index % 28
    paragraphs = "\n".join(
        "<p>"
        + " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(3, 6)))
        + "</p>"
        for _ in range(rng.randint(6, 10))
    )
    target = rng.randint(50_000, 150_000)
    menu = "".join(
        f'<li><a href="/section/{rng.choice(WORDS)}-{i}">{rng.choice(WORDS).title()}</a></li>'
        for i in range(120)
    )
    related = "".join(
        f'<li><a href="/news/{host}-{rng.randint(0, 10**6)}">{_sentence(rng, 8)}</a></li>'
        for _ in range(12)
    )
    state = json.dumps(
        {
            "props": {
                "page": {"id": index, "tags": [rng.choice(WORDS) for _ in range(20)]},
                "ads": [
                    {
                        "slot": f"ad-{i}",
                        "sizes": [[300, 250], [728, 90]],
                        "targeting": _sentence(rng, 12),
                    }
                    for i in range(40)
                ],
            }
        }
    )
    head = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | Bench Herald</title>
<link rel="canonical" href="/news/{host}-{index}">
<meta property="og:title" content="{headline}"><meta name="author" content="{author}">
<meta property="article:published_time" content="2024-03-{day:02d}T08:00:00+00:00">
<style>{".c{margin:0;padding:0;color:#333} " * 300}</style>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{headline}","author":{{"@type":"Person","name":"{author}"}},"datePublished":"2024-03-{day:02d}T08:00:00+00:00"}}</script>
</head><body><header><nav><ul>{menu}</ul></nav></header>
<main><article><h1>{headline}</h1>
<p class="byline">By <a rel="author" href="/authors/x">{author}</a> · <time datetime="2024-03-{day:02d}T08:00:00+00:00">{day} March 2024</time></p>
{paragraphs}
</article><aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>© Bench Herald</p></footer>"""
    script = f"<script>window.__STATE__ = {state};</script>"
    body = head + script
    padding = max(0, target - len(body) - 20)
    blob = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(min(padding, 4096))
    )
    filler = (blob * (padding // max(1, len(blob)) + 1))[:padding]
    return (body + f"<script>var _cfg='{filler}';</script></body></html>").encode()


def sitemap(host: int, origin: str, pages: int) -> bytes:
    urls = "".join(f"<url><loc>{origin}/news/{host}-{i}</loc></url>" for i in range(pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + urls
        + "</urlset>"
    ).encode()


def serve(hosts: int, pages: int) -> None:
    """Run the site (one server per host) until stdin closes; print the origins."""
    from tests.httpserver import HTTPTestServer, Route

    per_host = pages // hosts
    servers = []
    for h in range(hosts):
        server = HTTPTestServer(f"127.0.0.{21 + h}").start()
        server.add_many({f"/news/{h}-{i}": Route(article_page(h, i)) for i in range(per_host)})
        server.add(
            "/sitemap.xml",
            Route(sitemap(h, server.origin, per_host), content_type="application/xml"),
        )
        servers.append(server)
    print(json.dumps([s.origin for s in servers]), flush=True)
    sys.stdin.read()
    for server in servers:
        server.stop()
