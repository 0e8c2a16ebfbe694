"""The wheel carries the web app's templates and static files (hatch includes a package's
non-Python files; this proves it for ours)."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_wheel_has_the_templates_and_static_files(tmp_path: Path) -> None:
    uv = os.environ.get("UV") or shutil.which("uv")
    if not uv:
        if os.environ.get("CI"):
            raise RuntimeError("uv must be on PATH on CI (.ci/run installs it)")
        pytest.skip("uv is not on PATH")
    done = subprocess.run(
        [uv, "build", "--wheel", "-o", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    web = ROOT / "storyline" / "web"
    wanted = {
        path.relative_to(ROOT).as_posix()
        for folder in ("templates", "static")
        for path in (web / folder).iterdir()
    }
    assert wanted and wanted <= names
