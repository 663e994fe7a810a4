"""The room's own copies of the notebooks (`mesh-workshop notebooks`, run by `make lab`): real
notebook files in `tmp_path`, copied from a temporary copy of a couple of the kit's notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mesh_workshop.errors import KitLayoutError
from mesh_workshop.paths import HOME_ENV, WORKSHOP_ENV, WORKSPACE_ENV
from mesh_workshop.workshop.notebooks import (
    COPIED,
    KEPT,
    MANIFEST,
    REFRESHED,
    UNCHANGED,
    copy_notebooks,
)

NAMES = ("00_start_here.ipynb", "03_breaking_change.ipynb")
OLD = 1_000_000_000  # an mtime (seconds) set on every copy, to see whether a run writes again


@pytest.fixture
def tracked(tmp_path: Path, repo_root: Path) -> Path:
    """A stand-in for the kit's `notebooks/`: copies of two real notebooks."""
    folder = tmp_path / "kit" / "notebooks"
    folder.mkdir(parents=True)
    for name in NAMES:
        shutil.copy2(repo_root / "notebooks" / name, folder / name)
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def actions(copies) -> dict[str, str]:
    return {copy.name: copy.action for copy in copies.notebooks}


def kit_update(tracked: Path, name: str) -> None:
    """The kit ships a new version of a notebook: one more sentence in its first cell."""
    notebook = nbformat.read(tracked / name, as_version=4)
    notebook.cells[0].source += "\n\nA sentence the kit's update added."
    nbformat.write(notebook, tracked / name)


def run_it(folder: Path, name: str) -> None:
    """What JupyterLab saves after a run: outputs, execution counts and metadata, no edit."""
    notebook = nbformat.read(folder / name, as_version=4)
    for count, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), 1):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"cell {count} ran\n")]
        cell.execution_count = count
        cell.metadata["scrolled"] = True
    notebook.metadata["widgets"] = {"state": {}}
    nbformat.write(notebook, folder / name)


def edit_it(folder: Path, name: str) -> None:
    """A group writes its own notes into the last cell."""
    notebook = nbformat.read(folder / name, as_version=4)
    notebook.cells[-1].source = (
        "# Our group's notes: ship it versioned.\n" + notebook.cells[-1].source
    )
    nbformat.write(notebook, folder / name)


def age(folder: Path) -> dict[str, int]:
    """Make every file in `folder` look old; returns their mtimes."""
    for path in folder.iterdir():
        os.utime(path, (OLD, OLD))
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_the_first_run_copies_every_notebook_as_the_kit_ships_it(tracked, tmp_path):
    before = contents(tracked)
    mine = tmp_path / "mine"
    copies = copy_notebooks(mine, tracked)
    assert actions(copies) == {name: COPIED for name in NAMES}
    assert copies.lines() == [f"Copied {name}." for name in NAMES]
    assert copies.folder == mine
    for name in NAMES:
        assert (mine / name).read_bytes() == before[name]
    assert sorted(p.name for p in mine.iterdir()) == sorted([*NAMES, MANIFEST])  # no temp files
    assert contents(tracked) == before


def test_a_second_run_rewrites_nothing_and_says_nothing(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    mtimes = age(mine)
    copies = copy_notebooks(mine, tracked)
    assert actions(copies) == {name: UNCHANGED for name in NAMES}
    assert copies.lines() == [] and copies.changed == ()
    assert {p.name: p.stat().st_mtime_ns for p in mine.iterdir()} == mtimes


def test_a_run_s_outputs_stay_while_the_kit_is_unchanged(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    run_it(mine, NAMES[1])
    ran = (mine / NAMES[1]).read_bytes()
    copies = copy_notebooks(mine, tracked)
    assert copies.lines() == []
    assert (mine / NAMES[1]).read_bytes() == ran


def test_a_copy_that_was_only_run_is_replaced_by_the_kit_s_update(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    run_it(mine, NAMES[1])  # outputs, execution counts and metadata are not edits
    kit_update(tracked, NAMES[1])
    before = contents(tracked)
    copies = copy_notebooks(mine, tracked)
    assert actions(copies) == {NAMES[0]: UNCHANGED, NAMES[1]: REFRESHED}
    assert copies.lines() == [
        "Updated 03_breaking_change.ipynb to the kit's new version (you had not changed it)."
    ]
    assert (mine / NAMES[1]).read_bytes() == before[NAMES[1]]
    assert not list(mine.glob("*kit update*"))
    assert contents(tracked) == before
    # Once updated, the next run has nothing to say.
    assert copy_notebooks(mine, tracked).lines() == []


def test_an_edited_copy_is_kept_and_the_kit_s_update_written_beside_it(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    edit_it(mine, NAMES[1])
    edited = (mine / NAMES[1]).read_bytes()
    kit_update(tracked, NAMES[1])
    before = contents(tracked)
    copies = copy_notebooks(mine, tracked)
    beside = mine / "03_breaking_change (kit update).ipynb"
    assert actions(copies) == {NAMES[0]: UNCHANGED, NAMES[1]: KEPT}
    assert copies.changed[0].update == beside
    assert copies.lines() == [
        "Kept your changes to 03_breaking_change.ipynb; the kit's new version is beside it, "
        "as 03_breaking_change (kit update).ipynb."
    ]
    assert (mine / NAMES[1]).read_bytes() == edited
    assert beside.read_bytes() == before[NAMES[1]]
    assert contents(tracked) == before
    # Said once: the next run leaves both files as they are and says nothing.
    mtimes = age(mine)
    assert copy_notebooks(mine, tracked).lines() == []
    assert {p.name: p.stat().st_mtime_ns for p in mine.iterdir()} == mtimes


def test_a_second_update_never_overwrites_the_first_one_beside_an_edited_copy(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    edit_it(mine, NAMES[1])
    kit_update(tracked, NAMES[1])
    copy_notebooks(mine, tracked)
    first = mine / "03_breaking_change (kit update).ipynb"
    run_it(mine, first.name)
    first_update = first.read_bytes()
    kit_update(tracked, NAMES[1])
    copies = copy_notebooks(mine, tracked)
    assert copies.changed[0].update == mine / "03_breaking_change (kit update 2).ipynb"
    assert first.read_bytes() == first_update
    assert copies.changed[0].update.read_bytes() == (tracked / NAMES[1]).read_bytes()


def test_an_edited_copy_stays_as_it_is_while_the_kit_is_unchanged(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    edit_it(mine, NAMES[0])
    edited = (mine / NAMES[0]).read_bytes()
    assert copy_notebooks(mine, tracked).lines() == []
    assert (mine / NAMES[0]).read_bytes() == edited
    assert not list(mine.glob("*kit update*"))


def test_a_deleted_copy_comes_back_fresh(tracked, tmp_path):
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    edit_it(mine, NAMES[0])
    (mine / NAMES[0]).unlink()
    copies = copy_notebooks(mine, tracked)
    assert copies.lines() == [f"Copied {NAMES[0]}."]
    assert (mine / NAMES[0]).read_bytes() == (tracked / NAMES[0]).read_bytes()


def test_copies_without_a_record_are_never_overwritten(tracked, tmp_path):
    """A folder of copies whose manifest is gone: an identical copy is adopted quietly, a
    different one is kept and the kit's version put beside it."""
    mine = tmp_path / "mine"
    copy_notebooks(mine, tracked)
    edit_it(mine, NAMES[1])
    edited = (mine / NAMES[1]).read_bytes()
    (mine / MANIFEST).unlink()
    copies = copy_notebooks(mine, tracked)
    assert actions(copies) == {NAMES[0]: UNCHANGED, NAMES[1]: KEPT}
    assert (mine / NAMES[1]).read_bytes() == edited
    assert copy_notebooks(mine, tracked).lines() == []


def test_the_kit_s_own_folder_cannot_hold_the_copies(tracked):
    before = contents(tracked)
    for inside in (tracked, tracked / "mine"):
        with pytest.raises(KitLayoutError, match="is in the kit's own notebooks folder"):
            copy_notebooks(inside, tracked)
    assert contents(tracked) == before


def _cli(*args: str, kit: Path, workspace: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != WORKSHOP_ENV}
    env.update({HOME_ENV: str(kit), WORKSPACE_ENV: str(workspace)})
    return subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", "notebooks", *args],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_command_copies_into_my_notebooks_and_says_one_line_per_change(
    tracked, tmp_path, repo_root
):
    """`mesh-workshop notebooks` in a kit folder of its own (the two notebooks and the file that
    marks a kit), as `make lab` runs it."""
    kit = tracked.parent
    (kit / "rainbow_road_monolith").mkdir()
    shutil.copy2(
        repo_root / "rainbow_road_monolith" / "dbt_project.yml", kit / "rainbow_road_monolith"
    )
    workspace = tmp_path / "ws"
    where = "Your notebooks are in my_notebooks/ (start with 00_start_here.ipynb)."

    done = _cli(kit=kit, workspace=workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [*(f"Copied {name}." for name in NAMES), where]
    assert contents(kit / "my_notebooks")[NAMES[0]] == (tracked / NAMES[0]).read_bytes()

    done = _cli(kit=kit, workspace=workspace)
    assert (done.returncode, done.stdout.splitlines()) == (0, [where])

    run_it(kit / "my_notebooks", NAMES[0])
    edit_it(kit / "my_notebooks", NAMES[1])
    for name in NAMES:
        kit_update(tracked, name)
    before = contents(tracked)
    done = _cli(kit=kit, workspace=workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Updated 00_start_here.ipynb to the kit's new version (you had not changed it).",
        "Kept your changes to 03_breaking_change.ipynb; the kit's new version is beside it, "
        "as 03_breaking_change (kit update).ipynb.",
        where,
    ]
    assert contents(tracked) == before

    elsewhere = tmp_path / "room copies"
    done = _cli("--to", str(elsewhere), kit=kit, workspace=workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"Your notebooks are in {elsewhere}/ (start with 00_start_here.ipynb)."
    )
    assert sorted(p.name for p in elsewhere.glob("*.ipynb")) == list(NAMES)
