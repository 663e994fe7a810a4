"""A graded class as one page of HTML (`report.html`), for the instructor.

The page holds everything it shows: inline CSS, inline SVG pictures, no script, nothing fetched,
so it opens offline from a file and prints cleanly. Its parts, top to bottom: what was graded and
how, the class in numbers (verdicts, answers, each criterion met per scenario, the most common
failure), a table of every submission linking to its section, and one section per submission
with its verdict, points, criteria, explanations, governance findings, broken consumers and a
picture of its mesh.

Every piece of text that comes from a submission (group names, paths, reasons that quote a file,
project and model names) is untrusted: it is escaped with `html.escape(..., quote=True)`
wherever it goes, in text, in attributes and inside the SVG. Anchors are built from a row's
index only (`s-3`), never from its text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from .model import CriterionGrade, Grades, Options, ProjectEntry, Submission
from .reports import _first_problem

VERDICT_WORDS = {"pass": "Passed", "fail": "Not passed", "refused": "Refused"}
VERDICT_MARKS = {"pass": "✓", "fail": "✗", "refused": "⊘"}
BUILT_WORDS = {
    "built": "built for this submission",
    "same answer": "the same answer as an earlier submission in this class, built once for both",
    "cached": "taken from an earlier grading of the same answer",
    "not built": "not built: refused before any build",
}
KIND_WORDS = {
    "decisions": "a group's decisions",
    "proposal": "a proposal file",
    "council": "a Mesh Council table",
}

# The picture's colours: (fill, stroke, dashes) by project status.
GREEN = ("#e8f4ea", "#2e7d32", "")
RED = ("#fdecea", "#b3261e", "")
GREY = ("#f1f0f3", "#8d8a96", "6 4")
PLAIN = ("#ffffff", "#55525f", "")
STATUS_STYLE = {"built": GREEN, "up to date": GREEN, "failed": RED, "blocked": GREY}
READS_COLOUR = "#4b2a7b"
CIRCLE_COLOUR = "#b3261e"

# The picture's geometry, in SVG units.
WIDTH = 720
BOX_H = 54
ROW_GAP = 92
GAP = 20
TOP = 14
PER_ROW = 4
CHAR_W = 8.4  # a bold 14px monospace character, near enough


def e(text: object) -> str:
    """Text (from anywhere) made safe for HTML and SVG, in content and in quoted attributes."""
    return html.escape(str(text), quote=True)


def report_html(grades: Grades) -> str:
    """The whole page for a graded class."""
    rows = grades.submissions
    body = [
        _header(grades),
        _summary(grades),
        _table(rows),
        '<h2 id="sections">Each submission</h2>',
        *(_section(i, row) for i, row in enumerate(rows, start=1)),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Grades: {e(grades.source)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<main class="page">\n' + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


# The header and the class ----------------------------------------------------------------------


def _header(grades: Grades) -> str:
    return (
        '<header class="top"><div class="rainbow"></div>'
        "<h1>Rainbow Road: grades of a class</h1>"
        f'<p class="lead">Graded: <code class="wrap">{e(grades.source)}</code></p>'
        f"<p>When: {e(grades.graded_at)}</p>"
        f"<h3>How it was graded</h3><ul>{_options(grades.options)}</ul></header>"
    )


def _options(options: Options) -> str:
    cost = options.warning_cost
    items = [
        "Reading a deprecated model version "
        + ("fails the build." if options.strict_deprecations else "is a warning, not a failure."),
        f"Each governance warning costs {cost} point{'s' if cost != 1 else ''}."
        if cost
        else "Governance warnings cost no points.",
        f"Each answer's build may take up to {options.time_limit:g} seconds.",
        "Scenarios: " + (_list(options.scenarios) if options.scenarios else "all."),
        "Groups: " + (_list(options.groups) if options.groups else "all."),
        f"Answers built side by side: {options.workers}."
        if options.workers
        else "Answers built side by side: one per processor core.",
        "A feedback file was written beside each group's work."
        if options.feedback
        else "Feedback files were written only into the report folder.",
    ]
    return "".join(f"<li>{item}</li>" for item in items)


def _list(names: Iterable[str]) -> str:
    return ", ".join(f"<code>{e(n)}</code>" for n in names) + "."


def _summary(grades: Grades) -> str:
    s = grades.summary
    tiles = [
        ("submissions", s.submissions, ""),
        ("passed", s.passed, "pass"),
        ("not passed", s.failed, "fail"),
        ("refused", s.refused, "refused"),
        ("distinct answers", s.distinct_answers, ""),
        ("built now", s.built, ""),
        ("from an earlier grading", s.from_cache, ""),
        ("seconds", f"{s.seconds:.1f}", ""),
    ]
    numbers = "".join(
        f'<div class="tile {cls}"><b>{e(value)}</b><span>{e(label)}</span></div>'
        for label, value, cls in tiles
    )
    criteria = ""
    if s.criteria:
        lines = []
        for c in s.criteria:
            share = c.met / c.of if c.of else 0.0
            lines.append(
                f'<tr><td class="wrap">{e(c.scenario or "no scenario")}</td>'
                f'<td class="wrap"><code>{e(c.id)}</code></td><td class="wrap">{e(c.says)}</td>'
                f'<td class="nowrap">{c.met} of {c.of}'
                f'<span class="bar" aria-hidden="true"><span style="width:{share * 100:.0f}%">'
                "</span></span></td></tr>"
            )
        criteria = (
            "<h3>Each criterion, met per scenario</h3>"
            '<table class="criteria-summary"><thead><tr><th>scenario</th><th>criterion</th>'
            "<th>what it asks</th><th>met</th></tr></thead><tbody>"
            + "".join(lines)
            + "</tbody></table>"
        )
    failure = (
        f'<p class="note"><b>Most common failure</b> ({s.most_common_failure.count} '
        f"submission{'s' if s.most_common_failure.count != 1 else ''}): "
        f'<span class="wrap">{e(s.most_common_failure.what)}</span></p>'
        if s.most_common_failure
        else '<p class="note">No failure was common to several submissions.</p>'
    )
    return (
        '<section class="class keep" id="class"><h2>The class</h2>'
        f'<div class="tiles">{numbers}</div>{failure}{criteria}</section>'
    )


def _table(rows: list[Submission]) -> str:
    lines = []
    for i, row in enumerate(rows, start=1):
        lines.append(
            f'<tr class="row-{e(row.verdict)}"><td class="nowrap">{i}</td>'
            f'<td class="wrap"><a href="#s-{i}">{e(row.group)}</a></td>'
            f'<td class="wrap">{e(_scenario(row))}</td>'
            f'<td class="nowrap">{_verdict(row)}</td>'
            f'<td class="nowrap">{row.score}/{row.max_score}</td>'
            f'<td class="wrap problem">{e(_first_problem(row))}</td></tr>'
        )
    return (
        '<section id="submissions"><h2>Every submission</h2>'
        "<p>Click a group to read its section.</p>"
        '<table class="submissions"><thead><tr><th>#</th><th>group</th><th>scenario</th>'
        "<th>verdict</th><th>score</th><th>first problem</th></tr></thead><tbody>"
        + "".join(lines)
        + "</tbody></table></section>"
    )


def _scenario(row: Submission) -> str:
    if row.scenario:
        return row.scenario
    return "the Mesh Council" if row.kind == "council" else "no scenario"


def _verdict(row: Submission) -> str:
    return (
        f'<span class="verdict {e(row.verdict)}">{VERDICT_MARKS[row.verdict]} '
        f"{VERDICT_WORDS[row.verdict]}</span>"
    )


# One submission --------------------------------------------------------------------------------


def _section(i: int, row: Submission) -> str:
    facts = [
        ("Answer", f'<code class="wrap">{e(row.source)}</code> ({KIND_WORDS[row.kind]})'),
        ("Scenario", e(_scenario(row))),
        ("Verdict", _verdict(row)),
        ("Score", f"{row.score} of {row.max_score} points"),
        ("Its verdict was", e(BUILT_WORDS[row.built])),
    ]
    if row.seconds:
        facts.append(("Build time", f"{row.seconds:.1f} s"))
    if row.feedback:
        facts.append(("Feedback file", f'<code class="wrap">{e(row.feedback)}</code>'))
    parts = [
        f'<section class="submission {e(row.verdict)}" id="s-{i}">',
        f'<h2 class="wrap"><span class="num">{i}.</span> {e(row.group)}</h2>',
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
    ]
    if row.reason:
        parts.append(f'<p class="reason wrap"><b>Why:</b> {e(row.reason)}</p>')
    parts.append(_criteria(row.criteria))
    parts.append(_explanations(row))
    parts.append(_findings(row))
    if row.broken_consumers:
        parts.append(
            "<h3>Broken consumers</h3><p>Readers that no longer build with this answer:</p><ul>"
            + "".join(f'<li><code class="wrap">{e(c)}</code></li>' for c in row.broken_consumers)
            + "</ul>"
        )
    if row.circle:
        parts.append(_circle_list(row.circle))
    if row.projects:
        parts.append(
            "<h3>Its mesh</h3>" + mesh_svg(row.projects, row.circle, i) + _legend(row.circle)
        )
    parts.append('<p class="back"><a href="#submissions">Back to every submission</a></p>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _criteria(criteria: list[CriterionGrade]) -> str:
    counted = [c for c in criteria if not c.consequence]
    weighed = [c for c in criteria if c.consequence]
    out = []
    if counted:
        out.append(
            "<h3>Success criteria</h3>"
            '<table class="criteria"><thead><tr><th>met?</th><th>points</th>'
            "<th>criterion</th><th>detail</th></tr></thead><tbody>"
            + "".join(
                f'<tr><td class="nowrap">{_met(c.passed)}</td>'
                f'<td class="nowrap">{c.earned}/{c.points}</td>'
                f'<td class="wrap"><code>{e(c.id)}</code> {e(c.says)}</td>'
                f'<td class="wrap">{e(c.detail)}</td></tr>'
                for c in counted
            )
            + "</tbody></table>"
        )
    if weighed:
        out.append(
            "<h3>What the decision means (weighed, not counted)</h3>"
            '<table class="criteria weighed"><thead><tr><th>so?</th><th>consequence</th>'
            "<th>detail</th></tr></thead><tbody>"
            + "".join(
                f'<tr><td class="nowrap">{"yes" if c.passed else "no"}</td>'
                f'<td class="wrap"><code>{e(c.id)}</code> {e(c.says)}</td>'
                f'<td class="wrap">{e(c.detail)}</td></tr>'
                for c in weighed
            )
            + "</tbody></table>"
        )
    return "".join(out)


def _met(passed: bool) -> str:
    if passed:
        return '<span class="met yes">✓ met</span>'
    return '<span class="met no">✗ not met</span>'


def _explanations(row: Submission) -> str:
    if not row.explanations:
        return ""
    items = "".join(
        f'<div class="explanation keep"><h4 class="wrap">{e(x.title)}</h4>'
        f'<p class="wrap">{e(x.what_happened)}</p>'
        f'<p class="wrap"><b>Who is hit:</b> {e(x.who_is_hit)}</p>'
        f'<p class="wrap"><b>The lever:</b> {e(x.lever)}</p></div>'
        for x in row.explanations
    )
    return f"<h3>What happened, in plain words</h3>{items}"


def _findings(row: Submission) -> str:
    if not row.findings:
        return ""
    items = "".join(
        f'<tr><td class="nowrap"><span class="sev {e(f.severity)}">{e(f.severity)}</span></td>'
        f'<td class="wrap"><code>{e(f.model)}</code></td><td class="wrap">{e(f.message)}</td></tr>'
        for f in row.findings
    )
    return (
        '<h3>Governance findings</h3><table class="findings"><thead><tr><th>severity</th>'
        f"<th>model</th><th>finding</th></tr></thead><tbody>{items}</tbody></table>"
    )


def _circle_list(circle: list[list[str]]) -> str:
    items = "".join(
        f'<li class="wrap"><code>{e(pair[1])}</code> reads <code>{e(pair[0])}</code></li>'
        for pair in circle
        if len(pair) == 2
    )
    return (
        "<h3>The refs that would close a circle</h3>"
        "<p>Projects may not read each other in a circle: each of these refs closes one.</p>"
        f"<ul>{items}</ul>"
    )


# The picture -----------------------------------------------------------------------------------


def _project_of(ref: str) -> str:
    return ref.partition(".")[0]


def circle_edges(circle: list[list[str]]) -> list[tuple[str, str]]:
    """The (reader, read) project pairs of the refs that would close a circle."""
    edges: list[tuple[str, str]] = []
    for pair in circle:
        if len(pair) != 2:
            continue
        edge = (_project_of(pair[1]), _project_of(pair[0]))
        if edge[0] != edge[1] and edge not in edges:
            edges.append(edge)
    return edges


def mesh_svg(projects: list[ProjectEntry], circle: list[list[str]], index: int) -> str:
    """The hub on top, the other projects in rows below, an arrow from each reader to what it
    reads; the arrows of a circle in red. Inline SVG: no script, nothing fetched."""
    names = [p.name for p in projects]
    hubs = [p.name for p in projects if p.hub] or names[:1]
    spokes = [n for n in names if n not in hubs]
    rows = _chunks(hubs) + _chunks(spokes)
    across = max(len(r) for r in rows)
    box_w = min(200.0, (WIDTH - GAP * (across + 1)) / across)
    places: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        start = (WIDTH - (len(row) * box_w + (len(row) - 1) * GAP)) / 2
        for k, name in enumerate(row):
            places.setdefault(name, (start + k * (box_w + GAP), TOP + r * (BOX_H + ROW_GAP)))
    red = circle_edges(circle)
    edges = [(p.name, read) for p in projects for read in p.reads if read in places]
    edges += [edge for edge in red if edge not in edges and all(n in places for n in edge)]
    edges = [(a, b) for a, b in edges if a != b]
    height = TOP + len(rows) * BOX_H + (len(rows) - 1) * ROW_GAP + 70

    # Where each arrow leaves and arrives: spread along the box's top or bottom edge.
    ports: dict[tuple[str, str], list[tuple[float, tuple[str, str], str]]] = {}
    for reader, read in edges:
        (rx, ry), (tx, ty) = places[reader], places[read]
        if ty < ry:
            sides = ("top", "bottom")
        elif ty > ry:
            sides = ("bottom", "top")
        else:
            sides = ("bottom", "bottom")
        ports.setdefault((reader, sides[0]), []).append((tx, (reader, read), "from"))
        ports.setdefault((read, sides[1]), []).append((rx, (reader, read), "to"))
    at: dict[tuple[tuple[str, str], str], tuple[float, float]] = {}
    for (name, side), users in ports.items():
        x, y = places[name]
        users.sort(key=lambda u: u[0])
        for k, (_, edge, end) in enumerate(users):
            px = x + box_w * (k + 1) / (len(users) + 1)
            py = y if side == "top" else y + BOX_H
            at[(edge, end)] = (px, py)

    arrows = []
    for edge in edges:
        (sx, sy), (ex, ey) = at[(edge, "from")], at[(edge, "to")]
        in_circle = edge in red
        colour, marker = (
            (CIRCLE_COLOUR, f"m{index}-circle") if in_circle else (READS_COLOUR, f"m{index}-reads")
        )
        title = f"{edge[0]} reads {edge[1]}" + (", closing a circle" if in_circle else "")
        if sy == ey:  # side by side: a curve below both boxes
            ey += 4
            depth = 26 + 0.18 * abs(ex - sx)
            shape = (
                f'<path d="M {sx:.0f} {sy:.0f} Q {(sx + ex) / 2:.0f} {sy + depth:.0f} '
                f'{ex:.0f} {ey:.0f}" fill="none"'
            )
        else:
            ey += 3 if ey < sy else -3  # stop just short of the box it reads
            shape = f'<path d="M {sx:.0f} {sy:.0f} L {ex:.0f} {ey:.0f}" fill="none"'
        dash = ' stroke-dasharray="7 4"' if in_circle and edge not in _reads(projects) else ""
        arrows.append(
            f'<g class="arrow{" circle" if in_circle else ""}"><title>{e(title)}</title>'
            f'{shape} stroke="{colour}" stroke-width="{3 if in_circle else 2}"{dash} '
            f'marker-end="url(#{marker})"/></g>'
        )

    status = {p.name: p for p in projects}
    boxes = []
    for name, (x, y) in places.items():
        project = status[name]
        fill, stroke, dashes = STATUS_STYLE.get(project.status, PLAIN)
        role = "the hub" if name in hubs else "a spoke"
        shown = _fit(name, box_w - 12)
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        boxes.append(
            f'<g class="project" data-project="{e(name)}" data-status="{e(project.status)}">'
            f"<title>{e(name)}: {e(role)}, {e(project.status)}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w:.0f}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{3 if name in hubs else 2}"{dash}/>'
            f'<text x="{x + box_w / 2:.0f}" y="{y + 23:.0f}" text-anchor="middle" font-size="14" '
            'font-family="DejaVu Sans Mono, Liberation Mono, monospace" font-weight="bold">'
            f"{e(shown)}</text>"
            f'<text x="{x + box_w / 2:.0f}" y="{y + 42:.0f}" text-anchor="middle" font-size="12" '
            f'fill="#33313b">{e(role)}, {e(project.status)}</text></g>'
        )
    markers = "".join(
        f'<marker id="m{index}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/>'
        "</marker>"
        for kind, colour in (("reads", READS_COLOUR), ("circle", CIRCLE_COLOUR))
    )
    return (
        f'<svg class="mesh" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-label="The projects of this submission\'s mesh and what each reads">'
        f"<defs>{markers}</defs>" + "".join(arrows) + "".join(boxes) + "</svg>"
    )


def _reads(projects: list[ProjectEntry]) -> set[tuple[str, str]]:
    return {(p.name, read) for p in projects for read in p.reads}


def _chunks(names: list[str]) -> list[list[str]]:
    return [names[i : i + PER_ROW] for i in range(0, len(names), PER_ROW)]


def _fit(name: str, width: float) -> str:
    most = max(4, int(width / CHAR_W))
    return name if len(name) <= most else name[: most - 1] + "…"


def _legend(circle: list[list[str]]) -> str:
    items = [
        (
            '<span class="swatch" style="background:#e8f4ea;border-color:#2e7d32"></span>'
            "green: built, or up to date"
        ),
        (
            '<span class="swatch" style="background:#fdecea;border-color:#b3261e"></span>'
            "red: failed to build or its tests failed"
        ),
        (
            '<span class="swatch" style="background:#f1f0f3;border-color:#8d8a96;'
            'border-style:dashed"></span>grey, dashed: blocked, because a project it reads failed'
        ),
        (
            '<span class="swatch" style="background:#fff;border-color:#55525f"></span>'
            "white: not built"
        ),
        '<span class="arrow-key">→</span> an arrow points from a reader to the project it reads',
        "the thick border marks the hub",
    ]
    if circle:
        items.append(
            '<span class="arrow-key red">→</span> red arrows would close a circle of projects '
            "(dashed where the answer adds the ref)"
        )
    return '<ul class="legend">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #1d1d24; font-size: 15px; line-height: 1.45; background: #f4f3f7;
  font-family: "DejaVu Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1100px; margin: 0 auto; padding: 20px 28px 60px; background: #fff; }
.rainbow { height: 8px; margin-bottom: 12px; border-radius: 4px;
  background: linear-gradient(90deg, #e4572e, #f3a712, #f6d743, #4caf50, #2e86de, #6f42c1); }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 10px; }
h2 { font-size: 21px; margin: 28px 0 8px; color: #4b2a7b; break-after: avoid; }
h3 { font-size: 16px; margin: 18px 0 6px; break-after: avoid; }
h4 { font-size: 15px; margin: 0 0 4px; }
p { margin: 0 0 8px; }
ul { margin: 0 0 8px; padding-left: 22px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: .9em;
  background: #f1ecf8; padding: 0 .25em; border-radius: 2px; }
a { color: #4b2a7b; }
.lead { font-size: 17px; }
.wrap { overflow-wrap: anywhere; word-break: break-word; }
.nowrap { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; table-layout: auto; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid #d6d2df; }
th { font-size: 13px; color: #4b2a7b; border-bottom: 2px solid #4b2a7b; }
tr, .keep { break-inside: avoid; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px;
  margin: 8px 0 12px; }
.tile { border: 1px solid #d6d2df; border-radius: 6px; padding: 8px 10px; }
.tile b { display: block; font-size: 24px; }
.tile span { font-size: 13px; color: #55525f; }
.tile.pass { border-left: 6px solid #2e7d32; }
.tile.fail { border-left: 6px solid #b3261e; }
.tile.refused { border-left: 6px solid #8d8a96; }
.bar { display: inline-block; width: 70px; height: 8px; margin-left: 8px; background: #eee;
  border-radius: 4px; vertical-align: middle; overflow: hidden; }
.bar span { display: block; height: 100%; background: #2e7d32; }
.note { padding: 8px 12px; border-left: 5px solid #f3a712; background: #fff7e6; }
.verdict { font-weight: bold; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.verdict.pass { color: #1b5e20; background: #e8f4ea; border: 1px solid #2e7d32; }
.verdict.fail { color: #8c1d18; background: #fdecea; border: 1px solid #b3261e; }
.verdict.refused { color: #3d3b44; background: #f1f0f3; border: 1px dashed #55525f; }
.met.yes { color: #1b5e20; font-weight: bold; }
.met.no { color: #8c1d18; font-weight: bold; }
.sev.error { color: #8c1d18; font-weight: bold; }
.sev.warning { color: #7a4f00; font-weight: bold; }
.submissions td.problem { font-size: 13px; color: #33313b; }
.submission { margin: 26px 0; padding: 4px 18px 10px; border: 1px solid #d6d2df;
  border-left: 8px solid #8d8a96; border-radius: 6px; break-inside: avoid; }
.submission.pass { border-left-color: #2e7d32; }
.submission.fail { border-left-color: #b3261e; }
.submission h2 { margin-top: 12px; }
.submission .num { color: #6b6877; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
.facts dt { color: #55525f; }
.facts dd { margin: 0; min-width: 0; }
.reason { padding: 8px 12px; background: #f6f5f9; border-left: 4px solid #8d8a96; }
.explanation { padding: 8px 12px; margin: 0 0 8px; border: 1px solid #e2dfe9; border-radius: 4px; }
svg.mesh { display: block; width: 100%; max-width: 720px; height: auto; margin: 6px 0; }
.legend { list-style: none; padding: 0; font-size: 13px; color: #33313b; display: flex;
  flex-wrap: wrap; gap: 4px 18px; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 2px solid; border-radius: 3px;
  vertical-align: -2px; margin-right: 5px; }
.arrow-key { color: #4b2a7b; font-weight: bold; margin-right: 4px; }
.arrow-key.red { color: #b3261e; }
.back { font-size: 13px; }
:target { outline: 3px solid #f3a712; outline-offset: 4px; }
@media print {
  @page { size: A4; margin: 14mm 14mm; }
  body { background: #fff; font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .submission { break-inside: avoid; page-break-inside: avoid; }
  .back { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""
