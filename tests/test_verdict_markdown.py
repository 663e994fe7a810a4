"""A check's verdict as Markdown, as the notebooks show it (made-up results, no dbt)."""

from __future__ import annotations

from pathlib import Path

from mesh_workshop.dbt.results import BuildResult, NodeResult
from mesh_workshop.mesh.build import MeshBuildResult, ProjectOutcome
from mesh_workshop.verdict.check import CheckResult, build_markdown, explanations_markdown
from mesh_workshop.verdict.explain import Explanation
from mesh_workshop.verdict.governance import GovernanceFinding


def _explanation(code: str, model: str, dbt_message: str = "") -> Explanation:
    return Explanation(
        code=code,
        title=f"Title of {code}",
        what_happened=f"`{model}` did something.",
        who_is_hit="Someone downstream.",
        lever="Pull this lever.",
        dbt_message=dbt_message,
    )


def _check(statuses: dict[str, str], explanations=(), findings=()) -> CheckResult:
    projects = tuple(ProjectOutcome(name, status, "-") for name, status in statuses.items())
    ok = all(status in {"built", "up to date"} for status in statuses.values())
    return CheckResult(
        Path("/nowhere"),
        MeshBuildResult(ok, 1.0, projects),
        findings=tuple(findings),
        explanations=tuple(explanations),
    )


def _finding(project: str, severity: str = "error") -> GovernanceFinding:
    return GovernanceFinding(
        "private_violation",
        severity,
        project,
        f"{project}.report",
        f"{project} broke a rule.",
        "model access",
    )


def test_a_clean_check_says_so_with_a_row_per_project():
    text = _check({"data_platform": "built", "people_ops": "up to date"}).markdown()
    assert text.startswith("### ✅ The mesh builds and every test passes\n")
    assert "| `data_platform` | built | - | - | - | - |" in text
    assert "| `people_ops` | up to date |" in text
    assert "####" not in text


def test_a_failed_check_explains_each_kind_of_problem_once_with_what_dbt_said():
    explanations = [
        _explanation("protected_ref", "a", "Parsing Error\n  protected to the 'hub' package.\n"),
        _explanation("protected_ref", "b", "Parsing Error (again)"),
        _explanation("test_failure", "c"),
    ]
    text = _check({"hub": "built", "spoke": "failed"}, explanations).markdown()
    assert text.startswith("### ❌ The mesh does not build cleanly\n")
    assert "| `spoke` | failed |" in text
    assert text.count("#### Title of protected_ref (`protected_ref`)") == 1
    assert "`a` did something." in text and "`b` did something." not in text
    assert "dbt said the same kind of thing once more." in text
    assert "```text\nParsing Error\n  protected to the 'hub' package.\n```" in text
    assert "#### Title of test_failure (`test_failure`)" in text
    assert "- **Who is hit:** Someone downstream.\n- **The lever:** Pull this lever." in text
    assert text.count("What dbt said:") == 1  # the test failure came with no message


def test_governance_errors_show_where_dbt_built_the_project_anyway():
    findings = [_finding("spoke"), _finding("other"), _finding("hub", severity="warning")]
    text = _check({"hub": "built", "spoke": "failed", "other": "built"}, (), findings).markdown()
    assert "#### Governance findings" in text
    assert "- other broke a rule. (lever: model access)" in text
    assert "spoke broke a rule." not in text  # dbt's failure already says why
    assert "hub broke a rule." not in text  # advice, not a broken rule
    # A check that builds but breaks a rule is not a pass, and says why.
    passed_build = _check({"hub": "built"}, (), [_finding("hub")])
    assert passed_build.markdown().startswith("### ❌")
    assert "- hub broke a rule." in passed_build.markdown()


def test_explanations_alone_can_leave_out_dbt_messages():
    found = [_explanation("model_not_found", "x", "Compilation Error: not found")]
    assert "not found" in explanations_markdown(found)
    text = explanations_markdown(found, dbt_messages=False)
    assert text.startswith(
        "#### Title of model_not_found (`model_not_found`)\n\n`x` did something."
    )
    assert "What dbt said" not in text and "Compilation Error" not in text


def test_the_rooms_build_table_is_markdown_without_paths_and_says_when_nothing_ran():
    failed_test = NodeResult(
        "test.spoke.not_null_report_id.1a2b", "error", "Binder Error: column gone", 0.1, None
    )
    spoke = BuildResult(
        "spoke", False, 2.5, (failed_test,), log_path="/tmp/sandbox/build/spoke/logs/dbt.log"
    )
    build = MeshBuildResult(
        False,
        3.0,
        (
            ProjectOutcome("hub", "built", "changes only"),
            ProjectOutcome("spoke", "failed", "everything", spoke),
        ),
    )
    lines = build_markdown(build)
    assert lines[:2] == [
        "| project | status | what ran | models | tests | failures | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    assert "| `hub` | built | what changed | - | - | - | - |" in lines
    assert "| `spoke` | failed | everything | 0 | 1 | 1 | 2.5 |" in lines
    assert "- `spoke`: test `not_null_report_id` error" in lines
    assert "Full dbt log" not in "\n".join(lines) and "/tmp" not in "\n".join(lines)
    assert "Full dbt log" in build.table(), "the command line still names the log"

    unchanged = _check({"hub": "up to date", "spoke": "up to date"}).build
    assert "Nothing needed building" in "\n".join(build_markdown(unchanged))
