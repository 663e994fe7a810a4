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

from ..paths import Workspace
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
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save_group(name: str, members: list[str] | tuple[str, ...] = ()) -> Path:
    """Record a group's name and members, and make it this machine's current group."""
    name = name.strip()
    if not name:
        raise ValueError("A group needs a name, for example `Table 4`.")
    path = Workspace.current().group_folder(name) / GROUP_FILE
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
