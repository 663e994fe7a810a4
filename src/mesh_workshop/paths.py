"""Where the kit's folders are: the committed projects and the workspace for build output."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import KitLayoutError

HOME_ENV = "MESH_WORKSHOP_HOME"
WORKSPACE_ENV = "RAINBOW_ROAD_WORKSPACE"


def kit_root() -> Path:
    """The checkout of the kit: `$MESH_WORKSHOP_HOME`, else the folder this package sits in."""
    configured = os.environ.get(HOME_ENV)
    root = Path(configured) if configured else Path(__file__).resolve().parents[2]
    if not (root / "rainbow_road_monolith" / "dbt_project.yml").is_file():
        raise KitLayoutError(
            f"`{root}` does not look like the workshop kit (no rainbow_road_monolith/dbt_project.yml).",
            f"Run the kit from its checkout (`make lab`), or set {HOME_ENV} to the checkout's folder.",
        )
    return root


def monolith_dir() -> Path:
    """The legacy dbt project `data_platform`."""
    return kit_root() / "rainbow_road_monolith"


def raw_data_dir() -> Path:
    """Rainbow Road's generated raw CSV files, read by the projects' sources."""
    return kit_root() / "data" / "raw"


def workspace_dir() -> Path:
    """Build output (targets, logs, DuckDB files): `$RAINBOW_ROAD_WORKSPACE`, else `.workspace/`."""
    configured = os.environ.get(WORKSPACE_ENV)
    return Path(configured).expanduser().resolve() if configured else kit_root() / ".workspace"


def source_files(project_dir: Path) -> list[Path]:
    """A dbt project's own files, sorted (its build output and warehouse excluded)."""
    return [
        path
        for path in sorted(project_dir.rglob("*"))
        if path.is_file()
        and not {"target", "logs"} & set(path.relative_to(project_dir).parts)
        and path.suffix != ".duckdb"
    ]


def source_fingerprint(project_dir: Path) -> str:
    """A digest of a dbt project's own files (its build output and warehouse excluded)."""
    digest = hashlib.sha256()
    for path in source_files(project_dir):
        digest.update(str(path.relative_to(project_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
