"""The split plan: which project owns which models, and which team owns each project.

A plan is a YAML file validated strictly (unknown keys are errors). Example:

    version: 1
    hub: data_platform
    projects:
      - name: data_platform
        description: Shared core data sets.
        team: {group: data_platform_team, owner: {name: Ada Okafor, email: ada@rainbowroad.example}}
        models:
          - folder: staging
          - name: int_intakes_enriched
            reason: Read by two spokes, so it lives in the hub.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ..errors import KitError
from ..yaml_input import load_yaml_model

MAX_PLAN_BYTES = 256 * 1024
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


class PlanError(KitError):
    """The split plan cannot be used as written."""


def _identifier(value: str) -> str:
    if not IDENTIFIER.match(value):
        raise ValueError(
            f"`{value}` is not a plain identifier: use lower-case letters, digits and underscores, "
            "starting with a letter (for example `finance_marketing`)"
        )
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Owner(_Strict):
    """The person who answers for a team's models."""

    name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Team(_Strict):
    """The dbt group that owns every model of a project."""

    group: Identifier
    owner: Owner
    description: str = ""


class Selector(_Strict):
    """Picks models by exact `name`, by `folder` under models/, or by `tag`. Exactly one of them."""

    name: Identifier | None = None
    folder: str | None = Field(default=None, pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
    tag: Identifier | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _exactly_one(self) -> Selector:
        given = [k for k in ("name", "folder", "tag") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `name`, `folder` or `tag` in each models entry")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("name", "folder", "tag") if getattr(self, k) is not None)

    @property
    def value(self) -> str:
        return getattr(self, self.kind)

    def label(self) -> str:
        return f"{self.kind} `{self.value}`"


class ProjectPlan(_Strict):
    """One dbt project of the mesh."""

    name: Identifier
    description: str = ""
    team: Team
    models: list[Selector] = Field(min_length=1)


class SplitPlan(_Strict):
    """A whole mesh: the hub, the projects, and the rule for who may read whom."""

    version: Literal[1]
    hub: Identifier
    policy: Literal["hub_and_spoke", "any"] = "hub_and_spoke"
    projects: list[ProjectPlan] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> SplitPlan:
        names = [p.name for p in self.projects]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"project names must be unique; repeated: {', '.join(duplicates)}")
        if self.hub not in names:
            close = difflib.get_close_matches(self.hub, names, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            raise ValueError(
                f"`hub: {self.hub}` names no project in `projects` ({', '.join(names)}){hint}"
            )
        groups = [p.team.group for p in self.projects]
        repeated = sorted({g for g in groups if groups.count(g) > 1})
        if repeated:
            raise ValueError(
                f"each project needs its own team group; repeated: {', '.join(repeated)}"
            )
        return self

    def project(self, name: str) -> ProjectPlan:
        return next(p for p in self.projects if p.name == name)


def load_plan(path: Path) -> SplitPlan:
    """Read and validate a plan file; every problem becomes a `PlanError` naming file and key."""
    return load_yaml_model(
        path,
        SplitPlan,
        PlanError,
        "split plan",
        MAX_PLAN_BYTES,
        "Fix that entry and run the split again; nothing was written.",
    )
