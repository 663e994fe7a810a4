"""The legacy project `data_platform`: build it, read its lineage, ask it questions.

This is the facade the CLI and the notebooks call.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from filelock import FileLock
from pandas.io.formats.style import Styler

from ..dbt.artifacts import Model, ProjectGraph
from ..dbt.packages import shared_packages_fingerprint
from ..dbt.results import BuildResult, read_run_results
from ..dbt.runner import ProjectRun, run_dbt, run_dbt_in_process
from ..dbt.warehouse import query
from ..dbt.worker import DbtWorkerPool
from ..errors import KitError
from ..mesh import lineage
from ..paths import Workspace, raw_fingerprint, source_fingerprint
from .questions import get_question

PROJECT = "data_platform"
PARSED_STAMP = "kit_parsed_sources.sha256"  # beside the manifest: which files it describes
BUILT_STAMP = "kit_built_sources.sha256"  # in the build folder: what the last whole build built
BUILT_RESULTS = "kit_last_whole_build.json"  # beside it: that build's run_results.json


def monolith_run() -> ProjectRun:
    """Where the monolith builds: its target, logs and DuckDB file live in the workspace."""
    space = Workspace.current()
    return ProjectRun(PROJECT, space.monolith_project, space.monolith_build)


def build_monolith(
    select: Sequence[str] = (), in_process: bool = False, full: bool = False
) -> BuildResult:
    """`dbt build` the monolith (optionally only `select`ed nodes) and return what happened.

    A whole build returns at once when the last one succeeded on the same files and raw data
    (its result, marked up to date), unless `full`. dbt runs in a process forked from one that
    imported dbt already (`DbtWorkerPool`), or with `in_process`, inside this one."""
    extra = ["--select", *select] if select else []
    run = monolith_run()
    run.work_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(run.work_dir / ".build.lock"):  # one build at a time, across processes
        stamp = run.work_dir / BUILT_STAMP
        fingerprint = _build_fingerprint(run)
        if not select:
            last = None if full else _last_build(run, stamp, fingerprint)
            if last is not None:
                return last
            stamp.unlink(missing_ok=True)  # until this build has succeeded
        if in_process:
            result = run_dbt_in_process(run, "build", extra)
        else:
            with DbtWorkerPool(idle_timeout=None) as pool:
                result = pool.run(run, "build", extra)
        if result.ok and not select:
            shutil.copy2(run.target_dir / "run_results.json", run.work_dir / BUILT_RESULTS)
            stamp.write_text(fingerprint)
        return result


def _build_fingerprint(run: ProjectRun) -> str:
    """What a whole build depends on: the project's files, the shared macros, the raw data."""
    return source_fingerprint(run.project_dir) + shared_packages_fingerprint() + raw_fingerprint()


def _last_build(run: ProjectRun, stamp: Path, fingerprint: str) -> BuildResult | None:
    """The last whole build's result, if it succeeded on exactly these files and data and its
    warehouse is still there."""
    results = run.work_dir / BUILT_RESULTS  # a later selective build rewrites dbt's own
    if not (stamp.is_file() and run.warehouse.is_file() and results.is_file()):
        return None
    if stamp.read_text() != fingerprint:
        return None
    return BuildResult(
        project=run.name,
        ok=True,
        elapsed=0.0,
        nodes=read_run_results(results),
        log_path=str(run.log_dir / "dbt.log"),
        up_to_date=True,
    )


def parse_monolith() -> BuildResult:
    """Parse the monolith (writes its manifest) without building anything."""
    return run_dbt(monolith_run(), "parse")


@contextmanager
def manifest_lock() -> Iterator[None]:
    """Hold while parsing the monolith or reading its manifest: one at a time, across threads
    and processes, so nobody reads a manifest that dbt is still writing."""
    run = monolith_run()
    run.target_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(run.target_dir.parent / ".manifest.lock"):
        yield


def ensure_parsed() -> BuildResult | None:
    """Parse the monolith unless its manifest already describes the project's current files.

    Returns the parse's result, or None when the manifest was already current."""
    run = monolith_run()
    fingerprint = source_fingerprint(run.project_dir) + shared_packages_fingerprint()
    stamp = run.target_dir / PARSED_STAMP
    if run.manifest_path.is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
        return None
    result = parse_monolith()
    if result.ok:
        stamp.write_text(fingerprint)
    return result


def load_graph() -> ProjectGraph:
    """The monolith's models and edges, parsing the project first if it never was."""
    run = monolith_run()
    if not run.manifest_path.is_file():
        result = parse_monolith()
        if not result.ok:
            raise RuntimeError(result.summary())
    return ProjectGraph.load(run.manifest_path)


LINEAGE_VIEWS = ("domains", "tangles", "models")


def lineage_markdown(
    view: str = "tangles", include_staging: bool = False, model: str | None = None
) -> str:
    """The monolith's lineage as a Mermaid block: `domains` (one box per team), `tangles` (only
    the models where one team reads another team's model) or `models` (every model). With
    `model`: that model, what it reads and what reads it."""
    graph = load_graph()
    if model is not None:
        try:
            diagram = lineage.neighbourhood(graph, model)
        except KeyError:
            raise KitError(
                f"The legacy project has no model `{model}`.",
                "Check the spelling; `mesh-workshop monolith lineage --view models` lists them all.",
            ) from None
    elif view == "domains":
        diagram = lineage.domain_map(graph)
    elif view == "tangles":
        diagram = lineage.tangles(graph)
    elif view == "models":
        diagram = lineage.model_dag(graph, include_staging)
    else:
        raise KitError(
            f"There is no lineage view `{view}`.", f"Choose one of: {', '.join(LINEAGE_VIEWS)}."
        )
    return lineage.as_markdown(diagram)


def readers_of(model_name: str) -> list[Model]:
    """The models that read `model_name` directly, sorted by domain and name."""
    return sorted(load_graph().children(model_name), key=lambda m: (m.domain, m.name))


def ask(name: str) -> pd.DataFrame:
    """Answer one of the known questions from the built warehouse."""
    return query(monolith_run().warehouse, get_question(name).sql)


NOTHING = "\u2014"  # shown where a value is missing (a donation given outside any campaign)


def answer_table(name: str) -> Styler:
    """`ask(name)` as a table for people: dollars as `$14,361,034.50`, counts with thousands
    separators, other numbers to one decimal, a dash where there is no value."""
    frame = ask(name)
    money = set(get_question(name).money)
    formats = {}
    for column in frame.columns:
        if column in money:
            formats[column] = "${:,.2f}"
        elif pd.api.types.is_integer_dtype(frame[column]):
            formats[column] = "{:,}"
        elif pd.api.types.is_numeric_dtype(frame[column]):
            formats[column] = "{:,.1f}"
    return frame.style.format(formats, na_rep=NOTHING).hide(axis="index")
