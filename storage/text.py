"""The one notion of text the archive compares and counts with.

Version comparison, the stored change summary, ``history``'s word counts, ``diff`` and the
export all read a body through :func:`comparable_body` and count it with :func:`words`, so
what one of them treats as noise (a relative stamp such as "Updated 2 hours ago", white
space, invisible characters) is noise to all of them, and their numbers agree. The stored
body itself is kept as extracted.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")
#: "Updated 5 minutes ago" and friends change on every fetch without the story changing.
RELATIVE_TIME = re.compile(
    r"\b(?:(?:updated|posted|published|aktualisiert|vor)\s+)?(?:an?|\d+)\s+"
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|minuten|stunden|tagen)\s+ago\b\.?",
    re.IGNORECASE,
)
PARAGRAPH_BREAK = "\n\n"


def fold_text(text: str | None) -> str:
    """Unicode NFC, invisible characters dropped, runs of white space folded to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()


def comparable_paragraphs(body: str) -> list[str]:
    """The body's paragraphs folded, relative timestamps removed, empty ones dropped."""
    folded = (fold_text(RELATIVE_TIME.sub("", p)) for p in body.split(PARAGRAPH_BREAK))
    return [p for p in folded if p]


def comparable_body(body: str) -> str:
    """The body as comparison and counting see it (paragraphs joined by one blank line)."""
    return PARAGRAPH_BREAK.join(comparable_paragraphs(body))


def words(text: str) -> list[str]:
    """The one word tokenizer: runs of non-space characters."""
    return text.split()


def word_count(body: str) -> int:
    """Words of the body as comparison sees it (relative stamps are not words of the story)."""
    return len(words(comparable_body(body)))
