"""The facilitator's debrief, read from real saved answers and real checks.

Two groups press "Apply & check" (real dbt builds of their own sandboxes, sharing one pool of
workers); the others only save, which is all the grouping and ordering logic needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.paths import WORKSHOP_ENV
from mesh_workshop.scenario.model import load_scenario
from mesh_workshop.widgets import DebriefApp
from mesh_workshop.widgets.common import markdown_text
from mesh_workshop.workshop import debrief
from mesh_workshop.workshop.demo import DEMO_GROUPS
from mesh_workshop.workshop.folders import DECISIONS_FILE, RESULT_FILE
from mesh_workshop.workshop.session import GroupSession

SCENARIO = load_scenario("breaking_change")
SOLUTION = next(s for s in SCENARIO.solutions if s.id == "opt_in_version")
OTHER_SOLUTION = next(s for s in SCENARIO.solutions if s.id == "opt_out_version")
WRONG = SCENARIO.wrong_answer
REVERT = {**SCENARIO.default_choices(), "ship": "revert"}


def _save(
    group: str, choices: dict, summary: str = "", workshop: Path | None = None
) -> GroupSession:
    session = GroupSession(SCENARIO, group, workshop=workshop)
    session.choices, session.summary = dict(choices), summary
    session.save()
    return session


@pytest.fixture(scope="module")
def room(workspace, tmp_path_factory):
    """A workshop folder where five groups saved an answer and two of them checked it."""
    folder = tmp_path_factory.mktemp("room")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSHOP_ENV, str(folder))
        with DbtWorkerPool() as pool:
            for group, answer in [("Debrief table 1", SOLUTION), ("Debrief table 2", WRONG)]:
                session = GroupSession(SCENARIO, group, pool=pool)
                session.choices = dict(answer.choices)
                session.notes["platform_engineer"] = f"We went for: {answer.title}"
                verdict = session.apply_and_check()
                assert verdict.ok is (answer is SOLUTION), verdict.summary()
        _save("Debrief table 3", SOLUTION.choices, "Same as the version plan.")
        _save("Debrief table 4", REVERT, "Revert | and wait.")
        _save("Debrief table 5", OTHER_SOLUTION.choices)
        yield folder


@pytest.fixture
def debriefed(room, monkeypatch):
    monkeypatch.setenv(WORKSHOP_ENV, str(room))
    return debrief.collect("breaking_change")


def test_answers_are_read_from_the_shared_workshop_folder(debriefed, room):
    assert debriefed.workshop == room
    assert sorted(a.group for a in debriefed.answers) == [f"Debrief table {n}" for n in range(1, 6)]
    assert debriefed.problems == ()


def test_a_checked_answer_carries_its_verdict(debriefed):
    solved = next(a for a in debriefed.answers if a.group == "Debrief table 1")
    assert solved.checked and solved.ok and not solved.stale
    assert solved.criteria_met == solved.criteria_total == len(SCENARIO.success)
    assert solved.unmet == ()
    assert solved.notes == {"Platform engineer": f"We went for: {SOLUTION.title}"}
    assert solved.labels["ship"] == SCENARIO.lever("ship").option("version_opt_in").label

    failed = next(a for a in debriefed.answers if a.group == "Debrief table 2")
    assert failed.checked and not failed.ok and not failed.stale
    expected = {c.says for c in SCENARIO.success if c.id in WRONG.failing_criteria}
    assert set(failed.unmet) == expected
    assert failed.criteria_met == len(SCENARIO.success) - len(expected)
    assert failed.explanation_titles  # the failing tests were explained in plain words
    assert failed.verdict.startswith("❌ Not solved")


def test_an_answer_that_was_only_saved_is_not_checked_yet(debriefed):
    saved = next(a for a in debriefed.answers if a.group == "Debrief table 3")
    assert not saved.checked and not saved.ok and saved.checked_at is None
    assert saved.verdict == "⏳ Not checked yet"
    assert saved.summary == "Same as the version plan."


def test_groups_with_the_same_choices_share_an_approach(debriefed):
    first = debriefed.approach_of("Debrief table 1")
    assert first is debriefed.approach_of("Debrief table 3")
    assert first.groups == ("Debrief table 1", "Debrief table 3")
    assert len(debriefed.approaches) == 4
    assert first.matches == f"reference solution “{SOLUTION.title}”"
    wrong = debriefed.approach_of("Debrief table 2")
    assert wrong.is_wrong_answer and wrong.matches == f"tempting wrong answer “{WRONG.title}”"
    assert debriefed.approach_of("Debrief table 4").matches is None


def test_approaches_are_named_by_the_options_that_set_them_apart(debriefed):
    revert = debriefed.approach_of("Debrief table 4")
    assert "“Revert it”" in revert.name
    assert "“No contract”" in revert.name


def test_the_suggested_order_starts_with_the_commonest_solved_approach(debriefed):
    order = [a.groups for a in debriefed.approaches]
    # A: solved, two groups. Then the two approaches two levers away from A (the one not yet
    # checked before the one that failed), and last the revert, which differs on every lever.
    assert order == [
        ("Debrief table 1", "Debrief table 3"),
        ("Debrief table 5",),
        ("Debrief table 2",),
        ("Debrief table 4",),
    ]
    assert [a.letter for a in debriefed.approaches] == ["A", "B", "C", "D"]
    assert [len(a.levers_different) for a in debriefed.approaches] == [0, 2, 2, 3]
    first, *_, last = debriefed.approaches
    assert first.reason.startswith("Start here: 2 of 5 groups chose it and it solves the scenario")
    assert debriefed.approaches[2].reason.startswith("Builds on approach A, differing on 2 levers")
    assert "what did the difference cost?" in debriefed.approaches[2].reason
    assert last.reason.startswith("The most different answer, last: 3 of 3 levers differ")


def test_with_nothing_solved_the_largest_approach_opens(tmp_path, workspace):
    _save("Table red", REVERT, workshop=tmp_path)
    _save("Table blue", SOLUTION.choices, workshop=tmp_path)
    _save("Table green", REVERT, workshop=tmp_path)
    result = debrief.collect(SCENARIO, tmp_path)
    # Saved within the same second, so the order inside an approach is by name.
    assert [set(a.groups) for a in result.approaches] == [
        {"Table red", "Table green"},
        {"Table blue"},
    ]
    assert result.approaches[0].reason == (
        "Start here: nothing has been checked yet, and 2 of 3 groups chose it."
    )


def test_saving_after_the_last_check_marks_the_answer_stale(room, tmp_path, workspace):
    shutil.copytree(room / "debrief_table_2", tmp_path / "debrief_table_2")
    session = GroupSession(SCENARIO, "Debrief table 2", workshop=tmp_path)
    session.summary = "On second thoughts: version 2."
    session.save()
    answer = debrief.collect(SCENARIO, tmp_path).answers[0]
    assert answer.checked and answer.stale
    assert answer.verdict.endswith("but saved again after this check")
    # A stale check does not count as the approach's verdict.
    assert debrief.collect(SCENARIO, tmp_path).approaches[0].status == debrief.NOT_CHECKED
    assert "changed since" in debrief.overview(tmp_path).iloc[0, 0]


def test_a_corrupt_file_is_named_and_the_debrief_goes_on(room, tmp_path, workspace):
    shutil.copytree(room, tmp_path / "room")
    broken = tmp_path / "room" / "broken_table" / "breaking_change" / DECISIONS_FILE
    broken.parent.mkdir(parents=True)
    broken.write_text("choices: {ship: [unclosed\n")
    (tmp_path / "room" / "debrief_table_1" / "breaking_change" / RESULT_FILE).write_text(
        "{not json"
    )

    result = debrief.collect(SCENARIO, tmp_path / "room")
    assert len(result.answers) == 5
    assert any(f"`{broken}` is not valid YAML" in p for p in result.problems)
    assert any(
        "debrief_table_1/breaking_change/result.json` is not valid JSON" in p
        for p in result.problems
    )
    table_1 = next(a for a in result.answers if a.group == "Debrief table 1")
    assert not table_1.checked
    assert "Files that could not be read" in result.markdown()
    assert (
        debrief.overview(tmp_path / "room").loc["Debrief table 1"].iloc[0]
        == "⚠️ saved, result unreadable"
    )


def test_two_folders_with_one_group_name_are_told_apart(room, tmp_path, workspace):
    shutil.copytree(room / "debrief_table_3", tmp_path / "debrief_table_3")
    shutil.copytree(room / "debrief_table_3", tmp_path / "table_3_copied")
    result = debrief.collect(SCENARIO, tmp_path)
    assert sorted(a.group for a in result.answers) == [
        "Debrief table 3 (debrief_table_3)",
        "Debrief table 3 (table_3_copied)",
    ]
    assert len(result.approaches) == 1 and len(result.table()) == 2


def test_an_option_the_scenario_no_longer_has_is_shown_as_saved(tmp_path, workspace):
    session = _save("Table old", SOLUTION.choices, workshop=tmp_path)
    path = session.folder / DECISIONS_FILE
    path.write_text(path.read_text().replace("ship: version_opt_in", "ship: ship_it_friday"))
    result = debrief.collect(SCENARIO, tmp_path)
    assert result.answers[0].labels["ship"] == "`ship_it_friday` (unknown option)"
    assert result.problems == (
        f"`{path}`: `ship_it_friday` is not an option of '{SCENARIO.lever('ship').label}' any "
        "more; it is shown as saved.",
    )


def test_the_side_by_side_table_has_a_row_per_group_and_a_column_per_lever(debriefed):
    table = debriefed.table()
    assert list(table.columns) == [
        "Approach",
        *(lever.label for lever in SCENARIO.levers),
        "Verdict",
    ]
    assert list(table.index) == [a.group for a in debriefed.answers]
    assert table.loc["Debrief table 3", "Approach"] == "A"
    assert table.loc["Debrief table 4", SCENARIO.lever("ship").label] == "Revert it"
    side_by_side = debriefed.table(groups_as_columns=True)
    assert list(side_by_side.columns) == list(table.index)


def test_the_debrief_renders_as_markdown(debriefed):
    text = debriefed.markdown()
    assert text.startswith(f"## Debrief: {SCENARIO.title}")
    rows = [_cells(line) for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == ["Group", "Approach", *(lever.label for lever in SCENARIO.levers), "Verdict"]
    assert rows[1][:2] == ["Debrief table 1", "A"]
    assert "1. **Approach A** (Debrief table 1, Debrief table 3): Start here" in text
    assert "4. **Approach D** (Debrief table 4): The most different answer" in text
    assert f"It is the kit's reference solution “{SOLUTION.title}”." in text
    assert "#### Debrief table 2: ❌ Not solved" in text
    assert "- *Platform engineer*: We went for:" in text


def _cells(line: str) -> list[str]:
    """The cells of one Markdown table row, padding removed."""
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def test_markdown_table_cells_stay_on_one_line():
    frame = pd.DataFrame(
        {"Says": ["a | b", "two\nlines"]}, index=pd.Index(["x", "y"], name="Group")
    )
    assert debrief.markdown_table(frame).splitlines() == [
        "| Group   | Says      |",
        "|---------|-----------|",
        "| x       | a \\| b    |",
        "| y       | two lines |",
    ]


def test_the_overview_shows_every_group_and_scenario(room):
    frame = debrief.overview(room)
    assert list(frame.index) == [f"Debrief table {n}" for n in range(1, 6)]
    first_column = frame.iloc[:, 0].to_dict()
    assert first_column["Debrief table 1"] == "✅ solved"
    assert first_column["Debrief table 2"] == "❌ not solved"
    assert first_column["Debrief table 3"] == "⏳ saved, not checked"
    assert (frame.iloc[:, 1:] == "").all().all()  # nobody saved another scenario


def test_an_empty_workshop_folder_says_so(tmp_path, workspace):
    result = debrief.collect(SCENARIO, tmp_path / "nobody")
    assert result.answers == () and result.approaches == ()
    assert "No group has saved an answer" in result.markdown()
    assert debrief.overview(tmp_path / "nobody").empty


# ------------------------------------------------------------------------ the debrief app


def test_the_app_opens_on_the_busiest_scenario_with_groups_side_by_side(room):
    app = DebriefApp(workshop=room)
    assert app.scenario.value == "breaking_change" and app.source.value == "groups"
    body = markdown_text(app.body)
    header = next(line for line in body.splitlines() if line.startswith("|"))
    for number in range(1, 6):  # five groups: one column each
        assert f"Debrief table {number}" in header
    first_cells = {_cells(line)[0] for line in body.splitlines() if line.startswith("|")}
    assert {lever.label for lever in SCENARIO.levers} | {"Approach", "Verdict"} <= first_cells
    assert "1. **Approach A**" in body
    assert "Debrief table 1" in markdown_text(app.overview)
    # The kit's own answers wait, folded, until the groups have presented.
    assert app.reference.selected_index is None
    assert SOLUTION.title in markdown_text(app.reference_text)
    assert app.demo_button.layout.display == "none"


def test_a_room_of_many_groups_gets_one_row_per_group(tmp_path, workspace):
    for number in range(1, 13):
        _save(
            f"Crowd table {number}", SOLUTION.choices if number % 2 else REVERT, workshop=tmp_path
        )
    app = DebriefApp(workshop=tmp_path)
    body = markdown_text(app.body)
    rows = [line for line in body.splitlines() if _cells(line)[0].startswith("Crowd table")]
    assert len(rows) == 12
    assert "12 groups, 2 approaches." in body


def test_demo_answers_are_a_button_away_and_never_touch_the_groups_folder(room, tmp_path):
    before = sorted(p.relative_to(room) for p in room.rglob("*"))
    with DbtWorkerPool() as pool:
        app = DebriefApp(workshop=room, demo_folder=tmp_path / "demo", pool=pool, background=False)
        app.source.value = "demo"
        assert app.demo_button.layout.display is None
        app.demo_button.click()
    assert app.source.value == "demo" and app.folder == tmp_path / "demo"
    body = markdown_text(app.body)
    for demo in DEMO_GROUPS:
        assert demo.group in body
    assert "✅ Solved (4 of 4 criteria)" in body and "❌ Not solved" in body
    assert "1. **Approach A** (Demo table 1, Demo table 2): Start here" in body
    assert "The most different answer, last" in body
    assert sorted(p.relative_to(room) for p in room.rglob("*")) == before

    saved = app.save()
    assert saved is not None and saved.read_text(encoding="utf-8") == app.current.markdown()
    assert str(saved) in app.status.value
