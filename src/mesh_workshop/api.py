"""The kit in one object. The command line, the widgets and the notebooks all go through `Kit`.

    from mesh_workshop.api import kit
    kit.build_monolith()                      # the legacy project, built with dbt
    kit.build_mesh()                          # the committed mesh, every project in order
    verdict = kit.check(Path("proposal.yml")) # apply a proposal to its sandbox, build, explain
    session = kit.session("breaking_change", "Table 4")   # a group playing a scenario

Each method hands over to the stage that does the work (see docs/architecture.md); the Workspace
(`kit.workspace`) says where every folder is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from .dbt.artifacts import Model, ProjectGraph
from .dbt.results import BuildResult
from .dbt.room_pool import RoomPool
from .dbt.runner import run_dbt
from .dbt.worker import DbtWorkerPool
from .grading import reports as grade_reports
from .grading.grade import GradeProgress, grade
from .grading.model import Grades, Options
from .grading.practice import write_practice_class
from .mesh import build as mesh_build
from .mesh import lineage
from .mesh.build import MeshBuildResult, Runner
from .mesh.layout import Mesh, load_mesh
from .mesh.query import query
from .monolith import project as monolith
from .paths import Workspace
from .proposal.apply import ApplyResult
from .proposal.baseline import Baseline, current_baseline
from .proposal.model import Proposal
from .proposal.validate import load_proposal
from .scenario import answer
from .scenario.model import Scenario, list_scenarios, load_scenario
from .split.engine import SplitResult, split_legacy_project
from .verdict.check import CheckResult, explanations_markdown
from .verdict.explain import Explanation, explain, explain_result
from .workshop import prepare
from .workshop.notebooks import NotebookCopies, copy_notebooks
from .workshop.session import GroupSession, shared_pool


class Kit:
    """Everything a front end needs, with the current Workspace's folders."""

    @property
    def workspace(self) -> Workspace:
        return Workspace.current()

    # The legacy project ---------------------------------------------------------------------

    def build_monolith(
        self, select: Sequence[str] = (), in_process: bool = False, full: bool = False
    ) -> BuildResult:
        """Build the monolith; a whole build is instant when nothing changed, unless `full`."""
        return monolith.build_monolith(select=select, in_process=in_process, full=full)

    def monolith_is_built(self) -> bool:
        return prepare.monolith_is_built()

    def prepare(self, say: Callable[[str], None] = print) -> prepare.Prepared:
        """Build the legacy project and the mesh if missing; wait for a build already running."""
        return prepare.prepare(say)

    def prepare_in_background(self) -> int:
        """Start `prepare` in a process of its own (as `make lab` does); returns its id."""
        return prepare.start_in_background()

    def copy_notebooks(self, to: Path | None = None) -> NotebookCopies:
        """The room's own copies of the notebooks (default `my_notebooks/`), brought up to date
        with the kit's without losing anyone's edits (as `make lab` does before JupyterLab)."""
        return copy_notebooks(to)

    def monolith_graph(self) -> ProjectGraph:
        return monolith.load_graph()

    def monolith_lineage(
        self, view: str = "tangles", include_staging: bool = False, model: str | None = None
    ) -> str:
        """The legacy project's lineage as a Mermaid picture: `domains`, `tangles` (only where
        one team reads another team's model) or `models` (all of them); or, with `model`, that
        model among what it reads and what reads it."""
        return monolith.lineage_markdown(view, include_staging=include_staging, model=model)

    def monolith_readers(self, model: str) -> list[Model]:
        """The legacy project's models that read `model` directly, by domain and name."""
        return monolith.readers_of(model)

    def ask(self, question: str) -> pd.DataFrame:
        """One of the legacy project's named business questions, answered from its warehouse."""
        return monolith.ask(question)

    def answer(self, question: str) -> Styler:
        """`ask`, shown for people: dollars, thousands separators, a dash for no value."""
        return monolith.answer_table(question)

    # The mesh -------------------------------------------------------------------------------

    def split(self, plan: Path | None = None, out: Path | None = None) -> SplitResult:
        return split_legacy_project(plan, out)

    def build_mesh(
        self,
        mesh_dir: Path | None = None,
        full: bool = False,
        on_progress: Callable[[str, str], None] | None = None,
    ) -> MeshBuildResult:
        return mesh_build.build(mesh_dir, full=full, on_progress=on_progress)

    def mesh(self, mesh_dir: Path | None = None) -> Mesh:
        return load_mesh(mesh_dir)

    def unbuilt_projects(self, mesh_dir: Path | None = None) -> list[str]:
        """The projects of a mesh that have no build yet (an empty list: all built)."""
        return prepare.unbuilt_projects(mesh_dir)

    def query(self, project: str, sql: str, mesh_dir: Path | None = None) -> pd.DataFrame:
        return query(project, sql, mesh_dir)

    def mesh_picture(
        self,
        mesh_dir: Path | None = None,
        changed: Iterable[str] = (),
        broken: Iterable[str] = (),
        circle: Iterable[tuple[str, str]] = (),
    ) -> str:
        """A Mermaid picture (as Markdown) of a built mesh, changed models and broken readers
        marked, and the refs that would close a circle of projects drawn in red."""
        layout = load_mesh(mesh_dir)
        work = self.workspace.mesh_build(layout.root)
        return lineage.as_markdown(lineage.mesh_picture(layout, work, changed, broken, circle))

    # Proposals ------------------------------------------------------------------------------

    def load_proposal(self, path: Path) -> Proposal:
        return load_proposal(path)

    def baseline(self) -> Baseline:
        return current_baseline()

    def apply(self, path: Path, out: Path | None = None) -> ApplyResult:
        return answer.apply_proposal(path, out)

    def check(
        self,
        target: Path,
        out: Path | None = None,
        strict_deprecations: bool = False,
        full: bool = False,
        on_progress: Callable[[str, str], None] | None = None,
        runner: Runner = run_dbt,
    ) -> CheckResult:
        return answer.check(target, out, strict_deprecations, full, on_progress, runner)

    def reset_sandbox(self, sandbox: Path) -> None:
        answer.reset_sandbox(sandbox)

    def explain(self, message: str, project: str | None = None) -> Explanation | None:
        return explain(message, project)

    def explain_build(self, result: BuildResult) -> list[Explanation]:
        return explain_result(result)

    # Scenarios and groups -------------------------------------------------------------------

    def scenario(self, scenario_id: str) -> Scenario:
        return load_scenario(scenario_id)

    def scenarios(self) -> list[Scenario]:
        return list_scenarios()

    def session(
        self,
        scenario: str | Scenario,
        group: str,
        workshop: Path | None = None,
        pool: DbtWorkerPool | None = None,
    ) -> GroupSession:
        return GroupSession(scenario, group, workshop=workshop, pool=pool)

    # Grading ---------------------------------------------------------------------------------

    def grade(
        self,
        source: Path,
        out: Path | None = None,
        options: Options | None = None,
        on_progress: Callable[[GradeProgress], None] | None = None,
    ) -> Grades:
        """Grade a class: every answer in `source` (a workshop folder, a folder of proposal
        files, or a zip of either) checked with dbt and scored; with `out`, every report
        written there (grades.json, grades.csv, junit.xml, report.html, feedback files)."""
        return grade(source, out, options, on_progress)

    def write_practice_class(
        self, folder: Path | None = None, groups: int = 10, distinct: int = 4
    ) -> Path:
        """A practice class to try grading on: `groups` groups' saved answers (`distinct` of
        them different) in `folder` (default: the workspace's practice class folder)."""
        folder = folder or self.workspace.practice_class
        write_practice_class(folder, groups, distinct)
        return folder

    def grades_table(self, grades: Grades) -> str:
        """The class as the terminal prints it: one line per submission, then the summary."""
        return grade_reports.terminal_table(grades)

    def workers(self, idle_timeout: float | None = None) -> DbtWorkerPool | RoomPool:
        """Warm dbt processes: the one shared pool, or a pool of its own with `idle_timeout`."""
        return shared_pool() if idle_timeout is None else DbtWorkerPool(idle_timeout=idle_timeout)


kit = Kit()
__all__ = [
    "DbtWorkerPool",
    "GradeProgress",
    "Grades",
    "Kit",
    "Options",
    "explanations_markdown",
    "kit",
]
