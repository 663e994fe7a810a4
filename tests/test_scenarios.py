"""Scenarios: every reference solution passes and every tempting wrong answer fails, for the
reason the scenario gives, with real dbt builds of each group's sandbox."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from mesh_workshop.api import kit
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.proposal.logic import load_logic_changes
from mesh_workshop.proposal.validate import validate
from mesh_workshop.scenario.model import (
    ScenarioError,
    list_scenarios,
    load_scenario,
    merge_fragment,
)
from mesh_workshop.workshop.session import GroupSession

SCENARIOS = ["breaking_change", "access_and_lineage", "growing_mesh", "council_emergency"]


@pytest.fixture(scope="module")
def pool():
    with DbtWorkerPool() as workers:
        yield workers


@pytest.fixture(scope="module")
def verdicts(built_mesh, workspace, tmp_path_factory, pool):
    """Tables play the scenarios as groups at a workshop would: each tries answers one after
    another in its own sandbox. Two tables play at the same time on one machine; the first two
    play the same scenario at the same moment, which must not mix up their verdicts."""
    workshop = tmp_path_factory.mktemp("workshop")
    tables = []
    for scenario in map(load_scenario, SCENARIOS):
        answers = [scenario.wrong_answer, *scenario.solutions]
        if scenario.id == "breaking_change":
            tables += [
                (scenario, "Test table 1a", answers[:2]),
                (scenario, "Test table 1b", answers[2:]),
            ]
        else:
            tables.append((scenario, f"Test table {scenario.number}", answers))

    def play(table) -> dict:
        scenario, group, answers = table
        session = GroupSession(scenario, group, workshop, pool)
        tried = {}
        for answer in answers:
            session.choices = dict(answer.choices)
            tried[answer.id] = session.apply_and_check()
        return tried

    played = {s: {} for s in SCENARIOS}
    with ThreadPoolExecutor(max_workers=2) as threads:
        for (scenario, _, _), tried in zip(tables, threads.map(play, tables), strict=True):
            played[scenario.id].update(tried)
    return played


def test_the_kit_has_the_three_working_session_scenarios_and_the_emergency():
    scenarios = list_scenarios()
    assert [s.id for s in scenarios] == SCENARIOS
    assert [s.format for s in scenarios].count("council") == 1
    emergency = load_scenario("council_emergency")
    # Every one of the council's five teams takes part in its emergency.
    assert len(emergency.roles) == 5
    assert len({role.team for role in emergency.roles}) == 5
    for scenario in scenarios:
        assert 3 <= len(scenario.roles) <= 5
        assert len(scenario.solutions) >= 2
        assert len({tuple(sorted(map(str, s.choices.items()))) for s in scenario.solutions}) == len(
            scenario.solutions
        ), "reference solutions must differ"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_answer_is_a_valid_proposal_for_the_baseline(scenario_id, built_mesh):
    scenario = load_scenario(scenario_id)
    base = kit.baseline()
    for answer in [scenario.wrong_answer, *scenario.solutions]:
        proposal = scenario.proposal(answer.choices, "Validation table")
        validate(proposal, base, load_logic_changes(), f"{scenario_id}:{answer.id}")
    scenario.proposal(scenario.default_choices(), "Validation table")


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_reference_solutions_pass_every_criterion(verdicts, scenario_id):
    scenario = load_scenario(scenario_id)
    for solution in scenario.solutions:
        verdict = verdicts[scenario_id][solution.id]
        failed = [c for c in verdict.criteria if not c.passed and not c.consequence]
        assert verdict.ok and not failed, (solution.id, failed, verdict.error)
        assert verdict.check is not None and verdict.check.ok


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_tempting_wrong_answer_fails_for_its_teachable_reason(verdicts, scenario_id):
    scenario = load_scenario(scenario_id)
    wrong = scenario.wrong_answer
    verdict = verdicts[scenario_id][wrong.id]
    assert not verdict.ok
    failed = {c.id for c in verdict.criteria if not c.passed}
    assert failed == set(wrong.failing_criteria)
    codes = {e.code for e in verdict.explanations}
    assert set(wrong.explanation_codes) <= codes, codes


def test_verdicts_name_what_broke_and_what_changed(verdicts):
    wrong = verdicts["breaking_change"]["contract_will_save_us"]
    assert "data_platform.fct_animal_outcomes" in wrong.changed_models
    assert set(wrong.broken_projects) == {"people_ops", "rescue_operations"}
    assert "people_ops.int_facility_outcomes_monthly" in wrong.broken_models
    circle = verdicts["access_and_lineage"]["everyone_publishes"]
    assert circle.check is None and "read each other in a circle" in circle.error
    assert "grant_shelter_scorecard" in circle.error and "shelter_cost_per_stay_day" in circle.error
    moved = verdicts["growing_mesh"]["split_with_shared_models_in_the_hub"]
    assert "marketing.campaign_donation_roi" in moved.changed_models
    assert "data_platform.fct_donations" in moved.changed_models
    summary = wrong.summary()
    assert "Not solved yet" in summary and "A data test found rows" in summary


def test_a_choice_that_needs_another_is_refused_by_name():
    scenario = load_scenario("breaking_change")
    choices = {**scenario.default_choices(), "sunset": "end_of_june"}
    with pytest.raises(ScenarioError) as refused:
        scenario.proposal_dict(choices, "Table 9")
    assert "Deprecate version 1 on 30 June 2027" in refused.value.message
    assert "How does the new outcome category ship?" in refused.value.message
    with pytest.raises(ScenarioError, match="no lever `colour`"):
        scenario.proposal_dict({**scenario.default_choices(), "colour": "red"}, "Table 9")
    with pytest.raises(ScenarioError, match="`sideways` is not an option"):
        scenario.proposal_dict({**scenario.default_choices(), "ship": "sideways"}, "Table 9")


def test_fragments_merge_by_name_and_null_removes_a_key():
    proposal = {"models": [{"model": "a.m", "access": "public", "logic_change": "x"}]}
    merge_fragment(proposal, {"models": [{"model": "a.m", "logic_change": None, "group": "g"}]})
    merge_fragment(proposal, {"pins": [{"consumer": "b", "model": "a.m", "version": 1}]})
    merge_fragment(proposal, {"pins": [{"consumer": "b", "model": "a.m", "version": 1}]})
    assert proposal == {
        "models": [{"model": "a.m", "access": "public", "group": "g"}],
        "pins": [{"consumer": "b", "model": "a.m", "version": 1}],
    }


def test_a_broken_scenario_file_is_named_with_its_key(tmp_path, monkeypatch, repo_root):
    import mesh_workshop.scenario.model as scenario_module

    text = (repo_root / "scenarios" / "breaking_change.yml").read_text()
    data = yaml.safe_load(text)
    data["solutions"][0]["choices"]["ship"] = "sideways"
    (tmp_path / "breaking_change.yml").write_text(yaml.safe_dump(data))
    monkeypatch.setattr(scenario_module, "scenarios_dir", lambda: tmp_path)
    with pytest.raises(ScenarioError) as refused:
        scenario_module.load_scenario("breaking_change")
    assert "breaking_change.yml" in refused.value.message
    assert "`sideways` is not an option" in refused.value.message


def test_the_councils_revert_is_a_fair_answer_whose_consequence_is_shown(verdicts):
    """A revert solves the emergency; what it costs finance is shown, not counted against it."""
    revert = verdicts["council_emergency"]["revert_with_a_rule"]
    assert revert.ok, revert.summary()
    weighed = {c.id: c.passed for c in revert.criteria if c.consequence}
    assert weighed == {"finance_gets_transfers": False, "notice_given": False}
    summary = revert.summary()
    assert "### Solved: all 4 success criteria are met" in summary
    assert "What your decision means" in summary
    assert "✗ no: Finance's grant report gets transfers as their own category by Friday." in summary
    # Versioning gives finance its report as well.
    opt_in = verdicts["council_emergency"]["finance_opts_in"]
    assert {c.id: c.passed for c in opt_in.criteria}["finance_gets_transfers"]
