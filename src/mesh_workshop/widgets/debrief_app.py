"""The facilitator's debrief as one app: choose the scenario and where the answers come from with
buttons, never by editing code; refresh while groups keep saving; keep a copy for the room.

Everything shown is rendered by `workshop.debrief`; this module only lays it out. With more than
`COLUMNS_UP_TO` groups the side-by-side table turns so that each group is a row, which stays
readable for a room of thirty.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..api import DbtWorkerPool, kit
from ..workshop import debrief
from ..workshop.demo import DEMO_GROUPS, DEMO_SCENARIO, demo_workshop_dir, make_demo_answers
from ..workshop.folders import DECISIONS_FILE
from .common import ShownAsWidget, classed, heading, markdown_output, plain_html, show_markdown

COLUMNS_UP_TO = 6  # groups shown as columns side by side; more become rows
GROUPS, DEMO = "groups", "demo"


class DebriefApp(ShownAsWidget):
    """Evaluate the app in a cell to show it (`app.widget` is the root).

    `workshop` is the groups' folder (default: the workshop folder), `demo_folder` where the demo
    tables save (default: the kit's demo folder). `background=False` makes the demo answers in
    the caller's thread, as tests and scripts want."""

    def __init__(
        self,
        workshop: Path | None = None,
        demo_folder: Path | None = None,
        pool: DbtWorkerPool | None = None,
        background: bool = True,
    ) -> None:
        self.workshop = Path(workshop) if workshop else kit.workspace.saved
        self.demo_folder = Path(demo_folder) if demo_folder else demo_workshop_dir()
        self.pool = pool
        self.background = background
        self.current: debrief.Debrief | None = None
        self._making: threading.Thread | None = None

        self.source = classed(
            w.ToggleButtons(
                options=[("The groups' answers", GROUPS), ("Demo answers", DEMO)],
                value=GROUPS,
                tooltips=[
                    f"Read {self.workshop}",
                    "Five made-up tables answer scenario 1, to try the debrief before the event",
                ],
            ),
            "rr-debrief-source",
        )
        scenarios = kit.scenarios()
        self.scenario = classed(
            w.Dropdown(
                options=[(f"{s.number}. {s.title}", s.id) for s in scenarios],
                value=self._busiest(scenarios),
                description="Scenario",
                layout=w.Layout(width="auto"),
            ),
            "rr-debrief-scenario",
        )
        self.refresh_button = classed(
            w.Button(description="Refresh", icon="refresh", tooltip="Read the saved answers again"),
            "rr-debrief-refresh",
        )
        self.demo_button = classed(
            w.Button(
                description="Make the demo answers",
                button_style="info",
                tooltip="Three demo tables check their answer with dbt; two only save",
            ),
            "rr-debrief-make-demo",
        )
        self.save_button = classed(
            w.Button(description="Save a copy", icon="save"), "rr-debrief-save"
        )
        self.status = classed(w.HTML(), "rr-debrief-status")
        self.overview = markdown_output("", "rr-debrief-overview")
        self.body = markdown_output("", "rr-debrief-body")
        self.reference_text = markdown_output("", "rr-debrief-reference")
        self.reference = w.Accordion(children=[self.reference_text], selected_index=None)
        self.reference.set_title(0, "The kit's own answers (open after the groups have presented)")

        self.source.observe(lambda _: self.show(), "value")
        self.scenario.observe(lambda _: self.show(), "value")
        self.refresh_button.on_click(lambda _: self.show())
        self.demo_button.on_click(lambda _: self.make_demo())
        self.save_button.on_click(lambda _: self.save())

        self.widget = classed(
            w.VBox(
                [
                    w.HBox([self.source, self.refresh_button]),
                    w.HBox([self.scenario, self.demo_button, self.save_button]),
                    self.status,
                    heading("Who has saved what", 4),
                    self.overview,
                    self.body,
                    self.reference,
                ]
            ),
            "rr-debrief-app",
        )
        self.show()

    @property
    def folder(self) -> Path:
        """Where the answers shown are read from."""
        return self.demo_folder if self.source.value == DEMO else self.workshop

    # Showing ----------------------------------------------------------------------------------

    def show(self) -> None:
        """Read the chosen folder again and draw every section for the chosen scenario."""
        self.demo_button.layout.display = None if self.source.value == DEMO else "none"
        show_markdown(self.overview, debrief.overview_markdown(self.folder))
        answers = debrief.collect(self.scenario.value, self.folder)
        self.current = answers
        parts = [
            f"### {answers.scenario.title}\n\n{len(answers.answers)} groups, "
            f"{len(answers.approaches)} approach{'' if len(answers.approaches) == 1 else 'es'}."
        ]
        if answers.problems:
            parts.append("Some files could not be read:\n\n" + answers.problems_markdown())
        parts += [
            "#### Side by side\n\n" + self._side_by_side(answers),
            "#### Approaches\n\n" + answers.approaches_markdown(),
            "#### Suggested order for the debrief\n\n" + answers.order_markdown(),
            "#### What each group's check said\n\n" + answers.verdicts_markdown(),
        ]
        show_markdown(self.body, "\n\n".join(parts))
        show_markdown(self.reference_text, debrief.reference_markdown(self.scenario.value))
        where = "the demo tables' folder" if self.source.value == DEMO else "the workshop folder"
        self._say(f"Read {where} (`{self.folder}`).")

    def _side_by_side(self, answers: debrief.Debrief) -> str:
        if not answers.answers:
            return answers.table_markdown()
        if len(answers.answers) <= COLUMNS_UP_TO:
            return debrief.markdown_table(answers.table(groups_as_columns=True))
        return answers.table_markdown()  # one row per group

    def _busiest(self, scenarios) -> str:
        """The scenario with the most saved answers in the groups' folder (the first if none)."""
        counts = {
            s.id: len(list(self.workshop.glob(f"*/{s.id}/{DECISIONS_FILE}"))) for s in scenarios
        }
        busiest = max(scenarios, key=lambda s: counts[s.id])
        return busiest.id if counts[busiest.id] else scenarios[0].id

    def _say(self, text: str, colour: str = "#555") -> None:
        self.status.value = f"<span style='color:{colour}'>{plain_html(text)}</span>"

    # Buttons ----------------------------------------------------------------------------------

    def make_demo(self) -> None:
        """Five demo tables answer scenario 1 (three check with dbt), then the app shows them."""
        if self._making is not None and self._making.is_alive():
            self._say("The demo tables are still answering; their answers appear when done.")
            return
        self.demo_button.disabled = True
        self._say(
            f"{len(DEMO_GROUPS)} demo tables are answering scenario 1; the first time, three "
            "checks with dbt take about a minute."
        )

        def run(report: Callable[[str], None]) -> None:
            try:
                make_demo_answers(self.demo_folder, pool=self.pool, report=report)
            except Exception as problem:  # shown in plain words; nothing of the groups' is touched
                self._say(f"The demo answers could not be made: {problem}", "#b71c1c")
                return
            finally:
                self.demo_button.disabled = False
            self.scenario.value = DEMO_SCENARIO
            self.source.value = DEMO
            self.show()

        def report(line: str) -> None:
            self._say(line)

        if self.background:
            self._making = threading.Thread(target=run, args=(report,), name="rr-demo-answers")
            self._making.start()
        else:
            run(report)

    def save(self) -> Path | None:
        """Write the debrief shown as one Markdown file in the kit's workspace."""
        if self.current is None:
            return None
        prefix = "demo_debrief" if self.source.value == DEMO else "debrief"
        path = kit.workspace.build / f"{prefix}_{self.scenario.value}.md"
        path.write_text(self.current.markdown(), encoding="utf-8")
        self._say(f"Saved a copy of this debrief to `{path}`.")
        return path
