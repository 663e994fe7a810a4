"""Two sections of the council's moderator app: the final mesh (built with dbt in a background
thread, with a progress bar) and the reveal of the secret missions, with the table's word on
the missions only people can judge.

Each panel belongs to a `CouncilApp` (its `owner`), which knows the chosen table and the
moderator's seat.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING

import ipywidgets as w

from ..api import kit
from ..council.play import (
    CouncilResult,
    FinalMesh,
    build_final_mesh,
    council_sandbox,
    judge,
    last_final,
)
from ..council.presentation import write_presentation
from ..council.state import council_state, declare_mission
from ..errors import KitError
from ..paths import group_slug
from .common import classed, heading, markdown_output, show_markdown
from .council_views import esc, refusal, say

if TYPE_CHECKING:
    from .council_room import CouncilApp

PROJECTS_GUESS = 4  # the progress bar's first guess at how many projects the final mesh builds
HOW = {"checked": "checked by the kit", "declared": "the table's word", "waiting": "waiting"}
MET = {True: "&#10004; met", False: "&#10008; not met", None: "&#8230; open"}
# The last final mesh built for each table on this screen (by the table's folder name), for the
# wall and for a moderator's app opened again in the same notebook.
FINALS: dict[str, FinalMesh] = {}


class FinalMeshPanel:
    """Build the council's final mesh: its technical policies applied to its own copy of the
    mesh and built with real dbt, then the verdict and the picture."""

    def __init__(self, owner: CouncilApp) -> None:
        self.owner = owner
        self.final: FinalMesh | None = None
        self._thread: threading.Thread | None = None
        self.button = classed(
            w.Button(description="Build the final mesh", button_style="primary", icon="play"),
            "rr-council-build",
        )
        self.progress = classed(
            w.IntProgress(value=0, min=0, max=100, layout=w.Layout(width="24em")),
            "rr-council-progress",
        )
        self.progress_text = classed(w.Label(), "rr-council-progress-text")
        self.message = classed(w.HTML(), "rr-council-final-message")
        self.result = markdown_output("", "rr-council-final-result")
        self.picture = markdown_output("", "rr-council-final-picture")
        self.button.on_click(lambda _: self.build())
        self.widget = classed(
            w.VBox(
                [
                    w.HTML(
                        "<p style='max-width:52em'>The council's technical policies, put "
                        "together into its own copy of the mesh and built with real dbt: before "
                        "the vote closes, every technical policy on the table; after it, only "
                        "the ones that passed. The first build takes a minute or two.</p>"
                    ),
                    w.HBox([self.button, self.progress, self.progress_text]),
                    self.message,
                    self.result,
                    heading("The council's mesh", 4),
                    self.picture,
                ]
            ),
            "rr-council-final",
        )

    @property
    def building(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a build under way; True when none is running any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.building

    def show_table(self, table: str | None) -> None:
        """Show the last final mesh built for `table` on this screen, if any."""
        self.final = FINALS.get(group_slug(table)) if table else None
        self.button.disabled = table is None or self.building
        if self.building:
            return
        if self.final is not None:
            self._show(self.final)
        else:
            self.progress.value, self.progress.bar_style, self.progress_text.value = 0, "", ""
            say(self.message, "")
            show_markdown(self.result, "")
            show_markdown(self.picture, "")

    def build(self) -> None:
        table = self.owner.table
        if table is None:
            say(self.message, "Open a table first.", "warning")
            return
        if self.building:
            say(
                self.message,
                "The final mesh is still building; the result appears here when it is done.",
                "warning",
            )
            return
        self.button.disabled = True
        self.progress.value, self.progress.bar_style = 0, "info"
        self.progress_text.value = "Putting the council's technical policies together"
        say(self.message, "Building the council's mesh with dbt. The kernel stays free.", "note")
        if self.owner.background:
            self._thread = threading.Thread(
                target=self._build, args=(table,), name="rr-council-build", daemon=True
            )
            self._thread.start()
        else:
            self._build(table)

    def _build(self, table: str) -> None:
        finished: set[str] = set()

        def progress(project: str, status: str) -> None:
            try:
                if status != "building":
                    finished.add(project)
                total = max(PROJECTS_GUESS, len(finished) + 1)
                self.progress.value = max(self.progress.value, round(95 * len(finished) / total))
                self.progress_text.value = (
                    f"Building {project}" if status == "building" else f"{project}: {status}"
                )
            except Exception:  # a picture of progress never stops the build itself
                pass

        try:
            final = build_final_mesh(table, pool=self.owner.pool, on_progress=progress)
        except Exception as problem:
            self.progress.bar_style = "danger"
            self.progress_text.value = "The build stopped"
            text = refusal(problem) if isinstance(problem, KitError) else str(problem)
            say(self.message, f"The final mesh could not be built: {text}", "error")
        else:
            FINALS[group_slug(table)] = final
            if self.owner.table == table:
                self.final = final
                self._show(final)
            self.owner.refresh_overview()
        finally:
            self.button.disabled = self.owner.table is None

    def _show(self, final: FinalMesh) -> None:
        self.progress.value = self.progress.max
        self.progress.bar_style = "success" if final.green else "danger"
        self.progress_text.value = f"Done in {final.elapsed:.0f} s"
        made_of = ", ".join(final.policies) or "no technical policy (the architect's mesh)"
        when = dt.datetime.now().strftime("%H:%M")
        if final.check is None:
            verdict = f"### \u274c The council's policies do not fit together\n\n{final.error}"
        else:
            verdict = final.check.markdown()
        show_markdown(self.result, f"{verdict}\n\n_Built at {when} from {made_of}._")
        if final.green:
            say(self.message, "The council's final mesh is green: it builds and keeps the rules.")
        else:
            say(
                self.message, "The council's final mesh is not green yet: see why below.", "warning"
            )
        sandbox = council_sandbox(final.table)
        try:
            picture = kit.mesh_picture(sandbox, circle=final.circle)
        except KitError as problem:
            picture = f"_There is no picture of this mesh: {problem.message}_"
        show_markdown(self.picture, picture)


class RevealPanel:
    """After the vote: every seat's secret missions, judged; and the table's word on the
    missions only people can judge."""

    def __init__(self, owner: CouncilApp) -> None:
        self.owner = owner
        game = owner.game
        self.button = classed(
            w.Button(description="Reveal the secret missions", button_style="info", icon="eye"),
            "rr-council-reveal-button",
        )
        self.message = classed(w.HTML(), "rr-council-reveal-message")
        self.result = classed(w.HTML(), "rr-council-reveal-result")
        self.judged: CouncilResult | None = None  # the last reveal, for the printable page
        self.page_button = classed(
            w.Button(description="Write the printable page", icon="print", disabled=True),
            "rr-council-page-button",
        )
        self.page_message = classed(w.HTML(), "rr-council-page-message")
        judged = [m for m in game.missions() if m.judged_by == "table"]
        self.mission = classed(
            w.Dropdown(
                options=[(f"{self._holder(m.id)}: {m.says}", m.id) for m in judged],
                description="Mission",
                layout=w.Layout(width="100%", max_width="52em"),
            ),
            "rr-council-declare-mission",
        )
        self.met = classed(
            w.ToggleButtons(options=[("Met", True), ("Not met", False)], value=True),
            "rr-council-declare-met",
        )
        self.why = classed(
            w.Text(
                description="Why",
                placeholder="One line, such as: the hiring policy passed.",
                layout=w.Layout(width="100%", max_width="52em"),
            ),
            "rr-council-declare-why",
        )
        self.declare_button = classed(
            w.Button(description="Record the table's word", icon="gavel"), "rr-council-declare"
        )
        self.declare_message = classed(w.HTML(), "rr-council-declare-message")
        self.button.on_click(lambda _: self.owner.act(self.reveal, self.message))
        self.declare_button.on_click(lambda _: self.owner.act(self.declare, self.declare_message))
        self.page_button.on_click(lambda _: self.owner.act(self.write_page, self.page_message))
        self.widget = classed(
            w.VBox(
                [
                    w.HTML(
                        "<p style='max-width:52em'>After the vote, turn the role sheets over. "
                        "The kit checks the missions about the mesh and the vote (build the "
                        "final mesh first, so it has a mesh to check); the table gives its "
                        "word on the missions about people and money, below.</p>"
                    ),
                    w.HBox([self.button, self.page_button]),
                    self.message,
                    self.page_message,
                    self.result,
                    heading("The table's word on a mission", 4),
                    self.mission,
                    self.met,
                    self.why,
                    w.HBox([self.declare_button]),
                    self.declare_message,
                ]
            ),
            "rr-council-reveal",
        )

    def show_table(self, table: str | None) -> None:
        self.result.value = ""
        self.judged = None
        say(self.message, "")
        say(self.declare_message, "")
        say(self.page_message, "")
        self.button.disabled = self.declare_button.disabled = table is None
        self.page_button.disabled = True

    def reveal(self) -> str:
        """Every seat's secret missions, judged (once the vote has closed)."""
        table = self.owner.table
        if table is None:
            raise KitError("Open a table first.")
        if council_state(table).vote_status != "closed":
            raise KitError(
                "The reveal comes after the vote.",
                "Close the vote first, so nobody learns the others' missions while votes can "
                "still change.",
            )
        final = self.owner.final_panel.final
        result = judge(self.owner.game, table, final)
        self.judged = result
        self.page_button.disabled = False
        rows = "".join(
            f"<tr data-mission='{esc(found.mission.id)}'><td>{self._holders(found.seats)}</td>"
            f"<td class='rr-tally-text'>{esc(found.mission.says)}</td>"
            f"<td>{esc(HOW[found.how])}</td><td>{MET[found.met]}</td>"
            f"<td class='rr-tally-text'>{esc(found.detail)}</td></tr>"
            for found in result.missions
        )
        saved = last_final(table) if final is None else None
        if final is not None:
            built = "The final mesh was built on this screen."
        elif saved is not None:
            built = (
                f"The final mesh built for this table on another screen ({saved.checked_at}) "
                "is judged."
            )
        else:
            built = (
                "No final mesh has been built on this screen yet, so the missions about the "
                "mesh cannot be met: build it in the Final mesh tab, then reveal again."
            )
        win = (
            "The council wins together: its policies passed and its final mesh is green."
            if result.collective_win
            else "The council does not win together this time: that needs every policy passed "
            "and a green final mesh."
        )
        self.result.value = (
            f"<p><b>{esc(win)}</b></p><p class='rr-muted'>{esc(built)}</p>"
            "<table class='rr-tally'><tr><th>Whose</th><th>Secret mission</th><th>Judged</th>"
            f"<th>Met?</th><th>Why</th></tr>{rows}</table>"
        )
        return "The secret missions are on the screen."

    def write_page(self) -> str:
        """The council's result as one printable page (and a PDF, where chromium is)."""
        if self.judged is None:
            raise KitError("Reveal the secret missions first.")
        files = write_presentation(self.owner.game, self.judged)
        where = f"`{files.html}`" + (f" and `{files.pdf}`" if files.pdf else "")
        return f"The council's page is written: {where}. Open it to present, or print it."

    def declare(self) -> str:
        table, seat, code = self.owner.moderating()
        mission = self.mission.value
        declare_mission(table, seat, code, mission, self.met.value, self.why.value)
        self.why.value = ""
        if self.result.value:
            self.reveal()
        return f"The table's word on `{mission}` is recorded."

    def _holders(self, seats: tuple[int, ...]) -> str:
        game = self.owner.game
        if len(seats) == 1:
            return f"Seat {seats[0]}, {esc(game.seat(seats[0]).title)}"
        team = game.team(game.seat(seats[0]).team)
        return f"{esc(team.name)} (seats {' and '.join(str(n) for n in seats)})"

    def _holder(self, mission_id: str) -> str:
        game = self.owner.game
        for team in game.teams:
            if team.mission.id == mission_id:
                return team.name
        return next(f"Seat {s.number}" for s in game.seats if s.mission.id == mission_id)
