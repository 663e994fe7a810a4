"""The mesh: split the monolith into projects, build them in order, query what they built.

This is the facade the CLI and the notebooks call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..dbt.warehouse import attach, connect
from ..errors import KitError
from ..monolith import project as monolith
from ..paths import kit_root, monolith_dir, workspace_dir
from ..split import MonolithIndex, SplitResult, split_monolith
from .build import MeshBuildResult, build_mesh, project_run
from .layout import Mesh, read_mesh


def default_plan() -> Path:
    return kit_root() / "plans" / "architect.yml"


def default_mesh_dir() -> Path:
    return kit_root() / "mesh_projects"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(kit_root()))
    except ValueError:
        return str(path)


def split(plan: Path | None = None, out: Path | None = None) -> SplitResult:
    """Split the monolith by `plan` (default: the architect's) into `out` (default: mesh_projects/)."""
    plan = plan or default_plan()
    with monolith.manifest_lock():  # other groups may be splitting at the same moment
        parsed = monolith.ensure_parsed()
        if parsed is not None and not parsed.ok:
            raise KitError("The monolith does not parse, so it cannot be split.", parsed.summary())
        index = MonolithIndex.load(monolith_dir(), monolith.monolith_run().manifest_path)
    return split_monolith(plan, index, out or default_mesh_dir(), _shown(plan))


def work_root(mesh_dir: Path | None = None) -> Path:
    """Where a mesh folder builds: `<workspace>/mesh` for the committed mesh, `build/` beside a
    sandbox's `mesh/`, and a folder of its own in the workspace for any other mesh folder."""
    mesh_dir = (mesh_dir or default_mesh_dir()).resolve()
    if mesh_dir == default_mesh_dir().resolve():
        return workspace_dir() / "mesh"
    if mesh_dir.name == "mesh" and mesh_dir.parent.parent.parent == sandboxes_dir():
        return mesh_dir.parent / "build"
    digest = hashlib.sha256(str(mesh_dir).encode()).hexdigest()[:10]
    return workspace_dir() / "meshes" / f"{mesh_dir.name}-{digest}"


def sandboxes_dir() -> Path:
    return (workspace_dir() / "sandboxes").resolve()


def build(
    mesh_dir: Path | None = None,
    full: bool = False,
    on_progress: Callable[[str, str], None] | None = None,
) -> MeshBuildResult:
    """Build every project of the mesh in dependency order (only what changed, unless `full`)."""
    mesh = read_mesh(mesh_dir or default_mesh_dir())
    return build_mesh(mesh, work_root(mesh.root), full=full, on_progress=on_progress)


def layout(mesh_dir: Path | None = None) -> Mesh:
    return read_mesh(mesh_dir or default_mesh_dir())


def query(project: str, sql: str, mesh_dir: Path | None = None) -> pd.DataFrame:
    """Query one built project's warehouse, its upstream projects attached read-only by name."""
    mesh = read_mesh(mesh_dir or default_mesh_dir())
    root = work_root(mesh.root)
    target = mesh.project(project)
    with connect(project_run(target, root).warehouse) as con:
        for upstream in _all_upstreams(mesh, project):
            attach(con, project_run(mesh.project(upstream), root).warehouse, upstream)
        return con.execute(sql).df()


def _all_upstreams(mesh: Mesh, project: str) -> list[str]:
    found: list[str] = []
    todo = list(mesh.project(project).upstreams)
    while todo:
        name = todo.pop(0)
        if name not in found:
            found.append(name)
            todo.extend(mesh.project(name).upstreams)
    return found
