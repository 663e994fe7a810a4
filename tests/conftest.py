"""Shared fixtures: one real build of the monolith per test session, in a temporary workspace."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

from mesh_workshop.api import kit
from mesh_workshop.dbt.results import BuildResult
from mesh_workshop.dbt.runner import ProjectRun
from mesh_workshop.mesh.build import MeshBuildResult, ProjectOutcome
from mesh_workshop.monolith import project as monolith
from mesh_workshop.paths import WORKSPACE_ENV, kit_root

T = TypeVar("T")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return kit_root()


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    """Every build of the session writes here, never into the repository."""
    path = tmp_path_factory.mktemp("workspace")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV, str(path))
        yield path


@pytest.fixture(scope="session")
def built_monolith(workspace: Path, tmp_path_factory: pytest.TempPathFactory):
    """The monolith built once with real dbt on a real DuckDB file."""
    result = shared_build("monolith", monolith.build_monolith, workspace, tmp_path_factory)
    assert result.ok, result.summary()
    return result


@pytest.fixture(scope="session")
def graph(built_monolith):
    return monolith.load_graph()


@pytest.fixture(scope="session")
def built_mesh(workspace, repo_root, tmp_path_factory):
    before = snapshot(repo_root / "mesh_projects")
    result = shared_build("mesh", lambda: kit.build_mesh(full=True), workspace, tmp_path_factory)
    assert result.ok, result.table()
    assert snapshot(repo_root / "mesh_projects") == before, "the build wrote into mesh_projects/"
    return result


def shared_build(folder: str, build: Callable[[], T], workspace: Path, factory) -> T:
    """`build()` run once per test run and its build folder copied into this workspace.

    With test files spread over processes (pytest-xdist), the first process to ask builds in a
    workspace of its own; every process, that one included, copies the built folder (DuckDB
    file, target, state) into its own workspace and gets the same result, its paths moved."""
    if "PYTEST_XDIST_WORKER" not in os.environ or (workspace / folder).exists():
        # One process, or a test of this process built here already (a baseline made on first
        # use, whose warm workers may still run in it): build here, as one process would.
        return build()
    shared = factory.getbasetemp().parent / "shared-builds"
    shared.mkdir(exist_ok=True)
    seed = shared / folder
    saved = shared / f"{folder}.pickle"
    with FileLock(shared / f"{folder}.lock"):
        if not saved.is_file():
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv(WORKSPACE_ENV, str(seed))
                result = build()
            saved.write_bytes(pickle.dumps(result))
    result = pickle.loads(saved.read_bytes())
    shutil.copytree(seed / folder, workspace / folder, symlinks=True)
    return _moved(result, str(seed), str(workspace))


def _moved(value, old: str, new: str):
    """A build result with every path under `old` moved under `new`."""
    if isinstance(value, BuildResult):
        return replace(value, log_path=value.log_path.replace(old, new, 1))
    if isinstance(value, MeshBuildResult):
        return replace(value, projects=tuple(_moved(p, old, new) for p in value.projects))
    if isinstance(value, ProjectOutcome) and value.result is not None:
        return replace(value, result=_moved(value.result, old, new))
    return value


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*")}


@pytest.fixture
def monolith_copy(tmp_path: Path, built_monolith) -> ProjectRun:
    """A private copy of the monolith and of its built warehouse, free to edit and rebuild."""
    source = monolith.monolith_run()
    project = tmp_path / "project"
    shutil.copytree(
        source.project_dir, project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb")
    )
    run = ProjectRun(monolith.PROJECT, project, tmp_path / "work")
    run.work_dir.mkdir()
    shutil.copy2(source.warehouse, run.warehouse)
    return run


def pytest_configure(config: pytest.Config) -> None:
    # No usage pings from dbt during tests, wherever they run.
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@contextmanager
def holding(path: Path):
    """Another process that keeps the DuckDB file at `path` open until the block ends."""
    with _another_process(f"import duckdb; c = duckdb.connect({str(path)!r})") as holder:
        yield holder


@contextmanager
def holding_lock(path: Path):
    """Another process that holds an exclusive lock on the file at `path` until the block ends,
    as a second notebook checking the same group's scenario does."""
    setup = f"import fcntl; f = open({str(path)!r}, 'w'); fcntl.flock(f, fcntl.LOCK_EX)"
    with _another_process(setup) as holder:
        yield holder


@contextmanager
def _another_process(setup: str):
    """A Python process that runs `setup`, says it is ready, and keeps going until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"{setup}\nimport sys\nprint('ready', flush=True)\nsys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield holder
    finally:
        holder.communicate("done\n", timeout=30)


@pytest.fixture(scope="session")
def graded_class(built_mesh, workspace: Path, tmp_path_factory):
    """The class of `tests/grading_class.py` graded once per test run with real dbt into a
    shared folder (`source/`, `out/`), read by every grading test: treat it as read-only."""
    from grading_class import write_class
    from mesh_workshop.grading.model import Grades

    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = tmp_path_factory.getbasetemp().parent / "shared-builds"
    else:
        shared = tmp_path_factory.getbasetemp()
    shared.mkdir(exist_ok=True)
    folder = shared / "graded_class"
    with FileLock(shared / "graded_class.lock"):
        if not (folder / "out" / "grades.json").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            expected = write_class(folder / "source")
            (folder / "expected.pickle").write_bytes(pickle.dumps(expected))
            kit.grade(folder / "source", folder / "out")
    grades = Grades.model_validate_json((folder / "out" / "grades.json").read_text())
    expected = pickle.loads((folder / "expected.pickle").read_bytes())
    return GradedClass(folder / "source", folder / "out", grades, expected)


@dataclass(frozen=True)
class GradedClass:
    source: Path
    out: Path
    grades: object  # mesh_workshop.grading.model.Grades
    expected: list  # grading_class.Expected, one per submission
