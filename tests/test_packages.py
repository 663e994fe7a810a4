"""The shared macros are one local dbt package that every project installs, never a copy."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mesh_workshop.dbt import packages
from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.errors import KitLayoutError
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.paths import HOME_ENV, WORKSPACE_ENV

PACKAGE = "rainbow_road_macros"
MACRO_DEFINITION = re.compile(r"{%-?\s*macro\s+(\w+)")


def _local_packages(project: Path) -> list[Path]:
    entries = yaml.safe_load((project / "packages.yml").read_text())["packages"]
    return [(project / entry["local"]).resolve() for entry in entries if "local" in entry]


def test_the_monolith_and_every_mesh_project_install_the_one_package(repo_root):
    shared = (repo_root / PACKAGE).resolve()
    defined = {
        m
        for path in (shared / "macros").glob("*.sql")
        for m in MACRO_DEFINITION.findall(path.read_text())
    }
    assert {"clean_text", "clean_id", "parse_date", "parse_money", "parse_timestamp"} <= defined
    mesh = read_mesh(repo_root / "mesh_projects")
    projects = [repo_root / "rainbow_road_monolith", *(p.project_dir for p in mesh.projects)]
    assert len(projects) == 5
    for project in projects:
        assert _local_packages(project) == [shared], project.name
        assert not (project / "macros").exists(), f"{project.name} has its own copy of the macros"
        copies = [
            f"{path.relative_to(project)}: {name}"
            for path in project.rglob("*.sql")
            for name in MACRO_DEFINITION.findall(path.read_text())
        ]
        assert not copies, f"macros defined outside the package: {copies}"
        config = (project / "dbt_project.yml").read_text()
        assert f"env_var('{packages.PACKAGES_ENV}', 'dbt_packages')" in config


def test_a_mesh_copy_where_the_relative_path_leads_nowhere_builds_with_the_package(
    built_mesh, workspace, tmp_path, repo_root
):
    # A sandbox is a copy of the mesh in another folder: `../../rainbow_road_macros` from there
    # does not exist, and the kit never runs `dbt deps`; its runs find the package installed.
    projects = tmp_path / "far" / "away" / "mesh"
    output = ("target", "logs", "*.duckdb", "dbt_packages", "package-lock.yml")
    shutil.copytree(repo_root / "mesh_projects", projects, ignore=shutil.ignore_patterns(*output))
    assert not (projects / "data_platform" / "../../rainbow_road_macros").exists()
    work = tmp_path / "work"
    shutil.copytree(workspace / "mesh", work)
    mesh = read_mesh(projects)
    files = sorted(projects.rglob("*"))

    for project, model in (
        ("data_platform", "stg_ops_reference__regions"),
        ("people_ops", "stg_hr_system__employees"),
    ):
        run = project_run(mesh.project(project), work)
        result = run_dbt(run, "build", ["--select", model])
        assert result.ok, result.summary()
        source = next((run.project_dir / "models").rglob(f"{model}.sql"))
        assert f"{PACKAGE}.clean_text(" in source.read_text()
        compiled = run.target_dir / "compiled" / project / source.relative_to(run.project_dir)
        assert "trim(" in compiled.read_text() and PACKAGE not in compiled.read_text()
    assert sorted(projects.rglob("*")) == files, "a run wrote into the project folders"


def test_installing_links_the_package_once_and_puts_a_wrong_link_right(workspace):
    folder = packages.install_shared_packages()
    link = folder / PACKAGE
    assert folder == workspace / "dbt_packages"
    assert link.is_symlink() and link.resolve() == packages.shared_packages()[0].resolve()
    made = os.lstat(link).st_mtime_ns
    packages.install_shared_packages()
    assert os.lstat(link).st_mtime_ns == made  # already right: left alone

    link.unlink()
    link.symlink_to(workspace, target_is_directory=True)  # a link somewhere else
    packages.install_shared_packages()
    assert link.resolve() == packages.shared_packages()[0].resolve()
    assert sorted(p.name for p in folder.iterdir()) == [PACKAGE]
    assert not [p for p in workspace.iterdir() if p.name.startswith(".dbt_packages-")]


def test_a_kit_without_the_package_says_so_before_dbt_runs(tmp_path, monkeypatch, repo_root):
    kit = tmp_path / "kit"
    shutil.copytree(repo_root / "rainbow_road_monolith", kit / "rainbow_road_monolith")
    monkeypatch.setenv(HOME_ENV, str(kit))
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "workspace"))
    with pytest.raises(KitLayoutError) as missing:
        packages.install_shared_packages()
    assert f"`{kit / PACKAGE}` is missing" in str(missing.value)
    assert f"git checkout -- {PACKAGE}" in str(missing.value)
