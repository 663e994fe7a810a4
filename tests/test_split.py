"""The split engine: the committed mesh is exactly what the plan produces, and bad plans are refused."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
import yaml

from mesh_workshop.monolith import project as monolith
from mesh_workshop.paths import monolith_dir
from mesh_workshop.split import (
    MonolithIndex,
    PlanError,
    ProjectCycleError,
    plan_split,
    split_monolith,
)

# Build output, and what `dbt deps` writes when someone runs it by hand (all git-ignored).
IGNORED = {"target", "logs", ".user.yml", "dbt_packages", "package-lock.yml"}


@pytest.fixture(scope="session")
def index(graph) -> MonolithIndex:
    return MonolithIndex.load(monolith_dir(), monolith.monolith_run().manifest_path)


@pytest.fixture
def architect(repo_root) -> dict:
    return yaml.safe_load((repo_root / "plans/architect.yml").read_text())


def _write(tmp_path: Path, plan: dict, name: str = "plan.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    return path


def _files(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not IGNORED & set(p.relative_to(root).parts) and p.suffix != ".duckdb"
    )


def test_the_committed_mesh_is_exactly_what_the_architects_plan_produces(
    index, repo_root, tmp_path
):
    out = tmp_path / "mesh_projects"
    split_monolith(repo_root / "plans/architect.yml", index, out, "plans/architect.yml")
    committed = repo_root / "mesh_projects"
    assert _files(out) == _files(committed), "files added or removed: run `mesh-workshop split`"
    _, changed, errors = filecmp.cmpfiles(committed, out, _files(out), shallow=False)
    assert changed == [] and errors == [], f"out of date: {changed[:5]}; run `mesh-workshop split`"


def test_the_architects_mesh_is_a_hub_with_three_spokes(index, repo_root):
    result = plan_split(repo_root / "plans/architect.yml", index)
    assert result.order[0] == "data_platform"
    assert set(result.order) == {
        "data_platform",
        "rescue_operations",
        "people_ops",
        "finance_marketing",
    }
    for spoke in result.order[1:]:
        assert result.upstreams_of(spoke) == ("data_platform",)
    assert result.upstreams_of("data_platform") == ()
    assert result.findings == ()
    # The tangled intermediates moved to the hub and became its public interface.
    for model in ("int_intakes_enriched", "int_donations_enriched", "int_volunteer_hours_monthly"):
        assert result.owner[model] == "data_platform"
        assert model in result.public
    assert result.owner["fct_animal_outcomes"] == "data_platform"
    assert result.owner["volunteer_impact"] == "people_ops"
    assert result.owner["grant_outcome_report"] == "finance_marketing"


def test_sources_live_with_the_models_that_read_them(index, repo_root):
    result = plan_split(repo_root / "plans/architect.yml", index)
    assert result.source_home[("hr_system", "employees")] == "people_ops"
    assert result.source_home[("accounting", "expenses")] == "finance_marketing"
    assert result.source_home[("shelter_system", "outcomes")] == "data_platform"


def test_cross_project_refs_are_two_argument_refs_and_read_models_are_public(repo_root):
    mesh = repo_root / "mesh_projects"
    sql = (mesh / "finance_marketing/models/marts/finance/grant_outcome_report.sql").read_text()
    assert "ref('data_platform', 'fct_animal_outcomes')" in sql
    hub_yml = yaml.safe_load(
        (mesh / "data_platform/models/marts/core/_core__models.yml").read_text()
    )
    outcomes = next(m for m in hub_yml["models"] if m["name"] == "fct_animal_outcomes")
    assert outcomes["config"]["access"] == "public"
    groups = yaml.safe_load((mesh / "people_ops/models/_groups.yml").read_text())["groups"]
    assert groups[0]["name"] == "people_ops_team" and groups[0]["owner"]["email"]
    loom = (mesh / "people_ops/dbt_loom.config.yml").read_text()
    assert "${RAINBOW_ROAD_MESH_DIR}/data_platform/target/manifest.json" in loom
    assert "name: data_platform" in (mesh / "people_ops/dependencies.yml").read_text()
    report = (mesh / "SPLIT_REPORT.md").read_text()
    assert "`int_intakes_enriched` -> `data_platform`" in report
    assert "## Models made public" in report and "## Sources placed" in report


# ---------------------------------------------------------------- bad plans: refused, nothing written


def _refused(tmp_path, index, plan: dict, error=PlanError) -> str:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("a group's earlier work")
    with pytest.raises(error) as info:
        split_monolith(_write(tmp_path, plan), index, out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "a group's earlier work"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    return str(info.value)


def test_an_unknown_model_is_refused_with_did_you_mean(tmp_path, index, architect):
    architect["projects"][0]["models"].append({"name": "int_intake_enriched"})
    message = _refused(tmp_path, index, architect)
    assert "plan.yml" in message and "projects[data_platform].models[9].name" in message
    assert "no name `int_intake_enriched`" in message
    assert "Did you mean `int_intakes_enriched`?" in message


def test_an_unknown_hub_project_is_refused_with_did_you_mean(tmp_path, index, architect):
    architect["hub"] = "data_platfrom"
    message = _refused(tmp_path, index, architect)
    assert "key `hub`" in message or "`hub: data_platfrom`" in message
    assert "did you mean `data_platform`?" in message


def test_a_model_claimed_twice_is_refused(tmp_path, index, architect):
    architect["projects"][1]["models"].append({"name": "int_intakes_enriched"})
    message = _refused(tmp_path, index, architect)
    assert "`int_intakes_enriched` is assigned to data_platform and rescue_operations" in message


def test_models_without_a_project_are_refused(tmp_path, index, architect):
    architect["projects"][3]["models"] = [
        m for m in architect["projects"][3]["models"] if "marketing" not in m.get("folder", "")
    ]
    message = _refused(tmp_path, index, architect)
    assert "belong to no project" in message and "`campaign_attribution`" in message


@pytest.mark.parametrize("bad", ["finance-marketing", "../evil", "Finance", "has space"])
def test_a_project_name_must_be_a_plain_identifier(tmp_path, index, architect, bad):
    architect["projects"][3]["name"] = bad
    message = _refused(tmp_path, index, architect)
    assert "projects[" in message and "is not a plain identifier" in message


def test_an_unknown_key_is_refused(tmp_path, index, architect):
    architect["projects"][2]["models"][0] = {"model": "int_employee_tenure"}
    message = _refused(tmp_path, index, architect)
    assert "projects[people_ops].models[int_employee_tenure].model" in message
    assert "not a known key" in message


def test_invalid_yaml_names_the_line(tmp_path, index):
    path = tmp_path / "plan.yml"
    path.write_text("version: 1\nhub: data_platform\nprojects:\n  - name: [unclosed\n")
    with pytest.raises(PlanError, match=r"not valid YAML at line \d+"):
        split_monolith(path, index, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_oversized_plan_is_refused(tmp_path, index):
    path = tmp_path / "plan.yml"
    path.write_text("# " + "x" * 300_000)
    with pytest.raises(PlanError, match="at most 256 KiB"):
        split_monolith(path, index, tmp_path / "out")


def test_a_project_cycle_is_refused_naming_projects_and_refs(tmp_path, index, architect):
    # People ops takes over the raw intakes, which the hub's outcomes model reads: the hub would
    # read people_ops while people_ops reads the hub.
    architect["projects"][2]["models"].append({"name": "stg_shelter_system__intakes"})
    message = _refused(tmp_path, index, architect, ProjectCycleError)
    assert "`data_platform` -> `people_ops` -> `data_platform`" in message or (
        "`people_ops` -> `data_platform` -> `people_ops`" in message
    )
    assert "ref('people_ops', 'stg_shelter_system__intakes')" in message
    assert "Move the models" in message


def test_a_spoke_reading_a_spoke_is_a_finding_not_an_error(tmp_path, index, architect):
    hub_models = architect["projects"][0]["models"]
    architect["projects"][0]["models"] = [
        m for m in hub_models if m.get("name") != "int_volunteer_hours_monthly"
    ]
    result = plan_split(_write(tmp_path, architect), index)
    assert result.owner["int_volunteer_hours_monthly"] == "people_ops"
    assert [f.kind for f in result.findings] == ["spoke_reads_spoke"]
    assert "`rescue_operations` reads the spoke `people_ops`" in result.findings[0].message


def test_a_split_into_a_new_folder_writes_four_projects_and_a_report(tmp_path, index, repo_root):
    out = tmp_path / "mesh"
    result = split_monolith(repo_root / "plans/architect.yml", index, out)
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(result.order)
    assert (out / "SPLIT_REPORT.md").is_file() and (out / "mesh.env.sh").is_file()
    shutil.rmtree(out)
