"""Check a proposal against the baseline mesh: every name it uses must exist."""

from __future__ import annotations

import difflib
from pathlib import Path

import duckdb

from ..errors import KitError
from ..yaml_input import load_yaml_model, model_from_data
from .baseline import Baseline
from .check_expression import CheckExpressionError, canonical_check, contract_column_types
from .logic import LogicChange
from .model import CheckConstraint, Proposal


class ProposalError(KitError):
    """The proposal cannot be applied as written. Nothing was written. `circle`: when projects
    would read each other, the refs that close the circle (`mesh.graph.Boundary`)."""

    def __init__(self, message: str, hint: str = "", circle: tuple = ()) -> None:
        super().__init__(message, hint)
        self.circle = circle


FIX = "Fix that entry in the proposal and apply it again; nothing was written."
MAX_PROPOSAL_BYTES = 64 * 1024


def load_proposal(path: Path) -> Proposal:
    """A proposal file read and checked for shape, or a `ProposalError` that names the file, the
    key and the fix. (`validate` then checks it against the mesh.)"""
    return load_yaml_model(path, Proposal, ProposalError, "proposal", MAX_PROPOSAL_BYTES, FIX)


def proposal_from_data(data: object, path: Path | str) -> Proposal:
    """A proposal built in memory (by a scenario's form) and saved at `path`, checked for shape
    with the same messages as a file."""
    return model_from_data(data, path, Proposal, ProposalError, FIX)


def _did_you_mean(value: str, known) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f"Did you mean `{close[0]}`?" if close else ""


def validate(
    proposal: Proposal, baseline: Baseline, logic: dict[str, LogicChange], file: str
) -> None:
    """Raise `ProposalError` naming file, key and fix for the first name that does not exist."""
    projects = set(baseline.projects()) | {p.name for p in proposal.new_projects}
    groups = set(baseline.groups) | {t.name for t in proposal.teams}

    def fail(key: str, problem: str, fix: str) -> None:
        raise ProposalError(f"`{file}`, key `{key}`: {problem}", fix)

    def check_model(key: str, ref: str) -> None:
        project, model = ref.split(".")
        if model not in baseline.owner:
            fail(
                key,
                f"the mesh has no model `{model}`.",
                _did_you_mean(model, baseline.owner)
                or "Check the model's name in the lineage picture.",
            )
        if project not in projects:
            fail(
                key,
                f"the mesh has no project `{project}`.",
                _did_you_mean(project, projects) or f"Projects: {', '.join(sorted(projects))}.",
            )
        if baseline.owner[model] != project and not _moved_to(proposal, model, project):
            fail(
                key,
                f"`{model}` lives in `{baseline.owner[model]}`, not in `{project}`.",
                f"Write `{baseline.owner[model]}.{model}`.",
            )

    for decision in proposal.models:
        key = f"models[{decision.model}]"
        check_model(f"{key}.model", decision.model)
        if decision.group and decision.group not in groups:
            fail(
                f"{key}.group",
                f"there is no team (dbt group) `{decision.group}`.",
                _did_you_mean(decision.group, groups) or "Define it under `teams:` first.",
            )
        if (
            decision.access == "private"
            and not decision.group
            and decision.name not in baseline.owner
        ):
            fail(f"{key}.access", "a private model needs a group.", "Add `group:`.")
        if decision.contract and decision.contract.columns:
            built_names = [
                name
                for name, _ in baseline.column_types(baseline.owner[decision.name], decision.name)
            ]
            for column in decision.contract.columns:
                if column.name not in built_names:
                    fail(
                        f"{key}.contract.columns[{column.name}].name",
                        f"`{decision.name}` has no column `{column.name}`, so the contract "
                        "cannot promise it.",
                        _did_you_mean(column.name, built_names)
                        or f"Its columns: {', '.join(built_names)}.",
                    )
        for column in decision.contract.columns if decision.contract else []:
            if column.data_type:
                where = f"{key}.contract.columns[{column.name}].data_type"
                _check_type(
                    column.data_type, lambda problem, fix, where=where: fail(where, problem, fix)
                )
        # A check's condition becomes SQL: read it against the columns the contract will have.
        checks = [
            (column.name, i, c)
            for column in (decision.contract.columns if decision.contract else [])
            for i, c in enumerate(column.constraints)
            if isinstance(c, CheckConstraint)
        ]
        if checks:
            built = baseline.column_types(baseline.owner[decision.name], decision.name)
            columns = contract_column_types(built, decision.contract.columns)
        for name, i, constraint in checks:
            try:
                canonical_check(constraint.expression, columns)
            except CheckExpressionError as exc:
                fail(
                    f"{key}.contract.columns[{name}].constraints[{i}].expression",
                    exc.message,
                    exc.hint,
                )
        names = [decision.logic_change] + [v.logic_change for v in decision.new_versions]
        for name in filter(None, names):
            if name not in logic:
                fail(
                    f"{key}.logic_change",
                    f"there is no logic change `{name}`.",
                    _did_you_mean(name, logic) or f"Known changes: {', '.join(sorted(logic))}.",
                )
            if logic[name].model.split(".")[1] != decision.name:
                fail(
                    f"{key}.logic_change",
                    f"`{name}` changes `{logic[name].model}`, not `{decision.model}`.",
                    "Put it on that model's entry.",
                )
    for i, pin in enumerate(proposal.pins):
        key = f"pins[{i}]"
        check_model(f"{key}.model", pin.model)
        consumer_project = pin.consumer.split(".")[0]
        if consumer_project not in projects:
            fail(
                f"{key}.consumer",
                f"the mesh has no project `{consumer_project}`.",
                _did_you_mean(consumer_project, projects),
            )
        if "." in pin.consumer:
            check_model(f"{key}.consumer", pin.consumer)
        versions = {1} | {
            v.version
            for d in proposal.models
            if d.model.split(".")[1] == pin.model.split(".")[1]
            for v in d.new_versions
        }
        if pin.version not in versions:
            fail(
                f"{key}.version",
                f"`{pin.model}` has no version {pin.version} (it has {', '.join(map(str, sorted(versions)))}).",
                "Pin a version that exists, or add it under the model's `new_versions`.",
            )
    for i, move in enumerate(proposal.moves):
        check_model(f"moves[{i}].model", move.model)
        if move.to not in projects:
            fail(
                f"moves[{i}].to",
                f"the mesh has no project `{move.to}`.",
                _did_you_mean(move.to, projects) or "Create it under `new_projects:`.",
            )
    for new in proposal.new_projects:
        if new.name in baseline.projects():
            fail(
                f"new_projects[{new.name}].name",
                f"`{new.name}` already exists.",
                "Choose another name, or use `moves:` to give it models.",
            )
        for ref in new.models:
            check_model(f"new_projects[{new.name}].models", ref)
    for i, merge in enumerate(proposal.merges):
        for field in ("project", "into"):
            name = getattr(merge, field)
            if name not in projects:
                fail(
                    f"merges[{i}].{field}",
                    f"the mesh has no project `{name}`.",
                    _did_you_mean(name, projects),
                )
        if merge.project == baseline.hub:
            fail(
                f"merges[{i}].project",
                f"the hub `{baseline.hub}` cannot be merged into a spoke.",
                "Merge the spoke into the hub instead.",
            )


def _moved_to(proposal: Proposal, model: str, project: str) -> bool:
    return any(m.model.split(".")[1] == model and m.to == project for m in proposal.moves) or any(
        n.name == project and any(r.split(".")[1] == model for r in n.models)
        for n in proposal.new_projects
    )


def _check_type(data_type: str, fail) -> None:
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?", data_type.lower()):
        fail(
            f"`{data_type}` is not a data type.",
            "Use a DuckDB type such as `varchar`, `integer`, `date` or `decimal(14, 2)`.",
        )
    try:
        duckdb.connect().execute(f"select cast(null as {data_type})")
    except duckdb.Error as exc:
        hint = str(exc).split("Did you mean", 1)
        fix = (
            f"Did you mean{hint[1].strip()}"
            if len(hint) > 1
            else "Use a DuckDB type such as `varchar`, `integer`, `date` or `decimal(14, 2)`."
        )
        fail(f"DuckDB has no data type `{data_type}`.", fix.replace('"', "`"))
