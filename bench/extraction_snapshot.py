"""Dump every field of scraper.extract for every page under a data dir to JSON; --compare OLD.json to list differences.

Usage::

    uv run python bench/extraction_snapshot.py [DATA_DIR] -o /tmp/ref.json
    uv run python bench/extraction_snapshot.py [DATA_DIR] -o /tmp/new.json --compare /tmp/ref.json

Pages: every set's ``html/*.html[.gz]`` and ``pages/*.html``, each with the URL its set
records (none where it records none); ``now`` is fixed so dates do not depend on the day of
the run. Exit status 1 when differences exist.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

DEFAULT_DATA = next(
    (
        parent / "shared" / "evaldata"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "evaldata").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "evaldata",
)
NOW = datetime(2026, 11, 30, tzinfo=UTC)
PATTERNS = ("*/html/*.html", "*/html/*.html.gz", "pages/*.html")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):  # a page stating only a day gives a date
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def dump(data: Path) -> dict[str, dict[str, Any]]:
    """Every page's Extraction fields (or its error), keyed by path under ``data``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from scraper.errors import ExtractionError
    from scraper.extraction import extract

    # each page with the URL its set records, as bench/extraction.py scores it: rules that
    # compare links with the page's own address only act when the URL is known
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from extraction import load_sets

    urls = {
        str(Path(item["path"]).resolve()): item["url"]
        for items in load_sets(data).values()
        for item in items
    }
    out: dict[str, dict[str, Any]] = {}
    for pattern in PATTERNS:
        for path in sorted(data.glob(pattern)):
            raw = path.read_bytes()
            html = gzip.decompress(raw) if path.name.endswith(".gz") else raw
            key = str(path.relative_to(data))
            try:
                result = extract(html, urls.get(str(path.resolve())), timeout=600.0, now=NOW)
            except ExtractionError as exc:
                out[key] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            out[key] = {f.name: _plain(getattr(result, f.name)) for f in dataclasses.fields(result)}
    return out


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """One line per page and field that differs."""
    lines = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            lines.append(f"{key}: only in {'new' if a is None else 'old'}")
            continue
        for name in sorted(a.keys() | b.keys()):
            if a.get(name) != b.get(name):
                lines.append(f"{key} {name}: {a.get(name)!r:.200} -> {b.get(name)!r:.200}")
    return lines


def unbumped(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> str | None:
    """The extractor's name when some page's output differs but both snapshots name the same
    extractor: ``EXTRACTOR_VERSION`` must change with the output, since every stored version
    records it as the extractor that produced it."""
    names = {
        page.get("extractor") for page in (*old.values(), *new.values()) if "error" not in page
    }
    if len(names) != 1:
        return None
    changed = any(
        old[key].get(name) != new[key].get(name)
        for key in old.keys() & new.keys()
        for name in old[key].keys() | new[key].keys()
        if name != "extractor"
    )
    return str(next(iter(names))) if changed else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSON to write")
    parser.add_argument("--compare", type=Path, metavar="OLD.json", help="list differences")
    args = parser.parse_args(argv)
    new = dump(args.data)
    args.output.write_text(json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(new)} pages -> {args.output}")
    if args.compare:
        old = json.loads(args.compare.read_text("utf-8"))
        diffs = compare(old, new)
        for line in diffs:
            print(line)
        print(f"{len(diffs)} differences")
        if (name := unbumped(old, new)) is not None:
            print(f"outputs differ but both snapshots were made by {name}: bump EXTRACTOR_VERSION")
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
