"""Demo answers, so the facilitator's debrief can be tried before the event.

Five made-up tables answer scenario 1 in a demo workshop folder of their own, away from the real
groups' folder. Three of them press "Apply & check", which is a real dbt build of each table's own
sandbox; two only save, as some groups do. Nothing here is read by the debrief itself: the demo
folder is just another workshop folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..dbt.worker import DbtWorkerPool
from ..paths import Workspace
from ..scenario.model import load_scenario
from .folders import GROUP_FILE, now, write_atomically
from .session import GroupSession

DEMO_SCENARIO = "breaking_change"


@dataclass(frozen=True)
class DemoGroup:
    group: str
    members: tuple[str, ...]
    answer: str  # a reference solution's id, the wrong answer's id, or a lever option value
    check: bool  # press "Apply & check", or only save
    summary: str


DEMO_GROUPS = (
    DemoGroup(
        "Demo table 1",
        ("Priya", "Tom", "Ines"),
        "opt_in_version",
        True,
        "Version 2 for marketing now; everyone else moves by the end of June.",
    ),
    DemoGroup(
        "Demo table 2",
        ("Kwame", "Lena", "Jo"),
        "opt_in_version",
        False,
        "Version 2 next to version 1: marketing opts in, nobody else is surprised.",
    ),
    DemoGroup(
        "Demo table 3",
        ("Marta", "Sol", "Dev"),
        "opt_out_version",
        True,
        "The new categories become the default; the two broken reports pin version 1.",
    ),
    DemoGroup(
        "Demo table 4",
        ("Ade", "Rui", "Mia"),
        "contract_will_save_us",
        True,
        "Keep the change and protect the model with a contract.",
    ),
    DemoGroup(
        "Demo table 5",
        ("Noor", "Ben", "Eli"),
        "revert",
        False,
        "Revert today; marketing comes back with a plan next sprint.",
    ),
)


def demo_workshop_dir() -> Path:
    """Where the demo groups save, away from the real groups' workshop folder."""
    return Workspace.current().demo_workshop


def make_demo_answers(
    folder: Path | None = None,
    pool: DbtWorkerPool | None = None,
    report: Callable[[str], None] | None = None,
) -> Path:
    """Five example groups answer scenario 1 in `folder`: three press "Apply & check" (real dbt
    builds of their own sandboxes), two only save. A group whose check is already there with the
    same choices is not checked again. `report(text)` hears one line per group."""
    folder = Path(folder) if folder is not None else demo_workshop_dir()
    scenario = load_scenario(DEMO_SCENARIO)
    known = {s.id: s.choices for s in [*scenario.solutions, scenario.wrong_answer]}
    tell = report or (lambda text: None)
    for demo in DEMO_GROUPS:
        choices = dict(
            known.get(demo.answer) or {**scenario.default_choices(), "ship": demo.answer}
        )
        session = GroupSession(scenario, demo.group, workshop=folder, pool=pool)
        done = session.choices == choices and session.last_result() is not None
        session.choices, session.summary = choices, demo.summary
        record = {"group": demo.group, "members": list(demo.members), "saved_at": now()}
        write_atomically(
            Workspace.current().group_folder(demo.group, folder) / GROUP_FILE,
            yaml.safe_dump(record, sort_keys=False),
        )
        if not demo.check:
            session.save()
            tell(f"{demo.group}: saved, not checked")
        elif done:
            tell(f"{demo.group}: checked before, kept")
        else:
            verdict = session.apply_and_check()
            tell(
                f"{demo.group}: {'solved' if verdict.ok else 'not solved'} ({verdict.elapsed:.0f} s)"
            )
    return folder
