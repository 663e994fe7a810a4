"""Apply a group's proposal to a sandbox copy of the mesh.

The committed mesh is never touched. The sandbox is rebuilt from scratch on every apply, so the
proposal file is the one source of truth: applying it again (after a crash, a reset, on another
laptop) gives the same folder. The new sandbox is written beside the old one and swapped in only
when complete, so a failed apply leaves the previous sandbox as it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import KitError
from ..mesh.graph import ProjectCycleError
from ..mesh.layout import read_mesh
from ..split.engine import split_legacy_project, swap_in
from ..split.plan import PlanError, ProjectPlan, Selector, SplitPlan, Team
from ..split.writer import write_yaml
from .baseline import Baseline
from .inject import add_models
from .logic import LogicChange
from .model import ModelDecision, Proposal
from .validate import ProposalError


@dataclass(frozen=True)
class ApplyResult:
    sandbox: Path
    proposal: Proposal
    changes: tuple[str, ...]

    def summary(self) -> str:
        lines = [
            f"Applied `{self.proposal.group}`'s proposal for `{self.proposal.scenario}` to `{self.sandbox}`:"
        ]
        lines += [f"- {change}" for change in self.changes] or [
            "- no changes: the sandbox equals the baseline mesh"
        ]
        return "\n".join(lines)


def check_graph(mesh: Path) -> None:
    """Refuse a sandbox whose projects would read each other, before it replaces the last one.

    The moves are checked while the plan is split; this also covers what is added afterwards
    (a scenario's new models, pins), so a refused proposal never leaves a written sandbox."""
    try:
        read_mesh(mesh)
    except KitError as exc:
        reason = exc.message.replace(f"`{mesh}`", "the proposed mesh")
        raise ProposalError(reason, exc.hint, getattr(exc, "circle", ())) from None


def apply_to_sandbox(
    proposal: Proposal,
    proposal_text: str,
    baseline: Baseline,
    logic: dict[str, LogicChange],
    out: Path,
    plan: SplitPlan,  # the plan the baseline was split by, re-split for moves and merges
    added_models=(),  # a scenario's new models (`scenario.AddedModel`), written before decisions
) -> ApplyResult:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    changes: list[str] = []
    try:
        mesh = staging / "mesh"
        if proposal.moves or proposal.new_projects or proposal.merges:
            _split(_restructured_plan(plan, proposal, baseline, changes), mesh)
        else:
            shutil.copytree(
                baseline.mesh_dir,
                mesh,
                # Build output, and what `dbt deps` leaves when someone ran it by hand: the kit
                # installs the shared package for every run (`mesh_workshop.dbt.packages`).
                ignore=shutil.ignore_patterns(
                    "target", "logs", "*.duckdb", ".user.yml", "dbt_packages", "package-lock.yml"
                ),
            )
        add_models(mesh, added_models, changes)
        editor = _Editor(mesh)
        for team in proposal.teams:
            changes.append(f"team `{team.name}` owned by {team.owner.name} <{team.owner.email}>")
        for decision in proposal.models:
            _apply_decision(editor, decision, proposal, baseline, logic, changes)
        for pin in proposal.pins:
            editor.pin(pin.consumer, pin.model, pin.version)
            changes.append(f"`{pin.consumer}` pins `{pin.model}` to version {pin.version}")
        editor.save()
        check_graph(mesh)
        (mesh / "proposal.yml").write_text(proposal_text)
        (mesh / "CHANGES.md").write_text(
            f"# Changes applied from `{proposal.group}`'s proposal ({proposal.scenario})\n\n"
            + "\n".join(f"- {c}" for c in changes)
            + "\n"
        )
        swap_in(mesh, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ApplyResult(out, proposal, tuple(changes))


_PLAN_NAME = "the restructured plan"


def _split(plan: SplitPlan, mesh: Path) -> None:
    """Split the legacy project again by a plan that carries a proposal's moves and merges."""
    try:
        split_legacy_project(plan, mesh, _PLAN_NAME)
    except (PlanError, ProjectCycleError) as exc:
        # The plan is the kit's own: the proposal's file name is added by the caller.
        reason = exc.message.replace(f"`{_PLAN_NAME}`: ", "")
        raise ProposalError(
            f"the moves, new projects and merges cannot be carried out. {reason}",
            exc.hint,
            getattr(exc, "circle", ()),
        ) from None


def _restructured_plan(
    plan: SplitPlan, proposal: Proposal, baseline: Baseline, changes: list[str]
) -> SplitPlan:
    projects = {p.name: [*p.models] for p in plan.projects}
    teams = {p.name: p.team for p in plan.projects}
    descriptions = {p.name: p.description for p in plan.projects}

    def claim(model: str, project: str, reason: str) -> None:
        for selectors in projects.values():
            selectors[:] = [s for s in selectors if not (s.kind == "name" and s.value == model)]
        projects[project].append(Selector(name=model, reason=reason))

    for new in proposal.new_projects:
        projects[new.name] = []
        teams[new.name] = Team(
            group=new.team.name, owner={"name": new.team.owner.name, "email": new.team.owner.email}
        )
        descriptions[new.name] = new.description
        for ref in new.models:
            claim(ref.split(".")[1], new.name, new.rationale)
        changes.append(f"new project `{new.name}` takes {len(new.models)} model(s)")
    for move in proposal.moves:
        claim(move.model.split(".")[1], move.to, move.rationale)
        changes.append(f"`{move.model}` moves to `{move.to}`")
    for merge in proposal.merges:
        projects[merge.into].extend(projects.pop(merge.project))
        changes.append(f"`{merge.project}` is merged into `{merge.into}`")
    return SplitPlan(
        version=1,
        hub=plan.hub,
        policy=plan.policy,
        projects=[
            ProjectPlan(name=n, description=descriptions[n], team=teams[n], models=s)
            for n, s in projects.items()
            if s
        ],
    )


def _apply_decision(
    editor: _Editor, d: ModelDecision, proposal: Proposal, baseline: Baseline, logic, changes
) -> None:
    project = editor.project_of(d.name)
    entry = editor.entry(d.name)
    config = entry.setdefault("config", {})
    if d.access:
        config["access"] = d.access
        changes.append(f"`{d.model}` is {d.access}")
    if d.group:
        config["group"] = d.group
        team = next((t for t in proposal.teams if t.name == d.group), None)
        definition = (
            {"name": team.name, "owner": {"name": team.owner.name, "email": team.owner.email}}
            if team
            else baseline.groups[d.group]
        )
        editor.define_group(project, definition)
        changes.append(f"`{d.model}` belongs to team `{d.group}`")
    if d.logic_change:
        change = logic[d.logic_change]
        path = editor.sql_path(d.name)
        path.write_text(change.apply_to_sql(path.read_text(), str(path.relative_to(editor.root))))
        _set_accepted_values(entry.get("columns", []), change.accepted_values)
        for unit_test in editor.unit_tests(d.name):
            change.update_unit_test(unit_test)
        changes.append(f"`{d.model}`: {change.title.lower()} (in place, no new version)")
    if d.contract:
        built = baseline.column_types(baseline.owner[d.name], d.name)
        entry["columns"] = _contract_columns(entry.get("columns", []), built, d)
        config["contract"] = {"enforced": d.contract.enforced}
        changes.append(f"`{d.model}` has an enforced contract on {len(built)} columns")
    if d.new_versions:
        _add_versions(editor, entry, d, logic, changes)
    if d.deprecation_date and not entry.get("versions"):
        entry["deprecation_date"] = d.deprecation_date.isoformat()
        changes.append(f"`{d.model}` is deprecated from {d.deprecation_date}")


def _contract_columns(
    documented: list[dict], built: list[tuple[str, str]], d: ModelDecision
) -> list[dict]:
    from .check_expression import canonical_check, contract_column_types

    by_name = {c["name"]: c for c in documented}
    wanted = {c.name: c for c in d.contract.columns}
    # dbt pastes a check's expression into SQL as it is, so the kit writes its own rendering of
    # the condition it read, never the group's text.
    types = contract_column_types(built, d.contract.columns)
    columns = []
    for name, data_type in built:
        column = dict(by_name.get(name, {"name": name, "description": ""}))
        choice = wanted.get(name)
        column["data_type"] = choice.data_type if choice and choice.data_type else data_type
        if choice and choice.constraints:
            column["constraints"] = [
                {"type": c}
                if isinstance(c, str)
                else {"type": "check", "expression": canonical_check(c.expression, types)}
                for c in choice.constraints
            ]
        columns.append(column)
    return columns


def _set_accepted_values(columns: list[dict], values: dict[str, list[str]]) -> None:
    for column in columns:
        if column["name"] not in values:
            continue
        for test in column.get("data_tests", []):
            if isinstance(test, dict) and "accepted_values" in test:
                spec = test["accepted_values"]
                (
                    spec.setdefault("arguments", {})
                    if "arguments" in spec or "values" not in spec
                    else spec
                )["values"] = list(values[column["name"]])


def _add_versions(editor: _Editor, entry: dict, d: ModelDecision, logic, changes) -> None:
    base_sql = editor.sql_path(d.name)
    versions = [{"v": 1, "defined_in": d.name}]
    for new in d.new_versions:
        sql = base_sql.read_text()
        if new.logic_change:
            sql = logic[new.logic_change].apply_to_sql(sql, str(base_sql.relative_to(editor.root)))
        if new.exclude_columns or new.rename_columns:
            exclude = f" exclude ({', '.join(new.exclude_columns)})" if new.exclude_columns else ""
            rename = (
                f" rename ({', '.join(f'{a} as {b}' for a, b in new.rename_columns.items())})"
                if new.rename_columns
                else ""
            )
            sql = f"-- Version {new.version} of {d.name}.\nselect *{exclude}{rename} from (\n{sql.rstrip()}\n) as previous_version\n"
        (base_sql.parent / f"{d.name}_v{new.version}.sql").write_text(sql)
        spec: dict = {"v": new.version}
        dropped = [*new.exclude_columns, *new.rename_columns]
        overrides = _renamed_columns(entry.get("columns", []), new.rename_columns)
        if new.logic_change and logic[new.logic_change].accepted_values:
            changed = [
                dict(c)
                for c in entry.get("columns", [])
                if c["name"] in logic[new.logic_change].accepted_values and c["name"] not in dropped
            ]
            for column in changed:
                column["data_tests"] = [
                    dict(t) if isinstance(t, dict) else t for t in column.get("data_tests", [])
                ]
                _set_accepted_values([column], logic[new.logic_change].accepted_values)
            dropped += [c["name"] for c in changed]
            overrides += changed
        if dropped or overrides:
            spec["columns"] = (
                [{"include": "all", "exclude": dropped}, *overrides] if dropped else overrides
            )
        versions.append(spec)
        what = [f"without {', '.join(new.exclude_columns)}"] if new.exclude_columns else []
        what += [f"renaming {a} to {b}" for a, b in new.rename_columns.items()]
        what += [logic[new.logic_change].title.lower()] if new.logic_change else []
        changes.append(
            f"`{d.model}` version {new.version}: {'; '.join(what) or 'same as version 1'}"
        )
    if d.deprecate_version:
        next(v for v in versions if v["v"] == d.deprecate_version)["deprecation_date"] = (
            d.deprecation_date.isoformat()
        )
        changes.append(
            f"`{d.model}` version {d.deprecate_version} is deprecated from {d.deprecation_date}"
        )
    entry["versions"] = versions
    if d.new_versions:
        # The model's unit tests describe version 1; keep them on version 1.
        for unit_test in editor.unit_tests(d.name):
            unit_test["versions"] = {"include": [1]}
    if d.latest_version:
        entry["latest_version"] = d.latest_version
        changes.append(f"`{d.model}` latest version is {d.latest_version}")


def _renamed_columns(columns: list[dict], renames: dict[str, str]) -> list[dict]:
    by_name = {c["name"]: c for c in columns}
    return [{**by_name.get(old, {}), "name": new} for old, new in renames.items()]


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Editor:
    """Edits the sandbox's YAML and SQL files; YAML files are written once, at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[Path, dict] = {}
        self._dirty: set[Path] = set()
        self._where: dict[str, Path] = {}
        self._project: dict[str, str] = {}
        for project_dir in sorted(p for p in root.iterdir() if (p / "dbt_project.yml").is_file()):
            for path in sorted((project_dir / "models").rglob("*.yml")):
                # The kit's own files, read on every check: libyaml's safe loader when present.
                data = yaml.load(path.read_text(), Loader=_FAST_LOADER) or {}
                for model in data.get("models", []) or []:
                    self._where[model["name"]] = path
                    self._project[model["name"]] = project_dir.name
                self._files[path] = data

    def unit_tests(self, model: str) -> list[dict]:
        found = []
        for path, data in self._files.items():
            tests = [t for t in data.get("unit_tests", []) or [] if t.get("model") == model]
            if tests:
                self._dirty.add(path)
                found += tests
        return found

    def project_of(self, model: str) -> str:
        return self._project[model]

    def entry(self, model: str) -> dict:
        self._dirty.add(self._where[model])
        data = self._files[self._where[model]]
        return next(m for m in data["models"] if m["name"] == model)

    def sql_path(self, model: str) -> Path:
        return next((self.root / self._project[model] / "models").rglob(f"{model}.sql"))

    def define_group(self, project: str, definition: dict) -> None:
        path = self.root / project / "models" / "_groups.yml"
        data = self._files.setdefault(
            path,
            yaml.safe_load(path.read_text()) if path.is_file() else {"version": 2, "groups": []},
        )
        self._dirty.add(path)
        groups = [g for g in data.get("groups", []) if g["name"] != definition["name"]]
        data["groups"] = [*groups, definition]

    def pin(self, consumer: str, model_ref: str, version: int) -> None:
        producer, model = model_ref.split(".")
        project, _, only = consumer.partition(".")
        pattern = re.compile(
            r"ref\(\s*(?:['\"]"
            + producer
            + r"['\"]\s*,\s*)?['\"]"
            + model
            + r"['\"]\s*(?:,\s*v(?:ersion)?\s*=\s*\d+\s*)?\)"
        )
        # A pin for a whole project covers its singular tests too: they read the model as well.
        folders = ["models"] if only else ["models", "tests"]
        files = sorted(
            path
            for folder in folders
            for path in (self.root / project / folder).rglob(f"{only}.sql" if only else "*.sql")
        )
        for path in files:
            text = path.read_text()
            two_arg = project != producer
            target = (
                f"ref('{producer}', '{model}', v={version})"
                if two_arg
                else f"ref('{model}', v={version})"
            )
            new = pattern.sub(target, text)
            if new != text:
                path.write_text(new)

    def save(self) -> None:
        for path in sorted(self._dirty):
            write_yaml(path, self._files[path])
