"""The hub's processes: finding every one of them, measuring their memory, and stopping them.

JupyterHub starts its proxy, each person's server and its managed services in sessions of their
own (so a Ctrl+C in the terminal reaches the hub alone), and each server starts its kernels the
same way. Stopping the hub's process group is therefore not enough: the hub is asked to stop
first, which stops everything it started, and whatever is still running afterwards is found by
walking the process tree from the hub down, taken before the hub was asked, and stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")


def parents() -> dict[int, int]:
    """Every running process's parent, by process id."""
    found: dict[int, int] = {}
    if PROC.is_dir():
        for entry in PROC.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command's name is in brackets and may hold spaces: the fields after it count.
            fields = stat[stat.rfind(")") + 2 :].split()
            found[int(entry.name)] = int(fields[1])
        return found
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        pid, _, ppid = line.strip().partition(" ")
        if pid.isdigit() and ppid.strip().isdigit():
            found[int(pid)] = int(ppid.strip())
    return found


def tree(pid: int) -> list[int]:
    """`pid` and every process below it, parents before children."""
    children: dict[int, list[int]] = {}
    for child, parent in parents().items():
        children.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        current = queue.pop(0)
        if current in found:
            continue
        found.append(current)
        queue.extend(sorted(children.get(current, [])))
    return found if alive(pid) or len(found) > 1 else []


def command(pid: int) -> str:
    """A process's command line, its arguments joined by spaces ("" when it is gone)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False
        ).stdout.strip()
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited; it only waits for its parent to read its status.
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def memory(pid: int) -> tuple[int, int]:
    """One process's memory in bytes: (PSS, RSS). PSS shares each page among the processes that
    use it, so the PSS of many forked workers adds up to what they really take; RSS counts a
    shared page in every one of them. Where PSS cannot be read, it is the RSS. (0, 0) when the
    process is gone."""
    pss = rss = None
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    if rss is None:
        try:
            for line in (PROC / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
    if rss is None and not PROC.is_dir():
        shown = subprocess.run(
            ["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, check=False
        ).stdout.strip()
        rss = int(shown) * 1024 if shown.isdigit() else None
    rss = rss or 0
    return (pss if pss is not None else rss), rss


def tree_memory(pid: int) -> tuple[int, int, int]:
    """The memory of `pid` and everything below it: (PSS, RSS, number of processes)."""
    pss = rss = count = 0
    for member in tree(pid):
        one_pss, one_rss = memory(member)
        if one_rss:
            pss, rss, count = pss + one_pss, rss + one_rss, count + 1
    return pss, rss, count


def stop_all(pids: Iterable[int], grace: float = 5.0) -> list[int]:
    """Stop every process in `pids` and its process group: a polite SIGTERM, then SIGKILL to
    whatever still runs after `grace` seconds. Returns the ones that needed SIGKILL."""
    pids = [pid for pid in dict.fromkeys(pids) if pid != os.getpid() and alive(pid)]
    groups = set()
    for pid in pids:
        try:
            group = os.getpgid(pid)
        except OSError:
            continue
        if group != os.getpgrp():
            groups.add(group)
    _signal(pids, groups, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    stubborn = [pid for pid in pids if alive(pid)]
    if stubborn:
        _signal(stubborn, groups, signal.SIGKILL)
    return stubborn


def _signal(pids: Iterable[int], groups: Iterable[int], sig: signal.Signals) -> None:
    for group in groups:
        try:
            os.killpg(group, sig)
        except OSError:
            pass
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass
