"""The workshop's first builds: the legacy project, then the mesh, each only if it is missing.

`make lab` starts `prepare` in the background and opens JupyterLab straight away, so a room reads
the start-here notebook while dbt builds. Whoever asks for the same builds meanwhile (the
start-here notebook's build cell, a second terminal) does not build the same files a second time:
it waits for the running build and shows its progress from the log it writes, then finds
everything built. If the background build failed or was stopped, the next caller builds what is
still missing itself.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..dbt.results import BuildResult
from ..mesh import build as mesh_build
from ..mesh.layout import load_mesh
from ..monolith import project as monolith
from ..paths import Workspace

Say = Callable[[str], None]


@dataclass(frozen=True)
class Prepared:
    """What `prepare` did: each build it ran (None: it was built already)."""

    monolith: BuildResult | None = None
    mesh: mesh_build.MeshBuildResult | None = None
    waited: float = 0.0  # seconds spent waiting for a build another process was running
    missing: tuple[str, ...] = field(default=())  # what is still not built afterwards

    @property
    def ok(self) -> bool:
        return not self.missing


def monolith_is_built() -> bool:
    run = monolith.monolith_run()
    return run.manifest_path.is_file() and run.warehouse.is_file()


def unbuilt_projects(mesh_dir: Path | None = None) -> list[str]:
    """The projects of a mesh that have no build yet (an empty list: all built)."""
    layout = load_mesh(mesh_dir)
    work = Workspace.current().mesh_build(layout.root)
    missing = []
    for project in layout.projects:
        run = mesh_build.project_run(project, work)
        if not (run.manifest_path.is_file() and run.warehouse.is_file()):
            missing.append(project.name)
    return missing


def missing() -> tuple[str, ...]:
    """What the workshop still needs built: `data_platform (legacy)` and any mesh project."""
    legacy = () if monolith_is_built() else (f"{monolith.PROJECT} (legacy project)",)
    return (*legacy, *unbuilt_projects())


def prepare(say: Say = print, poll: float = 1.0) -> Prepared:
    """Build the legacy project and the mesh if they are missing, one process at a time."""
    space = Workspace.current()
    space.build.mkdir(parents=True, exist_ok=True)
    lock = FileLock(space.prepare_lock)
    waited = _wait_for_the_running_build(lock, space.prepare_log, say, poll)
    try:
        return _build_what_is_missing(space.prepare_log, say, waited)
    finally:
        lock.release()


def start_in_background() -> int:
    """Start `prepare` in a process of its own that outlives this one; return its id.

    It writes its progress to the workspace's `prepare.log`; `prepare()` in any other process
    waits for it and shows that progress."""
    space = Workspace.current()
    space.build.mkdir(parents=True, exist_ok=True)
    code = "import sys; from mesh_workshop.cli import main; sys.exit(main(['prepare']))"
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # closing the terminal or JupyterLab does not stop it
    )
    return child.pid


def _wait_for_the_running_build(lock: FileLock, log: Path, say: Say, poll: float) -> float:
    """Take the lock; while another process holds it, relay what its log says. Seconds waited."""
    try:
        lock.acquire(timeout=0)
        return 0.0
    except Timeout:
        pass
    started = time.monotonic()
    say("The workshop's first build is already running (started by `make lab`); its progress:")
    shown = 0
    while True:
        try:
            lock.acquire(timeout=poll)
            break
        except Timeout:
            shown = _relay(log, shown, say)
    _relay(log, shown, say)
    return time.monotonic() - started


def _relay(log: Path, shown: int, say: Say) -> int:
    """Say the log's lines after the first `shown`; return how many there are now."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return shown
    for line in lines[shown:]:
        say(f"  {line}")
    return len(lines)


def _build_what_is_missing(log_path: Path, say: Say, waited: float) -> Prepared:
    built_monolith = None
    built_mesh = None
    with open(log_path, "w", encoding="utf-8") as log:

        def tell(text: str) -> None:
            say(text)
            log.write(text + "\n")
            log.flush()

        if not monolith_is_built():
            tell(f"Building the legacy project `{monolith.PROJECT}` with dbt ...")
            built_monolith = monolith.build_monolith()
            tell(f"  {'done' if built_monolith.ok else 'FAILED'} in {built_monolith.elapsed:.0f} s")
            if not built_monolith.ok:
                tell(built_monolith.summary())
        if unbuilt_projects():
            tell(
                "Building the projects of the mesh: the hub first, then its spokes side by side ..."
            )

            def progress(project: str, status: str) -> None:
                tell(f"  {project}: {status}")

            built_mesh = mesh_build.build(on_progress=progress)
            tell(f"  {'done' if built_mesh.ok else 'FAILED'} in {built_mesh.elapsed:.0f} s")
            if not built_mesh.ok:
                tell(built_mesh.table())
        still = missing()
        tell(
            "Everything is built."
            if not still
            else f"Still not built: {', '.join(still)}. The lines above say what dbt reported; "
            "once that is fixed, run this again (in a terminal: `mesh-workshop prepare`)."
        )
    return Prepared(built_monolith, built_mesh, waited, still)
