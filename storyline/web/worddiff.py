"""The body diff the diff page shows: paragraphs aligned first, then words, with bounded work.

:func:`storage.diffs.body_diff` diffs the whole body word by word, which is exact but costs
seconds on a long article and unbounded time on a hostile 5 MB body. Here the comparable
paragraphs (:func:`storage.text.comparable_paragraphs`, the same text the archive compares)
are aligned first; only the blocks of changed paragraphs are diffed word by word
(:func:`storage.text.words`, the one tokenizer). A block too large for that is shown as
replaced whole, and each view stops after a set number of characters, saying so.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from storage.text import PARAGRAPH_BREAK, comparable_paragraphs, words

Op = Literal["equal", "insert", "delete", "skip"]
#: unchanged words kept on each side of a change inside a changed block (when not whole)
CONTEXT_WORDS = 40


@dataclass(frozen=True)
class Span:
    """Words that are in both versions, only in the new one, or only in the old one
    (``skip``: a note that unchanged words were left out here)."""

    op: Op
    text: str


Paragraph = tuple[Span, ...]


@dataclass(frozen=True)
class Row:
    """Paragraphs that are the same in both (``equal``) or a block that changed.

    For an equal row, ``old``/``new``/``inline`` are the same paragraphs and ``skipped``
    counts the unchanged paragraphs left out between them (context only).
    """

    op: Literal["equal", "change"]
    old: tuple[Paragraph, ...]
    new: tuple[Paragraph, ...]
    inline: tuple[Paragraph, ...]
    skipped: int = 0
    #: where the skipped paragraphs were: before this many shown paragraphs
    gap_at: int = 0
    #: the block was too large to diff word by word and is shown replaced whole
    coarse: bool = False


@dataclass(frozen=True)
class BodyDiff:
    rows: tuple[Row, ...]
    words_added: int
    words_removed: int
    #: some text was left out because the view reached its size limit
    truncated: bool = False
    #: the comparable paragraphs of the changed blocks, old side and new side (where a
    #: note that appeared can be: an unchanged paragraph is in both versions)
    old_changed: tuple[str, ...] = ()
    new_changed: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return any(row.op == "change" for row in self.rows)

    @property
    def coarse(self) -> bool:
        return any(row.coarse for row in self.rows)


@dataclass(frozen=True)
class DiffLimits:
    exact_tokens: int = 4_000
    max_tokens: int = 60_000
    shown_chars: int = 300_000
    context: int | None = 1


@dataclass
class _Budget:
    """Characters a view may still show; once spent, text is cut and ``cut`` is set."""

    left: int
    cut: bool = False

    def take(self, text: str) -> str:
        if self.left <= 0:
            self.cut = True
            return ""
        if len(text) > self.left:
            text = text[: self.left] + " …"
            self.cut = True
        self.left -= len(text)
        return text


@dataclass
class _Paragraphs:
    """Spans collected into paragraphs; a PARAGRAPH_BREAK token starts a new paragraph."""

    budget: _Budget
    done: list[Paragraph] = field(default_factory=list)
    current: list[Span] = field(default_factory=list)

    def add(self, op: Op, tokens: Sequence[str]) -> None:
        if self.budget.left <= 0:
            self.budget.cut = self.budget.cut or bool(tokens)
            return
        run: list[str] = []
        for token in tokens:
            if token == PARAGRAPH_BREAK:
                self._span(op, run)
                run = []
                self.end()
            else:
                run.append(token)
        self._span(op, run)

    def _span(self, op: Op, run: list[str]) -> None:
        if not run:
            return
        text = self.budget.take(" ".join(run))
        if not text:
            return
        if self.current and self.current[-1].op == op:
            text = self.current.pop().text + " " + text
        self.current.append(Span(op, text))

    def skip(self, note: str) -> None:
        self.current.append(Span("skip", note))

    def end(self) -> None:
        if self.current:
            self.done.append(tuple(self.current))
            self.current = []

    def result(self) -> tuple[Paragraph, ...]:
        self.end()
        return tuple(self.done)


def _tokens(paragraphs: Sequence[str]) -> list[str]:
    tokens: list[str] = []
    for paragraph in paragraphs:
        if tokens:
            tokens.append(PARAGRAPH_BREAK)
        tokens.extend(words(paragraph))
    return tokens


def _common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """Lengths of the common prefix and (not overlapping it) the common suffix."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _word_opcodes(
    a: list[str], b: list[str], limits: DiffLimits
) -> tuple[list[tuple[Op, list[str]]], bool]:
    """The word runs of one changed block, and whether it was too large to diff by word."""
    head, tail = _common_ends(a, b)
    runs: list[tuple[Op, list[str]]] = []
    if head:
        runs.append(("equal", a[:head]))
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    size = max(len(mid_a), len(mid_b))
    coarse = size > limits.max_tokens
    if coarse:
        runs += [("delete", mid_a), ("insert", mid_b)]
    else:
        matcher = difflib.SequenceMatcher(a=mid_a, b=mid_b, autojunk=size > limits.exact_tokens)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                runs.append(("equal", mid_a[i1:i2]))
                continue
            if i2 > i1:
                runs.append(("delete", mid_a[i1:i2]))
            if j2 > j1:
                runs.append(("insert", mid_b[j1:j2]))
    if tail:
        runs.append(("equal", a[len(a) - tail :]))
    return [(op, run) for op, run in runs if run], coarse


def _paragraph_blocks(
    a: list[str], b: list[str], limits: DiffLimits
) -> list[tuple[str, int, int, int, int]]:
    """Paragraph opcodes: common ends trimmed first, so an unchanged 5 MB body costs little."""
    head, tail = _common_ends(a, b)
    blocks: list[tuple[str, int, int, int, int]] = []
    if head:
        blocks.append(("equal", 0, head, 0, head))
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(mid_a) + len(mid_b) > limits.max_tokens // 10:
        # too many paragraphs to align cheaply: one changed block (then diffed or shown whole)
        if mid_a or mid_b:
            blocks.append(("replace", head, len(a) - tail, head, len(b) - tail))
    else:
        matcher = difflib.SequenceMatcher(a=mid_a, b=mid_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            blocks.append((tag, head + i1, head + i2, head + j1, head + j2))
    if tail:
        blocks.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return blocks


def _equal_row(
    paragraphs: list[str], first: bool, last: bool, limits: DiffLimits, budget: _Budget
) -> Row:
    """Unchanged paragraphs, cut to ``limits.context`` on each side that touches a change."""
    keep_head = keep_tail = len(paragraphs)
    if limits.context is not None:
        keep_head = 0 if first else limits.context
        keep_tail = 0 if last else limits.context
    if keep_head + keep_tail >= len(paragraphs):
        shown, skipped, keep_head = paragraphs, 0, 0
    else:
        tail_part = paragraphs[len(paragraphs) - keep_tail :] if keep_tail else []
        shown = paragraphs[:keep_head] + tail_part
        skipped = len(paragraphs) - len(shown)
    collected = _Paragraphs(budget)
    for paragraph in shown:
        collected.add("equal", words(paragraph))
        collected.end()
    result = collected.result()
    return Row("equal", result, result, result, skipped=skipped, gap_at=keep_head)


def _trim_equal_runs(runs: list[tuple[Op, list[str]]]) -> list[tuple[Op, list[str]]]:
    """Long unchanged runs inside a changed block cut to CONTEXT_WORDS around the changes."""
    trimmed: list[tuple[Op, list[str]]] = []
    for index, (op, run) in enumerate(runs):
        if op != "equal" or len(run) <= 2 * CONTEXT_WORDS + 10:
            trimmed.append((op, run))
            continue
        head = run[:CONTEXT_WORDS] if index > 0 else []
        tail = run[len(run) - CONTEXT_WORDS :] if index < len(runs) - 1 else []
        left_out = len(run) - len(head) - len(tail)
        trimmed += [("equal", head), ("skip", [f"… {left_out} unchanged words …"]), ("equal", tail)]
    return [(op, run) for op, run in trimmed if run]


def _change_row(
    old: list[str], new: list[str], limits: DiffLimits, budget: _Budget
) -> tuple[Row, int, int]:
    runs, coarse = _word_opcodes(_tokens(old), _tokens(new), limits)
    if limits.context is not None:
        runs = _trim_equal_runs(runs)
    views = {name: _Paragraphs(budget) for name in ("old", "new", "inline")}
    added = removed = 0
    for op, run in runs:
        if op == "skip":
            for view in views.values():
                view.skip(run[0])
            continue
        if op != "insert":
            views["old"].add(op, run)
        if op != "delete":
            views["new"].add(op, run)
        views["inline"].add(op, run)
        counted = sum(1 for token in run if token != PARAGRAPH_BREAK)
        if op == "insert":
            added += counted
        elif op == "delete":
            removed += counted
    row = Row(
        "change",
        views["old"].result(),
        views["new"].result(),
        views["inline"].result(),
        coarse=coarse,
    )
    return row, added, removed


def diff_bodies(old: str, new: str, limits: DiffLimits | None = None) -> BodyDiff:
    """Rows of unchanged and changed paragraphs between two bodies, words counted."""
    limits = limits or DiffLimits()
    a, b = comparable_paragraphs(old), comparable_paragraphs(new)
    blocks = _paragraph_blocks(a, b, limits)
    budget = _Budget(limits.shown_chars)
    rows: list[Row] = []
    added = removed = 0
    old_changed: list[str] = []
    new_changed: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(blocks):
        if tag == "equal":
            first, last = index == 0, index == len(blocks) - 1
            rows.append(_equal_row(a[i1:i2], first, last, limits, budget))
            continue
        old_changed += a[i1:i2]
        new_changed += b[j1:j2]
        row, plus, minus = _change_row(a[i1:i2], b[j1:j2], limits, budget)
        rows.append(row)
        added += plus
        removed += minus
    return BodyDiff(
        tuple(rows),
        added,
        removed,
        truncated=budget.cut,
        old_changed=tuple(old_changed),
        new_changed=tuple(new_changed),
    )
