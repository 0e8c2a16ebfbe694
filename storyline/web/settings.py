"""The web app's settings, decided once by the CLI (or a test) and passed in frozen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebSettings:
    """How much a page shows and how much work a diff may do.

    ``diff_exact_tokens``: a changed block up to this many words a side is diffed word by
    word exactly; up to ``diff_max_tokens`` with difflib's popular-word heuristic; larger
    blocks are shown as replaced whole, so a 5 MB body cannot stall a request.
    ``diff_shown_chars``: how much text one diff view shows before it is cut (with a note).
    """

    title: str = "storyline"
    page_size: int = 50
    feed_size: int = 50
    context_paragraphs: int = 1
    diff_exact_tokens: int = 4_000
    diff_max_tokens: int = 60_000
    diff_shown_chars: int = 300_000
    search_limit: int = 100
