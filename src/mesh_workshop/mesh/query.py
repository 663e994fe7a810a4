"""Ask a built mesh project's warehouse a question, its upstream projects attached by name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..dbt.warehouse import attach, connect
from ..paths import Workspace
from .build import project_run
from .layout import Mesh, load_mesh


def query(project: str, sql: str, mesh_dir: Path | None = None) -> pd.DataFrame:
    """Query one built project's warehouse, its upstream projects attached read-only by name."""
    mesh = load_mesh(mesh_dir)
    root = Workspace.current().mesh_build(mesh.root)
    target = mesh.project(project)
    with connect(project_run(target, root).warehouse) as con:
        for upstream in all_upstreams(mesh, project):
            attach(con, project_run(mesh.project(upstream), root).warehouse, upstream)
        return con.execute(sql).df()


def all_upstreams(mesh: Mesh, project: str) -> list[str]:
    """Every project `project` reads, directly or through another one, nearest first."""
    found: list[str] = []
    todo = list(mesh.project(project).upstreams)
    while todo:
        name = todo.pop(0)
        if name not in found:
            found.append(name)
            todo.extend(mesh.project(name).upstreams)
    return found
