"""A group's answer, end to end: a proposal file applied to its sandbox and checked with dbt.

The proposal names its scenario, and the scenario sets the stage: the models its fault adds are
written into the sandbox before the group's decisions. This is what the facade, the group
sessions and the equivalence harness call.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..dbt.runner import run_dbt
from ..mesh.build import Runner
from ..paths import Workspace
from ..proposal.apply import ApplyResult, apply_to_sandbox
from ..proposal.baseline import Baseline, current_baseline
from ..proposal.logic import load_logic_changes
from ..proposal.model import Proposal
from ..proposal.validate import FIX, ProposalError, load_proposal, validate
from ..split.plan import load_plan
from ..verdict.check import CheckResult, check_mesh
from .model import added_models_for


def apply_proposal(
    path: Path, out: Path | None = None, baseline: Baseline | None = None
) -> ApplyResult:
    """Apply the proposal in `path` to a sandbox (default: its group's sandbox for its
    scenario). Nothing is written unless the whole proposal applies."""
    return apply(load_proposal(path), path.read_text(), path, out, baseline)


def apply(
    proposal: Proposal,
    text: str,
    source: Path,
    out: Path | None = None,
    baseline: Baseline | None = None,
) -> ApplyResult:
    """Apply a proposal already read (its `text` is kept in the sandbox; `source` is the file it
    came from, or is saved to, named in every message)."""
    path = source
    base = baseline or current_baseline()
    logic = load_logic_changes()
    validate(proposal, base, logic, str(path))
    space = Workspace.current()
    try:
        return apply_to_sandbox(
            proposal,
            text,
            base,
            logic,
            out or space.sandbox(proposal.group, proposal.scenario),
            load_plan(space.architect_plan),
            added_models_for(proposal.scenario),
        )
    except ProposalError as exc:
        if exc.message.startswith(f"`{path}`"):
            raise
        raise ProposalError(f"`{path}`: {exc.message}", exc.hint or FIX, exc.circle) from None


def reset_sandbox(sandbox: Path) -> None:
    """Remove a sandbox and its build; the group's saved proposal elsewhere is untouched."""
    shutil.rmtree(sandbox, ignore_errors=True)
    shutil.rmtree(Workspace.current().mesh_build(sandbox), ignore_errors=True)


def check(
    target: Path,
    out: Path | None = None,
    strict_deprecations: bool = False,
    full: bool = False,
    on_progress=None,
    runner: Runner = run_dbt,
    baseline: Baseline | None = None,
) -> CheckResult:
    """Check a proposal file (applied to its sandbox first) or a sandbox folder edited by hand.
    The baseline is built (or found up to date) once, or taken from the caller who just applied
    the proposal, and used for both steps."""
    base = baseline or current_baseline()
    sandbox = target if target.is_dir() else apply_proposal(target, out, base).sandbox
    space = Workspace.current()
    return check_mesh(
        sandbox,
        space.mesh_build(sandbox),
        base.work_root,
        strict_deprecations=strict_deprecations,
        full=full,
        on_progress=on_progress,
        runner=runner,
    )
