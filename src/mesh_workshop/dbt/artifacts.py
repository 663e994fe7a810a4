"""dbt's artifacts, typed: the one reader of `manifest.json`, and a small graph built from it.

`read_manifest` reads the fields of a manifest the kit uses into pydantic models (every other
field is ignored, so a newer dbt that adds fields still reads), and keeps the last manifests it
read, keyed by file and modification time. `run_results.json` is read in `results.py`.

Models that dbt-loom copies into a downstream manifest have no `original_file_path`; dbt-loom
keeps their top-level `access`, `group` and `version` but resets the same keys in `config`.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import KitLayoutError


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _nulls_are_defaults(cls, data: Any) -> Any:
        # dbt writes `null` for many unset fields; read them as the field's default.
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


class DependsOn(_Read):
    nodes: tuple[str, ...] = ()

    def models(self) -> tuple[str, ...]:
        return tuple(n for n in self.nodes if n.startswith("model."))


class Contract(_Read):
    enforced: bool = False


class NodeConfig(_Read):
    access: str | None = None
    group: str | None = None
    contract: Contract = Contract()


class RefEntry(_Read):
    name: str
    package: str | None = None
    version: str | int | float | None = None


class Node(_Read):
    """A model, test, snapshot, seed or analysis (and, read by the governance check, an exposure
    or semantic model: the fields they share)."""

    unique_id: str = ""
    resource_type: str = ""
    name: str
    package_name: str = ""
    original_file_path: str | None = None  # none: copied in by dbt-loom from an upstream
    patch_path: str | None = None
    alias: str | None = None
    fqn: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    depends_on: DependsOn = DependsOn()
    attached_node: str | None = None
    access: str | None = None
    group: str | None = None
    version: str | int | float | None = None
    latest_version: str | int | float | None = None
    deprecation_date: str | None = None
    config: NodeConfig = NodeConfig()
    contract: Contract | None = None
    description: str | None = ""
    columns: dict[str, Any] = Field(default_factory=dict)
    raw_code: str | None = ""
    refs: tuple[RefEntry | list | str, ...] = ()
    type: str | None = None  # an exposure's kind (dashboard, notebook, ...)

    @property
    def is_model(self) -> bool:
        return self.resource_type == "model"

    @property
    def copied_from_upstream(self) -> bool:
        return not self.original_file_path

    @property
    def own_access(self) -> str:
        return self.access or self.config.access or "protected"

    @property
    def own_group(self) -> str | None:
        return self.group or self.config.group

    @property
    def contract_enforced(self) -> bool:
        return bool((self.contract or self.config.contract).enforced)

    @property
    def deprecated_from(self) -> date | None:
        return date.fromisoformat(self.deprecation_date[:10]) if self.deprecation_date else None


class Source(_Read):
    source_name: str
    name: str
    original_file_path: str = ""


class UnitTestGiven(_Read):
    input: str = ""


class UnitTest(_Read):
    name: str
    model: str
    given: tuple[UnitTestGiven, ...] = ()


class Group(_Read):
    name: str
    package_name: str | None = None
    owner: dict[str, Any] = Field(default_factory=dict)


class ManifestMetadata(_Read):
    project_name: str | None = None


class Manifest(_Read):
    metadata: ManifestMetadata = ManifestMetadata()
    nodes: dict[str, Node] = Field(default_factory=dict)
    sources: dict[str, Source] = Field(default_factory=dict)
    exposures: dict[str, Node] = Field(default_factory=dict)
    semantic_models: dict[str, Node] = Field(default_factory=dict)
    unit_tests: dict[str, UnitTest] = Field(default_factory=dict)
    groups: dict[str, Group] = Field(default_factory=dict)

    @property
    def project_name(self) -> str:
        return self.metadata.project_name or ""

    def models(self, package: str | None = None) -> list[Node]:
        """The models in this manifest (only those of `package`, when given)."""
        return [
            n
            for n in self.nodes.values()
            if n.is_model and (package is None or n.package_name == package)
        ]


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`, typed. Raises OSError when it is missing and ValueError when it
    is not a manifest."""
    stat = path.stat()
    return _read_manifest(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _read_manifest(path: str, _mtime_ns: int, _size: int) -> Manifest:
    return Manifest.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


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
        manifest = read_manifest(manifest_path)
        project = manifest.project_name
        models: dict[str, Model] = {}
        for uid, node in manifest.nodes.items():
            if not node.is_model:
                continue
            layer, domain = _place(list(node.fqn))
            models[uid] = Model(
                unique_id=uid,
                name=node.name,
                package=node.package_name,
                layer=layer,
                domain=domain,
                parents=node.depends_on.models(),
                description=node.description or "",
                columns=tuple(node.columns),
                raw_code=node.raw_code or "",
            )
        types = Counter(n.resource_type for n in manifest.nodes.values())
        return cls(
            project=project,
            models=models,
            test_count=types["test"],
            unit_test_count=len(manifest.unit_tests),
            exposures=tuple(e.name for e in manifest.exposures.values()),
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
