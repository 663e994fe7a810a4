"""The scenario app: read the card, decide in the form, press "Apply & check", read the verdict.

A thin front end over `GroupSession`: every button is one call to the session, and every result
is rendered, never computed, here. "Apply & check" runs in a background thread so the notebook's
kernel stays free; while it runs, a second press only says so (the session refuses a second
check of the same group and scenario anywhere on the machine, and that is shown the same way).
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from pathlib import Path

import ipywidgets as w

from ..api import DbtWorkerPool, kit
from ..errors import KitError
from ..scenario.model import load_scenario
from ..workshop.folders import DECISIONS_FILE, current_group
from ..workshop.session import (
    ChoicesRefused,
    DiskFull,
    GroupSession,
    Progress,
    SessionBusy,
    Verdict,
    consequence_lines,
)
from .card import ScenarioCard
from .common import ShownAsWidget, classed, heading, markdown_output, plain_html, show_markdown
from .form import DecisionForm

DEFAULT_GROUP = "Table 1"
PROGRESS_STEPS = 100
# Where each stage of a check puts the bar (building fills the space between applying and judging).
STAGE_AT = {"saving": 0.02, "applying": 0.05, "building": 0.05, "judging": 0.95, "done": 1.0}
BUILDING_SHARE = 0.90
VERDICT_CLASSES = ("rr-verdict-pass", "rr-verdict-fail")
LEGEND = (
    "Yellow boxes: models your decisions (or the scenario) changed. Red boxes: models that failed "
    "to build or failed a test. Around them, the models that read them or that they read; dashed "
    "arrows run from a project to the projects that read it."
)
# The page's rules for the app: role tabs as wide as their titles (ipywidgets cuts titles at
# 144px), and a verdict that dims, with a word saying why, while the next check runs.
STYLE = """<style>
.rr-scenario-app .rr-role-tabs > .lm-TabBar .lm-TabBar-tab {
  flex: 0 0 auto !important; max-width: none !important;
}
.rr-scenario-app .rr-role-tabs > .lm-TabBar .lm-TabBar-tabLabel {
  overflow: visible !important; text-overflow: clip !important;
}
.rr-scenario-app .widget-radio-box > label {
  display: flex; flex-direction: row-reverse; justify-content: flex-end; align-items: baseline;
  gap: 0.4em; height: auto; white-space: normal; line-height: 1.4;
}
.rr-scenario-app .widget-radio-box > label > input { flex: none; margin: 0; float: none; }
.rr-scenario-app .rr-result { transition: opacity 0.2s; }
.rr-scenario-app .rr-result code, .rr-scenario-app .rr-result em { overflow-wrap: anywhere; }
.rr-scenario-app .rr-result.rr-checking { opacity: 0.35; }
.rr-scenario-app .rr-result.rr-checking::before {
  content: "Checking your new decision: this is the previous verdict.";
  display: block; font-style: italic; color: #37474f;
}
.rr-scenario-app .rr-result.rr-verdict-previous { opacity: 0.8; }
</style>"""
STATUS_COLOURS = {"info": "#1b5e20", "note": "#37474f", "warning": "#e65100", "error": "#b71c1c"}


class ScenarioApp(ShownAsWidget):
    """One group's working session on one scenario, as a notebook widget.

    Evaluate the app in a cell to show it (`app.widget` is the root). `background=False` runs
    checks in the caller's thread (the click returns when the verdict is shown); `wait()` joins
    a background check.
    """

    def __init__(
        self,
        scenario_id: str,
        group: str | None = None,
        workshop: Path | str | None = None,
        pool: DbtWorkerPool | None = None,
        background: bool = True,
    ) -> None:
        self.scenario = load_scenario(scenario_id)
        self.workshop = Path(workshop).expanduser().resolve() if workshop else None
        self.pool = pool
        self.background = background
        self.session = GroupSession(
            self.scenario, group or current_group() or DEFAULT_GROUP, self.workshop, pool
        )
        self.verdict: Verdict | None = None
        self.history: list[Verdict] = []  # every verdict this app showed, oldest first
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._checking = False
        self._reset_armed = False

        self.card = ScenarioCard(self.scenario)
        self.form = DecisionForm(self.scenario)
        self.group_name = classed(
            w.Text(
                value=self.session.group,
                description="Your group",
                continuous_update=False,
                layout=w.Layout(width="24em"),
            ),
            "rr-group-name",
        )
        self.saved_where = classed(w.HTML(), "rr-saved-where")
        self.apply_button = classed(
            w.Button(description="Apply & check", button_style="primary", icon="play"),
            "rr-apply-button",
        )
        self.save_button = classed(w.Button(description="Save", icon="save"), "rr-save-button")
        self.load_button = classed(
            w.Button(description="Load", icon="folder-open"), "rr-load-button"
        )
        self.reset_button = classed(
            w.Button(description="Reset sandbox", icon="undo"), "rr-reset-button"
        )
        self.progress = classed(
            w.IntProgress(value=0, min=0, max=PROGRESS_STEPS, layout=w.Layout(width="24em")),
            "rr-progress",
        )
        self.progress_text = classed(w.Label(value=""), "rr-progress-text")
        self.status = classed(w.HTML(), "rr-status")
        self.result = markdown_output("", "rr-result")
        self.lineage = markdown_output("", "rr-lineage")

        self.group_name.observe(self._on_group, "value")
        self.apply_button.on_click(self._on_apply)
        self.save_button.on_click(self._on_save)
        self.load_button.on_click(self._on_load)
        self.reset_button.on_click(self._on_reset)

        # The decision and its verdict side by side (stacked on a narrow screen), so the
        # verdict appears next to the button that asked for it.
        column = {"flex": "1 1 30em", "min_width": "22em", "margin": "0 1em 0 0"}
        self.decision_row = classed(
            w.HBox(
                [
                    w.VBox(
                        [
                            heading("Your decision"),
                            self.form.widget,
                            w.HBox(
                                [
                                    self.apply_button,
                                    self.save_button,
                                    self.load_button,
                                    self.reset_button,
                                ],
                                layout=w.Layout(flex_flow="row wrap"),
                            ),
                            w.HBox([self.progress, self.progress_text]),
                            self.status,
                        ],
                        layout=w.Layout(**column),
                    ),
                    w.VBox([heading("Result"), self.result], layout=w.Layout(**column)),
                ],
                layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
            "rr-decision-row",
        )
        minutes = f"about {self.scenario.minutes} minutes"
        self.widget = classed(
            w.VBox(
                [
                    w.HTML(STYLE),
                    w.HTML(
                        f"<h2 style='margin-bottom:0.1em'>Scenario {self.scenario.number}: "
                        f"{html.escape(self.scenario.title)}</h2><i>{minutes}</i>"
                    ),
                    w.HBox([self.group_name, self.saved_where]),
                    self.card.widget,
                    self.decision_row,
                    heading("Your mesh"),
                    w.HTML(f"<span style='color:#555'>{html.escape(LEGEND)}</span>"),
                    self.lineage,
                ]
            ),
            "rr-scenario-app",
        )
        self._fill_form()
        self._show_group()
        # Starting the group's dbt workers: they load while the group reads the story.
        self.warming: threading.Thread | None = self.session.warm_up() if background else None

    # Showing the app --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """A check started by this app has not finished yet."""
        return self._checking

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background check to finish; True when none is running any more."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self._checking

    # Buttons ----------------------------------------------------------------------------------

    def _on_apply(self, _button=None) -> None:
        with self._lock:
            if self._checking:
                self._say(
                    "A check is already running for your group. The result appears below "
                    "when it is done; there is no need to press again.",
                    "warning",
                )
                return
            self._checking = True
        try:
            self._disarm_reset()
            self._copy_form_to(self.session)
            self._set_busy(True)
            self.progress.value = 0
            self.progress.bar_style = "info"
            self.progress_text.value = "Starting the check"
            self._mark_result(None)  # the verdict classes always belong to the newest check
            self.result.add_class("rr-checking")
            self._say("Checking your decision with dbt. The kernel stays free meanwhile.", "note")
        except Exception as problem:
            self._finish_check()
            self._say(f"The check could not start: {type(problem).__name__}: {problem}", "error")
            return
        if self.background:
            self._thread = threading.Thread(target=self._check, name="rr-check", daemon=True)
            self._thread.start()
        else:
            self._check()

    def _on_save(self, _button=None) -> None:
        self._disarm_reset()
        self._guarded(self._save)

    def _on_load(self, _button=None) -> None:
        self._disarm_reset()
        self._guarded(self._load)

    def _on_reset(self, _button=None) -> None:
        if not self._reset_armed:
            self._reset_armed = True
            self.reset_button.description = "Yes, reset it"
            self.reset_button.button_style = "danger"
            self._say(
                "Reset throws away your copy of the mesh and its build, so the next check starts "
                "from the original mesh (and takes a little longer). Your saved decisions stay. "
                "Press \u201cYes, reset it\u201d to go ahead, or any other button to keep it.",
                "warning",
            )
            return
        self._disarm_reset()
        self._guarded(self._reset)

    # What the buttons do ----------------------------------------------------------------------

    def _save(self) -> None:
        self._copy_form_to(self.session)
        path = self.session.save()
        self._say(f"Saved at {_clock()} in `{path}`.", "info")

    def _load(self) -> None:
        if self.session.load():
            self._fill_form()
            self._say(
                f"Loaded the decisions saved for `{self.session.group}` "
                f"(`{self.session.folder / DECISIONS_FILE}`).",
                "info",
            )
        else:
            self._say(
                f"Nothing is saved yet for `{self.session.group}` in this scenario "
                f"(looked for `{self.session.folder / DECISIONS_FILE}`).",
                "warning",
            )

    def _reset(self) -> None:
        self.session.reset()
        self._clear_result()
        self._draw_lineage()
        self._say(
            "Your copy of the mesh is back to where the scenario starts. "
            f"Your decisions are still saved in `{self.session.folder}`.",
            "info",
        )

    def _check(self) -> None:
        try:
            verdict = self.session.apply_and_check(self._on_progress)
        except SessionBusy as busy:
            self.progress.value = 0
            self.progress.bar_style = ""
            self.progress_text.value = ""
            self._say(f"{busy.message} {busy.hint}", "warning")
        except ChoicesRefused as refused:
            self.progress.value = 0
            self.progress.bar_style = ""
            self.progress_text.value = ""
            self._show_last_verdict()
            self._say(
                f"Not checked: {refused.message} {refused.hint} Your decisions are saved; "
                "the last verdict below still stands.",
                "warning",
            )
        except Exception as problem:  # shown in plain words; the saved decisions are untouched
            self.progress.bar_style = "danger"
            self.progress_text.value = "The check stopped"
            self._show_problem(problem)
        else:
            self._show_verdict(verdict)
        finally:
            self._finish_check()

    def _finish_check(self) -> None:
        self.result.remove_class("rr-checking")
        self._set_busy(False)
        with self._lock:
            self._checking = False

    def _on_progress(self, progress: Progress) -> None:
        try:
            self._show_progress(progress)
        except Exception:  # a picture of progress must never stop the check itself
            pass

    def _show_progress(self, progress: Progress) -> None:
        share = STAGE_AT.get(progress.stage, 0.0)
        if progress.stage == "building" and progress.projects_total:
            # Finished projects, plus the steps done so far, never past the next project's end.
            total = progress.projects_total
            done = progress.projects_done / total
            if progress.nodes_total:
                steps = progress.nodes_done / progress.nodes_total
                done = max(done, min(steps, (progress.projects_done + 1) / total))
            share += BUILDING_SHARE * min(done, 1.0)
        self.progress.value = max(self.progress.value, round(share * self.progress.max))
        text = progress.text
        if progress.stage == "building" and progress.projects_total:
            text += f" (projects done: {progress.projects_done} of {progress.projects_total})"
        self.progress_text.value = text

    # Showing results --------------------------------------------------------------------------

    def _show_verdict(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.history.append(verdict)
        self.progress.value = self.progress.max
        self.progress.bar_style = "success" if verdict.ok else "danger"
        show_markdown(self.result, verdict.summary())
        self._mark_result("rr-verdict-pass" if verdict.ok else "rr-verdict-fail")
        self._draw_lineage(verdict.changed_models, verdict.broken_models, verdict.circle)
        outcome = "solved" if verdict.ok else "not solved yet, see why below"
        text = f"Checked at {_clock()}: {outcome}. Your decisions are saved."
        if not self.session.summary.strip():
            text += (
                " Your answer has no summary yet: write one line in the summary box saying "
                "what you decided and why; the debrief shows it to the room."
            )
        self._say(text, "info" if verdict.ok else "warning")

    def _show_last_verdict(self) -> None:
        """Put back the verdict the panel showed before a check that was refused."""
        if self.verdict is not None:
            show_markdown(self.result, self.verdict.summary())
            self._mark_result("rr-verdict-pass" if self.verdict.ok else "rr-verdict-fail")
            self._draw_lineage(
                self.verdict.changed_models, self.verdict.broken_models, self.verdict.circle
            )
        else:
            self._show_previous()

    def _show_problem(self, problem: BaseException) -> None:
        if isinstance(problem, KitError):
            text = problem.message + (f" {problem.hint}" if problem.hint else "")
        else:
            text = f"{type(problem).__name__}: {problem}"
        after = (
            "Press **Apply & check** to try again."
            if isinstance(problem, DiskFull)
            else "Your decisions were saved before the check started, in "
            f"`{self.session.folder}`. Press **Apply & check** to try again."
        )
        show_markdown(self.result, f"### The check stopped before a verdict\n\n{text}\n\n{after}")
        self._mark_result(None)
        self._say("The check stopped; the result panel says why.", "error")

    def _show_previous(self) -> None:
        """The last check saved for this group (from an earlier session), if there is one."""
        last = self.session.last_result()
        interrupted = self.session.interrupted_check()
        cut_short = (
            [
                f"**Your check started {_when(interrupted)} did not finish**: the notebook's "
                "kernel stopped, or the server restarted, while dbt was building. Nothing you "
                "saved is lost: your decisions are in the form below. Press **Apply & check** "
                "to check them again.",
                "",
            ]
            if interrupted
            else []
        )
        if not last:
            self._clear_result()
            self._draw_lineage()
            if cut_short:
                show_markdown(self.result, "\n".join(cut_short))
                self.result.add_class("rr-verdict-previous")
            return
        required = [c for c in last.criteria if not c.consequence]
        met = sum(1 for c in required if c.passed)
        total = len(required)
        lines = cut_short + [
            f"### Your last check ({_when(last.checked_at)}): "
            + ("solved" if last.ok else f"{met} of {total} success criteria met"),
            "",
        ]
        lines += [
            f"- {'✓ **met**' if c.passed else '✗ **not met**'}: {c.says or ''} _{c.detail or ''}_"
            for c in required
        ]
        lines += consequence_lines(last.criteria)
        if last.error:
            lines += ["", f"**The mesh could not be built.** {last.error}"]
        lines += ["", "Press **Apply & check** to check your decisions again."]
        show_markdown(self.result, "\n".join(lines))
        self._mark_result(None)
        self.result.add_class("rr-verdict-previous")
        self._draw_lineage(last.changed_models, last.broken_models, last.circle)

    def _clear_result(self) -> None:
        self.verdict = None
        show_markdown(
            self.result, "_No check yet: make your decision above, then press **Apply & check**._"
        )
        self._mark_result(None)

    def _mark_result(self, verdict_class: str | None) -> None:
        for name in (*VERDICT_CLASSES, "rr-verdict-previous"):
            if name != verdict_class:
                self.result.remove_class(name)
        if verdict_class:
            self.result.add_class(verdict_class)
        colour = {"rr-verdict-pass": "#2e7d32", "rr-verdict-fail": "#c62828"}.get(verdict_class)
        self.result.layout.border = f"2px solid {colour}" if colour else ""
        self.result.layout.padding = "0 0.5em" if colour else ""

    def _draw_lineage(self, changed=(), broken=(), circle=()) -> None:
        layout = self.session.mesh_layout()
        if layout is None:
            show_markdown(self.lineage, "_There is no mesh to draw yet._")
            return
        show_markdown(self.lineage, kit.mesh_picture(layout.root, changed, broken, circle))

    # The group --------------------------------------------------------------------------------

    def _on_group(self, change) -> None:
        self._guarded(lambda: self._switch_group((change["new"] or "").strip()))

    def _switch_group(self, name: str) -> None:
        if name == self.session.group:
            return
        if self._checking:
            self.group_name.value = self.session.group
            self._say("Wait for the check to finish before you change the group's name.", "warning")
            return
        self._disarm_reset()
        previous = self.session
        try:
            session = GroupSession(self.scenario, name, self.workshop, self.pool)
        except KitError as problem:
            self.group_name.value = self.session.group
            self._say(f"{problem.message} {problem.hint}", "error")
            return
        if session.load():
            self.session = session
            self._fill_form()
            self._say(f"Switched to `{name}` and loaded its saved decisions.", "info")
        else:
            self._copy_form_to(session)
            self.session = session
            self._say(
                f"Switched to `{name}`. Nothing is saved for it yet, so the form keeps what you "
                "entered; press Save to keep it under this name.",
                "note",
            )
        self._show_group()
        self._let_go(previous, self.warming)
        if self.background:
            self.warming = self.session.warm_up()

    def _let_go(self, previous: GroupSession, warming: threading.Thread | None) -> None:
        """Stop the previous group's dbt workers, once they have finished starting: only the
        group the app shows keeps workers."""

        if previous.sandbox == self.session.sandbox:
            return  # two spellings of one group's name: the same sandbox, the same workers

        def stop() -> None:
            if warming is not None:
                warming.join(120)
            previous.release_workers()

        if self.background:
            threading.Thread(target=stop, name="rr-let-go", daemon=True).start()
        else:
            stop()

    def _show_group(self) -> None:
        self.saved_where.value = (
            f"<span style='color:#555'>Saved work: <code>{html.escape(str(self.session.folder))}"
            "</code></span>"
        )
        self._show_previous()

    # Form and session -------------------------------------------------------------------------

    def _copy_form_to(self, session: GroupSession) -> None:
        session.choices = self.form.choices()
        session.notes = {role_id: box.value for role_id, box in self.card.notes.items()}
        session.summary = self.form.summary.value

    def _fill_form(self) -> None:
        self.form.set_choices(self.session.choices)
        for role_id, box in self.card.notes.items():
            box.value = self.session.notes.get(role_id, "")
        self.form.summary.value = self.session.summary

    def _set_busy(self, busy: bool) -> None:
        for control in (
            self.apply_button,
            self.save_button,
            self.load_button,
            self.reset_button,
            self.group_name,
        ):
            control.disabled = busy

    def _disarm_reset(self) -> None:
        self._reset_armed = False
        self.reset_button.description = "Reset sandbox"
        self.reset_button.button_style = ""

    def _guarded(self, action) -> None:
        """Run a button's action; a problem becomes a status line in plain words."""
        try:
            action()
        except KitError as problem:
            self._say(f"{problem.message} {problem.hint}".strip(), "error")
        except Exception as problem:  # never a traceback in the notebook
            self._say(f"That did not work: {type(problem).__name__}: {problem}", "error")

    def _say(self, text: str, kind: str = "info") -> None:
        colour = STATUS_COLOURS.get(kind, STATUS_COLOURS["note"])
        self.status.value = f"<span style='color:{colour}'>{plain_html(text)}</span>"


def _clock() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def _when(stamp: str | None) -> str:
    """`2026-11-25T16:35:25+00:00` as `25 Nov 2026, 16:35 UTC` (or `earlier` when unknown)."""
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC")
    except (TypeError, ValueError):
        return "earlier"
