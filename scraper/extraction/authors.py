"""Turning author fields into a clean list of person names.

Author fields carry junk: "By", roles ("Senior Reporter"), "Email the author", profile
URLs, photo credits, agency or site names posing as people, several names in one string.
:func:`clean_authors` splits, strips and validates; what is not plausibly a person's name
is dropped rather than guessed at.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from scraper.extraction.phrases import (
    ACCOUNT_WORDS,
    AUTHOR_PREFIXES,
    BYLINE_LABELS,
    BYLINE_NOUN_LABELS,
    CJK_BYLINE_LABELS,
    CJK_NOT_PERSON_WORDS,
    CJK_ORGANISATION_ENDINGS,
    CJK_ROLE_SUFFIXES,
    CREDENTIALS,
    DATE_LEAD_WORDS,
    FULL_NAME_JOINERS,
    MONTHS,
    MORE_NAME_JOINERS,
    NAME_PARTICLES,
    NEWS_AGENCIES,
    NEWSROOM_WORDS,
    NOT_AUTHOR_ROLES,
    NOT_PERSON_WORDS,
    ORGANISATION_MARKERS,
    PLACE_ARTICLES,
    PLACE_LEADS,
    PUBLICATION_LEADS,
    ROLE_WORDS,
)
from scraper.extraction.text import alternation, ascii_key, squash

_SPLIT = re.compile(
    r"\s*(?:[,;&/|•·\n、，；／]|\b(?:and|und|et|with|mit|"
    + "|".join(MORE_NAME_JOINERS)
    + r")\b)\s*",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(?:" + alternation(AUTHOR_PREFIXES) + r")\b\s*:?\s*",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|co|uk|fr|io)\b|@", re.IGNORECASE)
_WORD = re.compile(r"^[^\W\d_][\w'’.\-]*$")
_DIGIT = re.compile(r"\d")
_NUMERIC = re.compile(r"^[\d\W_]+$|^\d")


_TRAILING_JUNK = re.compile(
    r"\s+(?:alle artikel|all articles|all posts|alle beiträge|mehr|more|profil|profile|view profile)$",
    re.IGNORECASE,
)
_SPACED_DASH = re.compile(r"\s[-–—]\s")
#: An organisation's name (a legal form, an institution word, a web address in brackets).
ORGANISATION = re.compile(
    r"\b(?:" + "|".join(ORGANISATION_MARKERS) + r")\b|\((?:https?://)?www\.", re.IGNORECASE
)
_INITIAL_END = re.compile(r"(?:^|\s)[^\W\d_]\.$")


#: A letter of a Chinese, Japanese or Korean script (Han, kana, Hangul).
CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: A job title after a CJK name ("신현주 기자", "松岡大地記者").
_CJK_ROLE_END = re.compile(
    r"\s*(?:" + "|".join(sorted(CJK_ROLE_SUFFIXES, key=len, reverse=True)) + r")$"
)
#: A CJK credit label before the names ("责任编辑：", "记者 "); a one-letter label ("文",
#: also a surname) only with a separator after it.
CJK_LABEL = re.compile(
    r"^(?:(?:"
    + "|".join(sorted((x for x in CJK_BYLINE_LABELS if len(x) > 1), key=len, reverse=True))
    + r")\s*[：:＝=|｜／/]?|(?:"
    + "|".join(x for x in CJK_BYLINE_LABELS if len(x) == 1)
    + r")\s*[：:＝=|｜／/\s])\s*"
)
#: Longest CJK name (letters, spaces aside): longer is a phrase.
_MAX_CJK_NAME = 12


def _without_cjk_credit(part: str) -> str:
    """A CJK name without the label before it or the job title after it ("记者张三" ->
    "张三", "신현주 기자" -> "신현주"); other names as they are."""
    if not CJK.search(part):
        return part
    return _CJK_ROLE_END.sub("", CJK_LABEL.sub("", part)).strip()


def _strip(part: str) -> str:
    """Trim punctuation around a name, keeping the period of a final initial ("C.")."""
    part = part.strip(" :-–—'\"")
    if part.endswith(".") and not _INITIAL_END.search(part):
        part = part.rstrip(". ")
    return part.lstrip(". ")


def split_names(value: str) -> list[str]:
    """Split one author field into candidate name strings (before validation)."""
    value = html.unescape(value).replace("\xa0", " ")
    value = " ".join(value.split())
    value = _PARENS.sub(" ", value)
    parts: list[str] = []
    # a spaced dash separates too: "Jo Ek - Al Bo", "Jo Ek - Chrome Security team"
    pieces = (p for piece in _SPLIT.split(value) for p in _SPACED_DASH.split(piece))
    for part in (name for piece in pieces for name in _between_full_names(piece)):
        part = _strip(part)
        previous = None
        while part and previous != part:
            previous = part
            part = _strip(_PREFIX.sub("", part))
            part = _TRAILING_JUNK.sub("", part).strip()
        if part:
            parts.append(part)
    return parts


_FULL_NAME_JOINER = re.compile(r"\s+(?:" + "|".join(sorted(FULL_NAME_JOINERS)) + r")\s+")


def _full_name(words: list[str]) -> bool:
    """Two words or more, the first capitalised: a name that another may be joined to."""
    return len(words) >= 2 and words[0][:1].isupper()


def _between_full_names(part: str) -> list[str]:
    """``part`` split at a word of :data:`FULL_NAME_JOINERS` when every piece is a full
    name ("Jo Ek y Al Bo"); else whole ("José Ortega y Gasset")."""
    pieces = _FULL_NAME_JOINER.split(part)
    if len(pieces) < 2 or not all(_full_name(p.split()) for p in pieces):
        return [part]
    return pieces


#: A generation or regnal number after a name ("III"), kept in capitals.
_ROMAN = re.compile(r"^[IVX]+\.?$")
_VOWEL = re.compile(r"[AEIOUYÀ-ÖØ-Ý]")


def _title_case(word: str) -> str:
    """A word of a name printed in capitals, as the name is written: each part after an
    apostrophe or a hyphen capitalised ("O'NEILL" -> "O'Neill", "JEAN-LUC" ->
    "Jean-Luc"); a two-letter word only when it reads as a name ("JO", "AL", "LI"), not
    as initials ("TJ", "JD", "AJ"); a generation ("III") as printed."""
    if _ROMAN.match(word) or (len(word) <= 2 and (not _VOWEL.search(word) or word.endswith("J"))):
        return word
    return "".join(p.capitalize() for p in re.split(r"(['’\-])", word))


def clean_name(part: str, not_names: frozenset[str] = frozenset()) -> str | None:
    """A validated person name from one candidate string, or None."""
    if _URLISH.search(part):
        return None
    part = _without_cjk_credit(part)
    words = _before_place(part.split())
    if not words:
        return None
    part = " ".join(words)
    # digits: fine inside one handle ("c1ph4"), not as dates, times or counts
    if _DIGIT.search(part) and (len(words) > 1 or _NUMERIC.match(part)):
        return None
    # drop trailing role words ("Jane Doe Senior Reporter"), never down to one word: a
    # pen name may end in one ("Fliegender Reporter")
    while len(words) > 2 and words[-1].lower().strip(".,") in ROLE_WORDS:
        words.pop()
    # and leading ones ("Rechtsanwalt Jo Ek"), on the same terms
    while len(words) > 2 and words[0].lower().strip(".,") in ROLE_WORDS:
        words.pop(0)
    if not words or len(words) > 5 or words[0].lower().strip(".,") in ROLE_WORDS:
        return None
    if any(not _WORD.match(w) for w in words):
        return None
    lowered = [w.lower().strip(".") for w in words]
    if is_newsroom(part) or any(w in NOT_PERSON_WORDS for w in lowered):
        return None
    if len(words) == 1 and any(a in lowered[0] for a in ACCOUNT_WORDS):
        return None  # a CMS account ("wordpressadmin")
    if all(w in CREDENTIALS for w in lowered):
        return None
    if all(w in NAME_PARTICLES for w in lowered):
        return None
    # drop trailing lower-case words after a capitalised name ("Aurélien Roux le 3 mars")
    while (
        len(words) > 1
        and words[-1].isalpha()
        and words[-1].islower()
        and not part.islower()
        and words[-2][0].isupper()
    ):
        words.pop()
    name = " ".join(words)
    if len(name) < 2 or len(name) > 60:
        return None
    squashed = squash(name)
    if squashed in not_names:
        return None
    # a name starts with a capital letter (particles aside), unless all lower case is the
    # style; in Chinese, Japanese and Korean, which have no capitals, its length and
    # ending tell a name from a phrase or an organisation instead (other scripts without
    # capitals give no such sign: section labels and site names pass for names there)
    cjk = CJK.search(name) is not None and not any(c.isupper() or c.islower() for c in name)
    if not cjk and not any(w[0].isupper() for w in words) and not name.islower():
        return None
    # a CJK name is written in one or two words ("松岡大地", "松岡 大地"); more is a phrase
    if cjk and (
        len(words) > 2
        or len(name) - len(words) + 1 > _MAX_CJK_NAME
        or name.endswith(CJK_ORGANISATION_ENDINGS)
        or any(w in CJK_NOT_PERSON_WORDS for w in words)
    ):
        return None
    if name.isupper() and len(name) > 3:
        name = " ".join(_title_case(w) for w in words)
    return name


def _place_after_names(value: str, parts: list[str]) -> bool:
    """The last part of a byline is one word set after a comma behind a full name: where
    the writers are ("Von Jo Ek und Al Bo, Berlin"), not a third writer. A news agency
    there ("Jo Ek, dpa") is credited as the page credits it."""
    if len(parts) < 2 or " " in parts[-1] or not any(" " in p for p in parts[:-1]):
        return False
    if is_news_agency(parts[-1]):
        return False
    return re.search(r",\s*" + re.escape(parts[-1]) + r"[\s.]*$", value) is not None


def _before_place(words: list[str]) -> list[str]:
    """The words of a name before where its bearer writes from or for ("Jo Ek in Cape
    Town", "Jo Ek reporting from Kyiv", "Jo Ek for the Harbour Times": the place or the
    publication goes, a lower-case word left before it goes with the trailing ones below);
    none when the part is only that ("in Cape Town"). Only after two words or more: one
    word before it is an organisation's ("Friends for the Harbour")."""
    for i, word in enumerate(words[:-1]):
        if word not in PLACE_LEADS and word not in PUBLICATION_LEADS:
            continue
        rest = words[i + 1 :]
        article = rest[0] in PLACE_ARTICLES and len(rest) > 1
        if not rest[1 if article else 0][:1].isupper():
            continue
        if word in PUBLICATION_LEADS and not (
            article or is_newsroom(" ".join(rest)) or is_news_agency(" ".join(rest))
        ):
            continue
        if i == 0:
            return []
        name = words[:i]
        return name if len(name) >= 2 and name[0][:1].isupper() else words
    return words


def is_newsroom(value: str) -> bool:
    """A credit of a newsroom or a group of staff ("Redaktion", "Staff Writers")."""
    return any(w.strip(".,:;()") in NEWSROOM_WORDS for w in value.lower().split())


def is_news_agency(name: str) -> bool:
    """A news agency's name ("Reuters", "The Associated Press", "dpa", "A.F.P.")."""
    words = name.lower().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words).replace(".", "") in NEWS_AGENCIES


#: The word between a credit and the name it credits ("Photos by", "Fotos von").
BY = r"(?:by|von|par|por)"
#: A credit of other work than the writing, up to the next "<word> by" or the end:
#: "Edited by Al Bo" in "Written by Jo Ek Edited by Al Bo".
_OTHER_CREDIT = re.compile(
    # not a role shared with the writing: "Text and photos by Jo Ek" credits Jo Ek for both
    r"(?:^|(?<=[\s,;/|]))(?<!\band )(?<!\bund )(?<!\bet )(?<!\by )(?<!\be )(?<!& )(?<!\+ )(?:"
    + alternation(NOT_AUTHOR_ROLES)
    + rf")\s+{BY}\s+.*?(?=\s\S+\s+{BY}\s|$)",
    re.IGNORECASE | re.DOTALL,
)


#: Whom an interview is with, opening the byline or a part of it ("Interview with Al Bo",
#: "Entretien avec Al Bo"), up to a separator or a "by": the person asked, not the writer.
#: Not after a name: "Jo Ek im Gespräch mit Al Bo" puts either first.
_INTERVIEWEE = re.compile(
    r"(?:^|(?<=[,;/|]))\s*(?:interview|entretien|entrevista|intervista)\s+"
    rf"(?:with|avec|con)\s+[^,;/|]*?(?=\s*[,;/|]|\s+{BY}\s|$)",
    re.IGNORECASE,
)


def without_other_credits(text: str) -> str:
    """``text`` without its credits for editing, photos, translation and the like (see
    :data:`NOT_AUTHOR_ROLES`) and without whom an interview is with: the people they name
    did not write the article."""
    text, interviews = _INTERVIEWEE.subn("", text)
    if interviews:
        text = text.strip(" ,;/|")
    return _OTHER_CREDIT.sub("", text).strip(" ,;/|") if _OTHER_CREDIT.search(text) else text


def clean_authors(values: Iterable[str], not_names: Iterable[str] = ()) -> tuple[str, ...]:
    """Clean, validated, de-duplicated person names from raw author fields.

    ``not_names`` are names that are not people here (site name, publisher, host labels);
    they are compared ignoring case, spaces and punctuation.
    """
    blocked = frozenset(squash(n) for n in not_names if n)
    seen: set[str] = set()
    names: list[str] = []
    for value in values:
        if not value or _URLISH.search(value.split()[0] if value.split() else ""):
            continue
        if squash(value) in blocked:  # the site's name ("Tide & Time"): not two people
            continue
        value = without_other_credits(value)
        parts = split_names(value)
        if _place_after_names(value, parts):
            parts = parts[:-1]
        for part in parts:
            name = clean_name(part, blocked)
            if name is None:
                continue
            key = name.lower()
            if key in seen:
                continue
            seen.add(key)
            names.append(name)
    return tuple(names)


#: What may come before a byline label ("Ein Beitrag von", "Blog post by").
BYLINE_LEAD_IN = (
    r"^\s*(?:(?:ein\s+|a\s+)?(?:blog\s*)?(?:beitrag|gastbeitrag|artikel|post|article|story)\s+)?"
)
#: A text node that opens like a printed byline: the label, then a colon or a space.
BYLINE_LABEL = re.compile(
    BYLINE_LEAD_IN
    + r"(?:(?:"
    + alternation(BYLINE_LABELS)
    + r")(?:\s*:\s*|\s+|$)|(?:"
    + alternation(BYLINE_NOUN_LABELS)
    + r")(?:\s*:\s*|\s*$))",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|\d|[^\w\s]")
_NAME_JOINERS = frozenset({",", "&", "/", "und", "and", "et", *MORE_NAME_JOINERS})


def names_in_line(rest: str) -> list[str]:
    """The names opening ``rest``, the text after a byline label on the same line.

    "Henrike Vollmer und Jasper Tiedemann" gives both; a run of names ends at the end
    of the line, punctuation, a digit or a word leading to a date ("am 3. Mai"); another
    lower-case word right after a name means the label opened a sentence ("Von Berlin aus
    fährt ..."), and nothing is taken. A name followed by a colon is the next label, and
    a name ended by a full stop before that label is taken ("Jo Ek. Fotos: Al Bo").
    """
    tokens = _TOKEN.findall(rest[:200])
    if len(tokens) == 1 and tokens[0][0].isalpha():
        return [tokens[0]]  # a lone handle may be lower case ("von lupa")
    names: list[str] = []
    current: list[str] = []
    for index, token in enumerate(tokens):
        lowered = token.lower()
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if lowered.rstrip(".") in MONTHS and following.isdigit():
            break  # "Marlow September 3, 2016": the date begins
        if lowered in _NAME_JOINERS or (
            token in FULL_NAME_JOINERS and _joins(current, tokens, index)
        ):
            if not current:
                break
            names.append(" ".join(current))
            current = []
            continue
        if token in FULL_NAME_JOINERS and current:
            current.append(token)  # inside the name: "José Ortega y Gasset"
            continue
        if token[0].isalpha():
            if token[0].isupper() or (current and lowered in NAME_PARTICLES):
                current.append(token)
                if sum(t[0].isupper() for t in current) > 4:
                    return []  # too long for a name: a sentence
                continue
            if current and lowered not in DATE_LEAD_WORDS:
                return []
            break
        if token == ":":
            # the next credit's label: a name before it ended at its full stop ("Jo Ek.
            # Fotos: Al Bo"); an initial ("J.") ends no name
            ended = max(
                (i for i, t in enumerate(current) if len(t) > 2 and t[-1] == "."), default=-1
            )
            current = [*current[:ended], current[ended][:-1]] if ended > 0 else []
        break
    if current:
        names.append(" ".join(current))
    return names


def _joins(current: list[str], tokens: list[str], index: int) -> bool:
    """The word at ``index`` joins two full names: the one in ``current`` and the two
    capitalised words after it."""
    after = tokens[index + 1 : index + 3]
    return _full_name(current) and len(after) == 2 and all(t[0].isupper() for t in after)


def is_credit_line(text: str) -> bool:
    """A writer's name, then the organisations they write for ("Jo Ek, Harbour News
    Service; Harbour Post"): a byline without a label."""
    parts = [p.strip() for p in re.split(r"[,;]", text)]
    return (
        len(parts) >= 2
        and clean_authors(parts[:1]) == (parts[0],)
        and " " in parts[0]
        and bool(ORGANISATION.search(parts[1]))
    )


def names_alone(text: str) -> list[str]:
    """The names when ``text`` is nothing but names ("Jo Ek / Al Bo Lind"), a credit
    without a label; else nothing (a sentence, a date or a label goes with them)."""
    names = names_in_line(text)
    words = [t for t in _TOKEN.findall(text) if t.lower() not in _NAME_JOINERS]
    named = " ".join(names).split()
    return (
        names
        if [w for w in words if w not in FULL_NAME_JOINERS]
        == [w for w in named if w not in FULL_NAME_JOINERS]
        else []
    )


def is_handle(name: str) -> bool:
    """One token: a user name ("zoe_brandli", "karlottaweinholt") or a first name."""
    return " " not in name.strip()


def same_person(short: str, full: str) -> bool:
    """``full`` is the full-name form of the one-token ``short``: the same letters with the
    spaces and accents taken out, or ``short`` is its first name."""
    words = full.split()
    if not 2 <= len(words) <= 4 or not is_handle(short):
        return False
    key = ascii_key(short)
    return bool(key) and (key == ascii_key(full) or key == ascii_key(words[0]))


_DOTTED_HANDLE = re.compile(r"^[^\W\d_]{2,}[._][^\W\d_]{2,}$")


def _dotted(handle: str) -> str:
    """A lower-case "first.last" or "first_last" user name written as a name ("First Last")."""
    if _DOTTED_HANDLE.match(handle) and handle.islower():
        return " ".join(p.capitalize() for p in re.split(r"[._]", handle))
    return handle


def prefer_full_names(names: Iterable[str], candidates: Iterable[str]) -> tuple[str, ...]:
    """Each one-token name replaced by a full form of it found among ``candidates``."""
    pool = [c for c in candidates if " " in c]
    out: list[str] = []
    for name in names:
        if is_handle(name):
            name = next((c for c in pool if same_person(name, c)), None) or _dotted(name)
        if name.casefold() not in (n.casefold() for n in out):
            out.append(name)
    return tuple(out)
