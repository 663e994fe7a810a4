"""Time `make lab` from a fresh clone until JupyterLab serves the first notebook.

    python scripts/benchmark_lab.py [--runs 1] [--smoke]

Each run clones this checkout's last commit into a new temporary folder and runs `make lab` there,
as a facilitator does on a new laptop: the install (uv, from the package index, with an empty
download cache, as on a machine that never installed the kit), JupyterLab starting, and the first
notebook answering over HTTP. It also reports when the background build `make lab` starts has finished, which the room
sees as the start-here notebook's build cell completing. Target: the notebook within 120 s.

`--smoke` (as the tests run it): no clone and no install; `make lab` in this checkout with its
virtual environment, in the workspace `RAINBOW_ROAD_WORKSPACE` names (or a temporary one), with the
notebooks' copies in that workspace instead of the checkout's `my_notebooks/`, to show the script
works.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmark_common import options, table, target_line

KIT = Path(__file__).resolve().parents[1]
NOTEBOOK = "my_notebooks/00_start_here.ipynb"  # the room's copy (`make lab`)
TARGET_SECONDS = 120.0
DEADLINE = 900.0  # a run that takes longer than this is stopped and reported as failed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


def one_run(
    checkout: Path, workspace: Path, cache: Path | None, copies: Path | None = None
) -> dict[str, float]:
    """Run `make lab` in `checkout`; seconds until the notebook is served and the build is done.
    `copies`: where `make lab` puts the notebooks' copies (default: its `my_notebooks/`)."""
    port, token = free_port(), secrets.token_hex(8)
    jupyter = workspace / "jupyter"
    env = {
        **os.environ,
        "RAINBOW_ROAD_WORKSPACE": str(workspace),
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "LAB_ARGS": (
            f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--ServerApp.port_retries=0 --IdentityProvider.token={token}"
        ),
    }
    if copies is not None:
        env["MY_NOTEBOOKS"] = str(copies)
    if cache is not None:
        env["UV_CACHE_DIR"] = str(cache)
        env["PIP_NO_CACHE_DIR"] = "1"
    # JupyterLab serves the folder of the notebook it was opened on.
    url = f"http://127.0.0.1:{port}/api/contents/{Path(NOTEBOOK).name}?content=0&token={token}"
    workspace.mkdir(parents=True, exist_ok=True)
    log = workspace / "make-lab.log"
    (workspace / "prepare.log").unlink(missing_ok=True)  # an earlier run's says nothing of this one
    started = time.perf_counter()
    with open(log, "wb") as output:
        make = subprocess.Popen(
            ["make", "lab"],
            cwd=checkout,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    figures: dict[str, float] = {}
    prepare_log = workspace / "prepare.log"
    try:
        while len(figures) < 2:
            elapsed = time.perf_counter() - started
            if elapsed > DEADLINE or make.poll() is not None:
                sys.exit(
                    f"`make lab` did not get there in {elapsed:.0f} s:\n{log.read_text()[-3000:]}"
                )
            if "served" not in figures and serves(url):
                figures["served"] = elapsed
            if "built" not in figures and _built(prepare_log):
                figures["built"] = elapsed
            time.sleep(0.25)
    finally:
        try:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(make.pid, signal.SIGKILL)
    return figures


def _built(prepare_log: Path) -> bool:
    try:
        return "Everything is built." in prepare_log.read_text()
    except FileNotFoundError:
        return False


def main() -> int:
    args = options(__doc__, runs=1)
    served: list[float] = []
    built: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="rr-lab-") as tmp:
            root = Path(tmp)
            if args.smoke:
                checkout, cache = KIT, None
            else:
                checkout = root / "clone"
                subprocess.run(["git", "clone", "--quiet", str(KIT), str(checkout)], check=True)
                cache = root / "cache"
            workspace = root / "workspace"
            if args.smoke and os.environ.get("RAINBOW_ROAD_WORKSPACE"):
                workspace = Path(os.environ["RAINBOW_ROAD_WORKSPACE"])
            copies = workspace / "my_notebooks" if args.smoke else None  # not in this checkout
            figures = one_run(checkout, workspace, cache, copies)
            served.append(figures["served"])
            built.append(figures["built"])
    case = "this checkout, installed already (smoke)" if args.smoke else "a fresh clone"
    print(f"`make lab` in {case}: {args.runs} runs, {os.cpu_count()} cores")
    print(
        table(
            {"first notebook served": served, "background build done": built},
            "first notebook served",
            "vs served",
        )
    )
    print(target_line("the first notebook served", statistics.median(served), TARGET_SECONDS))
    if args.json:
        args.json.write_text(json.dumps({"served": served, "built": built}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
