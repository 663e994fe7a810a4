"""Time building the whole mesh: the kit's way against the naive way.

    python scripts/benchmark_mesh.py [--runs 3] [--smoke]

Naive: what a person types in a terminal after any change, in each project in order:
`cd mesh_projects/<project> && source ../mesh.env.sh && dbt build` (after a first, untimed
`dbt deps` where the project names dbt packages, and `dbt parse`). It runs in a copy of the
kit's layout (`mesh_projects/` beside `data/raw/` and any local dbt package the projects name),
so dbt's target folders and DuckDB files land in the copy, never in the committed projects.
Kit, cold: `mesh-workshop build --full` from an empty build folder.
Kit, warm, nothing changed: a second build; unchanged projects are recognised and skipped.
Kit, warm, one hub model changed: only that model, and the spoke models that read it, rebuild.
Prints medians (min/max) of several runs, each figure's ratio to the naive sequence, and
whether the kit's cold build meets its target (half the naive time).
`--smoke`: one run each, on the hub and one spoke that reads the changed model.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmark_common import options, ratio_target_line, table
from mesh_workshop.api import kit
from mesh_workshop.mesh.build import build_with_workers
from mesh_workshop.mesh.layout import Mesh, read_mesh

CHANGED_MODEL = "data_platform/models/marts/core/dim_regions.sql"
ENV_SCRIPT = "mesh.env.sh"  # the mesh folder's own instructions: source it before plain dbt
# What a build or `dbt deps` leaves in a project folder (git-ignored), never copied.
BUILD_OUTPUT = shutil.ignore_patterns(
    "target", "logs", "dbt_packages", "package-lock.yml", "*.duckdb", "*.duckdb.wal"
)


def copy_mesh(destination: Path, smoke: bool) -> Path:
    """A copy of the committed mesh folder (its build output left out); for a smoke run only the
    hub and one spoke that reads the changed model, so the warm rebuild still crosses a project
    boundary."""
    committed = kit.workspace.committed_mesh
    shutil.copytree(committed, destination, ignore=BUILD_OUTPUT)
    if smoke:
        mesh = read_mesh(destination)
        keep = {CHANGED_MODEL.split("/")[0], reader_of_changed_model(mesh)}
        for project in mesh.projects:
            if project.project_dir.name not in keep:
                shutil.rmtree(project.project_dir)
    return destination


def reader_of_changed_model(mesh: Mesh) -> str:
    """The folder of a project that refs the changed hub model."""
    model = Path(CHANGED_MODEL).stem
    for boundary in mesh.boundaries:
        if boundary.producer_model == model:
            return mesh.project(boundary.consumer).project_dir.name
    sys.exit(f"No project of the mesh reads `{model}`; update CHANGED_MODEL in {__file__}.")


def terminal_checkout(root: Path, smoke: bool) -> Path:
    """The kit's layout in `root` for the naive way: `mesh_projects/` beside `data/raw/` and the
    local dbt packages the projects name, so every relative path in the projects (the raw data
    at `../../data/raw`, a `local:` package) leads where it does in the kit."""
    home = kit.workspace.kit
    committed = kit.workspace.committed_mesh
    shutil.copytree(kit.workspace.raw_data, root / kit.workspace.raw_data.relative_to(home))
    projects = copy_mesh(root / committed.relative_to(home), smoke)
    for project in read_mesh(projects).projects:
        for package in local_packages(committed / project.project_dir.name):
            target = root / package.relative_to(home)
            if not target.exists():
                shutil.copytree(package, target, ignore=BUILD_OUTPUT)
    return projects


def local_packages(project_dir: Path) -> list[Path]:
    """The folders of the `local:` dbt packages a project's `packages.yml` names."""
    path = project_dir / "packages.yml"
    entries = (yaml.safe_load(path.read_text()) or {}).get("packages", []) if path.is_file() else []
    return [(project_dir / e["local"]).resolve() for e in entries if "local" in (e or {})]


def in_terminal(project_dir: Path, command: str) -> None:
    """Run `command` in a project's folder as in a fresh terminal with the kit's virtualenv
    activated, after `source ../mesh.env.sh`."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing the kit (or a caller) set for its own runs.
        if not key.startswith(("RAINBOW_ROAD_", "DBT_LOOM_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"  # as in the kit's runs: no network
    done = subprocess.run(
        ["bash", "-c", f"source ../{ENV_SCRIPT} && {command}"],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(
            f"{project_dir.name}: `{command}` failed, so the timing means nothing:\n"
            f"{(done.stdout + done.stderr)[-3000:]}"
        )


def set_up_terminal(projects_dir: Path) -> None:
    """What a person does once, before the first build: in each project, in order, `dbt deps`
    if it names dbt packages, and `dbt parse`, which writes the manifest that dbt-loom reads in
    the projects downstream (even their `dbt deps` needs it)."""
    for project in read_mesh(projects_dir).projects:
        deps = "dbt deps && " if (project.project_dir / "packages.yml").is_file() else ""
        in_terminal(project.project_dir, f"{deps}dbt parse")


def naive(projects_dir: Path) -> None:
    """Plain `dbt build` in each project folder, in order, as a person would type it."""
    for project in read_mesh(projects_dir).projects:
        in_terminal(project.project_dir, "dbt build")


def kit_build(projects_dir: Path, work: Path, full: bool = False) -> None:
    # As `make lab` and `mesh-workshop build` run it: forked dbt workers, spokes side by side.
    result = build_with_workers(read_mesh(projects_dir), work, full=full)
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
    args = options(__doc__, runs=3)

    with tempfile.TemporaryDirectory(prefix="rr-mesh-bench-") as tmp:
        naive_projects = terminal_checkout(Path(tmp) / "terminal", args.smoke)
        set_up_terminal(naive_projects)  # not timed
        projects = copy_mesh(Path(tmp) / "mesh", args.smoke)
        kit_work = Path(tmp) / "kit"
        count = len(read_mesh(projects).projects)

        def wipe(folder: Path):
            return lambda i: shutil.rmtree(folder, ignore_errors=True)

        def touch(i: int) -> None:
            model = projects / CHANGED_MODEL
            model.write_text(model.read_text() + f"\n-- reviewed {i}\n")

        figures = {
            "naive: dbt build per project (CLI)": timed(lambda: naive(naive_projects), args.runs),
            "kit: cold build": timed(
                lambda: kit_build(projects, kit_work, full=True), args.runs, wipe(kit_work)
            ),
            "kit: warm, nothing changed": timed(lambda: kit_build(projects, kit_work), args.runs),
            "kit: warm, one hub model changed": timed(
                lambda: kit_build(projects, kit_work), args.runs, touch
            ),
        }

    print(f"Mesh of {count} projects, {args.runs} runs each, {os.cpu_count()} cores")
    print(table(figures, "naive: dbt build per project (CLI)", "vs naive"))
    ratio = statistics.median(figures["kit: cold build"]) / statistics.median(
        figures["naive: dbt build per project (CLI)"]
    )
    print(ratio_target_line("the kit's cold build", ratio, 0.5, "plain dbt's"))
    if args.json:
        args.json.write_text(
            json.dumps({"projects": count, "runs": args.runs, "seconds": figures}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
