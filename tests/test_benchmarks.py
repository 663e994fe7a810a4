"""Every benchmark script still works: run with `--smoke` it does one real round of its smallest
case (real dbt, real DuckDB; most scripts leave dbt's tests out) and prints its figures.

The scripts run as `make benchmark` runs them: a child process started with the kit's Python,
here from a folder outside the checkout, so a script that only works from one working folder
fails too. Two benchmarks run at a time, on a 2-core machine, each in a workspace of its own.
Each smoke run times the kit against the naive way, real builds several times over, so the
smoke runs are left to `make verify` with the other slow comparisons (together they took over
seven minutes of `make test` on 2 cores); `make test` keeps the check that `make benchmark` runs
exactly the scripts smoke-tested here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from mesh_workshop.paths import WORKSHOP_ENV, WORKSPACE_ENV, Workspace

pytestmark = pytest.mark.slow

TIMEOUT = 900  # seconds per script; a smoke run takes well under a minute on an idle machine
# A row of a benchmark's table: `<label>  <median>s  <min>s  <max>s  <ratio>x`.
ROW = re.compile(
    r"^(?P<label>\S.*?)\s+(?P<median>\d+\.\d\d)s\s+(?P<min>\d+\.\d\d)s\s+(?P<max>\d+\.\d\d)s"
    r"\s+(?P<ratio>\d+\.\d\d)x$",
    re.MULTILINE,
)
BUILDS_ITS_OWN = ("benchmark_monolith.py", "benchmark_mesh.py")
STARTS_FROM_BASELINE = (
    "benchmark_check.py",
    "benchmark_click.py",
    "benchmark_lab.py",
    "benchmark_council.py",
    "benchmark_grade.py",
)
ROWS = {
    "benchmark_monolith.py": (
        "clean build, CLI",
        "warm rebuild, CLI",
        "kit: clean build (forked dbt)",
        "clean build, in-process",
        "warm rebuild, in-process",
    ),
    "benchmark_mesh.py": (
        "naive: dbt build per project (CLI)",
        "kit: cold build",
        "kit: warm, nothing changed",
        "kit: warm, one hub model changed",
    ),
    "benchmark_check.py": (
        "warm check (workers)",
        "check, fresh dbt per project",
        "mesh-workshop check (terminal)",
        "full clean build of the sandbox",
    ),
    "benchmark_click.py": (
        "warm click, scenario 1",
        "warm click, structural answers",
        "first click, new kernel",
        "mesh-workshop check (terminal)",
    ),
    "benchmark_lab.py": ("first notebook served", "background build done"),
    "benchmark_council.py": (
        "emergency: first verdict",
        "final graph: split and merge",
        "final graph, mesh-workshop check (terminal)",
    ),
    "benchmark_grade.py": (
        "kit: 4 submissions, 2 distinct answers",
        "kit: 3 distinct answers",
        "kit: graded again, 3 groups changed",
        "naive: 4 x mesh-workshop check (mean of 1 timed)",
    ),
}
# How many figures of each script have a target, each printed as a `target: ...` line.
TARGETS = {
    "benchmark_monolith.py": 1,
    "benchmark_mesh.py": 1,
    "benchmark_check.py": 1,
    "benchmark_click.py": 4,
    "benchmark_lab.py": 1,
    "benchmark_council.py": 2,
    "benchmark_grade.py": 2,
}
TARGET_LINE = re.compile(r"^target: .+ or less -> (met|NOT met) \(.+\)$", re.MULTILINE)
# What each script that starts from the session's builds gets copied into its workspace.
COPIED = {"benchmark_lab.py": ("monolith", "mesh")}


@dataclass(frozen=True)
class SmokeRun:
    script: str
    returncode: int
    output: str
    seconds: float

    def rows(self) -> dict[str, dict[str, float]]:
        """The table's rows by label: median, min, max (seconds) and ratio."""
        return {
            m["label"]: {k: float(m[k]) for k in ("median", "min", "max", "ratio")}
            for m in ROW.finditer(self.output)
        }

    def report(self) -> str:
        return f"`{self.script} --smoke` exited {self.returncode} after {self.seconds:.0f} s:\n{self.output[-4000:]}"


def run_smoke(script: str, folder: Path) -> SmokeRun:
    """`<script> --smoke` with `folder/workspace` as its workspace, started in `folder/cwd`."""
    cwd = folder / "cwd"
    cwd.mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if key != WORKSHOP_ENV}
    env[WORKSPACE_ENV] = str(folder / "workspace")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(Workspace.current().kit / "scripts" / script), "--smoke"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
    )
    return SmokeRun(script, done.returncode, done.stdout, time.perf_counter() - started)


@pytest.fixture(scope="module")
def smoke_runs(request, tmp_path_factory) -> dict[str, SmokeRun]:
    """The smoke runs of the benchmarks that start from the session's baseline mesh, two at a
    time, each in a folder and workspace of its own with a copy of the baseline."""
    root = tmp_path_factory.mktemp("benchmarks")
    request.getfixturevalue("built_mesh")
    request.getfixturevalue("built_monolith")
    session = Workspace.current()
    with ThreadPoolExecutor(max_workers=2) as lanes:
        futures = []
        for script in STARTS_FROM_BASELINE:
            folder = root / Path(script).stem
            for built in COPIED.get(script, ("mesh",)):
                shutil.copytree(session.build / built, folder / "workspace" / built, symlinks=True)
            futures.append(lanes.submit(run_smoke, script, folder))
        runs = [future.result() for future in futures]
    return {run.script: run for run in runs}


@pytest.fixture(scope="module")
def own_build_smoke_runs(tmp_path_factory) -> dict[str, SmokeRun]:
    """The smoke runs of the benchmarks that build everything themselves, side by side."""
    root = tmp_path_factory.mktemp("own-builds")
    with ThreadPoolExecutor(max_workers=2) as lanes:
        runs = list(lanes.map(lambda s: run_smoke(s, root / Path(s).stem), BUILDS_ITS_OWN))
    return {run.script: run for run in runs}


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(s, marks=pytest.mark.verify)
        for s in (*BUILDS_ITS_OWN, *STARTS_FROM_BASELINE)
    ],
)
def test_benchmark_smoke_run_prints_its_figures(request, script):
    """The script exits 0 and prints a median, min, max and ratio for each of its figures."""
    fixture = "own_build_smoke_runs" if script in BUILDS_ITS_OWN else "smoke_runs"
    run = request.getfixturevalue(fixture)[script]
    assert run.returncode == 0, run.report()
    rows = run.rows()
    assert set(ROWS[script]) <= set(rows), f"rows missing from the table.\n{run.report()}"
    for label in ROWS[script]:
        row = rows[label]
        assert 0 <= row["min"] <= row["median"] <= row["max"], f"`{label}`: {row}\n{run.report()}"
        assert row["ratio"] >= 0, run.report()
    # Whether a smoke run meets a target says nothing; that the target is printed does.
    assert len(TARGET_LINE.findall(run.output)) == TARGETS[script], run.report()


def test_make_benchmark_runs_exactly_the_smoke_tested_scripts(repo_root):
    """A benchmark added to `make benchmark` (or a script left out of it) shows up here."""
    makefile = (repo_root / "Makefile").read_text()
    target = re.search(r"^benchmark:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target, "the Makefile has no `benchmark` target"
    in_make = re.findall(r"scripts/(benchmark_\w+\.py)", target[1])
    assert in_make == [*BUILDS_ITS_OWN, *STARTS_FROM_BASELINE]
    on_disk = {p.name for p in (repo_root / "scripts").glob("benchmark_*.py")}
    assert on_disk - {"benchmark_common.py"} == set(in_make)
