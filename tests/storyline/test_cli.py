"""The command line end to end: real server, real databases, exit codes and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import storage
from storyline.cli import EXIT_DATABASE, EXIT_FAILED, EXIT_NOT_FOUND, cli
from tests.httpserver import HTTPTestServer, Route, gzip_bomb
from tests.pages import DEFAULT_PARAGRAPHS, article_page


@pytest.fixture
def site():
    with HTTPTestServer("127.0.0.3") as server:
        yield server


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def test_fetch_history_diff_export(db_url: str, site: HTTPTestServer, tmp_path: Path) -> None:
    site.add("/news/ferry-1", article_page())
    url = site.url("/news/ferry-1")
    first = run(db_url, "fetch", url)
    assert first.exit_code == 0, first.stderr
    assert "new article" in first.stdout
    assert "unchanged" in run(db_url, "fetch", url).stdout

    site.add(
        "/news/ferry-1",
        article_page(
            headline="Ferry terminal to close",
            paragraphs=(*DEFAULT_PARAGRAPHS[:3], "A new last paragraph."),
        ),
    )
    second = run(db_url, "fetch", "--json", url)
    assert json.loads(second.stdout) == {
        "url": url,
        "article": url,
        "outcome": "new-version",
        "version": 2,
        "changed": ["headline", "body"],
    }

    history = json.loads(run(db_url, "history", "--json", url).stdout)
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert history["versions"][1]["changed"] == ["headline", "body"]
    assert "headline" in run(db_url, "history", url).stdout

    diff = run(db_url, "diff", url)
    assert diff.exit_code == 0
    assert (
        "headline: Council votes to close the old ferry terminal → Ferry terminal to close"
        in diff.stdout
    )
    assert "{+A new last paragraph.+}" in diff.stdout
    assert "[-The council said a smaller boat" in diff.stdout
    assert "\x1b[" not in diff.stdout  # plain when piped
    assert "\x1b[" in run(db_url, "diff", "--color", url).stdout

    out = tmp_path / "corpus.jsonl"
    exported = run(db_url, "export", "--format", "jsonl", "--all-versions", "--output", str(out))
    assert exported.exit_code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["version"] for r in records] == [1, 2]
    for key in (
        "url",
        "version",
        "fetched_at",
        "headline",
        "authors",
        "published_at",
        "modified_at",
        "description",
        "language",
        "body",
        "source",
    ):
        assert key in records[0]
    assert records[1]["headline"] == "Ferry terminal to close"
    assert records[0]["authors"] == ["Karin Holm"]
    # The page states +02:00 (tests/pages.py); the export keeps it.
    assert records[0]["published_at"] == "2026-10-20T09:15:00+02:00"
    assert history["versions"][0]["published_at"] == "2026-10-20T09:15:00+02:00"
    latest = [json.loads(line) for line in run(db_url, "export").stdout.splitlines()]
    assert [r["version"] for r in latest] == [2]


def test_extract_from_a_file_stores_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_page())
    db = tmp_path / "never.db"
    result = run(
        f"sqlite:///{db}", "extract", "--json", str(page), "--url", "https://news.example/ferry-1"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["headline"] == "Council votes to close the old ferry terminal"
    assert data["authors"] == ["Karin Holm"]
    assert data["body"].split("\n\n")[0] == DEFAULT_PARAGRAPHS[0]
    # what was parsed from where
    published = next(p for p in data["provenance"] if p["field"] == "published_at")
    assert published["source"] == "jsonld" and "2026-10-20T09:15:00+02:00" in published["note"]
    assert data["published_at"] == "2026-10-20T09:15:00+02:00"  # the offset the page stated
    assert not db.exists()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=404, body="not here"), "404"),
        (Route(status=500, body="boom"), "500"),
        (Route(body=b"%PDF-1.7 binary", content_type="application/pdf"), "application/pdf"),
        (Route(body=b"", content_type="text/html"), ""),
        (Route(body=gzip_bomb(64 * 1024 * 1024), headers={"Content-Encoding": "gzip"}), ""),
    ],
    ids=["404", "500", "pdf", "empty", "gzip-bomb"],
)
def test_bad_pages_fail_clearly_and_keep_earlier_versions(
    sqlite_url: str, site: HTTPTestServer, route: Route, message: str
) -> None:
    site.add("/news/ferry-1", article_page())
    url = site.url("/news/ferry-1")
    assert run(sqlite_url, "fetch", url).exit_code == 0
    site.add("/news/ferry-1", route)
    result = run(sqlite_url, "fetch", url)
    assert result.exit_code == EXIT_FAILED
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("storyline: error: ")
    assert message in errors[0]
    history = json.loads(run(sqlite_url, "history", "--json", url).stdout)
    assert len(history["versions"]) == 1


def test_unreachable_host_is_one_line_and_non_zero(sqlite_url: str) -> None:
    result = run(sqlite_url, "fetch", "http://127.0.0.9:9/nothing")
    assert result.exit_code == EXIT_FAILED
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_database_urls_exit_with_the_database_status(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("plain text, not SQLite\n" * 10)
    for url in ("nonsense://", f"sqlite:///{not_db}", "postgresql://postgres@127.0.0.1:1/none"):
        result = run(url, "history", "https://news.example/a")
        assert result.exit_code == EXIT_DATABASE, (url, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert not_db.read_text().startswith("plain text")


def test_unknown_article_is_a_clear_error(sqlite_url: str) -> None:
    storage.open_archive(sqlite_url).dispose()
    result = run(sqlite_url, "history", "https://news.example/never-seen")
    assert result.exit_code == EXIT_NOT_FOUND
    assert result.stderr.startswith("storyline: error: no article is archived")
    assert len(result.stderr.strip().splitlines()) == 1


def test_misdeclared_encoding_is_archived_not_crashed(
    sqlite_url: str, site: HTTPTestServer
) -> None:
    page = article_page(
        paragraphs=(*DEFAULT_PARAGRAPHS, "Åsa Öberg sagt: Grüße aus Malmö, café au lait.")
    )
    site.add(
        "/news/latin-1",
        Route(
            body=page.encode("latin-1", errors="replace"), content_type="text/html; charset=utf-8"
        ),
    )
    result = run(sqlite_url, "fetch", "--json", site.url("/news/latin-1"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "new-article"
    exported = json.loads(run(sqlite_url, "export").stdout.splitlines()[0])
    assert "Grüße aus Malmö" in exported["body"]  # the bytes were latin-1 whatever the header said


def test_boilerplate_command_explains_what_was_learned(
    sqlite_url: str, site: HTTPTestServer
) -> None:
    promo = "The North Coast desk answers readers on weekdays from nine to five."
    for n in range(6):
        paragraphs = (
            f"Article {n} has a first paragraph that no other article shares at all.",
            *DEFAULT_PARAGRAPHS[1:3],
            promo,
        )
        site.add(f"/news/s-{n}", article_page(headline=f"Story {n}", paragraphs=paragraphs))
        assert run(sqlite_url, "fetch", site.url(f"/news/s-{n}")).exit_code == 0
    learned = json.loads(run(sqlite_url, "boilerplate", "--json", "127.0.0.3").stdout)
    texts = [line["text"] for line in learned]
    assert promo in texts
    assert not [t for t in texts if t.startswith("Article ")]
    promo_line = next(line for line in learned if line["text"] == promo)
    assert promo_line["reason"] == "seen on 6 of 6 articles (100%)"
    # Paragraphs every story here shares are learned too: that is what "template" means.
    assert run(sqlite_url, "boilerplate", "--forget", "127.0.0.3").exit_code == 0
    assert json.loads(run(sqlite_url, "boilerplate", "--json", "127.0.0.3").stdout) == []


def test_boilerplate_corrections_lists_versions_cleaned_in_place(
    sqlite_url: str, site: HTTPTestServer
) -> None:
    notice = "Letters to the editor reach the harbour desk through the front office."
    for n in range(6):
        paragraphs = (
            f"Article {n} opens with a paragraph of its own about the {n}th ferry crossing.",
            f"The {n}th crossing was delayed by fog, the harbour master said on the quay.",
            f"Passengers on crossing {n} waited in the terminal café until the fog lifted.",
            notice,
        )
        site.add(f"/news/s-{n}", article_page(headline=f"Story {n}", paragraphs=paragraphs))
        assert run(sqlite_url, "fetch", site.url(f"/news/s-{n}")).exit_code == 0
    fixed = json.loads(
        run(sqlite_url, "boilerplate", "--corrections", "--json", "127.0.0.3").stdout
    )
    # the line was learned once the fifth article was recorded: all five were corrected,
    # the sixth was extracted without it
    assert sorted(c["url"] for c in fixed) == [site.url(f"/news/s-{n}") for n in range(5)]
    assert all(c["removed"] == [notice] and c["version"] == 1 for c in fixed)
    text = run(sqlite_url, "boilerplate", "--corrections", "127.0.0.3").stdout
    assert "5 stored versions corrected in place" in text and notice in text
