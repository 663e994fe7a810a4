"""A council's result as one printable page (the flip-pad's replacement), and the facilitator's
wall with every council side by side.

The page holds the council's policies with their tally, the picture of its final mesh and what
dbt said of it, and the reveal: every seat's missions, checked by the kit or declared by the
table. Players typed the policies' text and names: each is escaped, never read as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..mesh.layout import read_mesh
from ..paths import Workspace
from .game import Game
from .materials import find_chromium, print_pdf
from .materials_html import document, e, mesh_picture, page
from .play import CouncilResult, MissionResult, council_sandbox

CSS = """
.verdict { font-weight: bold; padding: 2mm 3mm; border-radius: 1.5mm; margin: 2mm 0 4mm; }
.win { background: #e8f5e9; color: #1b5e20; } .no-win { background: #fff3e0; color: #8a4b00; }
.met { color: #1b5e20; font-weight: bold; } .not-met { color: #b71c1c; font-weight: bold; }
.waiting { color: #55525f; font-style: italic; }
.wall { display: flex; flex-wrap: wrap; gap: 4mm; }
.wall .box { flex: 1 1 60mm; }
"""


@dataclass(frozen=True)
class PresentationFiles:
    html: Path
    pdf: Path | None  # None without chromium


def presentation_html(game: Game, result: CouncilResult) -> str:
    """One council's result as a self-contained page (no script, nothing fetched)."""
    state = result.state
    title = f"The Mesh Council of {state.table}"
    win = (
        '<p class="verdict win">The council wins together: its policies passed and its final '
        "mesh builds green.</p>"
        if result.collective_win
        else '<p class="verdict no-win">No collective win yet: ' + e(_why_no_win(result)) + "</p>"
    )
    body = [f"<h1>{e(title)}</h1>", win, "<h2>Policies and the vote</h2>", _policies(result)]
    body += ["<h2>The final mesh</h2>", _final_mesh(game, result)]
    return document(
        title,
        [
            page(e(f"{game.title}: the council presents"), "\n".join(body)),
            page(
                e(f"{state.table}: the reveal"), "<h2>Secret missions</h2>" + _reveal(game, result)
            ),
        ],
        CSS,
    )


def wall_html(game: Game, results: Iterable[CouncilResult]) -> str:
    """Every council side by side: policies passed, the final mesh, missions met."""
    boxes = []
    for result in results:
        met = sum(1 for m in result.missions if m.met)
        final = result.final
        mesh = (
            "not built yet"
            if final is None
            else "builds green"
            if final.green
            else "builds, with governance errors"
            if final.builds
            else "does not build"
        )
        passed = sum(1 for o in result.outcomes if o.passed)
        boxes.append(
            '<div class="box keep">'
            f"<h3>{e(result.state.table)}</h3>"
            f"<p>Phase: {e(result.state.phase.replace('_', ' '))}</p>"
            f"<p>Policies: {len(result.state.active_policies)}, passed: {passed}</p>"
            f"<p>Final mesh: {e(mesh)}</p>"
            f"<p>Missions met: {met} of {len(result.missions)}</p>"
            f"<p>{'Collective win' if result.collective_win else 'No collective win yet'}</p>"
            "</div>"
        )
    content = "<h1>Every council</h1>" + '<div class="wall">' + "".join(boxes) + "</div>"
    return document("Every council", [page(e(game.title), content)], CSS)


def write_presentation(game: Game, result: CouncilResult, pdf: bool = True) -> PresentationFiles:
    """The page written into the council's folder as `presentation.html`, and printed to
    `presentation.pdf` when chromium is there."""
    folder = Workspace.current().council(result.state.table)
    html_file = folder / "presentation.html"
    html_file.write_text(presentation_html(game, result), encoding="utf-8")
    browser = find_chromium() if pdf else None
    return PresentationFiles(html_file, print_pdf(browser, html_file) if browser else None)


def _why_no_win(result: CouncilResult) -> str:
    if not result.outcomes:
        return "the council has documented no policy."
    if not result.policies_passed:
        return "not every policy was voted on and passed."
    final = result.final
    if final is None:
        return "the final mesh has not been built."
    if not final.builds:
        return "the final mesh does not build."
    return "the kit's governance checks found errors in the final mesh."


def _policies(result: CouncilResult) -> str:
    tallies = {o.policy: o.passed for o in result.outcomes}
    counts = {v.policy_id: [0, 0, 0] for v in result.state.votes}
    for v in result.state.votes:
        counts[v.policy_id][("yes", "no", "abstain").index(v.choice)] += 1
    rows = []
    for policy in result.state.active_policies:
        yes, no, abstain = counts.get(policy.id, [0, 0, 0])
        passed = tallies.get(policy.id)
        verdict = "passed" if passed else "not voted" if passed is None else "rejected"
        rows.append(
            f"<tr><td>{e(policy.id)}</td><td>{e(policy.text)}</td><td>{e(policy.kind)}</td>"
            f"<td>seat {policy.seat}</td><td class='nowrap'>{yes} / {no} / {abstain}</td>"
            f"<td>{verdict}</td></tr>"
        )
    if not rows:
        return "<p>The council has documented no policy.</p>"
    return (
        "<table><tr><th>Policy</th><th>What it says</th><th>Kind</th><th>Proposed by</th>"
        "<th>Yes / no / abstain</th><th>Vote</th></tr>" + "".join(rows) + "</table>"
    )


def _final_mesh(game: Game, result: CouncilResult) -> str:
    final = result.final
    if final is None:
        return "<p>The final mesh has not been built yet.</p>"
    if final.check is None:
        return f"<p>The council's technical policies could not be applied together: {e(final.error)}</p>"
    sandbox = council_sandbox(result.state.table)
    said = (
        "Every project builds and every test passes"
        if final.builds
        else "Not every project builds: "
        + ", ".join(
            f"{p.name} {p.status}"
            for p in final.check.build.projects
            if p.status not in {"built", "up to date"}
        )
    )
    return f"{mesh_picture(game, read_mesh(sandbox))}<p>{e(said)} ({final.elapsed:.0f} s with dbt).</p>"


def _reveal(game: Game, result: CouncilResult) -> str:
    rows = []
    for found in result.missions:
        holders = ", ".join(f"seat {n} ({game.seat(n).title})" for n in found.seats)
        rows.append(
            f"<tr class='keep'><td>{e(holders)}</td><td>{e(found.mission.says)}</td>"
            f"<td>{_state(found)}</td><td>{_inline(found.detail)}</td></tr>"
        )
    return (
        "<table class='compact'><tr><th>Who</th><th>Mission</th><th>Met?</th><th>Why</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _inline(text: str) -> str:
    """Escaped text whose `names` are set in code font."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", e(text))


def _state(found: MissionResult) -> str:
    if found.met is None:
        return "<span class='waiting'>the table's word is awaited</span>"
    word = "met" if found.met else "not met"
    by = "checked by the kit" if found.how == "checked" else "declared by the table"
    return f"<span class='{'met' if found.met else 'not-met'}'>{word}</span><br><span class='small'>{by}</span>"
