"""A dbt-duckdb plugin that shuts a project's DuckDB in: files only in the folders its profile names.

Every mesh project's profile loads it (`plugins: - module: mesh_workshop.dbt.duckdb_wall`) with the
folders the project may use: the folder of the mesh's build folders (its own DuckDB file and its
upstreams') and the raw data folder. When dbt-duckdb opens the database it calls
`configure_connection` once, before it attaches the upstream files, and the plugin runs

    SET allowed_directories = [...];      -- relative folders resolve against dbt's working folder
    SET enable_external_access = false;   -- files elsewhere, extensions, ATTACH: refused
    SET lock_configuration = true;        -- and no statement can undo the two above

so SQL in a model can neither read nor write files elsewhere, attach another group's warehouse,
nor install or load an extension. (DuckDB accepts `allowed_directories` only once the database
is open, and profile `settings:` are run again on every new cursor, where a locked configuration
refuses them: hence a plugin.)
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        folders = plugin_config.get("allowed_directories")
        if not isinstance(folders, list) or not folders or not all(folders):
            raise ValueError(
                "The mesh_workshop.dbt.duckdb_wall plugin needs `allowed_directories`, a list of "
                "folders, in its `config:` in profiles.yml."
            )
        self.allowed_directories = [str(folder) for folder in folders]

    def configure_connection(self, conn) -> None:
        if _setting(conn, "lock_configuration"):
            # The same DuckDB instance, already shut in (in-process runs can meet it again).
            if _setting(conn, "enable_external_access"):
                raise RuntimeError("DuckDB's configuration is locked with external access on.")
            return
        conn.execute("SET allowed_directories = ?", [self.allowed_directories])
        conn.execute("SET enable_external_access = false")
        conn.execute("SET lock_configuration = true")


def _setting(conn, name: str) -> Any:
    return conn.execute("SELECT current_setting(?)", [name]).fetchone()[0]
