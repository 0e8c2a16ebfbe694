"""Full-text search on both databases: the index made by migration 0008, kept by every writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from storage import VersionFields, open_archive, record_page
from storage.boilerplate import correct_version
from storage.errors import SearchQueryError
from storage.models import Article, Version
from storage.search import SNIPPET_END, SNIPPET_START, parse_query, search

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
FILLER = (
    "The council met on Tuesday to discuss the budget for the coming year and the repairs"
    " to the harbour wall, which have been delayed twice since the winter storms."
)


def fields(headline: str, body: str, language: str | None = "en") -> VersionFields:
    return VersionFields(
        headline=headline,
        authors=("Karin Holm",),
        published_at=T0,
        modified_at=None,
        description=None,
        language=language,
        body=f"{body}\n\n{FILLER}",
        extractor="test",
    )


def store(
    engine: Engine,
    url: str,
    headline: str,
    body: str,
    *,
    at: datetime = T0,
    source: str | None = "north",
    language: str | None = "en",
) -> None:
    with Session(engine) as session, session.begin():
        record_page(
            session,
            url=url,
            fields=fields(headline, body, language),
            fetched_at=at,
            snapshot_id=None,
            source=source,
        )


def urls(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.url for h in hits]


def test_words_in_headline_and_body_are_found_best_first(engine: Engine) -> None:
    store(engine, "https://a.example/1", "Ferry terminal closes", "The old quay goes quiet.")
    store(engine, "https://a.example/2", "Budget vote", "A ferry was mentioned once.")
    store(engine, "https://a.example/3", "Library opens", "Books and more books.")
    with Session(engine) as session:
        hits = search(session, "ferry")
        assert set(urls(hits)) == {"https://a.example/1", "https://a.example/2"}
        # the headline match ranks above a single mention in the body
        assert hits[0].url == "https://a.example/1"
        assert hits[0].rank >= hits[1].rank
        assert urls(search(session, "books")) == ["https://a.example/3"]
        assert search(session, "submarine") == []


def test_snippets_mark_the_matched_words(engine: Engine) -> None:
    store(engine, "https://a.example/1", "Harbour news", "The lighthouse keeper retired today.")
    with Session(engine) as session:
        (hit,) = search(session, "lighthouse")
    assert f"{SNIPPET_START}lighthouse{SNIPPET_END}" in hit.snippet.casefold()
    assert hit.headline == "Harbour news" and hit.version == 1 and hit.source == "north"
    assert hit.fetched_at == T0


def test_phrase_prefix_or_and_exclusion(engine: Engine) -> None:
    store(engine, "https://a.example/1", "One", "The tram depot was sold to a developer.")
    store(engine, "https://a.example/2", "Two", "The developer sold a tram.")
    store(engine, "https://a.example/3", "Three", "Trampolines for the school gym.")
    with Session(engine) as session:
        assert urls(search(session, '"tram depot"')) == ["https://a.example/1"]
        assert set(urls(search(session, "tram developer"))) == {
            "https://a.example/1",
            "https://a.example/2",
        }
        assert urls(search(session, "tram -depot")) == ["https://a.example/2"]
        assert set(urls(search(session, "tramp*"))) == {"https://a.example/3"}
        assert set(urls(search(session, "depot OR trampolines"))) == {
            "https://a.example/1",
            "https://a.example/3",
        }


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"unclosed phrase', "not closed"),
        ("OR ferry", "OR needs"),
        ("ferry OR", "OR needs"),
        ("ferry OR OR tram", "OR needs"),
        ("-ferry", "only -excluded"),
        ("ferry OR -tram", "cannot be part of OR"),
        ("ferry &&", "no letters or digits"),
    ],
)
def test_a_bad_query_is_one_clear_error_on_both_databases(
    engine: Engine, query: str, reason: str
) -> None:
    store(engine, "https://a.example/1", "Ferry", "The ferry runs.")
    with Session(engine) as session, pytest.raises(SearchQueryError) as caught:
        search(session, query)
    assert reason in str(caught.value)
    assert caught.value.query == query


def test_words_that_look_like_fts_operators_are_only_words(engine: Engine) -> None:
    """FTS5 reads NEAR, NOT, a colon, a caret as syntax; a user's words are quoted."""
    store(engine, "https://a.example/1", "Near the quay", "Not a column: ^start of NEAR(x y).")
    with Session(engine) as session:
        assert urls(search(session, "near")) == ["https://a.example/1"]
        assert urls(search(session, "column: ^start NEAR(x")) == ["https://a.example/1"]


def test_latest_versions_only_unless_all_versions(engine: Engine) -> None:
    url = "https://a.example/story"
    store(engine, url, "Bridge to reopen", "The bridge reopens in spring, engineers said.")
    store(
        engine,
        url,
        "Bridge stays shut",
        "The bridge stays shut until autumn, engineers said.",
        at=T0 + timedelta(hours=6),
    )
    with Session(engine) as session:
        assert search(session, "spring") == []
        old = search(session, "spring", all_versions=True)
        assert [(h.url, h.version) for h in old] == [(url, 1)]
        both = search(session, "engineers", all_versions=True)
        assert sorted(h.version for h in both) == [1, 2]
        assert [h.version for h in search(session, "engineers")] == [2]


def test_source_and_since_filters(engine: Engine) -> None:
    store(engine, "https://a.example/1", "Storm", "Storm warning.", source="north")
    store(
        engine,
        "https://b.example/1",
        "Storm",
        "Storm warning.",
        source="south",
        at=T0 + timedelta(days=2),
    )
    with Session(engine) as session:
        assert urls(search(session, "storm", source="south")) == ["https://b.example/1"]
        assert urls(search(session, "storm", since=T0 + timedelta(days=1))) == [
            "https://b.example/1"
        ]
        assert len(search(session, "storm")) == 2
        assert len(search(session, "storm", limit=1)) == 1
        assert len(search(session, "storm", limit=1, offset=1)) == 1
        assert (
            search(session, "storm", limit=1)[0].url
            != search(session, "storm", limit=1, offset=1)[0].url
        )


def test_a_correction_in_place_is_reflected_in_the_index(engine: Engine) -> None:
    """The boilerplate corrector rewrites a stored body with an UPDATE; the index follows."""
    store(engine, "https://a.example/1", "Budget", "Subscribe to our newsletter. The budget.")
    with Session(engine) as session, session.begin():
        version = session.scalars(select(Version)).one()
        correct_version(
            session,
            version,
            "a.example",
            body=f"The budget passed.\n\n{FILLER}",
            extractor="test+bp",
            removed=["Subscribe to our newsletter."],
            corrected_at=T0 + timedelta(hours=1),
        )
    with Session(engine) as session:
        assert search(session, "newsletter") == []
        assert urls(search(session, "passed")) == ["https://a.example/1"]


def test_deleted_articles_leave_the_index(engine: Engine) -> None:
    store(engine, "https://a.example/1", "Gone", "A story to be deleted.")
    with Session(engine) as session, session.begin():
        session.delete(session.scalars(select(Article)).one())
    with Session(engine) as session:
        assert search(session, "deleted", all_versions=True) == []


def test_language_aware_on_postgres_simple_elsewhere(engine: Engine) -> None:
    """An English version matches another form of its words on PostgreSQL (stemming); a
    version of unknown language is indexed as written, on both databases. (A term is read in
    every configuration, so an English stem also finds that stem written in another text.)"""
    store(engine, "https://a.example/en", "Ferries", "The ferries were voting.")
    store(engine, "https://a.example/xx", "Räte", "Die Räte stimmten ab.", language=None)
    with Session(engine) as session:
        assert urls(search(session, "räte")) == ["https://a.example/xx"]
        assert urls(search(session, "ferries")) == ["https://a.example/en"]
        if engine.dialect.name == "postgresql":
            assert urls(search(session, "vote")) == ["https://a.example/en"]


def test_the_migration_indexes_versions_stored_before_it(db_url: str) -> None:
    """An archive at 0006 with versions in it is backfilled by the upgrade to 0008."""
    from storage.migrate import downgrade, upgrade

    engine = open_archive(db_url)
    store(engine, "https://a.example/old", "Before search", "An archived lighthouse story.")
    downgrade(engine, "0006")
    upgrade(engine)
    with Session(engine) as session:
        assert urls(search(session, "lighthouse")) == ["https://a.example/old"]
    engine.dispose()


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(postgres_url: str) -> None:
    from storage.search import _filters, _pg_statement, parse_query, pg_query

    engine = open_archive(postgres_url)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        tsquery, terms = pg_query(parse_query("ferry"))
        sql = _pg_statement(_filters(source=None, since=None, all_versions=True), tsquery)
        params = {
            **terms,
            "need": 5,
            "window": 100,
            "candidates": 10,
            "before": 10**9,
            "options": "",
        }
        plan = conn.execute(text("EXPLAIN " + str(sql)), params).scalars()
        assert "ix_version_search" in "\n".join(plan)
    engine.dispose()


def test_a_common_word_is_ranked_in_windows_newest_first(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more matches than the window, the newest are ranked first; a filter that leaves
    too few of them goes on to older windows, so nothing that matches is lost, and pages
    never repeat a hit."""
    import storage.search

    monkeypatch.setattr(storage.search, "SEARCH_WINDOW", 4)
    monkeypatch.setattr(storage.search, "CANDIDATES", 1)
    for i in range(8):
        store(
            engine,
            f"https://a.example/{i}",
            f"Harbour {i}" if i else "Harbour harbour harbour",
            "The harbour story.",
            source="old" if i < 2 else "new",
        )
    with Session(engine) as session:
        newest = search(session, "harbour", limit=3)
        # story 0 would rank first overall (the word three times), but the newest window
        # (stories 4..7) comes first
        assert urls(newest) and all(int(u.rsplit("/", 1)[1]) >= 4 for u in urls(newest))
        assert len(newest) == 3
        old = search(session, "harbour", source="old")
        assert urls(old) == ["https://a.example/0", "https://a.example/1"]
        paged = [h.url for o in range(8) for h in search(session, "harbour", limit=1, offset=o)]
        assert len(paged) == 8 and len(set(paged)) == 8
        assert paged[4] == "https://a.example/0"  # the best of the second window
        assert [h.url for h in search(session, "harbour", limit=8)] == paged


def test_parse_query_keeps_phrases_and_prefixes() -> None:
    (phrase,), (prefix,), (neg,) = parse_query('"Tram Depot" harb* -storm')
    assert phrase.words == ("tram", "depot")
    assert prefix.words == ("harb",) and prefix.prefix
    assert neg.negated and neg.words == ("storm",)
