"""Read a folder of dbt projects as a mesh: its projects, who reads whom, and the build order.

The graph comes from the projects' own files (two-argument refs), not from the split plan, so a
folder edited by hand is checked the same way. Cycles are rejected before dbt runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import KitError, KitLayoutError
from ..paths import Workspace
from ..yaml_input import load_text
from .graph import Boundary, check_no_cycle, topological_order, upstreams

# The folder that holds one folder per project, as the projects' profiles read it.
MESH_DIR_ENV = "RAINBOW_ROAD_MESH_DIR"
CODE_FOLDERS = ("models", "tests", "macros", "snapshots", "analyses")
CROSS_REF_RE = re.compile(
    r"""ref\(\s*['"](?P<project>[A-Za-z_]\w*)['"]\s*,\s*['"](?P<model>[A-Za-z_]\w*)['"]"""
)


@dataclass(frozen=True)
class MeshProject:
    name: str
    project_dir: Path
    upstreams: tuple[str, ...]


# Written by the split beside the projects: the plan's hub and policy, which the governance
# checks follow. The build order says nothing about which project is the hub.
MESH_FILE = "mesh.yml"


@dataclass(frozen=True)
class Mesh:
    root: Path
    projects: tuple[MeshProject, ...]  # in build order
    boundaries: tuple[Boundary, ...]
    hub: str | None = None  # from `mesh.yml`; else the one project that reads no other, if any

    def project(self, name: str) -> MeshProject:
        return next(p for p in self.projects if p.name == name)

    def downstream_of(self, name: str) -> set[str]:
        found: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            for p in self.projects:
                if current in p.upstreams and p.name not in found:
                    found.add(p.name)
                    todo.append(p.name)
        return found


def read_mesh(root: Path) -> Mesh:
    """The projects under `root` in build order, or a clear error (missing, unknown, cycle)."""
    dirs = (
        sorted(d for d in root.iterdir() if (d / "dbt_project.yml").is_file())
        if root.is_dir()
        else []
    )
    if not dirs:
        raise KitLayoutError(
            f"`{root}` holds no dbt projects (no `*/dbt_project.yml`).",
            "Point at a mesh folder such as `mesh_projects/`, or create one with `mesh-workshop split`.",
        )
    names = {}
    for folder in dirs:
        name = (yaml.safe_load((folder / "dbt_project.yml").read_text()) or {}).get("name")
        names[folder] = name or folder.name
    edges = set()
    for folder, name in names.items():
        for path in sorted(p for sub in CODE_FOLDERS for p in (folder / sub).rglob("*")):
            if path.suffix not in {".sql", ".yml"}:
                continue
            for match in CROSS_REF_RE.finditer(path.read_text()):
                producer = match["project"]
                if producer == name:
                    continue
                if producer not in names.values():
                    raise KitError(
                        f"`{path.relative_to(root)}` refs `{producer}.{match['model']}`, but the mesh in "
                        f"`{root}` has no project `{producer}` (it has {', '.join(sorted(names.values()))}).",
                        "Fix the project name in that ref, or add the missing project to the mesh.",
                    )
                edges.add(Boundary(name, str(path.relative_to(folder)), producer, match["model"]))
    edge_list = sorted(
        edges, key=lambda b: (b.consumer, b.consumer_model, b.producer, b.producer_model)
    )
    check_no_cycle(names.values(), edge_list, str(root))
    reads = upstreams(edge_list)
    by_name = {name: folder for folder, name in names.items()}
    return Mesh(
        root=root,
        projects=tuple(
            MeshProject(name, by_name[name], tuple(sorted(reads.get(name, ()))))
            for name in topological_order(names.values(), edge_list)
        ),
        boundaries=tuple(edge_list),
        hub=_hub(root, sorted(names.values()), reads),
    )


def _hub(root: Path, names: list[str], reads: dict[str, set[str]]) -> str | None:
    """The hub the split plan named (`mesh.yml`). A folder without that file (made by hand) has
    a hub only if exactly one project reads no other project."""
    path = root / MESH_FILE
    if not path.is_file():
        roots = [n for n in names if not reads.get(n)]
        return roots[0] if len(roots) == 1 else None
    try:
        hub = (load_text(path.read_text(encoding="utf-8")) or {}).get("hub")
    except (yaml.YAMLError, AttributeError, UnicodeDecodeError):
        hub = None
    if hub not in names:
        raise KitLayoutError(
            f"`{path}`, key `hub`: `{hub}` is not one of the mesh's projects ({', '.join(names)}).",
            f"Write the name of the project the others read, for example `hub: {names[0]}`, or "
            "delete the file to let the kit find it.",
        )
    return hub


def mesh_file_text(hub: str, policy: str) -> str:
    return (
        "# Written by `mesh-workshop split` from the split plan: the hub every other project\n"
        "# reads, and the policy the governance checks follow.\n"
        f"hub: {hub}\npolicy: {policy}\n"
    )


def load_mesh(mesh_dir: Path | None = None) -> Mesh:
    """The mesh in `mesh_dir`, by default the committed one (`mesh_projects/`)."""
    return read_mesh(mesh_dir or Workspace.current().committed_mesh)
