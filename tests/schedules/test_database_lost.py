"""A PostgreSQL server that goes away under the daemon: one line, exit status 3."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import open_archive
from tests.schedules.site import NewsSite, Story, config_text

ROOT = Path(__file__).resolve().parents[2]


def test_losing_postgresql_under_the_daemon_is_one_line_and_status_3(
    postgres_url: str, site: NewsSite, tmp_path: Path
) -> None:
    site.add(Story("story-0", "The harbour bridge closes"))
    open_archive(postgres_url).dispose()
    path = tmp_path / "herald.toml"
    path.write_text(
        config_text(site, extra='[schedule]\nrevisit_every = "1s"\nhousekeeping_every = "1s"\n')
    )
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from storyline.cli import main; main()",
            "schedule",
            "run",
            "--quiet",
            "--config",
            str(path),
        ],
        cwd=ROOT,
        env={**os.environ, "STORYLINE_DB": postgres_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    name = make_url(postgres_url).database
    admin = create_engine(
        make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        deadline = time.monotonic() + 120
        with admin.connect() as conn:
            while time.monotonic() < deadline and daemon.poll() is None:
                holders = conn.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
                )
                if holders and holders >= 2:  # the scheduler lock and its job store
                    break
                time.sleep(0.2)
            time.sleep(2)  # a job or two has run
            assert daemon.poll() is None, daemon.communicate()[1]
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        _out, err = daemon.communicate(timeout=180)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        admin.dispose()
    assert "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if line]
    assert daemon.returncode == 3, err
    assert len(lines) <= 2, err
    assert lines[-1].startswith("storyline: error: ") and "database" in lines[-1], err
