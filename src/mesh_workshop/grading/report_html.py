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
import re
from collections.abc import Iterable
from datetime import datetime

from .model import CriterionGrade, FindingEntry, Grades, Options, ProjectEntry, Submission
from .reports import first_problem

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
PROBLEM_CHARS = 160  # the submissions table shows the first problem up to this long
SHARED_FINDINGS = 3  # more warnings of one kind than this are shown as one
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def e(text: object) -> str:
    """Text (from anywhere) made safe for HTML and SVG, in content and in quoted attributes."""
    return html.escape(str(text), quote=True)


def t(text: object) -> str:
    """Escaped text whose `backquoted` names show as code, as the kit's messages write them."""
    return CODE_SPAN.sub(r"<code>\1</code>", e(text))


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
        f"<p>When: {e(_when(grades.graded_at))}</p>"
        f"<h3>How it was graded</h3><ul>{_options(grades.options)}</ul></header>"
    )


def _when(stamp: str) -> str:
    """`2026-03-05T14:07:22+00:00` as `5 March 2026, 14:07 (UTC)`; anything else as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = moment.tzname() or "local time"
    return f"{moment.day} {moment:%B %Y, %H:%M} ({'UTC' if zone == 'UTC' else zone})"


def _options(options: Options) -> str:
    cost = options.warning_cost
    items = [
        "Reading a deprecated model version "
        + ("fails the build." if options.strict_deprecations else "is a warning, not a failure."),
        f"Each governance warning an answer adds to the starting mesh costs {cost} "
        f"point{'s' if cost != 1 else ''}."
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
            + _head(
                "criteria-summary",
                ("scenario", "18%"),
                ("criterion", "22%"),
                ("what it asks", ""),
                ("met", "11em"),
            )
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
            f'<td class="wrap">{_breakable(_scenario(row))}</td>'
            f'<td class="nowrap">{_verdict(row)}</td>'
            f'<td class="nowrap">{row.score}/{row.max_score}</td>'
            f'<td class="wrap problem">{t(_short(first_problem(row)))}</td></tr>'
        )
    return (
        '<section id="submissions"><h2>Every submission</h2>'
        "<p>Click a group to read its section.</p>"
        + _head(
            "submissions",
            ("#", "3em"),
            ("group", "21%"),
            ("scenario", "17%"),
            ("verdict", "9.5em"),
            ("score", "4.5em"),
            ("first problem", ""),
        )
        + "".join(lines)
        + "</tbody></table></section>"
    )


def _head(css_class: str, *columns: tuple[str, str]) -> str:
    """A table's start: fixed column widths, so that a long name wraps inside its own column."""
    cols = "".join(f'<col style="width:{w}">' if w else "<col>" for _, w in columns)
    heads = "".join(f"<th>{label}</th>" for label, _ in columns)
    return f'<table class="{css_class}"><colgroup>{cols}</colgroup><thead><tr>{heads}</tr></thead><tbody>'


def _breakable(name: str) -> str:
    """An escaped name that may break after each underscore, rather than anywhere."""
    return e(name).replace("_", "_<wbr>")


def _short(text: str, most: int = PROBLEM_CHARS) -> str:
    """A problem on a line or three of the table (its section gives it whole)."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


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
        parts.append(f'<p class="reason wrap"><b>Why:</b> {t(row.reason)}</p>')
    parts.append(_criteria(row.criteria, council=row.kind == "council"))
    parts.append(_explanations(row))
    parts.append(_findings(row))
    if row.broken_consumers:
        parts.append(
            "<h3>Broken consumers</h3><p>Readers that no longer build with this answer:</p><ul>"
            + "".join(f'<li class="wrap">{t(c)}</li>' for c in row.broken_consumers)
            + "</ul>"
        )
    if row.circle:
        parts.append(_circle_list(row.circle))
    parts.append(_picture(row, i))
    parts.append('<p class="back"><a href="#submissions">Back to every submission</a></p>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _criteria(criteria: list[CriterionGrade], council: bool = False) -> str:
    counted = [c for c in criteria if not c.consequence]
    weighed = [c for c in criteria if c.consequence]
    out = []
    if counted:
        out.append(
            "<h3>Success criteria</h3>"
            + _head(
                "criteria",
                ("met?", "7.5em"),
                ("points", "4.5em"),
                ("criterion", "45%"),
                ("detail", ""),
            )
            + "".join(
                f'<tr><td class="nowrap">{_met(c.passed)}</td>'
                f'<td class="nowrap">{c.earned}/{c.points}</td>'
                f'<td class="wrap"><code>{e(c.id)}</code> {e(c.says)}</td>'
                f'<td class="wrap">{t(c.detail)}</td></tr>'
                for c in counted
            )
            + "</tbody></table>"
        )
    if weighed:
        out.append(
            (
                "<h3>The table's secret missions (weighed, not counted)</h3>"
                + _head("criteria weighed", ("met?", "4.5em"), ("mission", "50%"), ("detail", ""))
                if council
                else "<h3>What the decision means (weighed, not counted)</h3>"
                + _head(
                    "criteria weighed", ("so?", "4.5em"), ("consequence", "50%"), ("detail", "")
                )
            )
            + "".join(
                f'<tr><td class="nowrap">{"yes" if c.passed else "no"}</td>'
                f'<td class="wrap"><code>{e(c.id)}</code> {e(c.says)}</td>'
                f'<td class="wrap">{t(c.detail)}</td></tr>'
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
        f'<p class="wrap">{t(x.what_happened)}</p>'
        f'<p class="wrap"><b>Who is hit:</b> {t(x.who_is_hit)}</p>'
        f'<p class="wrap"><b>The lever:</b> {t(x.lever)}</p></div>'
        for x in row.explanations
    )
    return f"<h3>What happened, in plain words</h3>{items}"


def _findings(row: Submission) -> str:
    """Errors one by one; a warning that many models share once, with the models it names.
    The ones this answer added come first; those the starting mesh has too say so."""
    if not row.findings:
        return ""
    groups: dict[tuple[bool, str, str], list[FindingEntry]] = {}
    for f in row.findings:
        groups.setdefault((not f.new, f.severity != "error", f.code), []).append(f)
    lines = []
    for (old, _, _), found in sorted(groups.items(), key=lambda g: g[0][:2]):
        severity = found[0].severity
        badge = f'<td><span class="sev {e(severity)}">{e(severity)}</span>'
        badge += '<br><span class="old">in the starting mesh too</span></td>' if old else "</td>"
        if severity == "error" or len(found) <= SHARED_FINDINGS:
            lines += [f'{badge}<td class="wrap">{_finding(f)}</td>' for f in found]
            continue
        first, rest = found[0], found[1:]
        lines.append(
            f'{badge}<td class="wrap"><b>The same finding for {len(found)} models.</b> '
            f"{_finding(first)}"
            f'<p class="also">The others: {", ".join(f"<code>{e(f.model)}</code>" for f in rest)}.'
            " The group's feedback file gives each one in full.</p></td>"
        )
    added, total = sum(f.new for f in row.findings), len(row.findings)
    if added == total:
        origin = "Each of these comes with this answer."
    elif not added:
        origin = "Each of these is in the starting mesh too: this answer added none."
    else:
        origin = (
            f"{added} of these {total} come with this answer; "
            "the others are in the starting mesh too."
        )
    return (
        f"<h3>Governance findings</h3><p>{origin}</p>"
        + _head("findings", ("severity", "9em"), ("finding", ""))
        + "".join(f"<tr>{line}</tr>" for line in lines)
        + "</tbody></table>"
    )


def _finding(f: FindingEntry) -> str:
    """Its message, after the model's name unless the message names it already."""
    named = f"`{f.model}`" in f.message
    return t(f.message) if named else f"<code>{e(f.model)}</code>: {t(f.message)}"


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
    """The (reader, read) project pairs of the refs that would close a circle (each ref is a
    pair: the model read, then the model reading it, both as `project.model`)."""
    edges: list[tuple[str, str]] = []
    for pair in circle:
        if len(pair) != 2:
            continue
        edge = (_project_of(pair[1]), _project_of(pair[0]))
        if edge[0] != edge[1] and edge not in edges:
            edges.append(edge)
    return edges


def circle_projects(circle: list[list[str]]) -> list[ProjectEntry]:
    """The projects of a circle, for an answer refused before its mesh was built: each not
    built, reading what its refs in the circle read."""
    edges = circle_edges(circle)
    names: list[str] = []
    for reader, read in edges:
        for name in (read, reader):
            if name not in names:
                names.append(name)
    return [
        ProjectEntry(name=n, status="not built", reads=[b for a, b in edges if a == n])
        for n in names
    ]


def _picture(row: Submission, index: int) -> str:
    if row.projects:
        return (
            "<h3>Its mesh</h3>"
            + mesh_svg(row.projects, row.circle, index)
            + _legend(row.projects, bool(circle_edges(row.circle)), hub=True)
        )
    projects = circle_projects(row.circle)
    if not projects:
        return ""  # refused before its mesh was read: the reason says why
    return (
        "<h3>The circle its mesh would have</h3>"
        "<p>Its mesh was not built, so only the projects of the circle are drawn.</p>"
        + mesh_svg(projects, row.circle, index, in_circle_only=True)
        + _legend(projects, True, hub=False)
    )


def mesh_svg(
    projects: list[ProjectEntry],
    circle: list[list[str]],
    index: int,
    in_circle_only: bool = False,
) -> str:
    """The hub on top, the other projects in rows below, an arrow from each reader to what it
    reads; the arrows of a circle in red. Inline SVG: no script, nothing fetched. `index` (the
    submission's row) keeps the picture's marker ids apart from the other pictures'."""
    names = list(dict.fromkeys(p.name for p in projects))
    by_name = {p.name: p for p in projects}
    flagged = [n for n in names if by_name[n].hub]
    top = flagged or names[:1]
    rows = _chunks(top) + _chunks([n for n in names if n not in top])
    across = max(len(r) for r in rows)
    box_w = min(200.0, (WIDTH - GAP * (across + 1)) / across)
    places: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        start = (WIDTH - (len(row) * box_w + (len(row) - 1) * GAP)) / 2
        for k, name in enumerate(row):
            places[name] = (start + k * (box_w + GAP), TOP + r * (BOX_H + ROW_GAP))
    red = circle_edges(circle)
    edges = [(p.name, read) for p in projects for read in p.reads]
    edges += [edge for edge in red if edge not in edges]
    edges = list(dict.fromkeys((a, b) for a, b in edges if a != b and a in places and b in places))
    last = TOP + (len(rows) - 1) * (BOX_H + ROW_GAP)
    curves_below = any(places[a][1] == places[b][1] == last for a, b in edges)
    height = last + BOX_H + (64 if curves_below else 12)

    # Where each arrow leaves and arrives: spread along the box's top or bottom edge, in the
    # order of the other ends, so that arrows cross as little as they can.
    ports: dict[tuple[str, str], list[tuple[float, tuple[str, str], str]]] = {}
    for reader, read in edges:
        (rx, ry), (tx, ty) = places[reader], places[read]
        sides = ("top", "bottom") if ty < ry else ("bottom", "top") if ty > ry else ("bottom",) * 2
        ports.setdefault((reader, sides[0]), []).append((tx, (reader, read), "from"))
        ports.setdefault((read, sides[1]), []).append((rx, (reader, read), "to"))
    at: dict[tuple[tuple[str, str], str], tuple[float, float]] = {}
    for (name, side), users in ports.items():
        x, y = places[name]
        users.sort(key=lambda u: (u[0], u[1]))
        for k, (_, edge, end) in enumerate(users):
            at[(edge, end)] = (
                x + box_w * (k + 1) / (len(users) + 1),
                y if side == "top" else y + BOX_H,
            )

    arrows = []
    for edge in edges:
        (sx, sy), (ex, ey) = at[(edge, "from")], at[(edge, "to")]
        closes = edge in red
        colour, marker = (CIRCLE_COLOUR, "circle") if closes else (READS_COLOUR, "reads")
        title = f"{edge[0]} reads {edge[1]}" + (": this closes a circle" if closes else "")
        if sy == ey:  # side by side: a curve below both boxes
            depth = 26 + 0.18 * abs(ex - sx)
            d = f"M {sx:.0f} {sy:.0f} Q {(sx + ex) / 2:.0f} {sy + depth:.0f} {ex:.0f} {ey + 4:.0f}"
        else:  # stop just short of the box it reads
            d = f"M {sx:.0f} {sy:.0f} L {ex:.0f} {ey + (3 if ey < sy else -3):.0f}"
        arrows.append(
            f'<g class="arrow {marker}"><title>{e(title)}</title><path d="{d}" fill="none" '
            f'stroke="{colour}" stroke-width="{3 if closes else 2}" '
            f'marker-end="url(#m{index}-{marker})"/></g>'
        )

    boxes = []
    for name, (x, y) in places.items():
        project = by_name[name]
        fill, stroke, dashes = STATUS_STYLE.get(project.status, PLAIN)
        if in_circle_only:
            role = "in the circle"
        else:
            role = "the hub" if project.hub else "a spoke" if flagged else "a project"
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        boxes.append(
            f'<g class="project" data-project="{e(name)}" data-status="{e(project.status)}">'
            f"<title>{e(name)}: {e(role)}, {e(project.status)}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w:.0f}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{4 if project.hub else 2}"{dash}/>'
            f'<text x="{x + box_w / 2:.0f}" y="{y + 23:.0f}" text-anchor="middle" font-size="14" '
            'font-family="DejaVu Sans Mono, Liberation Mono, monospace" font-weight="bold">'
            f"{e(_fit(name, box_w - 12))}</text>"
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
        'aria-label="The projects of this mesh, with an arrow from each reader to what it reads">'
        f"<defs>{markers}</defs>" + "".join(arrows) + "".join(boxes) + "</svg>"
    )


def _chunks(names: list[str]) -> list[list[str]]:
    return [names[i : i + PER_ROW] for i in range(0, len(names), PER_ROW)]


def _fit(name: str, width: float) -> str:
    """A name cut to fit its box (the box's tooltip and the page's text give it whole)."""
    most = max(4, int(width / CHAR_W))
    return name if len(name) <= most else name[: most - 1] + "…"


LEGEND = (
    (("built", "up to date"), GREEN, "green: built, or already up to date"),
    (("failed",), RED, "red: failed (it did not build, or its tests failed)"),
    (
        ("blocked",),
        GREY,
        "grey, dashed border: blocked, not built because a project it reads failed",
    ),
)


def _legend(projects: list[ProjectEntry], circle: bool, hub: bool) -> str:
    """The picture's key in words, for what it shows."""
    statuses = {p.status for p in projects}
    items = []
    for names, (fill, stroke, dashes), words in LEGEND:
        if statuses & set(names):
            style = f"background:{fill};border-color:{stroke}" + (
                ";border-style:dashed" if dashes else ""
            )
            items.append(f'<span class="swatch" style="{style}"></span>{words}')
    if statuses - {s for names, _, _ in LEGEND for s in names}:
        fill, stroke, _ = PLAIN
        items.append(
            f'<span class="swatch" style="background:{fill};border-color:{stroke}"></span>'
            "white: not built"
        )
    items.append(
        '<span class="arrow-key">→</span>an arrow points from a project to the project it reads'
    )
    if circle:
        items.append(
            '<span class="arrow-key red">→</span>a red arrow is a read that closes a circle'
        )
    if hub and any(p.hub for p in projects):
        items.append("the hub is on top, with a thicker border")
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
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; table-layout: fixed; }
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
.reason { white-space: pre-line; padding: 8px 12px; background: #f6f5f9; border-left: 4px solid #8d8a96; }
.findings .old { font-size: 12px; color: #55525f; }
.findings .also { margin: 4px 0 0; font-size: 13px; color: #55525f; }
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
