"""The picture of a group's mesh: what changed, what broke, who reads it (Mermaid text, no dbt)."""

from __future__ import annotations

import json
from pathlib import Path

from mesh_workshop.mesh import lineage
from mesh_workshop.mesh.graph import Boundary
from mesh_workshop.mesh.layout import Mesh, MeshProject
from mesh_workshop.mesh.lineage import node_id

HUB, SPOKES = "data_platform", ("people_ops", "rescue_operations", "finance_marketing")


def _mesh(root: Path = Path("/nowhere"), boundaries=()) -> Mesh:
    projects = (MeshProject(HUB, root / HUB, ()),) + tuple(
        MeshProject(name, root / name, (HUB,)) for name in SPOKES
    )
    return Mesh(root, projects, tuple(boundaries))


EDGES = [
    ("data_platform.stg_outcomes", "data_platform.fct_animal_outcomes"),
    ("data_platform.fct_animal_outcomes", "data_platform.dim_outcome_types"),
    ("data_platform.fct_animal_outcomes", "people_ops.int_facility_outcomes_monthly"),
    ("people_ops.int_facility_outcomes_monthly", "people_ops.volunteer_impact"),
    ("data_platform.fct_animal_outcomes", "rescue_operations.fct_intakes"),
    ("data_platform.dim_facilities", "finance_marketing.fct_expenses"),
]


def _classes(diagram: str) -> dict[str, list[str]]:
    return {
        line.split()[-1]: line.split()[1].split(",")
        for line in diagram.splitlines()
        if line.strip().startswith("class ")
    }


def test_changed_models_are_yellow_broken_ones_red_with_their_readers_around_them():
    diagram = lineage.verdict_diagram(
        _mesh(),
        EDGES,
        changed=["data_platform.fct_animal_outcomes"],
        broken=["people_ops.int_facility_outcomes_monthly"],
    )
    assert diagram.startswith("flowchart LR")
    classes = _classes(diagram)
    assert classes["changed"] == ["m_data_platform__fct_animal_outcomes"]
    assert classes["broken"] == ["m_people_ops__int_facility_outcomes_monthly"]
    assert "classDef changed fill:#fff59d" in diagram and "classDef broken fill:#ffcdd2" in diagram
    # Direct readers and upstreams, in their own projects' boxes.
    assert 'subgraph p_rescue_operations["rescue_operations"]' in diagram
    assert 'm_rescue_operations__fct_intakes["fct_intakes"]' in diagram
    assert "m_data_platform__stg_outcomes --> m_data_platform__fct_animal_outcomes" in diagram
    assert (
        "m_people_ops__int_facility_outcomes_monthly --> m_people_ops__volunteer_impact" in diagram
    )
    # Models two steps away from anything that changed or broke are left out.
    assert "fct_expenses" not in diagram and "dim_facilities" not in diagram
    # A project with nothing to show is a plain box; every project dependency is a dashed arrow.
    assert 'p_finance_marketing["finance_marketing"]' in diagram
    assert "subgraph p_finance_marketing" not in diagram
    for spoke in SPOKES:
        assert f"p_data_platform -.-> p_{spoke}" in diagram


def test_a_model_named_without_its_project_is_found_in_the_edges():
    diagram = lineage.verdict_diagram(_mesh(), EDGES, changed=["fct_animal_outcomes"], broken=[])
    assert _classes(diagram)["changed"] == ["m_data_platform__fct_animal_outcomes"]


def test_a_model_that_changed_and_broke_is_shown_as_broken():
    model = "data_platform.fct_animal_outcomes"
    diagram = lineage.verdict_diagram(_mesh(), EDGES, changed=[model], broken=[model])
    assert _classes(diagram) == {"broken": ["m_data_platform__fct_animal_outcomes"]}


def test_a_big_picture_is_cut_to_the_limit_with_the_rest_summarised_per_project():
    edges = [("data_platform.fct_hub", f"people_ops.report_{i:02d}") for i in range(30)]
    edges += [("data_platform.fct_hub", f"data_platform.mart_{i:02d}") for i in range(30)]
    diagram = lineage.verdict_diagram(
        _mesh(), edges, changed=["data_platform.fct_hub"], broken=[], max_models=20
    )
    boxes = [line for line in diagram.splitlines() if line.startswith("    m_")]
    assert len(boxes) == 20
    # Readers in other projects come first, so the hub's own marts are the ones summarised.
    assert sum("m_people_ops__report_" in line for line in boxes) == 19
    assert 'p_data_platform_more["... and 30 more models"]' in diagram
    assert 'p_people_ops_more["... and 11 more models"]' in diagram
    assert _classes(diagram)["more"] == ["p_data_platform_more", "p_people_ops_more"]


def _links(diagram: str) -> list[str]:
    """The arrows of a diagram, in the order Mermaid numbers them for `linkStyle`."""
    return [
        line.strip()
        for line in diagram.splitlines()
        if "-->" in line or "==>" in line or "-.->" in line
    ]


def test_refs_that_would_close_a_circle_are_thick_red_arrows_between_models_and_projects():
    # Rescue operations reads finance's model, and finance reads rescue operations' model; the
    # first of those models does not exist in the built mesh yet (the proposal was refused).
    circle = [
        (
            "finance_marketing.int_expenses_by_facility_month",
            "rescue_operations.shelter_cost_per_stay_day",
        ),
        ("rescue_operations.shelter_performance", "finance_marketing.grant_shelter_scorecard"),
    ]
    diagram = lineage.verdict_diagram(_mesh(), EDGES, changed=[], broken=[], circle=circle)
    links = _links(diagram)
    red = next(line for line in diagram.splitlines() if "linkStyle" in line)
    red_links = [links[int(i)] for i in red.split()[1].split(",")]
    assert "stroke:#c62828" in red
    assert sorted(red_links) == sorted(
        [
            "m_finance_marketing__int_expenses_by_facility_month == reads ==> "
            "m_rescue_operations__shelter_cost_per_stay_day",
            "m_rescue_operations__shelter_performance == reads ==> "
            "m_finance_marketing__grant_shelter_scorecard",
            "p_finance_marketing == reads ==> p_rescue_operations",
            "p_rescue_operations == reads ==> p_finance_marketing",
        ]
    )
    # Every model of the circle is in its project's box, marked; the hub arrows stay dashed.
    assert sorted(_classes(diagram)["circle"]) == sorted(
        node_id(m) for edge in circle for m in edge
    )
    assert 'subgraph p_finance_marketing["finance_marketing"]' in diagram
    assert "p_data_platform -.-> p_people_ops" in diagram


def test_a_circle_through_a_project_the_mesh_does_not_have_yet_draws_that_project():
    circle = [
        ("marketing.campaign_attribution", "finance_marketing.finance_monthly_summary"),
        ("finance_marketing.int_donations_enriched", "marketing.campaign_attribution"),
    ]
    diagram = lineage.verdict_diagram(_mesh(), EDGES, changed=[], broken=[], circle=circle)
    assert 'subgraph p_marketing["marketing"]' in diagram
    assert "p_marketing == reads ==> p_finance_marketing" in diagram
    assert "p_finance_marketing == reads ==> p_marketing" in diagram


def test_with_nothing_changed_or_broken_the_picture_is_the_project_graph():
    boundaries = [
        Boundary("people_ops", "models/a.sql", HUB, "fct_animal_outcomes"),
        Boundary("people_ops", "models/b.sql", HUB, "dim_facilities"),
        Boundary("rescue_operations", "models/c.sql", HUB, "fct_animal_outcomes"),
    ]
    layout = _mesh(boundaries=boundaries)
    diagram = lineage.verdict_diagram(layout, EDGES, changed=[], broken=[])
    assert diagram == lineage.project_diagram(layout)
    assert "p_data_platform -- 2 refs --> p_people_ops" in diagram
    assert "p_data_platform -- 1 ref --> p_rescue_operations" in diagram
    assert "p_data_platform -- 0 refs --> p_finance_marketing" in diagram


def test_edges_come_from_the_manifests_and_from_sql_refs_where_a_project_has_none(tmp_path):
    def model(project, name, parents, version=None):
        uid = f"model.{project}.{name}" + (f".v{version}" if version else "")
        return uid, {
            "resource_type": "model",
            "package_name": project,
            "name": name,
            "depends_on": {"nodes": parents},
        }

    hub_nodes = dict(
        [
            model(HUB, "stg_outcomes", []),
            model(HUB, "fct_animal_outcomes", ["model.data_platform.stg_outcomes"], 2),
        ]
    )
    spoke_nodes = dict(
        [
            model(
                "people_ops",
                "volunteer_impact",
                ["model.data_platform.fct_animal_outcomes.v1", "test.x.y"],
            ),
            # An upstream project's public model, as dbt-loom injects it: not this project's own.
            model(HUB, "fct_animal_outcomes", [], 1),
        ]
    )
    for project, nodes in ((HUB, hub_nodes), ("people_ops", spoke_nodes)):
        target = tmp_path / "build" / project / "target"
        target.mkdir(parents=True)
        (target / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    layout = _mesh(
        tmp_path / "mesh",
        [
            Boundary(
                "rescue_operations", "models/marts/fct_intakes.sql", HUB, "fct_animal_outcomes"
            ),
            Boundary("rescue_operations", "models/_models.yml", HUB, "dim_facilities"),
        ],
    )
    assert lineage.mesh_edges(layout, tmp_path / "build") == [
        ("data_platform.fct_animal_outcomes", "people_ops.volunteer_impact"),
        ("data_platform.fct_animal_outcomes", "rescue_operations.fct_intakes"),
        ("data_platform.stg_outcomes", "data_platform.fct_animal_outcomes"),
    ]
    picture = lineage.mesh_picture(
        layout, tmp_path / "build", changed=["data_platform.fct_animal_outcomes"]
    )
    assert "m_data_platform__fct_animal_outcomes --> m_people_ops__volunteer_impact" in picture
    assert lineage.mesh_picture(layout, tmp_path / "build") == lineage.project_diagram(layout)
