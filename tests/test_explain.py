"""Every message a workshop build can print gets a plain-language explanation.

The literal messages below were copied from real runs (dbt 1.11, dbt-loom 0.9.6, DuckDB 1.5). The
real-run tests make the smallest edit to a copy of the mesh that triggers each case, run dbt for
real, and explain what dbt actually said.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml

from mesh_workshop.dbt.events import DbtError, DbtEvent
from mesh_workshop.dbt.results import BuildResult
from mesh_workshop.dbt.runner import ProjectRun, run_dbt
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.errors import WarehouseLocked
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.graph import ProjectCycleError
from mesh_workshop.mesh.layout import MeshProject, read_mesh
from mesh_workshop.verdict.explain import (
    Explanation,
    explain,
    explain_all,
    explain_result,
    log_messages,
    messages_of,
)

# --- Literal messages, as real runs printed them -------------------------------------------------

PROTECTED = (
    "Parsing Error\n"
    "Node model.rescue_operations.dim_adopters attempted to reference node "
    "model.data_platform.stg_ops_reference__states, which is not allowed because the referenced "
    "node is protected to the 'data_platform' package."
)
PRIVATE = (
    "Node model.finance_marketing.int_grant_months attempted to reference node "
    "model.data_platform.stg_donor_crm__grants, which is not allowed because the referenced node "
    "is private to the 'data_platform_team' group."
)
NOT_FOUND_IN_PROJECT = (
    "Compilation Error\n"
    "Model 'model.people_ops.volunteer_impact' (models/marts/people_ops/volunteer_impact.sql) "
    "depends on a node named 'dim_facilities' in package or project 'hub' which was not found"
)
NOT_FOUND = (
    "Model 'model.people_ops.volunteer_impact' (models/marts/people_ops/volunteer_impact.sql) "
    "depends on a node named 'dim_facilitiez' which was not found"
)
SOURCE_NOT_FOUND = (
    "\x1b[0m14:03:39  [\x1b[33mWARNING\x1b[0m]: Test "
    "'test.people_ops.assert_raw_values_are_not_lost_in_parsing' "
    "(tests/staging/assert_raw_values_are_not_lost_in_parsing.sql) depends on a source named "
    "'shelter_system.intakes' in package '' which was not found"
)
CONTRACT = """\
Compilation Error in model stg_ops_reference__regions (models/staging/ops_reference/stg_ops_reference__regions.sql)
  This model has an enforced contract that failed.
  Please ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.

  | column_name | definition_type | contract_type | mismatch_reason       |
  | ----------- | --------------- | ------------- | --------------------- |
  | region_code |                 | VARCHAR       | missing in definition |
  | region_id   | VARCHAR         | INTEGER       | data type mismatch    |
  | region_name | VARCHAR         |               | missing in contract   |


  > in macro assert_columns_equivalent (macros/relations/column/columns_spec_ddl.sql)
  > called by model stg_ops_reference__regions (models/staging/ops_reference/stg_ops_reference__regions.sql)"""
NOT_NULL = (
    "Runtime Error in model stg_ops_reference__facilities (models/staging/ops_reference/"
    "stg_ops_reference__facilities.sql)\n"
    "  Constraint Error: NOT NULL constraint failed: stg_ops_reference__facilities__dbt_tmp.capacity"
)
UNIQUE = (
    "Runtime Error in model stg_ops_reference__states (models/staging/ops_reference/"
    "stg_ops_reference__states.sql)\n"
    '  Constraint Error: PRIMARY KEY or UNIQUE constraint violation: duplicate key "NE"'
)
CHECK = (
    "Runtime Error in model stg_marketing_platform__campaigns (models/staging/marketing_platform/"
    "stg_marketing_platform__campaigns.sql)\n"
    "  Constraint Error: CHECK constraint failed on table stg_marketing_platform__campaigns__dbt_tmp "
    "with expression CHECK((end_date < start_date))"
)
DEPRECATED_REFERENCE = (
    "While compiling 'dim_volunteers': Found a reference to int_volunteer_hours_monthly.v1, which "
    "was deprecated on '2024-06-30T00:00:00+00:00'. "
)
DEPRECATED_REFERENCE_OLD_VERSION = (
    "While compiling 'dim_volunteers': Found a reference to int_volunteer_hours_monthly.v1, which "
    "was deprecated on '2024-06-30T00:00:00+00:00'. A new version of 'int_volunteer_hours_monthly' "
    "is available. Migrate now: {{ ref('data_platform', 'int_volunteer_hours_monthly', v='2') }}."
)
UPCOMING = (
    "While compiling 'int_employee_quarters': Found a reference to dim_calendar, which is slated "
    "for deprecation on '2099-12-31T00:00:00+00:00'. "
)
DEPRECATED_MODEL_TEXT = (
    "Model int_volunteer_hours_monthly.v1 has passed its deprecation date of "
    "2024-06-30T00:00:00+00:00. This model should be disabled or removed."
)
LOG_PREFIX = "\x1b[0m14:02:18.602411 [warn ] [MainThread]: [\x1b[33mWARNING\x1b[0m]: "
DEPRECATED_MODEL = LOG_PREFIX + DEPRECATED_MODEL_TEXT
PRERELEASE = """\
While compiling 'dim_volunteers':
Found an unpinned reference to versioned model 'int_volunteer_hours_monthly' in project 'data_platform'.
Resolving to latest version: int_volunteer_hours_monthly.v1
A prerelease version 2 is available. It has not yet been marked 'latest' by its maintainer.
When that happens, this reference will resolve to int_volunteer_hours_monthly.v2 instead.

  Try out v2: {{ ref('data_platform', 'int_volunteer_hours_monthly', v='2') }}
  Pin to  v1: {{ ref('data_platform', 'int_volunteer_hours_monthly', v='1') }}
"""
UNVERSIONED_BREAK = (  # dbt ends "removed: " with a space
    "Breaking change to contracted, unversioned model stg_marketing_platform__adoption_events "
    "(models/staging/marketing_platform/stg_marketing_platform__adoption_events.sql)\n"
    "While comparing to previous project state, dbt detected a breaking change to an unversioned "
    "model.\n  - Columns were removed: \n    - estimated_attendees\n"
)
VERSIONED_BREAK = (
    "Breaking change to contract Error in model int_volunteer_hours_monthly "
    "(models/intermediate/people_ops/int_volunteer_hours_monthly.sql)\n"
    "  While comparing to previous project state, dbt detected a breaking change to an enforced "
    "contract.\n    - Columns with data_type changes: \n      - shift_count (bigint -> varchar)\n"
    "  Consider making an additive (non-breaking) change instead, if possible.\n"
    "  Otherwise, create a new model version: "
    "https://docs.getdbt.com/docs/collaborate/govern/model-versions"
)
PROJECT_CYCLE = (
    "`/tmp/mesh`: projects `data_platform` -> `people_ops` -> `data_platform` would read each other "
    "in a circle, so none of them could be built first. The refs that close the circle:\n"
    "  data_platform.models/marts/core/dim_regions.sql -> ref('people_ops', 'dim_employees')\n"
    "  people_ops.models/marts/people_ops/dim_volunteers.sql -> ref('data_platform', 'dim_facilities')"
)
DUCKDB_LOCK = (
    'IO Error: Could not set lock on file "/ws/data_platform/data_platform.duckdb": Conflicting '
    "lock is held in /usr/bin/python3.11 (PID 20442). However, you would be able to open this "
    "database in read-only mode, e.g. by using the -readonly parameter in the CLI."
)
KIT_LOCK = (
    "The warehouse file `/ws/people_ops/people_ops.duckdb` is open in another program (PID 77: "
    "`duckdb`), and DuckDB lets only one program use a file while it is being written.\n"
    "Close whatever holds it, or stop it with `kill 77`, then try again."
)
TEST_FAILURE = (
    "Failure in test accepted_values_stg_donor_crm__grants_reporting_region_id__NE "
    "(models/staging/donor_crm/_donor_crm__models.yml)\n"
    "  Got 4 results, configured to fail if != 0\n"
    "  tests model.data_platform.stg_donor_crm__grants"
)
MISSING_TABLE = """\
Runtime Error in test relationships_stg_shelter_system__adoptions_adoption_event_id (models/staging/shelter_system/_shelter_system__models.yml)
  Catalog Error: Table with name stg_shelter_system__adoptions does not exist!
  Did you mean "stg_marketing_platform__adoption_events"?

  LINE 17:     from "data_platform"."main"."stg_shelter_system__adoptions"
                    ^"""
MODEL_CYCLE = (
    "RuntimeError: Found a cycle: model.people_ops.stg_hr_system__employees --> "
    "model.people_ops.int_employee_tenure"
)

MISSING_COLUMN = """Runtime Error in test assert_days_in_care_never_negative (tests/assert_days_in_care_never_negative.sql)
  Binder Error: Referenced column "days_in_care" not found in FROM clause!
  Candidate bindings: "days_in_care_total", "animal_id"

  LINE 4:     where days_in_care < 0
"""

LITERALS = [
    ("protected_ref", PROTECTED, ["`dim_adopters`", "`rescue_operations`", "`stg_ops_reference__states`", "`data_platform`"]),
    ("private_ref", PRIVATE, ["`int_grant_months`", "`finance_marketing`", "`data_platform_team`", "public"]),
    ("model_not_found", NOT_FOUND_IN_PROJECT, ["`volunteer_impact`", "`people_ops`", "`dim_facilities`", "`hub`"]),
    ("model_not_found", NOT_FOUND, ["`volunteer_impact`", "`dim_facilitiez`", "misspelled"]),
    ("source_not_found", SOURCE_NOT_FOUND, ["`shelter_system.intakes`", "`people_ops`", "switches this test off"]),
    ("contract_mismatch", CONTRACT, ["`stg_ops_reference__regions`", "`region_id` comes out as VARCHAR, the contract says INTEGER", "`region_code` is in the contract", "`region_name` comes out of the SQL"]),
    ("constraint_violation", NOT_NULL, ["`stg_ops_reference__facilities`", "`capacity`", "never be empty"]),
    ("constraint_violation", UNIQUE, ["`stg_ops_reference__states`", "`NE` appears more than once"]),
    ("constraint_violation", CHECK, ["`stg_marketing_platform__campaigns`", "`(end_date < start_date)`"]),
    ("deprecated_reference", DEPRECATED_REFERENCE, ["`dim_volunteers`", "`int_volunteer_hours_monthly` (version 1)", "2024-06-30"]),
    ("deprecated_reference", DEPRECATED_REFERENCE_OLD_VERSION, ["{{ ref('data_platform', 'int_volunteer_hours_monthly', v='2') }}"]),
    ("upcoming_deprecation", UPCOMING, ["`int_employee_quarters`", "`dim_calendar`", "2099-12-31"]),
    ("deprecated_model", DEPRECATED_MODEL, ["`int_volunteer_hours_monthly` (version 1)", "2024-06-30"]),
    ("prerelease_version", PRERELEASE, ["`dim_volunteers`", "`int_volunteer_hours_monthly`", "`data_platform`", "(v1)", "Version 2"]),
    ("prerelease_version", "A prerelease version 3 is available.", ["Version 3"]),
    ("breaking_contract_change", UNVERSIONED_BREAK, ["`stg_marketing_platform__adoption_events`", "`estimated_attendees`", "only warns"]),
    ("breaking_contract_change", VERSIONED_BREAK, ["`int_volunteer_hours_monthly`", "`shift_count` changed type from bigint to varchar", "stops the build"]),
    ("project_cycle", PROJECT_CYCLE, ["`data_platform` reads `people_ops`", "`people_ops` reads `data_platform`", "`people_ops.dim_employees`"]),
    ("locked_database", DUCKDB_LOCK, ["`data_platform`", "PID 20442", "`kill 20442`"]),
    ("locked_database", KIT_LOCK, ["`people_ops`", "PID 77", "`kill 77`"]),
    ("test_failure", TEST_FAILURE, ["`accepted_values_stg_donor_crm__grants_reporting_region_id__NE`", "on `stg_donor_crm__grants`", "4 rows breaking", "The `data_platform` team"]),
    ("test_failure", "Got 1 result, configured to warn if != 0", ["found 1 row breaking", "Nobody is blocked"]),
    ("missing_table", MISSING_TABLE, ["`stg_shelter_system__adoptions` in `data_platform`", "test `relationships_"]),
    ("model_cycle", MODEL_CYCLE, ["`stg_hr_system__employees`, `int_employee_tenure`", "`people_ops`"]),
    ("missing_column", MISSING_COLUMN, ["test `assert_days_in_care_never_negative`", "`days_in_care`", "`days_in_care_total`", "`latest_version`"]),
]  # fmt: skip


LEVERS = (  # every explanation names the governance lever first (or says there is none)
    "Access level",
    "Group membership",
    "Moving a model",
    "Contract",
    "Deprecation date",
    "Version pin",
    "Tests and ownership",
    "No governance lever",
)


@pytest.mark.parametrize(("code", "message", "names"), LITERALS, ids=[c for c, *_ in LITERALS])
def test_each_known_message_is_explained_with_its_names(code, message, names):
    found = explain(message)
    assert found is not None and found.code == code
    text = " ".join([found.what_happened, found.who_is_hit, found.lever])
    for name in names:
        assert name in text, f"{name!r} missing from: {text}"
    assert found.title and found.lever.startswith(LEVERS)
    assert "\x1b" not in found.dbt_message and "> in macro" not in found.dbt_message


@pytest.mark.parametrize(
    "message",
    [
        "",
        "Running with dbt=1.11.16",
        "Unable to do partial parsing because saved manifest not found. Starting full parse.",
        "Found 36 models, 323 data tests, 23 sources, 1 exposure, 521 macros, 1 group",
        "1 of 86 ERROR creating sql table model main.stg_ops_reference__regions ... [ERROR in 0.02s]",
        "Completed successfully",
        "Runtime Error in model x (models/x.sql)\n  Binder Error: Referenced column y not found",
    ],
)
def test_an_unrelated_message_has_no_explanation(message):
    assert explain(message) is None


def test_explanations_come_once_each_in_message_order():
    found = explain_all([UPCOMING, "Completed successfully", PROTECTED, UPCOMING, NOT_NULL])
    assert [e.code for e in found] == [
        "upcoming_deprecation",
        "protected_ref",
        "constraint_violation",
    ]


def test_an_error_wins_over_the_warnings_printed_before_it():
    blob = f"{SOURCE_NOT_FOUND}\n\x1b[0m14:03:39  Encountered an error:\n{NOT_FOUND}"
    assert explain(blob).code == "model_not_found"
    assert explain(blob).dbt_message == NOT_FOUND


def test_the_building_project_names_the_team_when_the_message_does_not():
    assert (
        "The `data_platform` team cannot build it" in explain(NOT_NULL, "data_platform").who_is_hit
    )
    assert "The team that owns `stg_ops_reference__facilities`" in explain(NOT_NULL).who_is_hit


def test_the_log_gives_the_last_runs_warnings_and_errors(tmp_path):
    log = tmp_path / "dbt.log"
    earlier = "\x1b[0m10:00:00.000001 [info ] [MainThread]: Running with dbt=1.11.16\n"
    earlier += "\x1b[0m10:00:00.100000 [warn ] [MainThread]: [WARNING]: " + UPCOMING + "\n"
    last = [
        "\x1b[0m10:01:00.000001 [info ] [MainThread]: Running with dbt=1.11.16",
        "\x1b[0m10:01:00.100000 [debug] [MainThread]: select 1",
        DEPRECATED_MODEL,
        "\x1b[0m10:01:00.300000 [error] [MainThread]: \x1b[31mFailure in test t (x.yml)\x1b[0m",
        "\x1b[0m10:01:00.400000 [error] [MainThread]:   Got 2 results, configured to fail if != 0",
        "\x1b[0m10:01:00.500000 [error] [MainThread]: Encountered an error:\n" + PRIVATE,
    ]
    log.write_text(earlier + "\n".join(last) + "\n")
    messages = log_messages(log)
    assert messages == [
        DEPRECATED_MODEL_TEXT,
        "Failure in test t (x.yml)\n  Got 2 results, configured to fail if != 0",
        "Encountered an error:\n" + PRIVATE,
    ]
    assert [e.code for e in explain_all(messages)] == [
        "deprecated_model",
        "test_failure",
        "private_ref",
    ]


# --- Real runs ------------------------------------------------------------------------------------
# One session copy of the mesh whose hub carries every producer-side edit, built once. Each
# consumer-side case then edits its own copy of one project and runs dbt on it; the cases are
# independent, so they run two at a time.

HUB = "data_platform"
BUILT = [  # the hub models the rigged build selects: each one breaks in its own way
    "stg_ops_reference__regions",  # contract with a wrong type, a missing and an extra column
    "stg_ops_reference__facilities",  # not_null constraint on `capacity`, empty for foster networks
    "stg_ops_reference__states",  # primary_key constraint on `region_id`, shared by many states
    "stg_ops_reference__partner_organisations",  # unique constraint on `state_code`
    "stg_marketing_platform__campaigns",  # check constraint no row can meet
    "stg_marketing_platform__adoption_events",  # a contract that holds: the baseline for a break
    "stg_donor_crm__grants",  # an accepted_values test that 4 rows fail
]


@dataclass(frozen=True)
class Rigged:
    """A copy of the mesh whose hub carries every edit below, with the hub built once."""

    mesh: Path
    work: Path
    hub: BuildResult
    baseline: Path  # the hub's manifest right after that build

    def run(self, project: str) -> ProjectRun:
        return project_run(read_mesh(self.mesh).project(project), self.work)


def _edit_model(project_dir: Path, model: str, change) -> None:
    for path in sorted((project_dir / "models").rglob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for entry in data.get("models") or []:
            if entry["name"] == model:
                change(entry)
                path.write_text(yaml.safe_dump(data, sort_keys=False))
                return
    raise KeyError(model)


def _contract(columns: dict[str, str], constraints: dict[str, dict] | None = None):
    def change(entry: dict) -> None:
        entry.setdefault("config", {})["contract"] = {"enforced": True}
        described = {c["name"]: c for c in entry.get("columns", [])}
        entry["columns"] = [
            {
                **described.get(name, {"name": name}),
                "data_type": data_type,
                **({"constraints": [constraints[name]]} if name in (constraints or {}) else {}),
            }
            for name, data_type in columns.items()
        ]

    return change


def _config(**values):
    return lambda entry: entry.setdefault("config", {}).update(values)


def _without_column(column: str):
    return lambda entry: entry.update(columns=[c for c in entry["columns"] if c["name"] != column])


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _rig_hub(hub: Path) -> None:
    """The smallest edits that make the hub print every message a producer can cause."""
    v, d = "varchar", "date"
    _edit_model(hub, BUILT[0], _contract({"region_id": "integer", "region_code": v}))
    facilities = dict.fromkeys(["facility_id", "facility_name", "facility_type", "city"], v)
    facilities |= {"state_code": v, "opened_date": d, "capacity": "integer", "partner_id": v}
    _edit_model(hub, BUILT[1], _contract(facilities, {"capacity": {"type": "not_null"}}))
    states = {"state_code": v, "state_name": v, "region_id": v}
    _edit_model(hub, BUILT[2], _contract(states, {"region_id": {"type": "primary_key"}}))
    partners = dict.fromkeys(["partner_id", "partner_name", "partner_type", "state_code"], v)
    partners |= {"agreement_start_date": d, "contact_email": v}
    _edit_model(hub, BUILT[3], _contract(partners, {"state_code": {"type": "unique"}}))
    campaigns = dict.fromkeys(["campaign_id", "campaign_code", "campaign_name", "goal"], v)
    campaigns |= {"region_id": v, "start_date": d, "end_date": d}
    check = {"type": "check", "expression": "end_date < start_date"}
    _edit_model(hub, BUILT[4], _contract(campaigns, {"end_date": check}))
    events = dict.fromkeys(["adoption_event_id", "event_name", "facility_id"], v)
    events |= {"event_date": d, "campaign_id": v, "estimated_attendees": "integer"}
    _edit_model(hub, BUILT[5], _contract(events))

    def one_region_only(entry: dict) -> None:
        column = next(c for c in entry["columns"] if c["name"] == "reporting_region_id")
        column.setdefault("data_tests", []).append(
            {"accepted_values": {"arguments": {"values": ["NE"]}}}
        )

    _edit_model(hub, "stg_donor_crm__grants", one_region_only)
    # Access: rescue_operations reads the states, finance_marketing reads the grants.
    _edit_model(hub, "stg_ops_reference__states", _config(access="protected"))
    _edit_model(hub, "stg_donor_crm__grants", _config(access="private"))

    # Versions: v1 (latest) is past its deprecation date, v2 is a prerelease. Its contract is
    # never built here; it is the baseline for a breaking change to a versioned model.
    def versioned(entry: dict) -> None:
        entry["latest_version"] = 1
        entry["versions"] = [
            {"v": 1, "defined_in": "int_volunteer_hours_monthly", "deprecation_date": "2024-06-30"},
            {"v": 2},
        ]
        entry["config"]["contract"] = {"enforced": True}
        for column in entry["columns"]:
            column["data_type"] = "varchar"

    _edit_model(hub, "int_volunteer_hours_monthly", versioned)
    v1 = next(hub.rglob("int_volunteer_hours_monthly.sql"))
    shutil.copy(v1, v1.with_name("int_volunteer_hours_monthly_v2.sql"))
    _edit_model(hub, "dim_calendar", lambda entry: entry.update(deprecation_date="2099-12-31"))


@pytest.fixture(scope="session")
def rigged(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Rigged:
    root = tmp_path_factory.mktemp("explain")
    mesh = root / "mesh"
    shutil.copytree(repo_root / "mesh_projects", mesh)
    _rig_hub(mesh / HUB)
    work = root / "work"
    run = project_run(read_mesh(mesh).project(HUB), work)
    result = run_dbt(run, "build", ["--select", *BUILT])
    baseline = root / "baseline"
    baseline.mkdir()
    shutil.copy2(run.manifest_path, baseline / "manifest.json")
    return Rigged(mesh, work, result, baseline)


def _copy(rigged: Rigged, folder: Path, project: str) -> ProjectRun:
    """A private copy of one project; a spoke copy reads the rigged hub's manifest and tables."""
    shutil.copytree(rigged.mesh / project, folder / project)
    (folder / "work").mkdir()
    if project != HUB:
        os.symlink(rigged.work / HUB, folder / "work" / HUB)
    upstreams = () if project == HUB else (HUB,)
    return project_run(MeshProject(project, folder / project, upstreams), folder / "work")


_Case = tuple[ProjectRun, str, list[str]]
CASES: dict[str, Callable[[Rigged, Path], _Case]] = {}


def _case(make: Callable[[Rigged, Path], _Case]) -> Callable[[Rigged, Path], _Case]:
    CASES[make.__name__] = make
    return make


@_case
def protected(rigged: Rigged, folder: Path) -> _Case:
    """rescue_operations' dim_adopters reads the hub's states, now protected."""
    return rigged.run("rescue_operations"), "parse", []


@_case
def private_hub_model(rigged: Rigged, folder: Path) -> _Case:
    """finance_marketing reads the hub's grants, now private to the hub's group."""
    return rigged.run("finance_marketing"), "parse", []


@_case
def private_group(rigged: Rigged, folder: Path) -> _Case:
    """A people_ops staging model moves into a new private group; its readers stay outside."""
    run = _copy(rigged, folder, "people_ops")
    groups = run.project_dir / "models" / "_groups.yml"
    data = yaml.safe_load(groups.read_text())
    data["groups"].append({"name": "hr_team", "owner": {"name": "Tomás Herrera"}})
    groups.write_text(yaml.safe_dump(data, sort_keys=False))
    private = _config(group="hr_team", access="private")
    _edit_model(run.project_dir, "stg_hr_system__employees", private)
    return run, "parse", []


def _missing(old: str, new: str) -> Callable[[Rigged, Path], _Case]:
    def make(rigged: Rigged, folder: Path) -> _Case:
        run = _copy(rigged, folder, "people_ops")
        _replace_in(run.project_dir / "models/marts/people_ops/volunteer_impact.sql", old, new)
        return run, "parse", []

    return make


READ = "ref('data_platform', 'dim_facilities')"
CASES["misspelled"] = _missing(READ, "ref('data_platform', 'dim_facility')")
CASES["one_argument"] = _missing(READ, "ref('dim_facilitiez')")


@_case
def model_cycle(rigged: Rigged, folder: Path) -> _Case:
    """A people_ops staging model also reads the intermediate model that reads it."""
    run = _copy(rigged, folder, "people_ops")
    sql = next(run.project_dir.rglob("stg_hr_system__employees.sql"))
    sql.write_text(sql.read_text() + "\n-- {{ ref('int_employee_tenure') }}\n")
    return run, "ls", ["--select", "stg_hr_system__employees"]


@_case
def spoke_warnings(rigged: Rigged, folder: Path) -> _Case:
    """people_ops reads the retiring and versioned hub models; a new test reads a hub source."""
    run = rigged.run("people_ops")
    test = run.project_dir / "tests" / "assert_intakes_have_a_weight.sql"
    test.write_text(
        "select * from {{ source('shelter_system', 'intakes') }} where weight is null\n"
    )
    return run, "compile", ["--select", "dim_volunteers", "int_employee_quarters"]


@_case
def unversioned_break(rigged: Rigged, folder: Path) -> _Case:
    """A column of the contracted adoption events is removed, compared to the baseline."""
    run = _copy(rigged, folder, HUB)
    model = "stg_marketing_platform__adoption_events"
    _edit_model(run.project_dir, model, _without_column("estimated_attendees"))
    sql = next(run.project_dir.rglob(f"{model}.sql"))
    # The macro may be called by its package's name (`rainbow_road_macros.parse_integer`).
    column = re.compile(
        r",\n\s*\{\{ [\w.]*parse_integer\('estimated_attendees'\) \}\} as estimated_attendees"
    )
    assert column.search(sql.read_text()), f"no estimated_attendees column in {sql}"
    sql.write_text(column.sub("", sql.read_text(), count=1))
    return run, "build", ["--select", "state:modified", "--state", str(rigged.baseline)]


@_case
def versioned_break(rigged: Rigged, folder: Path) -> _Case:
    """A column of the contracted, versioned volunteer hours is removed, without a new version."""
    run = _copy(rigged, folder, HUB)
    _edit_model(run.project_dir, "int_volunteer_hours_monthly", _without_column("volunteer_hours"))
    return run, "build", ["--select", "state:modified", "--state", str(rigged.baseline)]


@_case
def strict_deprecations(rigged: Rigged, folder: Path) -> _Case:
    """people_ops reads retiring hub models, with dbt told to treat those warnings as errors."""
    run = _copy(rigged, folder, "people_ops")
    strict = {"error": ["DeprecatedReference", "UpcomingReferenceDeprecation"]}
    return run, "parse", ["--warn-error-options", json.dumps(strict)]


@pytest.fixture(scope="session")
def ran(rigged: Rigged, tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Every case's dbt run, two at a time (each in its own child process and folder)."""
    jobs = {name: make(rigged, tmp_path_factory.mktemp(name)) for name, make in CASES.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = {name: pool.submit(run_dbt, *job) for name, job in jobs.items()}
    return {name: future.result() for name, future in started.items()}


def _one(found: list[Explanation], code: str, *names: str) -> Explanation:
    hits = [e for e in found if e.code == code and all(n in e.what_happened for n in names)]
    assert hits, f"no {code} naming {names} in {[(e.code, e.what_happened) for e in found]}"
    return hits[0]


def test_a_model_that_breaks_its_contract_is_explained_column_by_column(rigged):
    node = next(n for n in rigged.hub.nodes if n.name == "stg_ops_reference__regions")
    found = explain(node.message, HUB)
    assert found.code == "contract_mismatch"
    assert "`region_id` comes out as VARCHAR, the contract says INTEGER" in found.what_happened
    assert (
        "`region_code` is in the contract, but the SQL does not produce it" in found.what_happened
    )
    assert "`region_name` comes out of the SQL" in found.what_happened
    assert "The `data_platform` team cannot build it" in found.who_is_hit


@pytest.mark.parametrize(
    ("model", "says"),
    [
        ("stg_ops_reference__facilities", "no value in `capacity`"),
        ("stg_ops_reference__states", "`NE` appears more than once"),
        ("stg_ops_reference__partner_organisations", "appears more than once"),
        ("stg_marketing_platform__campaigns", "`(end_date < start_date)`"),
    ],
)
def test_rows_that_break_a_constraint_are_explained(rigged, model, says):
    node = next(n for n in rigged.hub.nodes if n.name == model)
    assert node.status == "error"
    found = explain(node.message, HUB)
    assert found.code == "constraint_violation"
    assert f"While building `{model}`" in found.what_happened and says in found.what_happened


def test_a_failing_data_test_names_the_test_and_its_model(rigged):
    found = _one(explain_result(rigged.hub), "test_failure")
    assert (
        "`accepted_values_stg_donor_crm__grants_reporting_region_id__NE` on "
        "`stg_donor_crm__grants` found 4 rows breaking" in found.what_happened
    )
    assert found.who_is_hit.startswith("The `data_platform` team")
    assert "Got 4 results, configured to fail if != 0" in found.dbt_message


def test_a_test_that_reads_an_unbuilt_table_is_explained(rigged):
    found = _one(explain_result(rigged.hub), "missing_table", "`stg_shelter_system__adoptions`")
    assert "in `data_platform`" in found.what_happened


def test_a_past_deprecation_date_warns_the_producer(rigged):
    found = _one(explain_result(rigged.hub), "deprecated_model")
    assert "`int_volunteer_hours_monthly` (version 1)" in found.what_happened
    assert "2024-06-30" in found.what_happened


def test_a_spoke_cannot_read_a_protected_hub_model(ran):
    assert not ran["protected"].ok
    found = _one(explain_result(ran["protected"]), "protected_ref")
    assert found.what_happened.startswith(
        "`dim_adopters` in `rescue_operations` reads `stg_ops_reference__states` from `data_platform`"
    )
    assert found.who_is_hit.startswith("`rescue_operations` cannot build")
    assert "The `data_platform` team is asked" in found.who_is_hit


def test_a_spoke_cannot_read_a_private_hub_model(ran):
    assert not ran["private_hub_model"].ok
    found = _one(explain_result(ran["private_hub_model"]), "private_ref")
    assert found.what_happened.startswith(
        "`int_grant_months` in `finance_marketing` reads `stg_donor_crm__grants` from `data_platform`"
    )
    assert "`data_platform_team`" in found.what_happened
    assert found.lever.startswith("Access level")


def test_a_model_outside_a_private_group_cannot_read_it(ran):
    assert not ran["private_group"].ok
    found = _one(explain_result(ran["private_group"]), "private_ref", "`hr_team`")
    assert (
        "in `people_ops` reads `stg_hr_system__employees`, which is private" in found.what_happened
    )
    assert found.lever.startswith("Group membership or access level")


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("misspelled", ["reads `dim_facility` from `data_platform`, but"]),
        ("one_argument", ["reads `dim_facilitiez`, but"]),
    ],
)
def test_a_ref_to_a_missing_model_is_explained(ran, case, names):
    assert not ran[case].ok
    found = _one(
        explain_result(ran[case]), "model_not_found", "`volunteer_impact` in `people_ops`", *names
    )
    assert found.who_is_hit.startswith("`people_ops` cannot build")


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("deprecated_reference", ["`dim_volunteers`", "`int_volunteer_hours_monthly` (version 1)", "2024-06-30"]),
        ("upcoming_deprecation", ["`int_employee_quarters`", "`dim_calendar`", "2099-12-31"]),
        ("prerelease_version", ["`dim_volunteers`", "from `data_platform`", "(v1)", "Version 2"]),
        ("deprecated_model", ["`int_volunteer_hours_monthly` (version 1)"]),
        ("source_not_found", ["`assert_intakes_have_a_weight`", "`shelter_system.intakes`"]),
    ],
)  # fmt: skip
def test_a_spoke_is_warned_about_retiring_versions_and_foreign_sources(ran, code, names):
    assert ran["spoke_warnings"].ok, ran["spoke_warnings"].summary()
    found = _one(explain_result(ran["spoke_warnings"]), code, *names)
    if code in {"deprecated_reference", "upcoming_deprecation"}:
        assert found.who_is_hit.startswith("The `people_ops` team")
    if code == "prerelease_version":
        assert "{{ ref('data_platform', 'int_volunteer_hours_monthly', v=1) }}" in found.lever
    if code == "source_not_found":
        assert "switches this test off" in found.who_is_hit


def test_removing_a_column_of_a_contracted_model_is_a_breaking_change(ran):
    result = ran["unversioned_break"]
    model = "stg_marketing_platform__adoption_events"
    assert [n.name for n in result.nodes if n.resource_type == "model"] == [model]
    found = _one(explain_result(result), "breaking_contract_change", f"`{model}`")
    assert "columns removed: `estimated_attendees`" in found.what_happened
    assert "only warns" in found.what_happened
    assert found.lever.startswith("Contract and version")
    # Its relationships tests read hub tables this copy never built.
    _one(explain_result(result), "missing_table", "`stg_marketing_platform__campaigns`")


def test_a_breaking_change_to_a_versioned_model_stops_the_build(ran):
    result = ran["versioned_break"]
    assert not result.ok and result.nodes == ()
    assert explain(result.error).code == "breaking_contract_change"  # the console's one line
    found = _one(
        explain_result(result), "breaking_contract_change", "`int_volunteer_hours_monthly`"
    )
    assert "columns removed: `volunteer_hours`" in found.what_happened
    assert "stops the build" in found.what_happened


def test_models_that_read_each_other_are_explained(ran):
    assert not ran["model_cycle"].ok
    found = _one(explain_result(ran["model_cycle"]), "model_cycle")
    assert "`stg_hr_system__employees`, `int_employee_tenure`" in found.what_happened


def test_projects_that_read_each_other_are_explained(tmp_path, repo_root):
    projects = tmp_path / "mesh"
    shutil.copytree(repo_root / "mesh_projects", projects)
    hub_model = projects / "data_platform/models/marts/core/dim_regions.sql"
    hub_model.write_text(hub_model.read_text() + "\n-- {{ ref('people_ops', 'dim_employees') }}\n")
    with pytest.raises(ProjectCycleError) as refused:
        read_mesh(projects)
    found = explain(str(refused.value))
    assert found.code == "project_cycle"
    assert "`data_platform` reads `people_ops`" in found.what_happened
    assert "reads `people_ops.dim_employees`" in found.what_happened
    assert "`data_platform`, `people_ops`" in found.who_is_hit


def test_a_database_file_held_by_another_program_is_explained(rigged):
    run = rigged.run(HUB)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(run.warehouse)!r}, read_only=True); "
            "print('ready', flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLocked) as locked:
            run_dbt(run, "run", ["--select", "stg_ops_reference__regions"])
    finally:
        holder.communicate("done\n", timeout=30)
    kit = explain(str(locked.value))
    duckdb = _one(explain_all(log_messages(run.log_dir / "dbt.log")), "locked_database")
    for found in (kit, duckdb):
        assert found.code == "locked_database"
        assert (
            f"PID {holder.pid}" in found.what_happened and "`data_platform`" in found.what_happened
        )
        assert f"`kill {holder.pid}`" in found.lever
    assert "Could not set lock on file" in duckdb.dbt_message


def test_a_build_result_without_a_log_falls_back_to_its_error():
    result = BuildResult("people_ops", ok=False, elapsed=1.0, error=NOT_FOUND)
    assert messages_of(result) == [NOT_FOUND]
    assert [e.code for e in explain_result(result)] == ["model_not_found"]


def test_warnings_made_errors_are_explained_from_the_warning_dbt_raised(ran):
    result = ran["strict_deprecations"]
    assert not result.ok
    raised = [e for e in result.events if e.name == "UpcomingReferenceDeprecation"]
    assert raised and raised[0].level == "error"  # dbt raised it instead of firing it
    found = _one(explain_result(result), "upcoming_deprecation", "`dim_calendar`", "2099-12-31")
    assert found.who_is_hit.startswith("The `people_ops` team")


# --- Explanations come from dbt's structure, not its wording --------------------------------------

REWORDED = "(dbt worded this differently)"
# Event and exception fields that hold dbt's sentences rather than names or values.
SENTENCES = {"exc", "msg", "breaking_changes"}


def _reword_error(error: DbtError | None, passed_on: bool = False) -> DbtError | None:
    """The exception with dbt's wording gone. The database's own message, which dbt passes on
    as the cause of its error, stays: it is DuckDB's text, not dbt's."""
    if error is None:
        return None
    keep = passed_on and "DbtBaseException" not in error.types
    return replace(
        error,
        message=error.message if keep else REWORDED,
        fields={k: REWORDED if k in SENTENCES else v for k, v in error.fields.items()},
        cause=_reword_error(error.cause, passed_on=True),
    )


def _reword_event(event: DbtEvent) -> DbtEvent:
    return replace(
        event,
        msg=REWORDED,
        data={k: REWORDED if k in SENTENCES else v for k, v in event.data.items()},
        error=_reword_error(event.error),
    )


def _reworded(result: BuildResult, folder: Path) -> BuildResult:
    """The same build as a future dbt might word it: every sentence dbt wrote is replaced, in
    its events, its exceptions, run_results' messages and the error excerpt, and there is no
    text log; the event names and fields, node ids, statuses, counts and the manifest stay."""
    target = Path(result.log_path).parent.parent / "target"
    (folder / "target").mkdir(parents=True)
    if (target / "manifest.json").is_file():
        shutil.copy2(target / "manifest.json", folder / "target" / "manifest.json")
    return replace(
        result,
        nodes=tuple(replace(n, message=REWORDED) for n in result.nodes),
        events=tuple(_reword_event(e) for e in result.events),
        error=REWORDED,
        warnings=(),
        log_path=str(folder / "logs" / "dbt.log"),  # no such file
    )


def _said(found: list[Explanation]) -> list[tuple[str, ...]]:
    return [(e.code, e.title, e.what_happened, e.who_is_hit, e.lever) for e in found]


@pytest.mark.parametrize("case", ["rigged_hub", *(c for c in CASES if c != "model_cycle")])
def test_explanations_come_from_dbts_events_not_its_wording(rigged, ran, case, tmp_path):
    result = rigged.hub if case == "rigged_hub" else ran[case]
    assert result.events is not None, "the run's events were not recorded"
    said = _said(explain_result(result))
    assert said
    assert _said(explain_result(_reworded(result, tmp_path))) == said


def test_a_model_cycle_is_the_one_dbt_error_with_nothing_but_words(ran, tmp_path):
    """dbt raises a bare RuntimeError for it: the chain of models is only in its message."""
    result = ran["model_cycle"]
    errors = [e.error for e in result.events if e.error]
    assert errors and errors[-1].types[0] == "RuntimeError" and not errors[-1].fields
    assert "model_cycle" in [e.code for e in explain_result(result)]
    assert "model_cycle" not in [e.code for e in explain_result(_reworded(result, tmp_path))]


def test_a_warm_worker_records_what_the_command_line_records(rigged, ran):
    """The same runs through a warm worker: the same records, so the same explanations. (A full
    parse, as the command line's first run of each project was: a partial parse does not repeat
    every parse-time warning.)"""
    cases = {"spoke_warnings": ["dim_volunteers", "int_employee_quarters"], "protected": []}
    with DbtWorkerPool(idle_timeout=None) as pool:
        for case, selected in cases.items():
            cold = ran[case]
            project = "people_ops" if case == "spoke_warnings" else "rescue_operations"
            command, extra = cold.command[1], ["--select", *selected] if selected else []
            warm = pool.run(rigged.run(project), command, [*extra, "--no-partial-parse"])
            assert warm.events is not None and warm.ok == cold.ok

            def named(result: BuildResult) -> set[tuple[str, str]]:
                return {(e.name, e.error.types[0] if e.error else "") for e in result.events}

            assert named(warm) == named(cold)
            assert _said(explain_result(warm)) == _said(explain_result(cold))
