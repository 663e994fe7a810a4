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
