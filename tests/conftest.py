"""Shared fixtures: one real build of the monolith per test session, in a temporary workspace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from mesh_workshop.api import kit
from mesh_workshop.dbt.runner import ProjectRun
from mesh_workshop.monolith import project as monolith
from mesh_workshop.paths import WORKSPACE_ENV, kit_root


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
def built_monolith(workspace: Path):
    """The monolith built once with real dbt on a real DuckDB file."""
    result = monolith.build_monolith()
    assert result.ok, result.summary()
    return result


@pytest.fixture(scope="session")
def graph(built_monolith):
    return monolith.load_graph()


@pytest.fixture(scope="session")
def built_mesh(workspace, repo_root):
    before = snapshot(repo_root / "mesh_projects")
    result = kit.build_mesh(full=True)
    assert result.ok, result.table()
    assert snapshot(repo_root / "mesh_projects") == before, "the build wrote into mesh_projects/"
    return result


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
