"""Draw lineage as Mermaid diagrams (JupyterLab renders them in Markdown): the monolith's models
and domains, and a group's mesh with what its decisions changed and what broke."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..dbt.artifacts import ProjectGraph, read_manifest
from .build import project_run
from .layout import Mesh

DOMAIN_STYLES = {
    "staging": ("Raw data, cleaned", "#eeeeee", "#888888"),
    "core": ("Shared core", "#e3f2fd", "#1565c0"),
    "rescue_operations": ("Rescue operations", "#e8f5e9", "#2e7d32"),
    "people_ops": ("People ops", "#fff3e0", "#ef6c00"),
    "finance": ("Finance", "#f3e5f5", "#6a1b9a"),
    "marketing": ("Marketing", "#fce4ec", "#ad1457"),
}
CROSS_EDGE_STYLE = "stroke:#d32f2f,stroke-width:2px"


def model_dag(graph: ProjectGraph, include_staging: bool = False) -> str:
    """Every model as a box, grouped by domain; red arrows where one domain reads another's model.
    (Too big to read at a glance: the notebooks show `tangles` and `neighbourhood` instead.)"""
    models = [m for m in graph.models.values() if include_staging or m.layer != "staging"]
    shown = {m.unique_id for m in models}
    edges = [(p, c) for p, c in graph.edges() if p.unique_id in shown and c.unique_id in shown]
    return _models_diagram(models, edges)


def tangles(graph: ProjectGraph) -> str:
    """Only the tangles: the models on either end of a red arrow (one team's model read directly
    by another team's), grouped by domain."""
    edges = graph.cross_domain_edges()
    models = {m.unique_id: m for edge in edges for m in edge}
    return _models_diagram(list(models.values()), edges)


def neighbourhood(graph: ProjectGraph, name: str) -> str:
    """One model (outlined) with the models it reads and the models that read it, by domain."""
    model = graph.by_name(name)
    edges = [(p, c) for p, c in graph.edges() if model in (p, c)]
    models = {m.unique_id: m for edge in edges for m in edge} or {model.unique_id: model}
    diagram = _models_diagram(list(models.values()), edges)
    return f"{diagram}\n  style {name} stroke:#f9a825,stroke-width:4px"


def _models_diagram(models: list, edges: list) -> str:
    lines = ["flowchart LR"]
    for domain, (label, fill, stroke) in DOMAIN_STYLES.items():
        members = sorted(m.name for m in models if m.domain == domain)
        if not members:
            continue
        lines.append(f'  subgraph {domain}["{label}"]')
        lines.extend(f"    {name}" for name in members)
        lines.append("  end")
        lines.append(f"  style {domain} fill:{fill},stroke:{stroke}")
    cross: list[int] = []
    for index, (parent, child) in enumerate(sorted(edges, key=lambda e: (e[0].name, e[1].name))):
        lines.append(f"  {parent.name} --> {child.name}")
        if parent.domain != child.domain and parent.domain not in {"staging", "core"}:
            cross.append(index)
    if cross:
        lines.append(f"  linkStyle {','.join(map(str, cross))} {CROSS_EDGE_STYLE}")
    return "\n".join(lines)


def domain_map(graph: ProjectGraph) -> str:
    """One box per domain; an arrow per pair of domains, labelled with how many model edges it holds."""
    lines = ["flowchart LR"]
    for domain, (label, fill, stroke) in DOMAIN_STYLES.items():
        count = sum(1 for m in graph.models.values() if m.domain == domain)
        if count:
            lines.append(f'  {domain}["{label}<br/>{count} models"]')
            lines.append(f"  style {domain} fill:{fill},stroke:{stroke}")
    cross: list[int] = []
    for index, ((source, target), count) in enumerate(sorted(graph.domain_edge_counts().items())):
        lines.append(f"  {source} -- {count} --> {target}")
        if source not in {"staging", "core"}:
            cross.append(index)
    if cross:
        lines.append(f"  linkStyle {','.join(map(str, cross))} {CROSS_EDGE_STYLE}")
    return "\n".join(lines)


def as_markdown(diagram: str) -> str:
    """Wrap a diagram in the fenced block that JupyterLab renders as a picture."""
    return f"```mermaid\n{diagram}\n```"


# A group's mesh: which models changed, which broke, and who reads them -------------------------

MAX_DIAGRAM_MODELS = 40
VERDICT_STYLES = {
    "changed": "fill:#fff59d,stroke:#f9a825,stroke-width:2px",
    "broken": "fill:#ffcdd2,stroke:#c62828,stroke-width:2px",
    "circle": "fill:#ffffff,stroke:#c62828,stroke-width:3px",
    "more": "fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:3 3,color:#616161",
}
PROJECT_BOX_STYLE = "fill:#f7f7f7,stroke:#9e9e9e"  # neutral, so yellow only ever means "changed"
CIRCLE_LINK_STYLE = "stroke:#c62828,stroke-width:3px,color:#c62828"
Edge = tuple[str, str]  # ("project.model" read, "project.model" reading it)


def node_id(project_model: str) -> str:
    """The Mermaid id of a `project.model` box (ids never clash with Mermaid's keywords)."""
    project, _, model = project_model.partition(".")
    return f"m_{project}__{model}"


def _project_id(project: str) -> str:
    return f"p_{project}"


def mesh_edges(layout: Mesh, work_root: Path) -> list[Edge]:
    """Every model-to-model edge of a mesh, within and across projects.

    Read from the manifests the last build wrote (`<work_root>/<project>/target/manifest.json`);
    a project without a manifest contributes its cross-project refs, read from its SQL files.
    Versions of a model count as the model (`fct_x.v2` is `fct_x`).
    """
    edges: set[Edge] = set()
    for project in layout.projects:
        try:
            manifest = read_manifest(project_run(project, work_root).manifest_path)
        except (OSError, ValueError):
            edges.update(
                b.edge
                for b in layout.boundaries
                if b.consumer == project.name and b.consumer_model.endswith(".sql")
            )
            continue
        for node in manifest.models(project.name):
            child = f"{project.name}.{node.name}"
            for parent_id in node.depends_on.nodes:
                parts = parent_id.split(".")
                if parts[0] == "model" and len(parts) >= 3:
                    parent = f"{parts[1]}.{parts[2]}"
                    if parent != child:
                        edges.add((parent, child))
    return sorted(edges)


def project_diagram(layout: Mesh) -> str:
    """One box per project; an arrow from each project to the projects that read it,
    labelled with how many cross-project refs it carries."""
    lines = ["flowchart LR"]
    lines += [f'  {_project_id(p.name)}["{p.name}"]' for p in layout.projects]
    refs = Counter((b.producer, b.consumer) for b in layout.boundaries)
    for p in layout.projects:
        for upstream in p.upstreams:
            count = refs[(upstream, p.name)]
            label = f"{count} ref{'s' if count != 1 else ''}"
            lines.append(f"  {_project_id(upstream)} -- {label} --> {_project_id(p.name)}")
    return "\n".join(lines)


def verdict_diagram(
    layout: Mesh,
    edges: Iterable[Edge],
    changed: Iterable[str],
    broken: Iterable[str],
    max_models: int = MAX_DIAGRAM_MODELS,
    circle: Iterable[Edge] = (),
) -> str:
    """The models a check changed (yellow) and broke (red), with their direct readers and
    upstreams, grouped by project, plus dashed arrows between the projects.

    `changed` and `broken` are `project.model` names (as in a verdict); a bare model name, or one
    whose project is unknown, is looked up in `edges`. Readers and upstreams in another project
    come first; past `max_models` boxes the rest of each project is summarised in one box. With
    nothing changed or broken, the picture is the project graph.

    `circle`: the refs that would make projects read each other (a refused proposal). They are
    drawn as thick red arrows between their models, and between their projects, labelled "reads".
    """
    circle = sorted(set(circle))
    edges = sorted(set(edges) | set(circle))
    known = {m for edge in edges for m in edge}
    by_name: dict[str, list[str]] = {}
    for m in known:
        by_name.setdefault(m.split(".", 1)[1], []).append(m)

    def resolve(names: Iterable[str]) -> list[str]:
        found: list[str] = []
        for name in names:
            project, _, model = name.rpartition(".")
            if project not in {p.name for p in layout.projects}:
                found += sorted(by_name.get(model, []))
            else:
                found.append(name)
        return list(dict.fromkeys(found))

    broken_set = set(resolve(broken))
    changed_set = set(resolve(changed)) - broken_set
    circle_set = {m for edge in circle for m in edge} - broken_set - changed_set
    focus = [*sorted(changed_set), *sorted(broken_set), *sorted(circle_set)]
    if not focus:
        return project_diagram(layout)
    focus_set = set(focus)
    near = [
        (other, other.split(".")[0] != m.split(".")[0])
        for m in focus
        for parent, child in edges
        if m in (parent, child)
        for other in [child if m == parent else parent]
        if other not in focus_set
    ]
    neighbours = [m for m, _ in sorted(set(near), key=lambda n: (not n[1], n[0]))]
    candidates = list(dict.fromkeys([*focus, *neighbours]))
    shown = candidates[:max_models]
    shown_set = set(shown)
    hidden = Counter(m.split(".")[0] for m in candidates[max_models:])

    projects = [p.name for p in layout.projects]
    projects += sorted({m.split(".")[0] for m in shown} - set(projects))
    lines = ["flowchart LR"]
    for name in projects:
        models = sorted(m for m in shown if m.split(".")[0] == name)
        pid = _project_id(name)
        if not models and not hidden[name]:
            lines.append(f'  {pid}["{name}"]')
            continue
        lines.append(f'  subgraph {pid}["{name}"]')
        lines += [f'    {node_id(m)}["{m.split(".", 1)[1]}"]' for m in models]
        if hidden[name]:
            count = hidden[name]
            lines.append(f'    {pid}_more["... and {count} more model{"s" if count != 1 else ""}"]')
        lines.append("  end")
        lines.append(f"  style {pid} {PROJECT_BOX_STYLE}")
    links = 0  # Mermaid numbers the arrows in the order they are drawn, for `linkStyle`
    red: list[int] = []
    for parent, child in edges:
        if (parent, child) in circle:
            lines.append(f"  {node_id(parent)} == reads ==> {node_id(child)}")
        elif parent in shown_set and child in shown_set and {parent, child} & focus_set:
            lines.append(f"  {node_id(parent)} --> {node_id(child)}")
        else:
            continue
        if (parent, child) in circle:
            red.append(links)
        links += 1
    circle_projects = {(p.split(".")[0], c.split(".")[0]) for p, c in circle}
    project_edges = {(u, p.name) for p in layout.projects for u in p.upstreams}
    for upstream, reader in sorted(project_edges | circle_projects):
        if (upstream, reader) in circle_projects:
            lines.append(f"  {_project_id(upstream)} == reads ==> {_project_id(reader)}")
            red.append(links)
        else:
            lines.append(f"  {_project_id(upstream)} -.-> {_project_id(reader)}")
        links += 1
    if red:
        lines.append(f"  linkStyle {','.join(map(str, red))} {CIRCLE_LINK_STYLE}")
    for name, style in VERDICT_STYLES.items():
        lines.append(f"  classDef {name} {style}")
    for name, members in (("changed", changed_set), ("broken", broken_set), ("circle", circle_set)):
        ids = [node_id(m) for m in sorted(members) if m in shown_set]
        if ids:
            lines.append(f"  class {','.join(ids)} {name}")
    more = [f"{_project_id(p)}_more" for p in sorted(hidden)]
    if more:
        lines.append(f"  class {','.join(more)} more")
    return "\n".join(lines)


def mesh_picture(
    layout: Mesh,
    work_root: Path,
    changed: Iterable[str] = (),
    broken: Iterable[str] = (),
    circle: Iterable[Edge] = (),
) -> str:
    """The picture of a group's mesh: the project graph until a check has changed or broken
    something, then the verdict's models among their readers and upstreams; the refs that would
    close a circle of projects in red."""
    changed, broken, circle = list(changed), list(broken), list(circle)
    if not changed and not broken and not circle:
        return project_diagram(layout)
    return verdict_diagram(layout, mesh_edges(layout, work_root), changed, broken, circle=circle)
