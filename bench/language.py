"""Language identification: storyline's stopword detector beside py3langid, on real text.

    uv run --group bench python bench/language.py [DATA_DIR]   # default ../shared/evaldata
    uv run --group bench python bench/language.py --cache /tmp/lang.json  # reuse the texts

(py3langid, the baseline, is a benchmark-only dependency.)

Texts: the ``zyte-body`` ground-truth bodies and the bodies ``scraper.extract`` finds in
``metadata/html``, each whole and as its first 300 and 1,000 characters. Both detectors
run with no declared language. We print agreement with py3langid (overall, per length and
per language), every disagreement, milliseconds per text, and the resident memory each
adds when loaded and first used (``/proc/self/statm``, in a fresh process that has
already imported ``scraper.extraction``, as an extraction worker has).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "evaldata"
SLICES = (300, 1000)
MIN_LENGTH = 300

_MEMORY_PROBE = """
import os, sys
sys.path.insert(0, {root!r})
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
import scraper.extraction  # loaded in every extraction worker anyway
text = "Le conseil municipal a voté le budget de la ville pour l'année prochaine. " * 5
before = rss()
{call}
print((rss() - before) / 2**20)
"""
_CALLS = {
    "storyline": "from scraper.extraction.language import detect_language\n"
    "detect_language(text, None)",
    "py3langid": "import py3langid\npy3langid.classify(text)",
}


def load_texts(data: Path) -> list[tuple[str, str]]:
    """(name, body) for every page with a body of at least MIN_LENGTH characters."""
    from scraper import extract

    texts: list[tuple[str, str]] = []
    truth = json.loads((data / "zyte-body" / "ground-truth.json").read_text("utf-8"))
    for key, item in sorted(truth.items()):
        texts.append((f"zyte/{key[:12]}", item.get("articleBody") or ""))
    for line in (data / "metadata" / "truth.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        path = data / "metadata" / "html" / f"{item['id']}.html"
        if not path.exists():
            continue
        try:
            body = extract(path.read_bytes(), item.get("url")).body
        except Exception as exc:
            print(f"extract failed on {path.name}: {exc}", file=sys.stderr)
            continue
        texts.append((f"meta/{item['id'][:24]}", body or ""))
    return [(name, body) for name, body in texts if len(body) >= MIN_LENGTH]


def samples(texts: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, kind, text): each body whole and its first 300 and 1,000 characters."""
    out = []
    for name, body in texts:
        out.append((name, "full", body))
        for n in SLICES:
            if len(body) > n:
                out.append((name, f"first{n}", body[:n]))
    return out


def memory(which: str) -> float:
    """MB of resident memory ``which`` adds when loaded and first used, in a fresh process."""
    code = _MEMORY_PROBE.format(root=str(ROOT), call=_CALLS[which])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="JSON file of extracted texts (made if absent)")
    args = parser.parse_args()

    if args.cache and args.cache.exists():
        texts = [(name, body) for name, body in json.loads(args.cache.read_text("utf-8"))]
    else:
        texts = load_texts(args.data)
        if args.cache:
            args.cache.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    items = samples(texts)

    try:
        import py3langid
    except ImportError:
        sys.exit("py3langid is missing: uv run --group bench python bench/language.py")

    from scraper.extraction.language import detect_language

    detect_language(items[0][2], None)  # warm up both
    py3langid.classify(items[0][2])
    start = time.perf_counter()
    ours = [detect_language(text, None) for _, _, text in items]
    ours_ms = (time.perf_counter() - start) * 1000 / len(items)
    start = time.perf_counter()
    theirs = [str(py3langid.classify(text[:2000])[0]) for _, _, text in items]
    theirs_ms = (time.perf_counter() - start) * 1000 / len(items)

    print(f"{len(texts)} bodies of >= {MIN_LENGTH} chars, {len(items)} texts with the slices\n")
    by_kind: dict[str, list[bool]] = defaultdict(list)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for (_, kind, _), a, b in zip(items, ours, theirs, strict=True):
        by_kind[kind].append(a == b)
        by_lang[b].append(a == b)
    every = [a == b for a, b in zip(ours, theirs, strict=True)]
    print(f"agreement with py3langid: {sum(every) / len(every):.1%} ({sum(every)}/{len(every)})")
    for kind, hits in sorted(by_kind.items()):
        print(f"  {kind:>9}: {sum(hits) / len(hits):.1%} ({sum(hits)}/{len(hits)})")
    print("per language (py3langid's label):")
    for lang, hits in sorted(by_lang.items(), key=lambda kv: -len(kv[1])):
        print(f"  {lang:>4}: {sum(hits) / len(hits):6.1%} ({sum(hits)}/{len(hits)})")
    print("disagreements (ours / py3langid):")
    confusions: Counter[tuple[str | None, str]] = Counter()
    for (name, kind, text), a, b in zip(items, ours, theirs, strict=True):
        if a != b:
            confusions[(a, b)] += 1
            snippet = " ".join(text[:110].split())
            print(f"  {name:<30} {kind:>9} {a!s:>4} / {b:<4} {snippet}")
    print("confusions:", ", ".join(f"{a}/{b}×{n}" for (a, b), n in confusions.most_common()))
    print(f"\nspeed: storyline {ours_ms:.2f} ms/text, py3langid {theirs_ms:.2f} ms/text")
    print(
        f"memory added: storyline {memory('storyline'):.1f} MB, "
        f"py3langid {memory('py3langid'):.1f} MB"
    )


if __name__ == "__main__":
    main()
