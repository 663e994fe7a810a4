"""The Mesh Council's printable materials as HTML: role sheets, the architect's handbook, table
cards and the facilitator's run sheet.

Each document is one self-contained page of HTML (inline CSS, no scripts, nothing fetched) that
prints on A4, one `section.page` per printed page. Every string from the game's data is escaped
with `html.escape`; its Markdown fields are rendered with raw HTML switched off.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..mesh.layout import Mesh
from .game import Agenda, Game, Mission, Seat, Team

# Raw HTML off, and no images: a printed page fetches nothing.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")
# Checks the kit makes against the council's vote rather than its mesh.
VOTE_CHECKS = frozenset({"policies_passed_by_majority"})
BLANK_CODE = "______"


@dataclass(frozen=True)
class TableCards:
    """One table's name and its seats' codes (a seat without a code gets a blank to fill in)."""

    name: str
    codes: Mapping[int, str]


def e(text: object) -> str:
    return html.escape(str(text))


def md(text: str) -> str:
    return _MARKDOWN.render(text)


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def judged_line(mission: Mission) -> str:
    """Who decides whether a mission is met, as the player reads it."""
    if mission.check in VOTE_CHECKS:
        return "The kit checks this against your council's recorded vote."
    if mission.check:
        return "The kit checks this against your council's final mesh."
    return "Your table judges this."


CSS = """
@page { size: A4; margin: 15mm 16mm; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #1d1d24; font-size: 10.5pt; line-height: 1.45;
  font-family: "DejaVu Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
  font-variant-ligatures: none;
}
.page + .page { break-before: page; }
@media screen {
  body { background: #e9e7ee; }
  .page { background: #fff; width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 15mm 16mm;
          box-shadow: 0 1px 6px rgba(0,0,0,.2); }
}
.rainbow { height: 2.2mm; margin-bottom: 3mm; border-radius: 1mm;
  background: linear-gradient(90deg, #e4572e, #f3a712, #f6d743, #4caf50, #2e86de, #6f42c1); }
.kicker { font-size: 8.5pt; color: #6b6877; margin: 0 0 5mm; }
h1 { font-size: 22pt; line-height: 1.15; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; color: #4b2a7b; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 0 0 2.5mm; }
ul, ol { margin: 0 0 2.5mm; padding-left: 6mm; }
li { margin-bottom: 1mm; }
li > p { margin: 0; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: .9em;
       background: #f1ecf8; padding: 0 .25em; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { text-align: left; vertical-align: top; padding: 1.6mm 2mm; border-bottom: .3mm solid #d6d2df; }
th { font-size: 9pt; color: #4b2a7b; border-bottom: .5mm solid #4b2a7b; }
tr, .keep { break-inside: avoid; }
.compact td { font-size: 9.5pt; padding: 1.2mm 2mm; }
.compact td ul { margin: 0; }
.compact li { margin-bottom: .4mm; line-height: 1.3; }
.nowrap { white-space: nowrap; }
.lead { font-size: 11.5pt; }
.small { font-size: 9pt; color: #55525f; }
.note { margin-top: 6mm; padding: 2.5mm 3.5mm; border-left: 1.2mm solid #f3a712; background: #fff7e6;
        font-size: 9.5pt; }
.box { border: .4mm solid #d6d2df; border-radius: 2mm; padding: 3mm 4mm; margin: 0 0 4mm; }
"""


def document(title: str, pages: Iterable[str], css: str = "") -> str:
    body = "\n".join(pages)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n{body}\n"
        "</body>\n</html>\n"
    )


def page(kicker: str, content: str, css_class: str = "") -> str:
    classes = f"page {css_class}".strip()
    return (
        f'<section class="{classes}">\n<div class="rainbow"></div>\n'
        f'<p class="kicker">{kicker}</p>\n{content}\n</section>'
    )


def items(values: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>"


def team_line(team: Team) -> str:
    if team.project:
        speaks = f"speaks for the <code>{e(team.project)}</code> project"
    else:
        speaks = "has no project of its own"
    moderates = "; it moderates the council" if team.moderates else ""
    return f"Team: <b>{e(team.name)}</b>, which {speaks}{moderates}."


def partner_of(game: Game, seat: Seat) -> Seat:
    return next(s for s in game.seats_of(seat.team) if s.number != seat.number)


# Role sheets -----------------------------------------------------------------------------------

ROLE_CSS = """
body { font-size: 11.5pt; }
.seat-number { display: inline-block; font-size: 11pt; font-weight: bold; color: #fff;
  background: #4b2a7b; border-radius: 1.5mm; padding: 1mm 3mm; margin-bottom: 3mm; }
.priority { font-size: 12pt; font-weight: bold; }
.columns { display: flex; gap: 8mm; }
.columns > div { flex: 1; }
.secret-head { font-size: 20pt; font-weight: bold; color: #b3261e; border: .8mm dashed #b3261e;
  border-radius: 2mm; padding: 3mm 4mm; margin: 0 0 5mm; }
.mission { font-size: 12.5pt; font-weight: bold; margin-bottom: 1.5mm; }
"""


def role_sheets(game: Game) -> str:
    pages: list[str] = []
    for seat in sorted(game.seats, key=lambda s: s.number):
        pages += [_public_side(game, seat), _secret_side(game, seat)]
    return document(f"{game.title}: role sheets", pages, ROLE_CSS)


def _public_side(game: Game, seat: Seat) -> str:
    team, partner, public = game.team(seat.team), partner_of(game, seat), seat.public
    content = f"""
<div class="seat-number">Seat {seat.number}</div>
<h1>{e(seat.title)}</h1>
<p class="lead">{team_line(team)}</p>
<p>Your partner is seat {partner.number}, {e(partner.title)}.</p>
<h2>Who you are</h2>
<p>{e(public.about)}</p>
<h2>Your top priority</h2>
<p class="priority">{e(public.priority)}</p>
<div class="columns">
<div><h2>Strengths</h2>{items(public.strengths)}</div>
<div><h2>Weaknesses</h2>{items(public.weaknesses)}</div>
</div>
<p class="note">Everyone at the table may read this side. Your secret missions are on the next
page: print the sheets double-sided, or fold that page away and keep it to yourself.</p>
"""
    return page(f"{e(game.title)} &middot; Role sheet, seat {seat.number}", content)


def _secret_side(game: Game, seat: Seat) -> str:
    team_mission, own_mission = game.missions_of(seat)
    team, partner = game.team(seat.team), partner_of(game, seat)
    content = f"""
<div class="secret-head">Secret: for seat {seat.number} only</div>
<p class="lead"><b>{e(seat.title)}</b>, {e(team.name)}</p>
<h2>Your team's secret mission</h2>
<p class="mission">{e(team_mission.says)}</p>
<p class="small">{judged_line(team_mission)} Your partner, seat {partner.number}, has the same
team mission, so work on it together.</p>
<h2>Your own secret mission</h2>
<p class="mission">{e(own_mission.says)}</p>
<p class="small">{judged_line(own_mission)}</p>
<h2>How you win on your own</h2>
{md(game.win_conditions.individual)}
<p class="note">Keep this page to yourself. How much of it you tell the table is up to you; at the
end, everyone turns their sheets over and the council sees whose missions were met.</p>
"""
    return page(f"{e(game.title)} &middot; Role sheet, seat {seat.number}, private side", content)


# The architect's handbook ---------------------------------------------------------------------

HANDBOOK_CSS = """
figure { margin: 5mm 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #55525f; margin-top: 1.5mm; }
.milestone { break-inside: avoid; margin-bottom: 3mm; }
"""


def handbook(game: Game, agenda: Agenda, mesh: Mesh) -> str:
    book = game.handbook
    kicker = f"{e(game.title)} &middot; The architect's handbook"
    seats = "".join(
        f"<tr><td>{s.number}</td><td>{e(s.title)}</td><td>{e(game.team(s.team).name)}</td></tr>"
        for s in sorted(game.seats, key=lambda s: s.number)
    )
    milestones = "".join(
        f'<li class="milestone"><b>{e(m.title)}.</b> {e(m.says)}</li>' for m in book.roadmap
    )
    rules = "".join(f"<li>{e(rule)}</li>" for rule in book.rules)
    pages = [
        page(
            kicker,
            f"""
<h1>The architect's handbook</h1>
<p class="lead">This handbook lies in the middle of the table, and every seat may read it: how
Rainbow Road got here, the plan for its dbt Mesh, where the organisation wants to go next, and how
this council works.</p>
<h2>How Rainbow Road got here</h2>
{md(book.history)}
<h2>Who sits at the table</h2>
<table class="compact"><tr><th>Seat</th><th>Role</th><th>Team</th></tr>{seats}</table>
""",
        ),
        page(
            kicker,
            f"""
<h2>The plan</h2>
{md(book.plan)}
<figure>
{mesh_picture(game, mesh)}
<figcaption>The mesh as it stands, drawn from its projects. Each arrow points from a project to
a project it reads.</figcaption>
</figure>
""",
        ),
        page(
            kicker,
            f"""
<h2>The roadmap</h2>
<ol>{milestones}</ol>
<h2>The council's rules</h2>
<ol>{rules}</ol>
<h2>How to win</h2>
<h3>Together</h3>
{md(game.win_conditions.collective)}
<h3>On your own</h3>
{md(game.win_conditions.individual)}
""",
        ),
        page(
            kicker,
            f"""
<h2>The agenda: {e(agenda.title)}, {agenda.minutes} minutes</h2>
{agenda_table(agenda, with_plan=True)}
""",
        ),
    ]
    return document(f"{game.title}: the architect's handbook", pages, HANDBOOK_CSS)


def agenda_table(agenda: Agenda, with_plan: bool) -> str:
    """The agenda as a table: when each phase starts, its length and title, and (`with_plan`)
    what the council does in it."""
    rows, start = [], 0
    for phase in agenda.phases:
        plan = f"<td>{md(phase.council_does)}</td>" if with_plan else ""
        rows.append(
            f'<tr><td class="nowrap">{clock(start)}</td>'
            f'<td class="nowrap">{phase.minutes} min</td>'
            f"<td><b>{e(phase.title)}</b></td>{plan}</tr>"
        )
        start += phase.minutes
    rows.append(
        f"<tr><td>{clock(start)}</td><td></td><td><b>The end</b></td>"
        + ("<td></td>" if with_plan else "")
        + "</tr>"
    )
    widths = ("14mm", "17mm", "40mm", "auto") if with_plan else ("14mm", "17mm", "auto")
    cols = "".join(f'<col style="width: {w}">' for w in widths)
    head = "<th>Starts</th><th>Length</th><th>Phase</th>"
    head += "<th>What the council does</th>" if with_plan else ""
    return (
        f'<table class="compact"><colgroup>{cols}</colgroup><tr>{head}</tr>{"".join(rows)}</table>'
    )


def mesh_picture(game: Game, mesh: Mesh) -> str:
    """The hub above, the other projects in a row below, an arrow from each reader to what it
    reads. Inline SVG: no script, nothing fetched."""
    names = [p.name for p in mesh.projects]
    hub = mesh.hub if mesh.hub in names else names[0]
    spokes = [n for n in names if n != hub]
    teams = {t.project: t.name for t in game.teams if t.project}
    width, gap, box_h = 680, 24, 64
    box_w = min(200, (width - gap * (len(spokes) + 1)) / max(len(spokes), 1))
    hub_box = ((width - 220) / 2, 16, 220)
    places = {hub: hub_box}
    for i, name in enumerate(spokes):
        places[name] = (gap + i * (box_w + gap), 196, box_w)
    hub_readers = [p.name for p in mesh.projects if hub in p.upstreams]
    shapes = []
    for project in mesh.projects:
        x, y, w = places[project.name]
        for read in project.upstreams:
            rx, ry, rw = places[read]
            if read == hub:
                share = (hub_readers.index(project.name) + 1) / (len(hub_readers) + 1)
                start, end = (x + w / 2, y), (rx + rw * share, ry + box_h + 4)
                shapes.append(
                    f'<line x1="{start[0]:.0f}" y1="{start[1]}" x2="{end[0]:.0f}" y2="{end[1]}" '
                    'stroke="#4b2a7b" stroke-width="2.5" marker-end="url(#reads)"/>'
                )
            else:
                sx, ex = x + w / 2, rx + rw / 2
                shapes.append(
                    f'<path d="M {sx:.0f} {y + box_h} Q {(sx + ex) / 2:.0f} {y + box_h + 60} '
                    f'{ex:.0f} {y + box_h + 4}" fill="none" stroke="#b3261e" stroke-width="2.5" '
                    'marker-end="url(#reads)"/>'
                )
    for name, (x, y, w) in places.items():
        fill, stroke = ("#efe6fb", "#4b2a7b") if name == hub else ("#e8f4ea", "#2e7d32")
        role = "the hub" if name == hub else "a spoke"
        team = teams.get(name, "no team at this table")
        shapes.append(
            f'<rect x="{x:.0f}" y="{y}" width="{w:.0f}" height="{box_h}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{x + w / 2:.0f}" y="{y + 26}" text-anchor="middle" font-size="15" '
            f'font-family="DejaVu Sans Mono, monospace" font-weight="bold">{e(name)}</text>'
            f'<text x="{x + w / 2:.0f}" y="{y + 47}" text-anchor="middle" font-size="12">'
            f"{e(role)}, {e(team)}</text>"
        )
    return (
        f'<svg viewBox="0 0 {width} 300" role="img" aria-label="The projects of the mesh">'
        '<defs><marker id="reads" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#4b2a7b"/>'
        "</marker></defs>" + "".join(shapes) + "</svg>"
    )


# Table cards ----------------------------------------------------------------------------------

CARDS_CSS = """
/* The fold falls in the middle of the sheet: 15 mm margin + 132 mm half. */
.tent .half { height: 132mm; display: flex; flex-direction: column; align-items: center;
  justify-content: center; text-align: center; }
.tent .upside-down { transform: rotate(180deg); }
.tent .fold { height: 0; border-top: .5mm dashed #8d8a96; font-size: 8pt; color: #8d8a96;
  text-align: center; line-height: 1; }
.tent .fold span { position: relative; top: -2.2mm; background: #fff; padding: 0 2mm; }
.table-name { font-size: 84pt; font-weight: bold; line-height: 1; color: #4b2a7b; }
.game-name { font-size: 20pt; margin-top: 6mm; }
.cards { display: grid; grid-template-columns: 1fr 1fr; }
.card { height: 49mm; border: .4mm dashed #8d8a96; padding: 3mm 4mm; break-inside: avoid;
  display: flex; flex-direction: column; }
.card .where { font-size: 9pt; color: #55525f; }
.card .role { font-size: 12pt; font-weight: bold; margin: 1mm 0 0; line-height: 1.2; }
.card .code { margin: auto 0 1mm; font-size: 9pt; }
.card .code b { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 19pt;
  letter-spacing: .12em; margin-left: 2mm; }
.card .how { font-size: 7.5pt; color: #55525f; margin: 0; }
"""


def table_cards(game: Game, tables: Iterable[TableCards]) -> str:
    pages: list[str] = []
    for table in tables:
        name = e(table.name)
        tent_half = (
            f'<div class="table-name">{name}</div><div class="game-name">{e(game.title)}</div>'
        )
        pages.append(
            f'<section class="page tent"><div class="half upside-down">{tent_half}</div>'
            '<div class="fold"><span>fold here, then stand the card on the table</span></div>'
            f'<div class="half">{tent_half}</div></section>'
        )
        cards = "".join(
            _seat_card(game, seat, table) for seat in sorted(game.seats, key=lambda s: s.number)
        )
        pages.append(
            page(
                f"{name} &middot; Seat cards: cut along the dashed lines and give each player "
                "the card of their seat",
                f'<div class="cards">{cards}</div>',
            )
        )
    return document(f"{game.title}: table cards", pages, CARDS_CSS)


def _seat_card(game: Game, seat: Seat, table: TableCards) -> str:
    code = table.codes.get(seat.number)
    shown = e(code) if code else BLANK_CODE
    return f"""<div class="card">
<div class="where">{e(table.name)} &middot; Seat {seat.number}</div>
<div class="role">{e(seat.title)}</div>
<div class="where">{e(game.team(seat.team).name)}</div>
<div class="code">seat code: <b>{shown}</b></div>
<p class="how">To open your seat in the kit, type the table's name, {e(table.name)}, your seat
number, {seat.number}, and this code. Keep the code to yourself.</p>
</div>"""
