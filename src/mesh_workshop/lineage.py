"""Draw a project's lineage as Mermaid diagrams (JupyterLab renders them in Markdown)."""

from __future__ import annotations

from .manifest import ProjectGraph

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
    """Every model as a box, grouped by domain; red arrows where one domain reads another's model."""
    models = [m for m in graph.models.values() if include_staging or m.layer != "staging"]
    shown = {m.unique_id for m in models}
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
    edges = [(p, c) for p, c in graph.edges() if p.unique_id in shown and c.unique_id in shown]
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
