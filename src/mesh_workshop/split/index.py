"""What the split engine needs to know about the monolith, read from its `manifest.json`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..dbt.artifacts import read_manifest


@dataclass(frozen=True)
class ModelFile:
    name: str
    sql_path: str  # relative to the project, e.g. models/marts/core/dim_animals.sql
    yml_path: str | None  # the properties file that documents it
    tags: tuple[str, ...]
    parents: tuple[str, ...]  # model names it refs
    sources: tuple[tuple[str, str], ...]  # (source, table) pairs it reads

    @property
    def folder(self) -> str:
        """Its folder under models/, e.g. `marts/core`."""
        return str(PurePosixPath(self.sql_path).parent.relative_to("models"))


@dataclass(frozen=True)
class MonolithIndex:
    """Models, singular tests, exposures and sources of the monolith, by name."""

    project_dir: Path
    models: dict[str, ModelFile]
    singular_tests: dict[str, tuple[str, ...]]  # sql path -> model names it refs
    singular_test_sources: dict[str, tuple[tuple[str, str], ...]]  # sql path -> raw tables it reads
    generic_tests: tuple[tuple[str, tuple[str, ...]], ...]  # (model it tests, models it reads)
    exposures: dict[str, tuple[str, tuple[str, ...]]]  # name -> (yml path, model names)
    unit_tests: dict[str, tuple[str, tuple[str, ...]]]  # name -> (model tested, input models)
    source_files: dict[tuple[str, str], str]  # (source, table) -> yml path

    @classmethod
    def load(cls, project_dir: Path, manifest_path: Path) -> MonolithIndex:
        manifest = read_manifest(manifest_path)
        project = manifest.project_name
        nodes = manifest.nodes

        def model_names(ids: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(sorted({nodes[i].name for i in ids if i.startswith("model.")}))

        def source_pairs(ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
            found = {
                (manifest.sources[i].source_name, manifest.sources[i].name)
                for i in ids
                if i.startswith("source.")
            }
            return tuple(sorted(found))

        models = {}
        singular = {}
        singular_sources = {}
        generic = set()
        for node in nodes.values():
            if node.package_name != project:
                continue
            path = node.original_file_path or ""
            if node.is_model:
                patch = node.patch_path
                models[node.name] = ModelFile(
                    name=node.name,
                    sql_path=path,
                    yml_path=patch.split("://", 1)[1] if patch else None,
                    tags=tuple(sorted(node.tags)),
                    parents=model_names(node.depends_on.nodes),
                    sources=source_pairs(node.depends_on.nodes),
                )
            elif node.resource_type == "test" and path.endswith(".sql"):
                singular[path] = model_names(node.depends_on.nodes)
                singular_sources[path] = source_pairs(node.depends_on.nodes)
            elif node.resource_type == "test" and (node.attached_node or "").startswith("model."):
                tested = nodes[node.attached_node].name
                generic.add((tested, model_names(node.depends_on.nodes)))
        exposures = {
            e.name: (e.original_file_path or "", model_names(e.depends_on.nodes))
            for e in manifest.exposures.values()
        }
        sources = {(s.source_name, s.name): s.original_file_path for s in manifest.sources.values()}
        unit_tests = {
            u.name: (u.model, tuple(sorted({_ref_name(g.input) for g in u.given} - {""})))
            for u in manifest.unit_tests.values()
        }
        return cls(
            project_dir,
            models,
            singular,
            singular_sources,
            tuple(sorted(generic)),
            exposures,
            unit_tests,
            sources,
        )


def _ref_name(text: str) -> str:
    """`ref('stg_x')` -> `stg_x`; anything else (a source, `this`) -> ''."""
    match = re.fullmatch(r"""\s*ref\(\s*['"](\w+)['"]\s*\)\s*""", text)
    return match.group(1) if match else ""
