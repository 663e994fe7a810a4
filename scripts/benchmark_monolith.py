"""Time a clean build and a warm rebuild of the monolith, on dbt's CLI and inside one process.

    python scripts/benchmark_monolith.py [--runs 3]

Clean: no target folder, no warehouse file (dbt parses everything and creates every table).
Warm: right after a build (dbt reuses its partial parse; tables are replaced).
CLI: one `dbt build` child process per run, as a person at a terminal would do.
In-process: `dbtRunner` in this long-lived process, as a workshop server can do.
Prints medians (and min/max) of several runs, and each figure's ratio to the clean CLI build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mesh_workshop.dbt.runner import ProjectRun, run_dbt, run_dbt_in_process
from mesh_workshop.paths import monolith_dir


def _timed(action: Callable[[], object], runs: int, before: Callable[[], None]) -> list[float]:
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
        if not result.ok:
            sys.exit(f"The build failed, so the timing means nothing:\n{result.summary()}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
        run = ProjectRun("data_platform", monolith_dir(), Path(tmp) / "monolith")

        def wipe() -> None:
            shutil.rmtree(run.work_dir, ignore_errors=True)

        def keep() -> None:
            pass

        figures = {
            "clean build, CLI": _timed(lambda: run_dbt(run), args.runs, wipe),
            "warm rebuild, CLI": _timed(lambda: run_dbt(run), args.runs, keep),
        }
        run_dbt_in_process(run, "parse")  # pay the one-off import cost outside the timings
        figures["clean build, in-process"] = _timed(
            lambda: run_dbt_in_process(run), args.runs, wipe
        )
        figures["warm rebuild, in-process"] = _timed(
            lambda: run_dbt_in_process(run), args.runs, keep
        )
        nodes = len(run_dbt_in_process(run).nodes)

    baseline = statistics.median(figures["clean build, CLI"])
    print(f"Monolith `data_platform`: {nodes} nodes, {args.runs} runs each, {os.cpu_count()} cores")
    print(f"{'':28}{'median':>9}{'min':>9}{'max':>9}{'vs clean CLI':>14}")
    for label, times in figures.items():
        median = statistics.median(times)
        print(
            f"{label:28}{median:8.2f}s{min(times):8.2f}s{max(times):8.2f}s"
            f"{median / baseline:13.2f}x"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"nodes": nodes, "runs": args.runs, "seconds": figures}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
