"""Read a dbt project's `manifest.json` into a small graph of models, domains and edges."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import KitLayoutError

LAYERS = ("staging", "intermediate", "marts")


@dataclass(frozen=True)
class Model:
    """One model: where it sits (layer, domain folder) and which models it reads."""

    unique_id: str
    name: str
    package: str
    layer: str
    domain: str
    parents: tuple[str, ...]
    description: str
    columns: tuple[str, ...]
    raw_code: str


@dataclass(frozen=True)
class ProjectGraph:
    """Models, tests and exposures of one parsed project."""

    project: str
    models: dict[str, Model]
    test_count: int
    unit_test_count: int
    exposures: tuple[str, ...]

    @classmethod
    def load(cls, manifest_path: Path) -> ProjectGraph:
        if not manifest_path.is_file():
            raise KitLayoutError(
                f"No dbt manifest at `{manifest_path}`.",
                "Build or parse the project first (`mesh-workshop monolith build`).",
            )
        data = json.loads(manifest_path.read_text())
        project = data["metadata"].get("project_name") or ""
        models: dict[str, Model] = {}
        for uid, node in data["nodes"].items():
            if node["resource_type"] != "model":
                continue
            layer, domain = _place(node["fqn"])
            models[uid] = Model(
                unique_id=uid,
                name=node["name"],
                package=node["package_name"],
                layer=layer,
                domain=domain,
                parents=tuple(p for p in node["depends_on"]["nodes"] if p.startswith("model.")),
                description=node.get("description") or "",
                columns=tuple(node.get("columns", {})),
                raw_code=node.get("raw_code") or "",
            )
        types = Counter(n["resource_type"] for n in data["nodes"].values())
        unit_tests = len(data.get("unit_tests", {}))
        return cls(
            project=project,
            models=models,
            test_count=types["test"],
            unit_test_count=unit_tests,
            exposures=tuple(e["name"] for e in data.get("exposures", {}).values()),
        )

    def by_name(self, name: str) -> Model:
        for model in self.models.values():
            if model.name == name:
                return model
        raise KeyError(name)

    def edges(self) -> list[tuple[Model, Model]]:
        """Every (parent, child) pair of models."""
        return [
            (self.models[p], child)
            for child in self.models.values()
            for p in child.parents
            if p in self.models
        ]

    def cross_domain_edges(self) -> list[tuple[Model, Model]]:
        """Edges where a domain reads another domain's model (staging and core excluded)."""
        shared = {"staging", "core"}
        return [
            (parent, child)
            for parent, child in self.edges()
            if parent.domain != child.domain and parent.domain not in shared
        ]

    def domain_edge_counts(self) -> Counter:
        """How many model-to-model edges run from one domain to another."""
        return Counter(
            (parent.domain, child.domain)
            for parent, child in self.edges()
            if parent.domain != child.domain
        )

    def children(self, name: str) -> list[Model]:
        uid = self.by_name(name).unique_id
        return [m for m in self.models.values() if uid in m.parents]


def _place(fqn: list[str]) -> tuple[str, str]:
    """(layer, domain) from a model's folder path: `marts/finance/x` -> ('marts', 'finance')."""
    folders = fqn[1:-1]
    layer = folders[0] if folders and folders[0] in LAYERS else "other"
    if layer == "staging":
        return layer, "staging"
    domain = folders[1] if len(folders) > 1 else layer
    return layer, domain
