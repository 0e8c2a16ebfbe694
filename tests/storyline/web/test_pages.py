"""Every page, feed and JSON endpoint of the web app, in process, on SQLite and PostgreSQL.

The archive is made by real crawls of a loopback site (see archive.py); expected values
come from the site's own text or from the database read with SQL here, not from the app.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, Fetch, Version
from storyline.demo_site import ARTICLES
from storyline.web.app import create_app
from storyline.web.settings import WebSettings
from tests.storyline.web.archive import HOSTILE, HOSTILE_AUTHOR, HOSTILE_EDITED, MOVED_PATH
from tests.storyline.web.conftest import Served, get

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def pages(served: Served) -> list[str]:
    b = served.built
    return [
        "/",
        "/?new=1",
        "/?kind=headline",
        f"/articles/{b.edited_id}",
        f"/articles/{b.hostile_id}",
        f"/articles/{b.js_id}",
        f"/articles/{b.edited_id}/diff",
        f"/articles/{b.edited_id}/diff?from=1&to=2&view=side",
        f"/articles/{b.hostile_id}/diff?from=1&to=2",
        f"/articles/{b.hostile_id}/diff?from=1&to=2&view=side&full=1",
        f"/articles/{b.big_id}/diff",
        "/sources",
        "/search?q=harbour",
        "/search?q=pwned",
    ]


def feeds(served: Served) -> list[str]:
    b = served.built
    return [
        "/feeds/changes.atom",
        "/feeds/changes.atom?kind=headline",
        "/feeds/sources/demo.atom",
        f"/feeds/articles/{b.edited_id}.atom",
        f"/feeds/articles/{b.hostile_id}.atom",
        f"/feeds/articles/{b.js_id}.atom",
    ]


def apis(served: Served) -> list[str]:
    b = served.built
    return [
        "/api/changes",
        f"/api/articles/{b.edited_id}",
        f"/api/articles/{b.edited_id}/diff?from=1&to=2",
        "/api/sources",
        "/api/search?q=harbour",
    ]


def assert_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_every_page_feed_and_api_answers_with_the_security_headers(served: Served) -> None:
    for path in [*pages(served), *feeds(served), *apis(served), "/static/style.css"]:
        response = get(served.app, path)
        assert response.status_code == 200, (path, response.text[:500])
        assert_headers(response)
    for path in ["/nope", "/articles/999999", "/api/articles/999999", "/?kind=bogus"]:
        response = get(served.app, path)
        assert response.status_code in (400, 404), path
        assert_headers(response)


def test_html_pages_have_no_inline_script_or_style(served: Served) -> None:
    for path in pages(served):
        tree = lxml.html.fromstring(get(served.app, path).text)
        scripts = tree.xpath("//script")
        assert [s.get("src") for s in scripts] == ["/static/app.js"], path
        assert all(not (s.text or "").strip() for s in scripts)
        assert not tree.xpath("//*[@style]"), path
        assert not tree.xpath("//style"), path
        assert [link.get("href") for link in tree.xpath("//link[@rel='stylesheet']")] == [
            "/static/style.css"
        ]


def test_only_get_and_head(served: Served) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/", "/api/changes", "/static/style.css"):
            response = get(served.app, path, method)
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
            assert_headers(response)
    head = get(served.app, "/", "HEAD")
    assert head.status_code == 200 and head.content == b""


def test_changes_page_lists_the_edits_and_links_each_to_its_diff(served: Served) -> None:
    b = served.built
    html = get(served.app, "/").text
    edited_headline = "Harbour bridge reopens three weeks late after eight months of repairs"
    assert edited_headline in html
    assert f'href="/articles/{b.edited_id}/diff?from=1&amp;to=2"' in html
    assert f'href="/articles/{b.hostile_id}/diff?from=1&amp;to=2"' in html
    # unchanged articles made only a first version: not a change, listed with new=1
    untouched = ARTICLES[1].headline
    assert untouched not in html
    assert untouched in get(served.app, "/?new=1").text


def test_changes_filters_by_kind_source_and_dates(served: Served) -> None:
    with Session(served.engine) as session:
        newest = session.scalar(select(func.max(Version.fetched_at)))
    assert newest is not None
    by_kind = get(served.app, "/api/changes?kind=correction").json()["entries"]
    assert {e["article_id"] for e in by_kind} == {served.built.edited_id, served.built.hostile_id}
    assert all("correction" in e["kinds"] for e in by_kind)
    assert get(served.app, "/api/changes?kind=byline&source=nowhere").json()["entries"] == []
    assert "No changes match" in get(served.app, "/?source=nowhere").text
    assert get(served.app, "/api/changes?source=elsewhere").json()["entries"] == []
    assert len(get(served.app, "/api/changes?source=demo").json()["entries"]) == 3
    later = (newest.date().replace(year=newest.year + 1)).isoformat()
    assert get(served.app, f"/api/changes?since={later}").json()["entries"] == []
    day = newest.date().isoformat()
    assert len(get(served.app, f"/api/changes?since={day}&until={day}").json()["entries"]) == 3
    assert get(served.app, "/?since=yesterday").status_code == 400


def test_changes_are_paged(served: Served) -> None:
    app = create_app(WebSettings(page_size=2), served.engine)
    first = get(app, "/api/changes").json()
    assert len(first["entries"]) == 2 and first["next"]
    second = get(app, first["next"].replace("/?", "/api/changes?")).json()
    assert len(second["entries"]) == 1 and second["next"] is None
    seen = [e["version_id"] for e in first["entries"] + second["entries"]]
    assert len(set(seen)) == 3
    html = get(app, first["next"]).text
    assert 'rel="first"' in html and 'rel="next"' not in html


def test_article_page_shows_the_timeline_and_every_url(served: Served) -> None:
    b = served.built
    html = get(served.app, f"/articles/{b.edited_id}").text
    tree = lxml.html.fromstring(html)
    items = tree.xpath("//ol[@class='timeline']/li")
    assert [i.xpath("string(.//span[@class='vnum'])") for i in items] == ["v2", "v1"]
    live = b.origin + ARTICLES[0].path
    assert tree.xpath(f"//a[@href='{live}']"), "the live page is a link"
    data = get(served.app, f"/api/articles/{b.edited_id}").json()
    assert [v["version"] for v in data["versions"]] == [2, 1]
    assert data["versions"][0]["kinds"][:1] == ["headline"]
    assert data["urls"][0] == {"url": live, "since": data["first_seen_at"], "canonical": True}


def test_a_moved_article_shows_its_move_and_both_urls(served: Served) -> None:
    b = served.built
    old, new = b.origin + HOSTILE.path, b.origin + MOVED_PATH
    data = get(served.app, f"/api/articles/{b.hostile_id}").json()
    assert data["url"] == new
    assert [(m["version"], m["from"], m["to"]) for m in data["moves"]] == [(2, old, new)]
    assert {u["url"]: u["canonical"] for u in data["urls"]} == {new: True, old: False}
    assert "url" in data["versions"][0]["kinds"]
    moved = get(served.app, "/api/changes?kind=url").json()["entries"]
    assert [e["article_id"] for e in moved] == [b.hostile_id]
    tree = lxml.html.fromstring(get(served.app, f"/articles/{b.hostile_id}").text)
    assert old in tree.xpath("string(//ul[@class='moves'])")
    assert tree.xpath(f"//ul[@class='urls']//a[@href='{old}']")  # the alias is a link too


def test_diff_page_shows_fields_body_and_the_correction(served: Served) -> None:
    b = served.built
    html = get(served.app, f"/articles/{b.edited_id}/diff?from=1&to=2").text
    tree = lxml.html.fromstring(html)
    fields = {
        row.xpath("string(th)"): (row.xpath("string(td[1])"), row.xpath("string(td[2])"))
        for row in tree.xpath("//table[@class='fields']/tbody/tr")
    }
    assert fields["Headline"] == (
        ARTICLES[0].headline,
        ARTICLES[0].headline.replace("reopens after", "reopens three weeks late after"),
    )
    assert "Modified" in fields
    inserted = " ".join(tree.xpath("//div[@class='inline']//ins/text()"))
    deleted = " ".join(tree.xpath("//div[@class='inline']//del/text()"))
    assert "twelve" in inserted and "eleven" in deleted
    notes = tree.xpath("string(//section[@class='notes'])")
    assert "an earlier version of this article gave the wrong number" in notes
    assert tree.xpath("//div[@class='inline']//p[contains(@class, 'note')]//ins")
    side = lxml.html.fromstring(get(served.app, f"/articles/{b.edited_id}/diff?view=side").text)
    cells = side.xpath("//table[@class='side']//tr[@class='change']/td")
    assert "eleven" in cells[0].text_content() and "twelve" in cells[1].text_content()
    assert not cells[0].xpath(".//ins") and not cells[1].xpath(".//del")
    api = get(served.app, f"/api/articles/{b.edited_id}/diff?from=1&to=2").json()
    assert [f["name"] for f in api["fields"]][:1] == ["headline"]
    assert api["body"]["words_added"] >= 1 and api["body"]["words_removed"] >= 1


def test_diff_of_any_two_versions_and_bad_requests(served: Served) -> None:
    b = served.built
    backwards = get(served.app, f"/api/articles/{b.edited_id}/diff?from=2&to=1").json()
    assert "twelve" in str(backwards["body"]["rows"]) and backwards["from"]["number"] == 2
    same = get(served.app, f"/api/articles/{b.edited_id}/diff?from=1&to=1").json()
    assert same["fields"] == [] and not same["body"]["changed"]
    assert get(served.app, f"/articles/{b.edited_id}/diff?to=9").status_code == 404
    assert get(served.app, f"/articles/{b.edited_id}/diff?from=x").status_code == 400
    assert get(served.app, f"/articles/{b.edited_id}/diff?view=nope").status_code == 400
    assert get(served.app, f"/api/articles/{b.edited_id}/diff?from=0").json()["status"] == 400


def test_five_megabyte_bodies_still_diff(served: Served) -> None:
    b = served.built
    response = get(served.app, f"/articles/{b.big_id}/diff")
    assert response.status_code == 200
    assert len(response.content) < 2_000_000  # unchanged paragraphs are cut, not sent
    tree = lxml.html.fromstring(response.text)
    assert tree.xpath("//div[@class='inline']//ins/text()") == ["CHANGED"]
    skipped = tree.xpath("string(//div[@class='inline']//span[@class='elided'])")
    assert skipped == "… 799950 unchanged words …", response.text[-3000:]
    whole = get(served.app, f"/articles/{b.big_id}/diff?full=1")
    assert whole.status_code == 200 and "the view stops after its first part" in whole.text


def test_sources_page_counts_what_the_archive_holds(served: Served) -> None:
    b = served.built
    with Session(served.engine) as session:
        articles = session.scalar(select(func.count(Article.id)).where(Article.source == "demo"))
        versions = session.scalar(
            select(func.count(Version.id)).join(Article).where(Article.source == "demo")
        )
        fetches = session.scalar(
            select(func.count(Fetch.id)).where(Fetch.url.startswith(b.origin + "/"))
        )
    data = get(served.app, "/api/sources").json()
    (demo,) = [s for s in data["sources"] if s["name"] == "demo"]
    assert (demo["articles"], demo["versions"]) == (articles, versions)
    assert demo["fetches"] == fetches and demo["failed"] == 0
    assert demo["last_seed_read_at"] and demo["last_fetch_at"]
    assert demo["hosts"] == ["127.0.0.2", "big.example"]
    assert sum(d["versions"] for d in demo["per_day"]) == versions
    html = get(served.app, "/sources").text
    assert "Extraction health" in html and "demo" in html
    assert get(served.app, "/sources?days=x").status_code == 400


def test_search_finds_words_and_marks_them(served: Served) -> None:
    hits = get(served.app, "/api/search?q=logbooks").json()["hits"]
    assert [h["article_id"] for h in hits] == [served.built.js_id]
    assert {"text": "logbooks", "match": True} in hits[0]["snippet"]
    tree = lxml.html.fromstring(get(served.app, "/search?q=logbooks").text)
    marked = [m.text.lower() for m in tree.xpath("//p[@class='snippet']/mark")]
    assert marked and set(marked) == {"logbooks"}  # PostgreSQL's snippet may show it twice
    assert "Nothing found" in get(served.app, "/search?q=zzzzqqq").text
    assert get(served.app, '/search?q="unbalanced').status_code in (200, 400)
    bad = get(served.app, "/api/search?q=-")
    assert bad.status_code == 400 and "bad search query" in bad.json()["error"]


# -- safety ------------------------------------------------------------------------------


def test_archived_markup_is_shown_as_text(served: Served) -> None:
    """Script tags and event handlers from headlines, bylines and bodies never become markup."""
    b = served.built
    with Session(served.engine) as session:
        stored = session.scalar(
            select(Version.headline).where(Version.article_id == b.hostile_id, Version.number == 2)
        )
        body = session.scalar(
            select(Version.body).where(Version.article_id == b.hostile_id, Version.number == 2)
        )
    assert stored is not None and "onerror" in stored  # the archive holds the hostile text
    assert body is not None and "<script>" in body
    for path in [*pages(served), *apis(served)]:
        text = get(served.app, path).text
        assert "<script>window.__pwned" not in text, path
        assert "<img src=x onerror" not in text, path
        if not path.startswith("/api"):
            tree = lxml.html.fromstring(text)
            assert not tree.xpath("//img"), path
            assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)], path
    hostile = get(served.app, f"/articles/{b.hostile_id}/diff?from=1&to=2").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in hostile
    assert "&lt;img src=x onerror=" in hostile
    assert HOSTILE_EDITED.headline not in hostile  # only its escaped form
    assert "Eve &lt;img src=x onerror=&#34;window.__pwned = 6&#34;&gt;" in hostile  # byline
    article = get(served.app, f"/articles/{b.hostile_id}").text
    assert "Eve &lt;img src=x onerror=&#34;window.__pwned = 6&#34;&gt;" in article
    data = get(served.app, f"/api/articles/{b.hostile_id}").json()  # JSON keeps the data whole
    assert data["headline"] == HOSTILE_EDITED.headline == stored
    assert HOSTILE_AUTHOR in data["versions"][0]["authors"]
    assert HOSTILE.paragraphs[0] not in hostile


def test_only_http_urls_become_links(served: Served) -> None:
    for path in pages(served):
        tree = lxml.html.fromstring(get(served.app, path).text)
        for element in tree.xpath("//*[@href or @src or @action]"):
            for name in ("href", "src", "action"):
                value = element.get(name)
                if value is None:
                    continue
                scheme = urlsplit(value).scheme
                assert value.startswith(("/", "#")) or scheme in ("http", "https"), (path, value)
    page = get(served.app, f"/articles/{served.built.js_id}").text
    assert "javascript:window.__pwned=3" in page  # shown, as text
    assert "data:text/html" in page
    assert not re.search(r'href="\s*(javascript|data):', page)
