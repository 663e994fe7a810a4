"""Read projects that dbt refused to parse, so the governance check can still judge them.

When a proposal breaks an access rule inside the hub (a model made private that the hub's own
tests read), dbt stops while parsing the hub, writes no manifest, and every spoke is blocked. The
verdict says so, as plain dbt would. But a council also needs to hear every rule the proposal
breaks, including a spoke's read of that private model, which dbt never reaches.

So after such a build, the kit parses the projects that did not parse, in dependency order, once
more in a separate folder with dbt's access checks switched off (`dbt parse` only: nothing is
built and no warehouse is opened). The manifests it gets describe the proposal as written; the
governance check, which applies the access rules itself, reads them. A project that does not
parse even then (a broken contract, a typo in a ref) stays unread, and the check says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..dbt.runner import ProjectRun
from ..mesh.build import project_run
from ..mesh.layout import Mesh

FOLDER = ".governance"  # inside a mesh's build folder, beside the projects' own build folders

# Run as `python -c` in a fresh process: switch off dbt's access checks (and dbt-loom's
# versions of them, which dbt-loom installs when its plugin starts), then parse.
_RELAXED_PARSE = """
import dbt.contracts.graph.manifest as manifest
import dbt_loom

def allowed(*args, **kwargs):
    return False

manifest.Manifest.is_invalid_private_ref = allowed
manifest.Manifest.is_invalid_protected_ref = allowed
dbt_loom.is_invalid_private_ref = allowed
dbt_loom.is_invalid_protected_ref = allowed

from dbt.cli.main import cli
cli()
"""


def relaxed_manifests(
    mesh: Mesh, work_root: Path, parsed: set[str], timeout: float = 300
) -> dict[str, Path]:
    """Manifests for every project of `mesh`: those in `parsed` as dbt wrote them, the others
    parsed with the access checks off. A project that still does not parse is left out."""
    root = work_root / FOLDER
    shutil.rmtree(root, ignore_errors=True)
    found: dict[str, Path] = {}
    for project in mesh.projects:  # dependency order
        real = project_run(project, work_root)
        relaxed = ProjectRun(project.name, project.project_dir, root / project.name, real.extra_env)
        relaxed.target_dir.mkdir(parents=True, exist_ok=True)
        if project.name in parsed and real.manifest_path.is_file():
            shutil.copy2(real.manifest_path, relaxed.manifest_path)
        elif all(u in found for u in project.upstreams):
            _parse(relaxed, timeout)
        if relaxed.manifest_path.is_file():
            found[project.name] = relaxed.manifest_path
    return found


def _parse(run: ProjectRun, timeout: float) -> None:
    run.prepare()  # the shared dbt package in place, as for every other run
    try:
        subprocess.run(
            [sys.executable, "-c", _RELAXED_PARSE, *run.cli_args("parse", ["--no-partial-parse"])],
            cwd=run.work_dir,
            env={**os.environ, **run.env()},
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pass  # no manifest: the project is reported as unread
