"""The mesh builds with real dbt and dbt-loom, in order, and holds exactly the monolith's data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import holding
from mesh_workshop.api import kit
from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.errors import KitError
from mesh_workshop.mesh.build import STATE_DIR, build_mesh, project_run
from mesh_workshop.mesh.graph import ProjectCycleError
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.monolith import project as monolith

PROJECTS = ["data_platform", "finance_marketing", "people_ops", "rescue_operations"]


def test_every_project_builds_in_dependency_order(built_mesh, workspace):
    assert [p.name for p in built_mesh.projects] == PROJECTS
    for project in built_mesh.projects:
        assert project.status == "built" and project.result.failed_nodes == ()
        assert set(project.result.count("model")) == {"success"}
        warehouse = workspace / "mesh" / project.name / f"{project.name}.duckdb"
        assert warehouse.is_file()
    assert "The mesh built." in built_mesh.table()


def test_a_second_build_with_nothing_changed_has_nothing_to_do(built_mesh):
    again = kit.build_mesh()
    assert again.ok
    assert [p.status for p in again.projects] == ["up to date"] * 4


def test_marts_hold_exactly_the_monolith_rows(built_mesh, built_monolith, graph, workspace):
    """Splitting changed ownership, not data."""
    owners = {m.name: _owner(m.name) for m in graph.models.values() if m.layer == "marts"}
    with duckdb.connect(str(monolith.monolith_run().warehouse), read_only=True) as con:
        for project in PROJECTS:
            path = workspace / "mesh" / project / f"{project}.duckdb"
            con.execute(f"attach '{path}' as mesh_{project} (read_only)")
        for mart, project in sorted(owners.items()):
            mono = f"data_platform.main.{mart}"
            split = f"mesh_{project}.main.{mart}"
            rows = con.execute(f"select count(*) from {mono}").fetchone()[0]
            assert rows > 0, mart
            assert con.execute(f"select count(*) from {split}").fetchone()[0] == rows, mart
            differing = con.execute(
                f"select count(*) from ((select * from {mono} except all select * from {split})"
                f" union all (select * from {split} except all select * from {mono}))"
            ).fetchone()[0]
            assert differing == 0, f"{mart} differs between the monolith and `{project}`"
    assert len(owners) >= 35


def _owner(model: str) -> str:
    for project in PROJECTS:
        if list((kit.workspace.committed_mesh / project / "models").rglob(f"{model}.sql")):
            return project
    raise AssertionError(model)


def test_a_spoke_can_be_queried_with_its_upstream_attached(built_mesh):
    frame = kit.query(
        "rescue_operations",
        "select count(*) as centres from adoption_centre_kpis k "
        "join data_platform.main.dim_facilities f using (facility_id)",
    )
    assert frame.iloc[0, 0] > 0


@pytest.fixture
def mesh_copy(built_mesh, tmp_path, workspace):
    """A copy of the mesh and of its build folder, to change and rebuild without touching the repo."""
    projects = tmp_path / "mesh"
    shutil.copytree(kit.workspace.committed_mesh, projects)
    work = tmp_path / "work"
    shutil.copytree(workspace / "mesh", work)
    return projects, work


def test_changing_one_hub_model_rebuilds_it_and_only_its_readers(mesh_copy):
    projects, work = mesh_copy
    model = projects / "data_platform/models/marts/core/dim_regions.sql"
    model.write_text(model.read_text() + "\n-- region names reviewed by the platform team\n")

    result = build_mesh(read_mesh(projects), work)

    assert result.ok, result.table()
    by_name = {p.name: p for p in result.projects}
    hub = by_name["data_platform"]
    assert hub.selection == "changes only"
    assert {n.name for n in hub.result.nodes if n.resource_type == "model"} == {"dim_regions"}
    readers = by_name["rescue_operations"]  # rescue_pipeline_monthly reads dim_regions
    assert readers.status == "built" and readers.selection == "changes only"
    assert "rescue_pipeline_monthly" in {n.name for n in readers.result.nodes}
    assert sum(readers.result.count("model").values()) < 16
    assert by_name["people_ops"].status == "up to date"


def test_a_failed_build_is_rebuilt_next_time_even_after_the_change_is_undone(mesh_copy):
    projects, work = mesh_copy
    model = projects / "data_platform/models/marts/core/dim_regions.sql"
    original = model.read_text()
    model.write_text(original.replace("select", "selec", 1))
    broken = build_mesh(read_mesh(projects), work)
    assert not broken.ok
    assert broken.projects[0].status == "failed"
    assert "dim_regions" in broken.table()

    model.write_text(original)
    fixed = build_mesh(read_mesh(projects), work)
    assert fixed.ok, fixed.table()
    assert fixed.projects[0].status == "built"


@pytest.mark.verify  # plain dbt, every project from scratch: a slow comparison
def test_plain_dbt_build_in_each_project_works_from_a_terminal(built_mesh, tmp_path, repo_root):
    # A fresh clone's layout: mesh_projects/ beside data/raw; target/ and the DuckDB files land
    # inside each project folder, as they do for anyone running dbt by hand.
    kit = tmp_path / "kit"
    for folder in ("mesh_projects", "rainbow_road_macros", "data"):
        shutil.copytree(repo_root / folder, kit / folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAINBOW_ROAD_", "DBT_LOOM"))}
    env["RAINBOW_ROAD_MESH_DIR"] = str(kit / "mesh_projects")  # what mesh.env.sh exports
    for project in PROJECTS:
        for command in ("deps", "build"):  # `dbt deps` installs the shared macros' package
            done = subprocess.run(
                [sys.executable, "-c", "from dbt.cli.main import cli; cli()", command],
                cwd=kit / "mesh_projects" / project,
                env=env,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, f"{project}, dbt {command}:\n{done.stdout[-3000:]}"
        assert (kit / "mesh_projects" / project / f"{project}.duckdb").is_file()


def test_the_env_script_exports_the_mesh_folder(repo_root, tmp_path):
    script = repo_root / "mesh_projects/mesh.env.sh"
    done = subprocess.run(
        ["bash", "-c", f"cd {tmp_path} && source {script} && echo $RAINBOW_ROAD_MESH_DIR"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str((repo_root / "mesh_projects").resolve())


def test_a_mesh_folder_whose_projects_read_each_other_is_refused_before_dbt_runs(
    tmp_path, repo_root
):
    projects = tmp_path / "mesh"
    shutil.copytree(repo_root / "mesh_projects", projects)
    hub_model = projects / "data_platform/models/marts/core/dim_regions.sql"
    hub_model.write_text(hub_model.read_text() + "\n-- {{ ref('people_ops', 'dim_employees') }}\n")
    with pytest.raises(ProjectCycleError) as info:
        read_mesh(projects)
    assert "`data_platform` -> `people_ops` -> `data_platform`" in str(info.value) or (
        "`people_ops` -> `data_platform` -> `people_ops`" in str(info.value)
    )
    assert "ref('people_ops', 'dim_employees')" in str(info.value)


def test_a_ref_to_a_project_outside_the_mesh_is_named(tmp_path, repo_root):
    projects = tmp_path / "mesh"
    shutil.copytree(repo_root / "mesh_projects", projects)
    model = projects / "people_ops/models/marts/people_ops/volunteer_impact.sql"
    model.write_text(model.read_text().replace("ref('data_platform',", "ref('data_platfrom',", 1))
    with pytest.raises(KitError, match="has no project `data_platfrom`"):
        read_mesh(projects)


def test_each_project_run_points_dbt_loom_and_duckdb_at_the_build_folder(tmp_path, repo_root):
    layout = read_mesh(repo_root / "mesh_projects")
    run = project_run(layout.project("people_ops"), tmp_path)
    env = run.env()
    # dbt runs in the project's build folder; its neighbours are one level up from there.
    assert run.work_dir == tmp_path / "people_ops"
    assert (run.work_dir / env["RAINBOW_ROAD_MESH_DIR"]).resolve() == tmp_path.resolve()
    assert env["DBT_LOOM_CONFIG"].endswith("mesh_projects/people_ops/dbt_loom.config.yml")
    assert run.warehouse == tmp_path / "people_ops" / "people_ops.duckdb"


def test_a_locked_spoke_file_stops_the_build_with_the_holders_name(mesh_copy):
    projects, work = mesh_copy
    model = projects / "people_ops/models/marts/people_ops/dim_volunteers.sql"
    model.write_text(model.read_text() + "\n-- checked\n")
    with holding(work / "people_ops" / "people_ops.duckdb") as holder:
        result = build_mesh(read_mesh(projects), work)
        assert not result.ok
        people_ops = next(p for p in result.projects if p.name == "people_ops")
        assert people_ops.status == "failed"
        assert f"PID {holder.pid}" in people_ops.note and "people_ops.duckdb" in people_ops.note
        assert f"kill {holder.pid}" in result.table()


def test_projects_that_do_not_read_each_other_build_side_by_side(mesh_copy):
    """The spokes share the cores, whether they build everything or only what changed; each
    starts only once the hub it reads is done."""
    projects, work = mesh_copy
    spans: dict[str, tuple[float, float]] = {}

    def timed_run(run, command, extra):
        started = time.monotonic()
        try:
            return run_dbt(run, command, extra)
        finally:
            spans[run.name] = (started, time.monotonic())

    def overlapping() -> set[str]:
        return {
            a
            for a, (a_start, a_end) in spans.items()
            for b, (b_start, b_end) in spans.items()
            if a != b and a_start < b_end and b_start < a_end
        }

    # Two spokes lose what their last build left, so they build everything.
    for spoke in ("people_ops", "rescue_operations"):
        shutil.rmtree(work / spoke / STATE_DIR)
    said: list[str] = []

    def slow_report(project: str, status: str) -> None:  # like print: text, then a newline
        said.append(f"{project}: {status}")
        time.sleep(0.05)
        said.append("\n")

    result = build_mesh(
        read_mesh(projects), work, runner=timed_run, parallel=4, on_progress=slow_report
    )
    assert result.ok, result.table()
    # Reports from projects built side by side come one at a time, never run together.
    assert said[1::2] == ["\n"] * (len(said) // 2) and len(said) == 8
    assert set(spans) == {"people_ops", "rescue_operations"}
    assert overlapping() == {"people_ops", "rescue_operations"}

    # A hub model every spoke reads changes: the hub first, then the three spokes at once.
    spans.clear()
    model = projects / "data_platform/models/marts/core/fct_animal_outcomes.sql"
    model.write_text(model.read_text() + "\n-- outcome codes reviewed\n")
    result = build_mesh(read_mesh(projects), work, runner=timed_run, parallel=4)
    assert result.ok, result.table()
    assert {p.selection for p in result.projects} == {"changes only"}
    hub_done = spans["data_platform"][1]
    spokes = set(PROJECTS) - {"data_platform"}
    assert all(spans[spoke][0] >= hub_done for spoke in spokes)
    assert overlapping() == spokes
