import subprocess
import sys

# A fresh interpreter: the forkserver is one per process, and the test session's pool
# started it already with other modules.
SCRIPT = """
import sys
from scraper.pool import extraction_pool

pool = extraction_pool(1, preload={preload!r})
try:
    print(pool.submit(eval, "'storyline.cli' in __import__('sys').modules").result(timeout=120))
finally:
    pool.shutdown()
"""


def _worker_has_cli(preload: tuple[str, ...]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(preload=preload)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return done.stdout.strip()


def test_preloaded_modules_are_in_every_worker() -> None:
    assert _worker_has_cli(("storyline.cli",)) == "True"


def test_workers_import_no_command_line_code_unless_asked() -> None:
    assert _worker_has_cli(()) == "False"
