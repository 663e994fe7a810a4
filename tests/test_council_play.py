"""A whole council played through the library: ten seats, policies, the emergency on the real
mesh, a final graph with a split and a merge built with real dbt, the vote, every mission judged.
A second council plays at the same time in the same workshop folder."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import yaml

from mesh_workshop.council import load_game
from mesh_workshop.council.play import build_final_mesh, council_proposal, judge, last_final
from mesh_workshop.council.presentation import wall_html, write_presentation
from mesh_workshop.council.state import (
    advance,
    close_vote,
    council_state,
    declare_mission,
    open_council,
    open_vote,
    propose,
    take_seat,
    vote,
)
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.paths import WORKSHOP_ENV, Workspace
from mesh_workshop.workshop.session import GroupSession

FINAL_GRAPH = yaml.safe_load(Path(__file__).with_name("council_final_graph.yml").read_text())
SPLIT = {"new_projects": FINAL_GRAPH["new_projects"], "models": FINAL_GRAPH["models"]}
MERGE = {"merges": FINAL_GRAPH["merges"]}
HOSTILE = "<script>alert('x')</script> Shelter staff keep their forms & {{ secrets }}"


def _to(table: str, phase: str, code: str) -> None:
    while council_state(table).phase != phase:
        advance(table, 9, code)


@pytest.fixture(scope="module")
def council(built_mesh, tmp_path_factory):
    """Table 1 plays the whole game; Table 2 plays beside it in the same workshop folder."""
    workshop = tmp_path_factory.mktemp("council-workshop")
    patch = pytest.MonkeyPatch()
    patch.setenv(WORKSHOP_ENV, str(workshop))
    game = load_game()
    codes = {table: open_council(table) for table in ("Table 1", "Table 2")}
    for table, seats in codes.items():
        for seat, code in seats.items():
            take_seat(table, seat, code, f"{table} player {seat}")
    one = codes["Table 1"]

    # Session 1: the council's own process.
    _to("Table 1", "session_1", one[9])
    propose("Table 1", 9, one[9], "A policy passes with a majority of the council.", "process")
    propose("Table 1", 7, one[7], HOSTILE, "process")
    propose("Table 2", 1, codes["Table 2"][1], "Every project follows the hub's tests.", "process")

    # The emergency, on the council's own copy of the mesh: version the change.
    _to("Table 1", "emergency", one[9])
    emergency = GroupSession("council_emergency", "Council Table 1")
    emergency.choices.update(emergency.scenario.solutions[0].choices)
    emergency.summary = "Finance opts in to version 2; everyone else keeps version 1."
    with DbtWorkerPool() as pool:
        emergency.pool = pool
        emergency_verdict = emergency.apply_and_check()

        # Session 2: the final project graph, a split and a merge.
        _to("Table 1", "session_2", one[9])
        propose("Table 1", 4, one[4], "Marketing runs its own project.", "technical", SPLIT)
        propose("Table 1", 5, one[5], "People ops folds back into the hub.", "technical", MERGE)

        # Session 3: the vote. Eight of ten say yes to each policy; seats 1 and 2 say no.
        _to("Table 1", "session_3", one[9])
        open_vote("Table 1", 9, one[9])
        for policy in council_state("Table 1").active_policies:
            for seat, code in one.items():
                vote("Table 1", seat, code, policy.id, "no" if seat in (1, 2) else "yes")
        close_vote("Table 1", 9, one[9])
        declare_mission("Table 1", 9, one[9], "more_data_engineers", False, "No hiring passed.")

        final = build_final_mesh("Table 1", pool=pool)
    yield {
        "game": game,
        "emergency": emergency_verdict,
        "final": final,
        "result": judge(game, "Table 1", final),
        "workshop": workshop,
    }
    patch.undo()


def test_the_emergency_plays_on_the_councils_own_copy_of_the_mesh(council):
    verdict = council["emergency"]
    assert verdict.ok, verdict.summary()
    assert verdict.group == "Council Table 1"


def test_the_passed_technical_policies_make_one_proposal(council):
    data, ids = council_proposal(council["result"].state, only_passed=True)
    assert ids == ("p3", "p4")
    assert data["new_projects"][0]["name"] == "marketing"
    assert data["merges"] == [{"project": "people_ops", "into": "data_platform"}]


def test_the_final_graph_with_a_split_and_a_merge_builds_with_real_dbt(council):
    final = council["final"]
    assert final.error is None and final.builds, final.check.summary() if final.check else final
    assert set(final.facts.projects) == {
        "data_platform",
        "rescue_operations",
        "finance_marketing",
        "marketing",
    }
    sandbox = Workspace.current().sandbox("council Table 1", "mesh_council")
    assert (sandbox / "marketing" / "dbt_project.yml").is_file()
    assert not (sandbox / "people_ops").exists()


def test_every_screen_reads_what_the_last_final_mesh_build_said(council):
    saved = last_final("Table 1")
    assert saved is not None and saved.builds and saved.policies == ("p3", "p4")
    assert saved.green == council["final"].green
    assert last_final("Table 2") is None
    # Another screen, without the build in memory, judges the mesh missions the same way.
    elsewhere = {m.mission.id: m.met for m in judge(council["game"], "Table 1", None).missions}
    assert elsewhere == {m.mission.id: m.met for m in council["result"].missions}


def test_every_mission_is_judged_checked_declared_or_waiting(council):
    game, result = council["game"], council["result"]
    by_id = {m.mission.id: m for m in result.missions}
    assert len(by_id) == len(game.missions()) == 15
    assert by_id["finance_and_marketing_apart"].met is True
    assert by_id["finance_and_marketing_apart"].seats == (3, 4)
    assert by_id["people_ops_back_in_the_hub"].met is True
    assert by_id["stick_to_the_plan"].met is False
    assert by_id["policies_voted_through"].met is True
    assert (
        by_id["more_data_engineers"].how == "declared" and by_id["more_data_engineers"].met is False
    )
    waiting = [m for m in result.missions if m.how == "waiting"]
    assert waiting and all(m.met is None and not m.mission.check for m in waiting)
    assert result.policies_passed
    assert result.collective_win == council["final"].green


def test_a_second_council_in_the_same_folder_keeps_its_own_state(council):
    two = council_state("Table 2")
    assert [p.text for p in two.policies] == ["Every project follows the hub's tests."]
    assert two.phase == "setup" and two.vote_status == "not_open"
    assert council_state("Table 1").vote_status == "closed"


def test_the_presentation_page_shows_policies_tally_mesh_and_reveal(council):
    files = write_presentation(council["game"], council["result"], pdf=False)
    page = files.html.read_text()
    assert "<script" not in page and "&lt;script&gt;" in page and "{{ secrets }}" in page
    assert "Marketing runs its own project." in page and "<svg" in page
    assert "Every project builds and every test passes" in page
    for mission in council["game"].missions():
        assert html.escape(mission.says) in page
    wall = wall_html(council["game"], [council["result"], judge(council["game"], "Table 2", None)])
    assert "Table 1" in wall and "Table 2" in wall and "not built yet" in wall


@pytest.mark.browser
def test_the_presentation_prints_to_pdf(council):
    from pypdf import PdfReader

    files = write_presentation(council["game"], council["result"])
    text = " ".join(p.extract_text() for p in PdfReader(files.pdf).pages)
    assert "Marketing runs its own project." in " ".join(text.split())
    assert "Secret missions" in text


def test_a_hand_edited_final_mesh_file_reads_as_none(tmp_path, monkeypatch):
    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path))
    folder = Workspace.current().council("Table 9")
    folder.mkdir(parents=True)
    saved = {"builds": True, "green": True, "policies": [], "checked_at": "now"}
    for facts in ({"projects": "oops"}, {"projects": [], "hub": "h", "homes": {"a": 1}}):
        (folder / "final_mesh.json").write_text(json.dumps({**saved, "facts": facts}))
        assert last_final("Table 9") is None
    (folder / "final_mesh.json").write_text("{not json")
    assert last_final("Table 9") is None
