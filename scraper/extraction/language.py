"""The article's language: the text says it more reliably than the template's ``lang``.

The script settles most languages (kana → ja, Hangul → ko, Greek → el …). Scripts many
languages share (Latin, Cyrillic, Arabic, Devanagari) go to a vote of function words: the
most frequent words of each language's jusText stoplist (Wikipedia frequency order), each
hit worth the log-odds of its Zipf frequency against an unlisted word. The table is built
on first use and holds a few MB.
"""

from __future__ import annotations

import bisect
import importlib.util
import math
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from scraper.extraction.language_data import ALIASES, SCRIPT_LANGUAGE, SCRIPT_RANGES, STOPLISTS

#: Below this many characters of body, trust the declared language over the classifier.
MIN_CHARS = 200
#: Characters of text looked at.
SAMPLE = 2000
#: Words kept per stoplist, most frequent first (the big languages' lists are shorter).
TOP_WORDS = 600
#: Weights are stored as bytes in steps of 1 / STEP.
STEP = 30
#: Zipf: the word of rank r has frequency about ZIPF / r; an unlisted word FLOOR.
ZIPF, FLOOR = 0.08, 2e-5
#: The declared language stands if its score is within this share of the best.
NEAR_TIE = 0.1
#: Fewer hits than this, or a smaller share of words hit, is too weak to overrule.
MIN_HITS, MIN_SHARE = 3, 0.1

_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
#: A run of letters (with the combining marks Devanagari and Arabic write inside words)
#: that no digit or underscore touches: "1a" and "covid19" are no words.
_WORD = re.compile(rf"(?<![\w{_MARKS}])(?:[^\W\d_]|[{_MARKS}])++(?![\w{_MARKS}])")
_STARTS = [start for start, _, _ in SCRIPT_RANGES]
_CJK = frozenset({"Han", "Kana", "Hangul"})


def detect_language(text: str, declared: str | None) -> str | None:
    """ISO 639-1 code of ``text``; the declared language wins on short texts or a near tie."""
    if len(text) < MIN_CHARS:
        return declared
    sample = text[:SAMPLE]
    script = dominant_script(sample)
    if script is None:
        return declared
    if script == "Han":
        return "ja" if _kana_share(sample) >= 0.1 else "zh"
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    scores, hits, words = score(sample, script)
    if not scores:
        return declared
    best = max(scores, key=scores.__getitem__)
    if hits[best] < MIN_HITS or hits[best] < MIN_SHARE * words:
        return declared or best
    if declared and ALIASES.get(declared, declared) != best:
        mine = scores.get(ALIASES.get(declared, declared))
        if mine is not None and scores[best] - mine <= NEAR_TIE * scores[best]:
            return declared
    return best


def dominant_script(text: str) -> str | None:
    """The script of most letters (CJK characters count double: one is about a word).

    Characters are counted first (in C), then each distinct one is looked up once.
    """
    counts: Counter[str] = Counter()
    for char, n in Counter(text).items():
        if char.isascii():
            if char.isalpha():
                counts["Latin"] += n
            continue
        code = ord(char)
        i = bisect.bisect_right(_STARTS, code) - 1
        if i >= 0 and code <= SCRIPT_RANGES[i][1]:
            counts[SCRIPT_RANGES[i][2]] += n
    if not counts:
        return None
    counts["Han"] += counts.pop("Kana", 0)  # Japanese mixes kana and kanji
    for name in _CJK & counts.keys():
        counts[name] *= 2
    return counts.most_common(1)[0][0]


def _kana_share(text: str) -> float:
    kana = sum(1 for c in text if "\u3040" <= c <= "\u30ff" or "\uff66" <= c <= "\uff9f")
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    return kana / (kana + han) if kana + han else 0.0


def score(text: str, script: str) -> tuple[dict[str, float], dict[str, int], int]:
    """Per language of ``script``: summed log-odds of its listed words, hits; and word count."""
    codes, table, weights = _table()
    allowed = _allowed(script)
    totals = [0.0] * len(codes)
    counts = [0] * len(codes)
    words = _WORD.findall(text.lower())
    for word in words:
        entry = table.get(word)
        if entry is None:
            continue
        for i in range(0, len(entry), 2):
            lang = entry[i]
            totals[lang] += weights[entry[i + 1]]
            counts[lang] += 1
    scores = {codes[i]: totals[i] for i in allowed if counts[i]}
    hits = {codes[i]: counts[i] for i in allowed if counts[i]}
    return scores, hits, len(words)


@cache
def _allowed(script: str) -> tuple[int, ...]:
    return tuple(i for i, (_, scripts) in enumerate(STOPLISTS.values()) if script in scripts)


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, ...], dict[str, bytes], tuple[float, ...]]:
    """(codes, word → bytes of (language index, weight step) pairs, weight by step)."""
    table: dict[str, bytes] = {}
    for index, name in enumerate(STOPLISTS):
        rank = 0
        for word in _stoplist(name):
            value = table.get(word, b"")
            if value[-2:-1] == bytes((index,)):  # listed again (another case)
                continue
            rank += 1
            step = min(255, round(math.log(ZIPF / rank / FLOOR) * STEP))
            table[word] = value + bytes((index, step))
            if rank == TOP_WORDS:
                break
    shared: dict[bytes, bytes] = {}  # one object per distinct value
    for word, value in table.items():
        table[word] = shared.setdefault(value, value)
    weights = tuple(step / STEP for step in range(256))
    codes = tuple(code for code, _ in STOPLISTS.values())
    return codes, table, weights


def _stoplist(name: str) -> Iterator[str]:
    """Words of jusText's stoplist ``name``, in order, read without importing jusText."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return
    path = Path(next(iter(spec.submodule_search_locations)), "stoplists", f"{name}.txt")
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield from _WORD.findall(line.lower())
    except OSError:  # pragma: no cover - a broken install
        return
