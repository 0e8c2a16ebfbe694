"""Per-host boilerplate learning: pure helpers, extraction with learned lines, storage, worker."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scraper.extraction import (
    LearnedBoilerplate,
    boilerplate_candidates,
    extract,
    extract_in_worker,
    line_key,
    normalise_line,
)
from scraper.extraction.boilerplate import MAX_WORDS, MIN_PAGES
from storage import boilerplate as repo

TEMPLATE_LINE = "Join the conversation on our community forum every Friday"


def article(n: int, *, extra: str = TEMPLATE_LINE) -> str:
    story = " ".join(
        f"Story {n} sentence {i} tells what happened in the valley on day {n}." for i in range(6)
    )
    return (
        f"<html><head><title>Story number {n}</title></head><body><article><h1>Story number {n}</h1>"
        f"<p>{story}</p><p>{story.replace('sentence', 'line')}</p><p>{extra}</p></article></body></html>"
    )


def test_normalise_and_key_ignore_case_punctuation_and_numbers() -> None:
    assert normalise_line("© 2024  Harbor Gazette!") == normalise_line("© 2025 harbor gazette")
    assert line_key("Follow us") == line_key("FOLLOW US.")
    assert line_key("Day 3 of the trial") != line_key("Day 4 of the trial")
    assert len(line_key("x")) == 64


def test_candidates_are_short_lines_before_learned_removal() -> None:
    result = extract(article(1), "https://valley.example/1")
    texts = {text for _, text in boilerplate_candidates(result)}
    assert TEMPLATE_LINE in texts
    # the long story paragraphs are never candidates
    assert all(len(t.split()) <= MAX_WORDS for t in texts)


def test_from_counts_needs_min_pages_and_share() -> None:
    key = line_key(TEMPLATE_LINE)
    assert (
        key not in LearnedBoilerplate.from_counts({key: MIN_PAGES - 1}, pages_seen=MIN_PAGES).keys
    )
    assert key in LearnedBoilerplate.from_counts({key: MIN_PAGES}, pages_seen=MIN_PAGES).keys
    # 6 of 1000 articles is below the 5 % share: not a template line
    assert key not in LearnedBoilerplate.from_counts({key: 6}, pages_seen=1000).keys


def test_learned_line_is_removed_and_noted() -> None:
    learned = LearnedBoilerplate(frozenset({line_key(TEMPLATE_LINE)}), "valley.example")
    result = extract(article(7), "https://valley.example/7", boilerplate=learned)
    assert TEMPLATE_LINE not in result.body
    assert "Story 7 sentence 0" in result.body
    assert "dropped:learned=1" in result.notes
    # still reported as a candidate, so its count keeps growing
    assert TEMPLATE_LINE in {t for _, t in boilerplate_candidates(result)}


def test_learning_never_removes_most_of_a_body() -> None:
    short = "<html><body><article><p>Only line one of this little page here.</p><p>Only line two.</p></article></body></html>"
    keys = frozenset(
        line_key(t) for t in ("Only line one of this little page here.", "Only line two.")
    )
    result = extract(short, "https://valley.example/x", boilerplate=LearnedBoilerplate(keys))
    assert "Only line one" in result.body
    assert any(n.startswith("dropped:learned-refused") for n in result.notes)


def test_worker_entry_point_is_picklable_and_removes_learned_lines() -> None:
    keys = frozenset({line_key(TEMPLATE_LINE)})
    with ProcessPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            extract_in_worker, article(3).encode(), "https://valley.example/3", keys
        ).result()
    assert TEMPLATE_LINE not in result.body
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s


def test_storage_learns_a_line_seen_on_many_articles(session: Session) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(MIN_PAGES):
        result = extract(article(n), f"https://valley.example/{n}")
        repo.record_page(
            session, "valley.example", boilerplate_candidates(result), start + timedelta(days=n)
        )
    session.commit()
    keys = repo.learned_keys(session, "valley.example", min_pages=MIN_PAGES, min_share=0.05)
    assert keys == {line_key(TEMPLATE_LINE)}
    explained = repo.explain(session, "valley.example", min_pages=MIN_PAGES, min_share=0.05)
    assert [line.text for line in explained] == [TEMPLATE_LINE]
    assert explained[0].pages == MIN_PAGES and explained[0].pages_seen == MIN_PAGES
    assert explained[0].last_seen == start + timedelta(days=MIN_PAGES - 1)
    assert "seen on 5 of 5 articles" in explained[0].reason
    # another host learned nothing
    assert (
        repo.learned_keys(session, "other.example", min_pages=MIN_PAGES, min_share=0.05)
        == frozenset()
    )
    # the loop closes: what storage learned removes the line from the next article
    learned = LearnedBoilerplate(keys, "valley.example")
    assert (
        TEMPLATE_LINE
        not in extract(article(99), "https://valley.example/99", boilerplate=learned).body
    )


def test_storage_prune_drops_one_off_lines(session: Session) -> None:
    seen = datetime(2024, 1, 1, tzinfo=UTC)
    repo.record_page(session, "valley.example", {("k1", "once"), ("k2", "twice")}, seen)
    repo.record_page(session, "valley.example", {("k2", "twice")}, seen)
    session.commit()
    assert repo.prune(session, seen_before=seen + timedelta(days=1)) == 1
    session.commit()
    seen_count, counts = repo.line_counts(session, "valley.example")
    assert seen_count == 2 and counts == {"k2": 2}


def test_worker_resets_caches_every_hundred_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools

    from scraper.extraction import worker

    resets: list[int] = []
    monkeypatch.setattr(worker, "_CALLS", itertools.count(1))
    monkeypatch.setattr(worker, "reset_caches", lambda: resets.append(1))
    html = article(1).encode()
    for _ in range(worker.RESET_EVERY * 2 + 5):
        worker.extract_in_worker(html, "https://valley.example/1", None)
    assert len(resets) == 2
