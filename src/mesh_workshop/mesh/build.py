"""Build every project of a mesh in dependency order, each in its own dbt process, the projects
that do not read each other side by side.

Each project builds into `<work_root>/<project>/` (target, logs, `<project>.duckdb`). After a
successful build the kit keeps the project's manifest and a fingerprint of its files, so the
next build can skip projects that did not change and rebuild only what changed (dbt's
`state:modified+`) plus what reads the upstream models that were rebuilt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from filelock import FileLock
from tabulate import tabulate

from ..dbt.artifacts import read_manifest
from ..dbt.packages import shared_packages_fingerprint
from ..dbt.results import BuildResult
from ..dbt.runner import RAW_COPY, RAW_DIR_ENV, ProjectRun, run_dbt, sync_raw_copy
from ..dbt.worker import DbtWorkerPool
from ..errors import WarehouseLocked
from ..paths import Workspace, raw_fingerprint, source_files, source_fingerprint
from .layout import MESH_DIR_ENV, Mesh, MeshProject, load_mesh

STATE_DIR = "last_success"
OK_STATUSES = frozenset({"built", "up to date"})  # the outcomes that count as a built project
# How a project build is run: `run_dbt` (a fresh dbt process) or a warm worker pool's `run`.
Runner = Callable[[ProjectRun, str, Sequence[str]], BuildResult]


@dataclass(frozen=True)
class ProjectOutcome:
    """What happened to one project in a mesh build."""

    name: str
    status: str  # built | failed | up to date | blocked
    selection: str  # everything | changes only | -
    result: BuildResult | None = None
    note: str = ""
    parsed: bool = True  # False: dbt could not read the project, so it left no manifest


@dataclass(frozen=True)
class MeshBuildResult:
    ok: bool
    elapsed: float
    projects: tuple[ProjectOutcome, ...] = field(default=())

    def table(self) -> str:
        header = ("project", "status", "scope", "models", "tests", "failures", "seconds")
        rows = []
        for p in self.projects:
            r = p.result
            models = r.count("model") if r else {}
            tests = (r.count("test") + r.count("unit_test")) if r else {}
            failures = len(r.failed_nodes) if r else 0
            rows.append(
                (
                    p.name,
                    p.status,
                    p.selection,
                    str(sum(models.values())) if r else "-",
                    str(sum(tests.values())) if r else "-",
                    str(failures) if r else "-",
                    f"{r.elapsed:.1f}" if r else "-",
                )
            )
        lines = tabulate(rows, header, tablefmt="simple", disable_numparse=True).splitlines()
        verdict = "The mesh built." if self.ok else "The mesh did NOT build."
        lines.append(f"{verdict} ({self.elapsed:.1f} s)")
        for p in self.projects:
            if p.result and not p.result.ok:
                lines.append("")
                lines.append(p.result.summary())
            elif p.note:
                lines.append(f"{p.name}: {p.note}")
        return "\n".join(lines)


def project_run(project: MeshProject, work_root: Path) -> ProjectRun:
    """Where a mesh project builds, with the environment its profile and dbt-loom config read.

    dbt runs inside the project's build folder, so the other projects' files and manifests are
    found at `../<project>/`. Keeping that path relative makes every build folder's profile read
    the same, and dbt then reuses the parse of the build folder a sandbox was seeded from
    (dbt starts parsing from scratch whenever the profile's connection details change)."""
    return ProjectRun(
        project.name,
        project.project_dir,
        work_root / project.name,
        extra_env=(
            (MESH_DIR_ENV, ".."),
            # The build folder's own copy of the raw data (see `dbt_run.sync_raw_copy`).
            (RAW_DIR_ENV, f"../{RAW_COPY}"),
            ("DBT_LOOM_CONFIG", str(project.project_dir / "dbt_loom.config.yml")),
        ),
        raw_copy=work_root / RAW_COPY,
    )


def build_mesh(
    mesh: Mesh,
    work_root: Path,
    full: bool = False,
    on_progress: Callable[[str, str], None] | None = None,
    dbt_args: tuple[str, ...] = (),
    run_every_project: bool = False,
    runner: Runner = run_dbt,
    parallel: int = 1,
) -> MeshBuildResult:
    """Build the projects in order. `full` ignores what earlier builds left and rebuilds it all;
    `run_every_project` runs dbt in unchanged projects too (selecting nothing new), so that
    parse-time rules given in `dbt_args` are checked everywhere. With `parallel` above 1, up to
    that many projects whose upstreams are all done build side by side (the spokes of a hub,
    typically), each starting as soon as a slot is free: each writes its own DuckDB file and
    only reads its upstreams' files."""
    started = time.perf_counter()
    work_root.mkdir(parents=True, exist_ok=True)
    sync_raw_copy(work_root / RAW_COPY)
    raw = raw_fingerprint()
    outcomes: dict[str, ProjectOutcome] = {}
    rebuilt: dict[str, set[str]] = {}  # project -> unique ids of the models rebuilt this round
    if on_progress is not None:
        # Projects built side by side report from their own threads: one report at a time, so
        # lines a caller prints never run into each other.
        report, speaking = on_progress, threading.Lock()

        def on_progress(project: str, status: str) -> None:
            with speaking:
                report(project, status)

    def build_one(project: MeshProject) -> tuple[ProjectOutcome, set[str]]:
        run = project_run(project, work_root)
        # An upstream that dbt could not read this round left no manifest, so plain dbt cannot
        # build this project either: it is blocked, whatever an earlier build left behind.
        blocked = [
            u
            for u in project.upstreams
            if not outcomes[u].parsed
            or not project_run(mesh.project(u), work_root).manifest_path.is_file()
        ]
        if blocked:
            upstream = outcomes.get(blocked[0])
            why = (
                "is blocked itself"
                if upstream and upstream.status == "blocked"
                else "did not parse"
            )
            note = (
                f"blocked: `{blocked[0]}` {why}, so dbt has no manifest of it and cannot read "
                f"its models; `{project.name}` fails until `{blocked[0]}` parses again."
            )
            return ProjectOutcome(project.name, "blocked", "-", note=note, parsed=False), set()
        state = _State(run.work_dir / STATE_DIR)
        upstream_changes = {u: rebuilt[u] for u in project.upstreams if rebuilt.get(u)}
        own = _own_fingerprint(project)
        usable = not full and state.usable(raw, run.warehouse)
        files = _own_files(project)
        if usable and state.own_fingerprint() == own:
            state.remember_files(files)  # for build folders written before the list was kept
        if usable and not run_every_project and state.is_current(own, upstream_changes):
            return ProjectOutcome(project.name, "up to date", "-"), set()
        if on_progress:
            on_progress(project.name, "building")
        selection = state.selection(upstream_changes) if usable else None
        extra = ["--select", *selection, "--state", str(state.folder)] if selection else []
        if state.files_removed(files):
            # dbt's partial parse can keep a removed file's nodes (an exposure of a model that
            # moved away) and fail where a clean parse passes: read the project afresh.
            extra.append("--no-partial-parse")
        # The manifest an earlier build (or the baseline's seed) left describes the project as it
        # was; dbt writes a new one as soon as it has read the project. If it cannot read it,
        # nothing downstream may be judged against the old one.
        run.manifest_path.unlink(missing_ok=True)
        try:
            result = runner(run, "build", [*extra, *dbt_args])
        except WarehouseLocked as locked:
            # Nothing was built; say who holds the file and go on with the other projects.
            return ProjectOutcome(
                project.name, "failed", "-", note=str(locked), parsed=run.manifest_path.is_file()
            ), set()
        _drop_unbuilt(run, result)
        if result.ok:
            state.save(run, own, raw, files)
        else:
            state.mark_dirty({n.name for n in result.nodes if n.resource_type == "model"})
        outcome = ProjectOutcome(
            project.name,
            "built" if result.ok else "failed",
            "changes only" if selection else "everything",
            result,
            parsed=run.manifest_path.is_file(),
        )
        if on_progress:
            on_progress(project.name, outcome.status)
        return outcome, {n.unique_id for n in result.nodes if n.resource_type == "model"}

    waiting = list(mesh.projects)  # already in dependency order
    running: dict[Future, MeshProject] = {}
    width = max(1, parallel)
    with ThreadPoolExecutor(max_workers=width) as threads:
        while waiting or running:
            ready = [p for p in waiting if all(u in outcomes for u in p.upstreams)]
            for project in ready[: width - len(running)]:
                running[threads.submit(build_one, project)] = project
                waiting.remove(project)
            if not running:  # `read_mesh` orders projects after their upstreams; never here
                raise RuntimeError(f"No project can start: {[p.name for p in waiting]}")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                project = running.pop(future)
                outcomes[project.name], rebuilt[project.name] = future.result()
    ordered = tuple(outcomes[p.name] for p in mesh.projects)
    ok = all(o.status in OK_STATUSES for o in ordered)
    return MeshBuildResult(ok, time.perf_counter() - started, ordered)


class _State:
    """What the last successful build of one project left behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def is_current(self, own: str, upstream_changes: dict[str, set[str]]) -> bool:
        """Nothing to rebuild: same files, no failed models left over, no changed upstream read."""
        return (
            self.own_fingerprint() == own
            and not (self.folder / "dirty.json").is_file()
            and not self.readers_of(upstream_changes)
        )

    def usable(self, raw: str, warehouse: Path) -> bool:
        """A selective build is safe: same raw data, the warehouse and last manifest still there."""
        return (
            (self.folder / "manifest.json").is_file()
            and warehouse.is_file()
            and (self.folder / "raw").is_file()
            and (self.folder / "raw").read_text() == raw
        )

    def selection(self, upstream_changes: dict[str, set[str]]) -> list[str]:
        """dbt selectors: changed files, models left dirty by a failed build, readers of changed upstreams."""
        chosen = ["state:modified+"]
        dirty = self.folder / "dirty.json"
        if dirty.is_file():
            chosen += [f"{name}+" for name in sorted(json.loads(dirty.read_text()))]
        chosen += [f"{name}+" for name in self.readers_of(upstream_changes)]
        return sorted(set(chosen), key=chosen.index)

    def readers_of(self, upstream_changes: dict[str, set[str]]) -> list[str]:
        """This project's models and data tests that read an upstream model rebuilt this round."""
        if not upstream_changes or not (self.folder / "manifest.json").is_file():
            return []
        manifest = read_manifest(self.folder / "manifest.json")
        # Compare without version suffixes: a model that became versioned is still the same model.
        changed = {_unversioned(uid) for ids in upstream_changes.values() for uid in ids}
        return sorted(
            node.name
            for node in manifest.nodes.values()
            if node.resource_type in {"model", "test"}
            and changed & {_unversioned(p) for p in node.depends_on.nodes}
        )

    def own_fingerprint(self) -> str | None:
        path = self.folder / "own_fingerprint"
        return path.read_text() if path.is_file() else None

    def files_removed(self, files: list[str]) -> bool:
        """True when a file the last successful build read is gone now."""
        path = self.folder / "files.json"
        return path.is_file() and bool(set(json.loads(path.read_text())) - set(files))

    def remember_files(self, files: list[str]) -> None:
        path = self.folder / "files.json"
        if not path.is_file():
            path.write_text(json.dumps(files))

    def save(self, run: ProjectRun, own: str, raw: str, files: list[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(run.manifest_path, self.folder / "manifest.json")
        (self.folder / "own_fingerprint").write_text(own)
        (self.folder / "files.json").write_text(json.dumps(files))
        (self.folder / "raw").write_text(raw)
        (self.folder / "dirty.json").unlink(missing_ok=True)

    def mark_dirty(self, models: set[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        dirty = self.folder / "dirty.json"
        before = set(json.loads(dirty.read_text())) if dirty.is_file() else set()
        dirty.write_text(json.dumps(sorted(before | models)))


def _drop_unbuilt(run: ProjectRun, result: BuildResult) -> None:
    """Drop the tables of models that errored or were skipped in this build.

    A clean build would not have them at all, so a selective build must not let readers in other
    projects go on reading an older copy: they fail the same way in both.
    """
    unbuilt = {
        n.unique_id
        for n in result.nodes
        if n.resource_type == "model" and n.status in {"error", "skipped"}
    }
    if not unbuilt or not run.manifest_path.is_file() or not run.warehouse.is_file():
        return
    nodes = read_manifest(run.manifest_path).nodes
    tables = sorted({nodes[uid].alias or nodes[uid].name for uid in unbuilt if uid in nodes})
    try:
        con = duckdb.connect(str(run.warehouse))
    except duckdb.IOException:
        return  # someone holds the file; the next build reports the lock and tries again
    try:
        for table in tables:
            con.execute(f'drop table if exists main."{table}"')
    finally:
        con.close()


def _unversioned(unique_id: str) -> str:
    return re.sub(r"\.v\d+$", "", unique_id)


def _own_files(project: MeshProject) -> list[str]:
    return [str(p.relative_to(project.project_dir)) for p in source_files(project.project_dir)]


def _own_fingerprint(project: MeshProject) -> str:
    """Changes when a file of the project itself or of the shared dbt package changes (build
    output excluded)."""
    return source_fingerprint(project.project_dir) + shared_packages_fingerprint()


def build(
    mesh_dir: Path | None = None,
    full: bool = False,
    on_progress: Callable[[str, str], None] | None = None,
) -> MeshBuildResult:
    """Build every project of a mesh (default: the committed one) in dependency order, into the
    build folder the Workspace gives it (only what changed, unless `full`); projects that do not
    read each other (the spokes) build side by side. Each project
    builds in a dbt process forked from one that imported dbt already (`DbtWorkerPool`), which
    skips the seconds every fresh `dbt` spends importing itself."""
    mesh = load_mesh(mesh_dir)
    work = Workspace.current().mesh_build(mesh.root)
    work.mkdir(parents=True, exist_ok=True)
    # One build of a folder at a time, across processes: a second caller (a notebook while
    # `make lab` builds in the background) waits, then finds the projects up to date.
    with FileLock(work / ".build.lock"):
        return build_with_workers(mesh, work, full=full, on_progress=on_progress)


def build_with_workers(
    mesh: Mesh,
    work_root: Path,
    full: bool = False,
    on_progress: Callable[[str, str], None] | None = None,
) -> MeshBuildResult:
    """`build_mesh` as the kit runs a whole mesh: each project in a forked dbt worker that is
    stopped afterwards, and the projects that do not read each other side by side."""
    with DbtWorkerPool(idle_timeout=None) as pool:
        return build_mesh(
            mesh,
            work_root,
            full=full,
            on_progress=on_progress,
            runner=pool.run,
            parallel=side_by_side(),
        )


def side_by_side() -> int:
    """How many projects a whole-mesh build runs at once: one per core (at least two, since a
    dbt process waits on its files part of the time), never more than four."""
    return max(2, min(os.cpu_count() or 1, 4))
