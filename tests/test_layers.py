"""The core never imports the front ends: widgets and the CLI sit on top, never underneath."""

from __future__ import annotations

import ast
from pathlib import Path

import mesh_workshop

FRONT_ENDS = {"ipywidgets", "IPython", "mesh_workshop.cli", "argparse"}
FRONT_END_MODULES = {"cli.py", "__main__.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.add(f"mesh_workshop.{module}" if node.level else module)
    return names


def test_core_modules_do_not_import_front_ends():
    package = Path(mesh_workshop.__file__).parent
    checked = 0
    for path in package.rglob("*.py"):
        if path.name in FRONT_END_MODULES or "widgets" in path.parts:
            continue
        bad = {
            name
            for name in _imports(path)
            if name.split(".")[0] in FRONT_ENDS or name in FRONT_ENDS
        }
        assert not bad, f"{path.name} imports {sorted(bad)}"
        checked += 1
    assert checked >= 5
