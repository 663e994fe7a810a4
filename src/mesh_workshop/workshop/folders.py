"""The workshop folder: where groups' names, decisions and verdicts are saved.

One folder per group, one sub-folder per scenario. A JupyterHub points every user at one shared
folder with `RAINBOW_ROAD_WORKSHOP_DIR`, so the facilitator's debrief sees every group's answer.
Files are written to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from ..errors import KitError
from ..paths import Workspace, same_group_name
from ..yaml_input import load_text

GROUP_FILE = "group.yml"
DECISIONS_FILE = "decisions.yml"
PROPOSAL_FILE = "proposal.yml"
RESULT_FILE = "result.json"


def workshop_dir() -> Path:
    return Workspace.current().saved


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


class GroupNameTaken(KitError):
    """Another group's name already leads to the folder this name would save in."""


def recorded_group_name(folder: Path) -> str | None:
    """The name of the group whose work is in `folder`: its `group.yml`, or else the group named
    in any of its saved decisions."""
    candidates = [folder / GROUP_FILE, *sorted(folder.glob(f"*/{DECISIONS_FILE}"))]
    for path in candidates:
        try:
            record = load_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        name = record.get("group") if isinstance(record, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def check_group_name(name: str, root: Path | None = None) -> Path:
    """The folder `name` saves in, after making sure no other group's work is there.

    Names that differ only in case and spacing are one group; `The Beagles` and
    `the beagles!!!` would share a folder without being one group, so the second is refused."""
    space = Workspace.current()
    folder = space.group_folder(name, root)
    if folder == space.councils:
        raise GroupNameTaken(
            f"The name \u201c{name}\u201d would save in the folder where the Mesh Council's "
            "tables keep their state.",
            "Choose another name, for example by adding your table's number.",
        )
    recorded = recorded_group_name(folder)
    if recorded is not None and not same_group_name(recorded, name):
        raise GroupNameTaken(
            f"The name \u201c{name}\u201d is too close to the group \u201c{recorded}\u201d, "
            f"which already saves its work in the folder {folder.name}.",
            f"To carry on as \u201c{recorded}\u201d, type exactly that name. Otherwise choose "
            "a name that differs in its letters or digits, for example by adding your table's "
            "number.",
        )
    return folder


def save_group(name: str, members: list[str] | tuple[str, ...] = ()) -> Path:
    """Record a group's name and members, and make it this machine's current group."""
    name = name.strip()
    if not name:
        raise ValueError("A group needs a name, for example Table 4.")
    path = check_group_name(name) / GROUP_FILE
    record = {
        "group": name,
        "members": [m.strip() for m in members if m.strip()],
        "saved_at": now(),
    }
    write_atomically(path, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    write_atomically(Workspace.current().current_group_file, name + "\n")
    return path


def current_group() -> str | None:
    """The group last saved on this machine, if any."""
    path = Workspace.current().current_group_file
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def group_record(name: str) -> dict | None:
    path = Workspace.current().group_folder(name) / GROUP_FILE
    try:
        loaded = load_text(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else None


def scenario_folder(group: str, scenario_id: str, root: Path | None = None) -> Path:
    """Where a group's work on one scenario is saved, in the workshop folder (or in `root`)."""
    return Workspace.current().scenario_folder(group, scenario_id, root)


def saved_answers(scenario_id: str | None = None, root: Path | None = None) -> list[Path]:
    """The folders of every saved answer (a `decisions.yml`), for one scenario or all, in the
    workshop folder (or in `root`)."""
    root = root or workshop_dir()
    pattern = f"*/{scenario_id or '*'}/{DECISIONS_FILE}"
    return sorted(p.parent for p in root.glob(pattern)) if root.is_dir() else []
