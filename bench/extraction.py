"""Extraction quality and speed on every evaluation set: storyline beside plain trafilatura.

Usage::

    uv run python bench/extraction.py [DATA_DIR]                 # default ../shared/evaldata
    uv run python bench/extraction.py DATA_DIR --rounds 3        # median speed of 3 timed passes
    uv run python bench/extraction.py DATA_DIR --sets fundus,dragnet   # some sets only
    uv run python bench/extraction.py DATA_DIR --check-scorer    # compare with evaluate.py
    uv run python bench/extraction.py DATA_DIR --failures dragnet    # storyline's worst pages
    uv run python bench/extraction.py DATA_DIR --recall-losses l3s-gn1   # text trafilatura keeps
    uv run python bench/extraction.py DATA_DIR --isolated        # one process per extractor (memory)
    uv run python bench/extraction.py DATA_DIR --soak 10000      # RSS over 10,000 pages

``DATA_DIR`` is laid out like the shared evaluation data (each set's ``SOURCE.md`` says what
its truth means): ``zyte-body/`` (``ground-truth.json``), ``metadata/``, ``l3s-gn1/``,
``dragnet/``, ``readability/``, ``fundus/``, ``mediacloud-dates/`` (``truth.jsonl`` +
``html/<id>.html[.gz]``) and ``pages/`` (``<name>.html`` + ``<name>.expected.json``).

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

Both extractors run in one process, page by page, alternating which goes first (caches
that both use see the same pages); CPU seconds are ``time.process_time`` around each call,
and pages per CPU second the fair figure on a shared machine. Both reset trafilatura's
caches every 100 pages.
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

#: ``../shared/evaldata`` beside the checkout (or beside a worktree's parent folder).
DEFAULT_DATA = next(
    (
        parent / "shared" / "evaldata"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "evaldata").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "evaldata",
)
EXTRACTORS = ("storyline", "trafilatura")
#: Sets in the order they are reported; each ``truth.jsonl`` set maps its fields onto ours.
SETS = (
    "zyte-body",
    "metadata",
    "l3s-gn1",
    "dragnet",
    "readability",
    "fundus",
    "mediacloud-dates",
    "pages",
)
META_FIELDS = ("headline", "authors", "day")

Runner = Callable[[bytes | str, str | None], dict[str, Any]]

# ---------------------------------------------------------------------------- scoring
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


_TRUTH_KEY = {"headline": "title", "authors": "authors", "day": "date"}


# ---------------------------------------------------------------------------- extractors
def _iso(value: datetime | date | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _published_day(result: Any) -> date | None:
    """The calendar day the page states (``published_day`` where the Extraction has it)."""
    if hasattr(result, "published_day"):
        day: date | None = result.published_day
        return day
    value = result.published_at
    return value.date() if isinstance(value, datetime) else value


def storyline_runner() -> Runner:
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
            # who is credited: the sets' truth lists an organisation credited alone as an
            # author; storyline keeps it apart, in ``organisation``
            "authors": list(result.authors)
            or ([result.organisation] if result.organisation else []),
            "published": _iso(result.published_at),
            "day": _iso(_published_day(result)),
        }

    return run


def trafilatura_runner() -> Runner:
    import trafilatura
    from trafilatura.meta import reset_caches

    calls = 0

    def run(html: bytes | str, url: str | None) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls % 100 == 0:
            reset_caches()
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None or isinstance(doc, dict):  # a dict only when asked for one
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


RUNNERS: dict[str, Callable[[], Runner]] = {
    "storyline": storyline_runner,
    "trafilatura": trafilatura_runner,
}


# ---------------------------------------------------------------------------- data
def _truth_jsonl(folder: Path) -> list[dict[str, Any]]:
    items = []
    for line in (folder / "truth.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        for suffix in (".html", ".html.gz"):
            path = folder / "html" / f"{item['id']}{suffix}"
            if path.exists():
                items.append(
                    {"id": item["id"], "url": item.get("url"), "path": str(path), "truth": item}
                )
                break
    return items


def load_sets(data: Path, only: frozenset[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every page of every set present under ``data``, with its truth in our field names."""
    sets: dict[str, list[dict[str, Any]]] = {}
    for name in SETS:
        folder = data / name
        if only is not None and name not in only:
            continue
        if name == "zyte-body" and (folder / "ground-truth.json").exists():
            truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
            sets[name] = [
                {
                    "id": key,
                    "url": item.get("url"),
                    "path": str(folder / "html" / f"{key}.html.gz"),
                    "truth": {"body": item.get("articleBody", ""), **item},
                }
                for key, item in truth.items()
                if (folder / "html" / f"{key}.html.gz").exists()
            ]
        elif name == "pages" and folder.is_dir():
            sets[name] = []
            for expected in sorted(folder.glob("*.expected.json")):
                path = folder / (expected.name[: -len(".expected.json")] + ".html")
                if path.exists():
                    item = json.loads(expected.read_text("utf-8"))
                    sets[name].append(
                        {"id": path.stem, "url": item.get("url"), "path": str(path), "truth": item}
                    )
        elif (folder / "truth.jsonl").exists():
            sets[name] = _truth_jsonl(folder)
    return {name: items for name, items in sets.items() if items}


def read_page(path: str) -> bytes:
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if path.endswith(".gz") else raw


# ---------------------------------------------------------------------------- worker
def worker(
    names: list[str], data: Path, only: frozenset[str] | None, rounds: int
) -> dict[str, Any]:
    """Run the extractors over every page, interleaved; outputs and CPU time per extractor."""
    runners = {name: RUNNERS[name]() for name in names}
    sets = load_sets(data, only)
    pages = [(s, item) for s, items in sets.items() for item in items]
    contents = [read_page(item["path"]) for _, item in pages]
    for (_, item), html in list(zip(pages, contents, strict=True))[:5]:
        for run in runners.values():
            run(html, item["url"])  # warm-up: imports, models, caches
    outputs: dict[str, dict[str, dict[str, Any]]] = {name: {s: {} for s in sets} for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(rounds):
        spent = dict.fromkeys(names, 0.0)
        waited = dict.fromkeys(names, 0.0)
        for n, ((set_name, item), html) in enumerate(zip(pages, contents, strict=True)):
            order = names if n % 2 == 0 else names[::-1]
            for name in order:
                started, cpu_started = time.perf_counter(), time.process_time()
                out = runners[name](html, item["url"])
                spent[name] += time.process_time() - cpu_started
                waited[name] += time.perf_counter() - started
                if round_no == 0:
                    outputs[name][set_name][item["id"]] = out
        for name in names:
            cpu[name].append(spent[name])
            wall[name].append(waited[name])
    return {
        "outputs": outputs,
        "cpu_seconds": cpu,
        "seconds": wall,
        "pages": len(pages),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
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
                scored = [i for i in items if i["truth"].get(_TRUTH_KEY[field]) is not None]
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


def _speed(result: dict[str, Any], name: str) -> dict[str, float]:
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
            if item["truth"].get(_TRUTH_KEY[field]) is None:
                continue
            if not field_hit(which, field, got[item["id"]], item["truth"]):
                have = got[item["id"]].get(field if field != "day" else "published")
                print(
                    f"{field[0].upper()} {item['id']} got {have!r} want {item['truth'][_TRUTH_KEY[field]]!r}"
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


def _spawn(data: Path, names: list[str], only: str | None, rounds: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        str(data),
        "--worker",
        ",".join(names),
        "--rounds",
        str(rounds),
    ]
    if only:
        command += ["--sets", only]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr or f"worker exited {proc.returncode}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", choices=EXTRACTORS, help="run one extractor")
    parser.add_argument("--sets", help="comma-separated set names (default: every set present)")
    parser.add_argument("--rounds", type=int, default=1, help="timed passes (median speed)")
    parser.add_argument("--isolated", action="store_true", help="one process per extractor")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--check-scorer", action="store_true", help="compare with evaluate.py")
    parser.add_argument("--failures", choices=SETS, help="list storyline's misses on one set")
    parser.add_argument(
        "--recall-losses",
        choices=SETS,
        help="list pages of one set where storyline's body recall trails trafilatura's",
    )
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    parser.add_argument(
        "--soak", type=int, metavar="N", help="extract N pages, print RSS (memory check)"
    )
    args = parser.parse_args(argv)
    only = frozenset(args.sets.split(",")) if args.sets else None
    if args.soak:
        soak(args.data, args.soak)
        return 0
    if args.worker:
        result = worker(args.worker.split(","), args.data, only, max(1, args.rounds))
        json.dump(result, sys.stdout, default=str)
        return 0
    sets = load_sets(args.data, only)
    if not sets:
        print(f"no evaluation pages under {args.data}", file=sys.stderr)
        return 2
    names = [args.only] if args.only else list(EXTRACTORS)
    if args.isolated:
        parts = [_spawn(args.data, [name], args.sets, args.rounds) for name in names]
        result = {
            "outputs": {k: v for p in parts for k, v in p["outputs"].items()},
            "cpu_seconds": {k: v for p in parts for k, v in p["cpu_seconds"].items()},
            "seconds": {k: v for p in parts for k, v in p["seconds"].items()},
            "pages": parts[0]["pages"],
        }
        for name, part in zip(names, parts, strict=True):
            print(f"peak memory {name}: {part['peak_rss_mb']:.0f} MB (max RSS)")
    else:
        result = _spawn(args.data, names, args.sets, args.rounds)
    scores = {name: score(sets, result["outputs"][name]) for name in names}
    speeds = {name: _speed(result, name) for name in names}
    print(f"{result['pages']} pages, {max(1, args.rounds)} timed round(s)")
    print_table(scores, speeds)
    if args.check_scorer and "zyte-body" in sets:
        for name in names:
            check_scorer(args.data, sets, result["outputs"][name])
    if args.failures and "storyline" in names and args.failures in sets:
        failures(sets, result["outputs"]["storyline"], args.failures)
    if args.recall_losses and len(names) == 2 and args.recall_losses in sets:
        recall_losses(sets, result["outputs"], args.recall_losses)
    if args.json:
        args.json.write_text(json.dumps({"scores": scores, "speeds": speeds}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
