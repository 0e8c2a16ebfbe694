"""How ``bench/crawl.py`` measures a crawler: CPU seconds and peak memory of a process and
its children, sampled from ``/proc``, and a busy loop to stand for another program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any


def read_proc(path: str) -> str:
    """A file under /proc, or '' when the process has gone."""
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        for task in _read_tasks(p):
            stack.extend(int(c) for c in read_proc(f"/proc/{p}/task/{task}/children").split())
    return found


def _read_tasks(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []


def _field(text: str, name: str) -> int:
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User + system CPU of ``pid`` (with ``reaped``, of its children it has waited for too)."""
    stat = read_proc(f"/proc/{pid}/stat")
    if not stat:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in ((11, 12, 13, 14) if reaped else (11, 12)))
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(command: list[str]) -> dict[str, Any]:
    """Run ``command``; sample its process tree's memory (RSS of the main process, PSS of the
    tree, which counts pages shared by forked workers once) and CPU time every 0.5 s."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak_main = peak_tree = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        pids = process_tree(process.pid)
        peak_main = max(peak_main, _field(read_proc(f"/proc/{process.pid}/status"), "VmRSS:"))
        peak_tree = max(
            peak_tree, sum(_field(read_proc(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids)
        )
        for p in pids:
            cpu[p] = max(cpu.get(p, 0.0), cpu_seconds(p))
        time.sleep(0.5)
    wall = time.monotonic() - started
    names = {process.pid: "main"}
    print(
        "  CPU by process: "
        + ", ".join(
            f"{names.get(p, p)} {c:.1f}s" for p, c in sorted(cpu.items(), key=lambda kv: -kv[1])[:6]
        ),
        file=sys.stderr,
    )
    out = process.stdout.read() if process.stdout else ""
    result = json.loads(out.strip().splitlines()[-1])
    parent = cpu.get(process.pid, 0.0)
    result.update(
        wall_seconds=wall,
        peak_main_mb=peak_main / 2**20,
        peak_tree_mb=peak_tree / 2**20,
        cpu_seconds=sum(cpu.values()),
        parent_cpu_seconds=parent,
        children_cpu_seconds=sum(cpu.values()) - parent,
        returncode=process.returncode,
    )
    return result


def busy_loop() -> subprocess.Popen[bytes]:
    """Another program on the machine: one process that keeps one core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])
