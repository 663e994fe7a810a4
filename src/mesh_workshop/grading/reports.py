"""The reports a graded class is written as: `grades.json` (its schema is
`docs/grades.schema.json`), `grades.csv` (a gradebook), `junit.xml` (one test case per criterion
per submission, for autograders and CI), `report.html` (`report_html.py`), a feedback file per
submission, and the table the terminal prints.

Submission text is untrusted: the CSV never starts a cell with a character a spreadsheet would
run as a formula, the XML writer escapes, and a feedback file's path is never built from a name a
submission gives (only from the path it was found at, which reading already checked).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from tabulate import tabulate

from ..errors import KitError
from ..scenario.model import load_scenario
from ..workshop.folders import write_atomically
from .model import Grades, Submission
from .source import Found

FEEDBACK_FILE = "feedback.md"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def write_all(grades: Grades, out: Path, root: Path, found: list[Found], beside: bool) -> Grades:
    """Write every report into `out`; returns the grades with each feedback file's path."""
    from .report_html import report_html  # the page is the largest writer: only when writing

    out.mkdir(parents=True, exist_ok=True)
    folders = {f.source: f.folder for f in found}
    rows = []
    for row in grades.submissions:
        rel = feedback_path(row)
        text = feedback_markdown(row)
        write_atomically(out / rel, text)
        folder = folders.get(row.source)
        if beside and folder is not None and _inside(folder, root):
            name = (
                FEEDBACK_FILE
                if row.kind == "decisions"
                else f"{Path(row.source).stem}.{FEEDBACK_FILE}"
            )
            try:
                write_atomically(folder / name, text)
            except OSError:
                pass  # a read-only class folder: the copy in the report folder is there
        rows.append(row.model_copy(update={"feedback": rel.as_posix()}))
    grades = grades.model_copy(update={"submissions": rows})
    write_atomically(out / "grades.json", grades.model_dump_json(indent=2) + "\n")
    write_atomically(out / "grades.csv", gradebook_csv(grades))
    write_atomically(out / "junit.xml", junit_xml(grades))
    write_atomically(out / "report.html", report_html(grades))
    return grades


def _inside(folder: Path, root: Path) -> bool:
    try:
        return (
            not folder.is_symlink()
            and folder.resolve().is_relative_to(root.resolve())
            and folder.is_dir()
        )
    except OSError:
        return False


def feedback_path(row: Submission) -> Path:
    """`feedback/<the submission's path>.md`, every part reduced to safe characters."""
    parts = [
        re.sub(r"[^A-Za-z0-9_.-]+", "_", p).strip(".") or "_"
        for p in PurePosixPath(row.source).parts
    ]
    return Path("feedback", *parts[:-1], f"{parts[-1]}.md")


def feedback_markdown(row: Submission) -> str:
    """What a group reads about its answer (Markdown)."""
    verdict = {"pass": "Passed", "fail": "Not passed yet", "refused": "Refused"}[row.verdict]
    if row.kind == "council":
        scenario = "the Mesh Council's final mesh"
    elif row.scenario:
        scenario = _scenario_title(row.scenario)
    else:
        scenario = "no scenario: graded on its build and governance"
    lines = [
        f"# Feedback for {_user(row.group)}",
        "",
        f"- Answer: `{row.source.replace('`', '')}` ({_text(scenario)})",
        f"- Verdict: **{verdict}**, {row.score} of {row.max_score} points",
    ]
    if row.reason:
        lines += ["", f"**Why:** {_text(row.reason)}"]
    counted = [c for c in row.criteria if not c.consequence]
    if counted:
        lines += ["", "## Success criteria", ""]
        lines += [
            f"- {'✓ met' if c.passed else '✗ not met'} ({c.earned}/{c.points}): {_text(c.says)} "
            f"({_text(c.detail)})"
            for c in counted
        ]
    weighed = [c for c in row.criteria if c.consequence]
    if weighed:
        title = (
            "Secret missions the kit can check (shown, not counted)"
            if row.kind == "council"
            else "What your decision means (not counted)"
        )
        lines += ["", f"## {title}", ""]
        lines += [
            f"- {'yes' if c.passed else 'no'}: {_text(c.says)} ({_text(c.detail)})" for c in weighed
        ]
    if row.explanations:
        lines += ["", "## What happened, in plain words"]
        for e in row.explanations:
            lines += [
                "",
                f"**{_text(e.title)}.** {_text(e.what_happened)}",
                "",
                f"- Who is hit: {_text(e.who_is_hit)}",
                f"- The lever: {_text(e.lever)}",
            ]
    if row.findings:
        lines += ["", "## Governance findings", ""]
        lines += [
            f"- {f.severity}{'' if f.new else ' (in the starting mesh too)'}: {_text(f.message)}"
            for f in row.findings
        ]
    return "\n".join(lines) + "\n"


def _scenario_title(scenario_id: str) -> str:
    try:
        scenario = load_scenario(scenario_id)
    except KitError:
        return scenario_id
    return f"scenario {scenario.number}, {scenario.title}"


def _text(text: str) -> str:
    """The kit's own words, which may quote what a submission wrote: no HTML and no link can
    come through; the kit's `code` marks stay."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("](", "] (").replace("\n", " ")


def _user(text: str) -> str:
    """A name a submission gave, shown as plain text in Markdown."""
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", _text(text))


def gradebook_csv(grades: Grades) -> str:
    ids: list[str] = []
    for row in grades.submissions:
        for c in row.criteria:
            label = f"{row.scenario or row.kind}:{c.id}"
            if not c.consequence and label not in ids:
                ids.append(label)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["group", "scenario", "source", "verdict", "score", "max_score", *ids, "reason"]
    )
    for row in grades.submissions:
        met = {f"{row.scenario or row.kind}:{c.id}": int(c.passed) for c in row.criteria}
        writer.writerow(
            [
                _cell(row.group),
                row.scenario or "",
                _cell(row.source),
                row.verdict,
                row.score,
                row.max_score,
                *[met.get(i, "") for i in ids],
                _cell(row.reason or ""),
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA) else text


def junit_xml(grades: Grades) -> str:
    """One suite per submission, one case per criterion; a refused submission is one error."""
    suites = ET.Element("testsuites", name="mesh-workshop grade")
    for row in grades.submissions:
        cases = row.criteria if row.verdict != "refused" else []
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=_xml(f"{row.group} / {row.scenario or row.kind} / {row.source}"),
            tests=str(max(1, len(cases))),
            failures=str(sum(not c.passed for c in cases if not c.consequence)),
            errors="1" if row.verdict == "refused" else "0",
            time=f"{row.seconds:.2f}",
        )
        classname = _xml(f"{row.group}.{row.scenario or row.kind}")
        if row.verdict == "refused":
            case = ET.SubElement(suite, "testcase", name="answer is accepted", classname=classname)
            ET.SubElement(case, "error", message=_xml(row.reason or "refused")).text = _xml(
                row.reason or ""
            )
            continue
        for c in cases:
            case = ET.SubElement(
                suite, "testcase", name=_xml(f"{c.id}: {c.says}"), classname=classname
            )
            if c.consequence:
                ET.SubElement(case, "skipped", message=_xml(f"weighed, not counted: {c.detail}"))
            elif not c.passed:
                ET.SubElement(case, "failure", message=_xml(c.detail)).text = _xml(c.detail)
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("verdict", row.verdict),
            ("score", str(row.score)),
            ("max_score", str(row.max_score)),
        ):
            ET.SubElement(props, "property", name=name, value=value)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _xml(text: str) -> str:
    """Text XML 1.0 can hold (it has no escape for most control characters)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "?", text)


def terminal_table(grades: Grades) -> str:
    rows = [
        (
            r.group[:30],
            r.scenario or r.kind,
            r.verdict,
            f"{r.score}/{r.max_score}",
            first_problem(r)[:70],
        )
        for r in grades.submissions
    ]
    s = grades.summary
    table = tabulate(rows, headers=("group", "scenario", "verdict", "score", "first problem"))
    foot = (
        f"{s.submissions} submissions: {s.passed} pass, {s.failed} fail, {s.refused} refused. "
        f"{s.distinct_answers} distinct answers: {s.built} built, {s.from_cache} from an earlier "
        f"grading, in {s.seconds:.1f} s."
    )
    if s.most_common_failure:
        foot += (
            f"\nMost common failure ({s.most_common_failure.count}): {s.most_common_failure.what}"
        )
    return table + "\n\n" + foot


def first_problem(row: Submission) -> str:
    if row.reason:
        return row.reason
    missed = [c for c in row.criteria if not c.passed and not c.consequence]
    return f"{missed[0].id}: {missed[0].detail}" if missed else ""
