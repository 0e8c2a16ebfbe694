"""Per-host boilerplate learned from the archive: pure helpers, no storage.

A site repeats its template on every page; the lines of it that survive main-content
extraction (a section label, "Follow us on ...", a fixed disclaimer) recur across many
*different* articles of one host, while an article's own text does not. The pipeline
records, per host, on how many distinct articles each normalised line was seen
(:func:`boilerplate_candidates`), and passes the lines that crossed the threshold back into
the next extraction as a :class:`LearnedBoilerplate`.

Safety: only short lines (≤ :data:`MAX_WORDS` words) are ever candidates; a line needs
:data:`MIN_PAGES` distinct articles *and* :data:`MIN_SHARE` of the host's articles; and
extraction refuses to let learned lines remove more than half of a body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scraper.extraction.text import normalise_line

#: A line must have been seen on at least this many distinct articles of the host ...
MIN_PAGES = 5
#: ... and on at least this share of the articles seen on the host.
MIN_SHARE = 0.05
#: Lines longer than this are never learned (article prose is long; template lines are short).
MAX_WORDS = 40


def line_key(text: str) -> str:
    """The 64-character key stored for a line (SHA-256 of its normalised form)."""
    return hashlib.sha256(normalise_line(text).encode("utf-8")).hexdigest()


def learnable(text: str) -> bool:
    """Whether a line may ever be learned as boilerplate."""
    norm = normalise_line(text)
    return bool(norm) and len(text.split()) <= MAX_WORDS


def candidates_from_lines(lines: Iterable[str]) -> frozenset[tuple[str, str]]:
    """``(key, sample text)`` for each learnable line, once per key."""
    found: dict[str, str] = {}
    for line in lines:
        if learnable(line):
            found.setdefault(line_key(line), line.strip()[:500])
    return frozenset(found.items())


@dataclass(frozen=True)
class LearnedBoilerplate:
    """The lines learned as boilerplate for one host, by key.

    Build it with :meth:`from_counts` from what storage recorded, or directly from keys.
    """

    keys: frozenset[str] = frozenset()
    host: str | None = None

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[str, int],
        pages_seen: int,
        *,
        host: str | None = None,
        min_pages: int = MIN_PAGES,
        min_share: float = MIN_SHARE,
    ) -> LearnedBoilerplate:
        """Keys seen on ``>= min_pages`` articles and ``>= min_share`` of ``pages_seen``."""
        floor = max(min_pages, min_share * pages_seen)
        return cls(frozenset(k for k, n in counts.items() if n >= floor), host)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and learnable(text) and line_key(text) in self.keys

    def __len__(self) -> int:
        return len(self.keys)
