"""The libraries a first extraction imports are imported before its time bound is armed.

An alarm that lands in the middle of a first import leaves half-initialised modules behind
(seen as ``module 'urllib3' has no attribute 'util'`` on every later call), so the imports
must be complete even when the bound expires at once.
"""

import subprocess
import sys

SCRIPT = """
import sys
from scraper import errors
from scraper.extraction import extract

page = "<html><body><article><h1>Title</h1>" + "<p>Words of the story.</p>" * 200 + "</article></body></html>"
try:
    extract(page, "http://example.org/a", timeout=1e-6)
except errors.ExtractionTimeout:
    pass
print(all(name in sys.modules for name in ("trafilatura", "htmldate")))
print(extract(page, "http://example.org/a").headline)
"""


def test_libraries_are_imported_before_the_time_bound() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "Title"]
