"""The Atom feeds: parsed by feedparser without complaint and valid against RFC 4287's schema."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, Version
from tests.storyline.web.archive import HOSTILE_EDITED
from tests.storyline.web.conftest import Served, get

SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def feed_paths(served: Served) -> list[str]:
    b = served.built
    return [
        "/feeds/changes.atom",
        "/feeds/changes.atom?kind=correction",
        "/feeds/changes.atom?source=demo&new=1",
        "/feeds/sources/demo.atom",
        "/feeds/changes.atom?source=nobody",  # empty
        f"/feeds/articles/{b.edited_id}.atom",
        f"/feeds/articles/{b.hostile_id}.atom",
        f"/feeds/articles/{b.js_id}.atom",
    ]


def test_the_schema_rejects_what_atom_forbids(schema: etree.RelaxNG) -> None:
    """The schema is not a yes-machine: a missing id and a non-RFC 3339 time fail."""
    good = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>'
        "<updated>2003-12-13T18:30:02Z</updated></feed>"
    )
    assert schema.validate(etree.fromstring(good))
    assert not schema.validate(etree.fromstring(good.replace("<id>urn:x</id>", "")))
    assert not schema.validate(etree.fromstring(good.replace("2003-12-13T18:30:02Z", "today")))


def test_every_feed_is_valid_atom(served: Served, schema: etree.RelaxNG) -> None:
    for path in feed_paths(served):
        response = get(served.app, path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        document = etree.fromstring(response.content)
        assert schema.validate(document), (path, schema.error_log)
        for entry in document.iter(f"{ATOM}entry"):
            # RFC 4287's Schematron rules, which RELAX NG does not check
            alternates = entry.findall(f"{ATOM}link[@rel='alternate']")
            assert entry.find(f"{ATOM}content") is not None or alternates
            kinds = [(a.get("type"), a.get("hreflang")) for a in alternates]
            assert len(kinds) == len(set(kinds))
        for updated in document.iter(f"{ATOM}updated"):
            assert RFC3339.match(updated.text or ""), (path, updated.text)


def test_entries_are_the_changes_with_stable_ids(served: Served) -> None:
    with Session(served.engine) as session:
        changes = session.scalar(select(func.count(Version.id)).where(Version.number > 1))
        edited_versions = session.scalar(
            select(func.count(Version.id)).where(Version.article_id == served.built.edited_id)
        )
    first = feedparser.parse(get(served.app, "/feeds/changes.atom").content)
    again = feedparser.parse(get(served.app, "/feeds/changes.atom").content)
    assert len(first.entries) == changes
    ids = [e.id for e in first.entries]
    assert ids == [e.id for e in again.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    article = feedparser.parse(
        get(served.app, f"/feeds/articles/{served.built.edited_id}.atom").content
    )
    assert len(article.entries) == edited_versions
    # the same version has the same id in every feed that lists it
    assert set(ids) & {e.id for e in article.entries}
    for entry in first.entries:
        link = urlsplit(entry.link)
        target = link.path + ("?" + link.query if link.query else "")
        assert get(served.app, target).status_code == 200


def test_feed_text_is_escaped_and_links_are_http(served: Served) -> None:
    body = get(served.app, f"/feeds/articles/{served.built.hostile_id}.atom").content
    assert b"<script>" not in body and b"<img" not in body
    parsed = feedparser.parse(body)
    assert HOSTILE_EDITED.headline in parsed.entries[0].title  # the text itself, as text
    with Session(served.engine) as session:
        js_url = session.scalar(select(Article.url).where(Article.id == served.built.js_id))
    assert js_url is not None and js_url.startswith("javascript:")
    document = etree.fromstring(
        get(served.app, f"/feeds/articles/{served.built.js_id}.atom").content
    )
    hrefs = [link.get("href") for link in document.iter(f"{ATOM}link")]
    assert hrefs and all(urlsplit(h).scheme in ("http", "https") for h in hrefs)
