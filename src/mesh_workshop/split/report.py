"""The split report: every decision of the split, written for the people who will own the projects."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import SplitResult


def render_report(result: SplitResult) -> str:
    plan = result.plan
    lines = [
        "# Split report",
        "",
        f"Written by `mesh-workshop split` from `{result.plan_file}`. Hub: `{plan.hub}`; "
        f"policy: {'hub and spoke (spokes read the hub only)' if plan.policy == 'hub_and_spoke' else 'any project may read any other'}.",
        "",
        "## Projects, in build order",
        "",
        "| Project | Team (dbt group) | Owner | Models | Reads from |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in result.order:
        project = plan.project(name)
        count = sum(1 for owner in result.owner.values() if owner == name)
        reads = ", ".join(f"`{u}`" for u in result.upstreams_of(name)) or "nothing (raw data only)"
        lines.append(
            f"| `{name}` | `{project.team.group}` | {project.team.owner.name} "
            f"({project.team.owner.email}) | {count} | {reads} |"
        )
    if result.moved:
        lines += ["", "## Models placed by name", ""]
        for model, project, reason in result.moved:
            lines.append(f"- `{model}` -> `{project}`" + (f": {reason}" if reason else ""))
    lines += ["", "## Cross-project boundaries", ""]
    by_pair: dict[tuple[str, str], list] = defaultdict(list)
    for edge in result.boundaries:
        by_pair[(edge.consumer, edge.producer)].append(edge)
    for (consumer, producer), edges in sorted(by_pair.items()):
        lines.append(f"### `{consumer}` reads `{producer}` ({len(edges)} refs)")
        lines.append("")
        lines += [
            f"- `{e.consumer_model}` -> `ref('{producer}', '{e.producer_model}')`" for e in edges
        ]
        lines.append("")
    lines += [
        "## Models made public",
        "",
        "Another project reads these, so the baseline marks them `access: public`. No contracts, "
        "versions or owners' rules yet: agreeing those is the workshop's work.",
        "",
    ]
    lines += [f"- `{result.owner[m]}.{m}`" for m in result.public]
    lines += ["", "## Sources placed", "", "| Source table | Project |", "| --- | --- |"]
    lines += [f"| `{s}.{t}` | `{p}` |" for (s, t), p in sorted(result.source_home.items())]
    if result.unit_tests_off:
        lines += [
            "",
            "## Unit tests switched off",
            "",
            "These unit tests feed their model with rows of another project's models. dbt-loom 0.9.6 "
            "rejects such inputs as if the upstream models were protected, so the split keeps them, "
            "with `enabled: false`. They still run in the monolith.",
            "",
        ]
        lines += [f"- `{name}`" for name in result.unit_tests_off]
    if result.tests_left_out:
        lines += [
            "",
            "## Tests left in the monolith",
            "",
            "These tests read raw tables that now belong to different projects, so no single project "
            "can run them. They still run in the monolith; each team could write its own part.",
            "",
        ]
        lines += [f"- `{path}`" for path in result.tests_left_out]
    lines += ["", "## Findings", ""]
    lines += [f"- {f.message}" for f in result.findings] or [
        "- None: every spoke reads the hub only."
    ]
    return "\n".join(lines) + "\n"
