"""The room's own copies of the notebooks: JupyterLab opens these, never the kit's files.

Running a notebook saves its outputs (and any edit) into the file, so a room that ran the kit's
tracked `notebooks/` would leave them changed, and the next `git pull` of the kit would clash.
`copy_notebooks` (run by `make lab`) copies them into a folder the room owns, `my_notebooks/`,
and keeps that folder up to date with the kit without ever losing anyone's work:

- a notebook missing from the folder is copied (delete a copy to get a fresh one);
- a copy whose cells still hold the code and text it was copied with (outputs, execution counts
  and metadata do not count) is replaced when the kit's version changes;
- a copy someone edited is kept as it is; the kit's new version is written beside it, as
  `<name> (kit update).ipynb`.

A small manifest in the folder, `.kit_copies.json`, records what each copy was made from (a digest
of the copied cells), which tells "only run" from "edited". Every file is written whole, to a
temporary file beside it that then takes its name, and the kit's notebooks are only read.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import KitLayoutError
from ..paths import Workspace

MANIFEST = ".kit_copies.json"
UPDATE_SUFFIX = "kit update"  # `03_breaking_change (kit update).ipynb`
COPIED, REFRESHED, KEPT, UNCHANGED = "copied", "refreshed", "kept", "unchanged"


@dataclass(frozen=True)
class NotebookCopy:
    """What happened to one notebook's copy."""

    name: str  # the notebook's file name, e.g. `03_breaking_change.ipynb`
    action: str  # COPIED, REFRESHED, KEPT (edited, the update written beside it) or UNCHANGED
    path: Path  # the copy the room works in
    update: Path | None = None  # the kit's new version, beside an edited copy (KEPT only)

    def line(self) -> str | None:
        """One plain sentence for a changed copy; None when nothing happened."""
        if self.action == COPIED:
            return f"Copied {self.name}."
        if self.action == REFRESHED:
            return f"Updated {self.name} to the kit's new version (you had not changed it)."
        if self.action == KEPT and self.update is not None:
            return (
                f"Kept your changes to {self.name}; the kit's new version is beside it, "
                f"as {self.update.name}."
            )
        return None


@dataclass(frozen=True)
class NotebookCopies:
    """Every notebook's copy in `folder`, in the kit's order."""

    folder: Path
    notebooks: tuple[NotebookCopy, ...]

    @property
    def changed(self) -> tuple[NotebookCopy, ...]:
        return tuple(copy for copy in self.notebooks if copy.action != UNCHANGED)

    def lines(self) -> list[str]:
        """One line per notebook whose copy changed; empty when nothing changed."""
        return [line for copy in self.notebooks if (line := copy.line())]


def cells_digest(notebook: Path) -> str | None:
    """A digest of a notebook's cells: their kind and text, in order. Outputs, execution counts
    and metadata do not count, so running a notebook leaves it unchanged. None when the file is
    not a notebook that can be read."""
    try:
        cells = json.loads(notebook.read_bytes())["cells"]
        kept = [[cell["cell_type"], _text(cell["source"])] for cell in cells]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(json.dumps(kept).encode()).hexdigest()


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def copy_notebooks(to: Path | None = None, tracked: Path | None = None) -> NotebookCopies:
    """Bring the room's copies in `to` (default `my_notebooks/`) up to date with the kit's
    notebooks in `tracked` (default `notebooks/`), which are only read."""
    if to is None or tracked is None:
        workspace = Workspace.current()
        to = workspace.my_notebooks if to is None else to
        tracked = workspace.tracked_notebooks if tracked is None else tracked
    to, tracked = Path(to), Path(tracked)
    sources = sorted(tracked.glob("*.ipynb"))
    if not sources:
        raise KitLayoutError(
            f"There are no notebooks in `{tracked}`.",
            "Get the kit's notebooks back with `git checkout -- notebooks/`.",
        )
    if tracked.resolve() in (to.resolve(), *to.resolve().parents):
        raise KitLayoutError(
            f"`{to}` is in the kit's own notebooks folder, so it cannot hold your copies.",
            "Choose another folder, or leave it out to use my_notebooks/.",
        )
    to.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(to)
    recorded = dict(manifest)
    done = tuple(_bring_up_to_date(source, to, recorded) for source in sources)
    if recorded != manifest:
        _write(to / MANIFEST, (json.dumps(recorded, indent=2, sort_keys=True) + "\n").encode())
    return NotebookCopies(to, done)


def _bring_up_to_date(source: Path, to: Path, recorded: dict[str, str]) -> NotebookCopy:
    """Copy, refresh or keep one notebook's copy; `recorded` learns what it now comes from."""
    name, copy = source.name, to / source.name
    kit_version = cells_digest(source)
    if kit_version is None:
        raise KitLayoutError(
            f"The kit's notebook `{source}` cannot be read.",
            "Get it back as the kit ships it with `git checkout -- notebooks/`.",
        )
    if not copy.exists():
        _write(copy, source.read_bytes())
        recorded[name] = kit_version
        return NotebookCopy(name, COPIED, copy)
    copied_from = recorded.get(name)
    if copied_from == kit_version:
        return NotebookCopy(name, UNCHANGED, copy)  # the kit did not change; the copy is theirs
    mine = cells_digest(copy)
    if mine == kit_version:  # the copy already holds the kit's cells (run, or never recorded)
        recorded[name] = kit_version
        return NotebookCopy(name, UNCHANGED, copy)
    if copied_from is not None and mine == copied_from:  # only run since it was copied
        _write(copy, source.read_bytes())
        recorded[name] = kit_version
        return NotebookCopy(name, REFRESHED, copy)
    # Edited (or copied by other means): keep it, and put the kit's version beside it.
    update = _update_path(copy, kit_version)
    if not update.exists():
        _write(update, source.read_bytes())
    recorded[name] = kit_version
    return NotebookCopy(name, KEPT, copy, update)


def _update_path(copy: Path, kit_version: str) -> Path:
    """Where the kit's new version of an edited copy goes: `<name> (kit update).ipynb`, or
    `(kit update 2)` and on when that name holds something else (an earlier update, perhaps
    edited since); an existing file with the same cells is used again."""
    number = 1
    while True:
        label = UPDATE_SUFFIX if number == 1 else f"{UPDATE_SUFFIX} {number}"
        candidate = copy.with_name(f"{copy.stem} ({label}){copy.suffix}")
        if not candidate.exists() or cells_digest(candidate) == kit_version:
            return candidate
        number += 1


def _read_manifest(folder: Path) -> dict[str, str]:
    """What each copy in `folder` was made from; empty when there is no readable manifest (then
    every copy that differs from the kit's version counts as edited, which loses nothing)."""
    try:
        found = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {name: digest for name, digest in found.items() if isinstance(digest, str)}


def _write(path: Path, content: bytes) -> None:
    """Write `content` to `path` whole: a reader sees the old file or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
