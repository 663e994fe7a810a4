"""The class's page, `report.html`, as the instructor opens it: read from a real grading.

The class of `tests/grading_class.py` is graded once per test run with real dbt (the
`graded_class` fixture); these tests read its `report.html` as a browser would parse it, and
render the page again from its `grades.json` with one submission changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mesh_workshop.grading.model import Grades, ProjectEntry
from mesh_workshop.grading.report_html import CIRCLE_COLOUR, RED, report_html

HOSTILE = "<script>alert(1)</script>"
FAILED_STROKE = RED[1]


@dataclass
class Section:
    id: str
    classes: list[str]
    text: list[str] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)
    svgs: int = 0
    svg_text: list[str] = field(default_factory=list)
    projects: dict[str, str] = field(default_factory=dict)  # name -> its rectangle's stroke
    statuses: dict[str, str] = field(default_factory=dict)  # name -> status
    red_arrows: int = 0


class Page(HTMLParser):
    """The page as a browser reads it: every tag with its attributes, and each submission's
    section with its text, its pictures and the projects drawn in them (text unescaped)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.sections: list[Section] = []
        self.rows: list[tuple[str, str]] = []  # (link target, link text) of the table's rows
        self._section: Section | None = None
        self._depth = 0  # <section> depth inside the current submission's section
        self._in_h2 = self._in_svg = self._in_table = False
        self._link: tuple[str, list[str]] | None = None
        self._project: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table" and "submissions" in a.get("class", "").split():
            self._in_table = True
        if self._in_table and tag == "a":
            self._link = (a.get("href", ""), [])
        if tag == "section":
            if self._section is not None:
                self._depth += 1
            elif "submission" in a.get("class", "").split():
                self._section = Section(a.get("id", ""), a.get("class", "").split())
                self.sections.append(self._section)
                self._depth = 0
        s = self._section
        if s is None:
            return
        if tag == "h2":
            self._in_h2 = True
        if tag == "svg":
            s.svgs += 1
            self._in_svg = True
        if tag == "g" and "data-project" in a:
            self._project = a["data-project"]
            s.statuses[self._project] = a.get("data-status", "")
        if tag == "rect" and self._project is not None:
            s.projects[self._project] = a.get("stroke", "")
        if tag == "path" and a.get("stroke") == CIRCLE_COLOUR and "marker-end" in a:
            s.red_arrows += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "g":
            self._project = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        if tag == "a" and self._link is not None:
            self.rows.append((self._link[0], "".join(self._link[1])))
            self._link = None
        if tag == "h2":
            self._in_h2 = False
        if tag == "svg":
            self._in_svg = False
        if tag == "g":
            self._project = None
        if tag == "section" and self._section is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._section = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1].append(data)
        s = self._section
        if s is None:
            return
        s.text.append(data)
        if self._in_h2:
            s.heading.append(data)
        if self._in_svg:
            s.svg_text.append(data)


def _page(graded_class) -> tuple[str, Page]:
    text = (graded_class.out / "report.html").read_text(encoding="utf-8")
    return text, Page(text)


def test_the_page_has_one_section_per_submission_in_order(graded_class):
    grades: Grades = graded_class.grades
    text, page = _page(graded_class)
    assert len(grades.submissions) == len(graded_class.expected)
    assert [s.id for s in page.sections] == [
        f"s-{i}" for i in range(1, len(grades.submissions) + 1)
    ]
    for section, row in zip(page.sections, grades.submissions, strict=True):
        assert row.group in "".join(section.heading), (section.id, row.group)
        assert row.verdict in section.classes
        words = {"pass": "Passed", "fail": "Not passed", "refused": "Refused"}[row.verdict]
        assert words in "".join(section.text), section.id
        assert f"{row.score} of {row.max_score} points" in "".join(section.text)
        said = "".join(section.text)
        for c in row.criteria:  # each criterion, counted or only weighed, with its words
            assert c.says in said, (section.id, c.id)
        if any(c.consequence for c in row.criteria):
            assert "weighed, not counted" in said, section.id
        if any(not f.new for f in row.findings):
            assert "in the starting mesh too" in said, section.id
        if row.reason:  # whole, its `names` shown as code
            reason = " ".join(row.reason.replace("`", "").split())
            assert reason in " ".join("".join(section.text).split()), section.id
    # The submissions table: one row per submission, each linking to its own section.
    assert page.rows == [
        (f"#s-{i}", row.group) for i, row in enumerate(grades.submissions, start=1)
    ]
    # The header and the class's numbers.
    assert grades.source in text or grades.source.replace("&", "&amp;") in text
    summary = grades.summary
    assert f"<b>{summary.submissions}</b><span>submissions</span>" in text
    assert f"<b>{summary.passed}</b><span>passed</span>" in text
    assert f"<b>{summary.refused}</b><span>refused</span>" in text
    for count in summary.criteria:
        assert f"{count.met} of {count.of}" in text
    if summary.most_common_failure:
        assert "Most common failure" in text


def test_submission_text_is_shown_only_as_text(graded_class):
    text, page = _page(graded_class)
    hostile = [r for r in graded_class.grades.submissions if r.group.endswith(HOSTILE)]
    assert len(hostile) == 1
    assert "<script" not in text.lower()
    assert "alert(1)" in text  # shown, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "../../etc/&lt;script&gt;" in text
    # The hostile name reaches the reader as the very text the group typed.
    assert any(s.heading and HOSTILE in "".join(s.heading) for s in page.sections)
    # No attribute of the page carries submission markup.
    for _tag, attrs in page.tags:
        for value in attrs.values():
            assert "<" not in value and ">" not in value


def test_the_page_fetches_nothing_and_runs_nothing(graded_class):
    text, page = _page(graded_class)
    # A submission may quote an address (a group named `=HYPERLINK("http://...")`): shown as
    # text, it is never in an attribute or in the style sheet, where a browser would fetch it.
    style = text[text.index("<style>") : text.index("</style>")]
    assert "://" not in style and "@import" not in style
    assert all(u.startswith("url(#") for u in re.findall(r"url\([^)]*\)", text))
    for tag, attrs in page.tags:
        for key, value in attrs.items():
            assert "://" not in value, (tag, key, value)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "image", "use"}
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("src", "href", "xlink:href", "srcset", "action", "data"):
            if key in attrs:
                assert attrs[key].startswith("#"), (tag, key, attrs[key])
                assert attrs[key][1:] in page.ids, f"{attrs[key]} points to nothing on the page"


def test_each_submission_with_projects_has_a_picture_of_its_mesh(graded_class):
    _, page = _page(graded_class)
    rows = graded_class.grades.submissions
    for section, row in zip(page.sections, rows, strict=True):
        if not row.projects:
            continue
        assert section.svgs == 1, section.id
        assert set(section.projects) == {p.name for p in row.projects}
        svg_text = "".join(section.svg_text)
        for project in row.projects:
            assert project.name in svg_text
            assert section.statuses[project.name] == project.status
            if project.status == "failed":
                assert section.projects[project.name] == FAILED_STROKE, section.id
            else:
                assert section.projects[project.name] != FAILED_STROKE, section.id
        assert ("the hub" in svg_text) == any(p.hub for p in row.projects)
    # The class has meshes that built, and some with a failed project, drawn in red.
    assert sum(bool(r.projects) for r in rows) >= len(rows) // 2
    assert any(p.status == "failed" for r in rows for p in r.projects)


def test_a_refused_answer_gets_its_reason_and_a_circle_its_projects_in_red(graded_class):
    _, page = _page(graded_class)
    rows = graded_class.grades.submissions
    refused = circles = 0
    for section, row in zip(page.sections, rows, strict=True):
        if row.projects:
            continue
        if not row.circle:  # refused before its mesh was read: no picture, the reason
            refused += 1
            assert section.svgs == 0, section.id
            assert row.reason and "Why:" in "".join(section.text)
            continue
        # A circle stops the build before any project is built: the circle alone is drawn.
        circles += 1
        assert section.svgs == 1, section.id
        in_circle = {ref.partition(".")[0] for pair in row.circle for ref in pair}
        assert set(section.projects) == in_circle
        assert set(section.statuses.values()) == {"not built"}
        assert section.red_arrows >= 2  # a circle has two reads at least
        assert "The refs that would close a circle" in "".join(section.text)
    assert refused >= 10 and circles >= 2


def test_failed_projects_long_names_and_circles_are_drawn_from_a_changed_grading(graded_class):
    """The page rendered again from the real `grades.json`, one submission changed: a name too
    long for a line, a failed and a blocked project, and a circle of projects."""
    grades = Grades.model_validate_json((graded_class.out / "grades.json").read_text())
    rows = list(grades.submissions)
    n = next(i for i, r in enumerate(rows) if len(r.projects) >= 3 and r.verdict != "refused")
    row = rows[n]
    hub = next(p for p in row.projects if p.hub)
    spokes = [p for p in row.projects if not p.hub]
    long_name = "A" * 300 + HOSTILE
    projects = [
        hub.model_copy(update={"reads": [spokes[0].name]}),
        ProjectEntry(name=spokes[0].name, status="failed", reads=[hub.name]),
        ProjectEntry(name=spokes[1].name, status="blocked", reads=[spokes[0].name]),
        *spokes[2:],
    ]
    circle = [[f"{spokes[0].name}.m", f"{hub.name}.n"], [f"{hub.name}.x", f"{spokes[0].name}.y"]]
    rows[n] = row.model_copy(
        update={
            "group": long_name,
            "projects": projects,
            "circle": circle,
            "reason": 'It said "</section><img src=x onerror=alert(2)>".',
        }
    )
    text = report_html(grades.model_copy(update={"submissions": rows}))
    page = Page(text)
    section = page.sections[n]
    assert "<img" not in text and "<script" not in text
    assert long_name in "".join(section.heading)
    # A name with no space to break at still wraps: its heading and table cell may break anywhere.
    assert f'<h2 class="wrap"><span class="num">{n + 1}.</span> {"A" * 300}' in text
    assert f'<td class="wrap"><a href="#s-{n + 1}">{"A" * 300}' in text
    assert re.search(r"\.wrap \{[^}]*overflow-wrap: anywhere", text)
    assert section.projects[spokes[0].name] == FAILED_STROKE
    assert section.projects[hub.name] != FAILED_STROKE
    assert section.statuses[spokes[1].name] == "blocked"
    assert section.red_arrows == 2  # hub -> spoke and spoke -> hub, both closing the circle
    assert "would close a circle" in "".join(section.text)
    # The sections after it are still sections of their own: the quoted markup closed nothing.
    assert [s.id for s in page.sections] == [f"s-{i}" for i in range(1, len(rows) + 1)]
    # Print: sections keep together.
    assert re.search(r"@media print \{.*\.submission \{[^}]*break-inside: avoid", text, re.S)
