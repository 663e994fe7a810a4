"""The scenario app, driven as a group would drive it (set values, click buttons), without a kernel.

Most tests need no dbt. One starts real dbt workers for six groups in turn. Three real checks run, on one shared pool of warm dbt workers and one
group's sandbox: the scenario's tempting wrong answer (pressed twice), one of its reference
solutions, and a check that another notebook already holds.
"""

from __future__ import annotations

import fcntl
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import holding_lock
from mesh_workshop.api import kit
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.mesh import lineage
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.paths import WORKSHOP_ENV
from mesh_workshop.scenario.model import load_scenario, scenarios_dir
from mesh_workshop.widgets import ScenarioApp
from mesh_workshop.widgets.common import markdown_text
from mesh_workshop.widgets.form import Checkboxes
from mesh_workshop.workshop.folders import DECISIONS_FILE, RESULT_FILE

SCENARIO = "breaking_change"
SCENARIO_IDS = sorted(p.stem for p in scenarios_dir().glob("*.yml") if p.stem != "logic_changes")
CHECK_TIMEOUT = 900  # seconds; a safety net for a hung build, never a speed assertion
CHECKED_GROUP = "Table 7"


@pytest.fixture
def workshop(tmp_path, monkeypatch, workspace) -> Path:
    """A workshop folder of this test's own, chosen the way a JupyterHub chooses it."""
    folder = tmp_path / "workshop"
    monkeypatch.setenv(WORKSHOP_ENV, str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_check_thread_left():
    yield
    left = [t for t in threading.enumerate() if t.name == "rr-check"]
    for thread in left:
        thread.join(timeout=CHECK_TIMEOUT)
    assert not [t for t in left if t.is_alive()], "a check thread outlived its test"


def _other_option(lever) -> str:
    values = [o.value for o in lever.options]
    default = lever.default if isinstance(lever.default, str) else values[0]
    return next((v for v in values if v != default), default)


def _result_classes(app: ScenarioApp) -> set[str]:
    return set(app.result._dom_classes)


# ------------------------------------------------------------------------ the form (no dbt)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_the_form_has_a_widget_per_lever_offering_the_scenarios_options(workshop, scenario_id):
    scenario = load_scenario(scenario_id)
    app = ScenarioApp(scenario_id, group="Table 1")
    assert "rr-scenario-app" in app.widget._dom_classes
    assert list(app.form.levers) == [lever.id for lever in scenario.levers]
    for lever in scenario.levers:
        widget = app.form.levers[lever.id]
        assert {"rr-lever", f"rr-lever-{lever.id}"} <= set(widget._dom_classes)
        # Labels show no markup: a `name` in a label loses its backticks, nothing else.
        shown = [(o.label.replace("`", ""), o.value) for o in lever.options]
        assert list(widget.options) == shown
        expected = tuple(lever.default) if lever.kind == "multi" else lever.default
        assert widget.value == expected
        if lever.kind == "multi":
            assert isinstance(widget, Checkboxes)
    assert app.form.choices() == scenario.default_choices()
    # One tab per role, each with its own notes box.
    assert "rr-role-tabs" in app.card.roles._dom_classes
    # Tabs carry the role's name; its brief carries the whole title, brackets and all.
    titles = app.card.roles.titles
    assert all(len(t) <= 40 and "(" not in t for t in titles)
    for title, role, page in zip(titles, scenario.roles, app.card.roles.children, strict=True):
        assert role.title.startswith(title)
        assert f"**{role.title}**" in markdown_text(page.children[0])
    # The verdict sits beside the decision and its button, not below the form.
    decision, result = app.decision_row.children
    assert app.apply_button in decision.children[2].children
    assert app.result in result.children
    for role in scenario.roles:
        assert {"rr-notes", f"rr-notes-{role.id}"} <= set(app.card.notes[role.id]._dom_classes)
    # Hints wait until a group opens them; the story is rendered as Markdown.
    assert app.card.hints.selected_index is None
    assert len(app.card.hints.children) == len(scenario.hints)
    assert markdown_text(app.card.story) == scenario.story
    # Before any check the picture is the project graph, and no verdict is claimed.
    assert markdown_text(app.lineage).startswith("```mermaid\nflowchart LR")
    assert not _result_classes(app) & {"rr-verdict-pass", "rr-verdict-fail"}


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_saved_decisions_are_loaded_back_by_a_new_app(workshop, scenario_id):
    scenario = load_scenario(scenario_id)
    app = ScenarioApp(scenario_id, group="Table 3 (Sam, Ana)")
    picked = {}
    for lever in scenario.levers:
        if lever.kind == "multi":
            picked[lever.id] = [lever.options[-1].value]
            app.form.levers[lever.id].value = (lever.options[-1].value,)
        else:
            picked[lever.id] = _other_option(lever)
            app.form.levers[lever.id].value = picked[lever.id]
    first_role = scenario.roles[0].id
    app.card.notes[first_role].value = "We can live with two versions for a while."
    app.form.summary.value = "One sentence we all agree with."
    app.save_button.click()

    saved = yaml.safe_load(
        (workshop / "table_3_sam_ana" / scenario_id / DECISIONS_FILE).read_text()
    )
    assert saved["group"] == "Table 3 (Sam, Ana)" and saved["scenario"] == scenario_id
    assert saved["choices"] == picked
    assert saved["notes"] == {first_role: "We can live with two versions for a while."}
    assert saved["summary"] == "One sentence we all agree with."
    assert "Saved at" in app.status.value and str(workshop) in app.status.value
    assert str(workshop / "table_3_sam_ana" / scenario_id) in app.saved_where.value

    again = ScenarioApp(scenario_id, group="Table 3 (Sam, Ana)")
    assert again.form.choices() == picked
    assert again.card.notes[first_role].value == "We can live with two versions for a while."
    assert again.form.summary.value == "One sentence we all agree with."
    # Load puts the saved decisions back after the form was changed.
    again.form.summary.value = "changed my mind"
    again.load_button.click()
    assert again.form.summary.value == "One sentence we all agree with."
    assert "Loaded the decisions saved" in again.status.value


def test_the_workshop_argument_chooses_where_work_is_saved(workshop, tmp_path):
    elsewhere = tmp_path / "hub-share"
    app = ScenarioApp(SCENARIO, group="Table 2", workshop=elsewhere)
    app.save_button.click()
    assert (elsewhere / "table_2" / SCENARIO / DECISIONS_FILE).is_file()
    assert not (workshop / "table_2").exists()


def test_typing_a_group_name_switches_to_that_groups_saved_work(workshop):
    saved = ScenarioApp(SCENARIO, group="Table 5")
    saved.form.summary.value = "Table 5's answer"
    saved.save_button.click()

    app = ScenarioApp(SCENARIO, group="Table 1")
    assert "rr-group-name" in app.group_name._dom_classes
    app.form.summary.value = "typed before choosing a name"
    app.group_name.value = "Table 5"
    assert app.session.group == "Table 5"
    assert app.form.summary.value == "Table 5's answer"
    assert "loaded its saved decisions" in app.status.value

    # A group with nothing saved keeps what is in the form.
    app.group_name.value = "Table 6"
    assert app.session.group == "Table 6" and app.form.summary.value == "Table 5's answer"
    assert "Nothing is saved for it yet" in app.status.value
    assert "table_6" in app.saved_where.value

    # A blank name is refused in plain words and the name goes back.
    app.group_name.value = "   "
    assert app.session.group == "Table 6" and app.group_name.value == "Table 6"
    assert "A group needs a name." in app.status.value

    # A name that would save into Table 5's folder without being Table 5 is refused the same way.
    app.group_name.value = "table 5!!"
    assert app.session.group == "Table 6" and app.group_name.value == "Table 6"
    assert "too close to the group \u201cTable 5\u201d" in app.status.value


def test_switching_groups_keeps_dbt_workers_for_the_current_group_only(workshop):
    """Each group's app starts a worker per project; five renames later only the group on the
    screen still has its workers running."""
    projects = read_mesh(kit.workspace.committed_mesh).projects
    with DbtWorkerPool(idle_timeout=None) as workers:
        app = ScenarioApp(SCENARIO, group="Table 1", pool=workers)
        for number in range(2, 7):
            app.warming.join(120)  # the previous group's workers are up
            app.group_name.value = f"Table {number}"
        app.warming.join(120)
        for thread in [t for t in threading.enumerate() if t.name == "rr-let-go"]:
            thread.join(120)
        assert workers.running() == len(projects)
        work = kit.workspace.mesh_build(app.session.sandbox)
        for project in projects:
            run = project_run(
                replace(project, project_dir=app.session.sandbox / project.name), work
            )
            assert workers.pid(run) is not None, f"{project.name} of Table 6 has no worker"


def test_choices_that_do_not_go_together_are_flagged_in_the_form(workshop):
    app = ScenarioApp(SCENARIO, group="Table 1")
    assert app.form.problem.value == ""
    app.form.levers["sunset"].value = "end_of_june"  # a date for version 1, but no version 2
    assert "only works together with" in app.form.problem.value
    app.form.levers["ship"].value = "version_opt_in"
    assert app.form.problem.value == ""


def test_checkboxes_keep_their_boxes_and_value_in_step():
    boxes = Checkboxes([("Alpha", "a"), ("Beta", "b"), ("Gamma", "c")], value=("c",))
    assert boxes.value == ("c",)
    boxes.boxes["a"].value = True
    assert boxes.value == ("a", "c")
    boxes.value = ("b",)
    assert [box.value for box in boxes.boxes.values()] == [False, True, False]
    assert {"rr-option-a", "rr-option-b"} <= set(boxes.boxes["a"]._dom_classes) | set(
        boxes.boxes["b"]._dom_classes
    )


def test_a_check_that_cannot_start_keeps_the_decisions_and_says_why_in_plain_words(workshop):
    """No dbt runs: the choices contradict each other, so the check is refused before anything
    is applied; the panel keeps what it showed, and no verdict is recorded."""
    app = ScenarioApp(SCENARIO, group="Table 8", background=False)
    before = markdown_text(app.result)
    app.form.levers["sunset"].value = "end_of_june"
    app.card.notes["platform_engineer"].value = "Keep one definition in the hub."
    app.apply_button.click()

    assert not _result_classes(app) & {"rr-verdict-pass", "rr-verdict-fail", "rr-checking"}
    assert markdown_text(app.result) == before and app.verdict is None
    assert "Not checked:" in app.status.value and "only works together with" in app.status.value
    assert "the last verdict below still stands" in app.status.value
    assert "Traceback" not in app.status.value
    assert not app.apply_button.disabled and not app.running
    assert not (workshop / "table_8" / SCENARIO / RESULT_FILE).exists()
    saved = yaml.safe_load((workshop / "table_8" / SCENARIO / DECISIONS_FILE).read_text())
    assert saved["choices"]["sunset"] == "end_of_june"
    assert saved["notes"] == {"platform_engineer": "Keep one definition in the hub."}
    assert not app.apply_button.disabled


def test_a_check_another_notebook_is_running_only_shows_a_message(workshop, tmp_path):
    """The group's check lock is held by another process; pressing the button starts nothing."""
    app = ScenarioApp(SCENARIO, group="Table 9", background=False)
    lock = app.session.sandbox.parent / ".check.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with holding_lock(lock):
        app.apply_button.click()
    assert "Another notebook is checking" in app.status.value
    assert app.history == [] and app.verdict is None
    assert not (app.session.folder / RESULT_FILE).exists()
    assert not _result_classes(app) & {"rr-verdict-pass", "rr-verdict-fail"}
    assert not app.apply_button.disabled and app.progress.value == 0
    with open(lock, "w") as free:  # the lock was let go, so the next press can run
        fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)


# -------------------------------------------------------------------- real checks with dbt


@pytest.fixture(scope="module")
def pool():
    workers = DbtWorkerPool(idle_timeout=None)
    yield workers
    workers.close()


@pytest.fixture(scope="module")
def shared_workshop(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("checked-workshop")


@pytest.fixture(scope="module")
def wrong_answer_checked(workspace, pool, shared_workshop):
    """The scenario's tempting wrong answer, with "Apply & check" pressed twice in a row."""
    scenario = load_scenario(SCENARIO)
    app = ScenarioApp(SCENARIO, group=CHECKED_GROUP, workshop=shared_workshop, pool=pool)
    app.form.set_choices(scenario.wrong_answer.choices)
    app.card.notes[scenario.roles[0].id].value = "Marketing cannot wait two weeks."
    app.form.summary.value = scenario.wrong_answer.title
    seen = {"values": [], "texts": []}
    app.progress.observe(lambda c: seen["values"].append(c["new"]), "value")
    app.progress_text.observe(lambda c: seen["texts"].append(c["new"]), "value")

    app.apply_button.click()
    disabled_while_running = app.apply_button.disabled
    marked_as_checking = "rr-checking" in _result_classes(app)
    app.apply_button.click()
    second_press = app.status.value
    assert app.wait(CHECK_TIMEOUT), "the check did not finish"
    return {
        "app": app,
        "scenario": scenario,
        "seen": seen,
        "second_press": second_press,
        "disabled_while_running": disabled_while_running,
        "marked_as_checking": marked_as_checking,
    }


def test_a_double_click_starts_one_check_only(wrong_answer_checked):
    app = wrong_answer_checked["app"]
    assert wrong_answer_checked["disabled_while_running"]
    assert wrong_answer_checked["marked_as_checking"]
    assert "rr-checking" not in _result_classes(app)
    assert "A check is already running" in wrong_answer_checked["second_press"]
    assert len(app.history) == 1
    assert not app.apply_button.disabled and not app.running


def test_the_wrong_answer_fails_with_its_explanation(wrong_answer_checked):
    app, scenario = wrong_answer_checked["app"], wrong_answer_checked["scenario"]
    verdict = app.verdict
    assert verdict is not None and not verdict.ok
    assert "rr-verdict-fail" in _result_classes(app)
    assert "rr-verdict-pass" not in _result_classes(app)
    text = markdown_text(app.result)
    assert text == verdict.summary()
    assert text.startswith("### Not solved yet")
    failed = {c.id for c in verdict.criteria if not c.passed}
    assert set(scenario.wrong_answer.failing_criteria) <= failed
    codes = {e.code for e in verdict.explanations}
    assert set(scenario.wrong_answer.explanation_codes) <= codes
    for e in verdict.explanations:
        if e.code in scenario.wrong_answer.explanation_codes:
            assert f"**{e.title}.**" in text
    assert "not solved yet" in app.status.value


def test_a_failed_check_keeps_the_saved_decisions(wrong_answer_checked, shared_workshop):
    scenario = wrong_answer_checked["scenario"]
    folder = shared_workshop / "table_7" / SCENARIO
    saved = yaml.safe_load((folder / DECISIONS_FILE).read_text())
    assert saved["choices"] == scenario.wrong_answer.choices
    assert saved["notes"] == {scenario.roles[0].id: "Marketing cannot wait two weeks."}
    assert saved["summary"] == scenario.wrong_answer.title
    result = yaml.safe_load((folder / RESULT_FILE).read_text())
    assert result["ok"] is False


def test_the_progress_bar_follows_the_build_and_reaches_its_end(wrong_answer_checked):
    app, seen = wrong_answer_checked["app"], wrong_answer_checked["seen"]
    assert app.progress.value == app.progress.max
    assert seen["values"] == sorted(seen["values"]), "the bar went backwards"
    assert [v for v in seen["values"] if 0 < v < app.progress.max], "no step between start and end"
    assert any(" steps" in text and "projects done:" in text for text in seen["texts"])
    assert app.progress_text.value == "Checked: not solved yet"
    assert app.progress.bar_style == "danger"


def test_the_lineage_picture_marks_what_changed_and_what_broke(wrong_answer_checked):
    app = wrong_answer_checked["app"]
    verdict = app.verdict
    assert verdict.changed_models and verdict.broken_models
    text = markdown_text(app.lineage)
    assert text.startswith("```mermaid\nflowchart LR") and text.endswith("```")
    classes = {
        line.split()[-1]: line.split()[1].split(",")
        for line in text.splitlines()
        if line.strip().startswith("class ")
    }
    for model in verdict.broken_models:
        assert lineage.node_id(model) in classes["broken"]
    for model in set(verdict.changed_models) - set(verdict.broken_models):
        assert lineage.node_id(model) in classes["changed"]
    for project in {m.split(".")[0] for m in verdict.broken_models}:
        assert f'subgraph p_{project}["{project}"]' in text


@pytest.fixture(scope="module")
def solution_checked(wrong_answer_checked, pool, shared_workshop):
    """The same group, in a new notebook, changes its mind to a reference solution."""
    scenario = wrong_answer_checked["scenario"]
    app = ScenarioApp(
        SCENARIO, group=CHECKED_GROUP, workshop=shared_workshop, pool=pool, background=False
    )
    assert app.form.choices() == scenario.wrong_answer.choices  # loaded from the saved work
    assert "rr-verdict-previous" in _result_classes(app)
    assert markdown_text(app.result).startswith("### Your last check (")
    app.form.set_choices(scenario.solutions[0].choices)
    app.apply_button.click()
    return app


def test_a_reference_solution_passes(solution_checked):
    app = solution_checked
    assert app.verdict is not None and app.verdict.ok, markdown_text(app.result)
    assert "rr-verdict-pass" in _result_classes(app)
    assert not _result_classes(app) & {"rr-verdict-fail", "rr-verdict-previous"}
    assert markdown_text(app.result).startswith("### Solved")
    assert app.progress.value == app.progress.max and app.progress.bar_style == "success"


def test_reset_asks_first_then_removes_the_sandbox_but_keeps_the_decisions(solution_checked):
    app = solution_checked
    sandbox, build = app.session.sandbox, kit.workspace.mesh_build(app.session.sandbox)
    decisions = app.session.folder / DECISIONS_FILE
    before = decisions.read_bytes()
    assert sandbox.is_dir() and build.is_dir()

    app.reset_button.click()
    assert sandbox.is_dir(), "the first press only asks"
    assert "Your saved decisions stay" in app.status.value
    assert app.reset_button.description == "Yes, reset it"

    app.reset_button.click()
    assert not sandbox.exists() and not build.exists()
    assert decisions.read_bytes() == before
    assert app.reset_button.description == "Reset sandbox"
    assert "back to where the scenario starts" in app.status.value
    assert not _result_classes(app) & {"rr-verdict-pass", "rr-verdict-fail"}
    assert "p_data_platform -- " in markdown_text(app.lineage)  # the project graph again


def test_another_button_cancels_a_reset_that_was_asked_for(workshop):
    app = ScenarioApp(SCENARIO, group="Table 4")
    app.reset_button.click()
    app.save_button.click()
    assert app.reset_button.description == "Reset sandbox"
    app.reset_button.click()
    assert "Your saved decisions stay" in app.status.value  # it asks again
