"""Time "decide, apply, check" for a one-model change: warm workers against the slower ways.

    python scripts/benchmark_check.py [--runs 5] [--smoke]

Each timed round applies a proposal that changes one hub model (`fct_animal_outcomes`, read by
three spokes), then checks it: apply, build what changed and what reads it across projects,
governance findings and explanations. Every check starts its sandbox's build from a copy of
the baseline build, so every round rebuilds that model and what reads it, whatever came before.

- warm: the kit's way in a long-lived process (notebook, widget): dbt stays loaded in one worker
  process per project.
- CLI: the same selective check, with a fresh dbt process per project.
- terminal: `mesh-workshop check` of the same proposal, a new process each time, as a person at
  a terminal runs it (its target: 15 s).
- full: a clean build of the whole sandbox (what checking would cost without selection).

The baseline mesh is built in the workspace (`$RAINBOW_ROAD_WORKSPACE`) before any timing, or
found there up to date. `--smoke`: one round of each way and no round to warm up (the warm
figure then includes starting the workers), and the smallest change: a contract on a hub model
that one spoke reads (`dim_regions`), so two projects rebuild instead of four. It shows the
benchmark works.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark_common import options, table, target_line
from mesh_workshop.api import kit
from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.dbt.worker import DbtWorkerPool

CHANGE = """version: 1
group: Benchmark table
scenario: benchmark
models:
  - model: data_platform.fct_animal_outcomes
    logic_change: lost_animals_counted_as_non_live
"""
SMOKE_CHANGE = """version: 1
group: Benchmark table
scenario: benchmark
models:
  - model: data_platform.dim_regions
    contract: {enforced: true}
"""


def rounds(
    folder: Path, runs: int, runner, label: str, change: str = CHANGE, warm_up: bool = True
) -> list[float]:
    """Seconds of `runs` checks in a row, after one round to warm up (not counted) if `warm_up`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "proposal.yml"
    times = []
    for i in range(runs + warm_up):
        path.write_text(change)
        started = time.perf_counter()
        result = kit.check(path, out=folder / "mesh", runner=runner)
        elapsed = time.perf_counter() - started
        if not result.ok:
            sys.exit(f"{label}: the check failed, so the timing means nothing:\n{result.summary()}")
        if i >= warm_up:
            times.append(elapsed)
    return times


def terminal_rounds(folder: Path, runs: int, change: str) -> list[float]:
    """Seconds of `mesh-workshop check` in a new process, alternating change and no change."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "proposal.yml"
    times = []
    for _ in range(runs):
        path.write_text(change)
        started = time.perf_counter()
        done = subprocess.run(
            [
                str(Path(sys.executable).parent / "mesh-workshop"),
                "check",
                str(path),
                "--out",
                str(folder / "mesh"),
            ],
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(
                "terminal: the check failed, so the timing means nothing:\n"
                f"{(done.stdout + done.stderr)[-3000:]}"
            )
    return times


def main() -> int:
    args = options(__doc__, runs=5)
    cli_runs = 1 if args.smoke else max(2, args.runs // 2)
    full_runs = 1 if args.smoke else 2
    warm_up = not args.smoke
    change = SMOKE_CHANGE if args.smoke else CHANGE
    kit.baseline()  # the baseline mesh is built before any timing

    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="rr-check-bench-") as tmp:
        with DbtWorkerPool() as pool:
            figures["warm check (workers)"] = rounds(
                Path(tmp) / "warm", args.runs, pool.run, "warm", change, warm_up
            )
        figures["check, fresh dbt per project"] = rounds(
            Path(tmp) / "cli", cli_runs, run_dbt, "cli", change, warm_up
        )
        figures["mesh-workshop check (terminal)"] = terminal_rounds(
            Path(tmp) / "terminal", cli_runs, change
        )
        full = []
        for i in range(full_runs):
            folder = Path(tmp) / f"full{i}"
            folder.mkdir()
            (folder / "proposal.yml").write_text(change)
            started = time.perf_counter()
            result = kit.check(folder / "proposal.yml", out=folder / "mesh", full=True)
            full.append(time.perf_counter() - started)
            if not result.ok:
                sys.exit(
                    f"full: the check failed, so the timing means nothing:\n{result.summary()}"
                )
        figures["full clean build of the sandbox"] = full

    changed = "dim_regions (smoke)" if args.smoke else "fct_animal_outcomes"
    print(
        f"One hub model changed ({changed}), 4 projects, {os.cpu_count()} cores"
        " (apply + build + explain)"
    )
    print(table(figures, "full clean build of the sandbox", "vs full"))
    terminal = statistics.median(figures["mesh-workshop check (terminal)"])
    print(target_line("`mesh-workshop check` of a one-model change", terminal, 15))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
