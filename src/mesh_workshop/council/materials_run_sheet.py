"""The facilitator's run sheet for the Mesh Council, as printable HTML: getting ready, who
moderates, the agenda phase by phase, tables of fewer than ten people, and the end of the game."""

from __future__ import annotations

from ..scenario.model import load_scenario
from .game import FEWER_PLAYERS, Agenda, Game, Phase
from .materials_html import VOTE_CHECKS, agenda_table, clock, document, e, md, page

RUN_CSS = """
.phase { break-inside: avoid; border: .4mm solid #d6d2df; border-radius: 2mm; padding: 3mm 4mm;
  margin: 0 0 4mm; }
.phase h3 { margin-top: 0; font-size: 12pt; }
.phase .when { font-weight: normal; color: #55525f; font-size: 10pt; }
.says { margin: 1mm 0 0; padding: 2mm 3.5mm; border-left: 1.2mm solid #4b2a7b; background: #f6f2fb;
  font-style: italic; }
.label { font-size: 8.5pt; font-weight: bold; color: #4b2a7b; margin: 2mm 0 1mm; }
.step { break-inside: avoid; margin-bottom: 4mm; }
"""


def run_sheet(game: Game, agenda: Agenda, tables: int) -> str:
    kicker = f"{e(game.title)} &middot; Facilitator's run sheet"
    count = f"{tables} table" if tables == 1 else f"{tables} tables"
    phases, start = [], 0
    for number, phase in enumerate(agenda.phases, start=1):
        phases.append(_phase(number, phase, start))
        start += phase.minutes
    pages = [
        page(
            kicker,
            f"""
<h1>Facilitator's run sheet</h1>
<p class="lead">{e(agenda.title)}: {agenda.minutes} minutes, for {count} of up to ten players
each. Each table is one council; this sheet takes you through its meeting from the first seat to
the last vote.</p>
{_getting_ready(game)}
{_moderators(game)}
<h2>The agenda at a glance</h2>
{agenda_table(agenda, with_plan=False)}
""",
        ),
        page(kicker, "<h2>Phase by phase</h2>\n" + "\n".join(phases)),
        page(kicker, _fewer_players(game) + _the_end(game, agenda)),
    ]
    return document(f"{game.title}: facilitator's run sheet", pages, RUN_CSS)


def _getting_ready(game: Game) -> str:
    return """
<h2>Before the session</h2>
<ul>
<li><b>Role sheets</b> (<code>role-sheets.pdf</code>): one set per table. Print them
double-sided, so that each seat's secret missions are on the back of its public side.</li>
<li><b>The architect's handbook</b> (<code>handbook.pdf</code>): one per table, for the middle of
the table.</li>
<li><b>Table cards</b> (<code>table-cards.pdf</code>): fold each table's big card so its name
stands up, and cut out its seat cards. Each seat card has the code that player types to open
their seat in the kit. The codes belong to the kit that printed them: print the cards from the
kit, or the shared workshop folder, that the players will use. Printing again from there gives the
same codes.</li>
<li>Put the role sheet and the seat card of each seat at its place, so people take a seat by
number. Give the two moderating seats to people who are happy to chair and keep time.</li>
<li>If the council plays the emergency or checks its mesh with the kit, have one screen per table
that everyone can see.</li>
</ul>
"""


def _moderators(game: Game) -> str:
    team = game.moderators
    seats = game.seats_of(team.id)
    names = " and ".join(f"seat {s.number}, {e(s.title)}" for s in seats)
    return f"""
<h2>Who moderates</h2>
<p>The {e(team.name)} team moderates each council: {names}. They open each phase by reading the
line under <i>The moderator says</i>, keep time, write down every decision, count the votes and
present the council's result. You keep the time for the whole room and step in only when a table
is stuck.</p>
"""


def _phase(number: int, phase: Phase, start: int) -> str:
    scenario = ""
    if phase.scenario:
        title = load_scenario(phase.scenario).title
        scenario = f'<p class="small">The kit plays this phase as its scenario “{e(title)}”.</p>'
    return f"""<div class="phase">
<h3>{number}. {e(phase.title)} <span class="when">&middot; {phase.minutes} minutes, from
{clock(start)} to {clock(start + phase.minutes)}</span></h3>
<div class="label">What the council does</div>
{md(phase.council_does)}
<div class="label">The moderator says</div>
<p class="says">{e(phase.moderator_says)}</p>
{scenario}
</div>"""


def _fewer_players(game: Game) -> str:
    rows = []
    for count in (len(game.seats), *sorted(FEWER_PLAYERS, reverse=True)):
        plan = game.players_plan(count)
        together = (
            "<br>".join(
                f"seats {' and '.join(str(n) for n in sorted(group))} "
                f"({e(game.team(game.seat(group[0]).team).name)})"
                for group in plan.together
            )
            or "one seat each"
        )
        empty = ", ".join(str(n) for n in sorted(plan.empty)) or "none"
        rows.append(
            f"<tr><td><b>{count}</b></td><td>{together}</td>"
            f'<td class="nowrap">{empty}</td><td>{e(plan.advice)}</td></tr>'
        )
    least = min(FEWER_PLAYERS)
    return f"""
<h2>Tables of fewer than ten people</h2>
<p>A council has ten seats, two for each of its five teams. With fewer people, some play both
seats of their team and, at the smallest tables, a few seats stay empty. An empty seat's own
secret mission is out of play, but its team's mission still counts. A table needs at least
{least} people, one for each team; with more than ten, start another table.</p>
<table class="compact"><colgroup><col style="width: 15mm"><col style="width: 62mm">
<col style="width: 22mm"><col></colgroup>
<tr><th>People</th><th>One person plays</th><th>Empty seats</th><th>Advice</th></tr>
{"".join(rows)}</table>
"""


def _the_end(game: Game, agenda: Agenda) -> str:
    vote = agenda.phase("session_3")
    talks = agenda.phase("presentations")
    seats = sorted(game.seats, key=lambda s: s.number)
    missions = "".join(
        f"<tr><td>{e(team.name)} (seats "
        f"{' and '.join(str(s.number) for s in game.seats_of(team.id))})</td>"
        f"<td>{e(team.mission.says)}</td><td>{_decider(team.mission.check)}</td></tr>"
        for team in game.teams
    ) + "".join(
        f"<tr><td>Seat {s.number}, {e(s.title)}</td><td>{e(s.mission.says)}</td>"
        f"<td>{_decider(s.mission.check)}</td></tr>"
        for s in seats
    )
    return f"""
<h2>The end in three steps</h2>
<div class="step">
<h3>1. The vote, in {e(vote.title)}</h3>
<p>The council writes its policies down, and the moderators open the vote. Every seat at the
table votes yes, no or abstain on each policy; a policy passes with more yes votes than no votes,
and on a tie the moderators decide. The moderators close the vote and record the result.</p>
<div class="label">The council wins together when</div>
{md(game.win_conditions.collective)}
</div>
<div class="step">
<h3>2. {e(talks.title)}</h3>
<p>Each council presents in turn, and the agenda gives {talks.minutes} minutes for all of
them: how it made its decisions, what it decided, which problems it solved and which are still
open, and what it would do differently. Keep the time strictly, so the room hears every
table.</p>
</div>
<div class="step">
<h3>3. The reveal</h3>
<p>Everyone turns their role sheet over and reads out their secret missions; the table below
says who decides each one.</p>
<div class="label">A player wins on their own when</div>
{md(game.win_conditions.individual)}
</div>
<h3>Every secret mission, and who decides it</h3>
<table class="compact"><tr><th>Whose</th><th>Mission</th><th>Decided by</th></tr>{missions}</table>
"""


def _decider(check: str | None) -> str:
    if check is None:
        return "the table"
    return "the kit, from the vote" if check in VOTE_CHECKS else "the kit, from the mesh"
