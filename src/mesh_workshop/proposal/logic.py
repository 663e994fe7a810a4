"""Named logic changes that scenarios offer (scenarios/logic_changes.yml)."""

from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from ..errors import KitError
from ..paths import kit_root
from ..yaml_input import load_yaml_model
from .model import Identifier, ModelRef


class Replacement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    find: str = Field(min_length=1)
    with_: str = Field(alias="with")


class RowUpdate(BaseModel):
    """In a unit test's expected rows, the row matching `match` gets the values in `set`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    match: dict[str, str | int | bool]
    set_: dict[str, str | int | bool | None] = Field(alias="set")


class LogicChange(BaseModel):
    """One named change: which model, what it means, and the SQL edits that make it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: ModelRef
    title: str
    story: str = ""
    replace: list[Replacement] = Field(min_length=1)
    accepted_values: dict[Identifier, list[str]] = Field(default_factory=dict)
    unit_test_updates: dict[Identifier, list[RowUpdate]] = Field(default_factory=dict)

    def update_unit_test(self, unit_test: dict) -> None:
        """Change the expected rows of one of the model's unit tests to the new logic."""
        for update in self.unit_test_updates.get(unit_test.get("name", ""), []):
            for row in unit_test.get("expect", {}).get("rows", []):
                if all(row.get(k) == v for k, v in update.match.items()):
                    row.update(update.set_)

    def apply_to_sql(self, sql: str, where: str) -> str:
        for edit in self.replace:
            if edit.find not in sql:
                raise KitError(
                    f"The logic change for `{self.model}` no longer fits `{where}`: its SQL does not "
                    f"contain `{edit.find[:60]}...`.",
                    "The model was edited by hand; apply the change by hand too, or start from a fresh sandbox.",
                )
            sql = sql.replace(edit.find, edit.with_)
        return sql


class LogicChanges(RootModel[dict[Identifier, LogicChange]]):
    pass


def logic_changes_file() -> Path:
    return kit_root() / "scenarios" / "logic_changes.yml"


def load_logic_changes(path: Path | None = None) -> dict[str, LogicChange]:
    path = path or logic_changes_file()
    loaded = load_yaml_model(
        path,
        LogicChanges,
        KitError,
        "list of logic changes",
        256 * 1024,
        "Fix that entry in the file.",
    )
    return dict(loaded.root)


def suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"Did you mean `{close[0]}`? " if close else ""
