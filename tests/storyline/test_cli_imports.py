"""Starting the command line does not load the extractor.

Every ``storyline`` process imports ``storyline.cli``; the extractor (trafilatura, htmldate,
jusText and our own ``scraper.extraction`` over lxml) costs about a second of CPU to import
and is needed only by ``extract``, ``fetch`` and the crawl's extraction workers. Each check
runs in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storage import open_archive

#: modules only extraction needs
EXTRACTOR = ("trafilatura", "htmldate", "justext", "scraper.extraction")

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str) -> dict[str, bool]:
    """Run ``code`` in a fresh interpreter; which of :data:`EXTRACTOR` it left imported."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps({{m: m in sys.modules for m in {EXTRACTOR!r}}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    loaded: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_cli_loads_no_extractor() -> None:
    loaded = _loaded_after("import storyline.cli")
    assert not any(loaded.values()), loaded


def test_the_probe_sees_the_extractor_when_it_is_loaded() -> None:
    """The check above can fail: the same probe after ``from scraper import extract``."""
    loaded = _loaded_after("import storyline.cli\nfrom scraper import extract")
    assert loaded["trafilatura"] is False  # trafilatura itself loads on the first extraction
    assert loaded["scraper.extraction"] is True


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["runs"],
        ["history", "https://news.example/not-archived"],
        ["crawl", "--help"],
        ["schedule", "--help"],
    ],
    ids=["help", "runs", "history", "crawl-help", "schedule-help"],
)
def test_commands_that_read_or_print_load_no_extractor(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "archive.db"
    open_archive(f"sqlite:///{db}").dispose()
    code = (
        "from storyline.cli import main\n"
        f"sys.argv = {['storyline', '--db', f'sqlite:///{db}', *args]!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded_after(code)
    assert not any(loaded.values()), loaded


def test_extract_still_loads_it_when_run(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Ferry resumes</title></head><body><article><h1>Ferry resumes</h1>"
        + "<p>The ferry to the island runs again from Monday, the council said today.</p>" * 8
        + "</article></body></html>"
    )
    code = (
        "from storyline.cli import main\n"
        f"sys.argv = ['storyline', 'extract', '--json', {str(page)!r}, '--url', 'https://x.example/f']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code)["trafilatura"] is True
