"""Crawl two template sites of 12 articles each and look for boilerplate in what was stored.

Each site is one of the ``pages/`` evaluation templates (``-messy``: captions, labels and tag
lists inside the body container; ``-clean``: semantic markup), served from its own loopback
host. The 12 articles of a site are the template with another story poured in: headline,
URL and paragraphs taken from the English pages of the ``fundus`` and ``l3s-gn1`` sets' truth. The crawl is
storyline's own (``run_crawl`` into a fresh SQLite archive), so the boilerplate a host's
articles share is learned during it and applied backwards to the versions stored first.

It prints, per site, every ``must_not_contain`` string of the template's ``expected.json``
found in any stored version, the template lines storyline learned, and how many stored
versions were corrected in place. The issue's target: none found.

    uv run python bench/template_crawl.py [DATA_DIR] [--articles 12]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_DATA = next(
    (
        parent / "shared" / "evaldata"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "evaldata").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "evaldata",
)
TEMPLATES = ("technewsdaily-messy", "technewsdaily-clean")
HOSTS = ("127.0.0.2", "127.0.0.3")


def stories(data: Path, count: int, skip: int) -> list[dict[str, Any]]:
    """``count`` English stories (title, paragraphs) from fundus' and L3S' truth, after ``skip``."""
    found = []
    lines = [
        line
        for name in ("fundus", "l3s-gn1")
        for line in (data / name / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    for line in lines:
        item = json.loads(line)
        english = item["id"][:3] in ("uk-", "us-", "au-") or "-" not in item["id"][:3]
        if not english or not item.get("title"):
            continue
        paragraphs = [p for p in (item.get("body") or "").split("\n") if len(p.split()) >= 12]
        if len(paragraphs) >= 4:
            found.append({"title": item["title"], "paragraphs": paragraphs[:8]})
    if len(found) < skip + count:
        raise SystemExit(f"only {len(found)} usable fundus stories; need {skip + count}")
    return found[skip : skip + count]


def slug(title: str, n: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    return "-".join(words) + f"-{1000 + n}"


def pour(template: str, expected: dict[str, Any], story: dict[str, Any], path: str) -> str:
    """The template page with ``story`` in place of the template's own article."""
    from html import escape

    page = template.replace(expected["headline"], escape(story["title"], quote=False))
    page = page.replace(expected["url"].split("://", 1)[1].split("/", 1)[1], path.lstrip("/"))
    old, new = expected["body_paragraphs"], story["paragraphs"]
    for i, paragraph in enumerate(old):
        text = new[i] if i < len(new) else ""
        page = page.replace(paragraph, escape(text, quote=False))
    return page


def run(data: Path, articles: int) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import storage
    from scraper.config import parse_config
    from scraper.crawl import run_crawl
    from scraper.extraction.boilerplate import MIN_PAGES, MIN_SHARE
    from storage import boilerplate
    from storage.models import Article, Version
    from storyline.cli_crawl import WORKER_PRELOAD
    from storyline.demo_server import SiteServer

    left_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        engine = storage.open_archive(f"sqlite:///{tmp}/template.db")
        servers = [SiteServer(host) for host in HOSTS]
        for server in servers:
            server.__enter__()
        try:
            sources = []
            plans = []
            wanted: dict[str, list[str]] = {}
            for n, (name, server) in enumerate(zip(TEMPLATES, servers, strict=True)):
                expected = json.loads((data / "pages" / f"{name}.expected.json").read_text())
                template = (data / "pages" / f"{name}.html").read_text(encoding="utf-8")
                urls = []
                for i, story in enumerate(stories(data, articles, n * articles)):
                    path = f"/tech/{slug(story['title'], i)}"
                    page = pour(template, expected, story, path)
                    server.pages[path] = ("text/html; charset=utf-8", page.encode())
                    urls.append(server.origin + path)
                    wanted[server.origin + path] = story["paragraphs"][
                        : len(expected["body_paragraphs"])
                    ]
                sitemap = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
                server.pages["/sitemap.xml"] = (
                    "application/xml",
                    (
                        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                        f'schemas/sitemap/0.9">{sitemap}</urlset>'
                    ).encode(),
                )
                sources.append(
                    f'[[source]]\nname = "{name}"\n'
                    f'sitemaps = ["{server.origin}/sitemap.xml"]\ninclude = ["/tech/"]\n'
                )
                plans.append((name, server.host, expected))
            config = parse_config(
                '[crawl]\ndelay = 0\nuser_agent = "storyline-bench/0.1"\n\n' + "\n".join(sources),
                "template bench",
            )
            summary = run_crawl(config, engine, handle_signals=False, preload=WORKER_PRELOAD)
            print(f"crawl: {summary.paragraph()}")
            with Session(engine) as session:
                for name, host, expected in plans:
                    versions = session.scalars(
                        select(Version).join(Article).where(Article.host == host)
                    ).all()
                    learned = boilerplate.explain(
                        session, host, min_pages=MIN_PAGES, min_share=MIN_SHARE
                    )
                    corrected = boilerplate.corrections(session, host)
                    left = sorted(
                        {
                            s
                            for s in expected["must_not_contain"]
                            for v in versions
                            if s in v.body or s in (v.headline or "")
                        }
                    )
                    left_total += len(left)
                    whole = sum(
                        all(" ".join(p.split()) in " ".join(v.body.split()) for p in wanted[url])
                        for v, url in ((v, v.article.url) for v in versions)
                    )
                    print(f"\n{name} on {host}: {len(versions)} versions stored")
                    print(f"  learned lines: {len(learned)}")
                    for line in learned:
                        print(f"    {line.text[:70]!r}")
                    print(f"  versions corrected in place: {len(corrected)}")
                    print(f"  boilerplate strings left in stored versions: {left or 'none'}")
                    print(f"  versions holding every paragraph of their story: {whole}")
        finally:
            for server in servers:
                server.__exit__(None, None, None)
            engine.dispose()
    return 1 if left_total else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=12)
    args = parser.parse_args(argv)
    return run(args.data, args.articles)


if __name__ == "__main__":
    raise SystemExit(main())
