"""Add a scenario's new models to a sandbox that is being written.

A scenario's trouble often starts with a report someone just wrote, for example a rescue
operations dashboard that reads a finance model. Those models are added after the group's moves,
so their refs point at wherever the models they read live by then, and a project that starts
reading another one gets the connection files (profile, dbt-loom, dependencies) to do so.
"""

from __future__ import annotations

from pathlib import Path

from ..split.writer import REF_RE, declared_upstreams, write_connections, write_yaml

SKIPPED_FOLDERS = {"target", "logs", "dbt_packages"}


def model_homes(mesh: Path) -> dict[str, str]:
    """model name -> project, from the SQL files of every project in the mesh folder."""
    homes: dict[str, str] = {}
    for project in sorted(p for p in mesh.iterdir() if (p / "dbt_project.yml").is_file()):
        for sql in (project / "models").rglob("*.sql"):
            name = sql.stem
            base, _, version = name.rpartition("_v")
            homes[base if base and version.isdigit() else name] = project.name
    return homes


def add_models(mesh: Path, models, changes: list[str]) -> None:
    for model in models:
        homes = model_homes(mesh)
        project = model.project or homes[model.lives_with]
        read: set[str] = set()

        def resolve(match, project=project, homes=homes, read=read):
            name, quote = match.group("name"), match.group(1)
            home = homes.get(name, project)
            if home == project:
                return match.group(0)
            read.add(home)
            return f"ref({quote}{home}{quote}, {quote}{name}{quote})"

        folder = mesh / project / "models" / model.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{model.name}.sql").write_text(REF_RE.sub(resolve, model.sql).rstrip() + "\n")
        properties = {"name": model.name, "description": model.description}
        if model.columns:
            properties["columns"] = [
                {"name": name, "description": text} for name, text in model.columns.items()
            ]
        write_yaml(folder / f"_{model.name}.yml", {"version": 2, "models": [properties]})
        upstreams = declared_upstreams(mesh / project)
        missing = tuple(sorted(read - set(upstreams)))
        if missing:
            write_connections(mesh / project, project, upstreams + missing)
        changes.append(
            f"scenario: {model.owner_team} added `{project}.{model.name}`"
            + (f" (reads {', '.join(f'`{r}`' for r in sorted(read))})" if read else "")
        )
