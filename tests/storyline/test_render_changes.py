"""The one-line and multi-line renderings of a change classification."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.changes import classify_change
from storage.versioning import VersionFields
from storyline.render_changes import describe_changes, summarise_changes

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _fields(headline: str, authors: tuple[str, ...], body: str) -> VersionFields:
    return VersionFields(headline, authors, T0, None, None, "en", body, "x")


def test_summary_of_a_real_classification() -> None:
    words = " ".join(f"w{i}" for i in range(100))
    old = _fields("Old", ("A B",), words)
    new = _fields("New", ("C D",), words + " extra words here\n\nCorrection: fixed a name.")
    changes = classify_change(old, new)
    assert summarise_changes(changes) == (
        "headline; byline +C D, −A B; body +7/−0 words (3%); correction note"
    )
    lines = describe_changes(changes)
    assert lines[0].startswith("changes: headline")
    assert lines[1] == "  correction note: “Correction: fixed a name.”"


def test_nothing_to_say() -> None:
    assert summarise_changes({}) == ""
    assert summarise_changes(None) == ""
    assert describe_changes({"kinds": []}) == []
