"""Judge a checked sandbox against a scenario's success criteria.

Each criterion is read from what the check produced: the build outcome of every project, the
kit's governance findings, and the manifests dbt wrote for the sandbox (each model's own project
is the authority on its contract, group, versions and deprecation dates).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..dbt.artifacts import Manifest, Node, read_manifest
from ..mesh.build import OK_STATUSES, project_run
from ..mesh.layout import Mesh
from ..proposal.logic import load_logic_changes
from ..verdict.check import CheckResult
from .model import Criterion, Scenario


@dataclass(frozen=True)
class CriterionResult:
    id: str
    says: str
    passed: bool
    detail: str
    consequence: bool = False  # judged and shown, never counted towards "solved"

    def to_dict(self) -> dict:
        return asdict(self)


def judge(
    scenario: Scenario, check: CheckResult | None, layout: Mesh | None, work: Path
) -> tuple[CriterionResult, ...]:
    if check is None or layout is None:
        return tuple(
            CriterionResult(
                c.id,
                c.says,
                False,
                "The mesh could not be built, so this is not met.",
                c.consequence,
            )
            for c in scenario.success
        )
    return tuple(_Judge(check, layout, work).judge(c) for c in scenario.success)


class _Judge:
    def __init__(self, check: CheckResult, layout: Mesh, work: Path) -> None:
        self.check = check
        self.outcomes = {o.name: o for o in check.build.projects}
        self.manifests: dict[str, Manifest] = {}
        for project in layout.projects:
            path = project_run(project, work).manifest_path
            if path.is_file() and self._ok(project.name):
                self.manifests[project.name] = read_manifest(path)

    def judge(self, c: Criterion) -> CriterionResult:
        passed, detail = getattr(self, c.kind)(c)
        return CriterionResult(c.id, c.says, passed, detail, c.consequence)

    def _ok(self, project: str) -> bool:
        outcome = self.outcomes.get(project)
        return outcome is not None and outcome.status in OK_STATUSES

    def _own_nodes(self, model: str) -> list[tuple[str, Node]]:
        """(project, node) for every version of `model` in the manifest of its own project."""
        return [
            (project, node)
            for project, manifest in self.manifests.items()
            for node in manifest.models(project)
            if node.name == model
        ]

    def builds(self, c: Criterion) -> tuple[bool, str]:
        if self.check.ok:
            return True, "Every project built and every test passed."
        failed = [o.name for o in self.check.build.projects if o.status not in OK_STATUSES]
        if failed:
            return False, f"Did not build: {', '.join(failed)}."
        errors = [f.message for f in self.check.findings if f.severity == "error"]
        return False, errors[0] if errors else "The check did not pass."

    def project_builds(self, c: Criterion) -> tuple[bool, str]:
        outcome = self.outcomes.get(c.project)
        if outcome is None:
            return False, f"There is no project `{c.project}` in this mesh."
        if outcome.status in OK_STATUSES:
            return True, f"`{c.project}` {outcome.status}."
        failing = outcome.result.failed_nodes if outcome.result else ()
        what = ", ".join(n.label for n in failing[:3]) or outcome.note or "it did not parse"
        return False, f"`{c.project}` {outcome.status}: {what}."

    def model_builds(self, c: Criterion) -> tuple[bool, str]:
        found = self._own_nodes(c.model)
        if found:
            return True, f"`{found[0][0]}.{c.model}` built."
        return False, f"`{c.model}` was not built (its project failed, or the model is gone)."

    def contract_enforced(self, c: Criterion) -> tuple[bool, str]:
        found = self._own_nodes(c.model)
        if not found:
            return False, f"`{c.model}` was not built, so its contract could not be checked."
        if any(node.config.contract.enforced for _, node in found):
            return True, f"`{found[0][0]}.{c.model}` has an enforced contract."
        return False, f"`{found[0][0]}.{c.model}` has no enforced contract."

    def deprecation_date_set(self, c: Criterion) -> tuple[bool, str]:
        found = self._own_nodes(c.model)
        dated = [node for _, node in found if node.deprecation_date]
        if dated:
            version = dated[0].version
            label = f" version {version}" if version is not None else ""
            return True, f"`{c.model}`{label} is deprecated on {dated[0].deprecation_date[:10]}."
        return False, f"No version of `{c.model}` has a deprecation date."

    def different_groups(self, c: Criterion) -> tuple[bool, str]:
        groups = {}
        for model in c.models:
            found = self._own_nodes(model)
            if not found:
                return False, f"`{model}` was not built, so its owner is unknown."
            groups[model] = found[0][1].own_group
        ungrouped = [m for m, g in groups.items() if not g]
        if ungrouped:
            return False, f"`{ungrouped[0]}` belongs to no group."
        if len(set(groups.values())) < len(groups):
            listed = ", ".join(f"`{m}` ({g})" for m, g in groups.items())
            return False, f"Owned by the same team: {listed}."
        return True, "Owned by different teams: " + ", ".join(
            f"`{m}` ({g})" for m, g in groups.items()
        )

    def no_finding(self, c: Criterion) -> tuple[bool, str]:
        found = [f for f in self.check.findings if f.code == c.code]
        if found:
            return False, found[0].message
        return True, "None found."

    def consumer_gets_change(self, c: Criterion) -> tuple[bool, str]:
        if c.consumer not in self.manifests:
            return False, f"`{c.consumer}` did not build, so it reads nothing yet."
        change = load_logic_changes()[c.logic_change]
        texts = [r.with_ for r in change.replace]
        changed = {
            node.unique_id
            for _, node in self._own_nodes(c.model)
            if all(t in (node.raw_code or "") for t in texts)
        }
        readers = sorted(
            node.name
            for node in self.manifests[c.consumer].models(c.consumer)
            if set(node.depends_on.nodes) & changed
        )
        if readers:
            return True, f"`{c.consumer}` reads the changed `{c.model}` in " + ", ".join(
                f"`{r}`" for r in readers
            ) + "."
        return False, f"No model in `{c.consumer}` reads a version of `{c.model}` with this change."
