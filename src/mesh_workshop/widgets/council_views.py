"""Pieces the Mesh Council's two apps share: the table's policies, tally and clock as HTML, the
agenda a table plays, and the background refresh that stops when the app's widget closes.

Everything a player typed (names, policy text, a table's name) is escaped here before it reaches
an HTML widget, so it always shows as plain text.
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable

import ipywidgets as w
import yaml

from ..council.game import Agenda, Game, Phase
from ..council.play import last_final
from ..council.state import Clock, CouncilState, PolicyTally, council_state, tally
from ..errors import KitError
from .common import plain_html

STATUS_COLOURS = {"info": "#1b5e20", "note": "#37474f", "warning": "#e65100", "error": "#b71c1c"}
KIND_NAMES = {"process": "how we work", "technical": "a change to the mesh"}
CHOICE_NAMES = {"yes": "Yes", "no": "No", "abstain": "Abstain"}
STYLE = """<style>
.rr-seat-app .widget-html-content, .rr-council-app .widget-html-content { line-height: 1.45; }
.rr-seat-app .jupyter-button, .rr-council-app .jupyter-button { width: auto; min-width: 7em;
  padding: 0 1em; }
.rr-council-card { border: 1px solid #cfd8dc; border-radius: 6px; padding: 0.3em 0.8em;
  margin: 0.3em 0.6em 0.3em 0; background: #fafafa; }
.rr-council-card h4 { margin: 0.3em 0; }
.rr-council-card ul { margin: 0.2em 0 0.4em 1.2em; padding: 0; }
.rr-policy { border-left: 4px solid #90a4ae; padding: 0.2em 0.6em; margin: 0.4em 0; }
.rr-policy.rr-policy-technical { border-left-color: #5c6bc0; }
.rr-policy .rr-policy-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.rr-policy pre { background: #eceff1; padding: 0.3em 0.5em; margin: 0.3em 0;
  white-space: pre-wrap; }
.rr-tally { border-collapse: collapse; margin: 0.4em 0; }
.rr-tally th, .rr-tally td { border: 1px solid #cfd8dc; padding: 0.2em 0.6em; text-align: left;
  vertical-align: top; }
.rr-tally td.rr-tally-text { max-width: 32em; overflow-wrap: anywhere; white-space: pre-wrap; }
.rr-muted { color: #607d8b; }
</style>"""


def say(widget: w.HTML, text: str, kind: str = "info") -> None:
    """Show a status line in plain words (escaped, `names` in code font)."""
    colour = STATUS_COLOURS.get(kind, STATUS_COLOURS["note"])
    widget.value = f"<span style='color:{colour}'>{plain_html(text)}</span>" if text else ""


def refusal(problem: KitError) -> str:
    """A refusal as the person reads it: what was wrong, then what to do."""
    return f"{problem.message} {problem.hint or ''}".strip()


def esc(text: object) -> str:
    return html.escape(str(text))


# The agenda and the clock --------------------------------------------------------------------


def agenda_of(game: Game, state: CouncilState) -> Agenda:
    """The agenda a table plays: the long one when its phases' minutes are the long agenda's,
    otherwise the short one."""
    long = game.agenda("long")
    if all(state.minutes.get(p.id) == p.minutes for p in long.phases):
        return long
    return game.agenda("short")


def phase_of(game: Game, state: CouncilState, phase_id: str | None = None) -> Phase:
    return agenda_of(game, state).phase(phase_id or state.phase)


def clock_text(seconds_left: float) -> str:
    """`7:05 left`, or `2:10 over time` once the phase's time is up."""
    seconds = abs(int(seconds_left)) if seconds_left < 0 else int(math.ceil(seconds_left))
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d} " + ("over time" if seconds_left < 0 else "left")


def minutes_text(clock: Clock) -> str:
    """The time left, to the minute, for a screen that refreshes every few seconds."""
    left = clock.seconds_left
    if left < 0:
        over = max(1, int(-left // 60))
        return f"{over} minute{'s' if over != 1 else ''} over time"
    if left < 60:
        return "less than a minute left"
    minutes = int(math.ceil(left / 60))
    return f"about {minutes} minutes left"


# The table's policies and votes --------------------------------------------------------------


def seat_label(game: Game, seat: int) -> str:
    try:
        return f"seat {seat}, {game.seat(seat).title}"
    except KitError:
        return f"seat {seat}"


def policies_html(game: Game, state: CouncilState, empty: str) -> str:
    """Every policy still on the table: its id, kind, who proposed it, its text (escaped) and,
    for a technical one, its changes to the mesh."""
    active = state.active_policies
    if not active:
        return f"<p class='rr-muted'>{esc(empty)}</p>"
    parts = []
    for policy in active:
        who = seat_label(game, policy.seat)
        if policy.player:
            who += f" ({policy.player})"
        extra = ""
        if policy.kind == "technical" and policy.governance:
            changes = yaml.safe_dump(policy.governance, sort_keys=False, allow_unicode=True)
            extra = f"<pre>{esc(changes.strip())}</pre>"
        parts.append(
            f"<div class='rr-policy rr-policy-{esc(policy.kind)}' data-policy='{esc(policy.id)}'>"
            f"<b>{esc(policy.id)}</b> <span class='rr-muted'>· {esc(KIND_NAMES[policy.kind])} · "
            f"proposed by {esc(who)}</span><div class='rr-policy-text'>{esc(policy.text)}</div>"
            f"{extra}</div>"
        )
    withdrawn = len(state.policies) - len(active)
    if withdrawn:
        parts.append(
            f"<p class='rr-muted'>{withdrawn} withdrawn polic{'y' if withdrawn == 1 else 'ies'} "
            "not shown.</p>"
        )
    return "".join(parts)


def result_text(row: PolicyTally, vote_status: str) -> str:
    if vote_status != "closed":
        return "voting is open" if vote_status == "open" else "not voted yet"
    if row.tie and row.tie_decision is None:
        return "a tie: the moderators decide"
    if row.tie:
        return f"a tie, {row.tie_decision} by the moderators"
    return "passed" if row.passed else "failed"


def tally_html(rows: list[PolicyTally], vote_status: str) -> str:
    if not rows:
        return "<p class='rr-muted'>There is no policy to count.</p>"
    lines = [
        "<table class='rr-tally'><tr><th>Policy</th><th>What it says</th><th>Yes</th>"
        "<th>No</th><th>Abstain</th><th>Result</th></tr>"
    ]
    for row in rows:
        lines.append(
            f"<tr data-policy='{esc(row.policy_id)}'><td><b>{esc(row.policy_id)}</b></td>"
            f"<td class='rr-tally-text'>{esc(row.text)}</td><td>{row.yes}</td><td>{row.no}</td>"
            f"<td>{row.abstain}</td><td>{esc(result_text(row, vote_status))}</td></tr>"
        )
    lines.append("</table>")
    return "".join(lines)


def vote_status_text(state: CouncilState) -> str:
    return {
        "not_open": "The vote has not opened yet: it opens in council session 3.",
        "open": "The vote is open: every seat votes yes, no or abstain on each policy.",
        "closed": "The vote is closed. The tally below is final.",
    }[state.vote_status]


def seated_html(game: Game, state: CouncilState) -> str:
    if not state.seats:
        return "<span class='rr-muted'>Nobody has taken a seat yet.</span>"
    names = ", ".join(f"{esc(s.player)} (seat {s.seat})" for s in state.seats)
    return f"<span class='rr-muted'>At the table: {names}.</span>"


# Refreshing in the background ----------------------------------------------------------------


class Poller:
    """Calls `tick` every `seconds` in a daemon thread, until `stop()` or until `widget` is closed
    (its comm goes away), so no thread outlives the app on screen. `seconds=None`: never."""

    def __init__(
        self, widget: w.Widget, seconds: float | None, tick: Callable[[], None], name: str
    ) -> None:
        self.seconds = seconds
        self.tick = tick
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        widget.observe(self._closed, "comm")

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.seconds is None or self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(self._stop,), name=self.name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)
        self._thread = None

    def _closed(self, change) -> None:
        if change["new"] is None:
            self.stop()

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self.seconds):
            try:
                self.tick()
            except Exception:  # a refresh that failed once is tried again at the next tick
                pass


# Every council at once: the sidebar and the wall ---------------------------------------------


def read_councils(tables: list[str]) -> tuple[list[CouncilState], list[tuple[str, str]]]:
    """Each table's state, and (table, why) for the tables whose state cannot be read."""
    states, problems = [], []
    for table in tables:
        try:
            states.append(council_state(table))
        except KitError as problem:
            problems.append((table, refusal(problem)))
    return states, problems


def problems_html(problems: list[tuple[str, str]]) -> str:
    return "".join(
        f"<p style='color:#b71c1c'>{esc(table)} cannot be read: {esc(why)}</p>"
        for table, why in problems
    )


def sidebar_html(game: Game, states: list[CouncilState]) -> str:
    """For each role number, who plays it at every table; then each table's policies now."""
    if not states:
        return "<p class='rr-muted'>No council table is open yet.</p>"
    cards = []
    for seat in sorted(game.seats, key=lambda s: s.number):
        team = game.team(seat.team)
        rows = []
        for state in states:
            if seat.number > state.seat_count:
                continue
            player = next((s.player for s in state.seats if s.seat == seat.number), None)
            who = esc(player) if player else "<span class='rr-muted'>nobody yet</span>"
            rows.append(f"<li>{esc(state.table)}: {who}</li>")
        cards.append(
            f"<div class='rr-council-card rr-sidebar-role' data-seat='{seat.number}' "
            "style='flex:1 1 16em'>"
            f"<h4>Seat {seat.number}: {esc(seat.title)}</h4>"
            f"<span class='rr-muted'>{esc(team.name)}</span><ul>{''.join(rows)}</ul></div>"
        )
    policies = []
    for state in states:
        policies.append(
            f"<div class='rr-council-card rr-sidebar-policies' data-table='{esc(state.table)}' "
            f"style='flex:1 1 24em'><h4>{esc(state.table)}</h4>"
            + policies_html(game, state, "No policy yet.")
            + "</div>"
        )
    row = "<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>"
    return (
        "<h4>Who plays each seat</h4>"
        "<p>People with the same seat number play the same role at every table: send them to "
        "find each other.</p>"
        f"{row}{''.join(cards)}</div>"
        f"<h4>Each council's policies now</h4>{row}{''.join(policies)}</div>"
    )


def wall_html(game: Game, states: list[CouncilState], finals: dict) -> str:
    """Every council side by side: phase, policies, what passed, whether its final mesh is
    green. `finals` maps a table's folder name to its last final mesh built on this screen;
    otherwise the last one built on any screen is read from the table's folder."""
    if not states:
        return "<p class='rr-muted'>No council table is open yet.</p>"
    cards = []
    for state in states:
        clock = state.clock()
        phase = phase_of(game, state)
        active = state.active_policies
        if state.vote_status == "closed":
            passed = sum(1 for t in tally(state.table) if t.passed)
            vote = f"{passed} of {len(active)} passed"
        elif state.vote_status == "open":
            vote = "the vote is open"
        else:
            vote = "not voted yet"
        final = finals.get(state.folder.name) or last_final(state.table)
        if final is None:
            mesh = "<span class='rr-muted'>not built yet</span>"
        elif final.green:
            mesh = "<span style='color:#1b5e20'>&#10004; green</span>"
        else:
            mesh = "<span style='color:#b71c1c'>&#10008; not green</span>"
        cards.append(
            f"<div class='rr-council-card rr-wall-card' data-table='{esc(state.table)}' "
            "style='flex:0 1 17em'>"
            f"<h4>{esc(state.table)}</h4><ul>"
            f"<li>{esc(phase.title)}, {esc(minutes_text(clock))}</li>"
            f"<li>{len(active)} polic{'y' if len(active) == 1 else 'ies'}, {esc(vote)}</li>"
            f"<li>{len(state.seats)} of {state.seat_count} seats taken</li>"
            f"<li>Final mesh: {mesh}</li></ul></div>"
        )
    return f"<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>{''.join(cards)}</div>"
