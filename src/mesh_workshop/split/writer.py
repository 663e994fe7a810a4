"""Write one dbt project of the mesh from the monolith's files.

Everything is copied from the monolith and changed only where ownership demands it: refs to a
model in another project become two-argument refs, models that other projects read become
`public`, and each project gets its own profile, group, dbt-loom config and dependencies. The
shared macros are not copied: every project installs the monolith's local package
(`packages.yml`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..dbt.runner import RAW_DIR_ENV
from ..mesh.layout import MESH_DIR_ENV
from .index import MonolithIndex
from .plan import ProjectPlan

REF_RE = re.compile(r"""ref\(\s*(['"])(?P<name>[A-Za-z_][A-Za-z0-9_]*)\1\s*\)""")
RAW_DIR_DEFAULT = "'../data/raw'"  # the monolith's default, relative to its folder
# A mesh folder sits beside data/ in the kit, so its projects are one level deeper.
MESH_RAW_DIR_DEFAULT = "'../../data/raw'"
# The dbt-duckdb plugin that keeps SQL in the projects to their own folders.
WALL_PLUGIN = "mesh_workshop.dbt.duckdb_wall"
UNIT_TEST_OFF_NOTE = (
    "Switched off in the mesh: some of its inputs now come from another project, and dbt-loom "
    "0.9.6 rejects unit-test inputs from other projects as if they were protected. It still runs "
    "in the monolith."
)
GENERATED = (
    "# Generated from the monolith by `mesh-workshop split`; edit the split plan, not this file.\n"
)


@dataclass(frozen=True)
class ProjectLayout:
    """The decisions about one project that the engine made and the writer carries out."""

    plan: ProjectPlan
    hub: str
    upstreams: tuple[str, ...]
    owner: Mapping[str, str]  # model -> project
    public: frozenset[str]  # models other projects read
    source_home: Mapping[tuple[str, str], str]  # (source, table) -> project
    test_home: Mapping[str, str]  # singular test path -> project
    exposure_home: Mapping[str, str]  # exposure name -> project
    unit_tests_off: frozenset[str] = frozenset()  # unit tests fed by another project's models

    @property
    def name(self) -> str:
        return self.plan.name


def rewrite_refs(text: str, project: str, owner: Mapping[str, str]) -> str:
    """`ref('m')` -> `ref('other_project', 'm')` where `m` now lives in another project."""

    def replace(match: re.Match) -> str:
        name, quote = match["name"], match.group(1)
        home = owner.get(name)
        if home is None or home == project:
            return match.group(0)
        return f"ref({quote}{home}{quote}, {quote}{name}{quote})"

    return REF_RE.sub(replace, text)


def write_project(index: MonolithIndex, out: Path, layout: ProjectLayout) -> None:
    """Write the whole project into `out` (which must not exist yet)."""
    monolith = index.project_dir
    out.mkdir(parents=True)
    mine = [m for m in index.models.values() if layout.owner[m.name] == layout.name]
    for model in mine:
        _copy_sql(monolith / model.sql_path, out / model.sql_path, layout)
    for test_path, home in sorted(layout.test_home.items()):
        if home == layout.name:
            _copy_sql(monolith / test_path, out / test_path, layout)
    _write_properties(index, out, layout)
    _write_packages(monolith, out)
    write_yaml(out / "models" / "_groups.yml", {"version": 2, "groups": [_group(layout.plan)]})
    _write_dbt_project(monolith, out, layout, {m.folder for m in mine})
    write_connections(out, layout.name, layout.upstreams)


def write_connections(out: Path, name: str, upstreams: tuple[str, ...]) -> None:
    """The files that let a project read its upstream projects: profile, dbt-loom, dependencies."""
    (out / "profiles.yml").write_text(_profiles(name, upstreams))
    if upstreams:
        (out / "dbt_loom.config.yml").write_text(_loom_config(upstreams))
        (out / "dependencies.yml").write_text(_dependencies(upstreams))


def declared_upstreams(out: Path) -> tuple[str, ...]:
    """The projects a written project says it reads (its `dependencies.yml`)."""
    path = out / "dependencies.yml"
    if not path.is_file():
        return ()
    return tuple(p["name"] for p in (yaml.safe_load(path.read_text()) or {}).get("projects", []))


def _copy_sql(source: Path, target: Path, layout: ProjectLayout) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(rewrite_refs(source.read_text(), layout.name, layout.owner))


def _write_properties(index: MonolithIndex, out: Path, layout: ProjectLayout) -> None:
    """Split every properties file of the monolith: each entry goes to the project that owns it."""
    monolith = index.project_dir
    for path in sorted((monolith / "models").rglob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        kept: dict = {}
        for key, entries in data.items():
            if key == "version":
                continue
            chosen = [e for e in (_keep(key, e, layout) for e in entries or []) if e is not None]
            if chosen:
                kept[key] = chosen
        if not kept:
            continue
        kept = _map_strings(
            {"version": data.get("version", 2), **kept},
            lambda text: rewrite_refs(text, layout.name, layout.owner).replace(
                RAW_DIR_DEFAULT, MESH_RAW_DIR_DEFAULT
            ),
        )
        write_yaml(out / path.relative_to(monolith), kept)


def _keep(key: str, entry: dict, layout: ProjectLayout) -> dict | None:
    """The part of one properties entry that belongs to this project, or None."""
    if key == "models":
        if layout.owner.get(entry["name"]) != layout.name:
            return None
        if entry["name"] in layout.public:
            config = dict(entry.get("config") or {})
            config["access"] = "public"
            entry = {**entry, "config": config}
        return entry
    if key == "unit_tests":
        if layout.owner.get(entry["model"]) != layout.name:
            return None
        if entry["name"] in layout.unit_tests_off:
            config = {**(entry.get("config") or {}), "enabled": False}
            note = UNIT_TEST_OFF_NOTE.format(name=layout.name)
            entry = {
                **entry,
                "description": f"{entry.get('description', '').strip()}\n\n{note}".strip(),
                "config": config,
            }
        return entry
    if key == "exposures":
        return entry if layout.exposure_home.get(entry["name"]) == layout.name else None
    if key == "sources":
        tables = [
            t
            for t in entry.get("tables", [])
            if layout.source_home.get((entry["name"], t["name"])) == layout.name
        ]
        return {**entry, "tables": tables} if tables else None
    return entry if layout.name == layout.hub else None  # anything else stays in the hub


def _map_strings(node, change):
    """`node` (parsed YAML) with `change` applied to every string in it."""
    if isinstance(node, str):
        return change(node)
    if isinstance(node, list):
        return [_map_strings(item, change) for item in node]
    if isinstance(node, dict):
        return {key: _map_strings(value, change) for key, value in node.items()}
    return node


def _group(plan: ProjectPlan) -> dict:
    return {
        "name": plan.team.group,
        "owner": {"name": plan.team.owner.name, "email": plan.team.owner.email},
    }


def _write_dbt_project(monolith: Path, out: Path, layout: ProjectLayout, folders: set[str]) -> None:
    config = yaml.safe_load((monolith / "dbt_project.yml").read_text())
    old_name = config["name"]
    model_config = _prune(config["models"][old_name], "", folders)
    project = {
        "name": layout.name,
        "version": config.get("version", "1.0.0"),
        "config-version": 2,
        "profile": layout.name,
        **{k: v for k, v in config.items() if k.endswith("-paths") or k == "clean-targets"},
        **(
            {"packages-install-path": _Quoted(config["packages-install-path"])}
            if "packages-install-path" in config
            else {}
        ),
        "models": {layout.name: {"+group": layout.plan.team.group, **model_config}},
    }
    if "data_tests" in config:
        project["data_tests"] = {layout.name: config["data_tests"][old_name]}
    description = f"# {layout.name}: {layout.plan.description}\n" if layout.plan.description else ""
    (out / "dbt_project.yml").write_text(GENERATED + description + _dump(project))


def _write_packages(monolith: Path, out: Path) -> None:
    """The monolith's dbt packages, for a project one folder deeper: a `local:` package (the
    shared macros) is found from a mesh folder that sits beside the monolith, as
    `mesh_projects/` does in the kit. The macros are installed, never copied."""
    path = monolith / "packages.yml"
    if not path.is_file():
        return
    packages = [
        {**entry, "local": f"../{entry['local']}"}
        if "local" in entry and not Path(entry["local"]).is_absolute()
        else entry
        for entry in (yaml.safe_load(path.read_text()) or {}).get("packages", [])
    ]
    note = (
        "# The monolith's dbt packages. `dbt deps` installs them into dbt_packages/; the kit\n"
        "# installs them for its own runs (see mesh_workshop.dbt.packages).\n"
    )
    (out / "packages.yml").write_text(GENERATED + note + _dump({"packages": packages}))


def _prune(config: dict, prefix: str, folders: set[str]) -> dict:
    """Keep folder configs only for folders this project has models in."""
    kept = {}
    for key, value in config.items():
        if key.startswith("+"):
            kept[key] = value
            continue
        folder = f"{prefix}/{key}" if prefix else key
        if any(f == folder or f.startswith(folder + "/") for f in folders):
            kept[key] = _prune(value, folder, folders) if isinstance(value, dict) else value
    return kept


def _profiles(name: str, upstreams: tuple[str, ...]) -> str:
    lines = [
        GENERATED.rstrip("\n"),
        f"# {name}'s own DuckDB file. Upstream projects' files are attached read-only under their",
        "# project names, which is how cross-project refs find their tables.",
        f"# `{MESH_DIR_ENV}` is the folder holding one folder per project (default: the parent",
        "# folder, right when dbt runs inside this project's folder).",
        f"{name}:",
        "  target: dev",
        "  outputs:",
        "    dev:",
        "      type: duckdb",
        f"      path: \"{{{{ env_var('{MESH_DIR_ENV}', '..') }}}}/{name}/{name}.duckdb\"",
        "      threads: 1",
        "      # SQL run here may use files only in these folders: the mesh's build folders (this",
        "      # project's file and its upstreams') and the raw data. No other files, no other",
        "      # warehouse, no extensions; see docs/warehouse-and-processes.md.",
        "      plugins:",
        f"        - module: {WALL_PLUGIN}",
        "          config:",
        "            allowed_directories:",
        f"              - \"{{{{ env_var('{MESH_DIR_ENV}', '..') }}}}\"",
        f"              - \"{{{{ env_var('{RAW_DIR_ENV}', {MESH_RAW_DIR_DEFAULT}) }}}}\"",
    ]
    if upstreams:
        lines.append("      attach:")
        for upstream in upstreams:
            lines += [
                f"        - path: \"{{{{ env_var('{MESH_DIR_ENV}', '..') }}}}/{upstream}/{upstream}.duckdb\"",
                "          read_only: true",
            ]
    return "\n".join(lines) + "\n"


def _loom_config(upstreams: tuple[str, ...]) -> str:
    lines = [
        GENERATED.rstrip("\n"),
        "# dbt-loom reads the upstream projects' manifests, so that two-argument refs resolve.",
        f"# Set {MESH_DIR_ENV} to an absolute folder (`source mesh_projects/mesh.env.sh` does it).",
        "manifests:",
    ]
    for upstream in upstreams:
        lines += [
            f"  - name: {upstream}",
            "    type: file",
            "    config:",
            f"      path: ${{{MESH_DIR_ENV}}}/{upstream}/target/manifest.json",
        ]
    return "\n".join(lines) + "\n"


def _dependencies(upstreams: tuple[str, ...]) -> str:
    lines = [
        GENERATED.rstrip("\n"),
        "# The projects this one reads, as dbt Cloud's mesh expects them (dbt-loom does the work locally).",
        "projects:",
    ]
    lines += [f"  - name: {upstream}" for upstream in upstreams]
    return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # never write &anchors
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value.strip("\n") else None
    if style:
        value = value.rstrip("\n") + "\n"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Quoted(str):
    """A string written in double quotes (Jinja with quotes inside reads better that way)."""


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _Quoted,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'),
)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GENERATED + _dump(data))
