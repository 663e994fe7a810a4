"""Governance findings come from real manifests: the built mesh, and copies changed the way a table might.

Each changed copy starts from the built mesh's manifests and is re-parsed with real dbt (parse
only, no build). dbt refuses a protected or private ref across projects at parse time, so those
copies re-parse the upstream only: the downstream manifest stays as it was, which is exactly the
situation the kit has to see through.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from mesh_workshop.api import kit
from mesh_workshop.errors import KitError, KitLayoutError
from mesh_workshop.mesh.layout import Mesh, read_mesh
from mesh_workshop.verdict.governance import GovernanceFinding, governance_findings, manifests_for

HUB = "data_platform"
PROJECTS = ("data_platform", "finance_marketing", "people_ops", "rescue_operations")
PAST, FUTURE = "2024-01-01", "2035-12-31"


@dataclass
class MeshCopy:
    """A copy of the mesh's projects and of its built manifests, changed, then parsed again."""

    projects: Path
    work: Path
    layout: Mesh
    parsed: dict[str, dict] = field(default_factory=dict)  # project -> {"ok", "error"}

    def findings(self) -> list[GovernanceFinding]:
        return governance_findings(manifests_for(self.layout, self.work), HUB)

    def manifest(self, project: str) -> dict:
        return json.loads((self.work / project / "target/manifest.json").read_text())


def _copy_mesh(folder: Path, built_work: Path) -> MeshCopy:
    projects = folder / "mesh"
    shutil.copytree(kit.workspace.committed_mesh, projects)
    work = folder / "work"
    for project in PROJECTS:
        (work / project / "target").mkdir(parents=True)
        shutil.copy2(built_work / project / "target/manifest.json", work / project / "target")
    return MeshCopy(projects, work, read_mesh(projects))


def _configure(project_dir: Path, model: str, **changes) -> None:
    """Change one model's entry in its YAML file: access, group and contract go under `config`."""
    for path in sorted((project_dir / "models").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text()) or {}
        entry = next((m for m in doc.get("models") or [] if m["name"] == model), None)
        if entry is None:
            continue
        for key, value in changes.items():
            if key in {"access", "group", "contract"}:
                entry.setdefault("config", {})[key] = value
            else:
                entry[key] = value
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
        return
    raise AssertionError(f"no YAML entry for {model} in {project_dir}")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def _sql(project_dir: Path, model: str) -> Path:
    return next((project_dir / "models").rglob(f"{model}.sql"))


# --- the changes a table might make ----------------------------------------------------------


def _restrict_hub_models(copy: MeshCopy) -> list[str]:
    """The hub closes two models that spokes read; only the hub is parsed again."""
    hub = copy.projects / HUB
    _configure(hub, "dim_regions", access="protected")
    _configure(hub, "int_transports_routed", access="private")  # group: data_platform_team
    # rescue_operations last: dbt must refuse it, and its old manifest stays in place.
    return [HUB, "rescue_operations"]


def _private_team_model(copy: MeshCopy) -> list[str]:
    """rescue_operations drops its project-wide group and gives one model to a small team."""
    spoke = copy.projects / "rescue_operations"
    project_file = spoke / "dbt_project.yml"
    settings = project_file.read_text()
    assert "    +group: rescue_operations_team\n" in settings
    project_file.write_text(settings.replace("    +group: rescue_operations_team\n", ""))
    _append(
        spoke / "models/_groups.yml",
        "- name: shelter_care_team\n  owner:\n    name: Dana Whitfield\n",  # no email on purpose
    )
    _configure(spoke, "int_shelter_stays_measured", access="private", group="shelter_care_team")
    _configure(spoke, "fct_shelter_stays", access="public", group="shelter_care_team")
    _configure(spoke, "adoption_centre_kpis", access="public", description="")  # no group
    # A contract on a public mart; `dbt parse` checks that every column has a type, the types
    # themselves are checked only by a build.
    contract_types = {"region_id": "varchar", "month_start": "date", "live_release_rate": "double"}
    doc_path = spoke / "models/marts/rescue_operations/_rescue_operations__models.yml"
    doc = yaml.safe_load(doc_path.read_text())
    pipeline = next(m for m in doc["models"] if m["name"] == "rescue_pipeline_monthly")
    for column in pipeline["columns"]:
        column["data_type"] = contract_types.get(column["name"], "bigint")
    pipeline["config"] = {
        "access": "public",
        "group": "rescue_operations_team",
        "contract": {"enforced": True},
    }
    doc_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return ["rescue_operations"]


def _version_hub_models(copy: MeshCopy) -> list[str]:
    """Two hub models get a second version; one old version retires soon, one retired already."""
    hub = copy.projects / HUB
    for model, latest, retires in (("dim_regions", 1, FUTURE), ("dim_animals", 2, PAST)):
        sql = _sql(hub, model)
        shutil.copy2(sql, sql.with_name(f"{model}_v2.sql"))
        _configure(
            hub,
            model,
            latest_version=latest,
            versions=[{"v": 1, "defined_in": model, "deprecation_date": retires}, {"v": 2}],
        )
    reader = _sql(hub, "int_intakes_enriched")
    assert "ref('dim_animals')" in reader.read_text()
    reader.write_text(reader.read_text().replace("ref('dim_animals')", "ref('dim_animals', v=1)"))
    return [HUB, "rescue_operations"]


def _cross_project_reads(copy: MeshCopy) -> list[str]:
    """people_ops shares a model; the hub and finance_marketing both start to read it."""
    _configure(copy.projects / "people_ops", "dim_employees", access="public")
    read = "\n-- {{ ref('people_ops', 'dim_employees') }}\n"
    people_ops_manifest = (
        "  - name: people_ops\n    type: file\n    config:\n"
        "      path: ${RAINBOW_ROAD_MESH_DIR}/people_ops/target/manifest.json\n"
    )
    hub = copy.projects / HUB
    (hub / "dbt_loom.config.yml").write_text(
        "manifests:\n" + people_ops_manifest + "    excluded_packages: [data_platform]\n"
    )
    _append(_sql(hub, "dim_regions"), read)
    finance = copy.projects / "finance_marketing"
    _append(finance / "dbt_loom.config.yml", people_ops_manifest)
    _append(_sql(finance, "finance_monthly_summary"), read)
    return ["people_ops", HUB, "finance_marketing"]


_PARSE_ALL = """
import json, sys
from pathlib import Path
from mesh_workshop.dbt.runner import run_dbt_in_process
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.layout import MeshProject

steps, out = json.loads(sys.argv[1]), sys.argv[2]
results = []
for root, work, name in steps:
    run = project_run(MeshProject(name, Path(root) / name, ()), Path(work))
    result = run_dbt_in_process(run, "parse")
    results.append({"ok": result.ok, "error": result.error})
Path(out).write_text(json.dumps(results))
"""


@pytest.fixture(scope="module")
def changed(built_mesh, workspace, tmp_path_factory) -> dict[str, MeshCopy]:
    """Four changed copies of the built mesh, parsed with real dbt in one child process.

    One child process for every parse: dbt starts once (a few seconds) and each parse after
    that takes about a second. A child process, so dbt-loom's changes to dbt stay out of pytest.
    """
    changes = {
        "restricted": _restrict_hub_models,
        "team": _private_team_model,
        "versions": _version_hub_models,
        "crossing": _cross_project_reads,
    }
    copies, steps = {}, []
    for name, change in changes.items():
        copy = _copy_mesh(tmp_path_factory.mktemp(name), workspace / "mesh")
        copies[name] = copy
        steps += [(name, project) for project in change(copy)]
    out = tmp_path_factory.mktemp("parse") / "results.json"
    args = [[str(copies[n].projects), str(copies[n].work), p] for n, p in steps]
    done = subprocess.run(
        [sys.executable, "-c", _PARSE_ALL, json.dumps(args), str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for (name, project), result in zip(steps, json.loads(out.read_text()), strict=True):
        copies[name].parsed[project] = result
    return copies


def _by(findings: list[GovernanceFinding], code: str) -> dict[str, GovernanceFinding]:
    return {f.model: f for f in findings if f.code == code}


# --- the built mesh ------------------------------------------------------------------------


def test_the_built_mesh_has_public_models_without_contracts_and_no_errors(built_mesh, workspace):
    manifests = manifests_for(kit.mesh(), workspace / "mesh")
    assert sorted(manifests) == sorted(PROJECTS)
    findings = governance_findings(manifests, HUB)

    assert {f.code for f in findings} == {"public_without_contract"}
    assert not [f for f in findings if f.severity == "error"]
    hub = json.loads(manifests[HUB].read_text())
    public = {
        f"{HUB}.{n['name']}"
        for n in hub["nodes"].values()
        if n["resource_type"] == "model" and n["access"] == "public"
    }
    assert {f.model for f in findings} == public
    outcomes = _by(findings, "public_without_contract")["data_platform.fct_animal_outcomes"]
    assert outcomes == GovernanceFinding(
        "public_without_contract",
        "warning",
        "data_platform",
        "data_platform.fct_animal_outcomes",
        outcomes.message,
        "model contract",
    )
    assert outcomes.message.startswith(
        "`data_platform.fct_animal_outcomes` is public, so every project may build on it"
    )
    assert "Today `finance_marketing`, `people_ops` and `rescue_operations` read it." in (
        outcomes.message
    )


def test_a_downstream_manifest_keeps_access_and_group_only_at_the_top_level(built_mesh, workspace):
    """Why the kit reads `access` and `group`, never `config.access`, of an upstream model."""
    spoke = json.loads((workspace / "mesh/rescue_operations/target/manifest.json").read_text())
    copied = spoke["nodes"]["model.data_platform.fct_animal_outcomes"]
    assert (copied["access"], copied["group"]) == ("public", "data_platform_team")
    assert (copied["config"]["access"], copied["config"]["group"]) == ("protected", None)
    assert (
        copied["description"] == ""
        and "group.data_platform.data_platform_team" not in (spoke["groups"])
    )


# --- access ----------------------------------------------------------------------------------


def test_a_spoke_still_reading_a_hub_model_made_protected_is_an_error(changed):
    copy = changed["restricted"]
    assert copy.parsed[HUB]["ok"]
    assert not copy.parsed["rescue_operations"]["ok"]  # dbt refuses the spoke now...
    assert "not allowed" in copy.parsed["rescue_operations"]["error"]
    stale = copy.manifest("rescue_operations")["nodes"]["model.data_platform.dim_regions"]
    assert stale["access"] == "public"  # ...and the spoke's own manifest still says public

    findings = copy.findings()
    protected = _by(findings, "protected_violation")
    pipeline = protected["rescue_operations.rescue_pipeline_monthly"]
    assert (pipeline.severity, pipeline.project, pipeline.lever) == (
        "error",
        "rescue_operations",
        "model access",
    )
    assert pipeline.message.startswith(
        "`rescue_operations.rescue_pipeline_monthly` reads `data_platform.dim_regions`, but that "
        "model is protected: only models inside `data_platform` may read it."
    )
    assert "data_platform.dim_regions" not in _by(findings, "public_without_contract")


def test_other_projects_reading_a_private_hub_model_are_errors_but_its_own_group_is_not(changed):
    findings = changed["restricted"].findings()
    private = _by(findings, "private_violation")
    assert {
        "rescue_operations.int_intake_journeys",
        "rescue_operations.fct_transports",
        "finance_marketing.grant_outcome_report",
        "finance_marketing.cost_per_animal",
    } <= set(private)
    assert not [f for f in findings if f.severity == "error" and f.project == HUB]
    message = private["finance_marketing.cost_per_animal"].message
    assert "private to the `data_platform_team` group (owner: Priya Natarajan)" in message
    assert "The next build of `finance_marketing` stops with an access error." in message


def test_an_ungrouped_model_reading_a_private_model_of_its_own_project_is_an_error(changed):
    """dbt-loom lets it through at parse time; plain dbt would not, and neither does the kit."""
    copy = changed["team"]
    assert copy.parsed["rescue_operations"]["ok"]

    private = _by(copy.findings(), "private_violation")
    readers = {
        "rescue_operations.int_facility_daily_occupancy",
        "rescue_operations.int_intake_journeys",
        "rescue_operations.shelter_performance",
    }
    assert readers <= set(private)
    assert "rescue_operations.fct_shelter_stays" not in private  # same group: allowed
    message = private["rescue_operations.shelter_performance"].message
    assert message.startswith(
        "`rescue_operations.shelter_performance` reads `rescue_operations.int_shelter_stays_measured`, "
        "which is private to the `shelter_care_team` group (owner: Dana Whitfield)"
    )
    assert "this one belongs to no group" in message


def test_public_models_need_an_owner_with_an_email_and_a_description(changed):
    findings = changed["team"].findings()
    owners = _by(findings, "public_without_owner")
    assert set(owners) == {
        "rescue_operations.fct_shelter_stays",
        "rescue_operations.adoption_centre_kpis",
    }
    assert "the `shelter_care_team` group, whose owner has no email address" in (
        owners["rescue_operations.fct_shelter_stays"].message
    )
    assert "belongs to no group" in owners["rescue_operations.adoption_centre_kpis"].message
    assert set(_by(findings, "public_without_description")) == {
        "rescue_operations.adoption_centre_kpis"
    }
    # A public model with a contract, an owner and a description raises nothing.
    assert not [f for f in findings if f.model == "rescue_operations.rescue_pipeline_monthly"]


# --- versions --------------------------------------------------------------------------------


def test_reading_a_deprecated_version_is_reported_with_its_date(changed):
    copy = changed["versions"]
    assert all(result["ok"] for result in copy.parsed.values()), copy.parsed
    deprecated = _by(copy.findings(), "deprecated_version_ref")

    soon = deprecated["rescue_operations.rescue_pipeline_monthly"]
    assert (soon.severity, soon.project, soon.lever) == (
        "warning",
        "rescue_operations",
        "model versions",
    )
    assert soon.message.startswith(
        "`rescue_operations.rescue_pipeline_monthly` reads version 1 of `data_platform.dim_regions`, "
        f"which is due to retire on {FUTURE}."
    )
    assert "To fix: switch this read to version 2 before then" in soon.message
    retired = deprecated["data_platform.int_intakes_enriched"]
    assert retired.message.startswith(
        "`data_platform.int_intakes_enriched` reads version 1 of `data_platform.dim_animals`, "
        f"which was retired on {PAST}"
    )
    assert retired.message.endswith("To fix: switch this read to version 2 now.")
    # Readers that do not name a version get the latest one, version 2 of dim_animals: fine.
    assert "rescue_operations.fct_shelter_stays" not in deprecated


def test_an_unpinned_read_of_a_model_with_a_newer_prerelease_is_a_warning(changed):
    unpinned = _by(changed["versions"].findings(), "unpinned_ref_to_versioned_model")
    pipeline = unpinned["rescue_operations.rescue_pipeline_monthly"]
    assert "Today that means version 1; version 2 is being prepared" in pipeline.message
    # dim_animals's latest version is its newest one, and int_intakes_enriched pins v1.
    assert "rescue_operations.fct_shelter_stays" not in unpinned
    assert "data_platform.int_intakes_enriched" not in unpinned


# --- the project graph -------------------------------------------------------------------


def test_the_hub_reading_a_spoke_closes_a_cycle_and_spokes_reading_spokes_are_named(changed):
    copy = changed["crossing"]
    assert all(result["ok"] for result in copy.parsed.values()), copy.parsed
    findings = copy.findings()

    hub_reads = _by(findings, "hub_reads_spoke")[""]
    assert (hub_reads.severity, hub_reads.project) == ("warning", HUB)
    assert hub_reads.message.startswith(
        "The hub `data_platform` reads the spoke `people_ops` (`data_platform.dim_regions` reads "
        "`people_ops.dim_employees`)."
    )
    spokes = [f for f in findings if f.code == "spoke_reads_spoke"]
    assert [(f.project, f.severity) for f in spokes] == [("finance_marketing", "warning")]
    assert "another spoke, `people_ops`" in spokes[0].message
    cycle = next(f for f in findings if f.code == "project_cycle")
    assert (cycle.severity, cycle.model, cycle.lever) == ("error", "", "project dependencies")
    assert "`data_platform` -> `people_ops` -> `data_platform`" in cycle.message
    assert findings[0].severity == "error"  # errors come first
    assert "people_ops.dim_employees" in _by(findings, "public_without_contract")


# --- inputs ----------------------------------------------------------------------------------


def test_a_mesh_that_was_never_built_is_named_with_the_next_step(tmp_path):
    with pytest.raises(KitLayoutError) as info:
        manifests_for(kit.mesh(), tmp_path)
    assert "No dbt manifest for `data_platform`, `finance_marketing`" in str(info.value)
    assert "`mesh-workshop build`" in str(info.value)


def test_an_unknown_hub_gets_a_did_you_mean(built_mesh, workspace):
    manifests = manifests_for(kit.mesh(), workspace / "mesh")
    with pytest.raises(KitError, match="Did you mean `data_platform`"):
        governance_findings(manifests, "data_platfrom")
