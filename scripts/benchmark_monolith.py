"""Time a clean build and a warm rebuild of the monolith, on dbt's CLI and inside one process.

    python scripts/benchmark_monolith.py [--runs 3] [--smoke]

Clean: no target folder, no warehouse file (dbt parses everything and creates every table).
Warm: right after a build (dbt reuses its partial parse; tables are replaced).
CLI: one `dbt build` child process per run, as a person at a terminal would do (the naive way).
Kit: `mesh-workshop build-monolith` and `make lab` build this way: dbt in a process forked from
one that imported it already (the fork server starts once per process, in the first run).
In-process: `dbtRunner` in this long-lived process, as a workshop server can do.
Prints medians (and min/max) of several runs, each figure's ratio to the clean CLI build, and
whether the kit's clean build meets its target (half the CLI's time).
`--smoke`: one run of each, on the shelter system's staging models only, to show the benchmark works.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmark_common import options, ratio_target_line, table
from mesh_workshop.api import kit
from mesh_workshop.dbt.results import BuildResult
from mesh_workshop.dbt.runner import ProjectRun, run_dbt, run_dbt_in_process
from mesh_workshop.dbt.worker import DbtWorkerPool

SMOKE_SELECTION = "path:models/staging/shelter_system"


def _timed(
    action: Callable[[], BuildResult], runs: int, before: Callable[[], None]
) -> tuple[list[float], BuildResult]:
    """Seconds of each run, and the last run's result."""
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
        if not result.ok:
            sys.exit(f"The build failed, so the timing means nothing:\n{result.summary()}")
    return times, result


def main() -> int:
    args = options(__doc__, runs=3)

    with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
        run = ProjectRun("data_platform", kit.workspace.monolith_project, Path(tmp) / "monolith")
        select = ["--select", SMOKE_SELECTION] if args.smoke else []

        def wipe() -> None:
            shutil.rmtree(run.work_dir, ignore_errors=True)

        def keep() -> None:
            pass

        figures = {
            "clean build, CLI": _timed(lambda: run_dbt(run, "build", select), args.runs, wipe)[0],
            "warm rebuild, CLI": _timed(lambda: run_dbt(run, "build", select), args.runs, keep)[0],
        }

        def kit_build() -> BuildResult:
            with DbtWorkerPool(idle_timeout=None) as pool:  # as `build_monolith` runs it
                return pool.run(run, "build", select)

        figures["kit: clean build (forked dbt)"] = _timed(kit_build, args.runs, wipe)[0]
        run_dbt_in_process(run, "parse")  # pay the one-off import cost outside the timings
        figures["clean build, in-process"] = _timed(
            lambda: run_dbt_in_process(run, "build", select), args.runs, wipe
        )[0]
        figures["warm rebuild, in-process"], last = _timed(
            lambda: run_dbt_in_process(run, "build", select), args.runs, keep
        )
        nodes = len(last.nodes)

    case = f"`{SMOKE_SELECTION}` of " if args.smoke else ""
    print(
        f"Monolith {case}`data_platform`: {nodes} nodes, {args.runs} runs each, {os.cpu_count()} cores"
    )
    print(table(figures, "clean build, CLI", "vs clean CLI"))
    ratio = statistics.median(figures["kit: clean build (forked dbt)"]) / statistics.median(
        figures["clean build, CLI"]
    )
    print(ratio_target_line("the kit's clean build", ratio, 0.5, "plain dbt's"))
    if args.json:
        args.json.write_text(
            json.dumps({"nodes": nodes, "runs": args.runs, "seconds": figures}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
