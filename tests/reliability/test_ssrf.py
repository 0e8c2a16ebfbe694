"""Private-address permission belongs to one source, and every redirect hop stays in scope.

All test servers are on loopback, so "private" is decided by the sources file: a source may
fetch the private addresses of its *own* seed hosts, and no others. Source "intranet" has its
seeds on one loopback host; source "public" has its seeds on another and names the intranet
host in its scope (so only the private-address permission stands in the way).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.httpserver import Route
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import integrity_ok, run_cli, sqlite_url
from tests.reliability.site import ROBOTS_ALLOW_ALL, crawl_config, serve_articles, serve_feed


def test_one_sources_private_permission_is_not_anothers(
    hostile_server: ServerFactory, tmp_path: Path
) -> None:
    intranet, public, other = hostile_server(), hostile_server(), hostile_server()
    for site in (intranet, public, other):
        site.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))
    serve_articles(intranet, ["/news/internal-story"])
    intranet.add("/admin/secret", "<html><body><p>secret</p></body></html>")
    intranet_feed = serve_feed(intranet, ["/news/internal-story"])

    serve_articles(public, ["/news/public-story"])
    # A public article that redirects into the intranet host, and one that leaves the scope.
    public.add(
        "/news/to-intranet", Route(status=302, headers={"Location": intranet.url("/admin/secret")})
    )
    public.add(
        "/news/to-elsewhere", Route(status=301, headers={"Location": other.url("/news/elsewhere")})
    )
    serve_articles(other, ["/news/elsewhere"])
    other.add("/section/", "<html><body><p>a section page</p></body></html>")
    public_feed = serve_feed(
        public, ["/news/public-story", "/news/to-intranet", "/news/to-elsewhere"]
    )

    sources = f"""
[[source]]
name = "intranet"
feeds = ["{intranet_feed}"]

[[source]]
name = "public"
feeds = ["{public_feed}"]
# the other host is a seed of this source (its private address is allowed) but not in scope
pages = ["{other.url("/section/")}"]
hosts = ["{public.host}", "{intranet.host}"]
"""
    config = crawl_config(tmp_path / "sources.toml", sources)
    db = tmp_path / "archive.db"
    run = run_cli(["--db", sqlite_url(db), "crawl", "--json", "--config", str(config)], timeout=180)
    run.assert_clean(exit_code=0, within=120)
    summary = json.loads(run.stdout)

    assert intranet.count("/admin/secret") == 0, (
        "followed a redirect into another source's private host"
    )
    assert other.count("/news/elsewhere") == 0, "followed a redirect out of the source's scope"
    assert intranet.count("/news/internal-story") == 1  # the intranet source's own seeds still work
    assert public.count("/news/public-story") == 1
    assert summary["new_articles"] == 2, summary
    assert summary["failed"].get("blocked-address") == 1, summary
    assert summary["failed"].get("out-of-scope") == 1, summary
    assert integrity_ok(db)
