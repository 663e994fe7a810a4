"""Imports run one way, from the front ends down to dbt: each stage folder may use the stages
below it and never one above it (docs/architecture.md draws the same order)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mesh_workshop

PACKAGE = Path(mesh_workshop.__file__).parent
# Top first. A module may import its own stage and any stage after it in this list.
STAGES = (
    "front",  # cli.py, api.py, widgets/
    "room",  # a whole room on one server (JupyterHub): may use every stage below the front ends
    "grading",  # an instructor's grading of a class: may use every stage below it
    "council",  # the Mesh Council game: may use every stage below it
    "workshop",
    "verify",
    "scenario",
    "verdict",
    "proposal",
    "split",
    "monolith",
    "mesh",
    "dbt",
    "base",  # errors.py, paths.py, yaml_input.py
)
FRONT = {"cli", "api", "__main__", "widgets"}
FRONT_END_LIBRARIES = {"ipywidgets", "IPython", "argparse"}


def stage_of(module: str) -> str:
    """The stage of a module named like `mesh_workshop.verdict.check`."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in {"errors", "paths", "yaml_input", "__init__"}:
        return "base"
    if parts[0] in FRONT:
        return "front"
    assert parts[0] in STAGES, f"`{module}` is in no stage: add its folder to STAGES"
    return parts[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kit_imports(path: Path) -> set[str]:
    """Every `mesh_workshop` module that `path` imports, relative imports resolved."""
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("mesh_workshop"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            elif (node.module or "").startswith("mesh_workshop"):
                found.add(node.module)
    return found


def library_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add((node.module or "").split(".")[0])
    return names


def test_every_import_points_down_the_stages():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = STAGES.index(stage_of(module_name(path)))
        for target in kit_imports(path):
            if STAGES.index(stage_of(target)) < own:
                wrong.append(f"{module_name(path)} imports {target}")
    assert not wrong, "imports that point up the stages:\n" + "\n".join(wrong)


def test_only_front_ends_use_widget_and_terminal_libraries():
    checked = 0
    for path in PACKAGE.rglob("*.py"):
        if stage_of(module_name(path)) == "front":
            continue
        bad = library_imports(path) & FRONT_END_LIBRARIES
        assert not bad, f"{module_name(path)} imports {sorted(bad)}"
        checked += 1
    assert checked >= 30


def test_the_stage_check_sees_a_wrong_import(tmp_path):
    # The resolver itself: a relative import two levels up from a stage folder is seen.
    sample = PACKAGE / "dbt" / "runner.py"
    assert "mesh_workshop.dbt.results" in kit_imports(sample)
    assert STAGES.index(stage_of("mesh_workshop.widgets.start")) < STAGES.index("dbt")


# What only the Workspace (paths.py) may say: the build folder's own folders and where the
# environment puts the roots.
FOLDER_NAMES = re.compile(
    r"""workspace_dir\(|["'](sandboxes|meshes|\.workspace|demo_workshop|equivalence|"""
    r"""current_group\.txt)["']|os\.environ[^\n]*(WORKSPACE|WORKSHOP)"""
)


def test_only_the_workspace_builds_build_and_sandbox_paths():
    found = [
        f"{module_name(path)}: {match.group(0)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "paths.py"
        for match in FOLDER_NAMES.finditer(path.read_text())
    ]
    assert not found, "build or sandbox paths made outside paths.Workspace:\n" + "\n".join(found)
    # The pattern itself finds what it is meant to find.
    assert FOLDER_NAMES.search('root = workspace_dir() / "sandboxes"')
    assert FOLDER_NAMES.search('os.environ.get("RAINBOW_ROAD_WORKSHOP_DIR")')
