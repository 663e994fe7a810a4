"""Time building the whole mesh: the kit's way against the naive way.

    python scripts/benchmark_mesh.py [--runs 3]

Naive: `dbt build` on the command line in each project, in order, every time (what a person
at a terminal does after any change).
Kit, cold: `mesh-workshop build --full` from an empty build folder.
Kit, warm, nothing changed: a second build; unchanged projects are recognised and skipped.
Kit, warm, one hub model changed: only that model, and the spoke models that read it, rebuild.
Prints medians (min/max) of several runs and each figure's ratio to the naive sequence.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mesh_workshop.mesh.build import build_mesh, project_run
from mesh_workshop.mesh.committed import default_mesh_dir
from mesh_workshop.mesh.layout import read_mesh

CHANGED_MODEL = "data_platform/models/marts/core/dim_regions.sql"


def naive(projects_dir: Path, work: Path) -> None:
    """Plain `dbt build` per project, in order, as a person would type it."""
    layout = read_mesh(projects_dir)
    for project in layout.projects:
        run = project_run(project, work)
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from dbt.cli.main import cli; cli()",
                "build",
                *run.cli_args("build")[1:],
            ],
            env={**os.environ, **run.env()},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"{project.name} failed, so the timing means nothing:\n{done.stdout[-2000:]}")


def kit(projects_dir: Path, work: Path, full: bool = False) -> None:
    result = build_mesh(read_mesh(projects_dir), work, full=full)
    if not result.ok:
        sys.exit(f"The mesh failed, so the timing means nothing:\n{result.table()}")


def timed(action, runs: int, before=lambda i: None) -> list[float]:
    times = []
    for i in range(runs):
        before(i)
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rr-mesh-bench-") as tmp:
        projects = Path(tmp) / "mesh"
        shutil.copytree(default_mesh_dir(), projects)
        naive_work, kit_work = Path(tmp) / "naive", Path(tmp) / "kit"

        def wipe(folder: Path):
            return lambda i: shutil.rmtree(folder, ignore_errors=True)

        def touch(i: int) -> None:
            model = projects / CHANGED_MODEL
            model.write_text(model.read_text() + f"\n-- reviewed {i}\n")

        figures = {
            "naive: dbt build per project (CLI)": timed(
                lambda: naive(projects, naive_work), args.runs
            ),
            "kit: cold build": timed(
                lambda: kit(projects, kit_work, full=True), args.runs, wipe(kit_work)
            ),
            "kit: warm, nothing changed": timed(lambda: kit(projects, kit_work), args.runs),
            "kit: warm, one hub model changed": timed(
                lambda: kit(projects, kit_work), args.runs, touch
            ),
        }

    baseline = statistics.median(figures["naive: dbt build per project (CLI)"])
    print(f"Mesh of 4 projects, {args.runs} runs each, {os.cpu_count()} cores")
    print(f"{'':36}{'median':>9}{'min':>9}{'max':>9}{'vs naive':>10}")
    for label, times in figures.items():
        median = statistics.median(times)
        print(
            f"{label:36}{median:8.2f}s{min(times):8.2f}s{max(times):8.2f}s{median / baseline:9.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "seconds": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
