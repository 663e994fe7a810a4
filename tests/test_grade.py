"""Grading a class with real dbt: every row of a generated class, its reports read back by the
libraries an autograder would use, hostile input, zips, the cache, the time limit, exit codes,
and the verdicts against a clean full build of the same answer."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
import yaml
from junitparser import Error, Failure, JUnitXml, Skipped

from mesh_workshop.api import kit
from mesh_workshop.cli import main
from mesh_workshop.grading.model import Options
from mesh_workshop.grading.practice import practice_answers, write_practice_class
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.paths import Workspace
from mesh_workshop.scenario.judge import judge
from mesh_workshop.scenario.model import load_scenario

pytestmark = pytest.mark.usefixtures("built_mesh")
REPORTS = {"grades.json", "grades.csv", "junit.xml", "report.html", "feedback"}


def rows_of(grades):
    return {row.source: row for row in grades.submissions}


def test_every_submission_of_the_class_gets_the_grade_it_should(graded_class):
    grades = graded_class.grades
    rows = rows_of(grades)
    assert len(rows) == len(grades.submissions), "one row per submission"
    assert set(rows) == {e.source for e in graded_class.expected}
    for e in graded_class.expected:
        row = rows[e.source]
        assert row.verdict == e.verdict, (e.source, row.reason)
        if e.group is not None:
            assert row.group == e.group
        counted = [c for c in row.criteria if not c.consequence]
        if e.verdict == "pass":
            assert row.score == row.max_score > 0 and all(c.passed for c in counted)
        elif e.verdict == "fail":
            assert row.score < row.max_score and not all(c.passed for c in counted)
        else:
            assert row.score == 0 and row.built == "not built" and row.answer is None
            assert e.reason in row.reason, (e.source, row.reason)
            assert e.source in row.reason, "the reason names the file"
    summary = grades.summary
    assert summary.submissions == len(rows)
    assert (summary.passed, summary.failed, summary.refused) == tuple(
        sum(r.verdict == v for r in rows.values()) for v in ("pass", "fail", "refused")
    )
    assert summary.distinct_answers == len({r.answer for r in rows.values() if r.answer})
    for count in summary.criteria:
        judged = [
            c
            for r in rows.values()
            if (r.scenario if r.kind != "council" else "council") == count.scenario
            for c in r.criteria
            if c.id == count.id and not c.consequence
        ]
        assert (count.met, count.of) == (sum(c.passed for c in judged), len(judged))
    assert summary.most_common_failure is not None
    assert "Refused" not in summary.most_common_failure.what, "refused answers count apart"
    # A saved answer that cannot be read is still that scenario's answer, out of its points.
    broken = rows["broken/breaking_change/decisions.yml"]
    assert (broken.kind, broken.scenario, broken.group) == (
        "decisions",
        "breaking_change",
        "broken",
    )
    assert broken.max_score == sum(
        c.points for c in load_scenario("breaking_change").success if not c.consequence
    )


def test_the_same_answer_is_built_once_whatever_its_order_and_its_group(graded_class):
    rows = list(graded_class.grades.submissions)
    by_key: dict[str, list] = {}
    for row in rows:
        if row.answer:
            by_key.setdefault(row.answer, []).append(row)
    shared = [same for same in by_key.values() if len(same) > 1]
    assert shared, "the class gives several answers twice"
    for same in shared:
        built = [r.built for r in same]
        assert built.count("built") + built.count("cached") == 1, built
        assert len({(r.verdict, r.score) for r in same}) == 1
    # Each scenario's answers written twice (choices reversed) share one key.
    for scenario in {r.scenario for r in rows if r.kind == "decisions"}:
        first = [r for r in rows if r.source.startswith(f"{scenario}_table_0_")]
        assert len(first) == 2 and first[0].answer == first[1].answer


def test_a_wrong_answer_fails_its_criteria_and_says_why(graded_class):
    rows = graded_class.grades.submissions
    for scenario_id in {r.scenario for r in rows if r.kind == "decisions"}:
        scenario = load_scenario(scenario_id)
        wrong = next(
            r
            for r in rows
            if r.scenario == scenario_id
            and r.source.startswith(f"{scenario_id}_table_{len(scenario.solutions)}_")
        )
        assert wrong.verdict == "fail"
        missed = {c.id for c in wrong.criteria if not c.passed}
        assert set(scenario.wrong_answer.failing_criteria) <= missed, scenario_id
        codes = {e.code for e in wrong.explanations}
        assert set(scenario.wrong_answer.explanation_codes) <= codes, (scenario_id, codes)
        if "project_cycle" in scenario.wrong_answer.explanation_codes:
            assert wrong.circle, "the refs that close the circle are kept for the picture"


def test_a_council_is_graded_on_its_final_mesh_and_its_missions_are_shown(graded_class):
    council = next(r for r in graded_class.grades.submissions if r.kind == "council")
    assert council.group == "Council Table North" and council.scenario is None
    counted = {c.id: c.points for c in council.criteria if not c.consequence}
    assert counted == {"builds": 2, "governance": 1} and council.score == 3
    missions = {c.id: c.passed for c in council.criteria if c.consequence}
    # Publishing the outcomes report changes no project: the plan's missions hold, the
    # restructuring ones do not.
    assert missions["stick_to_the_plan"] and not missions["people_ops_back_in_the_hub"]
    assert all(c.points == 0 for c in council.criteria if c.consequence)


def test_reports_and_feedback_are_written_only_in_the_grading_folders(graded_class):
    out, source = graded_class.out, graded_class.source
    assert {p.name for p in out.iterdir()} == REPORTS
    assert sorted(p.name for p in source.parent.iterdir()) == [
        "expected.pickle",
        "out",
        "source",
    ]
    for row in graded_class.grades.submissions:
        feedback = out / row.feedback
        assert feedback.is_file() and feedback.resolve().is_relative_to(out / "feedback")
        text = feedback.read_text()
        assert {"pass": "Passed", "fail": "Not passed yet", "refused": "Refused"}[
            row.verdict
        ] in text
        if row.kind == "decisions" and row.built != "not built":
            beside = source / Path(row.source).parent / "feedback.md"
            assert beside.read_text() == text
    tricky = next(r for r in graded_class.grades.submissions if r.source.startswith("tricky/"))
    assert (source / "tricky" / "breaking_change" / "feedback.md").is_file()
    assert "<script>" not in (out / tricky.feedback).read_text()
    assert not (source.parent.parent / "etc").exists()


def test_grades_json_follows_its_schema(graded_class, repo_root):
    schema = json.loads((repo_root / "docs" / "grades.schema.json").read_text())
    data = json.loads((graded_class.out / "grades.json").read_text())
    jsonschema.validate(data, schema)
    broken = {**data, "submissions": [{**data["submissions"][0], "verdict": "maybe"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_junit_xml_reads_back_as_one_case_per_criterion(graded_class):
    xml = JUnitXml.fromfile(str(graded_class.out / "junit.xml"))
    suites = list(xml)
    rows = graded_class.grades.submissions
    assert len(suites) == len(rows)
    for suite, row in zip(suites, rows, strict=True):
        cases = list(suite)
        if row.verdict == "refused":
            assert len(cases) == 1 and isinstance(cases[0].result[0], Error)
            continue
        assert len(cases) == len(row.criteria)
        for case, criterion in zip(cases, row.criteria, strict=True):
            kinds = {type(r) for r in case.result}
            if criterion.consequence:
                assert kinds == {Skipped}
            elif criterion.passed:
                assert case.is_passed
            else:
                assert kinds == {Failure}
        assert suite.failures == sum(not c.passed and not c.consequence for c in row.criteria)


def test_the_gradebook_has_a_row_per_submission_and_runs_no_formula(graded_class):
    table = list(csv.DictReader(io.StringIO((graded_class.out / "grades.csv").read_text())))
    rows = graded_class.grades.submissions
    assert [t["source"] for t in table] == [r.source for r in rows]
    assert [int(t["score"]) for t in table] == [r.score for r in rows]
    formula = next(t for t in table if "HYPERLINK" in t["group"])
    assert formula["group"].startswith("'=")
    assert not any(v.startswith(("=", "+", "@")) for t in table for v in t.values() if v)


def test_a_zip_is_unpacked_only_into_the_report_folder_and_hostile_entries_are_refused(
    graded_class, tmp_path
):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((graded_class.source / "strangers").iterdir()):
            if not path.is_symlink():
                zf.write(path, f"strangers/{path.name}")
        zf.write(graded_class.source / "proposals" / "publish.yml", "proposals/publish.yml")
        zf.writestr("../escape.yml", "version: 1\ngroup: Out\nscenario: free\n")
        zf.writestr("/absolute.yml", "version: 1\ngroup: Abs\nscenario: free\n")
        link = zipfile.ZipInfo("link.yml")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("bomb.yml", b"\0" * (40 * 1024 * 1024))  # 40 MB of zeros, 40 KB zipped
    out = tmp_path / "out"
    grades = kit.grade(archive, out)
    rows = rows_of(grades)
    assert rows["../escape.yml"].verdict == "refused" and "leaves" in rows["../escape.yml"].reason
    assert rows["/absolute.yml"].verdict == "refused"
    assert "link" in rows["link.yml"].reason
    assert "more than 2 MB" in rows["bomb.yml"].reason
    assert rows["proposals/publish.yml"].verdict == "pass"
    expected = rows_of(graded_class.grades)
    for source, row in rows.items():
        if source.startswith("strangers/"):
            assert row.verdict == expected[source].verdict
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.zip", "out"]
    unpacked = [p for p in (out / ".grading").rglob("*") if p.is_file()]
    assert unpacked and all(p.stat().st_size <= 2 * 1024 * 1024 for p in unpacked)
    assert not (tmp_path / "escape.yml").exists() and not Path("/absolute.yml").exists()


def test_grading_again_builds_only_the_answers_that_changed(tmp_path):
    folder = tmp_path / "class"
    write_practice_class(folder, groups=4, distinct=2)
    shutil.rmtree(Workspace.current().grading_cache, ignore_errors=True)  # other tests' answers
    first = kit.grade(folder, options=Options(feedback=False))
    assert (first.summary.built, first.summary.from_cache) == (2, 0)
    again = kit.grade(folder, options=Options(feedback=False))
    assert (again.summary.built, again.summary.from_cache) == (0, 2)
    assert [r.verdict for r in again.submissions] == [r.verdict for r in first.submissions]
    # One group changes its mind: only its new answer is built.
    other = practice_answers()[2]
    space = Workspace.current()
    target = space.scenario_folder("Practice table 4", other.scenario, folder)
    record = {"version": 1, "group": "Practice table 4", "scenario": other.scenario}
    target.mkdir(parents=True)
    (target / "decisions.yml").write_text(yaml.safe_dump({**record, "choices": other.choices}))
    for old in space.group_folder("Practice table 4", folder).iterdir():
        if old.is_dir() and old != target:
            (old / "decisions.yml").unlink()
    third = kit.grade(folder, options=Options(feedback=False))
    assert (third.summary.built, third.summary.from_cache) == (1, 2)
    changed = next(r for r in third.submissions if r.group == "Practice table 4")
    assert changed.scenario == other.scenario and changed.built == "built"


def test_an_answer_that_does_not_finish_in_time_fails_and_is_not_kept(tmp_path):
    folder = tmp_path / "class"
    (folder / "slow").mkdir(parents=True)
    (folder / "slow" / "contract.yml").write_text(
        "version: 1\ngroup: Slow\nscenario: free\nmodels:\n"
        "  - model: data_platform.fct_animal_outcomes\n    contract: {enforced: true}\n"
    )
    late = kit.grade(folder, options=Options(time_limit=0.5, feedback=False))
    (row,) = late.submissions
    assert row.verdict == "fail" and "time limit of 0.5 s" in row.reason
    again = kit.grade(folder, options=Options(feedback=False))
    assert again.summary.built == 1, "a build stopped by the time limit is never cached"
    assert again.submissions[0].verdict == "pass"


def test_exit_codes(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("not a class")
    assert main(["grade", str(tmp_path / "notes.txt")]) == 2
    (tmp_path / "fake.zip").write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["grade", str(tmp_path / "fake.zip")]) == 2
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "wrong.yml").write_text(
        "version: 1\ngroup: Wrong\nscenario: free\nmodels:\n"
        "  - model: data_platform.fct_animal_outcomes\n    access: private\n"
    )
    assert main(["grade", str(folder), "--time-limit", "0"]) == 2
    assert "--time-limit" in capsys.readouterr().err
    # The reports go inside the class's folder; grading again does not read them as answers.
    for _ in range(2):
        assert main(["grade", str(folder), "--out", str(folder / "grades")]) == 0, "graded: 0"
        printed = capsys.readouterr().out
        assert "Wrong" in printed and "fail" in printed and "report.html" in printed
        grades = json.loads((folder / "grades" / "grades.json").read_text())
        assert [s["source"] for s in grades["submissions"]] == ["wrong.yml"]
    assert (folder / "wrong.feedback.md").is_file()


# A clean full build with plain `dbt` processes (the kit's `check --full`) of the same answer.
SAMPLES = [
    pytest.param("breaking_change", "wrong", id="breaking_change-wrong"),
    pytest.param("breaking_change", 0, id="breaking_change-solution", marks=pytest.mark.verify),
    pytest.param("growing_mesh", 0, id="growing_mesh-solution", marks=pytest.mark.verify),
    pytest.param("council_emergency", 0, id="council_emergency-solution", marks=pytest.mark.verify),
]


@pytest.mark.parametrize(("scenario_id", "which"), SAMPLES)
def test_a_graded_verdict_equals_a_clean_full_build(graded_class, tmp_path, scenario_id, which):
    scenario = load_scenario(scenario_id)
    answer = scenario.wrong_answer if which == "wrong" else scenario.solutions[which]
    number = len(scenario.solutions) if which == "wrong" else which
    row = rows_of(graded_class.grades)[
        f"{scenario_id}_table_{number}_1/{scenario_id}/decisions.yml"
    ]
    proposal = tmp_path / "proposal.yml"
    proposal.write_text(yaml.safe_dump(scenario.proposal_dict(answer.choices, "Clean build")))
    sandbox = tmp_path / "clean" / "mesh"
    result = kit.check(proposal, out=sandbox, full=True)
    work = Workspace.current().mesh_build(sandbox)
    criteria = judge(scenario, result, read_mesh(sandbox), work)
    assert [(c.id, c.passed) for c in criteria] == [(c.id, c.passed) for c in row.criteria]
    assert {o.name: o.status in ("built", "up to date") for o in result.build.projects} == {
        p.name: p.status in ("built", "up to date") for p in row.projects
    }
    assert sorted(result.broken_consumers) == sorted(row.broken_consumers)
    assert sorted(f.code for f in result.findings) == sorted(f.code for f in row.findings)


def test_warnings_cost_points_only_when_the_answer_adds_them(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    head = "version: 1\ngroup: {}\nscenario: free\nmodels:\n"
    (folder / "same.yml").write_text(
        head.format("Same") + "  - model: data_platform.fct_animal_outcomes\n    access: public\n"
    )
    (folder / "more.yml").write_text(
        head.format("More") + "  - model: people_ops.int_employee_tenure\n    access: public\n"
    )
    grades = kit.grade(folder, options=Options(warning_cost=1, feedback=False))
    rows = {r.group: r for r in grades.submissions}
    same, more = rows["Same"], rows["More"]
    assert same.verdict == more.verdict == "pass"
    # The starting mesh's own warnings (public models without contracts) cost nothing.
    assert same.findings and not any(f.new for f in same.findings)
    assert same.score == same.max_score == 3
    added = [f for f in more.findings if f.new and f.severity == "warning"]
    assert added and all(f.model.endswith("int_employee_tenure") for f in added)
    assert more.score == max(0, 3 - len(added))


def test_two_gradings_at_once_in_one_workspace_keep_their_own_sandboxes(tmp_path):
    """An instructor grades in the notebook while a terminal grades another class."""
    folders = []
    for n, answer in enumerate(practice_answers()[:2]):  # a solution and a wrong answer
        folder = tmp_path / f"class{n}"
        space = Workspace.current()
        target = space.scenario_folder(f"Table {n}", answer.scenario, folder)
        target.mkdir(parents=True)
        record = {"version": 1, "group": f"Table {n}", "scenario": answer.scenario}
        (target / "decisions.yml").write_text(yaml.safe_dump({**record, "choices": answer.choices}))
        folders.append(folder)
    shutil.rmtree(Workspace.current().grading_cache, ignore_errors=True)
    with ThreadPoolExecutor(max_workers=2) as both:
        grades = list(both.map(lambda f: kit.grade(f, options=Options(feedback=False)), folders))
    assert [g.submissions[0].verdict for g in grades] == ["pass", "fail"]
    assert all(g.summary.built == 1 for g in grades)
    assert not list((Workspace.current().sandboxes / "_grading").iterdir()), "slots removed"
