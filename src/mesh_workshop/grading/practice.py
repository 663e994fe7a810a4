"""A practice class: answers written as a room's notebooks would save them, to try grading on.

`write_practice_class(folder, groups=30, distinct=10)` writes `groups` groups' saved decisions
into `folder`, among them `distinct` different answers: every scenario's reference solutions and
wrong answer first, then the other combinations of its levers that go together. Groups that share
an answer write it with their choices in another order and their own summary, as real groups do,
so the grading's "same answer" rule is exercised. The instructor's notebook, the benchmark and
the tests all use it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..paths import Workspace
from ..scenario.model import Choices, Scenario, ScenarioError, list_scenarios
from ..workshop.folders import DECISIONS_FILE, GROUP_FILE, write_atomically
from ..workshop.saved import DECISIONS_VERSION


@dataclass(frozen=True)
class PracticeAnswer:
    scenario: str
    choices: Choices
    name: str  # a solution's or wrong answer's id, or the options picked


def practice_answers() -> list[PracticeAnswer]:
    """Every answer a practice class can give: scenario by scenario a reference solution and the
    tempting wrong answer (so even a small class has both verdicts), then the other reference
    solutions, then the other combinations of levers, scenarios taking turns."""
    scenarios = list_scenarios()
    answers = {s.id: _answers_of(s) for s in scenarios}
    first = [a for s in scenarios for a in (answers[s.id][0], _wrong(s, answers[s.id]))]
    rest = [[a for a in answers[s.id] if a not in first] for s in scenarios]
    ordered = [a for turn in itertools.zip_longest(*rest) for a in turn if a is not None]
    known = [a for a in ordered if not a.name.startswith("options:")]
    return first + known + [a for a in ordered if a.name.startswith("options:")]


def _wrong(scenario: Scenario, answers: list[PracticeAnswer]) -> PracticeAnswer:
    return next(a for a in answers if a.name == scenario.wrong_answer.id)


def _answers_of(scenario: Scenario) -> list[PracticeAnswer]:
    found = [
        PracticeAnswer(scenario.id, dict(a.choices), a.id)
        for a in [*scenario.solutions, scenario.wrong_answer]
    ]
    seen = [a.choices for a in found]
    options = [
        [o.value for o in lever.options]
        if lever.kind == "choice"
        else [[o.value] for o in lever.options]
        for lever in scenario.levers
    ]
    for combo in itertools.product(*options):
        choices = dict(zip([lever.id for lever in scenario.levers], combo, strict=True))
        try:
            scenario.check_choices(choices, "practice")
        except ScenarioError:
            continue
        if choices not in seen:
            seen.append(choices)
            name = "options: " + ", ".join(str(v) for v in choices.values())
            found.append(PracticeAnswer(scenario.id, choices, name))
    return found


def write_practice_class(
    folder: Path, groups: int = 30, distinct: int = 10
) -> list[PracticeAnswer]:
    """Write the class into `folder`; returns each group's answer, in the groups' order."""
    answers = practice_answers()
    if not 1 <= distinct <= min(groups, len(answers)):
        raise ValueError(
            f"a practice class of {groups} groups can have 1 to {min(groups, len(answers))} "
            f"distinct answers, not {distinct}"
        )
    given: list[PracticeAnswer] = []
    space = Workspace.current()
    for n in range(groups):
        answer = answers[n % distinct]
        name = f"Practice table {n + 1}"
        choices = answer.choices
        if n >= distinct:  # the same answer again, written as another group would
            choices = dict(reversed(list(choices.items())))
        record = {
            "version": DECISIONS_VERSION,
            "group": name,
            "scenario": answer.scenario,
            "choices": choices,
            "notes": {},
            "summary": f"Table {n + 1} agreed on: {answer.name}.",
        }
        target = space.scenario_folder(name, answer.scenario, folder)
        write_atomically(target / DECISIONS_FILE, yaml.safe_dump(record, sort_keys=False))
        write_atomically(
            space.group_folder(name, folder) / GROUP_FILE,
            yaml.safe_dump({"group": name, "members": []}, sort_keys=False),
        )
        given.append(answer)
    return given
