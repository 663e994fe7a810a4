"""The instructor's grading app, driven as an instructor would (set values, click buttons),
without a kernel, on a real grading: a small practice class graded with real dbt, once for the
module, plus a group whose name is markup. The refusals need no dbt."""

from __future__ import annotations

import re

import ipywidgets as w
import pytest
import yaml

from mesh_workshop.grading.practice import write_practice_class
from mesh_workshop.scenario.model import load_scenario
from mesh_workshop.widgets.common import plain_html
from mesh_workshop.widgets.grade_app import GradeApp
from mesh_workshop.workshop.folders import DECISIONS_FILE, GROUP_FILE
from mesh_workshop.workshop.saved import DECISIONS_VERSION

GROUPS, DISTINCT = 6, 3
HOSTILE = "<img src=x onerror=alert(1)>"
GRADE_TIMEOUT = 900  # seconds; a safety net for a hung build, never a speed assertion


def _html_values(widget: w.Widget) -> list[str]:
    """Every HTML widget's value under `widget`."""
    found = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        found += _html_values(child)
    return found


def _rows(table_html: str) -> list[str]:
    return re.findall(r"<tr class='rr-grade-row[^']*'>.*?</tr>", table_html)


def _passing(given) -> int:
    """How many of the practice class's groups gave a reference solution."""
    return sum(a.name != load_scenario(a.scenario).wrong_answer.id for a in given)


def _score(row_html: str) -> int:
    return int(re.search(r"<td class='rr-grade-score'>(\d+) / \d+</td>", row_html).group(1))


@pytest.fixture(scope="module")
def graded(built_mesh, tmp_path_factory):
    """The app after pressing Grade on a practice class of six groups giving three different
    answers, plus a group named with markup that gives scenario 2's tempting wrong answer (a
    fourth answer, which fails: its projects would read each other in a circle). Records the progress bar and the Grade button as they changed."""
    folder = tmp_path_factory.mktemp("grade_app")
    source, out = folder / "class", folder / "reports"
    given = write_practice_class(source, GROUPS, DISTINCT)
    scenario = "access_and_lineage"
    assert scenario not in {a.scenario for a in given if a.name.endswith("publishes")}
    wrong = load_scenario(scenario).wrong_answer
    record = {
        "version": DECISIONS_VERSION,
        "group": HOSTILE,
        "scenario": scenario,
        "choices": dict(wrong.choices),
        "notes": {},
        "summary": "<script>alert(2)</script>",
    }
    (source / "hostile" / scenario).mkdir(parents=True)
    (source / "hostile" / scenario / DECISIONS_FILE).write_text(yaml.safe_dump(record))
    (source / "hostile" / GROUP_FILE).write_text(yaml.safe_dump({"group": HOSTILE}))

    app = GradeApp(folder=source, out=out, practice_folder=folder / "practice")
    progress: list[tuple[int, int]] = []
    disabled: list[bool] = []
    app.progress.observe(lambda _: progress.append((app.progress.value, app.progress.max)), "value")
    app.grade_button.observe(lambda change: disabled.append(change["new"]), "disabled")
    app.grade_button.click()  # grades in the background, as in the notebook
    assert app.wait(GRADE_TIMEOUT), "the grading did not finish"
    return app, given, progress, disabled, out


def test_grading_fills_the_bar_and_shows_one_row_per_answer(graded):
    """The bar ends full at the number of different answers; the Grade button is off while
    grading and on again after; the table has one row per answer and the summary counts them."""
    app, given, progress, disabled, _ = graded
    grades = app.grades
    assert grades is not None, app.message
    assert app.message.startswith("Graded ")
    assert len(grades.submissions) == GROUPS + 1
    assert grades.summary.distinct_answers == DISTINCT + 1
    assert app.progress.max == DISTINCT + 1 and app.progress.value == app.progress.max
    assert progress[-1] == (DISTINCT + 1, DISTINCT + 1)
    assert app.progress.bar_style == "success"
    assert disabled == [True, False] and not app.grade_button.disabled
    rows = _rows(app.table.value)
    assert len(rows) == len(grades.submissions)
    for n in range(1, GROUPS + 1):
        assert f"<td class='rr-grade-group'>Practice table {n}</td>" in app.table.value
    passed = sum(s.verdict == "pass" for s in grades.submissions)
    assert passed == _passing(given)  # the reference solutions pass, the wrong answers do not
    summary = app.summary.value
    failing = GROUPS + 1 - passed
    assert f"{GROUPS + 1} answers: {passed} passed, {failing} not passed yet, 0 refused." in summary
    assert f"{DISTINCT + 1} different answers: " in summary
    assert "Most common problem (" in summary


def test_sorting_by_score_descending_puts_the_highest_first(graded):
    app = graded[0]
    app.sort_by.value = "score"
    app.order.value = True
    scores = [_score(r) for r in _rows(app.table.value)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == max(s.score for s in app.grades.submissions)
    assert scores[0] > scores[-1]  # the wrong answer scores less than the solutions
    app.order.value = False
    assert [_score(r) for r in _rows(app.table.value)] == sorted(scores)
    app.sort_by.value = "verdict"
    verdicts = re.findall(r"<td class='rr-grade-verdict'>([^<]+)</td>", app.table.value)
    passing = _passing(graded[1])
    assert verdicts == ["Passed"] * passing + ["Not passed yet"] * (GROUPS + 1 - passing)
    app.sort_by.value = "group"
    groups = re.findall(r"<td class='rr-grade-group'>([^<]+)</td>", app.table.value)
    assert groups[0] == "&lt;img src=x onerror=alert(1)&gt;"  # "<" sorts before letters
    assert groups[1:] == sorted(groups[1:], key=str.casefold)


def test_opening_an_answer_shows_its_criteria(graded):
    """Choosing an answer shows its feedback: every success criterion, met or not, with its
    points; and for the wrong answer, what happened in plain words."""
    app = graded[0]
    grades = app.grades
    for index, row in enumerate(grades.submissions):
        app.submission.value = index
        detail = app.detail.value
        for c in row.criteria:
            assert plain_html(c.says) in detail and plain_html(c.detail) in detail, c.id
        if row.verdict == "pass":
            assert "&#10008; not met" not in detail
            assert detail.count("&#10004; met") == len(
                [c for c in row.criteria if not c.consequence]
            )
    wrong = next(i for i, s in enumerate(grades.submissions) if s.verdict == "fail")
    app.submission.value = wrong
    detail = app.detail.value
    assert "&#10008; not met" in detail and "Not passed yet" in detail
    assert "What happened, in plain words" in detail
    assert "The group's feedback file:" in detail


def test_a_group_named_with_markup_shows_as_text(graded):
    """The hostile name is in the table, the answer list and the detail only as escaped text;
    no HTML shown anywhere in the app carries it as markup."""
    app = graded[0]
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert escaped in app.table.value
    labels = [label for label, _ in app.submission.options]
    hostile = next(i for i, label in enumerate(labels) if label.startswith(HOSTILE))
    app.submission.value = hostile
    assert f"<h3>{escaped}</h3>" in app.detail.value
    for value in _html_values(app.widget):
        assert "<img" not in value and "<script" not in value


def test_the_reports_are_written_and_listed(graded):
    app, _, _, _, out = graded
    paths = app.report_paths()
    for name in ("report.html", "grades.json", "grades.csv", "junit.xml"):
        assert paths[name] == out / name and paths[name].is_file(), name
        assert str(out / name) in app.reports.value
    assert paths["feedback"].is_dir()
    assert len(list(paths["feedback"].rglob("*.md"))) == GROUPS + 1


def test_a_folder_that_cannot_be_graded_is_said_in_plain_words(tmp_path, workspace):
    """A folder that is not there, and a file that is no answer, are refused in the kit's words
    with what to do next; the Grade button is on again, and nothing is shown as graded."""
    app = GradeApp(folder=tmp_path / "nowhere", out="", practice_folder=tmp_path / "practice")
    app.grade_button.click()
    assert app.wait(60)
    assert not app.grade_button.disabled and not app.practice_button.disabled
    assert app.grades is None and app.progress.bar_style == "danger"
    status = app.status.value
    assert f"<code>{tmp_path / 'nowhere'}</code> does not exist." in status
    assert "Give a workshop folder, a folder of proposal files, or a zip of either." in status
    assert "Traceback" not in status and "Error" not in status
    notes = tmp_path / "notes.txt"
    notes.write_text("not answers")
    app.folder.value = str(notes)
    app.grade_now()
    assert "is neither a folder, a zip nor a proposal file" in app.status.value
    assert not app.grade_button.disabled


def test_options_out_of_range_are_refused_before_grading(tmp_path, workspace):
    app = GradeApp(folder=tmp_path, out="", practice_folder=tmp_path / "practice")
    app.time_limit.value = 0
    assert app.grade_now() is None
    assert "The time per answer must be from 1 to 3600 seconds, not <code>0</code>." in (
        app.status.value
    )
    app.time_limit.value, app.warning_cost.value = 300, -1
    assert app.grade_now() is None
    assert "Points off per governance warning must be from 0 to 100" in app.status.value
    app.warning_cost.value, app.groups.value = 2, " Table 1, ,Table 4 "
    app.scenarios.value = ("breaking_change",)
    options = app.options()
    assert options.groups == ["Table 1", "Table 4"] and options.scenarios == ["breaking_change"]
    assert options.warning_cost == 2 and options.time_limit == 300.0
    assert not app.grade_button.disabled


def test_practice_class_button_writes_a_class_and_points_at_it(tmp_path, workspace):
    practice = tmp_path / "practice"
    app = GradeApp(folder=tmp_path / "elsewhere", out="", practice_folder=practice)
    app.practice_button.click()
    assert app.folder.value == str(practice)
    assert len(list(practice.glob(f"*/*/{DECISIONS_FILE}"))) == 10
    assert "10 made-up groups giving 4 different answers" in app.status.value


def test_a_second_press_while_grading_only_says_so(tmp_path, workspace):
    """While a grading runs, Grade and the practice class button say so and start nothing."""
    app = GradeApp(folder=tmp_path, out="", practice_folder=tmp_path / "practice")
    with app._busy:  # a grading under way
        app.grade()
        assert "A class is being graded" in app.status.value
        assert app._thread is None
        assert app.make_practice_class() is None
        assert not (tmp_path / "practice").exists()
