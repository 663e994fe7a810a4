"""Proposals: applied to a sandbox, checked by real dbt, and bad input refused without loss."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from mesh_workshop.api import kit
from mesh_workshop.proposal import ProposalError

PROJECTS = ("data_platform", "finance_marketing", "people_ops", "rescue_operations")
EXAMPLES = Path(__file__).resolve().parents[1] / "proposals" / "examples"


def _cli(*args: str, workspace: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RAINBOW_ROAD_WORKSPACE": str(workspace)},
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# ------------------------------------------------------------------- the examples' verdicts


EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yml"))
# A full clean build per example is the slowest thing in the suite, so the comparison with the
# selective check runs on the examples where selection matters most: a failure several projects
# downstream of the change, and a contract that breaks the changed model itself.
FULL_BUILD_EXAMPLES = ["ship_it_in_place", "wrong_contract_type"]


@pytest.fixture(scope="session")
def verdicts(built_mesh, workspace):
    """`mesh-workshop check EXAMPLE --json` for every example, run once for the whole session.

    The examples use separate sandboxes, so they run two at a time (dbt runs in child processes).
    """

    def run(name: str) -> tuple[int, dict, subprocess.CompletedProcess]:
        done = _cli("check", str(EXAMPLES / f"{name}.yml"), "--json", workspace=workspace)
        assert done.stdout.startswith("{"), done.stdout[-3000:] + done.stderr[-3000:]
        return done.returncode, json.loads(done.stdout), done

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(EXAMPLE_NAMES, pool.map(run, EXAMPLE_NAMES), strict=True))
    return results.__getitem__


@pytest.fixture(scope="session")
def full_verdicts(built_mesh, tmp_path_factory):
    """Examples checked with a full clean build of their own sandboxes, two at a time."""
    root = tmp_path_factory.mktemp("full")

    def run(name: str) -> dict:
        result = kit.check(EXAMPLES / f"{name}.yml", out=root / name / "mesh", full=True)
        return json.loads(result.to_json())

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(FULL_BUILD_EXAMPLES, pool.map(run, FULL_BUILD_EXAMPLES), strict=True))
    return results


def test_versioning_the_change_builds_and_keeps_people_ops_on_version_1(verdicts):
    code, verdict, done = verdicts("version_the_change")
    assert code == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert verdict["ok"] is True
    sandbox = Path(verdict["sandbox"])
    sql = (sandbox / "people_ops/models/marts/people_ops/volunteer_impact.sql").read_text()
    assert "ref('data_platform', 'fct_animal_outcomes')" in sql  # unpinned: reads latest, version 1
    finance = (
        sandbox / "finance_marketing/models/marts/finance/grant_outcome_report.sql"
    ).read_text()
    assert "ref('data_platform', 'fct_animal_outcomes', v=2)" in finance
    assert (sandbox / "data_platform/models/marts/core/fct_animal_outcomes_v2.sql").is_file()


def test_shipping_the_change_in_place_breaks_people_ops(verdicts, workspace):
    code, verdict, _ = verdicts("ship_it_in_place")
    assert code == 1
    done = _cli("check", str(EXAMPLES / "ship_it_in_place.yml"), workspace=workspace)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    assert "Verdict: the mesh does NOT build cleanly." in done.stdout
    assert "Consumers that broke:" in done.stdout
    assert (
        "`people_ops` (reads data_platform): accepted_values_int_facility_outcomes_monthly"
        in done.stdout
    )


def test_making_a_read_model_protected_breaks_its_readers_at_parse_time(verdicts):
    code, verdict, _ = verdicts("hide_the_intermediate")
    assert code == 1
    statuses = {p["name"]: p["status"] for p in verdict["build"]["projects"]}
    assert statuses["data_platform"] == "built"
    assert statuses["finance_marketing"] == "failed" and statuses["people_ops"] == "failed"
    text = json.dumps(verdict)
    assert "protected to the 'data_platform' package" in text
    protected = [e for e in verdict["explanations"] if e["code"] == "protected_ref"]
    assert {"finance_marketing", "people_ops"} <= {
        p for e in protected for p in PROJECTS if p in e["what_happened"]
    }
    assert all("public" in e["lever"] for e in protected)


def test_a_contract_with_the_wrong_type_fails_the_model(verdicts):
    code, verdict, _ = verdicts("wrong_contract_type")
    assert code == 1
    hub = next(p for p in verdict["build"]["projects"] if p["name"] == "data_platform")
    failed = [n for n in hub["result"]["nodes"] if n["status"] == "error"]
    assert any("fct_animal_outcomes" in n["unique_id"] for n in failed)
    assert any("days_in_care" in n["message"] and "mismatch" in n["message"] for n in failed)
    mismatch = [e for e in verdict["explanations"] if e["code"] == "contract_mismatch"]
    assert mismatch and "days_in_care" in mismatch[0]["what_happened"]


def test_a_deprecated_pin_builds_with_warnings_and_fails_when_strict(verdicts, workspace):
    code, verdict, done = verdicts("pin_a_deprecated_version")
    assert code == 0, done.stdout[-3000:]
    assert any("deprecat" in w.lower() for w in verdict["warnings"]), verdict["warnings"]
    codes = {e["code"] for e in verdict["explanations"]}
    assert "upcoming_deprecation" in codes, codes
    strict = _cli(
        "check",
        str(EXAMPLES / "pin_a_deprecated_version.yml"),
        "--strict-deprecations",
        workspace=workspace,
    )
    assert strict.returncode == 1, strict.stdout[-3000:]


WARNING_CODES = {
    "upcoming_deprecation",
    "deprecated_reference",
    "deprecated_model",
    "prerelease_version",
}


@pytest.mark.parametrize("name", FULL_BUILD_EXAMPLES)
def test_the_selective_check_gives_the_same_verdict_as_a_full_clean_build(
    verdicts, full_verdicts, name
):
    """Building only what changed (seeded from the baseline build) must not change the verdict."""
    _, selective, _ = verdicts(name)
    full = full_verdicts[name]

    def statuses(verdict: dict) -> dict[str, str]:
        return {
            p["name"]: "built" if p["status"] == "up to date" else p["status"]
            for p in verdict["build"]["projects"]
        }

    def failing(verdict: dict) -> set[str]:
        return {
            n["unique_id"]
            for p in verdict["build"]["projects"]
            if p["result"]
            for n in p["result"]["nodes"]
            if n["status"] in {"error", "fail", "runtime error"}
        }

    def errors(verdict: dict) -> set[str]:
        return {e["code"] for e in verdict["explanations"]} - WARNING_CODES

    assert full["ok"] == selective["ok"]
    assert statuses(full) == statuses(selective)
    assert failing(full) == failing(selective)
    assert errors(full) == errors(selective)
    assert {(f["code"], f["model"]) for f in full["findings"]} == {
        (f["code"], f["model"]) for f in selective["findings"]
    }


# ------------------------------------------------------------------- apply


def test_apply_is_deterministic_idempotent_and_leaves_the_mesh_alone(
    built_mesh, tmp_path, repo_root
):
    committed = _tree(repo_root / "mesh_projects")
    first = kit.apply(EXAMPLES / "version_the_change.yml", tmp_path / "a")
    second = kit.apply(EXAMPLES / "version_the_change.yml", tmp_path / "b")
    assert _tree(first.sandbox) == _tree(second.sandbox)
    again = kit.apply(EXAMPLES / "version_the_change.yml", tmp_path / "a")
    assert _tree(again.sandbox) == _tree(second.sandbox)
    assert _tree(repo_root / "mesh_projects") == committed
    assert (first.sandbox / "proposal.yml").read_text() == (
        EXAMPLES / "version_the_change.yml"
    ).read_text()
    assert "version 2" in (first.sandbox / "CHANGES.md").read_text()


def test_the_json_schemas_in_docs_are_current(repo_root):
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        from write_schemas import schemas
    finally:
        sys.path.pop(0)
    for path, text in schemas().items():
        assert path.read_text() == text, f"run scripts/write_schemas.py ({path.name})"


def test_every_example_is_a_valid_proposal():
    for path in sorted(EXAMPLES.glob("*.yml")):
        assert kit.load_proposal(path).version == 1


# ------------------------------------------------------------------- bad input

BASE = {"version": 1, "group": "Table 9", "scenario": "breaking_change"}


def _decision(**fields) -> dict:
    return {**BASE, "models": [{"model": "data_platform.fct_animal_outcomes", **fields}]}


BAD = [
    (
        "unknown model",
        {**BASE, "models": [{"model": "data_platform.fct_animal_outcome"}]},
        [
            "models[data_platform.fct_animal_outcome].model",
            "no model `fct_animal_outcome`",
            "Did you mean `fct_animal_outcomes`?",
        ],
    ),
    (
        "unknown project",
        {
            **BASE,
            "pins": [
                {
                    "consumer": "people_op",
                    "model": "data_platform.fct_animal_outcomes",
                    "version": 1,
                }
            ],
        },
        ["pins[0].consumer", "no project `people_op`", "Did you mean `people_ops`?"],
    ),
    (
        "model in another project",
        {**BASE, "models": [{"model": "people_ops.fct_animal_outcomes"}]},
        ["lives in `data_platform`", "Write `data_platform.fct_animal_outcomes`."],
    ),
    (
        "unknown group",
        _decision(group="data_platfrom_team"),
        [
            "models[data_platform.fct_animal_outcomes].group",
            "no team (dbt group) `data_platfrom_team`",
            "Did you mean `data_platform_team`?",
        ],
    ),
    (
        "invalid access",
        _decision(access="open"),
        ["models[data_platform.fct_animal_outcomes].access", "'private', 'protected' or 'public'"],
    ),
    (
        "unknown data type",
        _decision(contract={"columns": [{"name": "days_in_care", "data_type": "intger"}]}),
        ["contract.columns[days_in_care].data_type", "no data type `intger`", "integer"],
    ),
    (
        "contract column the model lacks",
        _decision(contract={"columns": [{"name": "days_in_cares"}]}),
        [
            "contract.columns[days_in_cares].name",
            "has no column `days_in_cares`",
            "Did you mean `days_in_care`?",
        ],
    ),
    (
        "duplicate versions",
        _decision(new_versions=[{"version": 2}, {"version": 2}]),
        ["version 2 is defined twice"],
    ),
    (
        "latest version missing",
        _decision(latest_version=3),
        ["`latest_version: 3` names a version that does not exist"],
    ),
    ("malformed date", _decision(deprecation_date="30/06/2027"), ["deprecation_date", "date"]),
    (
        "path as a name",
        {**BASE, "scenario": "../../etc"},
        ["key `scenario`", "not a plain identifier"],
    ),
    (
        "quote in a name",
        {**BASE, "teams": [{"name": "ops'; drop", "owner": {"name": "A", "email": "a@b.example"}}]},
        ["teams[ops'; drop].name", "not a plain identifier"],
    ),
    ("space in a name", _decision(group="people ops"), ["group", "not a plain identifier"]),
    (
        "jinja in free text",
        _decision(rationale="see {{ env_var('HOME') }}"),
        ["rationale", "may not contain `{{`"],
    ),
    ("unknown key", _decision(acess="public"), ["acess", "not a known key"]),
    (
        "unknown logic change",
        _decision(logic_change="transfer_counted_separately"),
        ["logic_change", "Did you mean `transfers_counted_separately`?"],
    ),
]


@pytest.mark.parametrize(("case", "data", "fragments"), BAD, ids=[b[0] for b in BAD])
def test_bad_proposals_are_refused_with_file_key_and_fix_and_nothing_is_lost(
    built_mesh, tmp_path, case, data, fragments
):
    path = tmp_path / "group_proposal.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    sandbox = tmp_path / "sandbox"
    kit.apply(EXAMPLES / "version_the_change.yml", sandbox)
    before = _tree(sandbox)
    with pytest.raises(ProposalError) as info:
        kit.apply(path, sandbox)
    message = str(info.value)
    assert "group_proposal.yml" in message
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"
    assert info.value.hint, "every refusal says what to do next"
    assert _tree(sandbox) == before


def test_invalid_yaml_and_oversized_files_are_refused(built_mesh, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("version: 1\ngroup: [unclosed\n")
    with pytest.raises(ProposalError, match=r"broken.yml` is not valid YAML at line \d+"):
        kit.apply(broken, tmp_path / "out")
    huge = tmp_path / "huge.yml"
    huge.write_text("# " + "x" * 70_000)
    with pytest.raises(ProposalError, match="at most 64 KiB"):
        kit.apply(huge, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_sandbox_matches_the_examples_mesh_except_for_the_changes(
    built_mesh, tmp_path, repo_root
):
    result = kit.apply(EXAMPLES / "pin_a_deprecated_version.yml", tmp_path / "s")
    _, changed, _ = filecmp.cmpfiles(
        repo_root / "mesh_projects",
        result.sandbox,
        ["rescue_operations/dbt_project.yml"],
        shallow=False,
    )
    assert changed == []


def test_a_private_model_read_by_an_ungrouped_model_fails_the_check_even_if_dbt_lets_it(
    built_mesh, tmp_path, repo_root, workspace
):
    """dbt-loom relaxes dbt's private rule inside a project; the kit's own check does not."""
    import shutil

    sandbox = tmp_path / "hand_edited"
    shutil.copytree(repo_root / "mesh_projects", sandbox)
    project = sandbox / "rescue_operations"
    config = project / "dbt_project.yml"
    config.write_text(config.read_text().replace("    +group: rescue_operations_team\n", ""))
    groups = project / "models" / "_groups.yml"
    groups.write_text(
        groups.read_text()
        + "- name: shelter_care_team\n  owner:\n    name: Keisha Morgan\n    email: keisha.morgan@rainbowroad.example\n"
    )
    models = project / "models/intermediate/rescue_operations/_rescue_operations__models.yml"
    data = yaml.safe_load(models.read_text())
    entry = next(m for m in data["models"] if m["name"] == "int_shelter_stays_measured")
    entry["config"] = {
        **(entry.get("config") or {}),
        "access": "private",
        "group": "shelter_care_team",
    }
    models.write_text(yaml.safe_dump(data, sort_keys=False))

    done = _cli("check", str(sandbox), "--json", workspace=workspace)

    verdict = json.loads(done.stdout)
    statuses = {p["name"]: p["status"] for p in verdict["build"]["projects"]}
    assert statuses["rescue_operations"] == "built"  # dbt-loom let the private read through...
    private = [f for f in verdict["findings"] if f["code"] == "private_violation"]
    assert private and all(f["severity"] == "error" for f in private)  # ...the kit does not
    assert any("int_shelter_stays_measured" in f["message"] for f in private)
    assert done.returncode == 1 and verdict["ok"] is False
