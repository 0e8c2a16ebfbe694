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

How each set is scored: ``bench/extraction_scores.py``.

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
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.extraction_report import (
    check_scorer,
    failures,
    print_table,
    recall_losses,
    speed,
)
from bench.extraction_scores import score

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

Runner = Callable[[bytes | str, str | None], dict[str, Any]]


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
    speeds = {name: speed(result, name) for name in names}
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
