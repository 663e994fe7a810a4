"""Governance findings for a built mesh, read from the manifests of all its projects.

dbt checks model access only while it parses one project, and the checks it makes there are
not the whole story: dbt-loom lets an ungrouped model read a private model of its own project,
and a downstream manifest keeps whatever its upstream said when the downstream was parsed. So
the kit checks the rules again, across all projects at once, with each model's own project as
the authority on its access, group, owner, contract and versions.

How a model looks in a manifest (dbt 1.11 with dbt-loom 0.9):
- In its own project: `access` and `group` at the top level agree with `config.access` and
  `config.group`; the group's owner is in the manifest's `groups` section.
- Injected into a downstream manifest by dbt-loom: `access`, `group`, `version`,
  `latest_version` and `deprecation_date` at the top level are right, but `config.access` says
  `protected` and `config.group` is empty whatever the upstream said; the description, contract
  and source paths are empty; the upstream's groups and owners are missing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..dbt.artifacts import Manifest, Node, RefEntry, read_manifest
from ..dbt.results import plain
from ..errors import KitError, KitLayoutError
from ..mesh.build import project_run
from ..mesh.graph import Boundary, find_cycle
from ..mesh.layout import Mesh

ERROR = "error"
WARNING = "warning"

LEVER_CONTRACT = "model contract"
LEVER_OWNER = "group and owner"
LEVER_DESCRIPTION = "model description"
LEVER_VERSIONS = "model versions"
LEVER_ACCESS = "model access"
LEVER_PROJECTS = "project dependencies"

_READER_SECTIONS = ("nodes", "exposures", "semantic_models")
_READER_TYPES = {"model", "snapshot", "test", "analysis", "exposure", "semantic_model"}
_EXPOSURE_NOUNS = {
    "dashboard": "dashboard",
    "notebook": "notebook",
    "analysis": "analysis",
    "ml": "machine-learning model",
    "application": "application",
}


@dataclass(frozen=True)
class GovernanceFinding:
    """One thing a council should fix or decide about, in words for people new to dbt."""

    code: str  # stable id, e.g. `protected_violation`
    severity: str  # "error": a rule dbt enforces, or a cycle | "warning": policy advice
    project: str  # where the finding lives
    model: str  # `project.model` it is about ('' if it is about a whole project)
    message: str
    lever: str  # the governance lever that fixes it


@dataclass(frozen=True)
class _Model:
    unique_id: str
    project: str
    name: str
    version: str | None
    latest_version: str | None
    deprecation_date: date | None
    access: str
    group: str | None
    contract_enforced: bool
    description: str

    @property
    def label(self) -> str:
        return f"{self.project}.{self.name}" + (f".v{self.version}" if self.version else "")

    @property
    def described(self) -> str:
        plain = f"`{self.project}.{self.name}`"
        return f"version {self.version} of {plain}" if self.version else plain


@dataclass(frozen=True)
class _Reader:
    """A node that reads models: a model, a data test, a dashboard..."""

    project: str
    model: str  # the `project.model` a finding about it names
    described: str  # how a message names it
    group: str | None
    reads: tuple[str, ...]  # unique ids of the models it depends on
    unpinned: frozenset[tuple[str | None, str]]  # (package or None, name) of refs without `v=`
    tests: str | None  # unique id of the model a data test is attached to
    is_model: bool


def manifests_for(mesh: Mesh, work_root: Path, require_all: bool = True) -> dict[str, Path]:
    """Each project's manifest in a built (or parsed) mesh, or a clear error naming what is missing.

    With `require_all=False`, the projects that have a manifest, without complaint."""
    paths = {p.name: project_run(p, work_root).manifest_path for p in mesh.projects}
    missing = [name for name, path in paths.items() if not path.is_file()]
    if not require_all:
        return {name: path for name, path in paths.items() if path.is_file()}
    if missing:
        raise KitLayoutError(
            f"No dbt manifest for {_names(missing)} in `{work_root}`: the governance check reads "
            "what dbt wrote when it last parsed each project.",
            "Build the mesh first (`mesh-workshop build`), then run the check again.",
        )
    return paths


def governance_findings(
    manifests: Mapping[str, Path], hub: str, today: date | None = None
) -> list[GovernanceFinding]:
    """Every governance finding for the mesh whose projects wrote these manifests: errors first."""
    if hub not in manifests:
        close = difflib.get_close_matches(hub, list(manifests), n=1)
        raise KitError(
            f"The hub `{hub}` is not one of the projects checked ({_names(sorted(manifests))}).",
            f"Did you mean `{close[0]}`?" if close else "Name the hub project of this mesh.",
        )
    loaded = {project: _load(project, path) for project, path in manifests.items()}
    check = _Check(loaded, hub, today or date.today())
    findings = check.public_models() + check.reads() + check.project_graph()
    order = {ERROR: 0, WARNING: 1}
    return sorted(findings, key=lambda f: (order.get(f.severity, 2), f.code, f.project, f.model))


def _load(project: str, path: Path) -> Manifest:
    if not path.is_file():
        raise KitLayoutError(
            f"No dbt manifest for `{project}` at `{path}`.",
            "Build or parse that project first (`mesh-workshop build`).",
        )
    data = read_manifest(path)
    named = data.project_name
    if named and named != project:
        raise KitError(
            f"The manifest `{path}` was written by project `{named}`, not `{project}`.",
            f"Pair each project with its own manifest (`{named}` -> `{path}`).",
        )
    return data


class _Check:
    def __init__(self, manifests: dict[str, Manifest], hub: str, today: date) -> None:
        self.hub = hub
        self.today = today
        self.owners: dict[str, dict] = {}  # group name -> owner
        own: dict[str, _Model] = {}
        injected: dict[str, _Model] = {}
        packaged: dict[str, _Model] = {}
        self.mesh_projects = set(manifests)
        # Projects that read other projects run dbt-loom, which relaxes dbt's private rule.
        self.loomed = {
            project
            for project, manifest in manifests.items()
            if any(n.copied_from_upstream for n in manifest.models())
        }
        for project, manifest in manifests.items():
            for group in manifest.groups.values():
                if group.package_name == project or group.name not in self.owners:
                    self.owners[group.name] = group.owner
            for uid, node in manifest.nodes.items():
                if not node.is_model:
                    continue
                if not node.copied_from_upstream:
                    # The project's own models, or those of a package installed in it.
                    target = own if node.package_name == project else packaged
                    target[uid] = _model(node)
                else:  # put there by dbt-loom from an upstream project's manifest
                    injected.setdefault(uid, _model(node))
                    self.mesh_projects.add(node.package_name)
        # A model's own project is the authority; a downstream copy fills in for projects not given.
        self.models = {**injected, **packaged, **own}
        self.own = own
        self.families: dict[tuple[str, str], list[_Model]] = {}
        for model in sorted(self.models.values(), key=lambda m: _version_key(m.version)):
            self.families.setdefault((model.project, model.name), []).append(model)
        self.readers = [r for p, m in manifests.items() for r in _readers(p, m)]
        self.edges = [
            (reader, self.models[uid])
            for reader in self.readers
            for uid in reader.reads
            if uid in self.models
        ]

    # --- public models -------------------------------------------------------------------

    def public_models(self) -> list[GovernanceFinding]:
        findings = []
        for model in sorted(self.own.values(), key=lambda m: m.label):
            if model.access != "public":
                continue
            readers = sorted(
                {
                    r.project
                    for r, t in self.edges
                    if (t.project, t.name) == (model.project, model.name)
                    and r.project != model.project
                }
            )
            read_by = (
                f"Today {_names(readers)} {'reads' if len(readers) == 1 else 'read'} it"
                if readers
                else "No other project reads it yet, but any of them may start to"
            )
            if not model.contract_enforced:
                findings.append(
                    self._finding(
                        "public_without_contract",
                        WARNING,
                        model,
                        f"{_cap(model.described)} is public, so every project may build on "
                        f"it, yet nothing holds its columns in place. {read_by}. A renamed column "
                        "or a changed type would reach those readers unannounced and break their "
                        "models. To fix: enforce a contract that lists each column with its type, "
                        f"so a breaking change fails in `{model.project}` first.",
                        LEVER_CONTRACT,
                    )
                )
            owner = self.owners.get(model.group or "", {})
            if not model.group or not owner.get("email"):
                why = (
                    "belongs to no group, so it has no named owner"
                    if not model.group
                    else f"belongs to the `{model.group}` group, whose owner has no email address"
                )
                findings.append(
                    self._finding(
                        "public_without_owner",
                        WARNING,
                        model,
                        f"{_cap(model.described)} is public but {why}: a team that wants to "
                        "use it, or finds a problem in it, does not know whom to ask. To fix: put "
                        "the model in a group whose owner has a name and an email address.",
                        LEVER_OWNER,
                    )
                )
            if not model.description.strip():
                findings.append(
                    self._finding(
                        "public_without_description",
                        WARNING,
                        model,
                        f"{_cap(model.described)} is public but has no description, so "
                        "people in other teams cannot tell what one row stands for or whether "
                        "this is the data they need. To fix: describe it in a sentence or two, "
                        "starting with its grain (for example: one row per adoption).",
                        LEVER_DESCRIPTION,
                    )
                )
        return findings

    # --- who reads what --------------------------------------------------------------------

    def reads(self) -> list[GovernanceFinding]:
        findings: dict[tuple[str, str, str, str], GovernanceFinding] = {}
        for reader, target in self.edges:
            for finding in self._access(reader, target) + self._versions(reader, target):
                key = (finding.code, finding.project, finding.model, target.unique_id)
                findings.setdefault(key, finding)
        return list(findings.values())

    def _access(self, reader: _Reader, target: _Model) -> list[GovernanceFinding]:
        other_project = reader.project != target.project
        if target.access == "private":
            owner_group = self._group(target.group)
            if other_project:
                rule = f"only models of that group, inside `{target.project}`, may read it"
                stops = f"The next build of `{reader.project}` stops with an access error."
                fix = (
                    "ask the group's owner to make the model public, or read one of "
                    f"`{target.project}`'s public models instead"
                )
            else:
                if not reader.group:
                    rule = "only models of that group may read it, and this one belongs to no group"
                    stops = (
                        "dbt on its own refuses this read, but in this mesh it passes without a "
                        "word, so nothing but this check points it out."
                        if reader.project in self.loomed
                        else f"dbt refuses this read while it parses `{reader.project}`, so "
                        "nothing in that project builds."
                    )
                elif reader.group != target.group:
                    rule = (
                        "only models of that group may read it, and this one belongs to the "
                        f"`{reader.group}` group"
                    )
                    stops = f"The next build of `{reader.project}` stops with an access error."
                else:
                    return []
                fix = (
                    f"put the reader in the `{target.group}` group, or ask the group's owner to "
                    f"make the model protected (open to all of `{target.project}`)"
                )
            return [
                self._read_finding(
                    "private_violation",
                    ERROR,
                    reader,
                    f"{_cap(reader.described)} reads {target.described}, which is private to "
                    f"{owner_group}: {rule}. {stops} To fix: {fix}.",
                )
            ]
        if target.access == "protected" and other_project and target.project in self.mesh_projects:
            return [
                self._read_finding(
                    "protected_violation",
                    ERROR,
                    reader,
                    f"{_cap(reader.described)} reads {target.described}, but that model is "
                    f"protected: only models inside `{target.project}` may read it. The next "
                    f"build of `{reader.project}` stops with an access error. To fix: the "
                    f"`{target.project}` team makes `{target.name}` public (best with a contract), "
                    f"or `{reader.project}` reads one of their public models instead.",
                )
            ]
        return []

    def _versions(self, reader: _Reader, target: _Model) -> list[GovernanceFinding]:
        if target.version is None or reader.tests == target.unique_id:
            return []  # a model's own tests follow it from version to version
        found = []
        family = self.families.get((target.project, target.name), [target])
        if target.deprecation_date is not None:
            when = target.deprecation_date.isoformat()
            retired = target.deprecation_date <= self.today
            if retired:
                status = (
                    f"was retired on {when}: it still works today, but the `{target.project}` "
                    "team may remove it at any time"
                )
            else:
                status = f"is due to retire on {when}"
            successor = next(
                (
                    m
                    for m in family
                    if m.deprecation_date is None
                    and _version_key(m.version) > _version_key(target.version)
                ),
                None,
            )
            if successor is None:
                step = f"ask the `{target.project}` team what replaces it"
            elif retired:
                step = f"switch this read to version {successor.version} now"
            else:
                step = (
                    f"switch this read to version {successor.version} before then, or agree a "
                    f"later date with the `{target.project}` team"
                )
            found.append(
                self._read_finding(
                    "deprecated_version_ref",
                    WARNING,
                    reader,
                    f"{_cap(reader.described)} reads {target.described}, which {status}. "
                    f"To fix: {step}.",
                    LEVER_VERSIONS,
                )
            )
        newest = family[-1]
        unpinned = {(None, target.name), (target.project, target.name)} & reader.unpinned
        if (
            unpinned
            and target.latest_version is not None
            and _version_key(newest.version) > _version_key(target.latest_version)
        ):
            found.append(
                self._read_finding(
                    "unpinned_ref_to_versioned_model",
                    WARNING,
                    reader,
                    f"{_cap(reader.described)} reads `{target.project}.{target.name}` "
                    f"without naming a version. Today that means version {target.latest_version}; "
                    f"version {newest.version} is being prepared, and the day the "
                    f"`{target.project}` team makes it the main one, this read switches to it "
                    "unannounced. To fix: name the version it reads, and move to version "
                    f"{newest.version} on purpose once it has been tried.",
                    LEVER_VERSIONS,
                )
            )
        return found

    # --- the project graph -----------------------------------------------------------------

    def project_graph(self) -> list[GovernanceFinding]:
        crossing = {
            (reader.project, target.project, not reader.is_model, reader.described, target.label)
            for reader, target in self.edges
            if reader.project != target.project and target.project in self.mesh_projects
        }
        pairs: dict[tuple[str, str], list[str]] = {}  # (reader, read) project -> examples
        for consumer, producer, _, described, label in sorted(crossing):
            pairs.setdefault((consumer, producer), []).append(f"{described} reads `{label}`")
        boundaries = [Boundary(c, "", p, "") for c, p in pairs]
        findings = []
        for (consumer, producer), edges in sorted(pairs.items()):
            if producer == self.hub:
                continue
            example = _reads_list(edges)
            if consumer == self.hub:
                findings.append(
                    GovernanceFinding(
                        "hub_reads_spoke",
                        WARNING,
                        consumer,
                        "",
                        f"The hub `{consumer}` reads the spoke `{producer}` ({example}). The hub "
                        "is meant to sit upstream of every spoke: now the core data sets every "
                        f"team relies on wait for `{producer}`, and a change there can break "
                        f"them. To fix: move what the hub needs into `{consumer}`, or move the "
                        f"hub model that needs it into `{producer}`.",
                        LEVER_PROJECTS,
                    )
                )
            else:
                findings.append(
                    GovernanceFinding(
                        "spoke_reads_spoke",
                        WARNING,
                        consumer,
                        "",
                        f"The spoke `{consumer}` reads another spoke, `{producer}` ({example}). "
                        f"The architect's plan has spokes read only the hub `{self.hub}`, so "
                        f"`{producer}` now has to warn `{consumer}` before every change. To fix: "
                        f"move the shared model into `{self.hub}`, or have the council approve "
                        "this link as an exception and write it down.",
                        LEVER_PROJECTS,
                    )
                )
        cycle = find_cycle(sorted(self.mesh_projects), boundaries)
        if cycle:
            closing = [
                e for a, b in zip(cycle, cycle[1:], strict=False) for e in pairs.get((a, b), [])[:2]
            ]
            findings.append(
                GovernanceFinding(
                    "project_cycle",
                    ERROR,
                    cycle[0],
                    "",
                    f"The projects {' -> '.join(f'`{p}`' for p in cycle)} read each other in a "
                    "circle, so none of them can be built first: each waits for a fresh copy of "
                    f"the other. Reads that close the circle: {_reads_list(closing, limit=4)}. "
                    "To fix: move the models on one side of the circle into the project they read "
                    "from, or move what both sides share into the hub.",
                    LEVER_PROJECTS,
                )
            )
        return findings

    # --- helpers ----------------------------------------------------------------------------

    def _group(self, group: str | None) -> str:
        owner = self.owners.get(group or "", {})
        who = owner.get("name") or owner.get("email")
        return f"the `{group}` group" + (f" (owner: {who})" if who else "")

    def _finding(
        self, code: str, severity: str, model: _Model, message: str, lever: str
    ) -> GovernanceFinding:
        return GovernanceFinding(code, severity, model.project, model.label, message, lever)

    def _read_finding(
        self, code: str, severity: str, reader: _Reader, message: str, lever: str = LEVER_ACCESS
    ) -> GovernanceFinding:
        return GovernanceFinding(code, severity, reader.project, reader.model, message, lever)


_DBT_HEADINGS = re.compile(r"^(Encountered an error:?|[A-Z][a-z]+ Error|Full dbt log: .*)$")


def not_parsed_finding(outcome) -> GovernanceFinding:
    """A project that dbt could not read in this check (a `mesh_build.ProjectOutcome`)."""
    error = plain(outcome.result.error if outcome.result else outcome.note)
    lines = [re.sub(r"^\d\d:\d\d:\d\d\s+", "", line).strip() for line in error.splitlines()]
    first = next((line for line in lines if line and not _DBT_HEADINGS.match(line)), "")
    about_access = "not allowed because the referenced node is" in (error or "")
    return GovernanceFinding(
        "project_did_not_parse",
        ERROR,
        outcome.name,
        "",
        f"dbt could not read `{outcome.name}`, so nothing in it was built and no project that "
        f"reads it could be built either"
        + (f" (dbt said: {first[:300]})" if first else "")
        + ". Until it parses, every project downstream of it is blocked.",
        LEVER_ACCESS if about_access else LEVER_PROJECTS,
    )


def _model(node: Node) -> _Model:
    return _Model(
        unique_id=node.unique_id,
        project=node.package_name,
        name=node.name,
        version=_str_or_none(node.version),
        latest_version=_str_or_none(node.latest_version),
        deprecation_date=node.deprecated_from,
        # Top-level fields first: dbt-loom's copies keep them, but reset `config.access`/`.group`.
        access=node.own_access,
        group=node.own_group,
        contract_enforced=node.contract_enforced,
        description=node.description or "",
    )


def _readers(project: str, manifest: Manifest) -> Iterable[_Reader]:
    models = manifest.nodes
    for section in _READER_SECTIONS:
        for uid, node in getattr(manifest, section).items():
            kind = node.resource_type or uid.split(".", 1)[0]
            if node.package_name != project or kind not in _READER_TYPES:
                continue
            reads = node.depends_on.models()
            if not reads:
                continue
            attached = node.attached_node if kind == "test" else None
            if attached and attached in models:
                parent = _model(models[attached])
                model, described = parent.label, f"a data test on `{parent.label}`"
            elif kind == "model":
                model = _model(node).label
                described = f"`{model}`"
            else:
                model = f"{project}.{node.name}"
                noun = {
                    "test": "the data test",
                    "exposure": "the " + _EXPOSURE_NOUNS.get(node.type or "", "report"),
                    "semantic_model": "the semantic model",
                }.get(kind, f"the {kind}")
                described = f"{noun} `{model}`"
            yield _Reader(
                project=project,
                model=model,
                described=described,
                group=node.own_group,
                reads=reads,
                unpinned=frozenset(
                    (r.package, r.name)
                    for r in node.refs
                    if isinstance(r, RefEntry) and r.version is None
                ),
                tests=attached,
                is_model=kind == "model",
            )


def _version_key(version: str | None) -> tuple[int, float, str]:
    if version is None:
        return (-1, 0.0, "")
    try:
        return (0, float(version), "")
    except ValueError:
        return (1, 0.0, version)


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def _reads_list(reads: list[str], limit: int = 3) -> str:
    shown = reads[:limit]
    more = len(reads) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _names(names: Iterable[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
