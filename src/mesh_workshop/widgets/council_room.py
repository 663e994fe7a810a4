"""The Mesh Council's screen for the moderators and the facilitator: open a table and its seat
codes, run the meeting phase by phase against the clock, play the emergency, build the council's
final mesh, hold the vote, reveal the secret missions; and, over every table at once, the
cross-council sidebar and the wall.

A thin front end over `council.state` and `council.play`: every button is one call, every
refusal is shown as the state words it, and the final mesh builds in a background thread with
a progress bar so the kernel stays free.
"""

from __future__ import annotations

import threading
import time

import ipywidgets as w

from ..api import DbtWorkerPool
from ..council.game import Game, load_game
from ..council.state import (
    MODERATOR_SEATS,
    CouncilState,
    advance,
    close_vote,
    council_state,
    extend,
    list_councils,
    open_council,
    open_vote,
    record_tie,
    seat_codes,
    take_seat,
    tally,
)
from ..errors import KitError
from ..paths import group_slug
from .common import ShownAsWidget, classed, heading, markdown_output, show_markdown
from .council_panels import FINALS, FinalMeshPanel, RevealPanel
from .council_views import (
    STYLE,
    Poller,
    agenda_of,
    clock_text,
    esc,
    phase_of,
    problems_html,
    read_councils,
    refusal,
    say,
    seated_html,
    sidebar_html,
    tally_html,
    vote_status_text,
    wall_html,
)
from .scenario_app import ScenarioApp

REFRESH_SECONDS = 15.0
TICK_SECONDS = 1.0
EXTRA_MINUTES = 2
TABS = ("Clock", "Emergency", "Final mesh", "Vote", "Reveal", "Sidebar", "Wall")


class CouncilApp(ShownAsWidget):
    """The moderators' and the facilitator's app. Evaluate it in a cell to show it (`app.widget`
    is the root).

    The chosen table is read again every `refresh_seconds` (None: only on Refresh), and the
    clock counts down every `tick_seconds`, in a background thread that stops when the widget is
    closed. `background=False` builds the final mesh in the caller's thread (tests, scripts)."""

    def __init__(
        self,
        refresh_seconds: float | None = REFRESH_SECONDS,
        tick_seconds: float = TICK_SECONDS,
        pool: DbtWorkerPool | None = None,
        background: bool = True,
        game: Game | None = None,
    ) -> None:
        self.game = game or load_game()
        self.pool = pool
        self.background = background
        self.refresh_seconds = refresh_seconds
        self.table: str | None = None
        self.state: CouncilState | None = None
        self.moderator: tuple[int, str] | None = None
        self.emergency: ScenarioApp | None = None
        self._lock = threading.RLock()
        self._ties_shape: tuple = ()
        self._last_read = 0.0

        # The table.
        self.table_name = classed(
            w.Combobox(
                options=list_councils(),
                placeholder="Table 1",
                description="Table",
                ensure_option=False,
            ),
            "rr-council-table",
        )
        self.length = classed(
            w.ToggleButtons(
                options=[
                    (self.game.agenda("short").title, "short"),
                    (self.game.agenda("long").title, "long"),
                ],
                value="short",
                tooltips=["The one-hour game", "The afternoon game, with time to build"],
            ),
            "rr-council-length",
        )
        self.open_table_button = classed(
            w.Button(description="Open the table", button_style="primary", icon="folder-open"),
            "rr-council-open-table",
        )
        self.codes = classed(w.HTML(), "rr-council-codes")
        self.show_codes_button = classed(
            w.Button(description="Show the seat codes again", icon="print"),
            "rr-council-show-codes",
        )
        self.hide_codes_button = classed(
            w.Button(description="Hide the codes", icon="eye-slash"), "rr-council-hide-codes"
        )
        self.open_table_button.on_click(lambda _: self._guarded(self.open_table))
        self.show_codes_button.on_click(lambda _: self._guarded(self.show_codes))
        self.hide_codes_button.on_click(lambda _: self.hide_codes())

        # The moderator's seat.
        self.seat_number = classed(
            w.Dropdown(
                options=[(f"{n}: {self.game.seat(n).title}", n) for n in MODERATOR_SEATS],
                value=MODERATOR_SEATS[0],
                description="Seat",
            ),
            "rr-council-moderator-seat",
        )
        self.code = classed(
            w.Text(description="Seat code", placeholder="on the table card"),
            "rr-council-moderator-code",
        )
        self.player = classed(
            w.Text(description="Your name", placeholder="Sam"), "rr-council-moderator-name"
        )
        self.sit_button = classed(
            w.Button(description="Open the moderator's seat", icon="sign-in"),
            "rr-council-sit",
        )
        self.sit_button.on_click(lambda _: self._guarded(self.sit))
        self.status = classed(w.HTML(), "rr-council-status")

        self._build_clock()
        self._build_emergency()
        self.final_panel = FinalMeshPanel(self)
        self._build_vote()
        self.reveal_panel = RevealPanel(self)
        self._build_overview()
        sections = [
            self.clock_box,
            self.emergency_box,
            self.final_panel.widget,
            self.vote_box,
            self.reveal_panel.widget,
            self.sidebar_box,
            self.wall_box,
        ]
        self.tabs = classed(w.Tab(children=sections, titles=TABS), "rr-council-tabs")
        self.widget = classed(
            w.VBox(
                [
                    w.HTML(STYLE),
                    w.HTML(
                        f"<h2 style='margin-bottom:0.1em'>{esc(self.game.title)}: the "
                        "moderators' and facilitator's screen</h2>"
                    ),
                    heading("1. The table", 4),
                    w.HBox(
                        [self.table_name, self.length, self.open_table_button],
                        layout=w.Layout(flex_flow="row wrap"),
                    ),
                    self.codes,
                    w.HBox([self.show_codes_button, self.hide_codes_button]),
                    heading("2. The moderator's seat (seat 9 or 10)", 4),
                    w.HBox(
                        [self.seat_number, self.code, self.player, self.sit_button],
                        layout=w.Layout(flex_flow="row wrap"),
                    ),
                    self.status,
                    self.tabs,
                ]
            ),
            "rr-council-app",
        )
        self.poller = Poller(
            self.widget,
            tick_seconds if refresh_seconds else None,
            lambda: self._guarded(self._tick),
            "rr-council-refresh",
        )
        self.hide_codes()
        self._show_table(None)
        self.final_panel.show_table(None)
        self.reveal_panel.show_table(None)
        self.refresh_overview()

    # Showing the app --------------------------------------------------------------------------

    def close(self) -> None:
        """Stop refreshing and remove the app."""
        self.poller.stop()
        self.widget.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a final mesh being built; True when none is building any more."""
        return self.final_panel.wait(timeout)

    # Sections ---------------------------------------------------------------------------------

    def _build_clock(self) -> None:
        self.clock = classed(w.HTML(), "rr-council-clock-face")
        self.says = classed(w.HTML(), "rr-council-says")
        self.next_button = classed(
            w.Button(description="Next phase", button_style="primary", icon="forward"),
            "rr-council-next",
        )
        self.extend_button = classed(
            w.Button(description=f"+{EXTRA_MINUTES} minutes", icon="clock-o"),
            "rr-council-extend",
        )
        self.refresh_button = classed(
            w.Button(description="Refresh", icon="refresh"), "rr-council-refresh"
        )
        self.clock_message = classed(w.HTML(), "rr-council-clock-message")
        self.seated = w.HTML()
        self.run_sheet = markdown_output("", "rr-council-run-sheet")
        self.next_button.on_click(lambda _: self.act(self.next_phase, self.clock_message))
        self.extend_button.on_click(lambda _: self.act(self.add_minutes, self.clock_message))
        self.refresh_button.on_click(lambda _: self._guarded(self.refresh))
        self.clock_box = classed(
            w.VBox(
                [
                    self.clock,
                    w.HBox([self.next_button, self.extend_button, self.refresh_button]),
                    self.clock_message,
                    self.says,
                    self.seated,
                    heading("The run sheet", 4),
                    self.run_sheet,
                ]
            ),
            "rr-council-clock",
        )

    def _build_emergency(self) -> None:
        self.emergency_button = classed(
            w.Button(description="Open the emergency", button_style="warning", icon="bolt"),
            "rr-council-open-emergency",
        )
        self.emergency_area = w.VBox()
        self.emergency_button.on_click(lambda _: self._guarded(self.open_emergency))
        self.emergency_box = classed(
            w.VBox(
                [
                    w.HTML(
                        "<p style='max-width:52em'>Halfway through, a change to a hub model "
                        "breaks other teams' reports. Open the emergency on the screen the "
                        "table shares: the council reads the roles, decides the way it agreed "
                        "to decide, and presses Apply &amp; check to try its decision on its "
                        "own copy of the mesh.</p>"
                    ),
                    w.HBox([self.emergency_button]),
                    self.emergency_area,
                ]
            ),
            "rr-council-emergency",
        )

    def _build_vote(self) -> None:
        self.vote_status = classed(w.HTML(), "rr-council-vote-status")
        self.open_vote_button = classed(
            w.Button(description="Open the vote", button_style="success", icon="check-square-o"),
            "rr-council-open-vote",
        )
        self.close_vote_button = classed(
            w.Button(description="Close the vote", button_style="danger", icon="lock"),
            "rr-council-close-vote",
        )
        self.vote_refresh = classed(
            w.Button(description="Refresh", icon="refresh"), "rr-council-vote-refresh"
        )
        self.vote_message = classed(w.HTML(), "rr-council-vote-message")
        self.tally = classed(w.HTML(), "rr-council-tally")
        self.ties = classed(w.VBox(), "rr-council-ties")
        self.open_vote_button.on_click(lambda _: self.act(self.open_the_vote, self.vote_message))
        self.close_vote_button.on_click(lambda _: self.act(self.close_the_vote, self.vote_message))
        self.vote_refresh.on_click(lambda _: self._guarded(self.refresh))
        self.vote_box = classed(
            w.VBox(
                [
                    self.vote_status,
                    w.HBox([self.open_vote_button, self.close_vote_button, self.vote_refresh]),
                    self.vote_message,
                    self.tally,
                    self.ties,
                ]
            ),
            "rr-council-vote",
        )

    def _build_overview(self) -> None:
        self.sidebar = classed(w.HTML(), "rr-council-sidebar-body")
        self.wall = classed(w.HTML(), "rr-council-wall-body")
        self.sidebar_refresh = classed(
            w.Button(description="Refresh", icon="refresh"), "rr-council-sidebar-refresh"
        )
        self.wall_refresh = classed(
            w.Button(description="Refresh", icon="refresh"), "rr-council-wall-refresh"
        )
        self.sidebar_refresh.on_click(lambda _: self._guarded(self.refresh_overview))
        self.wall_refresh.on_click(lambda _: self._guarded(self.refresh_overview))
        self.sidebar_box = classed(
            w.VBox([w.HBox([self.sidebar_refresh]), self.sidebar]), "rr-council-sidebar"
        )
        self.wall_box = classed(w.VBox([w.HBox([self.wall_refresh]), self.wall]), "rr-council-wall")

    # The table and the moderator's seat -------------------------------------------------------

    def open_table(self) -> None:
        """Open the table typed above (a new one with the chosen length), and show the seat
        codes of a new table."""
        name = self.table_name.value.strip()
        known = [t for t in list_councils() if name and group_slug(t) == group_slug(name)]
        codes: dict[int, str] = {}
        if known:
            # An open table is only read: its codes are readable by whoever opened it alone, and
            # a moderator on another JupyterHub user still runs it.
            council_state(name)
        else:
            minutes = {p.id: p.minutes for p in self.game.agenda(self.length.value).phases}
            codes = open_council(name, minutes=minutes)
        self.poller.stop()
        with self._lock:
            self.table = council_state(name).table
            self.moderator = None
            self._ties_shape = ()
            self.emergency = None
            self.emergency_area.children = ()
            self.final_panel.show_table(self.table)
            self.reveal_panel.show_table(self.table)
            self.table_name.options = list_councils()
            if known:
                self.hide_codes()
                say(
                    self.status,
                    f"{self.table} is open. Its seat codes stay hidden; press \u201cShow the seat "
                    "codes again\u201d to see them. Now open a moderator's seat.",
                    "info",
                )
            else:
                self._show_codes(codes)
                say(
                    self.status,
                    f"{self.table} is new: write each seat's code on its table card. The "
                    "moderators open their seat below with seat 9 or 10 and its code.",
                    "info",
                )
            self.refresh()
        self.poller.start()

    def show_codes(self) -> None:
        """The chosen table's seat codes again, for a lost table card."""
        if self.table is None:
            say(self.status, "Open a table first.", "warning")
            return
        self._show_codes(seat_codes(self.table))

    def _show_codes(self, codes: dict[int, str]) -> None:
        rows = "".join(
            f"<tr><td>{seat}</td><td>{esc(self.game.seat(seat).title)}</td>"
            f"<td class='rr-council-code' style='font:1.3em monospace;letter-spacing:0.15em'>"
            f"{esc(code)}</td></tr>"
            for seat, code in sorted(codes.items())
        )
        self.codes.value = (
            f"<div class='rr-council-card' style='max-width:40em'><h4>Seat codes for "
            f"{esc(self.table)}</h4><table class='rr-tally'><tr><th>Seat</th><th>Role</th>"
            f"<th>Code</th></tr>{rows}</table><p class='rr-muted'>Write each code on its seat's "
            "table card; a player needs only their own. Hide the codes before you share this "
            "screen.</p></div>"
        )
        self.hide_codes_button.layout.display = None

    def hide_codes(self) -> None:
        self.codes.value = ""
        self.hide_codes_button.layout.display = "none"

    def sit(self) -> None:
        """Open a moderator's seat (9 or 10) with its code."""
        if self.table is None:
            say(self.status, "Open a table first, then the moderator's seat.", "warning")
            return
        seat = take_seat(self.table, self.seat_number.value, self.code.value, self.player.value)
        self.moderator = (seat.seat, self.code.value)
        say(
            self.status,
            f"{seat.player} moderates {self.table} from seat {seat.seat}: the buttons below now "
            "work for you.",
            "info",
        )
        self.refresh()

    def moderating(self) -> tuple[str, int, str]:
        if self.table is None:
            raise KitError("Open a table first.")
        if self.moderator is None:
            raise KitError(
                "Open a moderator's seat first: seat 9 or 10, with the code on its table card."
            )
        return self.table, *self.moderator

    # Reading the table ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the chosen table again and show it in every section."""
        with self._lock:
            if self.table is None:
                self._show_table(None)
                return
            self.state = council_state(self.table)
            self._last_read = time.monotonic()
            self._show_table(self.state)
        self.refresh_overview()

    def refresh_overview(self) -> None:
        """Read every council again, for the sidebar and the wall."""
        states, problems = read_councils(list_councils())
        self.sidebar.value = problems_html(problems) + sidebar_html(self.game, states)
        self.wall.value = problems_html(problems) + wall_html(self.game, states, FINALS)

    def _tick(self) -> None:
        """Every tick: count the clock down; every `refresh_seconds`: read everything again."""
        if time.monotonic() - self._last_read >= (self.refresh_seconds or 0):
            self.refresh()
        elif self.state is not None:
            self._show_clock(self.state)

    def _show_table(self, state: CouncilState | None) -> None:
        table_buttons = (
            self.next_button,
            self.extend_button,
            self.open_vote_button,
            self.close_vote_button,
            self.emergency_button,
            self.show_codes_button,
        )
        for button in table_buttons:
            button.disabled = state is None
        if state is None:
            self.clock.value = "<p class='rr-muted'>Open a table to see its clock.</p>"
            self.vote_status.value = "<p class='rr-muted'>Open a table to hold its vote.</p>"
            show_markdown(self.run_sheet, "")
            return
        self._show_clock(state)
        phase = phase_of(self.game, state)
        self.says.value = (
            "<div class='rr-council-card' style='max-width:52em;border-color:#1565c0'>"
            f"<b>The moderator says now</b><p style='font-size:1.1em'>"
            f"{esc(phase.moderator_says)}</p></div>"
        )
        self.seated.value = seated_html(self.game, state)
        show_markdown(self.run_sheet, self._run_sheet(state))
        self.next_button.disabled = state.clock().next_phase is None
        self.vote_status.value = f"<p><b>{esc(vote_status_text(state))}</b></p>"
        rows = tally(state.table)
        self.tally.value = tally_html(rows, state.vote_status) + self._still_to_vote(state)
        self.open_vote_button.disabled = state.vote_status != "not_open"
        self.close_vote_button.disabled = state.vote_status != "open"
        self._show_ties(state, rows)

    def _show_clock(self, state: CouncilState) -> None:
        clock = state.clock()
        phase = phase_of(self.game, state)
        colour = "#b71c1c" if clock.overtime else "#1b5e20"
        after = (
            f"Next: {esc(phase_of(self.game, state, clock.next_phase).title)}"
            if clock.next_phase
            else "The last part of the game."
        )
        extra = f" (with {clock.extra_minutes} extra)" if clock.extra_minutes else ""
        self.clock.value = (
            f"<div><span class='rr-muted'>{esc(state.table)} · now</span><br>"
            f"<span style='font-size:1.6em'><b>{esc(phase.title)}</b></span><br>"
            f"<span class='rr-council-time' style='font:2.4em monospace;color:{colour}'>"
            f"{esc(clock_text(clock.seconds_left))}</span> "
            f"<span class='rr-muted'>of {clock.minutes} minutes{extra} · {after}</span></div>"
        )

    def _run_sheet(self, state: CouncilState) -> str:
        agenda = agenda_of(self.game, state)
        lines = [f"**{agenda.title}**, {agenda.minutes} minutes.", ""]
        for index, phase in enumerate(agenda.phases, 1):
            now = phase.id == state.phase
            marker = "\u25b6 **Now:** " if now else ""
            lines += [f"#### {marker}{index}. {phase.title} ({phase.minutes} min)", ""]
            if now:
                lines += [f"> {phase.moderator_says}", ""]
            lines += [phase.council_does.strip(), ""]
            if phase.scenario:
                lines += ["_The emergency is in the Emergency tab._", ""]
        return "\n".join(lines)

    def _still_to_vote(self, state: CouncilState) -> str:
        if state.vote_status != "open" or not state.active_policies:
            return ""
        needed = {p.id for p in state.active_policies}
        done = {
            s.seat
            for s in state.seats
            if needed <= {v.policy_id for v in state.votes if v.seat == s.seat}
        }
        waiting = [str(s.seat) for s in state.seats if s.seat not in done]
        if not waiting:
            return "<p>Every seat at the table has voted on every policy.</p>"
        return f"<p>Seats still voting: {', '.join(waiting)}.</p>"

    def _show_ties(self, state: CouncilState, rows) -> None:
        tied = [r for r in rows if r.tie] if state.vote_status == "closed" else []
        shape = tuple((r.policy_id, r.yes, r.no, r.tie_decision) for r in tied)
        if shape == self._ties_shape:
            return
        self._ties_shape = shape
        for old in self.ties.children:
            old.close()
        children = []
        for row in tied:
            buttons = []
            for decision, label, style in (
                ("passed", "It passes", "success"),
                ("failed", "It fails", "danger"),
            ):
                button = classed(w.Button(description=label), f"rr-council-tie-{decision}")
                button.button_style = style if row.tie_decision == decision else ""
                button.on_click(lambda _, p=row.policy_id, d=decision: self._decide(p, d))
                buttons.append(button)
            label = w.HTML(
                f"<b>{esc(row.policy_id)}</b> is a tie ({row.yes} yes, {row.no} no): the "
                "moderators decide."
            )
            children.append(classed(w.HBox([label, *buttons]), f"rr-council-tie-{row.policy_id}"))
        self.ties.children = tuple(children)

    def _decide(self, policy_id: str, decision: str) -> None:
        self.act(lambda: self.tie(policy_id, decision), self.vote_message)

    # What the moderators do -------------------------------------------------------------------

    def next_phase(self) -> str:
        table, seat, code = self.moderating()
        current = self.state.phase if self.state else None
        clock = advance(table, seat, code, from_phase=current)
        self.refresh()
        return f"The council moves on to {phase_of(self.game, self.state, clock.phase).title}."

    def add_minutes(self) -> str:
        table, seat, code = self.moderating()
        extend(table, seat, code, EXTRA_MINUTES)
        self.refresh()
        return f"{EXTRA_MINUTES} more minutes for this phase."

    def open_the_vote(self) -> str:
        table, seat, code = self.moderating()
        open_vote(table, seat, code)
        self.refresh()
        return "The vote is open: every seat votes on its own screen."

    def close_the_vote(self) -> str:
        table, seat, code = self.moderating()
        close_vote(table, seat, code)
        self.refresh()
        return "The vote is closed. The tally is final; decide any tie below."

    def tie(self, policy_id: str, decision: str) -> str:
        table, seat, code = self.moderating()
        record_tie(table, seat, code, policy_id, decision)
        self.refresh()
        return f"Recorded: {policy_id} {decision}."

    def act(self, action, where: w.HTML) -> None:
        """Run a moderator's action and say what it did, or why it was refused."""
        try:
            say(where, action(), "info")
        except KitError as problem:
            say(where, refusal(problem), "error")
            self._guarded(self.refresh)
        except Exception as problem:  # never a traceback in the notebook
            say(where, f"That did not work: {type(problem).__name__}: {problem}", "error")

    # The emergency ----------------------------------------------------------------------------

    def open_emergency(self) -> None:
        """The emergency scenario for this council's own group, `Council <table>`."""
        if self.table is None:
            say(self.status, "Open a table first.", "warning")
            return
        if self.emergency is None:
            self.emergency = ScenarioApp(
                "council_emergency",
                group=f"Council {self.table}",
                pool=self.pool,
                background=self.background,
            )
        self.emergency_area.children = (self.emergency.widget,)

    def _guarded(self, action) -> None:
        try:
            action()
        except KitError as problem:
            say(self.status, refusal(problem), "error")
        except Exception as problem:  # never a traceback in the notebook
            say(self.status, f"That did not work: {type(problem).__name__}: {problem}", "error")
