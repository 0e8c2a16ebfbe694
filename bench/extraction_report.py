"""What ``bench/extraction.py`` prints: the table of both extractors' scores and speeds,
the scorer check, and the per-page lists (storyline's misses, its recall losses)."""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.extraction_scores import (
    META_FIELDS,
    TRUTH_KEY,
    body_scores,
    field_hit,
    token_bag,
    tokenize,
)


def speed(result: dict[str, Any], name: str) -> dict[str, float]:
    cpu = statistics.median(result["cpu_seconds"][name])
    wall = statistics.median(result["seconds"][name])
    pages = result["pages"]
    return {
        "cpu_seconds": cpu,
        "pages_per_cpu_s": pages / cpu if cpu else 0.0,
        "pages_per_s": pages / wall if wall else 0.0,
        "ms_cpu_per_page": 1000 * cpu / pages if pages else 0.0,
    }


def print_table(scores: dict[str, dict[str, Any]], speeds: dict[str, dict[str, float]]) -> None:
    names = list(scores)
    width = 12
    rule = "-" * (42 + width * len(names))
    print(f"{'set':<18}{'pages':>6}  {'measure':<16}" + "".join(f"{n:>{width}}" for n in names))
    print(rule)
    for set_name, figures in scores[names[0]]["sets"].items():
        label = [set_name, str(figures["pages"])]

        def row(measure: str, cells: list[str], label: list[str] = label) -> None:
            print(
                f"{label[0]:<18}{label[1]:>6}  {measure:<16}"
                + "".join(f"{c:>{width}}" for c in cells)
            )
            label[:] = ["", ""]

        per = [scores[n]["sets"][set_name] for n in names]
        for metric in ("token", "shingle"):
            if metric in figures:
                for part in ("f1", "precision", "recall"):
                    row(f"{metric} {part[:4]}", [f"{p[metric][part]:.3f}" for p in per])
        for field in META_FIELDS:
            if field in figures:
                row(
                    f"{field} ({figures[field][1]})",
                    [f"{p[field][0] / p[field][1]:.3f}" for p in per],
                )
        if "boilerplate_left" in figures:
            row("boilerplate left", [str(p["boilerplate_left"]) for p in per])
            row("exact bodies", [str(p["exact"]) for p in per])
    print(rule)
    for field in META_FIELDS:
        if field in scores[names[0]]["pooled"]:
            values = [scores[n]["pooled"][field] for n in names]
            print(
                f"{'pooled':<18}{values[0][1]:>6}  {field:<16}"
                + "".join(f"{h / t:>{width}.3f}" for h, t in values)
            )
    for measure, key, fmt in (
        ("pages/CPU s", "pages_per_cpu_s", "{:.1f}"),
        ("CPU ms/page", "ms_cpu_per_page", "{:.1f}"),
        ("pages/s wall", "pages_per_s", "{:.1f}"),
    ):
        cells = "".join(f"{fmt.format(speeds[n][key]):>{width}}" for n in names)
        print(f"{'speed (median)':<18}{'':>6}  {measure:<16}{cells}")
    if "storyline" in speeds and "trafilatura" in speeds:
        ratio = speeds["storyline"]["pages_per_cpu_s"] / speeds["trafilatura"]["pages_per_cpu_s"]
        print(f"speed, storyline / trafilatura (pages per CPU second): {ratio:.2f}x")


def check_scorer(
    data: Path, sets: dict[str, list[dict[str, Any]]], outputs: dict[str, Any]
) -> None:
    """Score the same zyte-body predictions with the benchmark's evaluate.py and with ours."""
    sys.path.insert(0, str(data / "zyte-body"))
    import evaluate

    truth = {i["id"]: {"articleBody": i["truth"]["body"]} for i in sets["zyte-body"]}
    pred = {k: {"articleBody": v.get("body", "")} for k, v in outputs["zyte-body"].items()}
    theirs = evaluate.evaluate(truth, pred, 2)
    ours = body_scores(
        {k: v["articleBody"] for k, v in truth.items()},
        {k: v["articleBody"] for k, v in pred.items()},
    )
    for key in ("f1", "precision", "recall"):
        print(f"scorer check {key}: evaluate.py {theirs[key]:.6f}  bench {ours[key]:.6f}")
        assert abs(theirs[key] - ours[key]) < 1e-9, key


def failures(sets: dict[str, list[dict[str, Any]]], outputs: dict[str, Any], which: str) -> None:
    """storyline's 30 worst bodies of set ``which``, and every metadata miss there."""
    items, got = sets[which], outputs[which]
    rows = []
    for item in items:
        if item["truth"].get("body"):
            t = token_bag(item["truth"]["body"])
            p = token_bag(got[item["id"]].get("body", ""))
            overlap = sum((t & p).values())
            precision = overlap / sum(p.values()) if p else 0.0
            recall = overlap / sum(t.values()) if t else 0.0
            rows.append((precision + recall, precision, recall, item["id"]))
    for _, precision, recall, key in sorted(rows)[:30]:
        print(f"B p={precision:.3f} r={recall:.3f} {key}")
    for item in items:
        for field in META_FIELDS:
            if item["truth"].get(TRUTH_KEY[field]) is None:
                continue
            if not field_hit(which, field, got[item["id"]], item["truth"]):
                have = got[item["id"]].get(field if field != "day" else "published")
                print(
                    f"{field[0].upper()} {item['id']} got {have!r} want {item['truth'][TRUTH_KEY[field]]!r}"
                )


def _token_recall(truth: Counter[str], text: str) -> float:
    got = token_bag(text)
    return sum((truth & got).values()) / sum(truth.values()) if truth else 1.0


def recall_losses(
    sets: dict[str, list[dict[str, Any]]], outputs: dict[str, Any], which: str, margin: float = 0.02
) -> None:
    """Pages of set ``which`` where storyline's token recall trails plain trafilatura's by
    more than ``margin``, each with the truth's lines that trafilatura kept and storyline
    did not: where storyline's own rules delete article text (or a set's convention differs)."""
    ours, theirs = outputs["storyline"][which], outputs["trafilatura"][which]
    rows = []
    for item in sets[which]:
        body = item["truth"].get("body")
        if not body:
            continue
        truth = token_bag(body)
        mine, other = ours[item["id"]].get("body", ""), theirs[item["id"]].get("body", "")
        loss = _token_recall(truth, other) - _token_recall(truth, mine)
        if loss > margin:
            kept = " ".join(tokenize(mine.lower()))
            other_text = " ".join(tokenize(other.lower()))
            lines = [
                line
                for line in body.split("\n")
                if (words := " ".join(tokenize(line.lower())))
                and words in other_text
                and words not in kept
            ]
            rows.append((loss, item["id"], lines))
    print(f"{len(rows)} pages where storyline's recall trails trafilatura's by > {margin}")
    for loss, key, lines in sorted(rows, reverse=True):
        print(f"R -{loss:.3f} {key}")
        for line in lines[:5]:
            print(f"    {line[:160]}")
