"""The hub is the one the split plan names (`mesh.yml`), never the first project in build order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mesh_workshop.api import kit
from mesh_workshop.errors import KitLayoutError
from mesh_workshop.mesh.layout import MESH_FILE, read_mesh

ARCHIVE = "aaa_archive"  # sorts before `data_platform`, and reads no other project


def _mesh_with_an_archive(repo_root: Path, folder: Path) -> Path:
    """The committed mesh plus a small project of its own that reads nothing, so two projects
    start the build order and the alphabetically first one is not the hub."""
    mesh = folder / "mesh"
    shutil.copytree(
        repo_root / "mesh_projects",
        mesh,
        ignore=shutil.ignore_patterns("target", "logs", "*.duckdb", ".user.yml"),
    )
    project = mesh / ARCHIVE
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        f"name: {ARCHIVE}\nversion: 1.0.0\nconfig-version: 2\nprofile: {ARCHIVE}\n"
        f"models:\n  {ARCHIVE}:\n    +materialized: table\n"
    )
    profile = (mesh / "data_platform" / "profiles.yml").read_text()
    (project / "profiles.yml").write_text(profile.replace("data_platform", ARCHIVE))
    (project / "models" / "archived_notes.sql").write_text("select 1 as note_id\n")
    return mesh


def test_the_hub_comes_from_the_plan_not_from_the_build_order(repo_root, tmp_path):
    committed = read_mesh(repo_root / "mesh_projects")
    assert (repo_root / "mesh_projects" / MESH_FILE).is_file()
    assert committed.hub == "data_platform"

    mesh = read_mesh(_mesh_with_an_archive(repo_root, tmp_path))
    assert mesh.projects[0].name == ARCHIVE  # first in build order...
    assert mesh.hub == "data_platform"  # ...but the plan's hub is the hub


def test_without_the_plan_file_a_hub_is_named_only_when_it_is_clear(repo_root, tmp_path):
    mesh_dir = _mesh_with_an_archive(repo_root, tmp_path)
    (mesh_dir / MESH_FILE).unlink()
    assert read_mesh(mesh_dir).hub is None  # two projects read nothing: no guess
    shutil.rmtree(mesh_dir / ARCHIVE)
    assert read_mesh(mesh_dir).hub == "data_platform"  # the only project that reads nothing


def test_a_plan_file_naming_no_project_is_refused_with_the_fix(repo_root, tmp_path):
    mesh_dir = _mesh_with_an_archive(repo_root, tmp_path)
    (mesh_dir / MESH_FILE).write_text("hub: data_platfrom\n")
    with pytest.raises(KitLayoutError) as refused:
        read_mesh(mesh_dir)
    assert MESH_FILE in refused.value.message and "`hub`" in refused.value.message
    assert "data_platfrom" in refused.value.message and refused.value.hint


def test_a_check_judges_spokes_against_the_plans_hub(built_mesh, repo_root, tmp_path):
    # With the archive first in build order, taking the first project as the hub would report
    # every spoke for reading `data_platform`, "another spoke".
    mesh_dir = _mesh_with_an_archive(repo_root, tmp_path)
    result = kit.check(mesh_dir)
    assert result.ok, result.summary()
    codes = [f.code for f in result.findings]
    assert "spoke_reads_spoke" not in codes and "hub_reads_spoke" not in codes, codes
    assert any(p.name == ARCHIVE and p.status == "built" for p in result.build.projects)
