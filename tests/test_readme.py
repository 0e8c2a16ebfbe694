"""The README is a test: every TOML block parses with the real config parser, every
documented command line parses against the real CLI, and every one that can run offline
runs — against the archive the README's own ``storyline demo`` leaves behind (as
sqlite-utils and datasette test their documentation)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

import storage
import storyline.exits
from scraper.config import parse_config
from storage.models import Article
from storyline.cli import cli
from tests.pages import article_page

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", TEXT, flags=re.MULTILINE | re.DOTALL)
#: the URL the README's examples use for "an article"; replaced by one the demo archived
EXAMPLE_ARTICLE = "https://example.com/news/some-story-123"


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == kind]


def command_lines() -> list[tuple[str, list[str]]]:
    """Every ``storyline`` invocation in a shell, cron or ini block: (line, arguments)."""
    found = []
    for lang, body in BLOCKS:
        if lang not in ("sh", "cron", "ini"):
            continue
        for line in body.splitlines():
            words = shlex.split(line, comments=True)
            for i, word in enumerate(words):
                if word == "storyline" or (word.endswith("/storyline") and "bin" in word):
                    if word == "storyline" and i > 0 and words[i - 1] == "--project":
                        continue
                    rest = words[i + 1 :]
                    rest = rest[: rest.index("&&")] if "&&" in rest else rest
                    found.append((line.strip(), rest))
                    break
    return found


def parse(args: list[str]) -> click.Context:
    """Parse a command line down to its (sub)command without running it."""
    ctx = cli.make_context("storyline", list(args))
    command: click.Command = cli
    while isinstance(command, click.Group):
        rest = [*ctx._protected_args, *ctx.args]
        if not rest:
            break
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        ctx = sub.make_context(name, rest, parent=ctx)
        command = sub
    return ctx


def test_the_readme_opens_with_the_demo_and_the_tests() -> None:
    first = [line.split("#")[0].strip() for line in blocks("sh")[0].splitlines()]
    assert first == ["uv run storyline demo", "uv run pytest"]


@pytest.mark.parametrize("text", blocks("toml"))
def test_every_toml_block_parses_with_the_real_parser(text: str) -> None:
    config = parse_config(text, "README.md")
    assert config.sources


def test_every_documented_command_line_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "storyline.toml").write_text(blocks("toml")[0])
    lines = command_lines()
    assert len(lines) >= 10
    for line, args in lines:
        try:
            parse(args)
        except click.exceptions.Exit:
            pass  # --help
        except click.ClickException as exc:
            pytest.fail(f"README line {line!r}: {exc.format_message()}")


def test_exit_statuses_in_the_readme_are_the_real_ones() -> None:
    table = TEXT.split("Exit status (every command):", 1)[1].split("\n\n", 2)[1]
    documented = {int(n) for n in re.findall(r"`(\d+)`", table)}
    real = {
        value
        for name, value in vars(storyline.exits).items()
        if name.startswith("EXIT_") and isinstance(value, int)
    }
    assert documented == real


def test_cron_and_systemd_work_without_uv_on_the_path() -> None:
    for line in blocks("cron")[0].splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        command = line.split(None, 5)[5]
        program = next(w for w in shlex.split(command) if w.endswith("bin/storyline"))
        assert program.startswith("/") and program.endswith(".venv/bin/storyline"), line
    unit = configparser.ConfigParser(strict=True, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(blocks("ini")[0])
    service = unit["Service"]
    assert service["ExecStart"].startswith("/") and service["Restart"] == "on-failure"
    assert float(service["RestartSec"]) >= 5
    refused = {int(n) for n in service["RestartPreventExitStatus"].split()}
    assert refused == {storyline.exits.EXIT_USAGE, storyline.exits.EXIT_LOCKED}
    assert int(unit["Unit"]["StartLimitBurst"]) >= 1
    assert int(unit["Unit"]["StartLimitIntervalSec"]) > 0


def test_the_python_api_example_runs() -> None:
    (example,) = blocks("python")
    namespace: dict[str, Any] = {"html_bytes_or_str": article_page(headline="A river rises")}
    exec(example, namespace)
    assert namespace["article"].headline == "A river rises"


# -- the offline commands, run ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the README's first command, ``storyline demo``, has been run."""
    folder = tmp_path_factory.mktemp("readme")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.stderr
    yield folder


#: commands that need no network: run for real (``fetch``, ``crawl``, ``schedule run`` only parse)
OFFLINE = (
    "history",
    "diff",
    "export",
    "extract",
    "runs",
    "search",
    "stats",
    "show",
    "changes",
    "--help",
)


def test_every_offline_command_runs(demo_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo_folder)
    db = f"sqlite:///{demo_folder / 'storyline-demo' / 'demo.db'}"
    with Session(storage.open_archive(db, readonly=True)) as session:
        changed = session.scalars(select(Article.url).where(Article.current_version >= 2)).first()
    assert changed is not None
    (demo_folder / "page.html").write_text(article_page(headline="A river rises"))
    ran = []
    for line, args in command_lines():
        if not args or args[0] not in OFFLINE:
            continue
        args = [changed if a in (EXAMPLE_ARTICLE, "URL") else a for a in args]
        result = CliRunner().invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (line, result.stderr)
        ran.append(args[0])
    assert {"history", "diff", "export", "extract", "runs", "changes"} <= set(ran)
    assert (demo_folder / "corpus.jsonl").read_text().count("\n") >= 4


def test_installed_as_a_tool_it_runs_outside_the_checkout(tmp_path: Path) -> None:
    """The README's "Installing it elsewhere": `uv tool install /path/to/storyline` from the
    checkout gives a `storyline` that runs in any folder."""
    assert "uv tool install /path/to/storyline" in TEXT
    uv = os.environ.get("UV") or shutil.which("uv")
    if not uv:
        if os.environ.get("CI"):
            raise RuntimeError("uv must be on PATH on CI (.ci/run installs it)")
        pytest.skip("uv is not on PATH")
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
    }
    env.pop("VIRTUAL_ENV", None)
    checkout = README.parent
    done = subprocess.run(
        [uv, "tool", "install", str(checkout)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = subprocess.run(
        [str(tmp_path / "bin" / "storyline"), "--version"],
        cwd=elsewhere,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("storyline, version ")
    assert list(elsewhere.iterdir()) == []  # it looked at nothing and created nothing there
