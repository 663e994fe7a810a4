"""Facade for proposals: load, apply to a sandbox, check with real dbt. The CLI and widgets call this."""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from pathlib import Path

import yaml

from ..dbt.runner import run_dbt
from ..errors import KitError
from ..mesh import committed as mesh
from ..mesh.build import Runner
from ..mesh.graph import ProjectCycleError
from ..scenario.model import added_models_for
from ..split.plan import PlanError
from ..verdict.check import CheckResult, check_mesh
from ..workshop.folders import group_slug
from ..yaml_input import load_yaml_model
from .apply import MAX_PROPOSAL_BYTES, ApplyResult, apply_to_sandbox
from .baseline import Baseline
from .logic import load_logic_changes
from .model import Proposal
from .validate import ProposalError, validate

FIX = "Fix that entry in the proposal and apply it again; nothing was written."


def load_proposal(path: Path) -> Proposal:
    """A validated proposal, or a `ProposalError` that names the file, the key and the fix."""
    return load_yaml_model(path, Proposal, ProposalError, "proposal", MAX_PROPOSAL_BYTES, FIX)


def default_sandbox(proposal: Proposal) -> Path:
    return mesh.sandboxes_dir() / group_slug(proposal.group) / proposal.scenario / "mesh"


def baseline() -> Baseline:
    """The committed mesh, built (incrementally: instant when nothing changed).

    Every group's check starts here, so the build is done by one process at a time; the others
    wait for it and then find it up to date."""
    lock_path = mesh.work_root() / ".baseline.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = mesh.build()
    if not built.ok:
        raise KitError(
            "The baseline mesh does not build, so proposals cannot be checked against it.",
            built.table(),
        )
    return Baseline.read(mesh.default_mesh_dir(), mesh.work_root())


def apply_proposal(path: Path, out: Path | None = None) -> ApplyResult:
    """Apply the proposal in `path` to a sandbox (default: the workspace's folder for its group)."""
    proposal = load_proposal(path)
    base = baseline()
    logic = load_logic_changes()
    validate(proposal, base, logic, str(path))
    target = out or default_sandbox(proposal)

    def split_into(plan, destination: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            plan_path = Path(tmp) / "plan.yml"
            plan_path.write_text(
                yaml.safe_dump(plan.model_dump(exclude_defaults=True), sort_keys=False)
            )
            try:
                mesh.split(plan_path, destination)
            except (PlanError, ProjectCycleError) as exc:
                # The plan is the kit's own temporary file: name the proposal instead.
                reason = exc.message.replace(f"`{plan_path}`: ", "")
                raise ProposalError(
                    f"`{path}`: the moves, new projects and merges cannot be carried out. {reason}",
                    exc.hint,
                ) from None

    try:
        return apply_to_sandbox(
            proposal,
            path.read_text(),
            base,
            logic,
            target,
            split_into,
            mesh.default_plan(),
            added_models_for(proposal.scenario),
        )
    except ProposalError as exc:
        if exc.message.startswith(f"`{path}`"):
            raise
        raise ProposalError(f"`{path}`: {exc.message}", exc.hint or FIX) from None


def reset_sandbox(sandbox: Path) -> None:
    """Remove a sandbox and its build; the group's saved proposal elsewhere is untouched."""
    shutil.rmtree(sandbox, ignore_errors=True)
    shutil.rmtree(mesh.work_root(sandbox), ignore_errors=True)


def check(
    target: Path,
    out: Path | None = None,
    strict_deprecations: bool = False,
    full: bool = False,
    on_progress=None,
    runner: Runner = run_dbt,
) -> CheckResult:
    """Check a proposal file (applied to its sandbox first) or a sandbox folder edited by hand."""
    if target.is_dir():
        sandbox = target
        baseline()  # the baseline build that the sandbox's build starts from
    else:
        sandbox = apply_proposal(target, out).sandbox
    return check_mesh(
        sandbox,
        mesh.work_root(sandbox),
        mesh.work_root(),
        strict_deprecations=strict_deprecations,
        full=full,
        on_progress=on_progress,
        runner=runner,
    )
