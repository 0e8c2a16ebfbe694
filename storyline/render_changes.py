"""Plain-text rendering of a stored change classification (``version.changes``).

Used by ``storyline history`` (one summary line per version) and ``storyline diff`` (a few
lines above the word diff). The classification itself is made in :mod:`storage.changes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOTE_LABELS = {
    "correction": "correction note",
    "update": "update note",
    "editors-note": "editor's note",
}

DATE_LABELS = {"published_at": "published", "modified_at": "modified"}


def _byline(byline: Mapping[str, Any]) -> str:
    parts = [f"+{name}" for name in byline.get("added", [])]
    parts += [f"−{name}" for name in byline.get("removed", [])]
    return "byline " + ", ".join(parts) if parts else "byline"


def _body(body: Mapping[str, Any]) -> str:
    share = float(body.get("share", 0.0))
    percent = f"{share * 100:.0f}%" if share >= 0.005 else "<1%"
    return f"body +{body.get('words_added', 0)}/−{body.get('words_removed', 0)} words ({percent})"


def summarise_changes(changes: Mapping[str, Any] | None) -> str:
    """One line, e.g. ``headline; body +12/−3 words (4%); correction note``; "" for none."""
    if not changes:
        return ""
    parts: list[str] = []
    for kind in changes.get("kinds", []):
        if kind == "headline":
            parts.append("headline")
        elif kind == "byline":
            parts.append(_byline(changes.get("byline", {})))
        elif kind == "dates":
            names = [DATE_LABELS.get(n, n) for n in changes.get("dates", {})]
            parts.append("dates (" + ", ".join(names) + ")" if names else "dates")
        elif kind == "body":
            parts.append(_body(changes.get("body", {})))
        elif kind == "moved":
            parts.append(f"moved from {changes.get('moved', {}).get('from', '?')}")
        elif kind in NOTE_LABELS:
            parts.append(NOTE_LABELS[kind])
        else:
            parts.append(str(kind))
    return "; ".join(parts)


def describe_changes(changes: Mapping[str, Any] | None) -> list[str]:
    """Several lines for ``diff``: the summary, then each note that appeared, quoted."""
    summary = summarise_changes(changes)
    if not summary or changes is None:
        return []
    lines = [f"changes: {summary}"]
    for note in changes.get("notes", []):
        label = NOTE_LABELS.get(str(note.get("kind")), "note")
        lines.append(f"  {label}: “{note.get('text', '')}”")
    return lines
