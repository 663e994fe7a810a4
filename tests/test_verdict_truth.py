"""The verdict says what plain dbt says, and a refused proposal changes nothing.

- A project whose upstream did not parse is blocked, as in plain dbt (no manifest, no build),
  never "up to date" against a manifest from before the proposal.
- The governance check still reads what the proposal wrote, so every rule it breaks is named,
  including reads that dbt never reached because it stopped earlier.
- Every value the YAML loader itself cannot read is a refusal with the file, the key and the fix,
  and every refusal (the circle between projects included) leaves the last sandbox as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mesh_workshop.api import kit
from mesh_workshop.proposal import ProposalError
from mesh_workshop.scenario.model import load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "proposals" / "examples"
HEAD = "version: 1\ngroup: Table 9\nscenario: breaking_change\n"
MODEL = "models:\n  - model: data_platform.fct_animal_outcomes\n"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def applied(built_mesh, tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A group's sandbox from a good proposal, and its files, to compare after a refusal."""
    sandbox = tmp_path / "sandbox"
    kit.apply(EXAMPLES / "version_the_change.yml", sandbox)
    return sandbox, _tree(sandbox)


LOADER_CASES = [
    (
        "impossible date",
        HEAD + MODEL + "    deprecation_date: 2027-02-30\n",
        ["deprecation_date", "`2027-02-30` is not a date on the calendar", "YYYY-MM-DD"],
    ),
    (
        "month thirteen",
        HEAD + MODEL + "    deprecation_date: 2027-13-01\n",
        ["deprecation_date", "not a date on the calendar"],
    ),
    (
        "explicit timestamp tag",
        HEAD + MODEL + "    deprecation_date: !!timestamp 2027-02-30\n",
        [
            "line 6",
            "not the `timestamp` its tag says",
            "day is out of range",
            "remove the `!!` tag",
        ],
    ),
    (
        "number tag on words",
        HEAD + MODEL + "    latest_version: !!int two\n",
        ["line 6", "not the `int` its tag says", "remove the `!!` tag"],
    ),
    (
        "version as words",
        HEAD + MODEL + "    latest_version: two\n",
        ["latest_version", "whole number"],
    ),
    ("version zero", HEAD + MODEL + "    latest_version: 0\n", ["latest_version", "at least 1"]),
    (
        "a key written twice",
        HEAD + MODEL + "    access: public\n    access: private\n",
        ["line 7", "`access` twice"],
    ),
    ("an alias", HEAD + "summary: &s hello\n" + MODEL + "    rationale: *s\n", ["alias `*s`"]),
    (
        "a python object",
        HEAD + "summary: !!python/object/apply:os.system ['true']\n",
        ["not valid YAML"],
    ),
    ("nesting too deep", HEAD + "summary: " + "[" * 3000 + "\n", ["not valid YAML"]),
    (
        "not a boolean",
        HEAD + MODEL + "    contract: {enforced: maybe}\n",
        ["enforced", "`true` or `false`"],
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "fragments"), LOADER_CASES, ids=[c[0] for c in LOADER_CASES]
)
def test_values_the_loader_cannot_read_are_refusals_that_keep_the_sandbox(
    applied, tmp_path, case, text, fragments
):
    sandbox, before = applied
    path = tmp_path / "group_proposal.yml"
    path.write_text(text)
    with pytest.raises(ProposalError) as info:
        kit.apply(path, sandbox)
    message = str(info.value)
    assert "group_proposal.yml" in message
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"
    assert info.value.hint
    assert _tree(sandbox) == before


def test_an_impossible_date_exits_2_from_the_command_line(built_mesh, workspace, tmp_path):
    path = tmp_path / "date.yml"
    path.write_text(HEAD + MODEL + "    deprecate_version: 1\n    deprecation_date: 2027-02-30\n")
    done = subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", "check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "RAINBOW_ROAD_WORKSPACE": str(workspace)},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "deprecation_date" in done.stderr and "not a date on the calendar" in done.stderr


def test_a_circle_between_projects_is_refused_before_the_sandbox_is_written(applied, tmp_path):
    sandbox, before = applied
    scenario = load_scenario("access_and_lineage")
    circle = scenario.proposal_dict(scenario.wrong_answer.choices, "Table 9", "Each publishes")
    path = tmp_path / "circle.yml"
    path.write_text(yaml.safe_dump(circle, sort_keys=False))
    with pytest.raises(ProposalError) as info:
        kit.apply(path, sandbox)
    assert "circle.yml" in info.value.message
    assert "would read each other in a circle" in info.value.message
    assert "grant_shelter_scorecard" in info.value.message
    assert _tree(sandbox) == before


@pytest.fixture(scope="module")
def private_in_the_hub(built_mesh, tmp_path_factory):
    """A hub model made private to its team while the hub's own test and three spokes read it."""
    folder = tmp_path_factory.mktemp("private")
    path = folder / "private.yml"
    path.write_text(HEAD + MODEL + "    access: private\n    group: data_platform_team\n")
    return kit.check(path, out=folder / "mesh")


def test_spokes_of_a_hub_that_did_not_parse_are_blocked_not_up_to_date(private_in_the_hub):
    statuses = {p.name: p.status for p in private_in_the_hub.build.projects}
    assert statuses == {
        "data_platform": "failed",
        "finance_marketing": "blocked",
        "people_ops": "blocked",
        "rescue_operations": "blocked",
    }
    assert private_in_the_hub.exit_code == 1
    hub = private_in_the_hub.build.projects[0]
    assert not hub.parsed and "private to the 'data_platform_team' group" in hub.result.error
    blocked = [p for p in private_in_the_hub.build.projects if p.status == "blocked"]
    assert all("`data_platform` did not parse" in p.note for p in blocked)
    assert len(private_in_the_hub.broken_consumers) == 3
    # Nothing downstream may be judged against the manifest the hub had before the proposal.
    assert not (
        private_in_the_hub.sandbox.parent / "build/data_platform/target/manifest.json"
    ).exists()


def test_governance_names_every_read_of_the_private_model_even_where_dbt_stopped(
    private_in_the_hub,
):
    private = [f for f in private_in_the_hub.findings if f.code == "private_violation"]
    readers = {f.model for f in private}
    assert "data_platform.assert_days_in_care_never_negative" in readers  # where dbt stopped
    assert "people_ops.volunteer_impact" in readers  # never reached by dbt
    assert {f.project for f in private} >= {"data_platform", "people_ops", "rescue_operations"}
    hub_read = next(f for f in private if f.project == "data_platform")
    assert "dbt refuses this read while it parses `data_platform`" in hub_read.message
    assert all(f.severity == "error" for f in private)


def test_a_new_version_without_latest_version_is_explained_with_the_database_reason(
    built_mesh, tmp_path
):
    """Version 2 renames a column and nothing says which version is latest: dbt treats the
    highest as latest, so the hub's own test reads version 2 and the database cannot find the
    old column. The explanation names that column and the missing `latest_version`."""
    path = tmp_path / "v2_latest.yml"
    path.write_text(
        HEAD
        + MODEL
        + "    new_versions:\n"
        + "      - version: 2\n"
        + "        rename_columns: {days_in_care: days_in_our_care}\n"
    )
    result = kit.check(path, out=tmp_path / "mesh")
    assert not result.ok
    missing = [e for e in result.explanations if e.code == "missing_column"]
    assert missing, [e.code for e in result.explanations]
    text = f"{missing[0].title} {missing[0].what_happened} {missing[0].lever}"
    assert "`days_in_care`" in text and "`latest_version`" in text
    assert "assert_days_in_care_never_negative" in text
    assert "Binder Error" in missing[0].dbt_message
