"""Notebooks: committed clean, matching their percent-format sources, and running top to bottom."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest
from nbclient import NotebookClient

CELL_TIMEOUT_SECONDS = 300


def _builder(repo_root):
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", repo_root / "scripts/build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_match_the_script_that_writes_them(repo_root):
    """Every committed notebook is exactly what `scripts/build_notebooks.py` writes from its
    source in `scripts/notebooks/`, and every source has its notebook."""
    builder = _builder(repo_root)
    sources = builder.sources()
    committed = sorted(p.name for p in (repo_root / "notebooks").glob("*.ipynb"))
    assert sorted(sources) == committed
    for name, source in sources.items():
        assert (repo_root / "notebooks" / name).read_text() == builder.render(source), name


def test_a_notebook_that_differs_from_its_source_is_caught(repo_root, tmp_path):
    """One changed line of Markdown, or of code, in a source makes its notebook out of date."""
    builder = _builder(repo_root)
    name, source = next(iter(builder.sources().items()))
    committed = (repo_root / "notebooks" / name).read_text()
    text = source.read_text()
    for old, new in (("# # ", "# ## "), ("\nfrom ", "\nfrom  ")):
        assert old in text
        changed = tmp_path / source.name
        changed.write_text(text.replace(old, new, 1))
        assert builder.render(changed) != committed, (old, new)
    # The markers themselves never reach the notebook: its first cell is the title, as text.
    first = nbformat.reads(builder.render(source), as_version=4).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ") and first.id == "cell-00"


def test_notebooks_are_committed_without_outputs_and_with_a_kernel(repo_root):
    for path in (repo_root / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def _start_here(notebook, text: str) -> None:
    """Every set-up check passes (building what was missing), and the form and timer show."""
    for line in (
        "OK     Python 3.",
        "OK     dbt-core 1.11.",
        "OK     dbt-duckdb 1.11.",
        "OK     dbt-loom 0.9.6",
        "OK     duckdb 1.5.6",
        "OK     raw data: all 26 tables in data/raw/",
        "OK     the legacy project `data_platform` is built",
        "OK     the mesh is built (all 4 projects)",
    ):
        assert line in text, line
    after_building = _cell_text(notebook, "checks = start.build_what_is_missing()")
    assert "TO DO" not in after_building
    assert after_building.rstrip().endswith("All set: everything the workshop needs is here.")
    assert "Local: RAINBOW_ROAD_WORKSHOP_DIR is not set" in text
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    roots = [state[view]["state"]["_dom_classes"] for view in _widget_views(notebook)]
    assert [list(classes) for classes in roots] == [["rr-group-form"], ["rr-timer"]]
    clocks = [
        m["state"]["value"]
        for m in state.values()
        if "rr-timer-clock" in m["state"].get("_dom_classes", ())
    ]
    assert clocks and "10:00" in clocks[0]  # shown, not started: no thread was left running


def _meet_rainbow_road(notebook, text: str) -> None:
    # Built here, or found built by the session's earlier build and answered at once.
    assert "`data_platform` built" in text or "`data_platform` is up to date" in text
    # The teams' questions come back as tables for people: dollars, and a dash for no value.
    money = _cell_html(notebook, 'kit.answer("donations_by_campaign")')
    assert "$" in money and "\u2014" in money and "nan" not in money.lower()
    assert "```mermaid" in text
    assert "grant_outcome_report" in text
    # Every picture is small enough to read at a glance: no more than 25 models in a box each.
    pictures = [p for p in text.split("```mermaid")[1:]]
    assert len(pictures) == 3
    for picture in pictures:
        boxes = [line for line in picture.split("```")[0].splitlines() if line.startswith("    ")]
        assert len(boxes) <= 25, picture


# The tour's live cells: the start of each cell's source, whether the mesh builds, and the codes
# of the explanations the verdict must show.
TOUR_CHECKS = {
    "access_ok = check(": (True, set()),
    "access_broken = check(": (False, {"protected_ref"}),
    "contract_ok = check(": (True, set()),
    "contract_broken = check(": (False, {"contract_mismatch", "missing_table"}),
    "in_place = check(": (False, {"test_failure"}),
    "retire_v1_on = ": (True, {"prerelease_version", "upcoming_deprecation"}),
}


def _features_tour(notebook, text: str) -> None:
    """Each live cell shows the verdict it teaches, with the real dbt message and its explanation."""
    for start, (builds, codes) in TOUR_CHECKS.items():
        shown = _cell_text(notebook, start)
        verdict = "### ✅ The mesh builds" if builds else "### ❌ The mesh does not build cleanly"
        assert verdict in shown, (start, shown[:2000])
        for code in codes:
            assert f"(`{code}`)" in shown, (start, code)
        if builds:
            assert "| failed |" not in shown, start
    access = _cell_text(notebook, "access_broken = check(")
    assert "A model read another project's protected model (`protected_ref`)" in access
    assert (
        "which is not allowed because the referenced node is protected to the 'data_platform' package"
        in access
    )
    for spoke in ("finance_marketing", "people_ops", "rescue_operations"):
        assert f"| `{spoke}` | failed |" in access
    assert "| `data_platform` | built |" in access
    contract = _cell_text(notebook, "contract_broken = check(")
    assert "A model does not match its contract (`contract_mismatch`)" in contract
    assert "| days_in_care | INTEGER         | VARCHAR       | data type mismatch |" in contract
    in_place = _cell_text(notebook, "in_place = check(")
    assert "| `people_ops` | failed |" in in_place and "| `finance_marketing` | built |" in in_place
    assert "Got 1 result, configured to fail if != 0" in in_place
    # The files the kit wrote: a contract with types, version 2 pinned by finance.
    assert "data_type: integer" in _cell_text(
        notebook, 'show_model("data_platform", "fct_animal_outcomes", root=contract_ok'
    )
    versions = _cell_text(
        notebook, 'show_model("data_platform", "fct_animal_outcomes", root=versioned'
    )
    assert "latest_version: 1" in versions and "- v: 2" in versions
    assert "ref('data_platform', 'fct_animal_outcomes', v=2)" in versions
    # Cross-project refs: compiled to the attached hub database; without dbt-loom, not found.
    assert '"data_platform"."main"."int_volunteer_hours_monthly"' in text
    no_loom = _cell_text(notebook, "without_loom = ")
    assert "in package or project 'data_platform' which was not found" in no_loom
    assert "(`model_not_found`)" in no_loom
    cycle = _cell_text(notebook, "try:")
    assert "would read each other in a circle" in cycle
    assert "Projects would read each other in a circle (`project_cycle`)" in cycle
    # Said once, in the kit's words: no raw message, no temporary path.
    assert "Refused before dbt ran." in cycle and "/tmp" not in cycle
    assert cycle.count("Projects would read each other in a circle") == 1
    assert "```mermaid" in text
    assert "Done. Next: the scenarios" in text


RUNS_TOP_TO_BOTTOM = {
    "00_start_here.ipynb": _start_here,
    "01_meet_rainbow_road.ipynb": _meet_rainbow_road,
    "02_mesh_features_tour.ipynb": _features_tour,
}


@pytest.mark.parametrize("name", sorted(RUNS_TOP_TO_BOTTOM))
def test_notebook_runs_top_to_bottom(repo_root, workspace, tmp_path, name):
    notebook, outputs = _execute(repo_root, name, tmp_path)
    text = "\n".join(_text(o) for o in outputs)
    RUNS_TOP_TO_BOTTOM[name](notebook, text)


def _execute(repo_root, name: str, folder, settings: dict[str, str] | None = None) -> tuple:
    """Run a committed notebook top to bottom in a real kernel, working in `folder`; return it
    with its code cells' outputs, after checking that no cell raised. `settings` replaces the
    source of the one code cell that starts with each key (a notebook's settings cell)."""
    notebook = nbformat.read(repo_root / "notebooks" / name, as_version=4)
    for start, source in (settings or {}).items():
        cells = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(start)]
        assert len(cells) == 1, start
        cells[0].source = source
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return notebook, outputs


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    data = output.get("data", {})
    return data.get("text/markdown") or data.get("text/plain") or ""


def _cell_html(notebook, source_start: str) -> str:
    """The HTML the one code cell whose source starts with `source_start` showed."""
    cells = [
        c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(source_start)
    ]
    assert len(cells) == 1, source_start
    return "\n".join(o.get("data", {}).get("text/html", "") for o in cells[0].outputs)


def _cell_text(notebook, source_start: str) -> str:
    """Everything the one code cell whose source starts with `source_start` printed or showed."""
    cells = [
        c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(source_start)
    ]
    assert len(cells) == 1, f"{len(cells)} cells start with {source_start!r}"
    return "\n".join(_text(o) for o in cells[0].outputs)


def _widget_views(notebook) -> list[str]:
    return [
        o.data["application/vnd.jupyter.widget-view+json"]["model_id"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]


SCENARIO_NOTEBOOKS = {
    "03_breaking_change.ipynb": "breaking_change",
    "04_access_and_lineage.ipynb": "access_and_lineage",
    "05_growing_mesh.ipynb": "growing_mesh",
    "06_council_emergency.ipynb": "council_emergency",
}


@pytest.mark.parametrize("name", sorted(SCENARIO_NOTEBOOKS))
def test_scenario_notebook_shows_its_app(repo_root, workspace, tmp_path, monkeypatch, name):
    """Each scenario notebook runs without a press of the button and shows its scenario's app."""
    from mesh_workshop.paths import WORKSHOP_ENV
    from mesh_workshop.scenario.model import load_scenario

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    notebook, outputs = _execute(repo_root, name, tmp_path)
    views = _widget_views(notebook)
    assert len(views) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    root = state[views[0]]["state"]
    assert "rr-scenario-app" in root["_dom_classes"]
    title = load_scenario(SCENARIO_NOTEBOOKS[name]).title
    texts = [m["state"].get("value", "") for m in state.values() if m["model_name"] == "HTMLModel"]
    assert any(title.replace("'", "&#x27;") in t or title in t for t in texts)
    # Nothing was checked: no group folder holds a result.
    assert not list((tmp_path / "workshop").glob("*/*/result.json"))


def test_debrief_notebook_opens_its_app_without_any_code_to_edit(
    repo_root, workspace, tmp_path, monkeypatch
):
    """Run as it is, the debrief notebook shows one app (demo answers are a button away, never a
    code edit), reads the groups' folder, and writes nothing: no demo answers, no group folder."""
    from mesh_workshop.paths import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    demo = workspace / "demo_workshop"
    demo_before = sorted(demo.rglob("*")) if demo.exists() else []
    notebook, _ = _execute(repo_root, "07_facilitator_debrief.ipynb", tmp_path)
    views = _widget_views(notebook)
    assert len(views) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert "rr-debrief-app" in state[views[0]]["state"]["_dom_classes"]
    assert not (tmp_path / "workshop").exists()
    assert (sorted(demo.rglob("*")) if demo.exists() else []) == demo_before


COUNCIL_NOTEBOOKS = {
    "08_council_seat.ipynb": "rr-seat-app",
    "09_council_moderator.ipynb": "rr-council-app",
}


@pytest.mark.parametrize("name", sorted(COUNCIL_NOTEBOOKS))
def test_council_notebooks_show_their_app_and_change_nothing(
    repo_root, workspace, tmp_path, monkeypatch, name
):
    """The Mesh Council's notebooks run as they are and show one app waiting for its form: no
    table is opened and nothing is written until someone presses a button."""
    from mesh_workshop.paths import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    notebook, _ = _execute(repo_root, name, tmp_path)
    views = _widget_views(notebook)
    assert len(views) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert COUNCIL_NOTEBOOKS[name] in state[views[0]]["state"]["_dom_classes"]
    assert not (tmp_path / "workshop").exists()


def test_grading_notebook_grades_a_class_when_its_settings_say_so(
    repo_root, workspace, built_mesh, tmp_path, monkeypatch
):
    """Run as it is, the grading notebook only shows its app; with its settings cell set to a
    small practice class and `GRADE_ON_RUN = True`, Run All grades it and shows the table: one
    line per group, the summary, the app's table filled in and the reports written."""
    from mesh_workshop.grading.practice import write_practice_class
    from mesh_workshop.paths import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    groups = 4
    write_practice_class(tmp_path / "class", groups=groups, distinct=2)
    out = tmp_path / "reports"
    settings = (
        f"GRADE_FOLDER = {str(tmp_path / 'class')!r}\n"
        f"REPORT_FOLDER = {str(out)!r}\n"
        "GRADE_ON_RUN = True\n"
    )
    notebook, outputs = _execute(
        repo_root, "10_grade_a_class.ipynb", tmp_path, {"GRADE_FOLDER = None": settings}
    )
    views = _widget_views(notebook)
    assert len(views) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert "rr-grade-app" in state[views[0]]["state"]["_dom_classes"]
    table = _cell_text(notebook, "if GRADE_ON_RUN:")
    for n in range(1, groups + 1):
        assert f"Practice table {n}" in table
    # The practice class's first two answers: scenario 1's solution and its wrong answer.
    assert f"{groups} submissions: 2 pass, 2 fail, 0 refused." in table
    assert "2 distinct answers" in table
    shown = [
        m["state"]["value"]
        for m in state.values()
        if "rr-grade-table-view" in m["state"].get("_dom_classes", ())
    ]
    assert len(shown) == 1 and shown[0].count("<tr class='rr-grade-row") == groups
    for name in ("report.html", "grades.json", "grades.csv", "junit.xml"):
        assert (out / name).is_file(), name
    assert not (tmp_path / "workshop").exists()


def test_grading_notebook_grades_nothing_by_itself(repo_root, workspace, tmp_path, monkeypatch):
    """Run All with the settings as committed shows the app and grades nothing."""
    from mesh_workshop.paths import WORKSHOP_ENV

    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    notebook, _ = _execute(repo_root, "10_grade_a_class.ipynb", tmp_path)
    assert "Nothing graded yet" in _cell_text(notebook, "if GRADE_ON_RUN:")
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    tables = [
        m["state"]["value"]
        for m in state.values()
        if "rr-grade-table-view" in m["state"].get("_dom_classes", ())
    ]
    assert tables == ["<p class='rr-muted'>Nothing graded yet.</p>"]
    assert not (tmp_path / "workshop").exists()
