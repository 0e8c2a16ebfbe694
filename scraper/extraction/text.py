"""Extraction's text keys, in one place: how the extractor folds and compares short texts
(headlines, names, lines). Storage has its own notion of a comparable body and of words
(:mod:`storage.text`); these are the extractor's matching keys, never stored as text.

- :func:`fold`: entities unescaped, white space (typographic and zero-width spaces too)
  folded (a text as a reader sees it);
- :func:`fold_spaces`: every run of spaces (no-break, thin, zero-width too) as one space;
- :func:`squash`: case-folded, without spaces or punctuation (labels, names, slugs);
- :func:`norm`: case-folded, punctuation as spaces (lines compared word by word);
- :func:`normalise_line`: :func:`norm` after NFKC, years folded (learned boilerplate);
- :func:`ascii_key`: ASCII letters and digits only (names against URL slugs);

and two readings of a line: :func:`final_mark` (what it ends in, closing quotes skipped) and
:func:`reads_as_code` (a script's source shown as text).
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"[\s\xa0\u2000-\u200b\u202f\u205f\u3000]+")
_NOT_WORD = re.compile(r"[\W_]+")
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
#: Quotation marks and closing brackets that may follow a sentence's last mark (every quote
#: mark: German closes with “ and «, French with »).
CLOSERS = "\"'“”‘’«»‹›)]）」』"
_CLOSERS_AND_SPACES = CLOSERS + " \t\n\r\xa0\u3000"
#: A word of program code: an assignment, a brace, a logical operator, a line comment, a
#: method call ("document.write(").
_CODE_WORD = re.compile(r"[={}]|&&|\|\||^//|^[\w$]+(?:\.\w+)+\(")
#: Share of a text's words that are code above which the text is a program's source.
CODE_SHARE = 0.2


def fold(text: str | None) -> str:
    """Unescape entities and fold white space, typographic and zero-width spaces included."""
    if not text:
        return ""
    return fold_spaces(htmllib.unescape(text))


def fold_spaces(text: str) -> str:
    """Each run of white space, typographic and zero-width spaces included, as one space;
    the ends stripped: a block's text as the body stores it."""
    return _SPACES.sub(" ", text).strip()


def squash(text: str) -> str:
    """Lower case without spaces or punctuation: for comparing labels and names."""
    return _NOT_WORD.sub("", text.casefold())


def norm(text: str) -> str:
    """Lower case with punctuation as single spaces ("Don't miss!" -> "don t miss")."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def normalise_line(text: str) -> str:
    """Case-, space-, punctuation- and number-insensitive form of a line.

    Years are folded so that "© 2024 Site" and "© 2025 Site" are one line; other numbers
    are kept ("Day 3 of the trial" and "Day 4 of the trial" are different lines).
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _YEARS.sub("yyyy", text)
    return _NOT_WORD.sub(" ", text).strip()


def ascii_key(text: str) -> str:
    """Lower case ASCII letters and digits only ("Zoë Brändli" -> "zoebrandli")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_ASCII_WORD.sub("", decomposed.encode("ascii", "ignore").decode())


def alternation(words: Iterable[str]) -> str:
    """``words`` as a regex alternation of literals, longest first, so that a phrase is
    matched whole before a shorter one it begins with ("read more" before "read")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def final_mark(text: str) -> str:
    """The last character of a line, past white space and closing quotes and brackets
    ('He said "no?"' -> "?"); empty for an empty line. What a sentence or a question ends in."""
    return text.rstrip(_CLOSERS_AND_SPACES)[-1:]


def reads_as_code(text: str) -> bool:
    """A script's source, not prose: more than :data:`CODE_SHARE` of its words (five or
    more) are code. On a damaged page (a broken doctype, a script opened inside a comment)
    the parser reads a script as text. Prose with a formula, a URL or an aside stays prose."""
    words = text.split()
    if len(words) < 5:
        return False
    return sum(1 for w in words if _CODE_WORD.search(w)) > CODE_SHARE * len(words)
