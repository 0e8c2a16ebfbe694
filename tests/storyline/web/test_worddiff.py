"""The diff page's bounded body diff agrees with the archive's own word diff."""

from __future__ import annotations

import random

import pytest

from storage.diffs import body_diff
from storage.text import comparable_body, words
from storyline.web.worddiff import DiffLimits, Paragraph, diff_bodies
from tests.newssite import paragraph

WHOLE = DiffLimits(context=None)


def _text(paragraphs: tuple[Paragraph, ...], skip: str) -> str:
    return "\n\n".join(" ".join(s.text for s in p if s.op != skip) for p in paragraphs)


def _side(diff: object, name: str, skip: str) -> str:
    rows = diff.rows  # type: ignore[attr-defined]
    return "\n\n".join(t for t in (_text(getattr(r, name), skip) for r in rows) if t)


def _edited(rng: random.Random, paragraphs: list[str]) -> list[str]:
    new = list(paragraphs)
    for _ in range(rng.randint(1, 4)):
        action = rng.choice(["word", "insert", "delete", "replace"])
        i = rng.randrange(len(new))
        if action == "word":
            tokens = new[i].split()
            tokens[rng.randrange(len(tokens))] = "CHANGED"
            new[i] = " ".join(tokens)
        elif action == "insert":
            new.insert(i, paragraph(rng))
        elif action == "delete" and len(new) > 1:
            del new[i]
        else:
            new[i] = paragraph(rng)
    return new


@pytest.mark.parametrize("seed", range(12))
def test_views_rebuild_both_bodies_and_counts_match_body_diff(seed: int) -> None:
    rng = random.Random(seed)
    old = [paragraph(rng) for _ in range(rng.randint(1, 12))]
    new = _edited(rng, old)
    a, b = "\n\n".join(old), "\n\n".join(new)
    diff = diff_bodies(a, b, WHOLE)
    assert _side(diff, "old", "insert") == comparable_body(a)
    assert _side(diff, "new", "delete") == comparable_body(b)
    reference = body_diff(a, b)
    added = sum(len(words(s.text)) for s in reference if s.op == "insert")
    removed = sum(len(words(s.text)) for s in reference if s.op == "delete")
    assert (diff.words_added, diff.words_removed) == (added, removed)


def test_context_cuts_unchanged_paragraphs_and_counts_them() -> None:
    rng = random.Random(1)
    old = [paragraph(rng) for _ in range(10)]
    new = list(old)
    new[5] = new[5] + " Added words."
    diff = diff_bodies("\n\n".join(old), "\n\n".join(new), DiffLimits(context=1))
    assert [r.op for r in diff.rows] == ["equal", "change", "equal"]
    first, _, last = diff.rows
    assert (first.skipped, len(first.new), first.gap_at) == (4, 1, 0)
    assert (last.skipped, len(last.new), last.gap_at) == (3, 1, 1)


def test_a_block_too_large_is_shown_replaced_whole() -> None:
    old = " ".join(f"a{i}" for i in range(500))
    new = " ".join(f"b{i}" for i in range(500))
    diff = diff_bodies(old, new, DiffLimits(max_tokens=100, context=None))
    assert diff.coarse and (diff.words_added, diff.words_removed) == (500, 500)
    assert _side(diff, "new", "delete") == new


def test_a_view_stops_at_its_size_limit() -> None:
    body = " ".join(f"w{i}" for i in range(10_000))
    diff = diff_bodies("x", body, DiffLimits(shown_chars=1_000, context=None))
    assert diff.truncated
    shown = sum(len(s.text) for r in diff.rows for p in r.inline for s in p)
    assert shown < 1_100
