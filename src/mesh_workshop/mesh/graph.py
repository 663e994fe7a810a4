"""The project-level graph of a mesh: who reads whom, cycles, and hub-and-spoke findings.

dbt-loom does not notice two projects that read each other (no model-level cycle is needed for
that), so the kit checks the project graph itself before dbt runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import KitError


class ProjectCycleError(KitError):
    """Two or more projects would read each other. `circle`: the refs that close the circle."""

    def __init__(self, message: str, hint: str = "", circle: tuple[Boundary, ...] = ()) -> None:
        super().__init__(message, hint)
        self.circle = circle


@dataclass(frozen=True)
class Boundary:
    """One cross-project ref: `consumer_model` in `consumer` reads `producer_model` in `producer`."""

    consumer: str
    consumer_model: str
    producer: str
    producer_model: str

    @property
    def edge(self) -> tuple[str, str]:
        """The ref as a model-to-model edge: ("project.model" read, "project.model" reading it),
        the reader named by its file's stem when the mesh was read from files."""
        return (
            f"{self.producer}.{self.producer_model}",
            f"{self.consumer}.{PurePath(self.consumer_model).stem}",
        )

    def as_ref(self) -> str:
        return f"{self.consumer}.{self.consumer_model} -> ref('{self.producer}', '{self.producer_model}')"


@dataclass(frozen=True)
class Finding:
    """Something the table should discuss; not an error."""

    kind: str
    message: str


def boundaries(owner: Mapping[str, str], parents: Mapping[str, Iterable[str]]) -> list[Boundary]:
    """Every model-to-model edge that crosses a project line."""
    found = {
        Boundary(owner[child], child, owner[parent], parent)
        for child, ps in parents.items()
        for parent in ps
        if owner[parent] != owner[child]
    }
    return sorted(found, key=lambda b: (b.consumer, b.consumer_model, b.producer, b.producer_model))


def upstreams(edges: list[Boundary]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for edge in edges:
        result.setdefault(edge.consumer, set()).add(edge.producer)
    return result


def find_cycle(projects: Iterable[str], edges: list[Boundary]) -> list[str] | None:
    """A list of projects [a, b, ..., a] that read each other in a circle, or None."""
    reads = upstreams(edges)
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(project: str) -> list[str] | None:
        state[project] = "open"
        stack.append(project)
        for upstream in sorted(reads.get(project, ())):
            if state.get(upstream) == "open":
                return stack[stack.index(upstream) :] + [upstream]
            if upstream not in state:
                cycle = visit(upstream)
                if cycle:
                    return cycle
        stack.pop()
        state[project] = "done"
        return None

    for project in sorted(projects):
        if project not in state:
            cycle = visit(project)
            if cycle:
                return cycle
    return None


def check_no_cycle(projects: Iterable[str], edges: list[Boundary], plan_file: str) -> None:
    cycle = find_cycle(projects, edges)
    if not cycle:
        return
    closing = tuple(
        e
        for a, b in zip(cycle, cycle[1:], strict=False)
        for e in edges
        if (e.consumer, e.producer) == (a, b)
    )
    raise ProjectCycleError(
        f"`{plan_file}`: projects {' -> '.join(f'`{p}`' for p in cycle)} would read each other in a "
        f"circle, so none of them could be built first. The refs that close the circle:\n  "
        + "\n  ".join(e.as_ref() for e in closing[:10]),
        "Move the models on one side of the circle into the project they read from (often the hub), "
        "or move the shared models into the hub so both projects read it instead of each other.",
        circle=closing,
    )


def topological_order(projects: Iterable[str], edges: list[Boundary]) -> list[str]:
    """Projects in build order: every project after all the projects it reads."""
    reads = upstreams(edges)
    ordered: list[str] = []
    remaining = sorted(projects)
    while remaining:
        ready = [p for p in remaining if reads.get(p, set()) <= set(ordered)]
        if not ready:
            raise ValueError("cycle")  # callers check for cycles first
        ordered.extend(ready[:1])
        remaining.remove(ready[0])
    return ordered


def hub_and_spoke_findings(hub: str, edges: list[Boundary]) -> list[Finding]:
    """Spokes reading spokes (the handbook says spokes read the hub only), one finding per pair."""
    pairs: dict[tuple[str, str], list[Boundary]] = {}
    for edge in edges:
        if edge.producer != hub:
            pairs.setdefault((edge.consumer, edge.producer), []).append(edge)
    return [
        Finding(
            "spoke_reads_spoke",
            f"`{consumer}` reads the spoke `{producer}` ({len(refs)} ref(s), e.g. "
            f"{refs[0].as_ref()}). The handbook's plan says spokes read the hub only.",
        )
        for (consumer, producer), refs in sorted(pairs.items())
    ]
