"""Secret missions checked against a council's real, built mesh: the plan as the architect left
it, and a final graph with a split and a merge built with real dbt."""

from __future__ import annotations

from pathlib import Path

import pytest

from mesh_workshop.api import kit
from mesh_workshop.council import game
from mesh_workshop.council.missions import (
    CHECK_KINDS,
    MESH_CHECKS,
    MeshFacts,
    PolicyOutcome,
    check,
    mesh_facts,
)
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.paths import Workspace

FINAL_GRAPH = Path(__file__).with_name("council_final_graph.yml")


@pytest.fixture(scope="module")
def plan_facts(built_mesh):
    layout = read_mesh(Workspace.current().committed_mesh)
    return mesh_facts(layout, Workspace.current().mesh_build(layout.root))


@pytest.fixture(scope="module")
def final_graph(built_mesh, tmp_path_factory):
    """Marketing splits off with its campaign spend source; people ops folds back into the hub."""
    out = tmp_path_factory.mktemp("council") / "mesh"
    with DbtWorkerPool() as pool:
        result = kit.check(FINAL_GRAPH, out=out, runner=pool.run)
    layout = read_mesh(result.sandbox)
    return result, mesh_facts(layout, Workspace.current().mesh_build(layout.root))


def _met(facts) -> dict[str, bool]:
    return {kind: check(kind, facts).met for kind in MESH_CHECKS}


def test_the_architects_plan_keeps_hub_and_spoke_and_meets_no_team_secret(plan_facts):
    assert _met(plan_facts) == {
        "finance_and_marketing_split": False,
        "marketing_sources_in_spoke": False,
        "people_ops_in_hub": False,
        "rescue_reads_any_project": False,
        "hub_and_spoke_kept": True,
        "public_models_documented_and_owned": check(
            "public_models_documented_and_owned", plan_facts
        ).met,
    }
    assert (
        "share one project, `finance_marketing`"
        in check("finance_and_marketing_split", plan_facts).detail
    )
    assert check("people_ops_in_hub", plan_facts).detail == (
        "The `people_ops` project is still there."
    )


def test_a_final_graph_with_a_split_and_a_merge_is_judged_on_what_dbt_built(final_graph):
    result, facts = final_graph
    assert result.build.ok, result.summary()
    assert set(facts.projects) == {
        "data_platform",
        "rescue_operations",
        "finance_marketing",
        "marketing",
    }
    met = _met(facts)
    assert met["finance_and_marketing_split"], check("finance_and_marketing_split", facts).detail
    assert met["people_ops_in_hub"], check("people_ops_in_hub", facts).detail
    assert not met["hub_and_spoke_kept"]
    assert "added `marketing` and removed `people_ops`" in check("hub_and_spoke_kept", facts).detail
    # One marketing source moved; four stay in the hub, where the hub's own models read them.
    sources = check("marketing_sources_in_spoke", facts)
    assert not sources.met and "4 of the 5 marketing source models" in sources.detail
    # The new public model has no group with an owner: the catalogue mission names it.
    assert "marketing.int_campaign_spend_monthly" in facts.public


def test_the_vote_mission_needs_every_policy_voted_and_passed():
    kind = "policies_passed_by_majority"
    assert not check(kind, None, []).met
    passed = [PolicyOutcome("p1", True), PolicyOutcome("p2", True)]
    assert check(kind, None, passed).met
    assert "p3" in check(kind, None, [*passed, PolicyOutcome("p3", None)]).detail
    rejected = check(kind, None, [*passed, PolicyOutcome("p3", False)])
    assert not rejected.met and "rejected `p3`" in rejected.detail


def test_without_a_built_mesh_every_mesh_mission_is_not_met_and_says_why():
    for kind in MESH_CHECKS:
        result = check(kind, None)
        assert not result.met and "no built mesh" in result.detail
    assert CHECK_KINDS == {*MESH_CHECKS, "policies_passed_by_majority"}
    # The game's data may use exactly the kinds the kit can check.
    assert set(game.CHECK_KINDS) == CHECK_KINDS
    with pytest.raises(ValueError):
        check("made_up", None)


def _facts(reads, homes) -> MeshFacts:
    domains = {"shelter_performance": "rescue_operations", "fct_intakes": "rescue_operations"}
    domains |= {"fct_donations": "finance", "dim_campaigns": "marketing"}
    return MeshFacts(
        projects=("data_platform", "rescue_operations", "finance_marketing"),
        hub="data_platform",
        homes=homes,
        domains=domains,
        reads=frozenset(reads),
        public={},
    )


def test_rescue_operations_may_read_any_project_while_keeping_its_own_models():
    homes = {
        "shelter_performance": "rescue_operations",
        "fct_intakes": "rescue_operations",
        "fct_donations": "finance_marketing",
        "dim_campaigns": "finance_marketing",
    }
    hub_only = _facts({("rescue_operations", "data_platform")}, homes)
    assert not check("rescue_reads_any_project", hub_only).met
    reads_finance = _facts(
        {("rescue_operations", "data_platform"), ("rescue_operations", "finance_marketing")}, homes
    )
    found = check("rescue_reads_any_project", reads_finance)
    assert found.met and "`finance_marketing`" in found.detail
    given_away = _facts(
        {("rescue_operations", "finance_marketing")}, homes | {"fct_intakes": "finance_marketing"}
    )
    found = check("rescue_reads_any_project", given_away)
    assert not found.met and "`fct_intakes`" in found.detail
