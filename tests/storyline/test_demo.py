"""The offline demo archives its site, sees the edit, and prints history and diff."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.cli import cli


def test_demo_runs_offline_and_shows_a_new_version(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--workdir", str(workdir)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.count("new-article") == 3
    assert "new-version" in out
    assert (
        "headline: Harbour bridge reopens after eight months of repairs → Harbour bridge reopens three weeks late"
        in out
    )
    assert "{+Correction: an earlier version" in out
    assert "correction note" in out  # the change classification in the history
    assert (workdir / "demo.db").exists()
    runs = CliRunner().invoke(cli, ["--db", f"sqlite:///{workdir / 'demo.db'}", "runs", "--json"])
    recorded = json.loads(runs.stdout)
    assert [(r["kind"], r["job"], r["exit"]) for r in recorded] == [("crawl", "demo", 0)] * 2
    assert len(recorded[0]["changed"]) == 1 and len(recorded[1]["changed"]) == 3
