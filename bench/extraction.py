"""Extraction quality and speed: storyline's extractor beside plain trafilatura.

Usage::

    uv run python bench/extraction.py [DATA_DIR]        # default ../shared/evaldata
    uv run python bench/extraction.py DATA_DIR --check-scorer   # compare with evaluate.py
    uv run python bench/extraction.py DATA_DIR --failures metadata  # list misses
    uv run python bench/extraction.py DATA_DIR --soak 10000     # RSS over 10,000 pages

``DATA_DIR`` is laid out like the shared evaluation data:

- ``zyte-body/html/<id>.html.gz`` + ``ground-truth.json`` (+ ``evaluate.py``): body F1,
  precision and recall with the article-extraction benchmark's metric (token 4-gram
  shingles, per page normalised, macro precision and recall, F1 of the two means);
- ``metadata/html/<id>.html`` + ``truth.jsonl``: headline exact after whitespace folding;
  authors a case-insensitive set after splitting on ``; , & / and und``; date the same day;
- ``pages/<name>.html`` + ``<name>.expected.json``: boilerplate lines left in the body
  (``must_not_contain``), exact body paragraphs, headline, authors, published instant.

Each extractor runs in a fresh subprocess over the same pages (warm-up on a few pages
first); pages/s is over all pages of the three sets, by wall clock and by the process's
CPU time (the fair comparison on a shared machine); peak memory is the subprocess's
maximum resident set size.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
EXTRACTORS = ("storyline", "trafilatura")

# ---------------------------------------------------------------------------- scoring
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


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


def body_scores(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Macro precision and recall over pages, F1 of the two means."""
    triples = [shingle_tp_fp_fn(truth[k], pred.get(k, "")) for k in truth]
    precision = statistics.mean(_precision(*t) for t in triples if t[0] + t[1] > 0)
    recall = statistics.mean(_recall(*t) for t in triples if t[0] + t[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|/|\band\b|\bund\b)\s*", re.IGNORECASE)


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def author_set(values: list[str] | tuple[str, ...] | str | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    parts = (p.strip().casefold() for v in values for p in _AUTHOR_SPLIT.split(v or ""))
    return frozenset(" ".join(p.split()) for p in parts if p.strip())


# ---------------------------------------------------------------------------- extractors
def _iso(value: datetime | date | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def storyline_runner() -> Callable[[bytes | str, str | None], dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from scraper.errors import ExtractionError
    from scraper.extraction import extract, reset_caches

    calls = 0

    def run(html: bytes | str, url: str | None) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls % 100 == 0:
            reset_caches()
        try:
            result = extract(html, url)
        except ExtractionError as exc:
            return {"body": "", "error": str(exc)}
        return {
            "body": result.body,
            "paragraphs": result.paragraphs,
            "headline": result.headline,
            "authors": list(result.authors),
            "published": _iso(result.published_at),
            "day": _iso(result.published_at.date()) if result.published_at else None,
        }

    return run


def trafilatura_runner() -> Callable[[bytes | str, str | None], dict[str, Any]]:
    import trafilatura
    from trafilatura.meta import reset_caches

    calls = 0

    def run(html: bytes | str, url: str | None) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls % 100 == 0:
            reset_caches()
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return {"body": ""}
        text = doc.text or ""
        return {
            "body": text,
            "paragraphs": [line for line in text.split("\n") if line.strip()],
            "headline": doc.title,
            "authors": [a for a in (doc.author or "").split("; ") if a],
            "published": doc.date,
            "day": (doc.date or "")[:10] or None,
        }

    return run


# ---------------------------------------------------------------------------- data
def load_sets(data: Path) -> dict[str, list[dict[str, Any]]]:
    sets: dict[str, list[dict[str, Any]]] = {"zyte": [], "metadata": [], "pages": []}
    zyte = data / "zyte-body"
    if (zyte / "ground-truth.json").exists():
        truth = json.loads((zyte / "ground-truth.json").read_text("utf-8"))
        for key, item in truth.items():
            path = zyte / "html" / f"{key}.html.gz"
            if path.exists():
                sets["zyte"].append(
                    {"id": key, "url": item.get("url"), "path": str(path), "truth": item}
                )
    meta = data / "metadata"
    if (meta / "truth.jsonl").exists():
        for line in (meta / "truth.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                path = meta / "html" / f"{item['id']}.html"
                if path.exists():
                    sets["metadata"].append(
                        {"id": item["id"], "url": item.get("url"), "path": str(path), "truth": item}
                    )
    pages = data / "pages"
    if pages.is_dir():
        for expected in sorted(pages.glob("*.expected.json")):
            path = pages / (expected.name[: -len(".expected.json")] + ".html")
            if path.exists():
                item = json.loads(expected.read_text("utf-8"))
                sets["pages"].append(
                    {"id": path.stem, "url": item.get("url"), "path": str(path), "truth": item}
                )
    return sets


def read_page(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") else raw


# ---------------------------------------------------------------------------- worker
def worker(name: str, data: Path) -> dict[str, Any]:
    """Run one extractor over every page; returns outputs, time and peak memory."""
    run = storyline_runner() if name == "storyline" else trafilatura_runner()
    sets = load_sets(data)
    pages = [(s, item) for s, items in sets.items() for item in items]
    contents = [read_page(item["path"]) for _, item in pages]
    for (_, item), html in list(zip(pages, contents, strict=True))[:5]:
        run(html, item["url"])  # warm-up: imports, models, caches
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outputs: dict[str, dict[str, Any]] = {s: {} for s in sets}
    started = time.perf_counter()
    cpu_started = time.process_time()
    for (set_name, item), html in zip(pages, contents, strict=True):
        outputs[set_name][item["id"]] = run(html, item["url"])
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "outputs": outputs,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "pages": len(pages),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": rss_before / 1024,
    }


def soak(data: Path, total: int, every: int = 1000) -> None:
    """Extract ``total`` pages (cycling through the sets) and print the RSS as it goes.

    Uses :func:`scraper.extraction.extract_in_worker`, which resets trafilatura's caches
    every 100 calls, as a crawler worker would. Memory should stay flat.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from scraper.errors import ExtractionError
    from scraper.extraction import extract_in_worker

    sets = load_sets(data)
    pages = [(read_page(i["path"]), i["url"] or "") for items in sets.values() for i in items]
    started = time.perf_counter()
    for n in range(1, total + 1):
        html, url = pages[n % len(pages)]
        with contextlib.suppress(ExtractionError):
            extract_in_worker(html, url, None)
        if n % every == 0 or n == total:
            rss = _current_rss_mb()
            print(
                f"{n:>7} pages  {time.perf_counter() - started:7.0f} s  RSS {rss:7.1f} MB",
                flush=True,
            )


def _current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------- report
def score(sets: dict[str, list[dict[str, Any]]], result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    outputs = result["outputs"]
    if sets["zyte"]:
        truth = {i["id"]: i["truth"].get("articleBody", "") for i in sets["zyte"]}
        pred = {k: v.get("body", "") for k, v in outputs["zyte"].items()}
        out.update(body_scores(truth, pred))
    if sets["metadata"]:
        n = len(sets["metadata"])
        h = a = d = 0
        for item in sets["metadata"]:
            got, truth = outputs["metadata"][item["id"]], item["truth"]
            h += fold(got.get("headline")) == fold(truth.get("title"))
            a += author_set(got.get("authors")) == author_set(truth.get("authors"))
            d += (got.get("day") or "") == str(truth.get("date") or "")[:10]
        out.update(headline=h / n, authors=a / n, date=d / n)
    if sets["pages"]:
        left = exact = 0
        for item in sets["pages"]:
            got, truth = outputs["pages"][item["id"]], item["truth"]
            body = got.get("body", "")
            left += sum(1 for s in truth.get("must_not_contain", ()) if s in body)
            exact += got.get("paragraphs") == truth.get("body_paragraphs")
        out.update(boilerplate_left=left, pages_exact=exact, pages_n=len(sets["pages"]))
    out["pages_per_s"] = result["pages"] / result["seconds"] if result["seconds"] else 0.0
    out["pages_per_cpu_s"] = (
        result["pages"] / result["cpu_seconds"] if result["cpu_seconds"] else 0.0
    )
    out["peak_rss_mb"] = result["peak_rss_mb"]
    return out


def print_table(scores: dict[str, dict[str, Any]], counts: dict[str, int]) -> None:
    rows = [
        (f"body F1 (zyte-body, {counts['zyte']} pages)", "f1", "{:.3f}"),
        ("body precision", "precision", "{:.3f}"),
        ("body recall", "recall", "{:.3f}"),
        (f"headline exact (metadata, {counts['metadata']} pages)", "headline", "{:.3f}"),
        ("authors exact set", "authors", "{:.3f}"),
        ("published date, same day", "date", "{:.3f}"),
        (f"boilerplate lines left (pages/, {counts['pages']} pages)", "boilerplate_left", "{}"),
        ("pages/ bodies exactly right", "pages_exact", "{}"),
        ("pages per second (all sets, wall clock)", "pages_per_s", "{:.1f}"),
        ("pages per CPU second (all sets)", "pages_per_cpu_s", "{:.1f}"),
        ("peak memory, MB (max RSS)", "peak_rss_mb", "{:.0f}"),
    ]
    names = list(scores)
    print(f"{'measure':<44}" + "".join(f"{n:>14}" for n in names))
    print("-" * (44 + 14 * len(names)))
    for label, key, fmt in rows:
        if all(key not in scores[n] for n in names):
            continue
        cells = "".join(
            f"{fmt.format(scores[n][key]) if key in scores[n] else '-':>14}" for n in names
        )
        print(f"{label:<44}{cells}")
    if "storyline" in scores and "trafilatura" in scores:
        ratio = scores["storyline"]["pages_per_s"] / scores["trafilatura"]["pages_per_s"]
        cpu_ratio = (
            scores["storyline"]["pages_per_cpu_s"] / scores["trafilatura"]["pages_per_cpu_s"]
        )
        print(f"{'speed, storyline / trafilatura (wall)':<44}{ratio:>14.2f}x")
        print(f"{'speed, storyline / trafilatura (CPU)':<44}{cpu_ratio:>14.2f}x")


def check_scorer(data: Path, sets: dict[str, list[dict[str, Any]]], result: dict[str, Any]) -> None:
    """Score the same predictions with the benchmark's evaluate.py and with ours."""
    sys.path.insert(0, str(data / "zyte-body"))
    import evaluate  # type: ignore[import-not-found]

    truth = {i["id"]: i["truth"] for i in sets["zyte"]}
    pred = {k: {"articleBody": v.get("body", "")} for k, v in result["outputs"]["zyte"].items()}
    theirs = evaluate.evaluate(truth, pred, 2)
    ours = body_scores(
        {k: v.get("articleBody", "") for k, v in truth.items()},
        {k: v["articleBody"] for k, v in pred.items()},
    )
    for key in ("f1", "precision", "recall"):
        print(f"scorer check {key}: evaluate.py {theirs[key]:.6f}  bench {ours[key]:.6f}")
        assert abs(theirs[key] - ours[key]) < 1e-9, key


def failures(sets: dict[str, list[dict[str, Any]]], result: dict[str, Any], which: str) -> None:
    outputs = result["outputs"]
    if which == "metadata":
        for item in sets["metadata"]:
            got, truth = outputs["metadata"][item["id"]], item["truth"]
            if fold(got.get("headline")) != fold(truth.get("title")):
                print(
                    f"H {item['id']}\n   got  {got.get('headline')!r}\n   want {truth.get('title')!r}"
                )
            if author_set(got.get("authors")) != author_set(truth.get("authors")):
                print(
                    f"A {item['id']}\n   got  {got.get('authors')!r}\n   want {truth.get('authors')!r}"
                )
            if (got.get("day") or "") != str(truth.get("date") or "")[:10]:
                print(f"D {item['id']} got {got.get('published')!r} want {truth.get('date')!r}")
    elif which == "zyte":
        rows = []
        for item in sets["zyte"]:
            _tp, fp, fn = shingle_tp_fp_fn(
                item["truth"].get("articleBody", ""), outputs["zyte"][item["id"]].get("body", "")
            )
            rows.append((fp + fn, fp, fn, item["id"], item["url"]))
        for total, fp, fn, key, url in sorted(rows, reverse=True)[:30]:
            print(f"{total:.3f} fp={fp:.3f} fn={fn:.3f} {key[:12]} {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", choices=EXTRACTORS, help="run one extractor")
    parser.add_argument("--worker", choices=EXTRACTORS, help=argparse.SUPPRESS)
    parser.add_argument("--check-scorer", action="store_true", help="compare with evaluate.py")
    parser.add_argument("--failures", choices=("metadata", "zyte"), help="list misses of storyline")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    parser.add_argument(
        "--soak", type=int, metavar="N", help="extract N pages, print RSS (memory check)"
    )
    args = parser.parse_args(argv)
    if args.soak:
        soak(args.data, args.soak)
        return 0
    if args.worker:
        json.dump(worker(args.worker, args.data), sys.stdout, default=str)
        return 0
    sets = load_sets(args.data)
    counts = {k: len(v) for k, v in sets.items()}
    names = [args.only] if args.only else list(EXTRACTORS)
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, str(args.data), "--worker", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        results[name] = json.loads(proc.stdout)
    scores = {name: score(sets, result) for name, result in results.items()}
    print_table(scores, counts)
    if args.check_scorer and "storyline" in results and sets["zyte"]:
        for name in results:
            check_scorer(args.data, sets, results[name])
    if args.failures and "storyline" in results:
        failures(sets, results["storyline"], args.failures)
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
