"""Scenarios as data: the story, the roles, the levers a group can pull, and what counts as solved.

A scenario file (`scenarios/<id>.yml`) is written by the kit's authors, not by groups, but it is
still checked strictly so that a typo shows up as a clear message rather than a broken form.

A group's answer is a set of *choices*, one per lever. Each option of a lever carries a fragment
of a proposal (the format of `docs/proposals.md`); the chosen fragments are merged into one
proposal, which is applied and checked like any other. The lever defaults describe the situation
the scenario starts from, fault included, so checking the untouched form shows the problem.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ..errors import KitError
from ..paths import kit_root
from ..proposal.model import Proposal, _identifier
from ..yaml_input import load_yaml_model

MAX_SCENARIO_BYTES = 256 * 1024
Identifier = Annotated[str, AfterValidator(_identifier)]
Choices = dict[str, str | list[str]]


class ScenarioError(KitError):
    """A scenario file, or a group's choices for it, cannot be used as written."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(_Strict):
    id: Identifier
    title: str
    team: str
    brief: str
    interests: list[str] = Field(min_length=1)
    pressures: list[str] = Field(min_length=1)


class AddedModel(_Strict):
    """A model the scenario adds to the group's sandbox: the new report that causes the trouble.

    `sql` refers to other models with one-argument refs; when the sandbox is written, each becomes
    a cross-project ref if the model it names lives in another project by then. The model goes
    into `project`, or into whichever project holds `lives_with` after the group's moves.
    """

    name: Identifier
    project: Identifier | None = None
    lives_with: Identifier | None = None
    folder: str = Field(pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
    description: str
    owner_team: str
    sql: str
    columns: dict[Identifier, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_home(self) -> AddedModel:
        if (self.project is None) == (self.lives_with is None):
            raise ValueError("give exactly one of `project` and `lives_with`")
        return self


class Fault(_Strict):
    title: str
    description: str
    add_models: list[AddedModel] = Field(default_factory=list)


class Option(_Strict):
    value: Identifier
    label: str
    help: str = ""
    proposal: dict[str, Any] = Field(default_factory=dict)
    requires: dict[Identifier, list[Identifier]] = Field(default_factory=dict)


class Lever(_Strict):
    id: Identifier
    label: str
    help: str = ""
    kind: Literal["choice", "multi"] = "choice"
    options: list[Option] = Field(min_length=1)
    default: str | list[str]

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Lever:
        values = [o.value for o in self.options]
        defaults = self.default if isinstance(self.default, list) else [self.default]
        if self.kind == "choice" and isinstance(self.default, list):
            raise ValueError(f"lever `{self.id}` is a single choice; its default is one value")
        unknown = [d for d in defaults if d not in values]
        if unknown:
            raise ValueError(f"lever `{self.id}`: default `{unknown[0]}` is not one of its options")
        return self

    def option(self, value: str) -> Option:
        return next(o for o in self.options if o.value == value)


CRITERION_KINDS = (
    "builds",
    "project_builds",
    "model_builds",
    "contract_enforced",
    "consumer_gets_change",
    "deprecation_date_set",
    "different_groups",
    "no_finding",
)


class Criterion(_Strict):
    """One machine-checkable success criterion; which keys it needs depends on `kind`."""

    id: Identifier
    kind: Literal[CRITERION_KINDS]  # type: ignore[valid-type]
    says: str
    project: Identifier | None = None
    model: Identifier | None = None
    models: list[Identifier] = Field(default_factory=list)
    consumer: Identifier | None = None
    logic_change: Identifier | None = None
    code: Identifier | None = None
    # A consequence the table weighs rather than a condition for solving: it is judged and shown
    # ("what your decision means"), never counted. A revert, for example, is a legitimate
    # decision whose consequence is that the team that needed the change goes without.
    consequence: bool = False
    # What meeting it is worth when an instructor grades a class (`mesh-workshop grade`).
    points: int = Field(default=1, ge=0, le=100)

    @model_validator(mode="after")
    def _needs(self) -> Criterion:
        needs = {
            "project_builds": ["project"],
            "model_builds": ["model"],
            "contract_enforced": ["model"],
            "consumer_gets_change": ["consumer", "model", "logic_change"],
            "deprecation_date_set": ["model"],
            "different_groups": ["models"],
            "no_finding": ["code"],
        }.get(self.kind, [])
        missing = [key for key in needs if not getattr(self, key)]
        if missing:
            raise ValueError(f"criterion `{self.id}` ({self.kind}) needs `{missing[0]}`")
        return self


class Solution(_Strict):
    id: Identifier
    title: str
    choices: Choices
    why: str


class WrongAnswer(Solution):
    fails_because: str
    failing_criteria: list[Identifier] = Field(min_length=1)
    explanation_codes: list[Identifier] = Field(default_factory=list)


class Scenario(_Strict):
    id: Identifier
    number: int
    title: str
    format: Literal["working_session", "council"]
    minutes: int = Field(ge=1, le=120)
    story: str
    fault: Fault
    roles: list[Role] = Field(min_length=3, max_length=5)
    prompts: list[str] = Field(min_length=1)
    levers: list[Lever] = Field(min_length=1)
    success: list[Criterion] = Field(min_length=1)
    hints: list[str] = Field(min_length=1)
    solutions: list[Solution] = Field(min_length=2)
    wrong_answer: WrongAnswer

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        for answer in [*self.solutions, self.wrong_answer]:
            self.check_choices(answer.choices, f"solution `{answer.id}`", ValueError)
        criteria = {c.id for c in self.success}
        unknown = [c for c in self.wrong_answer.failing_criteria if c not in criteria]
        if unknown:
            raise ValueError(f"wrong_answer names unknown criterion `{unknown[0]}`")
        for lever in self.levers:
            for option in lever.options:
                for other in option.requires:
                    if other not in {lv.id for lv in self.levers}:
                        raise ValueError(
                            f"option `{option.value}` requires unknown lever `{other}`"
                        )
        return self

    def lever(self, lever_id: str) -> Lever:
        for lever in self.levers:
            if lever.id == lever_id:
                return lever
        raise KeyError(lever_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def default_choices(self) -> Choices:
        return {lever.id: copy.copy(lever.default) for lever in self.levers}

    def check_choices(self, choices: Choices, where: str, error=None) -> None:
        """Every lever answered with options it has, and every option's requirement met."""
        error = error or (
            lambda message: ScenarioError(message, "Change that choice and try again.")
        )
        for lever in self.levers:
            if lever.id not in choices:
                raise error(f"{where}: no choice for `{lever.label}` (lever `{lever.id}`).")
            picked = choices[lever.id]
            values = picked if isinstance(picked, list) else [picked]
            if lever.kind == "choice" and isinstance(picked, list):
                raise error(f"{where}: `{lever.label}` takes one choice, not a list.")
            for value in values:
                if value not in {o.value for o in lever.options}:
                    raise error(f"{where}: `{value}` is not an option of `{lever.label}`.")
        extra = sorted(set(choices) - {lever.id for lever in self.levers})
        if extra:
            raise error(f"{where}: this scenario has no lever `{extra[0]}`.")
        for lever, option in self._picked(choices):
            for other_id, allowed in option.requires.items():
                other = self.lever(other_id)
                picked = choices[other_id]
                values = picked if isinstance(picked, list) else [picked]
                if not set(values) & set(allowed):
                    names = " or ".join(f"'{other.option(a).label}'" for a in allowed)
                    raise error(
                        f"{where}: '{option.label}' (for `{lever.label}`) only works together "
                        f"with {names} for `{other.label}`."
                    )

    def proposal_dict(self, choices: Choices, group: str, summary: str = "") -> dict[str, Any]:
        """The proposal that the choices add up to (checked against the levers first)."""
        self.check_choices(choices, f"The choices of `{group}`")
        proposal: dict[str, Any] = {"version": 1, "group": group, "scenario": self.id}
        if summary.strip():
            proposal["summary"] = summary.strip()
        for _, option in self._picked(choices):
            merge_fragment(proposal, option.proposal)
        return proposal

    def proposal(self, choices: Choices, group: str, summary: str = "") -> Proposal:
        return Proposal.model_validate(self.proposal_dict(choices, group, summary))

    def _picked(self, choices: Choices):
        for lever in self.levers:
            picked = choices[lever.id]
            for value in picked if isinstance(picked, list) else [picked]:
                yield lever, lever.option(value)


_KEYED_LISTS = {"models": "model", "teams": "name", "new_projects": "name"}


def merge_fragment(proposal: dict[str, Any], fragment: dict[str, Any]) -> None:
    """Merge one option's fragment into the proposal being assembled.

    Model decisions, teams and new projects are merged by their name (a later option refines an
    earlier one; a key set to null removes it); pins, moves and merges are added.
    """
    for key, value in fragment.items():
        if key in _KEYED_LISTS:
            name = _KEYED_LISTS[key]
            entries = proposal.setdefault(key, [])
            for item in value:
                existing = next((e for e in entries if e[name] == item[name]), None)
                if existing is None:
                    entries.append({k: copy.deepcopy(v) for k, v in item.items() if v is not None})
                    continue
                for k, v in item.items():
                    if v is None:
                        existing.pop(k, None)
                    elif k == "models" and isinstance(v, list):
                        existing[k] = existing.get(k, []) + [
                            m for m in v if m not in existing.get(k, [])
                        ]
                    else:
                        existing[k] = copy.deepcopy(v)
        elif isinstance(value, list):
            entries = proposal.setdefault(key, [])
            entries += [copy.deepcopy(v) for v in value if v not in entries]
        else:
            proposal[key] = copy.deepcopy(value)


def scenarios_dir() -> Path:
    return kit_root() / "scenarios"


def load_scenario(scenario_id: str) -> Scenario:
    path = scenarios_dir() / f"{scenario_id}.yml"
    if not path.is_file():
        known = ", ".join(s.id for s in list_scenarios()) or "none"
        raise ScenarioError(
            f"There is no scenario `{scenario_id}` (no file `{path}`).",
            f"Scenarios in this kit: {known}.",
        )
    return _load(path, path.stat().st_mtime_ns)


@cache
def _load(path: Path, _mtime: int) -> Scenario:
    scenario = load_yaml_model(
        path, Scenario, ScenarioError, "scenario", MAX_SCENARIO_BYTES, "Fix the scenario file."
    )
    if scenario.id != path.stem:
        raise ScenarioError(
            f"`{path}`, key `id`: `{scenario.id}` differs from the file's name.",
            f"Name the file `{scenario.id}.yml` or set `id: {path.stem}`.",
        )
    return scenario


def list_scenarios() -> list[Scenario]:
    paths = sorted(p for p in scenarios_dir().glob("*.yml") if p.name != "logic_changes.yml")
    return sorted((load_scenario(p.stem) for p in paths), key=lambda s: s.number)


def added_models_for(scenario_id: str) -> tuple[AddedModel, ...]:
    """The models a scenario adds to every sandbox made for it (none for unknown ids)."""
    path = scenarios_dir() / f"{scenario_id}.yml"
    return tuple(load_scenario(scenario_id).fault.add_models) if path.is_file() else ()
