"""The proposal file: a group's decisions about the mesh, validated strictly.

Every free-text field is plain text: Jinja braces are refused so dbt never renders what a group
typed. Names are plain identifiers, so nothing a group types can become a path or a quote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

PROPOSAL_VERSION = 1
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
MODEL_REF = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
JINJA = re.compile(r"\{\{|\{%|\{#|%\}|#\}|\}\}")


def _identifier(value: str) -> str:
    if not IDENTIFIER.match(value):
        raise ValueError(
            f"`{value}` is not a plain identifier: use lower-case letters, digits and underscores, "
            "starting with a letter"
        )
    return value


def _model_ref(value: str) -> str:
    if not MODEL_REF.match(value):
        raise ValueError(
            f"`{value}` is not a model reference: write `project.model`, for example "
            "`data_platform.fct_animal_outcomes`"
        )
    return value


def _plain_text(value: str) -> str:
    if JINJA.search(value):
        raise ValueError(
            "free text may not contain `{{`, `}}`, `{%` or `{#`: dbt would try to run it as code. "
            "Reword it without curly braces"
        )
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
ModelRef = Annotated[str, AfterValidator(_model_ref)]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_plain_text)]
Rationale = Annotated[str, Field(default="", max_length=2000), AfterValidator(_plain_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Owner(_Strict):
    """The person who answers for a team's models."""

    name: Text = Field(min_length=1)
    email: str = Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", max_length=200)


class Team(_Strict):
    """A dbt group: the team that owns some models, with its owner."""

    name: Identifier
    owner: Owner
    rationale: Rationale = ""


class CheckConstraint(_Strict):
    """A `check` constraint with its SQL condition, e.g. `days_in_care >= 0`."""

    type: Literal["check"]
    expression: Text = Field(min_length=1)


Constraint = Literal["not_null", "unique", "primary_key"] | CheckConstraint


class ContractColumn(_Strict):
    """A column of a contracted model: its type (else the built type) and constraints."""

    name: Identifier
    data_type: str | None = Field(default=None, max_length=60)
    constraints: list[Constraint] = Field(default_factory=list, max_length=10)


class Contract(_Strict):
    """Enforce the model's column names and types; optional types and constraints per column."""

    enforced: bool = True
    columns: list[ContractColumn] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _unique_columns(self) -> Contract:
        names = [c.name for c in self.columns]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"each column appears once; repeated: {', '.join(repeated)}")
        return self


class NewVersion(_Strict):
    """A new version of the model, defined from the previous one."""

    version: int = Field(ge=2, le=99)
    exclude_columns: list[Identifier] = Field(default_factory=list, max_length=50)
    rename_columns: dict[Identifier, Identifier] = Field(default_factory=dict, max_length=50)
    logic_change: Identifier | None = None


class ModelDecision(_Strict):
    """What the group decided about one model."""

    model: ModelRef
    access: Literal["private", "protected", "public"] | None = None
    group: Identifier | None = None
    contract: Contract | None = None
    logic_change: Identifier | None = None
    new_versions: list[NewVersion] = Field(default_factory=list, max_length=5)
    latest_version: int | None = Field(default=None, ge=1, le=99)
    deprecation_date: dt.date | None = None
    deprecate_version: int | None = Field(default=None, ge=1, le=99)
    rationale: Rationale = ""

    @model_validator(mode="after")
    def _versions(self) -> ModelDecision:
        numbers = [v.version for v in self.new_versions]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(
                f"version {repeated[0]} is defined twice; give each new version its own number"
            )
        known = {1, *numbers}
        if self.latest_version is not None and self.latest_version not in known:
            raise ValueError(
                f"`latest_version: {self.latest_version}` names a version that does not exist "
                f"(versions: {', '.join(map(str, sorted(known)))})"
            )
        if self.deprecate_version is not None and self.deprecate_version not in known:
            raise ValueError(
                f"`deprecate_version: {self.deprecate_version}` names a version that does not exist"
            )
        if self.deprecate_version is not None and self.deprecation_date is None:
            raise ValueError("`deprecate_version` needs a `deprecation_date`")
        if self.logic_change and self.new_versions:
            raise ValueError(
                "put `logic_change` on the new version (it changes that version only), "
                "or drop the new version to change the model in place"
            )
        return self

    @property
    def project(self) -> str:
        return self.model.split(".")[0]

    @property
    def name(self) -> str:
        return self.model.split(".")[1]


class Pin(_Strict):
    """A consumer keeps reading one version of a model."""

    consumer: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
    model: ModelRef
    version: int = Field(ge=1, le=99)
    rationale: Rationale = ""


class Move(_Strict):
    """Move a model (with its docs and tests) to another project."""

    model: ModelRef
    to: Identifier
    rationale: Rationale = ""


class NewProject(_Strict):
    """Split a new project off, taking the listed models."""

    name: Identifier
    team: Team
    description: Text = ""
    models: list[ModelRef] = Field(min_length=1, max_length=200)
    rationale: Rationale = ""


class Merge(_Strict):
    """Fold one project into another."""

    project: Identifier
    into: Identifier
    rationale: Rationale = ""


class Proposal(_Strict):
    """A group's governance decisions for one scenario (proposal format version 1)."""

    version: Literal[1]
    group: Text = Field(min_length=1, max_length=80)
    scenario: Identifier
    summary: Rationale = ""
    teams: list[Team] = Field(default_factory=list, max_length=20)
    models: list[ModelDecision] = Field(default_factory=list, max_length=200)
    pins: list[Pin] = Field(default_factory=list, max_length=200)
    moves: list[Move] = Field(default_factory=list, max_length=200)
    new_projects: list[NewProject] = Field(default_factory=list, max_length=5)
    merges: list[Merge] = Field(default_factory=list, max_length=5)

    @model_validator(mode="after")
    def _unique(self) -> Proposal:
        for label, names in (
            ("team", [t.name for t in self.teams]),
            ("model decision", [m.model for m in self.models]),
            ("new project", [p.name for p in self.new_projects]),
        ):
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(
                    f"each {label} appears once; `{repeated[0]}` appears twice (merge the entries)"
                )
        return self
