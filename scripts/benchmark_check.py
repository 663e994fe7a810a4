"""Time "decide, apply, check" for a one-model change: warm workers against the slower ways.

    python scripts/benchmark_check.py [--runs 5]

Each timed round applies a proposal that changes one hub model (`fct_animal_outcomes`, read by
three spokes), then checks it: apply, build what changed and what reads it across projects,
governance findings and explanations. Rounds alternate between the change and no change, so every
round has exactly one changed model to rebuild.

- warm: the kit's way in a long-lived process (notebook, widget): dbt stays loaded in one worker
  process per project.
- CLI: the same selective check, with a fresh dbt process per project.
- full: a clean build of the whole sandbox (what checking would cost without selection).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.proposal import sandbox as proposals

CHANGE = """version: 1
group: Benchmark table
scenario: benchmark
models:
  - model: data_platform.fct_animal_outcomes
    logic_change: lost_animals_counted_as_non_live
"""
NO_CHANGE = """version: 1
group: Benchmark table
scenario: benchmark
"""


def rounds(folder: Path, runs: int, runner, label: str) -> list[float]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "proposal.yml"
    times = []
    for i in range(runs + 1):  # the first round warms up and is not counted
        path.write_text(CHANGE if i % 2 == 0 else NO_CHANGE)
        started = time.perf_counter()
        result = proposals.check(path, out=folder / "mesh", runner=runner)
        elapsed = time.perf_counter() - started
        if not result.ok:
            sys.exit(f"{label}: the check failed, so the timing means nothing:\n{result.summary()}")
        if i:
            times.append(elapsed)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    proposals.baseline()  # the baseline mesh is built before any timing

    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="rr-check-bench-") as tmp:
        with DbtWorkerPool() as pool:
            figures["warm check (workers)"] = rounds(
                Path(tmp) / "warm", args.runs, pool.run, "warm"
            )
        figures["check, fresh dbt per project"] = rounds(
            Path(tmp) / "cli", max(2, args.runs // 2), run_dbt, "cli"
        )
        full = []
        for i in range(2):
            folder = Path(tmp) / f"full{i}"
            folder.mkdir()
            (folder / "proposal.yml").write_text(CHANGE)
            started = time.perf_counter()
            proposals.check(folder / "proposal.yml", out=folder / "mesh", full=True)
            full.append(time.perf_counter() - started)
        figures["full clean build of the sandbox"] = full

    baseline = statistics.median(figures["full clean build of the sandbox"])
    print(f"One hub model changed, 4 projects, {os.cpu_count()} cores (apply + build + explain)")
    print(f"{'':34}{'median':>9}{'min':>9}{'max':>9}{'vs full':>9}")
    for label, times in figures.items():
        median = statistics.median(times)
        print(
            f"{label:34}{median:8.2f}s{min(times):8.2f}s{max(times):8.2f}s{median / baseline:8.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
