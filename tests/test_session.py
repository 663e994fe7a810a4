"""Group sessions: saved work comes first and survives anything; one check at a time."""

from __future__ import annotations

import time

import pytest
import yaml

from conftest import holding_lock
from mesh_workshop.api import kit
from mesh_workshop.paths import group_slug
from mesh_workshop.workshop.folders import (
    DECISIONS_FILE,
    PROPOSAL_FILE,
    RESULT_FILE,
    GroupNameTaken,
    save_group,
)
from mesh_workshop.workshop.saved import SavedResult
from mesh_workshop.workshop.session import ChoicesRefused, GroupSession, SessionBusy


@pytest.fixture
def workshop(tmp_path, monkeypatch):
    folder = tmp_path / "shared workshop"
    monkeypatch.setenv("RAINBOW_ROAD_WORKSHOP_DIR", str(folder))
    return folder


def test_decisions_and_notes_are_saved_and_loaded_back(workshop, workspace):
    session = GroupSession("breaking_change", "Table 4 (Sam, Ana)")
    assert session.folder == workshop / "table_4_sam_ana" / "breaking_change"
    session.choices["ship"] = "version_opt_in"
    session.notes["marketing_engineer"] = "We need the category by the 1st."
    session.summary = "Version it."
    session.save()
    proposal = yaml.safe_load((session.folder / PROPOSAL_FILE).read_text())
    assert proposal["pins"][0]["consumer"] == "finance_marketing"
    assert proposal["summary"] == "Version it."

    again = GroupSession("breaking_change", "Table 4 (Sam, Ana)")
    assert again.choices["ship"] == "version_opt_in"
    assert again.notes["marketing_engineer"] == "We need the category by the 1st."
    assert again.summary == "Version it."
    other = GroupSession("breaking_change", "Table 5")
    assert other.choices == other.scenario.default_choices(), "groups never share saved work"


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("Table 4 (Sam, Ana)", "table_4_sam_ana"),
        ("Équipe Été", "équipe_été"),
        ("猫の会", "猫の会"),
        ("🐶🐱", "dog_face_cat_face"),
        ("🐱", "cat_face"),
        ("👩‍💻 coders", "woman_personal_computer_coders"),
        ("!!!", "group"),
    ],
)
def test_group_names_of_any_script_become_readable_folder_names(name, folder):
    assert group_slug(name) == folder


@pytest.mark.parametrize(
    "hostile", ["../..", "/etc/passwd", "a/../../b", ".hidden", "x\x00y", "..\\..", "a" * 500]
)
def test_no_group_name_leaves_the_workshop_folder(hostile, workshop, workspace):
    slug = group_slug(hostile)
    assert slug and len(slug) <= 60 and "/" not in slug and "\\" not in slug
    assert not slug.startswith(".") and "\x00" not in slug
    session = GroupSession("breaking_change", hostile)
    assert session.folder.parent.parent == workshop


def test_a_name_that_would_share_another_groups_folder_is_refused(workshop, workspace):
    GroupSession("breaking_change", "The Beagles").save()
    before = sorted(p.relative_to(workshop) for p in workshop.rglob("*"))

    # The same name typed with other capitals or spaces is the same group.
    assert GroupSession("growing_mesh", "the  beagles").folder.parent == workshop / "the_beagles"
    with pytest.raises(GroupNameTaken) as refused:
        GroupSession("growing_mesh", "the beagles!!!")
    assert "The Beagles" in refused.value.message and "the_beagles" in refused.value.message
    assert "type exactly that name" in refused.value.hint
    with pytest.raises(GroupNameTaken):
        save_group("THE BEAGLES?")
    assert sorted(p.relative_to(workshop) for p in workshop.rglob("*")) == before


def test_a_group_cannot_take_the_councils_folder(workshop, workspace):
    with pytest.raises(GroupNameTaken) as taken:
        GroupSession("breaking_change", "Councils!")
    assert "Mesh Council" in taken.value.message
    assert not (workshop / "councils").exists()


def test_saved_choices_that_no_longer_exist_fall_back_to_the_defaults(workshop, workspace):
    session = GroupSession("breaking_change", "Table 6")
    session.save()
    path = session.folder / DECISIONS_FILE
    record = yaml.safe_load(path.read_text())
    record["choices"] = {"ship": "sideways", "contract": "enforced", "gone": "x"}
    path.write_text(yaml.safe_dump(record))
    loaded = GroupSession("breaking_change", "Table 6")
    assert loaded.choices["ship"] == "in_place"
    assert loaded.choices["contract"] == "enforced"
    assert "gone" not in loaded.choices


def test_a_refused_choice_keeps_the_decisions_and_explains_itself(workshop, workspace, built_mesh):
    """Choices that cannot go together are refused before anything is applied or built; the
    decisions are saved, and the last verdict is not replaced."""
    session = GroupSession("breaking_change", "Table 7")
    session.choices["sunset"] = "end_of_june"  # needs a versioned way to ship
    session.notes["platform_engineer"] = "Six months is fair."
    with pytest.raises(ChoicesRefused) as refused:
        session.apply_and_check()
    assert "only works together with" in refused.value.message
    saved = yaml.safe_load((session.folder / DECISIONS_FILE).read_text())
    assert saved["choices"]["sunset"] == "end_of_june"
    assert saved["notes"]["platform_engineer"] == "Six months is fair."
    assert not (session.folder / RESULT_FILE).exists(), "a refusal is not a verdict"
    assert not session.sandbox.exists(), "nothing was applied"
    assert not session.busy


def test_a_circle_of_projects_is_saved_with_its_refs_and_drawn_in_red(
    workshop, workspace, built_mesh
):
    """Scenario 2's wrong answer: the two spokes would read each other. The verdict keeps the
    refs that close the circle, the saved result too, and the picture draws them."""
    session = GroupSession("access_and_lineage", "Table 9")
    session.choices.update(session.scenario.wrong_answer.choices)
    session.summary = "Each team publishes."
    verdict = session.apply_and_check()
    assert not verdict.ok and "circle" in (verdict.error or "")
    assert set(verdict.circle) == {
        (
            "finance_marketing.int_expenses_by_facility_month",
            "rescue_operations.shelter_cost_per_stay_day",
        ),
        ("rescue_operations.shelter_performance", "finance_marketing.grant_shelter_scorecard"),
    }
    last = session.last_result()
    assert set(last.circle) == set(verdict.circle)
    picture = kit.mesh_picture(session.mesh_layout().root, last.changed_models, (), last.circle)
    assert "p_rescue_operations == reads ==> p_finance_marketing" in picture
    assert "p_finance_marketing == reads ==> p_rescue_operations" in picture
    assert "linkStyle" in picture


def test_a_second_press_while_checking_is_refused_at_once(workshop, workspace, built_mesh):
    session = GroupSession("breaking_change", "Table 8")
    session.choices["sunset"] = "end_of_june"  # refused before dbt runs: a quick check
    refused = []

    def press_again(progress):
        if progress.stage == "saving":
            with pytest.raises(SessionBusy) as busy:
                GroupSession("breaking_change", "Table 8").apply_and_check()
            refused.append(busy.value.message)

    with pytest.raises(ChoicesRefused):
        session.apply_and_check(press_again)
    assert refused and "already checking" in refused[0]
    assert not session.busy


def test_another_process_checking_the_same_group_blocks_this_one(workshop, workspace, built_mesh):
    session = GroupSession("breaking_change", "Table 9")
    lock = session.sandbox.parent / ".check.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with holding_lock(lock), pytest.raises(SessionBusy, match="Another notebook"):
        session.apply_and_check()
    deadline = time.monotonic() + 10
    while session.busy and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session.busy


def test_reset_removes_the_sandbox_and_keeps_the_saved_work(workshop, workspace, built_mesh):
    session = GroupSession("breaking_change", "Table 10")
    session.choices["ship"] = "revert"
    session.save()

    kit.apply(session.folder / PROPOSAL_FILE, session.sandbox)
    (kit.workspace.mesh_build(session.sandbox) / "marker").parent.mkdir(parents=True, exist_ok=True)
    assert session.sandbox.is_dir()
    session.reset()
    assert not session.sandbox.exists()
    assert not kit.workspace.mesh_build(session.sandbox).exists()
    assert (
        yaml.safe_load((session.folder / DECISIONS_FILE).read_text())["choices"]["ship"] == "revert"
    )


def test_a_saved_result_draws_only_model_names_whatever_the_file_says():
    """Saved results are read from a shared folder: only model names reach the picture."""
    saved = SavedResult.model_validate(
        {
            "changed_models": ["data_platform.fct_animal_outcomes", 'x"] --> click evil', 7],
            "broken_models": "people_ops.volunteer_impact",
            "circle": [["a.b", "c.d"], ["a.b", 'c"]; style'], ["a.b"], "a.b c.d", [1, 2]],
        }
    )
    assert saved.changed_models == ("data_platform.fct_animal_outcomes",)
    assert saved.broken_models == ()
    assert saved.circle == (("a.b", "c.d"),)
