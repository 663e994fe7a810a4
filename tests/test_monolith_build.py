"""The legacy project builds green with real dbt, and is as big as the workshop needs."""

from __future__ import annotations

from pathlib import Path

from conftest import snapshot
from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.monolith import project as monolith


def test_the_whole_monolith_builds_and_every_test_passes(built_monolith):
    assert built_monolith.ok
    assert built_monolith.failed_nodes == ()
    models = built_monolith.count("model")
    assert set(models) == {"success"}
    assert sum(models.values()) >= 50


def test_at_least_a_hundred_data_tests_and_some_unit_tests_pass(built_monolith):
    data_tests = built_monolith.count("test")
    assert set(data_tests) == {"pass"}, data_tests
    assert data_tests["pass"] >= 100
    assert built_monolith.count("unit_test")["pass"] >= 5


def test_build_output_lands_in_the_workspace_only(built_monolith, workspace, repo_root):
    run = monolith.monolith_run()
    assert run.warehouse.is_file() and run.warehouse.is_relative_to(workspace)
    assert (run.target_dir / "manifest.json").is_file() and run.target_dir.is_relative_to(workspace)
    assert Path(built_monolith.log_path).is_relative_to(workspace)


def test_building_leaves_the_committed_project_untouched(built_monolith, repo_root):
    project = repo_root / "rainbow_road_monolith"
    before = snapshot(project)
    result = monolith.build_monolith(select=["dim_regions"])
    assert result.ok, result.summary()
    assert snapshot(project) == before


def test_a_second_whole_build_with_nothing_changed_returns_at_once(built_monolith):
    again = monolith.build_monolith()
    assert again.up_to_date and again.ok and again.elapsed == 0.0
    assert again.count("model") == built_monolith.count("model")
    assert again.summary().startswith("`data_platform` is up to date: nothing changed")
    # A stamp left by other files (or other raw data) is not trusted: dbt would build.
    run = monolith.monolith_run()
    stamp = run.work_dir / monolith.BUILT_STAMP
    assert monolith._last_build(run, stamp, "other files") is None


def test_a_changed_outcome_category_is_caught_downstream(monolith_copy):
    """If the shared CASE expression changes its categories, people ops' tests notice."""
    model = monolith_copy.project_dir / "models/marts/core/fct_animal_outcomes.sql"
    sql = model.read_text()
    assert "'live_release'" in sql
    model.write_text(sql.replace("'non_live'", "'did_not_survive'"))
    # The analyst who changed the CASE also updated the hub's own tests of it...
    own_tests = monolith_copy.project_dir / "models/marts/core/_core__models.yml"
    own_tests.write_text(
        own_tests.read_text().replace(
            "values: [live_release, non_live, other]",
            "values: [live_release, did_not_survive, other]",
        )
    )
    # ...and its unit test, so unit tests are left out here.
    result = run_dbt(
        monolith_copy, "build", ["--select", "fct_animal_outcomes+", "--exclude", "test_type:unit"]
    )

    assert not result.ok
    assert result.count("model")["success"] >= 5  # the change itself builds fine...
    failed = {node.name for node in result.failed_nodes}
    # ...but people ops' tests on the categories they rely on fail.
    assert "accepted_values_int_facility_outcomes_monthly_outcome_category" in " ".join(failed)
    # and people ops' volunteer impact mart is not refreshed.
    statuses = {node.name: node.status for node in result.nodes}
    assert statuses["volunteer_impact"] == "skipped"
