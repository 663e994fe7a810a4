"""A player's seat at a Mesh Council table: open it with the seat's code, then read your role
sheet, your secret missions, the handbook and the clock, follow the council's policies, propose
your own and vote.

A thin front end over `council.state`: every button is one call to it, and every refusal is shown
as the state words it. Nothing about the seat is shown until its code has opened it, and the
secret box is built only from the player's own seat (`Game.missions_of`), never from any other.
"""

from __future__ import annotations

import datetime as dt
import threading

import ipywidgets as w
import yaml

from ..api import kit
from ..council.game import Game, Mission, load_game
from ..council.state import (
    GOVERNANCE_KEYS,
    CouncilState,
    SeatView,
    change_vote,
    council_state,
    propose,
    take_seat,
    tally,
    vote,
)
from ..errors import KitError
from .common import ShownAsWidget, classed, heading, markdown_output, plain_html, show_markdown
from .council_views import (
    CHOICE_NAMES,
    STYLE,
    Poller,
    esc,
    minutes_text,
    phase_of,
    policies_html,
    refusal,
    say,
    seated_html,
    tally_html,
    vote_status_text,
)

REFRESH_SECONDS = 15.0
EXAMPLE_CHANGE = """\
models:
  - model: data_platform.fct_animal_outcomes
    access: public
"""
CHOICE_STYLES = {"yes": "success", "no": "danger", "abstain": "info"}
SECRET_STYLE = """<style>
.rr-seat-secret { border: 2px dashed #b71c1c; border-radius: 6px; padding: 0.2em 0.8em 0.6em;
  margin: 0.3em 0; background: #fff8f8; }
.rr-seat-secret h3 { color: #b71c1c; margin: 0.4em 0 0.2em; }
.rr-seat-secret .rr-secret-mission { margin: 0.5em 0; }
.rr-seat-secret .rr-secret-mission p { margin: 0.15em 0; }
</style>"""


class SeatApp(ShownAsWidget):
    """One player's seat, as a notebook widget. Evaluate the app in a cell to show it
    (`app.widget` is the root).

    `table` fills in the table's name. The council's state is read again every
    `refresh_seconds` (None: only when Refresh is pressed) in a background thread that stops when
    the widget is closed (`close()`)."""

    def __init__(
        self,
        table: str | None = None,
        refresh_seconds: float | None = REFRESH_SECONDS,
        game: Game | None = None,
    ) -> None:
        self.game = game or load_game()
        self.seat: SeatView | None = None
        self.state: CouncilState | None = None
        self._code = ""
        self._lock = threading.RLock()
        self._vote_rows: dict[str, dict[str, w.Button]] = {}
        self._vote_shape: tuple = ()

        # Opening the seat.
        self.table = classed(
            w.Text(value=table or "", description="Table", placeholder="Table 1"), "rr-seat-table"
        )
        self.seat_number = classed(
            w.Dropdown(
                options=[("Choose", None)]
                + [(f"{s.number}: {s.title}", s.number) for s in self.game.seats],
                value=None,
                description="Seat",
            ),
            "rr-seat-number",
        )
        self.code = classed(
            w.Text(description="Seat code", placeholder="on your table card"), "rr-seat-code"
        )
        self.player = classed(w.Text(description="Your name", placeholder="Sam"), "rr-seat-player")
        self.open_button = classed(
            w.Button(description="Open my seat", button_style="primary", icon="sign-in"),
            "rr-seat-open-button",
        )
        self.status = classed(w.HTML(), "rr-seat-status")
        self.open_button.on_click(lambda _: self.open_seat())

        # What the seat shows once it is open (built when it opens).
        self.seat_area = classed(w.VBox(), "rr-seat-area")

        # The phase.
        self.phase_title = classed(w.HTML(), "rr-seat-phase-title")
        self.phase_does = markdown_output("", "rr-seat-phase-does")
        self.refresh_button = classed(
            w.Button(description="Refresh", icon="refresh", tooltip="Read the table again"),
            "rr-seat-refresh",
        )
        self.refreshed = classed(w.HTML(), "rr-seat-refreshed")
        self.refresh_button.on_click(lambda _: self._guarded(self.refresh))
        self.phase_box = classed(
            w.VBox(
                [
                    heading("Where the council is now"),
                    self.phase_title,
                    self.phase_does,
                    w.HBox([self.refresh_button, self.refreshed]),
                ]
            ),
            "rr-seat-phase",
        )

        # The council's shared state and the vote.
        self.seated = classed(w.HTML(), "rr-seat-seated")
        self.policies = classed(w.HTML(), "rr-seat-policy-list")
        self.vote_status = classed(w.HTML(), "rr-seat-vote-status")
        self.votes = classed(w.VBox(), "rr-seat-votes")
        self.tally = classed(w.HTML(), "rr-seat-tally")
        self.vote_message = classed(w.HTML(), "rr-seat-vote-message")
        self.policies_box = classed(
            w.VBox(
                [
                    heading("The council's policies"),
                    self.seated,
                    self.policies,
                    heading("The vote", 4),
                    self.vote_status,
                    self.votes,
                    self.vote_message,
                    self.tally,
                ]
            ),
            "rr-seat-policies",
        )

        # Proposing a policy.
        self.policy_text = classed(
            w.Textarea(
                placeholder="Write the policy in a sentence or two, for example: Every public "
                "model has an owner and a description.",
                layout=w.Layout(width="100%", height="5em"),
            ),
            "rr-seat-policy-text",
        )
        self.kind = classed(
            w.ToggleButtons(
                options=[
                    ("How we work (process)", "process"),
                    ("A change to the mesh (technical)", "technical"),
                ],
                value="process",
            ),
            "rr-seat-policy-kind",
        )
        self.change = classed(
            w.Textarea(placeholder=EXAMPLE_CHANGE, layout=w.Layout(width="100%", height="9em")),
            "rr-seat-policy-change",
        )
        self.example_button = classed(
            w.Button(description="Use the example", icon="paste"), "rr-seat-use-example"
        )
        self.change_help = w.HTML(
            "<div style='max-width:52em'>A technical policy also says what changes in the mesh, "
            "written in YAML the way the kit's proposals are written. It may use "
            + ", ".join(f"<code>{k}</code>" for k in GOVERNANCE_KEYS)
            + ". The example below makes the hub's animal outcomes public, so every project may "
            "read them. Not sure how to write it? Ask your table's Data Platform seats, or "
            "propose the idea as a process policy first.</div>"
            f"<pre style='background:#eceff1;padding:0.3em 0.5em'>{esc(EXAMPLE_CHANGE)}</pre>"
        )
        self.change_box = w.VBox(
            [self.change_help, self.change, w.HBox([self.example_button])],
            layout=w.Layout(display="none", width="100%"),
        )
        self.propose_button = classed(
            w.Button(description="Propose", button_style="success", icon="plus"),
            "rr-seat-propose-button",
        )
        self.propose_message = classed(w.HTML(), "rr-seat-propose-message")
        self.kind.observe(self._show_change_box, "value")
        self.example_button.on_click(lambda _: setattr(self.change, "value", EXAMPLE_CHANGE))
        self.propose_button.on_click(lambda _: self.propose())
        self.propose_box = classed(
            w.VBox(
                [
                    heading("Propose a policy"),
                    self.policy_text,
                    self.kind,
                    self.change_box,
                    w.HBox([self.propose_button]),
                    self.propose_message,
                ],
                layout=w.Layout(width="100%", max_width="60em"),
            ),
            "rr-seat-propose",
        )

        self.widget = classed(
            w.VBox(
                [
                    w.HTML(STYLE + SECRET_STYLE),
                    w.HTML(
                        f"<h2 style='margin-bottom:0.1em'>{esc(self.game.title)}: your seat</h2>"
                        "<i>Type your table's name, choose your seat, type the code on your "
                        "table card and your name, then press Open my seat.</i>"
                    ),
                    w.HBox(
                        [self.table, self.seat_number, self.code, self.player],
                        layout=w.Layout(flex_flow="row wrap"),
                    ),
                    w.HBox([self.open_button]),
                    self.status,
                    self.seat_area,
                ]
            ),
            "rr-seat-app",
        )
        self.poller = Poller(
            self.widget, refresh_seconds, lambda: self._guarded(self.refresh), "rr-seat-refresh"
        )

    # Showing the app --------------------------------------------------------------------------

    def close(self) -> None:
        """Stop refreshing and remove the app."""
        self.poller.stop()
        self.widget.close()

    # Opening a seat ---------------------------------------------------------------------------

    def open_seat(self) -> None:
        """Sit in the seat typed in the form. Whatever was shown before goes first, so a refused
        attempt shows only why it was refused."""
        self.poller.stop()  # outside the lock: a refresh under way may be waiting for it
        with self._lock:
            self._forget_seat()
            table = self.table.value.strip()
            if self.seat_number.value is None:
                say(self.status, "Choose your seat number: it is on your table card.", "warning")
                return
            try:
                seat = take_seat(table, self.seat_number.value, self.code.value, self.player.value)
            except KitError as problem:
                say(self.status, refusal(problem), "error")
                return
            self.seat, self._code = seat, self.code.value
            self._build_seat()
            try:
                self.refresh()
            except KitError as problem:
                say(self.status, refusal(problem), "error")
                return
            every = self.poller.seconds
            again = (
                f"The page reads the table again every {every:g} seconds; Refresh reads it at once."
                if every
                else "Press Refresh to read the table again."
            )
            say(
                self.status,
                f"Welcome, {seat.player}: you sit in seat {seat.seat} at {seat.table}. {again}",
                "info",
            )
        self.poller.start()

    def _forget_seat(self) -> None:
        self.seat, self.state, self._code = None, None, ""
        self.seat_area.children = ()
        self._vote_rows, self._vote_shape = {}, ()
        say(self.status, "")

    def _build_seat(self) -> None:
        seat = self.game.seat(self.seat.seat)
        team = self.game.team(seat.team)
        project = f"the <code>{esc(team.project)}</code> project" if team.project else "no project"
        title = w.HTML(
            f"<h3 style='margin:0.6em 0 0.2em'>Seat {seat.number}: {esc(seat.title)}</h3>"
            f"<span class='rr-muted'>{esc(team.name)}, speaking for {project} · "
            f"{esc(self.seat.table)} · played by {esc(self.seat.player)}</span>"
        )
        self.seat_area.children = (
            title,
            w.HBox(
                [self._role_sheet(seat, team), self._secret_box(seat)],
                layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
            self.phase_box,
            self.policies_box,
            self.propose_box,
            self._handbook(),
        )

    def _role_sheet(self, seat, team) -> w.HTML:
        partners = [s for s in self.game.seats_of(team.id) if s.number != seat.number]
        partner = (
            f"<p><b>Your partner</b> is seat {partners[0].number}, {esc(partners[0].title)}.</p>"
            if partners
            else ""
        )
        side = seat.public
        strengths = "".join(f"<li>{plain_html(s)}</li>" for s in side.strengths)
        weaknesses = "".join(f"<li>{plain_html(s)}</li>" for s in side.weaknesses)
        moderator = (
            "<p><b>You moderate</b>: you keep time, write decisions down, count the vote and "
            "present.</p>"
            if team.moderates
            else ""
        )
        return classed(
            w.HTML(
                "<div class='rr-council-card' style='max-width:38em'>"
                "<h4>Your role sheet (the whole table may read this side)</h4>"
                f"<p>{plain_html(side.about)}</p>"
                f"<p><b>Your top priority:</b> {plain_html(side.priority)}</p>"
                f"<b>Strengths</b><ul>{strengths}</ul><b>Weaknesses</b><ul>{weaknesses}</ul>"
                f"{partner}{moderator}</div>"
            ),
            "rr-seat-role",
        )

    def _secret_box(self, seat) -> w.VBox:
        team_mission, own_mission = self.game.missions_of(seat)
        partners = [s.number for s in self.game.seats_of(seat.team) if s.number != seat.number]
        shared = f", shared with your partner in seat {partners[0]}" if partners else ""
        missions = w.HTML(
            _mission_html(f"Your team's secret mission{shared}", team_mission)
            + _mission_html("Your role's own secret mission", own_mission)
            + "<p class='rr-muted'>How much of this you tell the table is up to you.</p>"
        )
        hide = classed(
            w.ToggleButton(value=False, description="Hide my secret", icon="eye-slash"),
            "rr-seat-secret-hide",
        )

        def toggle(change) -> None:
            missions.layout.display = "none" if change["new"] else None
            hide.description = "Show my secret" if change["new"] else "Hide my secret"

        hide.observe(toggle, "value")
        return classed(
            w.VBox(
                [w.HTML("<h3>Secret: only for you</h3>"), missions, w.HBox([hide])],
                layout=w.Layout(max_width="34em"),
            ),
            "rr-seat-secret",
        )

    def _handbook(self) -> w.Accordion:
        book = self.game.handbook
        plan = markdown_output(book.plan, "rr-seat-handbook-plan")
        try:
            picture = kit.mesh_picture()
        except KitError as problem:
            picture = f"_The picture of the mesh cannot be drawn here: {problem.message}_"
        show_markdown(plan, f"{book.plan}\n\n#### The mesh as it is today\n\n{picture}")
        roadmap = "\n".join(f"{i}. **{m.title}**: {m.says}" for i, m in enumerate(book.roadmap, 1))
        rules = "\n".join(f"- {rule}" for rule in book.rules)
        wins = self.game.win_conditions
        sections = [
            ("History", markdown_output(book.history, "rr-seat-handbook-history")),
            ("The architect's plan", plan),
            ("The roadmap", markdown_output(roadmap, "rr-seat-handbook-roadmap")),
            ("The rules", markdown_output(rules, "rr-seat-handbook-rules")),
            (
                "How to win",
                markdown_output(f"{wins.collective}\n\n{wins.individual}", "rr-seat-handbook-wins"),
            ),
        ]
        book_widget = classed(
            w.Accordion(children=[box for _, box in sections], selected_index=None),
            "rr-seat-handbook",
        )
        for index, (title, _) in enumerate(sections):
            book_widget.set_title(index, title)
        return w.VBox([heading("The architect's handbook"), book_widget])

    # Reading the table ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the council's state again and show it."""
        with self._lock:
            if self.seat is None:
                return
            state = council_state(self.seat.table)
            self.state = state
            self._show_phase(state)
            self.seated.value = seated_html(self.game, state)
            self.policies.value = policies_html(
                self.game, state, "No policy yet: propose the first one below."
            )
            self.vote_status.value = f"<p>{esc(vote_status_text(state))}</p>"
            self.tally.value = (
                tally_html(tally(state.table), state.vote_status)
                if state.vote_status != "not_open"
                else ""
            )
            self._show_votes(state)
            fixed = state.vote_status != "not_open"
            self.propose_button.disabled = fixed
            if fixed:
                say(
                    self.propose_message,
                    "The vote has started, so the policies are fixed: no new ones now.",
                    "note",
                )
            self.refreshed.value = (
                f"<span class='rr-muted'>Read at {dt.datetime.now():%H:%M:%S}</span>"
            )

    def _show_phase(self, state: CouncilState) -> None:
        phase = phase_of(self.game, state)
        clock = state.clock()
        after = (
            f" · next: {esc(phase_of(self.game, state, clock.next_phase).title)}"
            if clock.next_phase
            else " · the last part of the game"
        )
        colour = "#b71c1c" if clock.overtime else "#1b5e20"
        self.phase_title.value = (
            f"<div style='font-size:1.3em'><b>{esc(phase.title)}</b> "
            f"<span style='color:{colour}'>{esc(minutes_text(clock))}</span>"
            f"<span class='rr-muted' style='font-size:0.8em'>{after}</span></div>"
        )
        show_markdown(self.phase_does, f"**What the council does now**\n\n{phase.council_does}")

    def _show_votes(self, state: CouncilState) -> None:
        policies = state.active_policies if state.vote_status == "open" else ()
        shape = (state.vote_status, tuple(p.id for p in policies))
        if shape != self._vote_shape:
            self._vote_shape = shape
            self._vote_rows = {}
            for old in self.votes.children:
                old.close()
            rows = []
            for policy in policies:
                buttons = {}
                for choice, label in CHOICE_NAMES.items():
                    button = classed(
                        w.Button(description=label, layout=w.Layout(width="7em")),
                        f"rr-seat-vote-{choice}",
                    )
                    button.on_click(lambda _, p=policy.id, c=choice: self.cast(p, c))
                    buttons[choice] = button
                self._vote_rows[policy.id] = buttons
                text = w.HTML(
                    f"<div class='rr-policy' style='max-width:40em'><b>{esc(policy.id)}</b> "
                    f"<span class='rr-policy-text'>{esc(policy.text)}</span></div>",
                    layout=w.Layout(flex="1 1 24em"),
                )
                rows.append(
                    classed(
                        w.HBox(
                            [text, *buttons.values()],
                            layout=w.Layout(flex_flow="row wrap", align_items="center"),
                        ),
                        "rr-seat-vote-row",
                        f"rr-seat-vote-{policy.id}",
                    )
                )
            self.votes.children = tuple(rows)
        mine = {v.policy_id: v.choice for v in state.votes if v.seat == self.seat.seat}
        for policy_id, buttons in self._vote_rows.items():
            for choice, button in buttons.items():
                chosen = mine.get(policy_id) == choice
                button.button_style = CHOICE_STYLES[choice] if chosen else ""
                button.icon = "check" if chosen else ""

    # Acting -----------------------------------------------------------------------------------

    def cast(self, policy_id: str, choice: str) -> None:
        """This seat's vote on one policy (a second press changes it)."""
        with self._lock:
            if self.seat is None:
                return
            before = {
                v.policy_id: v.choice
                for v in (self.state.votes if self.state else ())
                if v.seat == self.seat.seat
            }
            act = change_vote if policy_id in before else vote
            try:
                act(self.seat.table, self.seat.seat, self._code, policy_id, choice)
            except KitError as problem:
                if "already voted" not in problem.message:
                    say(self.vote_message, refusal(problem), "error")
                    self._guarded(self.refresh)
                    return
                # Voted from another screen meanwhile: change it instead.
                try:
                    change_vote(self.seat.table, self.seat.seat, self._code, policy_id, choice)
                except KitError as again:
                    say(self.vote_message, refusal(again), "error")
                    return
            say(
                self.vote_message,
                f"Your vote on {policy_id}: {CHOICE_NAMES[choice].lower()}. You can change it "
                "until the moderators close the vote.",
                "info",
            )
            self._guarded(self.refresh)

    def propose(self) -> None:
        """Put the policy in the form to the council."""
        with self._lock:
            if self.seat is None:
                return
            governance = None
            if self.kind.value == "technical":
                governance = self._read_change()
                if governance is None:
                    return
            try:
                policy = propose(
                    self.seat.table,
                    self.seat.seat,
                    self._code,
                    self.policy_text.value,
                    self.kind.value,
                    governance,
                )
            except KitError as problem:
                say(self.propose_message, refusal(problem), "error")
                return
            self.policy_text.value = ""
            self.change.value = ""
            say(
                self.propose_message,
                f"Your policy is on the table as {policy.id}. Everyone sees it at their next "
                "refresh.",
                "info",
            )
            self._guarded(self.refresh)

    def _read_change(self) -> dict | None:
        text = self.change.value
        if not text.strip():
            say(
                self.propose_message,
                "A technical policy needs its change to the mesh in the box above. Press "
                "\u201cUse the example\u201d to start from one.",
                "warning",
            )
            return None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as problem:
            mark = getattr(problem, "problem_mark", None)
            where = f" near line {mark.line + 1}" if mark is not None else ""
            say(
                self.propose_message,
                f"The change to the mesh is not valid YAML{where}. Check the indentation: each "
                "list item starts with `- ` under its key, as in the example.",
                "error",
            )
            return None
        if not isinstance(data, dict):
            say(
                self.propose_message,
                "The change to the mesh starts with one of "
                + ", ".join(f"`{k}`" for k in GOVERNANCE_KEYS)
                + " followed by a colon, as in the example.",
                "error",
            )
            return None
        return data

    def _show_change_box(self, change) -> None:
        self.change_box.layout.display = None if change["new"] == "technical" else "none"

    def _guarded(self, action) -> None:
        try:
            action()
        except KitError as problem:
            say(self.status, refusal(problem), "error")
        except Exception as problem:  # never a traceback in the notebook
            say(self.status, f"That did not work: {type(problem).__name__}: {problem}", "error")


def _mission_html(label: str, mission: Mission) -> str:
    if mission.check == "policies_passed_by_majority":
        judged = "The kit checks this against the council's vote."
    elif mission.check:
        judged = "The kit checks this against the council's final mesh, built with dbt."
    else:
        judged = "The table decides at the end whether it was met."
    return (
        f"<div class='rr-secret-mission' data-mission='{esc(mission.id)}'><p><b>{esc(label)}</b>"
        f"</p><p style='font-size:1.1em'>{plain_html(mission.says)}</p>"
        f"<p class='rr-muted'>{esc(judged)}</p></div>"
    )
