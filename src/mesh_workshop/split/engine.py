"""Split the monolith into a mesh of projects, following a split plan.

Everything is checked before anything is written: unknown names, double or missing owners,
sources read by several projects, project cycles. The projects are written to a temporary
folder first and swapped in only when all of them were written.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import KitError
from ..mesh.graph import (
    Boundary,
    Finding,
    check_no_cycle,
    hub_and_spoke_findings,
    topological_order,
    upstreams,
)
from ..mesh.layout import MESH_DIR_ENV, MESH_FILE, mesh_file_text
from ..monolith import project as monolith
from ..paths import Workspace
from .assign import assign_models
from .index import MonolithIndex
from .plan import PlanError, SplitPlan, load_plan
from .report import render_report
from .writer import ProjectLayout, write_project


@dataclass(frozen=True)
class SplitResult:
    """What the split did: owners, boundaries, public models, placed sources, findings."""

    plan: SplitPlan
    plan_file: str
    out_dir: Path
    order: tuple[str, ...]
    owner: dict[str, str]
    boundaries: tuple[Boundary, ...]
    public: tuple[str, ...]
    source_home: dict[tuple[str, str], str]
    moved: tuple[tuple[str, str, str], ...]  # (model, project, reason) chosen by name
    findings: tuple[Finding, ...]
    test_home: dict[str, str]  # singular test path -> project
    unit_tests_off: tuple[str, ...]  # unit tests with inputs from another project (see writer)
    tests_left_out: tuple[str, ...]  # singular tests reading raw tables of several projects
    exposure_home: dict[str, str]  # exposure name -> project

    def upstreams_of(self, project: str) -> tuple[str, ...]:
        return tuple(sorted(upstreams(list(self.boundaries)).get(project, ())))

    def summary(self) -> str:
        counts = {p: sum(1 for o in self.owner.values() if o == p) for p in self.order}
        lines = [
            f"Split `{self.plan_file}` into {len(self.order)} projects in `{self.out_dir}`: "
            + ", ".join(f"{p} ({counts[p]} models)" for p in self.order)
            + ".",
            f"{len(self.boundaries)} cross-project refs; {len(self.public)} models made public.",
        ]
        lines += [f"Finding: {f.message}" for f in self.findings]
        return "\n".join(lines)


def plan_split(
    plan: SplitPlan | Path, index: MonolithIndex, display_name: str | None = None
) -> SplitResult:
    """Every decision of the split, checked, without writing anything. `plan` is a plan file or
    a plan already read (a proposal's moves arrive as one); `display_name` names it in errors."""
    plan_file = display_name or str(plan)
    if not isinstance(plan, SplitPlan):
        plan = load_plan(plan)
    owner = assign_models(plan, index, plan_file)
    model_edges = [
        Boundary(owner[m.name], m.name, owner[p], p)
        for m in index.models.values()
        for p in m.parents
        if owner[p] != owner[m.name]
    ]
    check_no_cycle(owner.values(), model_edges, plan_file)
    reads = _transitive(upstreams(model_edges))
    source_home = _place_sources(index, owner, plan.hub, plan_file)
    test_home = {
        path: _home(models, owner, reads, plan.hub) for path, models in index.singular_tests.items()
    }
    # A test that reads raw tables can only live where those raw tables are declared.
    tests_left_out = tuple(
        sorted(
            path
            for path, pairs in index.singular_test_sources.items()
            if pairs and {source_home[pair] for pair in pairs} != {test_home[path]}
        )
    )
    for path in tests_left_out:
        del test_home[path]
    exposure_home = {
        name: _home(models, owner, reads, plan.hub) for name, (_, models) in index.exposures.items()
    }
    edges = set(model_edges)
    for tested, models in index.generic_tests:
        edges |= {
            Boundary(owner[tested], tested, owner[m], m)
            for m in models
            if owner[m] != owner[tested]
        }
    for path, models in index.singular_tests.items():
        if path not in test_home:
            continue
        edges |= {
            Boundary(test_home[path], path, owner[m], m)
            for m in models
            if owner[m] != test_home[path]
        }
    for name, (_, models) in index.exposures.items():
        edges |= {
            Boundary(exposure_home[name], name, owner[m], m)
            for m in models
            if owner[m] != exposure_home[name]
        }
    all_edges = sorted(
        edges, key=lambda b: (b.consumer, b.consumer_model, b.producer, b.producer_model)
    )
    projects = [p.name for p in plan.projects]
    check_no_cycle(projects, all_edges, plan_file)
    findings = hub_and_spoke_findings(plan.hub, all_edges) if plan.policy == "hub_and_spoke" else []
    moved = tuple(
        (s.name, p.name, s.reason) for p in plan.projects for s in p.models if s.kind == "name"
    )
    return SplitResult(
        plan=plan,
        plan_file=plan_file,
        out_dir=Path(),
        order=tuple(topological_order(projects, all_edges)),
        owner=owner,
        boundaries=tuple(all_edges),
        public=tuple(sorted({b.producer_model for b in all_edges})),
        source_home=source_home,
        moved=moved,
        findings=tuple(findings),
        test_home=test_home,
        exposure_home=exposure_home,
        tests_left_out=tests_left_out,
        unit_tests_off=tuple(
            sorted(
                name
                for name, (model, inputs) in index.unit_tests.items()
                if any(owner[i] != owner[model] for i in inputs if i in owner)
            )
        ),
    )


def split_monolith(
    plan: SplitPlan | Path,
    index: MonolithIndex,
    out_dir: Path,
    display_name: str | None = None,
) -> SplitResult:
    """Check the plan, then write one dbt project per plan entry into `out_dir` (replacing it)."""
    result = replace(plan_split(plan, index, display_name), out_dir=out_dir.resolve())
    out_dir = result.out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for project in result.plan.projects:
            layout = ProjectLayout(
                plan=project,
                hub=result.plan.hub,
                upstreams=result.upstreams_of(project.name),
                owner=result.owner,
                public=frozenset(result.public),
                source_home=result.source_home,
                test_home=result.test_home,
                exposure_home=result.exposure_home,
                unit_tests_off=frozenset(result.unit_tests_off),
            )
            write_project(index, staging / project.name, layout)
        (staging / "SPLIT_REPORT.md").write_text(render_report(result))
        (staging / "mesh.env.sh").write_text(_env_script())
        (staging / MESH_FILE).write_text(mesh_file_text(result.plan.hub, result.plan.policy))
        swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def swap_in(new: Path, target: Path) -> None:
    """Put the folder `new` where `target` is, replacing it; the old one is gone only after."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _transitive(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    closed: dict[str, set[str]] = {}
    for project in direct:
        seen: set[str] = set()
        todo = list(direct[project])
        while todo:
            upstream = todo.pop()
            if upstream not in seen:
                seen.add(upstream)
                todo.extend(direct.get(upstream, ()))
        closed[project] = seen
    return closed


def _home(
    models: tuple[str, ...], owner: dict[str, str], reads: dict[str, set[str]], hub: str
) -> str:
    """Where a test or exposure lives: the project that already reads all the others it touches."""
    projects = sorted({owner[m] for m in models}) or [hub]
    for candidate in projects:
        if set(projects) - {candidate} <= reads.get(candidate, set()):
            return candidate
    return next((p for p in projects if p != hub), projects[0])


def _place_sources(index: MonolithIndex, owner: dict[str, str], hub: str, plan_file: str) -> dict:
    readers: dict[tuple[str, str], set[str]] = {pair: set() for pair in index.source_files}
    for model in index.models.values():
        for pair in model.sources:
            readers[pair].add(model.name)
    placed = {}
    for pair, models in sorted(readers.items()):
        projects = sorted({owner[m] for m in models})
        if len(projects) > 1:
            raise PlanError(
                f"`{plan_file}`: source table `{pair[0]}.{pair[1]}` is read by models in "
                f"{' and '.join(projects)} ({', '.join(sorted(models))}).",
                "A raw table belongs to one project: put the models that read it in one project "
                "(usually the hub) and let the others ref them.",
            )
        placed[pair] = projects[0] if projects else hub
    return placed


def _env_script() -> str:
    return f"""# Source this file before running plain dbt in the mesh projects from a terminal:
#   source mesh_projects/mesh.env.sh
# It points every project's profile and dbt-loom config at this folder, by absolute path.
export {MESH_DIR_ENV}="$(cd "$(dirname "${{BASH_SOURCE[0]:-$0}}")" && pwd)"
"""


def split_legacy_project(
    plan: SplitPlan | Path | None = None, out: Path | None = None, display_name: str | None = None
) -> SplitResult:
    """Split the legacy project by `plan` (default: the architect's) into `out` (default: the
    committed `mesh_projects/`)."""
    space = Workspace.current()
    plan = plan if plan is not None else space.architect_plan
    if display_name is None and isinstance(plan, Path):
        display_name = _shown(plan, space.kit)
    with monolith.manifest_lock():  # other groups may be splitting at the same moment
        parsed = monolith.ensure_parsed()
        if parsed is not None and not parsed.ok:
            raise KitError("The monolith does not parse, so it cannot be split.", parsed.summary())
        index = MonolithIndex.load(space.monolith_project, monolith.monolith_run().manifest_path)
    return split_monolith(plan, index, out or space.committed_mesh, display_name)


def _shown(path: Path, kit: Path) -> str:
    try:
        return str(path.resolve().relative_to(kit))
    except ValueError:
        return str(path)
