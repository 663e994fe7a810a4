"""Where everything lives: one `Workspace` owns every folder the kit reads or writes.

Three roots, each set by an environment variable so a JupyterHub or a test can move it:

- the kit's checkout (`$MESH_WORKSHOP_HOME`): the committed projects, raw data, plans, scenarios;
- the build folder (`$RAINBOW_ROAD_WORKSPACE`, default `<kit>/.workspace`): dbt targets, logs,
  DuckDB files, and every group's sandbox;
- the workshop folder (`$RAINBOW_ROAD_WORKSHOP_DIR`, default `<build folder>/workshop`): groups'
  saved names, decisions and verdicts, which a room may share.

No other module builds a build folder's or a sandbox's path; ask the Workspace.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import KitLayoutError

HOME_ENV = "MESH_WORKSHOP_HOME"
WORKSPACE_ENV = "RAINBOW_ROAD_WORKSPACE"
WORKSHOP_ENV = "RAINBOW_ROAD_WORKSHOP_DIR"
SYMBOLS = {"So", "Sm", "Sc"}  # Unicode categories spelled out by name in a folder name
MAX_SLUG = 60  # characters of a group's folder name


def group_slug(name: str) -> str:
    """A folder name from a group's name: `Table 4 (Sam, Ana)` -> `table_4_sam_ana`.

    Group names are typed by people (and come in graded submissions), so this is the only way a
    name becomes part of a path: letters and digits of any script, joined by `_`, never `.` or
    `/`. A symbol such as an emoji becomes its Unicode name (`🐶 Pack` -> `dog_face_pack`), so a
    name made of emoji still gets a folder of its own. Names that differ only in case, spacing or
    punctuation share a folder; `folders.check_group_name` tells such names apart."""
    words = []
    for char in unicodedata.normalize("NFKC", name).casefold():
        if char.isalnum():
            words.append(char)
        elif unicodedata.category(char) in SYMBOLS:
            words.append(f"_{unicodedata.name(char, '')}_".casefold())
        else:
            words.append("_")
    slug = re.sub(r"[^\w]+|_+", "_", "".join(words)).strip("_")
    return slug[:MAX_SLUG].rstrip("_") or "group"


def same_group_name(a: str, b: str) -> bool:
    """Two spellings of one group's name: equal but for case and spacing."""
    return _loose(a) == _loose(b)


def _loose(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _slug_part(name: str) -> str:
    """A scenario id or other kit-defined name as one path part (same rule as a group's name)."""
    part = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_.")
    return part or "unnamed"


@dataclass(frozen=True)
class Workspace:
    kit: Path
    build: Path
    saved: Path

    @classmethod
    def current(cls) -> Workspace:
        """The workspace the environment names (read afresh, so a test can point it elsewhere)."""
        configured = os.environ.get(HOME_ENV)
        kit = Path(configured) if configured else Path(__file__).resolve().parents[2]
        if not (kit / "rainbow_road_monolith" / "dbt_project.yml").is_file():
            raise KitLayoutError(
                f"`{kit}` does not look like the workshop kit (no rainbow_road_monolith/dbt_project.yml).",
                f"Run the kit from its checkout (`make lab`), or set {HOME_ENV} to the checkout's folder.",
            )
        built = os.environ.get(WORKSPACE_ENV)
        build = Path(built).expanduser().resolve() if built else kit / ".workspace"
        shared = os.environ.get(WORKSHOP_ENV)
        saved = Path(shared).expanduser().resolve() if shared else build / "workshop"
        return cls(kit, build, saved)

    # The kit's committed folders ------------------------------------------------------------

    @property
    def monolith_project(self) -> Path:
        """The legacy dbt project `data_platform`."""
        return self.kit / "rainbow_road_monolith"

    @property
    def raw_data(self) -> Path:
        """Rainbow Road's generated raw CSV files, read by the projects' sources."""
        return self.kit / "data" / "raw"

    @property
    def committed_mesh(self) -> Path:
        """The mesh the architect's plan splits the monolith into (`mesh_projects/`)."""
        return self.kit / "mesh_projects"

    @property
    def architect_plan(self) -> Path:
        return self.kit / "plans" / "architect.yml"

    @property
    def shared_macros(self) -> Path:
        """The local dbt package every project installs (`packages.yml`): the shared macros."""
        return self.kit / "rainbow_road_macros"

    @property
    def tracked_notebooks(self) -> Path:
        """The notebooks as the kit ships them (`notebooks/`): the room never runs these."""
        return self.kit / "notebooks"

    @property
    def my_notebooks(self) -> Path:
        """The room's own copies of the notebooks (`my_notebooks/`, git-ignored), which
        JupyterLab opens, so running them never changes a file `git pull` updates."""
        return self.kit / "my_notebooks"

    # Build folders -------------------------------------------------------------------------

    @property
    def monolith_build(self) -> Path:
        return self.build / "monolith"

    @property
    def prepare_lock(self) -> Path:
        """Held while the workshop's first builds run (`mesh-workshop prepare`)."""
        return self.build / "prepare.lock"

    @property
    def prepare_log(self) -> Path:
        """What the running (or last) `mesh-workshop prepare` has said so far."""
        return self.build / "prepare.log"

    @property
    def dbt_packages(self) -> Path:
        """Where every build of this workspace finds the projects' dbt packages installed."""
        return self.build / "dbt_packages"

    @property
    def sandboxes(self) -> Path:
        return (self.build / "sandboxes").resolve()

    def sandbox(self, group: str, scenario: str) -> Path:
        """The mesh a group edits for one scenario (a copy of the committed mesh)."""
        return self.sandboxes / group_slug(group) / _slug_part(scenario) / "mesh"

    def mesh_build(self, mesh_dir: Path | None = None) -> Path:
        """Where a mesh folder builds: `<build>/mesh` for the committed mesh, `build/` beside a
        sandbox's `mesh/`, and a folder of its own under `<build>/meshes` for any other one."""
        mesh_dir = (mesh_dir or self.committed_mesh).resolve()
        if mesh_dir == self.committed_mesh.resolve():
            return self.build / "mesh"
        if mesh_dir.name == "mesh" and mesh_dir.parent.parent.parent == self.sandboxes:
            return mesh_dir.parent / "build"
        digest = hashlib.sha256(str(mesh_dir).encode()).hexdigest()[:10]
        return self.build / "meshes" / f"{mesh_dir.name}-{digest}"

    def grading_sandbox(self, answer_key: str) -> Path:
        """Where one distinct answer of a graded class is built. A group's folder name never
        starts with `_`, so no group's sandbox is ever here."""
        return self.sandboxes / "_grading" / _slug_part(answer_key) / "mesh"

    @property
    def grade_reports(self) -> Path:
        """Where the grading notebook writes a class's reports unless told otherwise."""
        return self.build / "grades"

    @property
    def practice_class(self) -> Path:
        """A practice class's saved answers, for trying the grading (never the real room's)."""
        return self.build / "practice_class"

    @property
    def grading_cache(self) -> Path:
        """Verdicts of answers already graded, by answer and by what else they depend on."""
        return self.build / "grading_cache"

    @property
    def equivalence(self) -> Path:
        """The equivalence harness's sandbox, plain-dbt copies and cache (`make verify`)."""
        return self.build / "equivalence"

    @property
    def current_group_file(self) -> Path:
        """This person's choice of group: never in a folder the whole room may share. On a room's
        hub every person's server shares the build folder, so each person (`JUPYTERHUB_USER`)
        has a file of their own there, named by a digest of their login."""
        person = os.environ.get("JUPYTERHUB_USER", "")
        if not person:
            return self.build / "current_group.txt"
        return (
            self.build
            / "current_groups"
            / f"{hashlib.sha256(person.encode()).hexdigest()[:16]}.txt"
        )

    @property
    def demo_workshop(self) -> Path:
        """Where the demo groups save, away from the real groups' workshop folder."""
        return self.build / "demo_workshop"

    # A room on one server (`mesh-workshop hub`) ------------------------------------------------

    @property
    def hub(self) -> Path:
        """The room's JupyterHub: its generated config, database, secrets and everyone's home."""
        return self.build / "hub"

    def hub_folder(self, root: Path | None = None) -> HubFolder:
        """The files of a room's JupyterHub, in the workspace's `hub/` (or in `root`)."""
        return HubFolder(Path(root).resolve() if root else self.hub)

    @property
    def hub_npm(self) -> Path:
        """The kit's pinned proxy for JupyterHub (`hub/package.json`); `npm ci` installs it here."""
        return self.kit / "hub"

    @property
    def hub_proxy(self) -> Path:
        """The proxy JupyterHub runs in front of every user's server, once `npm ci` installed it."""
        return self.hub_npm / "node_modules" / ".bin" / "configurable-http-proxy"

    # Saved work ----------------------------------------------------------------------------

    def group_folder(self, group: str, root: Path | None = None) -> Path:
        return (root or self.saved) / group_slug(group)

    def scenario_folder(self, group: str, scenario: str, root: Path | None = None) -> Path:
        """Where a group's work on one scenario is saved (in the workshop folder, or in `root`)."""
        return self.group_folder(group, root) / _slug_part(scenario)

    @property
    def councils(self) -> Path:
        """Every Mesh Council table's shared state, one folder per table (in the workshop folder,
        so the players of a table share it)."""
        return self.saved / "councils"

    def council(self, table: str) -> Path:
        """Where one council table's state lives. The table's name is typed by people, so it is
        slugged like a group's name and never becomes a raw path."""
        return self.councils / group_slug(table)


MAX_SOCKET_PATH = 100  # bytes: a Unix socket's path must fit in about 104 on every system


@dataclass(frozen=True)
class HubFolder:
    """Where a room's JupyterHub keeps its files (`<workspace>/hub/`, or a test's own folder)."""

    root: Path

    @property
    def config(self) -> Path:
        """The JupyterHub config `mesh-workshop hub` writes afresh at every start."""
        return self.root / "jupyterhub_config.py"

    @property
    def database(self) -> Path:
        return self.root / "jupyterhub.sqlite"

    @property
    def cookie_secret(self) -> Path:
        return self.root / "jupyterhub_cookie_secret"

    @property
    def proxy_token(self) -> Path:
        return self.root / "proxy_token"

    @property
    def passwords(self) -> Path:
        """The room's password and the facilitator's, kept so a restart keeps them."""
        return self.root / "passwords.json"

    @property
    def pid_file(self) -> Path:
        return self.root / "jupyterhub.pid"

    @property
    def log(self) -> Path:
        """JupyterHub's log when it runs in the background (the load test, the tests)."""
        return self.root / "jupyterhub.log"

    @property
    def homes(self) -> Path:
        return self.root / "homes"

    def home(self, user: str) -> Path:
        """One person's home on the hub, holding their copies of the notebooks. A login name is
        typed by people, so it becomes a folder name only as a slug; names with the same slug
        get a short digest each, so two people never share a home."""
        slug = group_slug(user)
        if slug != user:
            slug += "-" + hashlib.sha256(user.encode()).hexdigest()[:8]
        return self.homes / slug

    @property
    def dbt_pool_socket(self) -> Path:
        """The Unix socket of the room's shared dbt workers. Such a path has a short limit, so a
        deep folder gets a socket in the system's temporary folder, named after it."""
        path = self.root / "dbt-pool.sock"
        if len(os.fsencode(path)) <= MAX_SOCKET_PATH:
            return path
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"rainbow-road-pool-{digest}.sock"


# Shorthands for the current workspace's most used folders.


def kit_root() -> Path:
    return Workspace.current().kit


def monolith_dir() -> Path:
    return Workspace.current().monolith_project


def raw_data_dir() -> Path:
    return Workspace.current().raw_data


def workspace_dir() -> Path:
    return Workspace.current().build


def raw_fingerprint() -> str:
    """Changes when any raw data file changes (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(raw_data_dir().glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_files(project_dir: Path) -> list[Path]:
    """A dbt project's own files, sorted (its build output and warehouse excluded)."""
    return [
        path
        for path in sorted(project_dir.rglob("*"))
        if path.is_file()
        and not {"target", "logs", "dbt_packages"} & set(path.relative_to(project_dir).parts)
        and path.name != "package-lock.yml"  # written by `dbt deps`, like dbt_packages/
        and path.suffix != ".duckdb"
    ]


def source_fingerprint(project_dir: Path) -> str:
    """A digest of a dbt project's own files (its build output and warehouse excluded)."""
    digest = hashlib.sha256()
    for path in source_files(project_dir):
        digest.update(str(path.relative_to(project_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
