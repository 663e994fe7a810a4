"""The instructor's grading app: choose the class's folder and the options, press Grade, read
the class as a table, open any group's answer, and find the written reports.

A thin front end over `kit.grade`: the grading runs in a background thread with a progress bar
(its progress only sets widget values), and `grade_now()` runs the same code in the caller's
thread for the notebook and the tests. Every value that comes from a submission (a group's name,
a reason, a path) is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

import ipywidgets as w

from ..api import GradeProgress, Grades, Options, kit
from ..errors import KitError
from ..grading.model import Submission
from .common import ShownAsWidget, classed, heading, plain_html

PRACTICE_GROUPS, PRACTICE_DISTINCT = 10, 4
REPORTS = (
    ("report.html", "the class on one page, to open in a browser"),
    ("grades.json", "every grade and reason, for other tools"),
    ("grades.csv", "the gradebook, for a spreadsheet"),
    ("junit.xml", "one test per success criterion, for an autograder or CI"),
)
SORTS = (("Group", "group"), ("Scenario", "scenario"), ("Verdict", "verdict"), ("Score", "score"))
VERDICTS = {"pass": "Passed", "fail": "Not passed yet", "refused": "Refused"}
VERDICT_ORDER = {"pass": 0, "fail": 1, "refused": 2}
HOW = {
    "built": "built for this answer",
    "same answer": "same answer as another group",
    "cached": "from an earlier grading",
    "not built": "not built",
}
COLOURS = {"info": "#1b5e20", "note": "#37474f", "warning": "#e65100", "error": "#b71c1c"}
MET = {True: "&#10004; met", False: "&#10008; not met"}
STYLE = """<style>
.rr-grade-app .jupyter-button { width: auto; min-width: 7em; padding: 0 1em; }
.rr-grade-table { border-collapse: collapse; margin: 0.4em 0; }
.rr-grade-table th, .rr-grade-table td { border: 1px solid #cfd8dc; padding: 0.2em 0.6em;
  text-align: left; vertical-align: top; }
.rr-grade-table td.rr-grade-problem { max-width: 36em; overflow-wrap: anywhere; }
.rr-grade-table .rr-grade-pass td.rr-grade-verdict { color: #1b5e20; font-weight: bold; }
.rr-grade-table .rr-grade-fail td.rr-grade-verdict { color: #e65100; font-weight: bold; }
.rr-grade-table .rr-grade-refused td.rr-grade-verdict { color: #b71c1c; font-weight: bold; }
.rr-grade-detail { max-width: 60em; overflow-wrap: anywhere; }
.rr-grade-detail h3 { margin: 0.4em 0 0.2em; }
.rr-grade-detail h4 { margin: 0.6em 0 0.2em; }
.rr-grade-detail ul { margin: 0.2em 0 0.4em 1.2em; padding: 0; }
.rr-grade-detail .rr-grade-missed b { color: #b71c1c; }
.rr-grade-detail .rr-grade-met b { color: #1b5e20; }
.rr-muted { color: #607d8b; }
</style>"""


def esc(text: object) -> str:
    return html.escape(str(text))


class GradeApp(ShownAsWidget):
    """Evaluate the app in a cell to show it (`app.widget` is the root).

    `folder` is the class to grade (default: the workshop folder), `out` where the reports are
    written (default: the kit's grade reports folder; an empty box writes none), and
    `practice_folder` where "Make a practice class" writes (default: the kit's practice class
    folder). `background=False` grades in the caller's thread when Grade is pressed."""

    def __init__(
        self,
        folder: Path | str | None = None,
        out: Path | str | None = None,
        practice_folder: Path | str | None = None,
        background: bool = True,
    ) -> None:
        space = kit.workspace
        self.practice_folder = Path(practice_folder) if practice_folder else space.practice_class
        self.background = background
        self.grades: Grades | None = None
        self.graded_out: Path | None = None  # where the shown grades' reports were written
        self.message = ""  # the status line, as plain text
        self._thread: threading.Thread | None = None
        self._busy = threading.Lock()
        self._scenarios = {s.id: s for s in kit.scenarios()}

        wide = w.Layout(width="100%", max_width="48em")
        self.folder = classed(
            w.Text(
                value=str(folder or space.saved),
                description="Answers",
                placeholder="a workshop folder, a folder of proposal files, or a zip",
                layout=wide,
            ),
            "rr-grade-folder",
        )
        self.out = classed(
            w.Text(
                value=str(space.grade_reports if out is None else out),
                description="Reports",
                placeholder="leave empty to write no reports",
                layout=wide,
            ),
            "rr-grade-out",
        )
        self.practice_button = classed(
            w.Button(
                description="Make a practice class",
                icon="users",
                tooltip=f"{PRACTICE_GROUPS} made-up groups, {PRACTICE_DISTINCT} different answers",
            ),
            "rr-grade-practice",
        )
        self.strict = classed(
            w.Checkbox(value=False, description="Reading a deprecated model version fails"),
            "rr-grade-strict",
        )
        self.warning_cost = classed(
            w.IntText(value=0, description="Points off per governance warning"),
            "rr-grade-warning-cost",
        )
        self.time_limit = classed(
            w.IntText(value=300, description="Seconds per answer, at most"),
            "rr-grade-time-limit",
        )
        self.feedback = classed(
            w.Checkbox(value=True, description="Also put each group's feedback beside its answer"),
            "rr-grade-feedback",
        )
        self.scenarios = classed(
            w.SelectMultiple(
                options=[(f"{s.number}. {s.title}", s.id) for s in self._scenarios.values()],
                value=(),
                rows=min(5, len(self._scenarios)),
                description="Scenarios",
                layout=w.Layout(width="100%", max_width="36em"),
            ),
            "rr-grade-scenarios",
        )
        self.groups = classed(
            w.Text(
                description="Groups",
                placeholder="all; or names separated by commas: Table 1, Table 4",
                layout=wide,
            ),
            "rr-grade-groups",
        )
        for box in (self.warning_cost, self.time_limit, self.strict, self.feedback):
            box.style.description_width = "initial"
        self.grade_button = classed(
            w.Button(description="Grade", button_style="primary", icon="check-square-o"),
            "rr-grade-button",
        )
        self.progress = classed(
            w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="24em")),
            "rr-grade-progress",
        )
        self.progress_text = classed(w.Label(), "rr-grade-progress-text")
        self.status = classed(w.HTML(), "rr-grade-status")
        self.summary = classed(w.HTML(), "rr-grade-summary")
        self.sort_by = classed(
            w.Dropdown(options=SORTS, value="group", description="Sort by"), "rr-grade-sort"
        )
        self.order = classed(
            w.ToggleButtons(options=[("Ascending", False), ("Descending", True)], value=False),
            "rr-grade-order",
        )
        self.table = classed(w.HTML(), "rr-grade-table-view")
        self.submission = classed(
            w.Dropdown(
                options=[], description="Answer", layout=w.Layout(width="100%", max_width="48em")
            ),
            "rr-grade-submission",
        )
        self.detail = classed(w.HTML(), "rr-grade-detail-view")
        self.reports = classed(w.HTML(), "rr-grade-reports")

        self.practice_button.on_click(lambda _: self.make_practice_class())
        self.grade_button.on_click(lambda _: self.grade())
        self.sort_by.observe(lambda _: self.show_table(), "value")
        self.order.observe(lambda _: self.show_table(), "value")
        self.submission.observe(lambda _: self.show_detail(), "value")

        self.widget = classed(
            w.VBox(
                [
                    w.HTML(STYLE),
                    heading("1. The class", 4),
                    self.folder,
                    self.out,
                    self.practice_button,
                    heading("2. Options", 4),
                    w.HBox([self.strict, self.feedback], layout=w.Layout(flex_flow="row wrap")),
                    w.HBox(
                        [self.warning_cost, self.time_limit],
                        layout=w.Layout(flex_flow="row wrap"),
                    ),
                    self.scenarios,
                    w.HTML(
                        "<span class='rr-muted'>No scenario chosen: every scenario. Hold Ctrl "
                        "(or Cmd) to choose several.</span>"
                    ),
                    self.groups,
                    heading("3. Grade", 4),
                    w.HBox([self.grade_button, self.progress, self.progress_text]),
                    self.status,
                    self.summary,
                    heading("The class", 4),
                    w.HBox([self.sort_by, self.order], layout=w.Layout(flex_flow="row wrap")),
                    self.table,
                    heading("One answer", 4),
                    self.submission,
                    self.detail,
                    heading("The reports", 4),
                    self.reports,
                ]
            ),
            "rr-grade-app",
        )
        self._clear()

    # Reading the form -------------------------------------------------------------------------

    def options(self) -> Options:
        """The grading options the form says; `KitError` in plain words when one is out of range."""
        cost, limit = self.warning_cost.value, self.time_limit.value
        if not 0 <= cost <= 100:
            raise KitError(
                f"Points off per governance warning must be from 0 to 100, not `{cost}`.",
                "Set it to 0 to take no points off for warnings.",
            )
        if not 1 <= limit <= 3600:
            raise KitError(
                f"The time per answer must be from 1 to 3600 seconds, not `{limit}`.",
                "300 seconds (five minutes) is plenty for one answer.",
            )
        groups = [g.strip() for g in self.groups.value.split(",") if g.strip()]
        return Options(
            strict_deprecations=self.strict.value,
            warning_cost=cost,
            time_limit=float(limit),
            scenarios=list(self.scenarios.value),
            groups=groups,
            feedback=self.feedback.value,
        )

    def source(self) -> Path:
        text = self.folder.value.strip()
        if not text:
            raise KitError(
                "Say which answers to grade.",
                "Type the path of a workshop folder, a folder of proposal files or a zip, or "
                "press Make a practice class.",
            )
        return Path(text).expanduser()

    def report_folder(self) -> Path | None:
        text = self.out.value.strip()
        return Path(text).expanduser() if text else None

    # Buttons ----------------------------------------------------------------------------------

    @property
    def grading(self) -> bool:
        return self._busy.locked()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a grading under way; True when none is running any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.grading

    def make_practice_class(
        self, groups: int = PRACTICE_GROUPS, distinct: int = PRACTICE_DISTINCT
    ) -> Path | None:
        """Write a practice class of made-up groups and point the folder at it."""
        if self.grading:
            self._say(
                "A class is being graded; make the practice class when it is done.", "warning"
            )
            return None
        try:
            kit.write_practice_class(self.practice_folder, groups, distinct)
        except (KitError, OSError, ValueError) as problem:
            self._say(f"The practice class could not be written: {_words(problem)}", "error")
            return None
        self.folder.value = str(self.practice_folder)
        self._say(
            f"Wrote a practice class: {groups} made-up groups giving {distinct} different "
            f"answers, in `{self.practice_folder}`. Press Grade to grade it."
        )
        return self.practice_folder

    def grade(self) -> None:
        """What the Grade button does: grade in the background (or here, without background)."""
        if self.grading:
            self._say("A class is being graded; its table appears here when it is done.", "warning")
            return
        if not self.background:
            self.grade_now()
            return
        self._thread = threading.Thread(target=self.grade_now, name="rr-grade", daemon=True)
        self._thread.start()

    def grade_now(self) -> Grades | None:
        """Grade the class the form says, in this thread, and show it; None when it could not
        be graded (the status line says why, in plain words)."""
        if not self._busy.acquire(blocking=False):
            self._say("A class is being graded; its table appears here when it is done.", "warning")
            return None
        self.grade_button.disabled = self.practice_button.disabled = True
        try:
            try:
                source, out, options = self.source(), self.report_folder(), self.options()
            except KitError as problem:
                self._say(_words(problem), "error")
                return None
            self.progress.max, self.progress.value, self.progress.bar_style = 1, 0, "info"
            self.progress_text.value = "Reading the answers"
            self._say(
                "Grading: each different answer is built once with dbt; groups that gave the "
                "same answer share its verdict.",
                "note",
            )
            try:
                grades = kit.grade(source, out, options, on_progress=self._progress)
            except KitError as problem:
                self._failed(f"The class could not be graded. {_words(problem)}")
                return None
            except OSError as problem:
                self._failed(
                    f"The class could not be graded: {problem.strerror or problem}. Check that "
                    "the answers' folder can be read and the reports' folder can be written."
                )
                return None
            except Exception as problem:  # never a traceback in the notebook
                self._failed(f"The class could not be graded: {type(problem).__name__}: {problem}")
                return None
            self.progress.value = self.progress.max
            self.progress.bar_style = "success"
            self.progress_text.value = f"Done in {grades.summary.seconds:.0f} s"
            self.show(grades, out)
            self._say(f"Graded `{source}`.")
            return grades
        finally:
            self.grade_button.disabled = self.practice_button.disabled = False
            self._busy.release()

    def _progress(self, step: GradeProgress) -> None:
        """Called from the grading's threads: sets widget values only."""
        try:
            if step.total:
                self.progress.max = step.total
                self.progress.value = min(step.done, step.total)
            self.progress_text.value = step.text
        except Exception:  # a picture of progress never stops the grading itself
            pass

    def _failed(self, text: str) -> None:
        self.progress.bar_style = "danger"
        self.progress_text.value = "Stopped"
        self._say(text, "error")

    # Showing ----------------------------------------------------------------------------------

    def show(self, grades: Grades, out: Path | None = None) -> None:
        """Show a graded class: the summary, the table, the answers to open, the reports."""
        self.grades, self.graded_out = grades, out
        self.summary.value = f"<p>{plain_html(summary_text(grades))}</p>"
        self.show_table()
        self.submission.options = [
            (f"{s.group} · {self._scenario_name(s)} · {VERDICTS[s.verdict]}", n)
            for n, s in enumerate(grades.submissions)
        ]
        self.submission.value = 0 if grades.submissions else None
        self.show_detail()
        self.reports.value = self._reports_html()

    def show_table(self) -> None:
        if self.grades is None:
            self.table.value = "<p class='rr-muted'>Nothing graded yet.</p>"
            return
        self.table.value = self.table_html(self.sorted_rows())

    def sorted_rows(self) -> list[Submission]:
        """The class's submissions in the order the table shows them."""
        if self.grades is None:
            return []
        by = self.sort_by.value
        keys = {
            "group": lambda s: (s.group.casefold(), s.source),
            "scenario": lambda s: (self._scenario_rank(s), s.group.casefold(), s.source),
            "verdict": lambda s: (VERDICT_ORDER[s.verdict], s.group.casefold(), s.source),
            "score": lambda s: (s.score, s.max_score, s.group.casefold(), s.source),
        }
        return sorted(self.grades.submissions, key=keys[by], reverse=self.order.value)

    def table_html(self, rows: list[Submission]) -> str:
        if not rows:
            return "<p class='rr-muted'>No answers were found in that folder.</p>"
        head = "".join(
            f"<th>{h}</th>"
            for h in ("Group", "Scenario", "Verdict", "Score", "Verdict reached", "First problem")
        )
        body = "".join(
            f"<tr class='rr-grade-row rr-grade-{s.verdict}'>"
            f"<td class='rr-grade-group'>{esc(s.group)}</td>"
            f"<td>{esc(self._scenario_name(s))}</td>"
            f"<td class='rr-grade-verdict'>{VERDICTS[s.verdict]}</td>"
            f"<td class='rr-grade-score'>{s.score} / {s.max_score}</td>"
            f"<td>{esc(HOW[s.built])}</td>"
            f"<td class='rr-grade-problem'>{plain_html(first_problem(s))}</td></tr>"
            for s in rows
        )
        return f"<table class='rr-grade-table'><tr>{head}</tr>{body}</table>"

    def show_detail(self) -> None:
        if self.grades is None or self.submission.value is None:
            empty = "Grade a class, then choose an answer." if self.grades is None else ""
            self.detail.value = f"<p class='rr-muted'>{empty}</p>" if empty else ""
            return
        self.detail.value = self.detail_html(self.grades.submissions[self.submission.value])

    def detail_html(self, row: Submission) -> str:
        """One answer's feedback, as its group reads it, with how its verdict was reached.
        Every text is escaped; `names` in the kit's words show in code font."""
        how = HOW[row.built] + (f" in {row.seconds:.1f} s" if row.built == "built" else "")
        parts = [
            f"<h3>{esc(row.group)}</h3>",
            f"<p>Answer <code>{esc(row.source)}</code> ({esc(self._scenario_name(row))}): "
            f"<b>{VERDICTS[row.verdict]}</b>, {row.score} of {row.max_score} points.</p>",
            f"<p class='rr-muted'>Verdict reached: {esc(how)}.</p>",
        ]
        if row.reason:
            parts.append(f"<p><b>Why:</b> {plain_html(row.reason)}</p>")
        counted = [c for c in row.criteria if not c.consequence]
        if counted:
            parts.append("<h4>Success criteria</h4><ul>")
            parts += [
                f"<li class='rr-grade-criterion rr-grade-{'met' if c.passed else 'missed'}'>"
                f"<b>{MET[c.passed]}</b> ({c.earned}/{c.points}): {plain_html(c.says)} "
                f"<span class='rr-muted'>{plain_html(c.detail)}</span></li>"
                for c in counted
            ]
            parts.append("</ul>")
        weighed = [c for c in row.criteria if c.consequence]
        if weighed:
            council = row.kind == "council"
            parts.append(
                "<h4>The secret missions the kit can check (shown, never counted)</h4><ul>"
                if council
                else "<h4>What the decision means for others (not counted)</h4><ul>"
            )
            answers = {True: "met", False: "not met"} if council else {True: "yes", False: "no"}
            parts += [
                f"<li><b>{answers[c.passed]}</b>: {plain_html(c.says)} "
                f"<span class='rr-muted'>{plain_html(c.detail)}</span></li>"
                for c in weighed
            ]
            parts.append("</ul>")
        if row.broken_consumers:
            parts.append(
                "<p>Other teams' models it broke: "
                + ", ".join(f"<code>{esc(m)}</code>" for m in row.broken_consumers)
                + "</p>"
            )
        if row.explanations:
            parts.append("<h4>What happened, in plain words</h4>")
            parts += [
                f"<p><b>{plain_html(e.title)}.</b> {plain_html(e.what_happened)}</p><ul>"
                f"<li>Who is hit: {plain_html(e.who_is_hit)}</li>"
                f"<li>The lever: {plain_html(e.lever)}</li></ul>"
                for e in row.explanations
            ]
        errors = [f for f in row.findings if f.severity == "error"]
        warnings = [f for f in row.findings if f.severity == "warning"]
        if errors:
            parts.append("<h4>Governance rules broken</h4><ul>")
            parts += [f"<li>{plain_html(f.message)}</li>" for f in errors]
            parts.append("</ul>")
        if warnings:
            parts.append(
                f"<details><summary>{len(warnings)} governance warning"
                f"{'' if len(warnings) == 1 else 's'} on this answer's mesh</summary><ul>"
                + "".join(f"<li>{plain_html(f.message)}</li>" for f in warnings)
                + "</ul></details>"
            )
        if row.feedback and self.graded_out is not None:
            parts.append(
                f"<p class='rr-muted'>The group's feedback file: "
                f"<code>{esc(self.graded_out / row.feedback)}</code></p>"
            )
        return f"<div class='rr-grade-detail'>{''.join(parts)}</div>"

    def report_paths(self) -> dict[str, Path]:
        """The reports of the shown grading (none when no reports were written)."""
        if self.grades is None or self.graded_out is None:
            return {}
        paths = {name: self.graded_out / name for name, _ in REPORTS}
        paths["feedback"] = self.graded_out / "feedback"
        return paths

    def _reports_html(self) -> str:
        paths = self.report_paths()
        if not paths:
            return (
                "<p class='rr-muted'>No reports were written: type a folder in Reports to have "
                "them.</p>"
            )
        items = "".join(
            f"<li><code>{esc(paths[name])}</code>: {esc(what)}</li>" for name, what in REPORTS
        )
        items += (
            f"<li><code>{esc(paths['feedback'])}</code>: one feedback file per answer, as "
            "shown above</li>"
        )
        return f"<ul>{items}</ul>"

    def _scenario_name(self, row: Submission) -> str:
        scenario = self._scenarios.get(row.scenario or "")
        if scenario is not None:
            return f"{scenario.number}. {scenario.title}"
        if row.kind == "council":
            return "Mesh Council"
        return row.scenario or "no scenario"

    def _scenario_rank(self, row: Submission) -> tuple:
        scenario = self._scenarios.get(row.scenario or "")
        return (0, scenario.number, "") if scenario else (1, 0, self._scenario_name(row))

    def _clear(self) -> None:
        self.show_table()
        self.show_detail()
        self.summary.value = ""
        self.reports.value = ""

    def _say(self, text: str, kind: str = "info") -> None:
        self.message = text
        colour = COLOURS.get(kind, COLOURS["note"])
        self.status.value = f"<span style='color:{colour}'>{plain_html(text)}</span>"


def summary_text(grades: Grades) -> str:
    """The class in a sentence or three (plain text)."""
    s = grades.summary
    text = (
        f"{s.submissions} answer{'' if s.submissions == 1 else 's'}: {s.passed} passed, "
        f"{s.failed} not passed yet, {s.refused} refused. {s.distinct_answers} different "
        f"answer{'' if s.distinct_answers == 1 else 's'}: {s.built} built now, {s.from_cache} "
        f"from an earlier grading, in {s.seconds:.1f} s."
    )
    failure = s.most_common_failure
    if failure:
        text += f" Most common problem ({failure.count}): {failure.what.rstrip('.')}."
    return text


def first_problem(row: Submission) -> str:
    """Why a submission lost points, in a line ("" when it lost none)."""
    if row.reason:
        return _short(row.reason)
    missed = [c for c in row.criteria if not c.passed and not c.consequence]
    return _short(f"{missed[0].says}: {missed[0].detail}") if missed else ""


def _short(text: str, at: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= at else text[: at - 1] + "…"


def _words(problem: Exception) -> str:
    if isinstance(problem, KitError):
        return f"{problem.message} {problem.hint or ''}".strip()
    return str(problem)
