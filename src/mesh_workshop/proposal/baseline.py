"""What a proposal is applied to: the committed mesh, its groups, and the column types it built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..dbt.warehouse import connect
from ..errors import KitError
from ..mesh.build import build, project_run
from ..mesh.layout import Mesh, read_mesh
from ..paths import Workspace


@dataclass(frozen=True)
class Baseline:
    """The baseline mesh folder and where its build landed."""

    mesh_dir: Path
    work_root: Path
    owner: dict[str, str]  # model -> project
    groups: dict[str, dict]  # group name -> its definition (name, owner)
    group_home: dict[str, str]  # group name -> project that defines it
    hub: str
    mesh: Mesh  # the projects as read once here, for finding their build folders

    @classmethod
    def read(cls, mesh_dir: Path, work_root: Path) -> Baseline:
        mesh = read_mesh(mesh_dir)
        owner: dict[str, str] = {}
        groups: dict[str, dict] = {}
        home: dict[str, str] = {}
        for project in mesh.projects:
            for sql in sorted((project.project_dir / "models").rglob("*.sql")):
                owner[sql.stem] = project.name
            groups_file = project.project_dir / "models" / "_groups.yml"
            if groups_file.is_file():
                for group in (yaml.safe_load(groups_file.read_text()) or {}).get("groups", []):
                    groups[group["name"]] = group
                    home[group["name"]] = project.name
        hub = mesh.hub or mesh.projects[0].name
        return cls(mesh_dir, work_root, owner, groups, home, hub, mesh)

    def projects(self) -> list[str]:
        return sorted(set(self.owner.values()))

    def column_types(self, project: str, model: str) -> list[tuple[str, str]]:
        """The columns and DuckDB types the baseline build gave a model, in table order."""
        warehouse = project_run(self.mesh.project(project), self.work_root).warehouse
        with connect(warehouse) as con:
            rows = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = ? order by ordinal_position",
                [model],
            ).fetchall()
        return [(name, data_type.lower()) for name, data_type in rows]


def current_baseline() -> Baseline:
    """The committed mesh, built (incrementally: instant when nothing changed).

    Every group's check starts here; `build` lets one process at a time build the folder, and
    the others wait for it and then find it up to date."""
    space = Workspace.current()
    work = space.mesh_build()
    built = build()
    if not built.ok:
        raise KitError(
            "The baseline mesh does not build, so proposals cannot be checked against it.",
            built.table(),
        )
    return Baseline.read(space.committed_mesh, work)
