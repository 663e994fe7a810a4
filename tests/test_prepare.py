"""`make lab` builds in the background while JupyterLab opens; whoever asks for the same builds
meanwhile waits for that build and shows its progress instead of building the files twice."""

from __future__ import annotations

import shutil
import time

import psutil
import pytest

from mesh_workshop.api import kit
from mesh_workshop.paths import WORKSPACE_ENV, Workspace
from mesh_workshop.workshop import prepare

SPOKE = "finance_marketing"


@pytest.fixture
def half_built(built_monolith, built_mesh, workspace, tmp_path, monkeypatch) -> Workspace:
    """A workspace with the legacy project and the mesh built, but for one spoke's warehouse."""
    space = tmp_path / "workspace"
    for folder in ("monolith", "mesh"):
        shutil.copytree(workspace / folder, space / folder, symlinks=True)
    (space / "mesh" / SPOKE / f"{SPOKE}.duckdb").unlink()
    monkeypatch.setenv(WORKSPACE_ENV, str(space))
    return Workspace.current()


def test_a_second_caller_waits_for_the_background_build_and_relays_its_progress(half_built):
    assert prepare.missing() == (SPOKE,)
    pid = kit.prepare_in_background()
    deadline = time.monotonic() + 120
    while not half_built.prepare_log.is_file():  # written once the background build has the lock
        assert time.monotonic() < deadline, "the background build never started"
        time.sleep(0.1)

    said: list[str] = []
    result = kit.prepare(said.append)

    assert result.ok and result.waited > 0
    assert result.monolith is None and result.mesh is None, "it built what the other one built"
    assert said[0].startswith("The workshop's first build is already running")
    assert f"    {SPOKE}: building" in said and f"    {SPOKE}: built" in said
    assert said[-1] == "Everything is built."
    assert prepare.missing() == ()
    assert psutil.Process(pid).wait(timeout=30) == 0  # the background build ended well


def test_prepare_on_a_built_workspace_builds_nothing(half_built):
    first = kit.prepare(lambda line: None)
    assert first.ok and first.mesh is not None and first.monolith is None
    said: list[str] = []
    again = kit.prepare(said.append)
    assert again.ok and again.monolith is None and again.mesh is None and again.waited == 0
    assert said == ["Everything is built."]
    assert half_built.prepare_log.read_text() == "Everything is built.\n"
