"""Notebooks: committed clean, matching their source script, and running top to bottom."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest
from nbclient import NotebookClient

CELL_TIMEOUT_SECONDS = 300


def _builder(repo_root):
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", repo_root / "scripts/build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_match_the_script_that_writes_them(repo_root):
    builder = _builder(repo_root)
    for name, cells in builder.NOTEBOOKS.items():
        assert (repo_root / "notebooks" / name).read_text() == builder.render(cells), name


def test_notebooks_are_committed_without_outputs_and_with_a_kernel(repo_root):
    for path in (repo_root / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("name", ["01_meet_rainbow_road.ipynb"])
def test_notebook_runs_top_to_bottom(repo_root, workspace, tmp_path, name):
    notebook = nbformat.read(repo_root / "notebooks" / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(_text(o) for o in outputs)
    assert "`data_platform` built" in text
    assert "```mermaid" in text
    assert "grant_outcome_report" in text


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    data = output.get("data", {})
    return data.get("text/markdown") or data.get("text/plain") or ""


SCENARIO_NOTEBOOKS = {
    "03_breaking_change.ipynb": "breaking_change",
    "04_access_and_lineage.ipynb": "access_and_lineage",
    "05_growing_mesh.ipynb": "growing_mesh",
    "06_council_emergency.ipynb": "council_emergency",
}


@pytest.mark.parametrize("name", sorted(SCENARIO_NOTEBOOKS))
def test_scenario_notebook_shows_its_app(repo_root, workspace, tmp_path, monkeypatch, name):
    """Each scenario notebook runs without a press of the button and shows its scenario's app."""
    from mesh_workshop.scenario import load_scenario
    from mesh_workshop.workshop import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    notebook = nbformat.read(repo_root / "notebooks" / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [
        o.data["application/vnd.jupyter.widget-view+json"]["model_id"]
        for o in outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    root = state[views[0]]["state"]
    assert "rr-scenario-app" in root["_dom_classes"]
    title = load_scenario(SCENARIO_NOTEBOOKS[name]).title
    texts = [m["state"].get("value", "") for m in state.values() if m["model_name"] == "HTMLModel"]
    assert any(title.replace("'", "&#x27;") in t or title in t for t in texts)
    # Nothing was checked: no group folder holds a result.
    assert not list((tmp_path / "workshop").glob("*/*/result.json"))


@pytest.mark.parametrize("name", ["07_facilitator_debrief.ipynb"])
def test_debrief_notebook_shows_demo_groups_side_by_side(
    repo_root, workspace, tmp_path, monkeypatch, name
):
    """With its demo switched on, the debrief notebook checks example groups for real and shows
    their answers side by side with a suggested order; the real groups' folder is left alone."""
    from mesh_workshop.debrief_demo import DEMO_GROUPS, DEMO_SCENARIO
    from mesh_workshop.scenario import load_scenario
    from mesh_workshop.workshop import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    notebook = nbformat.read(repo_root / "notebooks" / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(_text(o) for o in outputs)
    assert "DEMO ANSWERS" in text
    # The side-by-side table: a row per lever, a column per demo group, real verdicts.
    for lever in load_scenario(DEMO_SCENARIO).levers:
        assert lever.label in text
    for demo in DEMO_GROUPS:
        assert demo.group in text
    assert "✅ Solved (4 of 4 criteria)" in text
    assert "❌ Not solved" in text
    # The suggested order: the common solved approach first, the most different one last.
    assert "1. **Approach A** (Demo table 1, Demo table 2): Start here" in text
    assert "The most different answer, last" in text
    assert not (tmp_path / "workshop").exists()
