"""How ``bench/extraction.py`` scores an extractor's outputs against each set's truth.

Scores, per set, for the fields the set carries:

- body *token F1*: bag of lowercase ``\\w+`` tokens; per page precision and recall; each
  averaged over pages (precision over pages with a prediction, recall over pages with a
  truth, as the benchmark's scorer does); F1 of the two averages;
- body *shingle F1*: the article-extraction benchmark's metric (token 4-gram shingles,
  TP/FP/FN normalised per page, macro P and R, F1 of the two means; ``--check-scorer``
  asserts it equals ``zyte-body/evaluate.py``);
- headline exact after whitespace folding (on ``l3s-gn1``, whose annotations show every
  character outside Latin-1 as ``?``, the prediction is written the same way first);
  authors a case-insensitive set after splitting on ``; , & / and und``; published date
  the same calendar day (the extractor's own offset, as the page gave it). Pages whose
  truth lacks a field are not scored on it; the pooled figure sums over all sets;
- ``pages/``: ``must_not_contain`` lines left in the body; bodies exactly right.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any

META_FIELDS = ("headline", "authors", "day")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def token_bag(text: str) -> Counter[str]:
    """The lowercase ``\\w+`` tokens of ``text`` with their counts (the token metric's unit)."""
    return Counter(token.lower() for token in tokenize(text))


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = tokenize(text)
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_tp_fp_fn(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page TP/FP/FN over 4-gram shingles, normalised to sum to 1 (benchmark's metric)."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def body_scores(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Shingle metric: macro precision and recall over pages, F1 of the two means."""
    triples = [shingle_tp_fp_fn(truth[k], pred.get(k, "")) for k in truth]
    precision = statistics.mean(_precision(*t) for t in triples if t[0] + t[1] > 0)
    recall = statistics.mean(_recall(*t) for t in triples if t[0] + t[2] > 0)
    return {"f1": _f1(precision, recall), "precision": precision, "recall": recall}


def token_scores(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Bag-of-tokens metric: per-page P and R over lowercase ``\\w+`` tokens, F1 of the means."""
    precisions: list[float] = []
    recalls: list[float] = []
    for key, text in truth.items():
        t = token_bag(text)
        p = token_bag(pred.get(key, ""))
        overlap = sum((t & p).values())
        if p:
            precisions.append(overlap / sum(p.values()))
        if t:
            recalls.append(overlap / sum(t.values()))
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    return {"f1": _f1(precision, recall), "precision": precision, "recall": recall}


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|/|\band\b|\bund\b)\s*", re.IGNORECASE)


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def latin1_view(text: str | None) -> str:
    """``text`` with every character outside Latin-1 as ``?`` (how L3S-GN1 stores titles)."""
    return "".join(c if ord(c) < 256 else "?" for c in text or "")


#: A byline's opening "By": Readability's truth is the printed byline string ("By Jo Ek");
#: the word is no part of a name, on either side.
_BY_LABEL = re.compile(r"^\s*by\s+", re.IGNORECASE)


def author_set(values: list[str] | tuple[str, ...] | str | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    values = [_BY_LABEL.sub("", v or "") for v in values]
    parts = (p.strip().casefold() for v in values for p in _AUTHOR_SPLIT.split(v))
    return frozenset(" ".join(p.split()) for p in parts if p.strip())


def field_hit(set_name: str, field: str, got: dict[str, Any], truth: dict[str, Any]) -> bool:
    """Whether one metadata field is right, by the rule DESIGN.md gives for it."""
    if field == "headline":
        want, have = fold(truth["title"]), fold(got.get("headline"))
        if set_name == "l3s-gn1":
            have = latin1_view(have)
        return have == want
    if field == "authors":
        return author_set(got.get("authors")) == author_set(truth["authors"])
    return (got.get("day") or "") == str(truth["date"])[:10]


TRUTH_KEY = {"headline": "title", "authors": "authors", "day": "date"}


def score(sets: dict[str, list[dict[str, Any]]], outputs: dict[str, Any]) -> dict[str, Any]:
    """Per-set figures and pooled metadata for one extractor's outputs."""
    out: dict[str, Any] = {"sets": {}, "pooled": {}}
    pooled = {f: [0, 0] for f in META_FIELDS}
    for set_name, items in sets.items():
        got = outputs[set_name]
        figures: dict[str, Any] = {"pages": len(items)}
        with_body = [i for i in items if i["truth"].get("body")]
        if with_body and set_name != "pages":
            truth = {i["id"]: i["truth"]["body"] for i in with_body}
            pred = {k: got[k].get("body", "") for k in truth}
            figures["token"] = token_scores(truth, pred)
            figures["shingle"] = body_scores(truth, pred)
        if set_name != "pages":
            for field in META_FIELDS:
                scored = [i for i in items if i["truth"].get(TRUTH_KEY[field]) is not None]
                if not scored:
                    continue
                hits = sum(field_hit(set_name, field, got[i["id"]], i["truth"]) for i in scored)
                figures[field] = (hits, len(scored))
                pooled[field][0] += hits
                pooled[field][1] += len(scored)
        else:
            figures["boilerplate_left"] = sum(
                1
                for i in items
                for line in i["truth"].get("must_not_contain", ())
                if line in got[i["id"]].get("body", "")
            )
            figures["exact"] = sum(
                got[i["id"]].get("paragraphs") == i["truth"].get("body_paragraphs") for i in items
            )
        out["sets"][set_name] = figures
    out["pooled"] = {f: tuple(v) for f, v in pooled.items() if v[1]}
    return out
