"""The monolith has the domains, the deliberate tangles and the documentation the workshop relies on."""

from __future__ import annotations

import re

import pytest

DOMAINS = ("core", "rescue_operations", "people_ops", "finance", "marketing")

# (reader domain, reader model, upstream model it must read directly): the tangles each scenario uses.
PROMISED_TANGLES = [
    ("finance", "grant_outcome_report", "int_intakes_enriched"),
    ("finance", "grant_outcome_report", "int_transports_routed"),
    ("finance", "grant_outcome_report", "fct_animal_outcomes"),
    ("finance", "cost_per_animal", "int_medical_costs_by_animal"),
    ("marketing", "campaign_attribution", "int_adoptions_enriched"),
    ("marketing", "campaign_attribution", "int_donations_enriched"),
    ("people_ops", "volunteer_impact", "fct_animal_outcomes"),
    ("rescue_operations", "adoption_centre_kpis", "int_volunteer_hours_monthly"),
    ("rescue_operations", "adoption_centre_kpis", "int_donations_enriched"),
]


def test_every_domain_has_intermediate_and_mart_models(graph):
    for domain in DOMAINS:
        layers = {m.layer for m in graph.models.values() if m.domain == domain}
        assert "marts" in layers, f"{domain} has no marts"
    for domain in DOMAINS[1:]:
        layers = {m.layer for m in graph.models.values() if m.domain == domain}
        assert "intermediate" in layers, f"{domain} has no intermediate models"
    assert sum(1 for m in graph.models.values() if m.layer == "staging") >= 20


@pytest.mark.parametrize(("domain", "reader", "upstream"), PROMISED_TANGLES)
def test_the_promised_cross_domain_tangles_exist(graph, domain, reader, upstream):
    model = graph.by_name(reader)
    assert model.domain == domain
    assert graph.by_name(upstream).unique_id in model.parents


def test_some_marts_read_other_domains_intermediate_models(graph):
    tangled = [
        (parent.name, child.name)
        for parent, child in graph.cross_domain_edges()
        if parent.layer == "intermediate" and child.layer == "marts"
    ]
    assert len(tangled) >= 5, tangled


def test_outcome_categories_come_from_one_case_read_by_finance_and_people_ops(graph):
    outcomes = graph.by_name("fct_animal_outcomes")
    assert outcomes.domain == "core"
    assert len(re.findall(r"\bcase\b", outcomes.raw_code, re.IGNORECASE)) == 1
    for category in ("live_release", "non_live", "other"):
        assert f"'{category}'" in outcomes.raw_code
    reader_domains = {m.domain for m in graph.children("fct_animal_outcomes")}
    assert {"finance", "people_ops"} <= reader_domains


def test_every_model_and_column_is_documented_with_its_grain(graph, built_monolith):
    from mesh_workshop.monolith import project as monolith

    manifest = _manifest(monolith.monolith_run().manifest_path)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        description = node["description"]
        assert re.search(r"\bone row (per|in total)\b", description, re.IGNORECASE), (
            f"{node['name']}: the description does not state the grain"
        )
        with_docs = {c for c, col in node["columns"].items() if col.get("description")}
        built = _built_columns(node["name"])
        missing = built - with_docs
        assert not missing, f"{node['name']}: undocumented columns {sorted(missing)}"


def test_every_team_has_exposures_with_owners(repo_root, built_monolith):
    from mesh_workshop.monolith import project as monolith

    manifest = _manifest(monolith.monolith_run().manifest_path)
    exposures = list(manifest["exposures"].values())
    domains = {e["fqn"][2] if len(e["fqn"]) > 3 else e["fqn"][1] for e in exposures}
    assert set(DOMAINS) <= domains | {"core"}, domains
    assert all(e["owner"].get("email") for e in exposures)


def _manifest(path):
    import json

    return json.loads(path.read_text())


_COLUMNS: dict[str, set[str]] = {}


def _built_columns(model: str) -> set[str]:
    from mesh_workshop.dbt.warehouse import connect
    from mesh_workshop.monolith import project as monolith

    if not _COLUMNS:
        with connect(monolith.monolith_run().warehouse) as con:
            for table, column in con.execute(
                "select table_name, column_name from information_schema.columns"
            ).fetchall():
                _COLUMNS.setdefault(table, set()).add(column)
    return _COLUMNS[model]
