"""Write the workshop notebooks from their sources (committed without outputs).

Each notebook's cells live in `scripts/notebooks/<notebook name>.py` as a list `CELLS`. Run after
editing one: `python scripts/build_notebooks.py`. A test checks the committed notebooks match
what this script writes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES_DIR = Path(__file__).resolve().parent / "notebooks"


def _cells(source: Path) -> list:
    spec = importlib.util.spec_from_file_location(f"notebook_{source.stem}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CELLS


NOTEBOOKS = {
    f"{source.stem}.ipynb": _cells(source) for source in sorted(SOURCES_DIR.glob("[0-9]*.py"))
}


def render(cells: list) -> str:
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            },
            "language_info": {"name": "python"},
        },
    )
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return nbformat.writes(notebook) + "\n"


def main() -> int:
    for name, cells in NOTEBOOKS.items():
        (NOTEBOOKS_DIR / name).write_text(render(cells))
        print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
