"""Write the workshop notebooks from their sources (committed without outputs).

Each notebook's source is `scripts/notebooks/<notebook name>.py`, plain Python in jupytext's
percent format: `# %%` starts a code cell, and `# %% [markdown]` starts a Markdown cell whose
lines are comments (`# ` and the text). ruff lints the sources like the rest of the kit. Run after
editing one: `python scripts/build_notebooks.py`. A test checks the committed notebooks match
what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES_DIR = Path(__file__).resolve().parent / "notebooks"
SOURCE_FORMAT = "py:percent"
METADATA = {
    "kernelspec": {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    },
    "language_info": {"name": "python"},
}
NEW_CELL = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}


def sources() -> dict[str, Path]:
    """Each notebook's file name, with the source it is written from."""
    return {f"{path.stem}.ipynb": path for path in sorted(SOURCES_DIR.glob("[0-9]*.py"))}


def render(source: Path) -> str:
    """The notebook a source describes, as committed: its cells' text only (no outputs, no cell
    metadata), cell ids `cell-00`, `cell-01`, ... and a Python 3 kernel."""
    parsed = jupytext.read(source, fmt=SOURCE_FORMAT)
    notebook = new_notebook(
        cells=[NEW_CELL[cell.cell_type](cell.source) for cell in parsed.cells],
        metadata=METADATA,
    )
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return nbformat.writes(notebook) + "\n"


def main() -> int:
    for name, source in sources().items():
        (NOTEBOOKS_DIR / name).write_text(render(source))
        print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
