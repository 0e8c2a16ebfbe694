"""Turning archive values into text for a terminal or a pipe."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import click

from storage import Segment, VersionDiff


def iso(value: date | None) -> str | None:
    """ISO 8601 as stated: a time with its offset, a day as ``YYYY-MM-DD``."""
    return value.isoformat() if value is not None else None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def body_diff_text(segments: Iterable[Segment], *, color: bool) -> str:
    """A readable word diff: ``[-removed-]{+added+}``, red and green on a terminal."""
    parts: list[str] = []
    for seg in segments:
        if seg.op == "equal":
            parts.append(seg.text)
        else:
            parts.append(_marked(seg.text, seg.op, color=color))
    text = " ".join(p for p in parts if p)
    return text.replace(" \n\n", "\n\n").replace("\n\n ", "\n\n")


def _marked(text: str, op: str, *, color: bool) -> str:
    """Mark each paragraph of a changed run on its own, so breaks stay outside the markers."""
    pieces = []
    for piece in text.split("\n\n"):
        if not piece.strip():
            pieces.append(piece)
        elif color:
            style = (
                {"fg": "red", "strikethrough": True}
                if op == "delete"
                else {"fg": "green", "underline": True}
            )
            pieces.append(click.style(piece, **style))  # type: ignore[arg-type]
        else:
            pieces.append(f"[-{piece}-]" if op == "delete" else f"{{+{piece}+}}")
    return "\n\n".join(pieces)


def diff_text(diff: VersionDiff, *, color: bool, context_paragraphs: int | None = 1) -> str:
    """Field changes first, then the body diff limited to changed paragraphs and their neighbours."""
    lines: list[str] = []
    for change in diff.fields:
        old = click.style(change.old or "∅", fg="red") if color else change.old or "∅"
        new = click.style(change.new or "∅", fg="green") if color else change.new or "∅"
        lines.append(f"{change.name}: {old} → {new}")
    if any(seg.op != "equal" for seg in diff.body):
        lines.append(f"body: +{diff.words_added} / -{diff.words_removed} words")
        lines.append("")
        text = body_diff_text(diff.body, color=color)
        lines.append(
            _only_changed(text, context_paragraphs) if context_paragraphs is not None else text
        )
    elif not diff.fields:
        lines.append("no differences")
    return "\n".join(lines)


def _only_changed(text: str, context: int) -> str:
    paragraphs = text.split("\n\n")
    marks = ("[-", "{+", "\x1b[")
    changed = [i for i, p in enumerate(paragraphs) if any(m in p for m in marks)]
    keep = sorted(
        {
            j
            for i in changed
            for j in range(i - context, i + context + 1)
            if 0 <= j < len(paragraphs)
        }
    )
    out: list[str] = []
    last = -1
    for i in keep:
        if last >= 0 and i > last + 1:
            out.append("…")
        out.append(paragraphs[i])
        last = i
    return "\n\n".join(out)
